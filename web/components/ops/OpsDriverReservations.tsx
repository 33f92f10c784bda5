"use client";

import { api } from "@/lib/api";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { pickupTime } from "../rider/ScheduledRides";
import { Notice } from "../ui";

const whyLabel = { late_release: "released late", missed: "did not take it when offered" } as const;

/**
 * A driver's reservations on their card (ADR 0047, 0050): the rides they hold, their strikes in 30 days (released a
 * reserved ride late, or did not take it at its search) and, when those paused their reserving, until when.
 */
export function OpsDriverReservations({ session, driverId, version }: { session: Session; driverId: string; version: unknown }) {
  const { data, error } = useLoad(() => api.opsDriverReservations(session, driverId), [session, driverId, version], "Could not load their reservations.");
  const strikes = data?.strikes ?? [];
  return (
    <div data-testid="reserve-ops-driver">
      <h3 className="mb-1 font-medium">Reserved rides</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {data && (
        <p className="text-sm" data-testid="reserve-ops-driver-summary">
          {(data.rides ?? []).length} reserved · {strikes.length} {strikes.length === 1 ? "strike" : "strikes"} in 30 days
          {data.reservingPausedUntil ? ` · reserving paused until ${pickupTime(data.reservingPausedUntil)}` : ""}
        </p>
      )}
      {strikes.length > 0 && (
        <ul className="text-sm text-slate-700" aria-label="Their strikes">
          {strikes.map((s) => (
            <li key={s.tripId} data-testid="reserve-ops-strike">
              {pickupTime(s.at)}: trip {s.tripId} — {whyLabel[s.why] ?? s.why}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
