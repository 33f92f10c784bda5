"use client";

import { useEffect, useMemo, useState } from "react";
import { drivingTime } from "@/lib/format";
import type { DriverState } from "@/lib/types";

/**
 * How long the driver has been online in this working period, of the most allowed before a rest (ADR 0026), counted on
 * from when the state was read while they are online (re-drawn each minute); while resting, from when they may drive.
 */
export function DrivingTime({ driver }: { driver: DriverState }) {
  const readAt = useMemo(() => Date.now(), [driver]);
  const [now, setNow] = useState(readAt);
  useEffect(() => {
    setNow(Date.now());
    if (driver.state === "offline") return;
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [driver]);
  const text = drivingTime(driver, Math.max(0, (now - readAt) / 1000));
  if (!text) return null;
  return (
    <p className={`mt-2 text-sm ${driver.restsUntil ? "text-amber-800" : "text-slate-600"}`} data-testid="driving-time">
      {text}
    </p>
  );
}
