import { useEffect, useState } from "react";

/**
 * This phone's clock, read again every second while <paramref name="ticking"/> (a deadline on screen: a free
 * cancellation window, prices' validity); read once otherwise.
 */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
