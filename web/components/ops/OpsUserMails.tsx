"use client";

import { api } from "@/lib/api";
import type { OpsMail, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Notice } from "../ui";

const kinds: Record<string, string> = {
  receipt: "Receipt",
  "receipt-copy": "Receipt (copy)",
  "driver-statement": "Earnings statement",
  refund: "Refund",
  "ride-booked": "Ride booked",
  "ride-driver-assigned": "Driver for a booked ride",
  "ride-cancelled": "Booked ride cancelled",
  "ride-no-driver": "No driver for a booked ride",
  "ride-reminder": "Booked ride reminder",
  "ride-rescheduled": "Booked ride moved",
  "referral-reward": "Invite reward",
  "password-reset-code": "Password reset code",
  "email-confirmation-code": "Email confirmation code",
  "new-email-code": "New email code",
  "email-changed": "Email changed",
  "password-changed": "Password changed",
  "new-sign-in": "New device signed in",
  "account-closing": "Deletion asked for",
  "account-kept": "Account kept (signed in again)",
  "account-deleted": "Account deleted",
  "driver-approved": "Approved to drive",
  "driver-rejected": "Driver documents refused",
  "driver-restricted": "Approval narrowed or taken away",
  "driver-permit-lapsed": "Approval lapsed",
  "driver-documents-expiring": "Driver documents expiring",
};

/** Where a mail is: when it left, or why it has not (yet). */
function stateText(m: OpsMail): string {
  if (m.state === "sent") return `sent ${m.sentAt ? new Date(m.sentAt).toLocaleString() : ""}${m.attempts > 1 ? ` (attempt ${m.attempts})` : ""}`.trim();
  if (m.state === "failed") return `not sent: ${m.lastError ?? "given up"}`;
  if (m.attempts === 0) return "waiting to be sent";
  return `waiting: attempt ${m.attempts} failed (${m.lastError ?? "unknown error"})${m.nextAttemptAt ? `; next ${new Date(m.nextAttemptAt).toLocaleTimeString()}` : ""}`;
}

/**
 * "I never got the mail": what was mailed about an account in the last 30 days, newest first, and whether it left.
 * Never a mail's text (a code is support's to send again, not to read out). Read again when version changes.
 */
export function OpsUserMails(props: { session: Session; userId: string; version: unknown }) {
  const { session, userId, version } = props;
  const { data: mails, error } = useLoad(() => api.opsUserMails(session, userId), [session, userId, version], "Could not load the mails.");
  return (
    <div data-testid="ops-user-mails">
      <h3 className="mb-1 font-medium">Mails</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {mails === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : mails.length === 0 ? (
        <p className="text-sm text-slate-600">None in the last 30 days.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Mails">
          {mails.map((m) => (
            <li key={m.id} className="flex flex-wrap justify-between gap-2 px-1 py-2" data-testid="ops-user-mail" data-state={m.state}>
              <span>
                {new Date(m.queuedAt).toLocaleString()} · <span className="font-semibold">{kinds[m.kind] ?? m.kind}</span> · {m.subject} · to {m.to}
              </span>
              <span className={m.state === "failed" ? "text-red-700" : m.state === "queued" ? "text-amber-700" : "text-slate-600"}>{stateText(m)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
