"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import { day, promotionTerms } from "@/lib/format";
import { useOperatorNames, whoDid } from "@/lib/operatorNames";
import { useLoad } from "@/lib/useLoad";
import type { Promotion, Session } from "@/lib/types";
import { Button, Card, Notice, StatusBadge } from "../ui";
import { OpsPromotionForm } from "./OpsPromotionForm";

/**
 * Support's promotions, newest first: a new one is created here, and an open one ended (nobody can add it from then on;
 * riders who added it keep it until it expires). Read again when the console's version changes (Refresh).
 */
export function OpsPromotions({ session, version }: { session: Session; version: number }) {
  const { data: promotions, setData: setPromotions, error: loadError } = useLoad(() => api.opsPromotions(session), [session, version], "Could not load the promotions.");
  const names = useOperatorNames(session, (promotions ?? []).map((p) => p.createdBy));
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Shows a promotion as the service answered it: in its place, or first when it is new. */
  const show = (promotion: Promotion) =>
    setPromotions((shown = []) =>
      shown.some((p) => p.code === promotion.code) ? shown.map((p) => (p.code === promotion.code ? promotion : p)) : [promotion, ...shown],
    );

  async function end(code: string) {
    setEnding(code);
    setError(null);
    try {
      show(await api.endPromotion(session, code));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setEnding(null);
    }
  }

  return (
    <Card title="Promotions" testId="ops-promotions">
      <OpsPromotionForm session={session} onCreated={show} />
      <div className="mt-4 flex flex-col gap-2">
        {(error ?? loadError) && <Notice kind="error">{error ?? loadError}</Notice>}
        {promotions === undefined ? (
          !loadError && <p className="text-sm text-slate-600">Loading…</p>
        ) : promotions.length === 0 ? (
          <p className="text-sm text-slate-600">No promotions yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm" aria-label="Promotions">
            {promotions.map((p) => (
              <li key={p.code} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`ops-promotion-${p.code}`}>
                <span className="flex flex-col">
                  <span>
                    <span className="font-mono font-medium">{p.code}</span> · {promotionTerms(p.terms)} · {ridesPerRider(p)}
                    {p.newRidersOnly ? " · new riders only" : ""}
                  </span>
                  <span className="text-slate-600">
                    {riders(p)} · until {day(p.expiresAt)} · created by {whoDid(p.createdBy, session.userId, names)}
                    {p.endedAt ? ` · ended ${day(p.endedAt)}` : ""}
                  </span>
                </span>
                <span className="flex items-center gap-2">
                  <StatusBadge status={p.status} testId={`ops-promotion-status-${p.code}`} />
                  {p.status === "open" && (
                    <Button variant="secondary" onClick={() => void end(p.code)} disabled={ending !== null} data-testid={`ops-promotion-end-${p.code}`}>
                      End
                    </Button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

const ridesPerRider = (p: Promotion) => `${p.ridesPerRider ?? 0} ${p.ridesPerRider === 1 ? "ride" : "rides"} per rider`;

/** "1 rider added", or "3 of 100 riders added" when it allows no more than so many. */
function riders(p: Promotion): string {
  const added = p.ridersAdded ?? 0;
  return p.maxRiders ? `${added} of ${p.maxRiders} riders added` : `${added} ${added === 1 ? "rider" : "riders"} added`;
}
