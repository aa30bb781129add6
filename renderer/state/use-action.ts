import { useCallback, useState } from 'react';
import { errorText, useI18n } from '../i18n/i18n';

/** Runs a user's action, keeping whether it is busy and its error in the user's words; resolves true on success. */
export function useAction() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
        return true;
      } catch (e) {
        setError(errorText(t, e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { run, busy, error, setError };
}
