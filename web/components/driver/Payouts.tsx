"use client";

import { useEffect, useRef, useState } from "react";
import { api, browserTimeZone, failureText } from "@/lib/api";
import { cashPausedText } from "@/lib/cash";
import { money } from "@/lib/format";
import { bankRefusalText, owedAmounts, owedMoney, payoutDay, payoutKind, payoutStatus, payoutWhen } from "@/lib/payouts";
import type { BankRefusal, DriverPayouts, Payout, PayoutFailed, PayoutPaid } from "@/lib/payouts";
import type { ServerMessage, Session } from "@/lib/types";
import { useStaleGuard } from "@/lib/useStaleGuard";
import { Button, Card, Notice } from "../ui";

/**
 * After each occasion to read again, read once more this much later: a trip's earnings reach payments a moment after the
 * trip completes or is paid (and the provider's confirmation of a bank account may land a moment after the browser does).
 */
const laterReadsMs = [1_500, 5_000];

/**
 * A driver's payouts (ADR 0025): the bank account their earnings are paid to every Monday (given on the payment
 * provider's page, which sends the browser back here with ?payouts=ready or ?payouts=cancelled), what is owed to them,
 * cashing it out now, and the recent payouts. Read again when <paramref name="version"/> changes (the earnings did) and
 * on <paramref name="message"/>: payout.paid and payout.failed are said, any other (payout.bank_refused,
 * payout.bank_refusal_cleared, a reconnect's snapshot) reads again. A payout the driver's bank refused is a warning with the button to update the bank account
 * (the mail about it links here with ?payouts=update), until the provider pays one again.
 */
export function Payouts({ session, version, message }: { session: Session; version: number; message: ServerMessage | null }) {
  const [view, setView] = useState<DriverPayouts | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** undefined until the address was read (once: it is then cleaned, so a reload does not say it again). */
  const [arrival, setArrival] = useState<"ready" | "cancelled" | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const staleness = useStaleGuard();
  const section = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const url = new URL(window.location.href);
    const outcome = url.searchParams.get("payouts");
    const back = outcome === "ready" || outcome === "cancelled" ? outcome : null;
    setArrival((first) => (first === undefined ? back : first));
    if (!back && outcome !== "update") return;
    url.searchParams.delete("payouts");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    section.current?.scrollIntoView({ block: "start" });
  }, []);

  useEffect(() => {
    if (message?.type === "payout.paid") {
      const paid = message.data as PayoutPaid;
      setNotice(`Payout of ${money(paid)} on its way to ${paid.destination}`);
      setError(null);
    } else if (message?.type === "payout.failed") {
      const failed = message.data as PayoutFailed;
      setError(`Your payout of ${money(failed)} could not be made (${failed.reason}): the money is still yours`);
    }
  }, [message]);

  useEffect(() => {
    if (arrival === undefined) return;
    const read = async () => {
      const isNewest = staleness.beginRead();
      try {
        const found = await api.payouts(session);
        if (!isNewest()) return;
        setView(found);
        setLoadError(null);
      } catch (e) {
        if (isNewest()) setLoadError(failureText(e));
      }
    };
    void read();
    const timers = laterReadsMs.map((ms) => setTimeout(() => void read(), ms));
    return () => {
      staleness.changed(); // a read still on its way is for what was on screen before
      timers.forEach(clearTimeout);
    };
  }, [session, version, message, arrival, staleness]);

  /** The provider's page, to give (or change) the bank account; it sends the browser back to /driver?payouts=…. */
  async function setUp() {
    setBusy(true);
    setError(null);
    try {
      window.location.assign((await api.setUpPayouts(session)).url);
    } catch (e) {
      setError(failureText(e));
      setBusy(false);
    }
  }

  async function cashOut() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      staleness.afterAction(setView)(await api.cashOut(session));
    } catch (e) {
      setError(failureText(e));
      // Started but not answered by the provider (502): it shows as pending.
      api.payouts(session).then(staleness.afterAction(setView), () => undefined);
    } finally {
      setBusy(false);
    }
  }

  const account = view?.account;
  return (
    <div ref={section} className="scroll-mt-4">
      <Card title="Payouts" testId="payouts">
        <div className="flex flex-col gap-3 text-sm">
          {arrival === "ready" && view && (
            <Notice kind="success" testId="payouts-ready">
              {account?.status === "enabled" && account.destination
                ? `Bank account saved: payouts go to ${account.destination}`
                : "Bank account saved: it is confirmed in a moment."}
            </Notice>
          )}
          {arrival === "cancelled" && <Notice testId="payouts-cancelled">No bank account was saved.</Notice>}
          {notice && (
            <Notice kind="success" testId="payouts-notice">
              {notice}
            </Notice>
          )}
          {(error ?? loadError) && (
            <Notice kind="error" testId="payouts-error">
              {error ?? loadError}
            </Notice>
          )}
          {!view ? (
            !loadError && <p className="text-slate-600">Loading…</p>
          ) : (
            <>
              {!account ? (
                <p>Get paid: add the bank account your earnings go to.</p>
              ) : account.status !== "enabled" ? (
                <p>Your bank account is not confirmed yet: finish on the payment provider&apos;s page, and your earnings are paid to it every Monday.</p>
              ) : (
                <p data-testid="payouts-schedule">
                  Paid every Monday to <strong>{account.destination}</strong>
                  {account.nextPayoutAt && ` · next: ${payoutDay(account)}`}
                  {account.nextPayoutAt && account.timeZone !== (browserTimeZone() ?? "UTC") && ` (00:00 ${account.timeZone}, your account's time zone)`}
                </p>
              )}
              {account?.bankRefusal && <BankRefused refusal={account.bankRefusal} busy={busy} onUpdate={() => void setUp()} />}
              <OwedToYou view={view} />
              <CashRidesPaused view={view} />
              {account?.status === "enabled" ? (
                <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                  <Button disabled={busy || view.cashOut.refusal !== null} onClick={() => void cashOut()} aria-describedby={view.cashOut.refusal ? "cash-out-refusal" : undefined}>
                    Cash out now
                  </Button>
                  {view.cashOut.refusal && (
                    <span id="cash-out-refusal" className="text-slate-600" data-testid="cash-out-refusal">
                      {view.cashOut.refusal}
                    </span>
                  )}
                  <button type="button" className="text-blue-700 underline disabled:opacity-50" disabled={busy} onClick={() => void setUp()}>
                    Change bank account
                  </button>
                </div>
              ) : (
                <div>
                  <Button disabled={busy} onClick={() => void setUp()}>
                    {account ? "Finish setting up payouts" : "Set up payouts"}
                  </Button>
                </div>
              )}
              <RecentPayouts payouts={view.payouts} testId="payout-row" />
            </>
          )}
        </div>
      </Card>
    </div>
  );
}

