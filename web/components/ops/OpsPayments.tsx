import { money } from "@/lib/format";
import { useOperatorNames, whoActed, type OperatorNames } from "@/lib/operatorNames";
import type { FareHoldSummary, PaymentSessionSummary, Session } from "@/lib/types";
import { Card, Notice } from "../ui";

const purposes: Record<string, string> = {
  fare: "Fare",
  cancellation_fee: "Cancellation fee",
  tip: "Tip",
  item_return: "Lost item return fee",
  split_share: "Split fare share",
};
const refundKinds: Record<string, string> = {
  goodwill: "goodwill",
  fare_adjustment: "fare adjustment",
  credit: "as ride credit",
  provider: "at the provider",
  duplicate_payment: "duplicate payment",
  tip: "tip",
  item_return: "return fee",
};

/** Who asked for a refund, as payments recorded it: a support account (you, or a colleague by name), a script, or payments itself. */
const requester = (requestedBy: string, you: string, operators: OperatorNames | null) => `by ${whoActed(requestedBy, you, operators)}`;

/**
 * How a payment collected its money: "card Visa •••• 4242" (the rider's saved card, charged by payments; "(from the
 * hold)" when taken from the money held on it at booking), or "checkout".
 */
function method(p: PaymentSessionSummary): string {
  const credit = (p.creditPaidMinor ?? 0) > 0 ? ` + ride credit ${money({ amountMinor: p.creditPaidMinor!, currency: p.currency })}` : "";
  if (p.method === "credit") return `ride credit ${money({ amountMinor: p.creditPaidMinor ?? 0, currency: p.currency })}`;
  if (p.method === "cash") return "cash";
  if (p.method !== "card") return "checkout" + credit;
  return `card ${p.cardLabel ?? ""}`.trim() + (p.fromHold ? " (from the hold)" : "") + credit;
}

/** Where a booking's hold stands, in words: "held", "captured $9.66", "released (cancelled)", "declined (card_declined)". */
function holdState(hold: FareHoldSummary): string {
  const amount = (amountMinor: number | undefined) => money({ amountMinor: amountMinor ?? 0, currency: hold.currency });
  switch (hold.status) {
    case "placing":
      return "being placed (waiting for the bank)";
    case "held":
      return "held";
    case "declined":
      return `declined (${hold.declineCode || "card_declined"})`;
    case "capturing":
      return `taking ${amount(hold.capturedMinor || hold.amountMinor)}`;
    case "captured":
      return `captured ${amount(hold.capturedMinor)}`;
    case "releasing":
      return `being released${hold.endReason ? ` (${hold.endReason})` : ""}`;
    case "released":
      return `released${hold.endReason ? ` (${hold.endReason})` : ""}`;
    default:
      return hold.status;
  }
}

/**
 * What new destinations asked of the hold (ADR 0029): " · 1 raise for a new destination", " · 2 raises for new
 * destinations, raising to $14.20", " · …, the last one declined (insufficient_funds)".
 */
function raises(hold: FareHoldSummary): string {
  const count = hold.raises ?? 0;
  const asked = count === 1 ? "1 raise for a new destination" : `${count} raises for new destinations`;
  if (hold.raisingToMinor) return ` · ${asked}, raising to ${money({ amountMinor: hold.raisingToMinor, currency: hold.currency })}`;
  if (hold.raiseDeclineCode) return ` · ${asked}, the last one declined (${hold.raiseDeclineCode})`;
  return ` · ${asked}`;
}

/** The upfront price held on the rider's card at booking (ADR 0027): how much, on which card, and what became of it. */
function Hold({ hold }: { hold: FareHoldSummary }) {
  return (
    <p className="mb-2 text-sm" data-testid="ops-payment-hold" data-status={hold.status}>
      Hold at booking: <strong>{money({ amountMinor: hold.amountMinor, currency: hold.currency })}</strong> on {hold.cardLabel} · {holdState(hold)}
      {hold.attempt > 1 ? ` · attempt ${hold.attempt}` : ""}
      {hold.raises ? <span data-testid="ops-payment-hold-raises">{raises(hold)}</span> : null}
      {hold.moves ? (
        <span data-testid="ops-payment-hold-moves">
          {hold.moves === 1 ? " · moved to another card by the rider" : ` · moved to another card ${hold.moves} times by the rider`}
        </span>
      ) : null}
      <span className="block text-xs text-slate-500">
        Placed {new Date(hold.createdAt).toLocaleString()}
        {hold.updatedAt !== hold.createdAt ? ` · last changed ${new Date(hold.updatedAt).toLocaleString()}` : ""}
      </span>
    </p>
  );
}

