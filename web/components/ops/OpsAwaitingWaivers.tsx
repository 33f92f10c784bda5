"use client";

import { api } from "@/lib/api";
import { ago, money } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import type { AwaitingWaiver, Session } from "@/lib/types";
import { Card, Notice } from "../ui";

/** "you" for the caller's own request, else the colleague's name (ADR 0054). */
const asker = (w: AwaitingWaiver, you: string) => (w.askedBy === you ? "you" : (w.askedByName ?? `support account ${w.askedBy}`));

/**
 * The waivers above the limit one support account may waive alone that await a colleague's approval (ADR 0053), oldest
 * first: how much, whose, who asked and why, how long ago; a row opens the trip, where Approve / Decline are. Read again
 * when version changes (Refresh) or waiversVersion does (support.waivers_changed on the desk's socket: one was asked
 * for, or no longer awaits). One that lapsed while shown drops out (lapsesAt).
 */
export function OpsAwaitingWaivers({ session, version, waiversVersion, onOpenTrip }: { session: Session; version: number; waiversVersion: number; onOpenTrip: (tripId: string) => void }) {
  const now = useNow(true);
  const { data, error } = useLoad(() => api.awaitingWaivers(session), [session, version, waiversVersion], "Could not load the waivers waiting for approval.");
  const waivers = data?.filter((w) => Date.parse(w.lapsesAt) > now);

  return (
    <Card title={`Waivers waiting for approval${waivers ? ` (${waivers.length})` : ""}`} testId="ops-awaiting-waivers">
      {error && <Notice kind="error">{error}</Notice>}
      {waivers === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : waivers.length === 0 ? (
        <p className="text-sm text-slate-600">No waiver waits for a colleague.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Waivers waiting for approval">
          {waivers.map((w) => (
            <li key={w.tripId}>
              <button
                type="button"
                className="flex w-full flex-col gap-0.5 px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                onClick={() => onOpenTrip(w.tripId)}
                data-testid="ops-awaiting-waiver"
                data-trip-id={w.tripId}
              >
                <span className="flex flex-wrap justify-between gap-2">
                  <span>
                    <span className="font-medium">{money({ amountMinor: w.amountMinor, currency: w.currency })}</span> for {w.riderName ?? "a deleted rider"} · asked
                    by {asker(w, session.userId)}
                  </span>
                  <span>{ago(w.askedAt, now)}</span>
                </span>
                <span className="text-slate-600">“{w.reason}”</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
