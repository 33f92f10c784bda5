"use client";

import { useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api";
import { money, toMinorUnits } from "@/lib/format";
import type { PaymentSessionSummary, RefundKind, RefundResult, Session, Trip } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

const paidAndLeft = (p: PaymentSessionSummary) => p.status === "succeeded" || p.status === "partially_refunded";
/** What the rider paid with a payment: what was charged and what their ride credit paid before it (ADR 0051). */
const paidTotal = (p: PaymentSessionSummary) => p.amountMinor + (p.creditPaidMinor ?? 0);
/** The charges of their own after the fare, each refunded by the kind of the same name: a tip paid on its own, a lost item's return fee. */
const ownCharges: RefundKind[] = ["tip", "item_return"];
/** The charge a refund of this kind gives back: a tip paid on its own for kind tip, a return fee for item_return, else the fare (or cancellation fee). */
const chargeFor = (payments: PaymentSessionSummary[], kind: RefundKind) =>
  payments.find(
    (p) => paidAndLeft(p) && (ownCharges.includes(kind) ? p.purpose === kind : !ownCharges.includes(p.purpose as RefundKind) && p.purpose !== "split_share"),
  );
/** A split fare's shares its invitees paid (ADR 0040): a refund of the fare is shared among them and the rider's payment. */
const sharesPaid = (payments: PaymentSessionSummary[]) => payments.filter((p) => p.purpose === "split_share" && paidAndLeft(p));

/** A refund's id: 32 hex digits (works outside secure contexts too, where randomUUID is missing). */
const newRefundId = () =>
  typeof crypto.randomUUID === "function"
    ? crypto.randomUUID().replaceAll("-", "")
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** An answer that may not be the last word on the request: sent again with the same refundId, it cannot refund twice. */
const mayHaveRefunded = (e: unknown) =>
  !(e instanceof ApiError) || e.status >= 500 || (e.status === 409 && e.type.endsWith("idempotency-key-in-progress"));

/**
 * Gives (part of) a trip's paid charge back to the rider: goodwill (the platform pays) or a fare adjustment (the driver
 * earns as if the fare had been lower), the fare as ride credit instead of to the card (ADR 0051; the only refund of a
 * fare paid in cash), a tip paid on its own or a lost item's return fee (the driver no longer earns
 * it). Shown while one of these is paid and not all refunded yet. A split fare's refund (ADR 0040) is shared by payments
 * among the riders who paid it: the form says so and counts every share's payment in what can be refunded.
 */
export function OpsRefundForm(props: {
  session: Session;
  trip: Trip;
  payments: PaymentSessionSummary[];
  onRefunded: (result: RefundResult, refundedBefore: number) => void;
}) {
  const { session, trip } = props;
  const [amount, setAmount] = useState("");
  const [kind, setKind] = useState<RefundKind>("goodwill");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RefundResult | null>(null);
  /**
   * The submission whose outcome is not known (a network error, a server error): the same form sent again reuses its
   * refundId, so the refund is made once; a changed form is a new refund with a new id.
   */
  const unsettled = useRef<{ request: string; refundId: string } | null>(null);

  const fare = chargeFor(props.payments, "goodwill");
  const tip = chargeFor(props.payments, "tip");
  const returnFee = chargeFor(props.payments, "item_return");
  // The kind chosen applies while its charge can still be refunded; otherwise the first whose charge can.
  // A fare paid in cash went to the driver: it comes back only as ride credit (ADR 0051).
  const cashFare = fare?.method === "cash";
  const available: RefundKind[] = [
    ...(fare ? (cashFare ? (["credit"] as const) : (["goodwill", "fare_adjustment", "credit"] as const)) : []),
    ...(tip ? (["tip"] as const) : []),
    ...(returnFee ? (["item_return"] as const) : []),
  ];
  const shownKind: RefundKind = available.includes(kind) ? kind : (available[0] ?? "goodwill");
  const paid = chargeFor(props.payments, shownKind);
  const names = new Map((trip.split?.invitees ?? []).map((i) => [i.riderId, i.name]));
  const refunded = result && (
    <Notice kind="success" testId="ops-refund-result">
      Refunded {money({ amountMinor: result.amountMinor, currency: result.currency })}
      {result.kind === "credit" || (result.creditMinor ?? 0) >= result.amountMinor
        ? " as ride credit"
        : (result.creditMinor ?? 0) > 0
          ? `: ${money({ amountMinor: result.amountMinor - result.creditMinor!, currency: result.currency })} to the card, ${money({ amountMinor: result.creditMinor!, currency: result.currency })} as ride credit`
          : ""}
      {result.parts && result.parts.length > 0
        ? `: ${result.parts
            .map((part) => `${money({ amountMinor: part.amountMinor, currency: result.currency })} to ${names.get(part.riderId) ?? "the rider"}`)
            .join(", ")}`
        : ""}
    </Notice>
  );
  if (!paid) {
    // Nothing (more) to refund: a refund just made of all that was left is still confirmed.
    return refunded ? (
      <Card title="Refund" testId="ops-refund">
        {refunded}
      </Card>
    ) : null;
  }
  // Ride credit goes to the rider whose payment it is: a split fare's invitees keep their shares (ADR 0051).
  const shares = paid.purpose === "split_share" || ownCharges.includes(shownKind) || shownKind === "credit" ? [] : sharesPaid(props.payments);
  const left = [paid, ...shares].reduce((sum, p) => sum + paidTotal(p) - (p.refundedMinor ?? 0), 0);
  // Ride credit paid part of it (ADR 0051): a refund goes to the card as far as the card paid, the rest back to credit.
  const byCredit = shownKind !== "credit" && (paid.creditPaidMinor ?? 0) > 0;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!paid) return;
    setError(null);
    setResult(null);
    const typed = amount.trim();
    const amountMinor = typed === "" ? undefined : toMinorUnits(typed, paid.currency);
    if (amountMinor === null) {
      setError(`Type the amount in ${paid.currency}, e.g. 1.00, or leave it blank to refund all that is left.`);
      return;
    }
    const why = reason.trim();
    if (!why) {
      setError("Say why the rider gets this refund.");
      return;
    }
    const request = JSON.stringify({ amountMinor, kind: shownKind, reason: why });
    const refundId = unsettled.current?.request === request ? unsettled.current.refundId : newRefundId();
    unsettled.current = { request, refundId };
    const refundedBefore = trip.receipt?.refunded?.amountMinor ?? 0;
    setBusy(true);
    try {
      const done = await api.refund(session, trip.tripId, { amountMinor, kind: shownKind, reason: why, refundId });
      unsettled.current = null;
      setResult(done);
      setAmount("");
      setReason("");
      props.onRefunded(done, refundedBefore);
    } catch (e) {
      if (!mayHaveRefunded(e)) unsettled.current = null;
      const uncertain = "The refund may or may not have been made: refund again to retry it (it is made only once).";
      setError(e instanceof ApiError ? (mayHaveRefunded(e) ? `${e.message} ${uncertain}` : e.message) : `Could not reach UberClone. ${uncertain}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Refund" testId="ops-refund">
      <form onSubmit={submit} className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">
          {paid.purpose === "tip" ? "Tip paid" : paid.purpose === "item_return" ? "Return fee paid" : "Paid"} {money({ amountMinor: paidTotal(paid), currency: paid.currency })}
          {(paid.creditPaidMinor ?? 0) > 0 ? ` (${money({ amountMinor: paid.creditPaidMinor!, currency: paid.currency })} with ride credit)` : ""}
          {paid.refundedMinor ? `, ${money({ amountMinor: paid.refundedMinor, currency: paid.currency })} refunded so far` : ""}: up to{" "}
          {money({ amountMinor: left, currency: paid.currency })} can be refunded{" "}
          {shownKind === "credit"
            ? "as the rider's ride credit"
            : byCredit
              ? paid.method === "credit"
                ? "back to the rider's ride credit, which paid it"
                : "to the rider's card as far as it paid, the rest back to their ride credit"
              : `to ${shares.length > 0 ? "the riders' cards" : "the rider's card"}`}
          .
          {shares.length > 0 && (
            <span className="block" data-testid="ops-refund-split">
              The fare was split: {shares.map((p) => `${names.get(p.riderId ?? "") ?? "another rider"} paid ${money({ amountMinor: p.amountMinor, currency: p.currency })}`).join(", ")}.
              A refund is shared among the riders in proportion to what each paid.
            </span>
          )}
        </p>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={`Amount (${paid.currency})`}>
            <input
              className={inputClass}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              placeholder={`Blank: all of it (${money({ amountMinor: left, currency: paid.currency })})`}
              autoComplete="off"
              data-testid="ops-refund-amount"
            />
          </Field>
          <Field label="Kind">
            <select className={inputClass} value={shownKind} onChange={(e) => setKind(e.target.value as RefundKind)} data-testid="ops-refund-kind">
              {fare && !cashFare && <option value="goodwill">Goodwill (the platform pays)</option>}
              {fare && !cashFare && <option value="fare_adjustment">Fare adjustment (the driver earns less)</option>}
              {fare && <option value="credit">As ride credit, not to the card (the platform pays)</option>}
              {tip && <option value="tip">The tip paid after the ride (the driver no longer earns it)</option>}
              {returnFee && <option value="item_return">The lost item&apos;s return fee (the driver no longer earns it)</option>}
            </select>
          </Field>
        </div>
        <Field label="Reason">
          <textarea className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} rows={2} data-testid="ops-refund-reason" />
        </Field>
        {error && <Notice kind="error">{error}</Notice>}
        {refunded}
        <Button type="submit" disabled={busy} className="self-start" data-testid="ops-refund-submit">
          {busy ? "Refunding…" : "Refund"}
        </Button>
      </form>
    </Card>
  );
}
