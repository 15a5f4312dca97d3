import { useEffect, useState } from 'react';

/**
 * Calls `load` now and every `intervalMs`, keeping the latest answer or error. A stop-gap for the
 * skeleton: the admin push stream replaces polling when it lands.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let cancelled = false;
    const tick = () =>
      load().then(
        (data) => !cancelled && setState({ data, error: null }),
        (error: unknown) => !cancelled && setState((previous) => ({ data: previous.data, error: String(error) })),
      );
    void tick();
    const timer = setInterval(() => void tick(), intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [load, intervalMs]);
  return state;
}
