"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { clockTime, distance, money } from "@/lib/format";
import type { LatLng, ReservableRide, ReservationReminder, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { pickupTime } from "../rider/ScheduledRides";
import { Button, Card, Notice } from "../ui";

/** "With a pet · Cash · Wheelchair accessible": what the ride needs of the car, as the offer says it. */
function needs(ride: ReservableRide) {
  return [ride.withPet ? "With a pet" : null, ride.payInCash ? "Cash" : null, ride.wheelchairAccessible ? "Wheelchair accessible" : null].filter(Boolean).join(" · ");
}

const place = (at: LatLng) => `${at.lat.toFixed(2)}, ${at.lng.toFixed(2)}`;

/**
 * Uber Reserve for drivers (ADR 0047): "Rides for later near you", rides booked for later nobody reserved, picked up
 * near the driver (where they are, else their last position), with the pickup time, the areas, what they would earn and
 * what the ride needs; "Reserve" takes one (first come: another driver may have been quicker, said so). "Your reserved
 * rides" lists theirs with "Release" until an hour before the pickup. Read again when version changes (any trip.* event).
 * Reserving paused after too many strikes (ADR 0050) says until when and why. A reminder (ADR 0050, an hour before a reserved pickup) shows over them: "Pick up Ana at 08:15 in 60 min — be online by 08:00".
 */
export function RidesForLater({ session, near, version, reminder }: { session: Session; near: LatLng | null; version: number; reminder: ReservationReminder | null }) {
  const [changed, setChanged] = useState(0);
  const nearKey = near ? `${near.lat.toFixed(2)},${near.lng.toFixed(2)}` : "";
  const { data: open, error: openError } = useLoad(() => api.reservableRides(session, near), [session, nearKey, version, changed], "Could not load rides for later near you.");
  const { data: standing, error: mineError } = useLoad(() => api.myReservations(session), [session, version, changed], "Could not load your reserved rides.");
  const mine = standing?.rides;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function act(action: () => Promise<unknown>, said: string, failed: string) {
    setBusy(true);
    setFailure(null);
    setDone(null);
    try {
      await action();
      setDone(said);
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : failed);
    } finally {
      setBusy(false);
      setChanged((c) => c + 1);
    }
  }

  return (
    <Card title="Rides for later near you" testId="reserve-card">
      {(openError || mineError) && <Notice kind="error">{openError ?? mineError}</Notice>}
      {failure && (
        <Notice kind="error" testId="reserve-error">
          {failure}
        </Notice>
      )}
      {done && (
        <Notice kind="success" testId="reserve-done">
          {done}
        </Notice>
      )}
      {standing?.reservingPausedUntil && (
        <Notice kind="error" testId="reserve-paused">
          {standing.reservingPausedReason}
        </Notice>
      )}
      {reminder && (
        <Notice kind="info" testId="reserve-reminder">
          {reminder.pickupName ? `Pick up ${reminder.pickupName} at` : "Reserved ride at"} {clockTime(reminder.scheduledFor)} in {Math.max(1, Math.round((Date.parse(reminder.scheduledFor) - Date.parse(reminder.remindedAt)) / 60_000))} min — be
          online by {clockTime(reminder.dispatchAt)}
        </Notice>
      )}
      {mine && mine.length > 0 && (
        <div className="mb-3">
          <h3 className="text-sm font-semibold">Your reserved rides</h3>
          <ul className="flex flex-col gap-2 text-sm" data-testid="reserve-mine">
            {mine.map((ride) => (
              <li key={ride.tripId} className="rounded-md border border-emerald-200 bg-emerald-50 p-3" data-testid="reserve-mine-ride">
                <strong>{pickupTime(ride.scheduledFor)}</strong> · from {place(ride.pickup)} to {place(ride.dropoff)} · you earn {money(ride.earnings)}
                {needs(ride) && <span> · {needs(ride)}</span>}
                {ride.pickupNote && <span className="block text-amber-900">Note: {ride.pickupNote}</span>}
                <span className="mt-1 flex items-center gap-2">
                  {ride.releaseUntil && Date.parse(ride.releaseUntil) > Date.now() ? (
                    <Button
                      variant="secondary"
                      disabled={busy}
                      onClick={() => void act(() => api.releaseReservation(session, ride.tripId), "Released: the rider's ride is open to other drivers again.", "Could not release the ride.")}
                      data-testid="reserve-release"
                    >
                      Release
                    </Button>
                  ) : (
                    <span className="text-xs text-slate-600">Less than an hour to go: you do this ride (support can release it if you cannot).</span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {open && open.length === 0 && <p className="text-sm text-slate-600">No rides for later near you right now.</p>}
      <ul className="flex flex-col gap-2 text-sm" data-testid="reserve-list">
        {(open ?? []).map((ride) => (
          <li key={ride.tripId} className="rounded-md border border-slate-200 p-3" data-testid="reserve-ride">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span>
                <strong data-testid="reserve-ride-time">{pickupTime(ride.scheduledFor)}</strong> · <span className="capitalize">{ride.vehicleClass}</span> · pickup near{" "}
                {place(ride.pickup)}
                {ride.pickupDistanceMeters ? ` (${distance(ride.pickupDistanceMeters)} away)` : ""} → near {place(ride.dropoff)}
                <span className="block" data-testid="reserve-ride-earnings">
                  You earn {money(ride.earnings)} (fare {money(ride.fare)})
                </span>
                {needs(ride) && (
                  <span className="block font-medium text-amber-900" data-testid="reserve-ride-needs">
                    {needs(ride)}
                  </span>
                )}
              </span>
              <Button
                disabled={busy}
                onClick={() => void act(() => api.reserveRide(session, ride.tripId), "Reserved: you are offered it first when its time comes.", "Could not reserve the ride.")}
                data-testid="reserve-button"
              >
                Reserve
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