/**
 * A trip's payment sessions (every attempt at its fare, fee or tip) and each one's refunds, as payments records them,
 * and the hold placed on the rider's card at booking, if there was one.
 */
export function OpsPayments({
  payments,
  hold,
  error,
  session,
  names,
}: {
  payments: PaymentSessionSummary[] | null | undefined;
  hold?: FareHoldSummary | null;
  error: string | null;
  session: Session;
  /** A split fare's invitees by rider id (ADR 0040): whose share each split_share payment is. */
  names?: Map<string, string>;
}) {
  const you = session.userId;
  const operators = useOperatorNames(session, (payments ?? []).flatMap((p) => (p.refunds ?? []).map((r) => r.requestedBy)));
  return (
    <Card title="Payments" testId="ops-payments">
      {error && <Notice kind="error">{error}</Notice>}
      {hold && <Hold hold={hold} />}
      {payments === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : payments === null || payments.length === 0 ? (
        <p className="text-sm text-slate-600">No payment yet</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="pr-3 font-medium">Created</th>
                <th className="pr-3 font-medium">Purpose</th>
                <th className="pr-3 font-medium">Attempt</th>
                <th className="pr-3 font-medium">Method</th>
                <th className="pr-3 font-medium">Status</th>
                <th className="pr-3 text-right font-medium">Amount</th>
                <th className="pr-3 text-right font-medium">Refunded</th>
                <th className="font-medium">Session</th>
              </tr>
            </thead>
            {payments.map((p) => (
              <tbody key={p.sessionId} className="border-t border-slate-200" data-testid="ops-payment-session" data-status={p.status}>
                <tr>
                  <td className="pr-3">{new Date(p.createdAt).toLocaleString()}</td>
                  <td className="pr-3">
                    {purposes[p.purpose] ?? p.purpose}
                    {p.purpose === "split_share" && <span data-testid="ops-payment-split-rider"> · {names?.get(p.riderId ?? "") ?? p.riderId}</span>}
                  </td>
                  <td className="pr-3">{p.attempt}</td>
                  <td className="whitespace-nowrap pr-3" data-testid="ops-payment-method">
                    {method(p)}
                  </td>
                  <td className="pr-3 font-semibold" data-testid="ops-payment-status">
                    {p.status.replaceAll("_", " ")}
                  </td>
                  <td className="pr-3 text-right">{money({ amountMinor: p.amountMinor, currency: p.currency })}</td>
                  <td className="pr-3 text-right">{p.refundedMinor ? money({ amountMinor: p.refundedMinor, currency: p.currency }) : "—"}</td>
                  <td className="font-mono text-xs break-all">{p.sessionId}</td>
                </tr>
                {p.failureReason && (
                  <tr>
                    <td colSpan={8} className="pb-1 text-red-800">
                      {p.failureReason}
                    </td>
                  </tr>
                )}
                {(p.refunds ?? []).map((r) => (
                  <tr key={r.refundId} className="text-slate-700" data-testid="ops-payment-refund">
                    <td className="pr-3 pl-3">↳ {new Date(r.createdAt).toLocaleString()}</td>
                    <td className="pr-3">Refund, {refundKinds[r.kind] ?? r.kind}</td>
                    <td className="pr-3" />
                    <td className="pr-3" />
                    <td className="pr-3">{r.status.replaceAll("_", " ")}</td>
                    <td className="pr-3 text-right">
                      −{money({ amountMinor: r.amountMinor, currency: p.currency })}
                      {r.kind !== "credit" && (r.creditMinor ?? 0) > 0 && (
                        <span className="block text-xs text-slate-500" data-testid="ops-payment-refund-credit">
                          {money({ amountMinor: r.creditMinor!, currency: p.currency })} as ride credit
                        </span>
                      )}
                    </td>
                    <td colSpan={2}>
                      {r.reason ?? ""}
                      {r.requestedBy && (
                        <span className="block text-xs text-slate-500" data-testid="ops-payment-refund-by">
                          {requester(r.requestedBy, you, operators)}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </Card>
  );
}
