"use client";

import { useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api";
import { money, toMinorUnits } from "@/lib/format";
import { useOperatorNames, whoActed } from "@/lib/operatorNames";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { CreditBalances, CreditEntries } from "../account/RideCreditSummary";
import { Button, Notice, inputClass } from "../ui";

/** A grant's id: 32 hex digits (works outside secure contexts too, where randomUUID is missing). */
const newGrantId = () =>
  typeof crypto.randomUUID === "function"
    ? crypto.randomUUID().replaceAll("-", "")
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A rider's ride credit on their card at the desk (ADR 0051), and "Give ride credit": an amount (at most the configured
 * cap) and why — the rider is told it, and the trail keeps it. A retried grant whose answer was lost reuses its id, so
 * it is added once.
 */
export function OpsUserCredit({ session, userId, version, onGiven }: { session: Session; userId: string; version: unknown; onGiven?: () => void }) {
  const { data: credit, setData: setCredit, error } = useLoad(() => api.opsUserCredit(session, userId), [session, userId, version], "Could not load their ride credit.");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [given, setGiven] = useState<string | null>(null);
  const unsettled = useRef<{ request: string; grantId: string } | null>(null);
  const currency = credit?.currency ?? "USD";
  const names = useOperatorNames(session, (credit?.entries ?? []).map((e) => e.by));

  async function give(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    setGiven(null);
    const amountMinor = toMinorUnits(amount, currency);
    if (amountMinor === null) {
      setFailure(`Type the amount in ${currency}, e.g. 5.00.`);
      return;
    }
    const why = reason.trim();
    const request = JSON.stringify({ amountMinor, why });
    const grantId = unsettled.current?.request === request ? unsettled.current.grantId : newGrantId();
    unsettled.current = { request, grantId };
    setBusy(true);
    try {
      setCredit(await api.opsGiveCredit(session, userId, { amountMinor, currency, reason: why, grantId }));
      unsettled.current = null;
      setGiven(`Gave ${money({ amountMinor, currency })} ride credit.`);
      setAmount("");
      setReason("");
      onGiven?.();
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) unsettled.current = null;
      setFailure(e instanceof Error ? e.message : "Could not give the credit.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="ops-user-credit">
      <h3 className="mb-1 font-medium">Ride credit</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {credit && (
        <div className="flex flex-col gap-1 text-sm">
          <CreditBalances credit={credit} />
          <CreditEntries entries={credit.entries} who={(by) => whoActed(by, session.userId, names)} />
          <form className="mt-1 flex flex-wrap items-center gap-2" onSubmit={give} aria-label="Give ride credit">
            <input
              className={inputClass}
              inputMode="decimal"
              aria-label={`Amount (${currency})`}
              placeholder={`Amount, up to ${money({ amountMinor: credit.maxGrantMinor, currency })}`}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              autoComplete="off"
              data-testid="credit-give-amount"
            />
            <input
              className={inputClass}
              aria-label="Why (the rider is told)"
              placeholder="Why (the rider is told)"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              data-testid="credit-give-reason"
            />
            <Button type="submit" disabled={busy || amount.trim() === "" || reason.trim() === ""} data-testid="credit-give">
              {busy ? "Giving…" : "Give ride credit"}
            </Button>
          </form>
          {given && (
            <Notice kind="success" testId="credit-given">
              {given}
            </Notice>
          )}
          {failure && <Notice kind="error">{failure}</Notice>}
        </div>
      )}
    </div>
  );
}
