// Listens for the labeling shortcuts on the window and hands resolved actions to `onAction`.
import { useEffect, useRef, useState } from 'react';
import { isTextField, resolveShortcut, type Pending, type ShortcutAction } from '../utils/shortcuts.ts';

export function useShortcuts(onAction: (action: ShortcutAction) => void, enabled = true): Pending {
  const handler = useRef(onAction);
  handler.current = onAction;
  const pendingRef = useRef<Pending>(null);
  const [pending, setPending] = useState<Pending>(null);

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const key = event.key.length === 1 && !event.shiftKey ? event.key.toLowerCase() : event.key;
      const result = resolveShortcut(
        {
          key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          isComposing: event.isComposing,
          inTextField: isTextField(target && { tagName: target.tagName, type: (target as HTMLInputElement).type, isContentEditable: target.isContentEditable }),
        },
        pendingRef.current,
      );
      if (result.pending !== pendingRef.current) {
        pendingRef.current = result.pending;
        setPending(result.pending);
      }
      if (!result.handled) return;
      event.preventDefault();
      event.stopPropagation();
      if (result.action) handler.current(result.action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);

  return pending;
}
