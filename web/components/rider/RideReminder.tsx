"use client";

import { clockTime, duration } from "@/lib/format";
import type { TripReminder } from "@/lib/types";
import { useNow } from "@/lib/useNow";
import { Notice } from "../ui";

/** "1 hour", "45 minutes": how long until the pickup, as the reminder says it. */
function timeLeft(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : duration(minutes * 60);
}

/**
 * trip.reminder, about an hour before a ride booked for later: when it is and when the search for its driver starts,
 * until the rider dismisses it (or that search starts, or the ride is cancelled). The minutes left are counted on this
 * phone's clock when it arrives (give it a key per reminder).
 */
export function RideReminder({ reminder, onDismiss }: { reminder: TripReminder; onDismiss: () => void }) {
  const now = useNow(false);
  const minutes = Math.max(1, Math.round((Date.parse(reminder.scheduledFor) - now) / 60_000));
  return (
    <Notice testId="ride-reminder">
      Your ride booked for {clockTime(reminder.scheduledFor)} is in {timeLeft(minutes)}. We start looking for your driver at {clockTime(reminder.dispatchAt)}.{" "}
      <button type="button" className="font-medium underline" onClick={onDismiss} data-testid="ride-reminder-dismiss">
        Dismiss
      </button>
    </Notice>
  );
}
