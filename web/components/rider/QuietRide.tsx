"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { fullPreferences } from "@/lib/preferences";
import type { Session, Trip, TripStatus } from "@/lib/types";
import { RidePreferenceLabels } from "../RidePreferenceLabels";

/** The ride's preferences change until it ends (ADR 0049): booked for later, searching, the driver coming or waiting, riding. */
export const canChangePreferences = (status: TripStatus) =>
  status === "scheduled" || status === "searching" || status === "driver_assigned" || status === "driver_arrived" || status === "in_progress";

/**
 * What the ride's driver is shown of the rider's wishes, and "Quiet ride" to turn on or off at any time until the ride
 * ends, as Uber has it: the driver's app is told at once. The rest of the set stays as booked.
 */
export function QuietRide(props: {
  session: Session;
  trip: Trip;
  onChanged: (trip: Trip) => void;
  /** The ride ended meanwhile (409): the trip is read again. */
  onStale: () => void;
  onError: (message: string | null) => void;
}) {
  const { trip } = props;
  // The switch shows the rider's choice at once, while it is saved; the trip the answer brings replaces it.
  const [saving, setSaving] = useState<boolean | null>(null);
  const preferences = fullPreferences(trip.ridePreferences);
  const quiet = saving ?? preferences.conversation === "quiet";

  async function toggle() {
    const wanted = !quiet;
    setSaving(wanted);
    props.onError(null);
    try {
      props.onChanged(await api.changeTripPreferences(props.session, trip.tripId, { ...preferences, conversation: wanted ? "quiet" : "none" }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) props.onStale();
      props.onError(e instanceof ApiError ? e.message : "Could not change your ride preferences.");
    } finally {
      setSaving(null);
    }
  }

  return (
    <div className="mb-3" data-testid="prefs-rider-trip">
      <RidePreferenceLabels preferences={trip.ridePreferences} testId="prefs-rider-labels" />
      {canChangePreferences(trip.status) && (
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" role="switch" checked={quiet} disabled={saving !== null} onChange={() => void toggle()} data-testid="prefs-quiet-toggle" />
          Quiet ride
          <span className="font-normal text-slate-600">{quiet ? "your driver knows you prefer quiet" : "tell your driver you prefer quiet"}</span>
        </label>
      )}
    </div>
  );
}
