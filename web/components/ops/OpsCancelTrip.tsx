"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { money } from "@/lib/format";
import type { Session, Trip } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

/** Until the ride starts support may cancel it for the rider: free for them, and a driver on the way is released. */
const cancellable = ["scheduled", "searching", "driver_assigned", "driver_arrived"];

/** What support can do to a trip under way, and how the form says it. */
const modes = {
  cancel: { title: "Cancel the trip", testId: "ops-cancel", button: "Cancel trip", confirm: "Yes, cancel the trip", keep: "Keep the trip", ask: "Cancel this trip?", missing: "Say why the trip is cancelled." },
  end: { title: "End the ride", testId: "ops-end", button: "End the ride", confirm: "Yes, end the ride", keep: "Let the driver end it", ask: "End this ride?", missing: "Say why support ends the ride." },
} as const;

/**
 * Cancels a trip that has not started, or ends a ride under way that its driver cannot (their phone died, their
 * account was suspended), with the reason the caller gave, after a confirmation.
 */
export function OpsCancelTrip(props: { session: Session; trip: Trip; onCancelled: (trip: Trip) => void }) {
  const { session, trip } = props;
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const mode = cancellable.includes(trip.status) ? "cancel" : trip.status === "in_progress" ? "end" : null;
  if (!mode) return null;
  const words = modes[mode];

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!reason.trim()) {
      setError(words.missing);
      return;
    }
    setConfirming(true);
  }

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      props.onCancelled(await (mode === "cancel" ? api.cancel(session, trip.tripId, reason.trim()) : api.completeBySupport(session, trip.tripId, reason.trim())));
      setConfirming(false);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={words.title} testId={words.testId}>
      <form onSubmit={ask} className="flex flex-col gap-3">
        <Field label="Reason">
          <input
            className={inputClass}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setConfirming(false);
            }}
            required
            maxLength={200}
            autoComplete="off"
            data-testid={`${words.testId}-reason`}
          />
        </Field>
        {error && <Notice kind="error">{error}</Notice>}
        {!confirming ? (
          <Button type="submit" variant="danger" className="self-start" data-testid={`${words.testId}-submit`}>
            {words.button}
          </Button>
        ) : (
          <div className="flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label={words.ask}>
            <p className="text-sm">
              {mode === "cancel"
                ? `Cancel this trip for the rider? They are not charged${trip.driver ? ", and the driver is released" : ""}. Both are told support cancelled it.`
                : `End this ride for its driver? The rider pays the upfront fare, ${money(trip.fare)} (refund part of it if the ride fell short), the driver earns from it and is released. Both are told support ended it.`}
            </p>
            <div className="flex gap-2">
              <Button type="button" variant="danger" disabled={busy} onClick={() => void cancel()} data-testid={`${words.testId}-confirm`}>
                {words.confirm}
              </Button>
              <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                {words.keep}
              </Button>
            </div>
          </div>
        )}
      </form>
    </Card>
  );
}
