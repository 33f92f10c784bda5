"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { standingText } from "../driver/RatingStanding";
import { Button, Notice, inputClass } from "../ui";

/** The longest reason support may give for reinstating a rider (the API's limit). */
const maxReason = 500;

/**
 * A rider's rating on the desk's rider card, with their standing over their recent rated trips (ADR 0056): "Rating 4.90
 * over 23 rated trips — good". Restricted, support reinstates them with a reason: they start afresh and book again, and
 * the card's support actions are read again (onReinstated).
 */
export function OpsRiderRating(props: { session: Session; riderId: string; version: number; onReinstated: () => void }) {
  const { session, riderId, version } = props;
  const [reinstated, setReinstated] = useState(0);
  const { data } = useLoad(() => api.riderRating(session, riderId), [session, riderId, version, reinstated], "");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!data) return null;
  const count = data.count ?? 0;
  const standing = standingText(data);

  async function reinstate() {
    setBusy(true);
    setFailure(null);
    try {
      await api.reinstateRiderRating(session, riderId, reason.trim());
      setReason("");
      setReinstated((v) => v + 1);
      props.onReinstated();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : "Could not reinstate the rider.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="ops-rider-rating">
      <p>
        {count === 0 ? "No ratings yet" : `★ ${(data.average ?? 0).toFixed(2)} all time (${count})`}
        {standing && <span className={data.standing === "good" ? "" : " font-medium text-red-800"}> · {standing}</span>}
      </p>
      {data.standing === "restricted" && (
        <span className="flex flex-wrap items-center gap-2">
          <input
            className={inputClass}
            aria-label="Why reinstate the rider"
            placeholder="Why (what the rider said)"
            maxLength={maxReason}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="ops-rider-rating-reason"
          />
          <Button variant="secondary" disabled={busy || reason.trim().length === 0} onClick={() => void reinstate()} data-testid="ops-rider-rating-reinstate">
            Reinstate
          </Button>
        </span>
      )}
      {failure && (
        <Notice kind="error" testId="ops-rider-rating-error">
          {failure}
        </Notice>
      )}
    </div>
  );
}
