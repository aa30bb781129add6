import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms`: a search typed letter by letter asks the app once, for the word,
 * not once per letter (five letters were eight queries over a million contacts, #34).
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
