"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import type { SafetyCheck, Session, Trip } from "@/lib/types";
import { Button } from "./ui";

/** "4 minutes", "1 minute". */
function minutes(n: number): string {
  return `${n} ${n === 1 ? "minute" : "minutes"}`;
}

/** What the check is about: the car stood still, drove away from where the ride goes, or its location stopped coming. */
export function safetyCheckQuestion(check: SafetyCheck): string {
  switch (check.kind) {
    case "detour":
      return `Your ride is ${((check.detourMeters ?? 0) / 1000).toFixed(1)} km farther from where it's going than it was.`;
    case "silent":
      return `The car's location has not reached us for ${minutes(check.stoppedMinutes ?? 1)}.`;
    default:
      return `Your ride has been stopped for ${minutes(check.stoppedMinutes ?? 1)}.`;
  }
}

/**
 * RideCheck (ADR 0033): the ride stood still too long, drove away from where it goes, or the driver's phone went silent, and trips asks its rider and driver whether all is well. Shown on
 * both trip screens while the trip carries an open check (read with the trip: a reload or a reconnect shows it again);
 * either side's answer closes it on both (trip.safety_check on the socket reads the trip again). "I need help" alerts
 * support as the Emergency button does, and offers the local emergency number too. Not modal: the ride's own buttons
 * (complete, reach a stop) stay usable beneath it.
 */
export function SafetyCheckCard(props: { session: Session; trip: Trip; onChanged: (trip: Trip) => void }) {
  const { session, trip } = props;
  const check: SafetyCheck | undefined = trip.status === "in_progress" ? trip.safetyCheck : undefined;
  const [busy, setBusy] = useState(false);
  const [helpSent, setHelpSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const number = trip.emergencyNumber || "112";

  async function answer(value: "ok" | "help") {
    setBusy(true);
    setError(null);
    try {
      const answered = await api.answerSafetyCheck(session, trip.tripId, value);
      if (value === "help") setHelpSent(true);
      props.onChanged(answered);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  if (helpSent) {
    // The check closed with the answer; what to do next stays until the rider or driver puts it away.
    return (
      <div className="mb-3 flex flex-col gap-2 rounded-md border-2 border-red-600 bg-red-50 p-3 text-sm" role="status" data-testid="safety-check-help-sent">
        <p className="text-red-900">Support has been alerted and sees your trip and where the car was.</p>
        <a href={`tel:${number}`} className="rounded-md bg-red-600 px-4 py-2 text-center font-medium text-white hover:bg-red-500" data-testid="safety-check-call">
          Call emergency services ({number})
        </a>
        <Button variant="secondary" onClick={() => setHelpSent(false)}>
          Close
        </Button>
      </div>
    );
  }
  if (!check) return null;
  const titleId = `safety-check-title-${check.number}`;
  return (
    <div
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={titleId}
      className="mb-3 flex flex-col gap-2 rounded-md border-2 border-amber-500 bg-amber-50 p-3"
      data-testid="safety-check"
    >
      <p id={titleId} className="font-medium text-slate-900">
        {safetyCheckQuestion(check)} Is everything OK?
      </p>
      <div className="flex flex-wrap gap-2">
        <Button disabled={busy} onClick={() => void answer("ok")} data-testid="safety-check-ok" autoFocus>
          I&apos;m OK
        </Button>
        <Button variant="danger" disabled={busy} onClick={() => void answer("help")} data-testid="safety-check-help">
          I need help
        </Button>
        <a href={`tel:${number}`} className="self-center text-sm text-red-700 underline" data-testid="safety-check-emergency-number">
          Call {number}
        </a>
      </div>
      {check.supportAlertedAt && <p className="text-sm text-slate-700">Nobody answered yet, so UberClone support was told.</p>}
      {error && (
        <p role="alert" className="text-sm text-red-900" data-testid="safety-check-error">
          {error}
        </p>
      )}
    </div>
  );
}
