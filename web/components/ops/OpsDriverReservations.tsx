"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { ReservationStrike, Session } from "@/lib/types";
import { useOperatorNames, whoDid, type OperatorNames } from "@/lib/operatorNames";
import { useLoad } from "@/lib/useLoad";
import { pickupTime } from "../rider/ScheduledRides";
import { Button, Notice, inputClass } from "../ui";

const whyLabel = { late_release: "released late", missed: "did not take it when offered" } as const;

/** The longest reason support may give for removing a strike (the API's limit). */
const maxReason = 500;

/**
 * A driver's reservations on their card (ADR 0047, 0050): the rides they hold, their strikes in 30 days (released a
 * reserved ride late, or did not take it at its search) and, when those paused their reserving, until when. Support
 * removes a strike the driver should not have ("the rider asked me to drop it", "I was in a crash") saying why: it stays
 * listed as removed, and a pause it made lifts at once when the strikes left are under the limit. onRemoved: the card's
 * other lists (what support did) are read again.
 */
export function OpsDriverReservations(props: { session: Session; driverId: string; version: unknown; onRemoved: () => void }) {
  const { session, driverId, version, onRemoved } = props;
  const [changed, setChanged] = useState(0);
  const { data, error } = useLoad(() => api.opsDriverReservations(session, driverId), [session, driverId, version, changed], "Could not load their reservations.");
  const strikes = data?.strikes ?? [];
  const counting = strikes.filter((s) => !s.removedAt);
  const names = useOperatorNames(session, strikes.map((s) => s.removedBy));
  return (
    <div data-testid="reserve-ops-driver">
      <h3 className="mb-1 font-medium">Reserved rides</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {data && (
        <p className="text-sm" data-testid="reserve-ops-driver-summary">
          {(data.rides ?? []).length} reserved · {counting.length} {counting.length === 1 ? "strike" : "strikes"} in 30 days
          {data.reservingPausedUntil ? ` · reserving paused until ${pickupTime(data.reservingPausedUntil)}` : ""}
        </p>
      )}
      {strikes.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm text-slate-700" aria-label="Their strikes">
          {strikes.map((s) => (
            <StrikeRow
              key={s.tripId}
              session={session}
              driverId={driverId}
              strike={s}
              names={names}
              onRemoved={() => {
                setChanged((c) => c + 1);
                onRemoved();
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function StrikeRow(props: { session: Session; driverId: string; strike: ReservationStrike; names: OperatorNames | null; onRemoved: () => void }) {
  const { session, driverId, strike, names, onRemoved } = props;
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setFailure(null);
    try {
      await api.removeReservationStrike(session, driverId, strike.tripId, reason.trim());
      onRemoved();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : "Could not remove the strike.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <li data-testid="reserve-ops-strike">
      <span className={strike.removedAt ? "text-slate-500 line-through" : undefined}>
        {pickupTime(strike.at)}: trip {strike.tripId} — {whyLabel[strike.why] ?? strike.why}
      </span>
      {strike.removedAt ? (
        <span className="block text-xs text-slate-600" data-testid="reserve-ops-strike-removed">
          Removed {pickupTime(strike.removedAt)} by {strike.removedBy ? whoDid(strike.removedBy, session.userId, names) : "support"}: {strike.removedReason}
        </span>
      ) : (
        <span className="mt-1 flex flex-wrap items-center gap-2">
          <input
            className={inputClass}
            aria-label={`Why remove the strike for trip ${strike.tripId}`}
            placeholder="Why (the driver's call)"
            maxLength={maxReason}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="reserve-ops-strike-reason"
          />
          <Button variant="secondary" disabled={busy || reason.trim().length === 0} onClick={() => void remove()} data-testid="reserve-ops-strike-remove">
            Remove
          </Button>
        </span>
      )}
      {failure && (
        <Notice kind="error" testId="reserve-ops-strike-error">
          {failure}
        </Notice>
      )}
    </li>
  );
}
