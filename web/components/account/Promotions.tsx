"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { day, promotionTerms } from "@/lib/format";
import type { RiderPromotion, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import { PromotionCodeForm } from "../PromotionCodeForm";
import { Card, Notice } from "../ui";

/**
 * A rider's promotions: a code support gave them is added here, and each one they hold says what it takes off, how many
 * of its rides are left and until when. A quote then offers the best of them on each price.
 */
export function Promotions({ session }: { session: Session }) {
  const { data: promotions, setData: setPromotions, error: loadError } = useLoad(() => api.myPromotions(session), [session], "Could not load your promotions.");
  const now = useNow(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <Card title="Promotions" testId="promotions">
      <PromotionCodeForm
        label="Promotion code"
        action="Add"
        testIds={{ input: "promotion-code-input", submit: "promotion-add" }}
        submit={async (code) => setPromotions(await api.addPromotion(session, code))}
        onError={setError}
      />
      <div className="mt-3 flex flex-col gap-2">
        {(error ?? loadError) && (
          <Notice kind="error" testId="promotion-error">
            {error ?? loadError}
          </Notice>
        )}
        {promotions?.length === 0 && <p className="text-sm text-slate-600">No promotions yet.</p>}
        {promotions && promotions.length > 0 && (
          <ul className="divide-y divide-slate-200 text-sm" aria-label="Your promotions">
            {promotions.map((p) => (
              <PromotionRow key={p.code} promotion={p} now={now} />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

/** "HALF50 · 50% off, up to $4.00 · 2 of 2 rides left · until 4 Jan 2027"; one that cannot be used any more, dimmed. */
export function PromotionRow({ promotion: p, now }: { promotion: RiderPromotion; now: number }) {
  const rides = p.rides ?? 0;
  const left = p.ridesLeft ?? 0;
  const expired = Date.parse(p.expiresAt) <= now;
  return (
    <li className={`py-2 ${p.usable ? "" : "text-slate-400"}`} data-testid={`promotion-${p.code}`} data-usable={p.usable ? "true" : "false"}>
      <span className="font-mono font-medium">{p.code}</span> · {promotionTerms(p.terms)} · {left} of {rides} {rides === 1 ? "ride" : "rides"} left ·{" "}
      {expired ? `expired ${day(p.expiresAt)}` : `until ${day(p.expiresAt)}`}
    </li>
  );
}
