"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import type { RiderPromotion, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import { PromotionRow } from "../account/Promotions";
import { Button, Field, Notice, inputClass } from "../ui";

/**
 * A rider's promotions on their card: "my promotion did not apply" is answered by what they hold (rides left, expiry),
 * and a rider owed goodwill is given a promotion the desk created, as if they had added its code.
 */
export function OpsUserPromotions(props: { session: Session; userId: string; version: unknown; onGiven: () => void }) {
  const { session, userId, version } = props;
  const { data: promotions, setData, error: loadError } = useLoad(() => api.opsUserPromotions(session, userId), [session, userId, version], "Could not load their promotions.");
  const now = useNow(false);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function give(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setData(await api.opsGivePromotion(session, userId, code.trim()));
      setCode("");
      props.onGiven();
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

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
      <form className="mt-2 flex flex-wrap items-end gap-2" onSubmit={give}>
        <div className="min-w-48 flex-1">
          <Field label="Give a promotion (its code)">
            <input
              className={`${inputClass} font-mono uppercase`}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
              maxLength={20}
              autoComplete="off"
              spellCheck={false}
              data-testid="ops-user-promotion-code"
            />
          </Field>
        </div>
        <Button type="submit" disabled={busy || !code.trim()} data-testid="ops-user-promotion-give">
          Give
        </Button>
      </form>
    </div>
  );
}
