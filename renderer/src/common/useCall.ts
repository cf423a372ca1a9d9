import { useCallback, useEffect, useState } from 'react';
import { describeError, OpUnavailableError } from '../transport/errors.js';

export type CallState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'unavailable'; op: string }
  | { status: 'error'; message: string };

/** Runs `fn` on mount and on `reload()`, tracking loading, result, "op not available" and errors. */
export function useCall<T>(fn: () => Promise<T>): [CallState<T>, () => void] {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    fn().then(
      (data) => live && setState({ status: 'ready', data }),
      (e: unknown) => live && setState(e instanceof OpUnavailableError ? { status: 'unavailable', op: e.op } : { status: 'error', message: describeError(e) }),
    );
    return () => {
      live = false;
    };
    // fn is created per render by callers: it reruns on reload() only.
  }, [tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [state, reload];
}
