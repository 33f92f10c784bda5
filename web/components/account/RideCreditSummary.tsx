"use client";

import { api } from "@/lib/api";
import { day, money } from "@/lib/format";
import type { CreditEntry, RideCredit, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { useRealtime } from "@/lib/useSession";
import { useCallback, useState } from "react";
import { Notice } from "../ui";

/**
 * A line of ride credit in words: "Added by support: Late driver", "A ride's fare refunded as credit: Detour", "Paid
 * for a ride" (credit pays a ride's fare first, ADR 0051).
 */
function creditEntryText(entry: CreditEntry): string {
  if (entry.kind === "spent") return "Paid for a ride";
  return `${entry.kind === "refund" ? "A ride's fare refunded as credit" : "Added by support"}: ${entry.reason}`;
}

/** The balances of a rider's ride credit, one line per currency ("Ride credit: $5.00"); none yet: $0.00 in no currency shown. */
export function CreditBalances({ credit }: { credit: RideCredit }) {
  if (credit.balances.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="credit-none">
        No ride credit.
      </p>
    );
  }
  return (
    <>
      {credit.balances.map((b) => (
        <p key={b.currency} className="font-medium" data-testid="credit-balance">
          Ride credit: {money({ amountMinor: b.balanceMinor, currency: b.currency })}
        </p>
      ))}
    </>
  );
}

/** The newest lines of a rider's ride credit, newest first, each with when and why (and who, in support's view: who(by) says it). */
export function CreditEntries({ entries, who }: { entries: CreditEntry[]; who?: (by: string) => string }) {
  if (entries.length === 0) return null;
  return (
    <ul className="text-sm text-slate-700" aria-label="Ride credit">
      {entries.map((e) => (
        <li key={e.id} data-testid="credit-entry">
          {e.amountMinor > 0 ? "+" : "−"}
          {money({ amountMinor: Math.abs(e.amountMinor), currency: e.currency })} · {day(e.at)} · {creditEntryText(e)}
          {who && e.by ? ` · by ${who(e.by)}` : ""}
        </li>
      ))}
    </ul>
  );
}

/**
 * The rider's ride credit under "Payment methods" (ADR 0051): what support gave them, fares refunded as credit and what
 * paid for rides (credit pays a ride's fare first), with the balance per currency. It follows the rider's socket: credit
 * given by support, a fare refunded as credit or a ride it paid shows without a reload.
 */
export function RideCreditSummary({ session }: { session: Session }) {
  const [version, setVersion] = useState(0);
  const onMessage = useCallback((message: { type: string }) => {
    if (["snapshot", "payment.credit_added", "trip.paid", "trip.refunded"].includes(message.type)) setVersion((v) => v + 1);
  }, []);
  useRealtime(session, onMessage);
  const { data: credit, error } = useLoad(() => api.credit(session), [session, version], "Could not load your ride credit.");
  return (
    <div className="flex flex-col gap-1 rounded-md border border-slate-200 p-3" data-testid="credit">
      {error && <Notice kind="error">{error}</Notice>}
      {credit && (
        <>
          <CreditBalances credit={credit} />
          {credit.balances.some((b) => b.balanceMinor > 0) && (
            <p className="text-xs text-slate-600" data-testid="credit-how">
              Credit pays your next rides&apos; fares first (in its currency); the card is charged the rest.
            </p>
          )}
          <CreditEntries entries={credit.entries} />
        </>
      )}
    </div>
  );
}

/**
 * Under "Pay with" while booking (ADR 0051): the rider's ride credit in the prices' currency pays a personal ride's fare
 * first, the card (or link) the rest; a business ride (ADR 0034) does not use it. Nothing without credit in that currency.
 */
export function CreditPaysFirst({ credit, currency, business }: { credit: RideCredit | undefined; currency: string | undefined; business: boolean }) {
  const balance = credit?.balances.find((b) => b.currency === currency && b.balanceMinor > 0);
  if (!balance) return null;
  const amount = money({ amountMinor: balance.balanceMinor, currency: balance.currency });
  return (
    <p className="mt-1 text-xs text-slate-600" data-testid="quote-credit">
      {business ? `Your ride credit (${amount}) is not used for business rides.` : `Your ride credit (${amount}) pays first; the rest is charged as usual.`}
    </p>
  );
}
