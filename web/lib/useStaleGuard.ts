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
  return useMemo(
    () => ({
      /** Call before a read; the returned check tells, once it is answered, whether its answer may be shown. */
      beginRead: () => {
        const mine = ++version.current;
        return () => mine === version.current;
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
