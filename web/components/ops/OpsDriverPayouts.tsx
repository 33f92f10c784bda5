"use client";

import { api } from "@/lib/api";
import { cashPausedText } from "@/lib/cash";
import { bankRefusalText, owedAmounts, owedMoney, payoutDay } from "@/lib/payouts";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { RecentPayouts } from "../driver/Payouts";
import { Notice } from "../ui";

/**
 * A driver's payouts on their card at the desk (ADR 0025), read-only, to answer "where is my money?": the bank account
 * it is paid to and when next, what is owed to them, a payout their bank refused (until one is paid again), and the recent
 * payouts (a failed one says the provider's reason).
 * The driver sets up their bank account and cashes out themselves.
 */
export function OpsDriverPayouts({ session, driverId, version }: { session: Session; driverId: string; version: unknown }) {
  const { data: view, error } = useLoad(() => api.opsDriverPayouts(session, driverId), [session, driverId, version], "Could not load their payouts.");
  const account = view?.account;
  return (
    <div data-testid="ops-driver-payouts">
      <h3 className="mb-1 font-medium">Payouts</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {view && (
        <div className="flex flex-col gap-2 text-sm">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
            <dt className="text-slate-600">Bank account</dt>
            <dd data-testid="ops-payouts-account">
              {!account
                ? "None: they have not set up payouts"
                : account.status !== "enabled"
                  ? "Being set up: not confirmed yet, nothing is paid out"
                  : `${account.destination ?? "—"}, paid every Monday${account.nextPayoutAt ? ` (next: ${payoutDay(account)}, 00:00 ${account.timeZone})` : ""}`}
            </dd>
            <dt className="text-slate-600">Owed</dt>
            <dd data-testid="ops-payouts-owed">
              {owedAmounts(view).length === 0
                ? "Nothing"
                : owedAmounts(view)
                    .map((o) => (o.amountMinor > 0 ? owedMoney(o) : `they owe ${owedMoney(o)} (taken from their next earnings)`))
                    .join(" + ")}
            </dd>
          </dl>
          {account?.bankRefusal && (
            <p className="font-medium text-amber-900" data-testid="ops-payout-bank-refused">
              {bankRefusalText(account.bankRefusal, "support")}
            </p>
          )}
          {(view.cashLimits ?? [])
            .filter((l) => l.paused)
            .map((l) => (
              <p key={l.currency} className="font-medium text-red-800" data-testid="cashcap-ops-paused">
                {cashPausedText(l, "they")}
              </p>
            ))}
          {view.payouts.length === 0 ? <p className="text-slate-600">No payouts yet.</p> : <RecentPayouts payouts={view.payouts} testId="ops-payout-row" destination />}
        </div>
      )}
    </div>
  );
}
