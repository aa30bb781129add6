import { useCallback, useEffect, useState } from 'react';
import { useBlocker } from 'react-router-dom';

/**
 * Asks before unsaved edits are lost: leaving the page (another page of the app, or closing/reloading the tab),
 * or an action in the page that would replace them. `ask(action)` runs it at once when nothing is unsaved.
 */
export function useUnsavedGuard(dirty: boolean) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  const [pending, setPending] = useState<(() => void) | null>(null);

  useEffect(() => {
    if (!dirty) return;
    // The browser's own question on reload or close (its text cannot be chosen).
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);

  const ask = useCallback((action: () => void) => (dirty ? setPending(() => action) : action()), [dirty]);
  const asking = pending !== null || blocker.state === 'blocked';
  const leave = useCallback(() => {
    if (blocker.state === 'blocked') blocker.proceed();
    pending?.();
    setPending(null);
  }, [blocker, pending]);
  const stay = useCallback(() => {
    if (blocker.state === 'blocked') blocker.reset();
    setPending(null);
  }, [blocker]);
  return { ask, asking, leave, stay };
}
