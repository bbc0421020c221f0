// The page's query string as state: a view keeps its selection and filters in the URL, so a link
// opens the same view and Back goes to the previous one.
import { useSyncExternalStore } from 'react';
import { navigate } from './router.tsx';

// lib/router.tsx's navigate() fires this event (and popstate covers Back/Forward).
const NAVIGATE_EVENT = 'firstcall:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

export function useSearchParams(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const search = useSyncExternalStore(subscribe, () => window.location.search, () => '');
  const params = new URLSearchParams(search);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(name);
      else next.set(name, value);
    }
    const query = next.toString();
    navigate(`${window.location.pathname}${query ? `?${query}` : ''}`);
  };
  return [params, update];
}
