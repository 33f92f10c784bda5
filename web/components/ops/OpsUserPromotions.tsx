"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import type { RiderPromotion, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import { PromotionRow } from "../account/Promotions";
import { PromotionCodeForm } from "../PromotionCodeForm";
import { Notice } from "../ui";

/**
 * A rider's promotions on their card: "my promotion did not apply" is answered by what they hold (rides left, expiry),
 * and a rider owed goodwill is given a promotion the desk created, as if they had added its code.
 */
export function OpsUserPromotions(props: { session: Session; userId: string; version: unknown; onGiven: () => void }) {
  const { session, userId, version } = props;
  const { data: promotions, setData, error: loadError } = useLoad(() => api.opsUserPromotions(session, userId), [session, userId, version], "Could not load their promotions.");
  const now = useNow(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div data-testid="ops-user-promotions">
      <h3 className="mb-1 font-medium">Promotions</h3>
      {(error ?? loadError) && <Notice kind="error" testId="ops-user-promotion-error">{error ?? loadError}</Notice>}
      {promotions?.length === 0 && <p className="text-sm text-slate-600">None.</p>}
      {promotions && promotions.length > 0 && (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Their promotions">
          {promotions.map((p: RiderPromotion) => (
            <PromotionRow key={p.code} promotion={p} now={now} />
          ))}
        </ul>
      )}
      <div className="mt-2">
        <PromotionCodeForm
          label="Give a promotion (its code)"
          action="Give"
          testIds={{ input: "ops-user-promotion-code", submit: "ops-user-promotion-give" }}
          submit={async (code) => {
            setData(await api.opsGivePromotion(session, userId, code));
            props.onGiven();
          }}
          onError={setError}
        />
      </div>
    </div>
  );
}
