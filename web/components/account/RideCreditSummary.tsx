"use client";

import { api } from "@/lib/api";
import { day, money } from "@/lib/format";
import type { CreditEntry, RideCredit, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
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

/** The newest lines of a rider's ride credit, newest first, each with when and why (and who, in support's view). */
export function CreditEntries({ entries, showWho = false }: { entries: CreditEntry[]; showWho?: boolean }) {
  if (entries.length === 0) return null;
  return (
    <ul className="text-sm text-slate-700" aria-label="Ride credit">
      {entries.map((e) => (
        <li key={e.id} data-testid="credit-entry">
          {e.amountMinor > 0 ? "+" : "−"}
          {money({ amountMinor: Math.abs(e.amountMinor), currency: e.currency })} · {day(e.at)} · {creditEntryText(e)}
          {showWho && e.by ? ` · by ${e.by}` : ""}
        </li>
      ))}
    </ul>
  );
}

/**
 * The rider's ride credit under "Payment methods" (ADR 0051): what support gave them, fares refunded as credit and what
 * paid for rides (credit pays a ride's fare first), with the balance per currency.
 */
export function RideCreditSummary({ session }: { session: Session }) {
  const { data: credit, error } = useLoad(() => api.credit(session), [session], "Could not load your ride credit.");
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
