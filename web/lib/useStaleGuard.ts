import { useMemo, useRef } from "react";

/**
 * Keeps old answers off the screen. A page reads its state again on many occasions (mount, reconnect, every trip
 * event) and also sets it from the user's own actions; on a slow network a read can be answered after a newer read, or
 * after an action, and would put the old state back (a driver shown offline just after going online, a trip back at
 * "assigned" after "arrived"). Each read and each action takes the next number; a read whose number is no longer the
 * newest is dropped.
 */
export function useStaleGuard() {
  const version = useRef(0);
  const failures = useRef(0);
  return useMemo(
    () => ({
      /** Call before a read; the returned check tells, once it is answered, whether its answer may be shown. */
      beginRead: () => {
        const mine = ++version.current;
        return () => mine === version.current;
      },
      /** A read's answer was shown. */
      succeeded: () => {
        failures.current = 0;
      },
      /**
       * A read failed. If it was the newest, older reads' answers were dropped in its favour and nothing newer is on
       * the way: read again, up to three times in a row, 1, 2 and 4 s later (then the next event or reconnect reads).
       */
      failed: (isNewest: () => boolean, readAgain: () => void) => {
        if (!isNewest() || failures.current >= 3) return;
        const delay = 1000 * 2 ** failures.current++;
        setTimeout(() => isNewest() && readAgain(), delay);
      },
      /** The user's action changed what is shown: reads begun before it are stale. */
      changed: () => {
        version.current++;
      },
      /** A setter for what the user's actions answer (e.g. a trip panel's onChanged): each value makes older reads stale. */
      afterAction:
        <T>(set: (value: T) => void) =>
        (value: T) => {
          version.current++;
          set(value);
        },
    }),
    [],
  );
}
