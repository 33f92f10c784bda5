"use client";

import { api } from "@/lib/api";
import { money } from "@/lib/format";
import { notAnAccount } from "@/lib/operatorNames";
import type { AuditSubject, Session, SupportAction } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Card, Notice } from "../ui";

const refundKinds: Record<string, string> = { goodwill: "goodwill", fare_adjustment: "fare adjustment", provider: "at the provider", duplicate_payment: "duplicate payment", tip: "the tip", item_return: "the lost item's return fee", credit: "as ride credit" };

/** What a support action did, in words ("Refunded $2.00 (fare adjustment)"). */
export function describeAction(a: SupportAction): string {
  switch (a.action) {
    case "trip.cancelled":
      return "Cancelled the trip";
    case "trip.completed":
      return "Ended the ride";
    case "payment.refunded": {
      const amount = a.amountMinor != null ? money({ amountMinor: a.amountMinor, currency: a.currency ?? "USD" }) : "what was left";
      return `Refunded ${amount}${a.kind ? ` (${refundKinds[a.kind] ?? a.kind})` : ""}`;
    }
    case "payment.waived":
      return "Waived what the rider owed";
    case "payment.waiver_requested":
      return "Asked a colleague to approve waiving what the rider owed";
    case "payment.waiver_approved":
      return "Approved a colleague's waiver of what the rider owed";
    case "payment.waiver_declined":
      return "Withdrew or declined a waiver awaiting approval";
    case "help.answered":
      return "Answered a help request";
    case "help.closed":
      return "Closed a help request";
    case "user.suspended":
      return "Suspended the account";
    case "user.reinstated":
      return "Reinstated the account";
    case "user.signed_out_everywhere":
      return "Signed the account out on every device";
    case "user.password_reset_sent":
      return "Mailed a password reset code";
    case "user.deletion_requested":
      return "Deleted the account for its owner";
    case "user.kept":
      return "Kept the account (its deletion called off)";
    case "user.two_step_turned_off":
      return "Turned off the account's 2-step verification";
    case "operator.added":
      return "Added a support colleague";
    case "promotion.created":
      return "Created a promotion";
    case "promotion.ended":
      return "Ended a promotion";
    case "promotion.given":
      return "Gave the rider a promotion";
    case "quest.created":
      return "Created a quest";
    case "quest.ended":
      return "Ended a quest";
    case "driver.approved":
      return "Approved a driver";
    case "driver.rejected":
      return "Rejected a driver's documents";
    case "driver.restricted":
      return "Narrowed or took away a driver's approval";
    case "driver.deactivated_for_rating":
      return "Took the driver's approval away for their rating";
    case "rider.rating_reinstated":
      return "Reinstated the rider restricted for their rating";
    case "card.removed":
      return "Removed one of the rider's saved cards";
    case "reservation.strike_removed":
      return "Removed a reservation strike";
    case "credit.granted":
      return `Gave ${a.amountMinor != null ? money({ amountMinor: a.amountMinor, currency: a.currency ?? "USD" }) : ""} ride credit`;
    default:
      return `${a.method} ${a.path}`;
  }
}

/** Who did it: you, a colleague by name, a script with the payments operator key, or no account (the system's rule, ADR 0055). */
function who(a: SupportAction, you: string): string {
  if (a.byOperatorKey) return "a script (operator key)";
  const service = notAnAccount(a.operatorId);
  if (service) return service;
  if (a.operatorId === you) return "you";
  return a.operatorName ?? `support account ${a.operatorId}`;
}

/**
 * The audit trail of a trip, of an account (what support did to it and to the trips it rode or drove), or of one
 * operator (what they did): who did what, when and why. Read again when version changes (after the desk's own actions on the page).
 */
export function OpsSupportActions(props: { session: Session; about: AuditSubject; version: unknown; asCard?: boolean; title?: string }) {
  const { session, about, version } = props;
  const title = props.title ?? "Support actions";
  const key = "tripId" in about ? `t:${about.tripId}` : "userId" in about ? `u:${about.userId}` : `o:${about.operatorId}`;
  const { data: actions, error } = useLoad(() => api.opsAudit(session, about), [session, key, version], "Could not load what support did here.");
  const content = (
    <>
      {error && <Notice kind="error">{error}</Notice>}
      {actions === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : actions.length === 0 ? (
        <p className="text-sm text-slate-600">Support has not changed anything here.</p>
      ) : (
        <ul className="space-y-1 text-sm" aria-label={title}>
          {actions.map((a) => (
            <li key={a.id} data-testid="ops-action-row" data-action={a.action}>
              <span className="text-slate-600">{new Date(a.at).toLocaleString()}</span> · <strong>{describeAction(a)}</strong> by {who(a, session.userId)}
              {!("tripId" in about) && a.tripId && <span className="text-slate-600"> (trip {a.tripId})</span>}
              {"operatorId" in about && !a.tripId && a.userId && <span className="text-slate-600"> (account {a.userId})</span>}
              {a.reason && <span className="block pl-4 text-slate-700">“{a.reason}”</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
  return props.asCard ? (
    <Card title={title} testId="ops-actions">
      {content}
    </Card>
  ) : (
    <div data-testid="ops-actions">
      <h3 className="mb-1 font-medium">{title}</h3>
      {content}
    </div>
  );
}
