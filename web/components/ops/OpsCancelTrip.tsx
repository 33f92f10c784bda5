"use client";

import { api } from "@/lib/api";
import { money } from "@/lib/format";
import type { Session, Trip } from "@/lib/types";
import { Card } from "../ui";
import { ReasonConfirmForm } from "./ReasonConfirmForm";

/** Until the ride starts support may cancel it for the rider: free for them, and a driver on the way is released. */
const cancellable = ["scheduled", "searching", "driver_assigned", "driver_arrived"];

/** What support can do to a trip under way, and how the form says it. */
const modes = {
  cancel: { title: "Cancel the trip", testId: "ops-cancel", label: "Reason", button: "Cancel trip", confirm: "Yes, cancel the trip", keep: "Keep the trip", ask: "Cancel this trip?", missing: "Say why the trip is cancelled." },
  end: { title: "End the ride", testId: "ops-end", label: "Reason", button: "End the ride", confirm: "Yes, end the ride", keep: "Let the driver end it", ask: "End this ride?", missing: "Say why support ends the ride." },
} as const;

/**
 * Cancels a trip that has not started, or ends a ride under way that its driver cannot (their phone died, their
 * account was suspended), with the reason the caller gave, after a confirmation.
 */
export function OpsCancelTrip(props: { session: Session; trip: Trip; onCancelled: (trip: Trip) => void }) {
  const { session, trip } = props;
  const mode = cancellable.includes(trip.status) ? "cancel" : trip.status === "in_progress" ? "end" : null;
  if (!mode) return null;
  const words = modes[mode];
  return (
    <Card title={words.title} testId={words.testId}>
      <ReasonConfirmForm
        key={mode}
        words={words}
        maxLength={200}
        question={
          mode === "cancel"
            ? `Cancel this trip for the rider? They are not charged${trip.driver ? ", and the driver is released" : ""}. Both are told support cancelled it.`
            : `End this ride for its driver? The rider pays the upfront fare, ${money(trip.fare)} (refund part of it if the ride fell short), the driver earns from it and is released. Both are told support ended it.`
        }
        act={async (reason) =>
          props.onCancelled(await (mode === "cancel" ? api.cancel(session, trip.tripId, reason) : api.completeBySupport(session, trip.tripId, reason)))
        }
      />
    </Card>
  );
}
