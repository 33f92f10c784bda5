"use client";

import { api } from "@/lib/api";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { standingText } from "../driver/RatingStanding";

/** A driver's rating on the desk's driver card, with their standing over their recent rated trips (ADR 0055). */
export function OpsDriverRating({ session, driverId, version }: { session: Session; driverId: string; version: number }) {
  const { data } = useLoad(() => api.driverRating(session, driverId), [session, driverId, version], "");
  if (!data) return null;
  const count = data.count ?? 0;
  return (
    <p className="text-sm" data-testid="ops-driver-rating">
      {count === 0 ? "No ratings yet" : `★ ${(data.average ?? 0).toFixed(2)} all time (${count})`}
      {standingText(data) && <span className={data.standing === "good" ? "" : " font-medium text-red-800"}> · {standingText(data)}</span>}
    </p>
  );
}