/** The driver's bank refused a payout the provider sent it: why, and the provider's page to give another bank account. */
function BankRefused({ refusal, busy, onUpdate }: { refusal: BankRefusal; busy: boolean; onUpdate: () => void }) {
  return (
    <div className="flex flex-col items-start gap-2 rounded-md bg-amber-50 p-3 text-amber-950" data-testid="payout-bank-refused">
      <p role="alert">
        {bankRefusalText(refusal)} Update your bank account: the money waits with the payment provider, which pays it again to the new one.
      </p>
      <Button disabled={busy} onClick={onUpdate}>
        Update bank account
      </Button>
    </div>
  );
}

/** "Owed to you: $12.34" per currency, or what the driver owes (a fare adjustment after a payout). */
function OwedToYou({ view }: { view: DriverPayouts }) {
  const owed = owedAmounts(view);
  if (owed.length === 0) return view.account?.status === "enabled" ? <p data-testid="payouts-owed">Nothing is owed to you now.</p> : null;
  return (
    <ul data-testid="payouts-owed">
      {owed.map((o) => (
        <li key={o.currency}>
          {o.amountMinor > 0 ? (
            <>
              Owed to you: <strong>{owedMoney(o)}</strong>
            </>
          ) : (
            `You owe ${owedMoney(o)} (taken from your next earnings)`
          )}
        </li>
      ))}
    </ul>
  );
}

/** Cash rides paused (ADR 0042): what the driver owes from them, the limit, and what resumes them; nothing when not paused. */
function CashRidesPaused({ view }: { view: DriverPayouts }) {
  const paused = (view.cashLimits ?? []).filter((l) => l.paused);
  if (paused.length === 0) return null;
  return (
    <>
      {paused.map((l) => (
        <Notice key={l.currency} kind="error" testId="cashcap-paused">
          {cashPausedText(l)}
        </Notice>
      ))}
    </>
  );
}

/** The recent payouts, newest first: when, how much, a cash-out or Monday's, and whether it was paid (also at the desk). */
export function RecentPayouts({ payouts, testId, destination }: { payouts: Payout[]; testId: string; destination?: boolean }) {
  if (payouts.length === 0) return null;
  return (
    <table className="w-full text-left text-sm" aria-label="Recent payouts">
      <caption className="text-left font-medium">Recent payouts</caption>
      <tbody>
        {payouts.map((p) => (
          <tr key={p.id} data-testid={testId} data-status={p.status}>
            <td className="py-0.5 pr-3">{payoutWhen(p)}</td>
            <td className="py-0.5 pr-3 text-right">{money(p)}</td>
            <td className="py-0.5 pr-3 whitespace-nowrap">{payoutKind(p)}</td>
            {destination && <td className="py-0.5 pr-3 whitespace-nowrap">{p.destination ?? "—"}</td>}
            <td className={`py-0.5 ${p.status === "failed" ? "text-red-800" : ""}`}>{payoutStatus(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
