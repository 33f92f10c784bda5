"use client";

import { api } from "@/lib/api";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { daysLabel } from "@/lib/weekdays";
import { pickupTime } from "../rider/ScheduledRides";
import { Notice } from "../ui";

/**
 * A rider's repeating rides on their card (ADR 0043), as the rider sees them: "why was this ride booked?" and "why
 * was my ride not booked?" are answered by the days and time, the next ride and how the last one went.
 */
export function OpsUserSchedules({ session, userId, version }: { session: Session; userId: string; version: unknown }) {
  const { data: schedules, error } = useLoad(() => api.opsRiderSchedules(session, userId), [session, userId, version], "Could not load their repeating rides.");
  return (
    <div data-testid="ops-user-schedules">
      <h3 className="mb-1 font-medium">Repeating rides</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {schedules?.length === 0 && <p className="text-sm text-slate-600">None.</p>}
      {schedules && schedules.length > 0 && (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Their repeating rides">
          {schedules.map((s) => (
            <li key={s.id} className="py-1" data-testid="ops-user-schedule">
              <strong>
                {daysLabel(s.days ?? [])} at {s.pickupTime}
              </strong>{" "}
              ({s.timeZone}) · <span className="capitalize">{s.vehicleClass}</span>
              {s.pickupLabel && s.dropoffLabel ? ` · ${s.pickupLabel} → ${s.dropoffLabel}` : ""}
              {s.withPet ? " · with a pet" : ""}
              {s.wheelchairAccessible ? " · wheelchair-accessible vehicle" : ""}
              {s.profile === "business" ? ` · business${s.expenseMemo ? ` (${s.expenseMemo})` : ""}` : ""}
              {s.ended ? ` · ended ${s.endsOn}` : s.paused ? " · paused" : s.nextPickupAt ? ` · next ${pickupTime(s.nextPickupAt)}` : ""}
              {s.endsOn && !s.ended ? ` · until ${s.endsOn}` : ""}
              {s.lastBooking && (
                <span className="block text-slate-600">
                  Last: {pickupTime(s.lastBooking.pickupAt)}{" "}
                  {s.lastBooking.refusal ? `not booked (${s.lastBooking.refusal})` : `booked as trip ${s.lastBooking.tripId ?? ""}`}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
