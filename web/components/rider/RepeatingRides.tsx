"use client";

import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { RideSchedule, Session } from "@/lib/types";
import { daysLabel } from "@/lib/weekdays";
import { useLoad } from "@/lib/useLoad";
import { Button, Card, Notice } from "../ui";
import { pickupTime } from "./ScheduledRides";

/**
 * The rider's repeating rides (ADR 0043): which days at what time, the route and class, the next ride and when it is
 * booked, how the last one went (booked, or why not), and Pause / Resume / Delete. Hidden while there are none. Read
 * again when version changes, and every few seconds while a ride is due to be booked (the service books it within its
 * poll); onChanged after a change and when a ride was booked (so "Booked for later" shows it).
 */
export function RepeatingRides({ session, version, onChanged }: { session: Session; version: number; onChanged: () => void }) {
  const [tick, setTick] = useState(0);
  const { data: schedules, setData, error } = useLoad(() => api.rideSchedules(session), [session, version, tick], "Could not load your repeating rides.");
  const booked = useRef<string | null>(null);
  useEffect(() => {
    if (!schedules) return;
    const lastBookings = schedules.map((s) => s.lastBooking?.at ?? "").join();
    if (booked.current !== null && booked.current !== lastBookings) onChanged();
    booked.current = lastBookings;
    const due = schedules.some((s) => !s.paused && !s.ended && s.booksAt && Date.parse(s.booksAt) <= Date.now());
    if (!due) return;
    const timer = setTimeout(() => setTick((t) => t + 1), 5_000);
    return () => clearTimeout(timer);
    // onChanged is the parent's; a new one each render must not re-arm the timer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schedules]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  /** The schedule whose end is being changed, and the day typed (yyyy-MM-dd). */
  const [ending, setEnding] = useState<{ id: string; day: string } | null>(null);

  async function change(id: string, act: () => Promise<RideSchedule | null>) {
    setBusy(true);
    setFailure(null);
    try {
      const changed = await act();
      setData((shown) => (changed ? shown?.map((s) => (s.id === id ? changed : s)) : shown?.filter((s) => s.id !== id)));
      setDeleting(null);
      setEnding(null);
      onChanged();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : "Could not change the repeating ride. Try again.");
    } finally {
      setBusy(false);
    }
  }

  if (!error && (!schedules || schedules.length === 0)) return null;
  return (
    <Card title="Repeating rides" testId="repeat-rides">
      {error && <Notice kind="error">{error}</Notice>}
      {failure && <Notice kind="error">{failure}</Notice>}
      <ul className="flex flex-col gap-2 text-sm">
        {(schedules ?? []).map((s) => (
          <li key={s.id} className="rounded-md border border-slate-200 p-3" data-testid="repeat-ride">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span>
                <strong data-testid="repeat-when">
                  {daysLabel(s.days ?? [])} at {s.pickupTime}
                </strong>{" "}
                <span className="text-slate-600">({s.timeZone})</span> · <span className="capitalize">{s.vehicleClass}</span>
                {s.pickupLabel && s.dropoffLabel ? ` · ${s.pickupLabel} → ${s.dropoffLabel}` : ""}
                {s.withPet ? " · With a pet" : ""}
                {s.wheelchairAccessible && <span data-testid="wav-repeat"> · Wheelchair-accessible vehicle</span>}
                {s.profile === "business" && <span data-testid="repeat-business"> · Business{s.expenseMemo ? ` (${s.expenseMemo})` : ""}</span>}
                {s.endsOn && !s.ended && <span data-testid="repeat-until-shown"> · until {dayLabel(s.endsOn)}</span>}
              </span>
              {deleting === s.id ? (
                <span className="flex gap-2">
                  <Button variant="danger" disabled={busy} onClick={() => void change(s.id, () => api.deleteRideSchedule(session, s.id).then(() => null))} data-testid="repeat-delete-confirm">
                    Yes, delete it
                  </Button>
                  <Button variant="secondary" disabled={busy} onClick={() => setDeleting(null)}>
                    Keep it
                  </Button>
                </span>
              ) : (
                <span className="flex gap-2">
                  {s.ended ? null : s.paused ? (
                    <Button variant="secondary" disabled={busy} onClick={() => void change(s.id, () => api.resumeRideSchedule(session, s.id))} data-testid="repeat-resume">
                      Resume
                    </Button>
                  ) : (
                    <Button variant="secondary" disabled={busy} onClick={() => void change(s.id, () => api.pauseRideSchedule(session, s.id))} data-testid="repeat-pause">
                      Pause
                    </Button>
                  )}
                  <Button variant="secondary" disabled={busy} onClick={() => setDeleting(s.id)} data-testid="repeat-delete">
                    Delete
                  </Button>
                </span>
              )}
            </div>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-slate-600">
              <span data-testid="repeat-next">
                {s.ended
                  ? `Ended on ${dayLabel(s.endsOn ?? "")}: no more rides are booked. Set a later end to go on.`
                  : s.paused || !s.nextPickupAt
                  ? "Paused: no rides are booked until you resume it."
                  : `Next: ${pickupTime(s.nextPickupAt)}, booked ${s.booksAt && Date.parse(s.booksAt) > Date.now() ? pickupTime(s.booksAt) : "now"}.`}
              </span>
              {ending?.id === s.id ? (
                <span className="flex flex-wrap items-center gap-2">
                  <input
                    type="date"
                    className="rounded-md border border-slate-300 px-2 py-1"
                    value={ending.day}
                    onChange={(e) => setEnding({ id: s.id, day: e.target.value })}
                    aria-label="Last day"
                    data-testid="repeat-ends-on-input"
                  />
                  <Button variant="secondary" disabled={busy || !ending.day} onClick={() => void change(s.id, () => api.setRideScheduleEnd(session, s.id, ending.day))} data-testid="repeat-ends-on-save">
                    Save end
                  </Button>
                  {s.endsOn && (
                    <Button variant="secondary" disabled={busy} onClick={() => void change(s.id, () => api.setRideScheduleEnd(session, s.id, ""))} data-testid="repeat-ends-on-clear">
                      No end
                    </Button>
                  )}
                </span>
              ) : (
                <Button variant="secondary" disabled={busy} onClick={() => setEnding({ id: s.id, day: s.endsOn ?? "" })} data-testid="repeat-ends-on">
                  {s.endsOn ? "Change end" : "Set an end"}
                </Button>
              )}
              {!s.paused && !s.ended && s.nextPickupAt && (
                // A holiday: the next ride is not booked, the one after it is (a ride booked already is cancelled under "Booked for later").
                <Button variant="secondary" disabled={busy} onClick={() => void change(s.id, () => api.skipRideSchedule(session, s.id, s.nextPickupAt!))} data-testid="repeat-skip">
                  Skip this one
                </Button>
              )}
            </p>
            {(s.bookedPastEnd ?? []).map((ride) => (
              // The end moved before a ride it booked already: that ride is not cancelled behind the rider's back.
              <p key={ride.pickupAt} className="mt-1 text-amber-900" data-testid="repeat-past-end">
                Your ride on {rideDay(ride.pickupAt)} stays booked; cancel it under &quot;Booked for later&quot;.
              </p>
            ))}
            {s.lastBooking && (
              <p className={s.lastBooking.refusal ? "mt-1 text-red-700" : "mt-1 text-slate-600"} data-testid="repeat-last">
                {s.lastBooking.refusal
                  ? `${pickupTime(s.lastBooking.pickupAt)} could not be booked: ${s.lastBooking.refusal}`
                  : `${pickupTime(s.lastBooking.pickupAt)} is booked (under "Booked for later").`}
              </p>
            )}
          </li>
        ))}
      </ul>
      {deleting && <p className="mt-2 text-xs text-slate-600">Rides it booked already stay booked: cancel them under &quot;Booked for later&quot;.</p>}
    </Card>
  );
}

/** "Sat 19 Dec" for a day given as yyyy-MM-dd (a day, not an instant: read at noon so no time zone moves it). */
function dayLabel(day: string): string {
  const at = new Date(`${day}T12:00:00`);
  return Number.isNaN(at.getTime()) ? day : at.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

/** "Tue 15 Dec" for a ride's pickup time, in the phone's language and time zone. */
function rideDay(at: string): string {
  return new Date(at).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}
