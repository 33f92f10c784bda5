"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import { useDeletionGrace, useLoad } from "@/lib/useLoad";
import { acceptance, clockTime, money, ordinal, point } from "@/lib/format";
import { helpStatusLabels, helpTopicLabel } from "@/lib/help";
import type { DriverState, OpsUser, Session } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";
import { OpsDriverApproval } from "./OpsDriverApproval";
import { OpsSupportActions } from "./OpsSupportActions";
import { OpsUserMails } from "./OpsUserMails";
import { OpsUserSessions } from "./OpsUserSessions";
import { OpsUserCards } from "./OpsUserCards";
import { OpsUserCredit } from "./OpsUserCredit";
import { OpsDriverPayouts } from "./OpsDriverPayouts";
import { OpsDriverReservations } from "./OpsDriverReservations";
import { OpsUserPromotions } from "./OpsUserPromotions";
import { OpsUserSchedules } from "./OpsUserSchedules";
import { OpsDriverRating } from "./OpsDriverRating";
import { OpsRiderRating } from "./OpsRiderRating";

/** A rider's or a driver's account, and their trips (newest first): a row opens the trip. Read again when version changes. */
export function OpsUserCard(props: { session: Session; userId: string; known: OpsUser | null; version: number; onOpenTrip: (tripId: string) => void }) {
  const { session, userId, version } = props;
  const [actionsVersion, setActionsVersion] = useState(0);
  const { data: user, setData: setUser, error } = useLoad(() => api.opsUser(session, userId), [session, userId, version], "Could not load this user.", {
    initial: props.known ?? undefined,
  });
  // The trips once the role is known: a driver's are the ones they drove, a rider's the ones they booked.
  const role = user?.role;
  const { data: trips, error: tripsError } = useLoad(role ? () => api.opsTrips(session, { userId, role }) : null, [session, userId, role, version], "Could not load the trips.");
  const { data: help, error: helpError } = useLoad(role && role !== "operator" ? () => api.userHelp(session, userId) : null, [session, userId, role, version],
    "Could not load the help requests.");

  return (
    <Card title="User" testId="ops-user">
      {error && <Notice kind="error">{error}</Notice>}
      {!user ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <div className="flex flex-col gap-3">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Name</dt>
            <dd className="font-semibold" data-testid="ops-user-name">
              {user.name}
            </dd>
            <dt className="text-slate-600">Email</dt>
            <dd data-testid="ops-user-email">{user.email || "—"}</dd>
            {/* Receipts and ride notices are mailed only to a confirmed address (the code mailed at sign-up). */}
            {user.email && !user.deletedAt && (
              <>
                <dt className="text-slate-600">Email confirmed</dt>
                <dd data-testid="ops-user-email-confirmed">{user.emailVerifiedAt ? new Date(user.emailVerifiedAt).toLocaleString() : "Not yet: receipts are not mailed"}</dd>
              </>
            )}
            {!user.deletedAt && (
              <>
                <dt className="text-slate-600">2-step verification</dt>
                <dd data-testid="ops-user-two-step">
                  {user.twoStepSince
                    ? `On since ${new Date(user.twoStepSince).toLocaleString()} · ${user.recoveryCodesLeft ?? 0} recovery ${user.recoveryCodesLeft === 1 ? "code" : "codes"} left`
                    : "Off"}
                </dd>
              </>
            )}
            <dt className="text-slate-600">Role</dt>
            <dd data-testid="ops-user-role">{user.role}</dd>
            <dt className="text-slate-600">User id</dt>
            <dd className="font-mono break-all" data-testid="ops-user-id">
              {user.userId}
            </dd>
            <dt className="text-slate-600">Created</dt>
            <dd>{user.createdAt ? new Date(user.createdAt).toLocaleString() : "—"}</dd>
            {user.vehicle && (
              <>
                <dt className="text-slate-600">Vehicle</dt>
                <dd data-testid="ops-user-vehicle">
                  {user.vehicle.make} {user.vehicle.model}, {user.vehicle.colour} · <span className="font-mono">{user.vehicle.plate}</span> · {user.vehicle.class}
                </dd>
              </>
            )}
          </dl>
          {user.suspension && (
            <Notice kind="error" testId="ops-user-suspended">
              Suspended {new Date(user.suspension.at).toLocaleString()}: {user.suspension.reason}
            </Notice>
          )}
          {user.eraseAt && !user.deletedAt && (
            <Notice kind="error" testId="ops-user-deleting">
              Asked to delete their account{user.deletionRequestedAt ? ` on ${new Date(user.deletionRequestedAt).toLocaleString()}` : ""}: erased on{" "}
              {new Date(user.eraseAt).toLocaleString()} unless they sign in before (which keeps it).
            </Notice>
          )}
          {user.deletedAt ? (
            // Its trips, help requests and what support did stay (receipts, safety reports); there is nobody left to act on.
            <Notice testId="ops-user-deleted">Deleted their account on {new Date(user.deletedAt).toLocaleString()}</Notice>
          ) : (
            <>
              {/* Anyone but yourself: a colleague who left is suspended too (the desk's first account is refused by the gateway). */}
              {user.userId !== session.userId && (
                <OpsSuspend
                  session={session}
                  user={user}
                  onChanged={(changed) => {
                    setUser(changed);
                    setActionsVersion((v) => v + 1);
                  }}
                />
              )}
              <OpsSignOutEverywhere session={session} user={user} onDone={() => setActionsVersion((v) => v + 1)} />
              {!user.suspension && <OpsSendPasswordReset session={session} user={user} onDone={() => setActionsVersion((v) => v + 1)} />}
              {user.twoStepSince && (
                <OpsTurnOffTwoStep
                  session={session}
                  user={user}
                  onChanged={(changed) => {
                    setUser(changed);
                    setActionsVersion((v) => v + 1);
                  }}
                />
              )}
              {(user.role === "rider" || user.role === "driver") && (
                <OpsDeleteAccount
                  session={session}
                  user={user}
                  onChanged={(changed) => {
                    setUser(changed);
                    setActionsVersion((v) => v + 1);
                  }}
                />
              )}
            </>
          )}
          {user.driverApproval && (
            <OpsDriverApproval
              session={session}
              userId={userId}
              approval={user.driverApproval}
              onDecided={(driverApproval) => {
                setUser({ ...user, driverApproval });
                setActionsVersion((v) => v + 1);
              }}
            />
          )}
          {user.role === "driver" && <OpsDriverRating session={session} driverId={userId} version={version} />}
          {user.role === "rider" && (
            <OpsRiderRating session={session} riderId={userId} version={version} onReinstated={() => setActionsVersion((v) => v + 1)} />
          )}
          {user.role === "driver" && <OpsDriverState session={session} driverId={userId} version={version} onOpenTrip={props.onOpenTrip} />}
          <div>
            <h3 className="mb-1 font-medium">{user.role === "driver" ? "Trips driven" : "Trips booked"}</h3>
            {tripsError && <Notice kind="error">{tripsError}</Notice>}
            {trips === undefined ? (
              !tripsError && <p className="text-sm text-slate-600">Loading…</p>
            ) : trips.length === 0 ? (
              <p className="text-sm text-slate-600">No trips.</p>
            ) : (
              <ul className="divide-y divide-slate-200 text-sm" aria-label="Trips">
                {trips.map((t) => (
                  <li key={t.tripId}>
                    <button
                      type="button"
                      className="flex w-full flex-wrap justify-between gap-2 px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                      onClick={() => props.onOpenTrip(t.tripId)}
                      data-testid="ops-trip-row"
                      data-trip-id={t.tripId}
                    >
                      <span>
                        {new Date(t.createdAt).toLocaleString()} · <span className="font-semibold">{t.status.replaceAll("_", " ")}</span> · {t.vehicleClass}
                      </span>
                      <span>
                        {money(t.receipt?.amountDue?.amountMinor ? t.receipt.amountDue : t.fare)}
                        {t.receipt?.paymentStatus && t.receipt.paymentStatus !== "none" ? ` · ${t.receipt.paymentStatus.replaceAll("_", " ")}` : ""}
                        {t.receipt?.refunded?.amountMinor ? ` · ${money(t.receipt.refunded)} refunded` : ""}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          {user.role !== "operator" && (
            <div data-testid="ops-user-help">
              <h3 className="mb-1 font-medium">Help requests</h3>
              {helpError && <Notice kind="error">{helpError}</Notice>}
              {help === undefined ? (
                !helpError && <p className="text-sm text-slate-600">Loading…</p>
              ) : help.length === 0 ? (
                <p className="text-sm text-slate-600">None.</p>
              ) : (
                <ul className="divide-y divide-slate-200 text-sm" aria-label="Help requests">
                  {help.map((r) => (
                    <li key={r.requestId}>
                      <button
                        type="button"
                        className="flex w-full flex-wrap justify-between gap-2 px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                        onClick={() => props.onOpenTrip(r.tripId)}
                        data-testid="ops-user-help-row"
                        data-request-id={r.requestId}
                      >
                        <span>
                          {new Date(r.createdAt).toLocaleString()} · <span className="font-semibold">{helpTopicLabel(r.topic, r.openedByRole)}</span>
                        </span>
                        <span>{helpStatusLabels[r.status]}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {user.role === "rider" && !user.deletedAt && (
            <OpsUserCards session={session} userId={userId} version={version} onChanged={() => setActionsVersion((v) => v + 1)} />
          )}
          {user.role === "rider" && !user.deletedAt && (
            <OpsUserCredit session={session} userId={userId} version={version} onGiven={() => setActionsVersion((v) => v + 1)} />
          )}
          {/* Kept after a deletion too: what was owed to them and paid stays on record. */}
          {user.role === "driver" && <OpsDriverPayouts session={session} driverId={userId} version={version} />}
          {user.role === "driver" && (
            <OpsDriverReservations session={session} driverId={userId} version={version} onRemoved={() => setActionsVersion((v) => v + 1)} />
          )}
          {user.role === "rider" && !user.deletedAt && (
            <OpsUserPromotions session={session} userId={userId} version={version} onGiven={() => setActionsVersion((v) => v + 1)} />
          )}
          {user.role === "rider" && !user.deletedAt && <OpsUserSchedules session={session} userId={userId} version={version} />}
          {/* Signing them out everywhere empties it at once (the actions' version). */}
          {!user.deletedAt && <OpsUserSessions session={session} userId={userId} version={`${version}:${actionsVersion}`} />}
          {/* A password reset sent from here shows up at once (the actions' version). */}
          <OpsUserMails session={session} userId={userId} version={`${version}:${actionsVersion}`} />
          {user.role === "operator" ? (
            <OpsSupportActions session={session} about={{ operatorId: userId }} version={`${version}:${actionsVersion}`} title="What this colleague did" />
          ) : (
            <OpsSupportActions session={session} about={{ userId }} version={`${version}:${actionsVersion}`} />
          )}
        </div>
      )}
    </Card>
  );
}

const driverStates: Record<DriverState["state"], string> = { offline: "offline", available: "available", offered: "has an offer", on_trip: "on a trip" };

/** What dispatch knows of a driver now: why they get offers or not, and where their phone last said they were. */
function OpsDriverState(props: { session: Session; driverId: string; version: number; onOpenTrip: (tripId: string) => void }) {
  const { session, driverId, version } = props;
  const { data: state, error } = useLoad(() => api.opsDriver(session, driverId), [session, driverId, version], "Could not load the driver's state.");

  if (error) return <Notice kind="error">{error}</Notice>;
  if (state === undefined) return <p className="text-sm text-slate-600">Loading the driver's state…</p>;
  if (state === null) return <p className="text-sm text-slate-600" data-testid="ops-driver-state">Has never gone online.</p>;
  return (
    <div>
      <h3 className="mb-1 font-medium">Now</h3>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">State</dt>
        <dd className="font-semibold" data-testid="ops-driver-state">
          {driverStates[state.state] ?? state.state}
          {state.offlineReason ? ` (${state.offlineReason})` : ""}
          {/* The end of a shift, or the service's decision (the driving limit, a suspension): no offers after this trip. */}
          {state.state === "on_trip" && state.offlineAfterTrip
            ? `, then offline (${state.offlineAfterTripReason || "the driver stopped new requests"})`
            : ""}
        </dd>
        <dt className="text-slate-600">Class</dt>
        <dd>{state.vehicleClass}</dd>
        <dt className="text-slate-600">Pets</dt>
        <dd data-testid="ops-driver-pets">{state.petsWelcome ? "Pets welcome: offered rides with a pet" : "No pets: not offered rides with a pet"}</dd>
        <dt className="text-slate-600">Wheelchair</dt>
        <dd data-testid="wav-ops-driver" data-accessible={state.wheelchairAccessible === true}>
          {state.wheelchairAccessible
            ? "Wheelchair-accessible vehicle approved: offered rides that need one"
            : "Not wheelchair accessible: not offered rides that need one"}
        </dd>
        <dt className="text-slate-600">Acceptance</dt>
        <dd data-testid="ops-driver-acceptance">{acceptance(state.offers, "the") ?? "no offers yet"}</dd>
        {state.queue && (
          <>
            <dt className="text-slate-600">Airport queue</dt>
            <dd data-testid="ops-driver-queue">
              {state.queue.name}: {ordinal(state.queue.position)} of {state.queue.size}
              {state.queue.since ? ` (waiting since ${new Date(state.queue.since).toLocaleTimeString()})` : ""}
              {state.queue.placeKept ? ", place kept after a short trip" : ""}
              {state.queue.declinesAllowed ? `, ${state.queue.declinesUsed ?? 0} of ${state.queue.declinesAllowed} declines used` : ""}
            </dd>
          </>
        )}
        {state.returnPass && (
          <>
            <dt className="text-slate-600">Short-trip pass</dt>
            <dd data-testid="ops-driver-return-pass">
              Back to {state.returnPass.name}&apos;s lot by {clockTime(state.returnPass.until)} keeps their place
              {state.returnPass.queuedAt ? ` (in line since ${new Date(state.returnPass.queuedAt).toLocaleTimeString()})` : ""}
            </dd>
          </>
        )}
        {state.headingTo && (
          <>
            <dt className="text-slate-600">Heading to</dt>
            <dd data-testid="ops-driver-heading-to">
              {point(state.headingTo)}: offered only trips towards it
              {state.headingSince ? ` (since ${new Date(state.headingSince).toLocaleTimeString()})` : ""}
            </dd>
          </>
        )}
        <dt className="text-slate-600">Last position</dt>
        <dd data-testid="ops-driver-location">
          {state.location ? point(state.location) : "—"}
          {state.locationAt ? ` at ${new Date(state.locationAt).toLocaleString()}` : ""}
        </dd>
        {(state.currentTripId || state.offer?.tripId) && (
          <>
            <dt className="text-slate-600">{state.currentTripId ? "Current trip" : "Offered trip"}</dt>
            <dd>
              <button
                type="button"
                className="font-mono text-blue-700 underline"
                onClick={() => props.onOpenTrip((state.currentTripId || state.offer?.tripId)!)}
                data-testid="ops-driver-trip"
              >
                {state.currentTripId || state.offer?.tripId}
              </button>
              {state.offer?.expiresAt && !state.currentTripId ? ` · answer due ${new Date(state.offer.expiresAt).toLocaleTimeString()}` : ""}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** A caller whose phone was stolen: every session of theirs ends, on every device (asked twice: it signs them out). */
function OpsSignOutEverywhere({ session, user, onDone }: { session: Session; user: OpsUser; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string } | null>(null);

  async function signOut() {
    setBusy(true);
    try {
      await api.opsSignOutEverywhere(session, user.userId);
      onDone();
      setOutcome({ kind: "success", text: `${user.name} is signed out on every device; they sign in again with their password.` });
    } catch (e) {
      setOutcome({ kind: "error", text: failureText(e) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {!confirming ? (
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)} data-testid="ops-signout-everywhere">
            Sign out on every device
          </Button>
        ) : (
          <>
            <Button type="button" variant="danger" disabled={busy} onClick={signOut} data-testid="ops-signout-everywhere-confirm">
              Yes, end every session of {user.name}
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Keep them signed in
            </Button>
          </>
        )}
      </div>
      {outcome && (
        <Notice kind={outcome.kind} testId="ops-signout-everywhere-result">
          {outcome.text}
        </Notice>
      )}
    </div>
  );
}

/** A caller who cannot sign in: a reset code goes to the account's own address (support never sees or sets a password). */
function OpsSendPasswordReset({ session, user, onDone }: { session: Session; user: OpsUser; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string } | null>(null);

  async function send() {
    setBusy(true);
    try {
      const sent = await api.opsSendPasswordReset(session, user.userId);
      onDone();
      setOutcome({ kind: "success", text: sent.message });
    } catch (e) {
      setOutcome({ kind: "error", text: failureText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button type="button" variant="secondary" disabled={busy} onClick={send} data-testid="ops-password-reset">
          Mail a password reset code
        </Button>
      </div>
      {outcome && (
        <Notice kind={outcome.kind} testId="ops-password-reset-result">
          {outcome.text}
        </Notice>
      )}
    </div>
  );
}

/**
 * An owner who lost their phone and their recovery codes (ADR 0052): support turns 2-step verification off once sure
 * the caller owns the account, saying how (mailed to the account and kept in the audit trail).
 */
function OpsTurnOffTwoStep({ session, user, onChanged }: { session: Session; user: OpsUser; onChanged: (user: OpsUser) => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.opsTurnOffTwoStep(session, user.userId, reason.trim()));
      setReason("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void turnOff();
      }}
    >
      <div className="min-w-64 flex-1">
        <Field label="Lost phone: how you made sure it is the owner (mailed to the account)">
          <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} data-testid="ops-two-step-reason" />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={busy || !reason.trim()} data-testid="ops-two-step-off">
        Turn off 2-step verification
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </form>
  );
}

/** Fraud, abuse: support suspends the account (it cannot sign in; every session ends) with a reason its owner is told, or lifts it. */
function OpsSuspend({ session, user, onChanged }: { session: Session; user: OpsUser; onChanged: (user: OpsUser) => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function change(action: () => Promise<OpsUser>) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
      setReason("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  if (user.suspension) {
    return (
      <div className="flex flex-col gap-2">
        <div>
          <Button type="button" variant="secondary" disabled={busy} onClick={() => change(() => api.opsReinstate(session, user.userId))} data-testid="ops-reinstate">
            Reinstate the account
          </Button>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
      </div>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void change(() => api.opsSuspend(session, user.userId, reason.trim()));
      }}
    >
      <div className="min-w-64 flex-1">
        <Field label="Reason to suspend (the owner is told it when signing in)">
          <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} data-testid="ops-suspend-reason" />
        </Field>
      </div>
      <Button type="submit" variant="danger" disabled={busy || !reason.trim()} data-testid="ops-suspend">
        Suspend
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </form>
  );
}

/** How the desk deletes an account for its owner, or keeps one whose deletion waits. */
const deletion = {
  delete: {
    testId: "ops-user-delete",
    button: "Delete this account",
    label: "Reason (how the owner asked: a call, a mail)",
    confirm: "Yes, delete the account",
    back: "Do not delete it",
  },
  keep: {
    testId: "ops-user-keep",
    button: "Keep the account",
    label: "Reason (how the owner asked to keep it)",
    confirm: "Yes, keep the account",
    back: "Let the deletion go ahead",
  },
} as const;

/**
 * A rider or driver who cannot use the app asks support to delete their account: the same as asking in the app, without
 * the password, with a reason for the audit trail and after a confirmation. While the deletion waits, an owner who calls
 * back is kept.
 */
function OpsDeleteAccount({ session, user, onChanged }: { session: Session; user: OpsUser; onChanged: (user: OpsUser) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mode = user.deletionRequestedAt || user.eraseAt ? "keep" : "delete";
  const words = deletion[mode];
  const grace = useDeletionGrace();

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const changed = await (mode === "delete" ? api.opsDeleteAccount : api.opsKeepAccount)(session, user.userId, reason.trim());
      setAsking(false);
      setReason("");
      onChanged(changed);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setAsking(false);
    setError(null);
  }

  if (!asking) {
    return (
      <div>
        <Button type="button" variant="secondary" onClick={() => setAsking(true)} data-testid={words.testId}>
          {words.button}
        </Button>
      </div>
    );
  }
  return (
    <form
      className="flex flex-col gap-2 rounded-md border border-red-200 p-3"
      aria-label={words.button}
      onSubmit={(e) => {
        e.preventDefault();
        void confirm();
      }}
    >
      <Field label={words.label}>
        <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} autoComplete="off" data-testid={`${words.testId}-reason`} />
      </Field>
      <p className="text-sm">
        {mode === "delete"
          ? `Delete ${user.name}'s account, as if they asked in the app? They are signed out on every device now, rides they booked ahead are cancelled${
              user.role === "driver" ? " and they go offline" : ""
            }, and they are mailed. The account is erased after ${grace ?? "the grace period"} unless they sign in before (or call back to keep it).`
          : `Keep ${user.name}'s account? It is not erased, and they are mailed; they sign in again with their password (rides booked ahead stay cancelled).`}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant={mode === "delete" ? "danger" : "primary"} disabled={busy || !reason.trim()} data-testid={`${words.testId}-confirm`}>
          {words.confirm}
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={close}>
          {words.back}
        </Button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </form>
  );
}
