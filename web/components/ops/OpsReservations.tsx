"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { Session, Trip } from "@/lib/types";
import { Button, Notice, inputClass } from "../ui";

const releasedBy: Record<string, string> = { driver: "the driver", operator: "support", rider: "the rider moved the ride" };

/**
 * Drivers' reservations of a ride booked for later (ADR 0047): who reserved it and when, when and by whom it was released
 * and why. While one is held and the ride waits, support releases it with a reason (a driver who cannot come).
 */
export function OpsReservations({ session, trip, onChanged, onOpenUser }: { session: Session; trip: Trip; onChanged: (t: Trip) => void; onOpenUser: (userId: string) => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const held = trip.reservation && trip.status === "scheduled";

  async function release() {
    setBusy(true);
    setFailure(null);
    try {
      onChanged(await api.releaseReservation(session, trip.tripId, reason.trim()));
      setReason("");
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : "Could not release the reservation.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-1" data-testid="reserve-ops">
      <ul aria-label="Reservations">
        {(trip.driverReservations ?? []).map((r) => (
          <li key={r.reservedAt} data-testid="reserve-ops-item">
            Reserved by{" "}
            <button type="button" className="font-mono underline" onClick={() => onOpenUser(r.driverId)}>
              {r.driverId}
            </button>{" "}
            at {new Date(r.reservedAt).toLocaleString()}
            {r.releasedAt
              ? ` · released ${new Date(r.releasedAt).toLocaleString()} by ${releasedBy[r.releasedBy ?? ""] ?? r.releasedBy}${r.releaseReason ? ` (${r.releaseReason})` : ""}`
              : " · held"}
          </li>
        ))}
      </ul>
      {held && (
        <span className="mt-1 flex flex-wrap items-center gap-2">
          <input className={inputClass} placeholder="Why support releases it" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reserve-ops-reason" />
          <Button variant="secondary" disabled={busy || reason.trim() === ""} onClick={() => void release()} data-testid="reserve-ops-release">
            Release reservation
          </Button>
        </span>
      )}
      {failure && <Notice kind="error">{failure}</Notice>}
    </div>
  );
}
