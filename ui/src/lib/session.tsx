// The signed-in session: the API key (remembered in localStorage), the reason the last session
// ended, and the current user for components below the auth gate.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Me } from './contract.ts';
import { clearStoredPrefix, readStored, writeStored } from './storage.ts';

const KEY_STORAGE = 'firstcall.apiKey';
/** Per-user UI state (e.g. the dialogue being labeled) lives under this prefix and goes on sign-out. */
export const USER_STORAGE_PREFIX = 'firstcall.user.';

export interface SessionState {
  apiKey: string | null;
  /** Why the user is looking at the sign-in page again (a rejected key), if anything. */
  notice: string | null;
}

type Listener = () => void;

function createSessionStore() {
  let state: SessionState = { apiKey: readStored(KEY_STORAGE), notice: null };
  const listeners = new Set<Listener>();
  const set = (next: SessionState) => {
    state = next;
    for (const listener of listeners) listener();
  };
  return {
    getState: () => state,
    getApiKey: () => state.apiKey,
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn(apiKey: string) {
      writeStored(KEY_STORAGE, apiKey);
      set({ apiKey, notice: null });
    },
    signOut(notice: string | null = null) {
      writeStored(KEY_STORAGE, null);
      clearStoredPrefix(USER_STORAGE_PREFIX);
      set({ apiKey: null, notice });
    },
  };
}

export const sessionStore = createSessionStore();

export function useSessionState(): SessionState {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getState, sessionStore.getState);
}

export interface Session {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the auth gate');
  return session;
}

export const isAdmin = (me: Me) => me.role === 'admin';
/** Engineers and admins see everyone's labels and the agreement report. */
export const isLead = (me: Me) => me.role === 'admin' || me.role === 'engineer';
