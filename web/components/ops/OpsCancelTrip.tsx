"use client";

import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api";
import type { Session, Trip } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

/** Until the ride starts support may cancel it for the rider: free for them, and a driver on the way is released. */
const cancellable = ["requested", "searching", "driver_assigned", "driver_arrived"];

/** Cancels a trip that has not started, with the reason the caller gave, after a confirmation. */
export function OpsCancelTrip(props: { session: Session; trip: Trip; onCancelled: (trip: Trip) => void }) {
  const { session, trip } = props;
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!cancellable.includes(trip.status)) return null;

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!reason.trim()) {
      setError("Say why the trip is cancelled.");
      return;
    }
    setConfirming(true);
  }

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      props.onCancelled(await api.cancel(session, trip.tripId, reason.trim()));
      setConfirming(false);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not reach UberClone. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Cancel the trip" testId="ops-cancel">
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
            data-testid="ops-cancel-reason"
          />
        </Field>
        {error && <Notice kind="error">{error}</Notice>}
        {!confirming ? (
          <Button type="submit" variant="danger" className="self-start" data-testid="ops-cancel-submit">
            Cancel trip
          </Button>
        ) : (
          <div className="flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label="Cancel this trip?">
            <p className="text-sm">
              Cancel this trip for the rider? They are not charged{trip.driver ? ", and the driver is released" : ""}. Both are told support cancelled it.
            </p>
            <div className="flex gap-2">
              <Button type="button" variant="danger" disabled={busy} onClick={() => void cancel()} data-testid="ops-cancel-confirm">
                Yes, cancel the trip
              </Button>
              <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                Keep the trip
              </Button>
            </div>
          </div>
        )}
      </form>
    </Card>
  );
}
