import { useCallback, useEffect, useRef, useState, type DependencyList, type SetStateAction } from "react";
import { api, ApiError } from "./api";
import { period } from "./format";

/**
 * Reads with <paramref name="read"/> whenever one of <paramref name="deps"/> changes (none while it is null): the
 * value, or the error's message (<paramref name="failure"/> when it is not the API's). A read overtaken by a newer one
 * is dropped. With <paramref name="reset"/>, the value is cleared while each read runs (a list that is not the one
 * asked for must not stay on screen). setData lets the caller show a value it got otherwise (an action's answer): a read
 * that started before it is dropped too, so an answer written after the read cannot be overwritten by the older value
 * the read comes back with (support turned 2-step off while the card's first read was still on its way).
 */
export function useLoad<T>(read: (() => Promise<T>) | null, deps: DependencyList, failure: string, options?: { initial?: T; reset?: boolean }) {
  const [data, setShown] = useState<T | undefined>(options?.initial);
  /** Counts the values set by the caller: a read started before the last of them is older than what is shown. */
  const given = useRef(0);
  const setData = useCallback((value: SetStateAction<T | undefined>) => {
    given.current += 1;
    setShown(value);
  }, []);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!read) return;
    let current = true;
    const givenBefore = given.current;
    setError(null);
    if (options?.reset) setShown(undefined);
    read().then(
      (value) => current && given.current === givenBefore && setShown(value),
      (e: unknown) => current && setError(e instanceof ApiError ? e.message : failure),
    );
    return () => {
      current = false;
    };
    // The caller names what the read depends on, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, setData, error };
}

/** How long a deleted account is kept before it is erased, in words ("30 days"); undefined until read (or if it cannot be). */
export function useDeletionGrace(): string | undefined {
  const { data } = useLoad(() => api.policies(), [], "");
  return data && data.deletionGraceSeconds > 0 ? period(data.deletionGraceSeconds) : undefined;
}
