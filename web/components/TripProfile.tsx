"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import type { Session, Trip } from "@/lib/types";
import { Button, Field, inputClass } from "./ui";

/** How long after a ride its rider may switch it between personal and business (trips' RideProfile.SwitchWindow, ADR 0034). */
const switchWindowMs = 30 * 24 * 60 * 60 * 1000;

/** The "Business" tag beside a ride in the history (nothing for a personal one). */
export function BusinessTag({ trip }: { trip: Trip }) {
  if (trip.profile !== "business") return null;
  return (
    <span className="ml-1 rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-800" data-testid={`business-tag-${trip.tripId}`}>
      Business
    </span>
  );
}

/**
 * A receipt's profile (ADR 0034): "Business" and the expense memo; to its rider, for 30 days after a completed ride,
 * "Switch to Business" (with a memo) or "Switch to Personal". A paid ride switched to business has its receipt mailed
 * to the work email then.
 */
export function TripProfile({ trip, session, onChanged, onError }: { trip: Trip; session: Session; onChanged: (trip: Trip) => void; onError: (message: string | null) => void }) {
  const [memo, setMemo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const business = trip.profile === "business";
  const switchable =
    session.role === "rider" && trip.status === "completed" && !!trip.completedAt && Date.now() - Date.parse(trip.completedAt) <= switchWindowMs;

  async function switchTo(profile: "personal" | "business", expenseMemo?: string) {
    setBusy(true);
    onError(null);
    try {
      onChanged(await api.switchTripProfile(session, trip.tripId, profile, expenseMemo?.trim() || undefined));
      setMemo(null);
    } catch (e) {
      onError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-2" data-testid="history-profile">
      {business && (
        <p>
          <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-800">Business</span>
          {trip.expenseMemo && (
            <span className="ml-2" data-testid="history-expense-memo">
              Expense memo: {trip.expenseMemo}
            </span>
          )}
        </p>
      )}
      {switchable && memo !== null && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void switchTo("business", memo);
          }}
        >
          <Field label="Expense memo (optional)">
            <input className={inputClass} value={memo} maxLength={100} onChange={(e) => setMemo(e.target.value)} data-testid="switch-expense-memo" autoFocus />
          </Field>
          <Button type="submit" disabled={busy} data-testid="switch-to-business-confirm">
            Make it a business ride
          </Button>
          <Button type="button" variant="secondary" disabled={busy} onClick={() => setMemo(null)}>
            Cancel
          </Button>
        </form>
      )}
      {switchable && memo === null && (
        <div>
          {business ? (
            <Button variant="secondary" disabled={busy} onClick={() => void switchTo("personal")} data-testid="switch-to-personal">
              Switch to Personal
            </Button>
          ) : (
            <Button variant="secondary" disabled={busy} onClick={() => setMemo("")} data-testid="switch-to-business">
              Switch to Business
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
