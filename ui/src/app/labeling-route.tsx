// `/?dialogue=ID` opens the labeling view on that dialogue (links from other pages, e.g. an alert's
// examples): the id becomes the dialogue being labeled, the parameter leaves the URL, the screen remounts.
import { Fragment, useLayoutEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useCurrentDialogueId } from '../features/labeling/hooks/use-queue-filters.ts';

// lib/router.tsx's navigate() fires this event (and popstate covers Back/Forward).
const NAVIGATE_EVENT = 'firstcall:navigate';
const PARAM = 'dialogue';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

/** The labeling view's address for one dialogue. */
export const labelingHref = (dialogueId: string) => `/?${PARAM}=${encodeURIComponent(dialogueId)}`;

export function LabelingRoute({ children }: { children: ReactNode }) {
  const search = useSyncExternalStore(subscribe, () => window.location.search, () => '');
  const linked = new URLSearchParams(search).get(PARAM);
  const [, setCurrentId] = useCurrentDialogueId();
  const [opened, setOpened] = useState(0);
  useLayoutEffect(() => {
    if (!linked) return;
    setCurrentId(linked);
    const rest = new URLSearchParams(window.location.search);
    rest.delete(PARAM);
    const query = rest.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    setOpened((n) => n + 1);
  }, [linked, setCurrentId]);
  // Mount the screen only once the linked id is stored: it reads the current dialogue when it mounts.
  if (linked) return null;
  return <Fragment key={opened}>{children}</Fragment>;
}
