"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { calendarDay, lastDayBefore } from "@/lib/format";
import { useOperatorNames, whoActed, type OperatorNames } from "@/lib/operatorNames";
import {
  vehicleClasses,
  type DriverApproval,
  type DriverApprovalDecision,
  type DriverApprovalStatus,
  type DriverDocuments,
  type DriverPermit,
  type Session,
  type Vehicle,
  type VehicleClass,
} from "@/lib/types";
import { Button, Field, Notice, inputClass } from "../ui";

const statusLabels: Record<DriverApprovalStatus, string> = {
  none: "Has not sent documents",
  pending: "Waiting for review",
  approved: "Approved",
  rejected: "Documents refused",
  expired: "Approval lapsed (a document expired)",
  revoked: "Approval taken away by support",
};

/** A car as the desk reads it: "white Toyota Prius · B-UC 1234 · economy". */
export function vehicleText(vehicle: Vehicle): string {
  return `${vehicle.colour} ${vehicle.make} ${vehicle.model} · ${vehicle.plate} · ${vehicle.class}`;
}

/** A driver's documents in a line: "Licence B072 (until 4 Jan 2028) · insurance AX-99 (until 1 Mar 2028)". */
export function documentsText(documents: DriverDocuments): string {
  return (
    `Licence ${documents.licenceNumber} (until ${calendarDay(documents.licenceExpiresOn)}) · ` +
    `insurance ${documents.insurancePolicy} (until ${calendarDay(documents.insuranceExpiresOn)})`
  );
}

/** The classes of a permit, in the usual order. */
const permitClasses = (permit: DriverPermit): VehicleClass[] => vehicleClasses.filter((c) => permit.classes.includes(c));

/**
 * Support's last decision in a line: "Restricted to economy by you on 3/4/2026, 10:12:00: a complaint about…". A
 * restriction names the classes kept, which are the permit's as long as no later decision replaced it.
 */
function decisionText(decision: DriverApprovalDecision, permit: DriverPermit | null, you: string, names: OperatorNames | null): string {
  const what = {
    approved: "Approved",
    rejected: "Refused",
    restricted: permit ? `Restricted to ${permitClasses(permit).join(", ")}` : "Restricted",
    revoked: "Approval taken away",
  }[decision.outcome] ?? decision.outcome;
  const by = decision.by ? ` by ${whoActed(decision.by, you, names)}` : "";
  return `${what}${by} on ${new Date(decision.at).toLocaleString()}${decision.reason ? `: ${decision.reason}` : ""}`;
}

/**
 * A driver's approval on their card: where it stands, the documents they sent, what they may drive now, support's last
 * decision; while documents wait for review, approving classes (their car's own checked) or refusing with a reason the
 * driver is told; while the driver holds a valid permit, narrowing it or taking it away. onDecided gets the approval as
 * it is after the decision.
 */
export function OpsDriverApproval({ session, userId, approval, onDecided }: { session: Session; userId: string; approval: DriverApproval; onDecided: (approval: DriverApproval) => void }) {
  const { status, permit, decision } = approval;
  const names = useOperatorNames(session, [decision?.by]);
  return (
    <div data-testid="ops-driver-approval">
      <h3 className="mb-1 font-medium">Driver approval</h3>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Status</dt>
        <dd className="font-semibold" data-testid="ops-driver-approval-status" data-status={status}>
          {statusLabels[status] ?? status}
        </dd>
        {approval.documents && (
          <>
            <dt className="text-slate-600">Documents</dt>
            <dd data-testid="ops-driver-approval-documents">
              {documentsText(approval.documents)} · vehicle from {approval.documents.vehicleYear}
              {approval.submittedAt ? ` · sent ${new Date(approval.submittedAt).toLocaleString()}` : ""}
            </dd>
          </>
        )}
        {approval.newVehicle && (
          <>
            <dt className="text-slate-600">New car</dt>
            <dd data-testid="ops-driver-approval-new-car">{vehicleText(approval.newVehicle)} (the documents are for it; approving makes it theirs)</dd>
          </>
        )}
        <dt className="text-slate-600">May drive</dt>
        <dd data-testid="ops-driver-approval-permit">
          {permit ? `${permitClasses(permit).join(", ")} until ${lastDayBefore(permit.validUntil)}` : "Nothing: cannot go online"}
        </dd>
        {permit && (
          <>
            <dt className="text-slate-600">Wheelchair accessible</dt>
            <dd data-testid="wav-ops-driver-permit" data-accessible={permit.wheelchairAccessible === true}>
              {permit.wheelchairAccessible ? "Yes: the vehicle's ramp or lift is approved" : "No"}
            </dd>
          </>
        )}
        {decision && (
          <>
            <dt className="text-slate-600">Last decision</dt>
            <dd data-testid="ops-driver-approval-decision" data-outcome={decision.outcome}>
              {decisionText(decision, permit, session.userId, names)}
            </dd>
          </>
        )}
      </dl>
      {status === "pending" && <OpsDecide session={session} userId={userId} approval={approval} onDecided={onDecided} />}
      {/* Keyed by the classes: after a change the boxes start again from what the permit now has. */}
      {permit && <OpsChangeApproval key={`${permitClasses(permit).join(",")}:${permit.wheelchairAccessible === true}`} session={session} userId={userId} permit={permit} onDecided={onDecided} />}
    </div>
  );
}

/**
 * Narrows a valid permit to the classes left checked, or takes it away (after a confirmation), with the reason the
 * driver is mailed: a driver online in a class no longer covered is taken offline (after a trip under way), and their
 * app is told at once. The permit keeps its end day.
 */
function OpsChangeApproval({ session, userId, permit, onDecided }: { session: Session; userId: string; permit: DriverPermit; onDecided: (approval: DriverApproval) => void }) {
  const current = permitClasses(permit);
  const [kept, setKept] = useState<VehicleClass[]>(current);
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const why = reason.trim();
  const narrows = kept.length > 0 && kept.length < current.length;

  async function restrict(keep: VehicleClass[], takeWheelchairAway = false) {
    setBusy(true);
    setError(null);
    try {
      onDecided(await api.opsRestrictDriver(session, userId, keep, why, takeWheelchairAway));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  function narrow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (narrows && why) void restrict(vehicleClasses.filter((c) => kept.includes(c)));
  }

  return (
    <form className="mt-2 flex flex-col gap-2 rounded-md border border-slate-200 p-3" aria-label="Change approval" onSubmit={narrow} data-testid="ops-driver-change-approval">
      <h4 className="text-sm font-medium">Change approval</h4>
      <fieldset className="flex flex-wrap gap-4" disabled={busy}>
        <legend className="mb-1 text-sm text-slate-600">Keeps driving</legend>
        {current.map((c) => (
          <label key={c} className="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              checked={kept.includes(c)}
              onChange={(e) => setKept((chosen) => (e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c)))}
              data-testid={`ops-driver-keep-${c}`}
            />
            {c}
          </label>
        ))}
      </fieldset>
      <Field label="Why (the driver is told)">
        <textarea
          className={inputClass}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setConfirming(false);
          }}
          rows={2}
          maxLength={500}
          data-testid="ops-driver-change-reason"
        />
      </Field>
      {!confirming ? (
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy || !narrows || !why} data-testid="ops-driver-restrict">
            Keep only the checked classes
          </Button>
          {permit.wheelchairAccessible && (
            <Button type="button" variant="secondary" disabled={busy || !why} onClick={() => void restrict(current, true)} data-testid="wav-ops-restrict">
              No longer wheelchair accessible
            </Button>
          )}
          <Button type="button" variant="danger" disabled={busy || !why} onClick={() => setConfirming(true)} data-testid="ops-driver-revoke">
            Take approval away
          </Button>
        </div>
      ) : (
        <div className="flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label="Take the approval away?">
          <p className="text-sm">
            Take this driver&apos;s approval to drive away? They cannot go online until support approves documents they send again; if online now, they are
            taken offline (after a trip under way). They are mailed why.
          </p>
          <div className="flex gap-2">
            <Button type="button" variant="danger" disabled={busy} onClick={() => void restrict([])} data-testid="ops-driver-revoke-confirm">
              Yes, take the approval away
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Keep the approval
            </Button>
          </div>
        </div>
      )}
      {!why && <p className="text-xs text-slate-600">Say why first: the driver is mailed it.</p>}
      {error && (
        <Notice kind="error" testId="ops-driver-change-error">
          {error}
        </Notice>
      )}
    </form>
  );
}

/** Approve some classes (with an optional note) or refuse the documents (with the reason the driver is told). */
function OpsDecide({ session, userId, approval, onDecided }: { session: Session; userId: string; approval: DriverApproval; onDecided: (approval: DriverApproval) => void }) {
  const ownClass = (approval.newVehicle ?? approval.vehicle)?.class;
  const [classes, setClasses] = useState<VehicleClass[]>(ownClass ? [ownClass] : []);
  /** The vehicle has a ramp or a lift support checked (ADR 0045); unticked for every approval, a new car's too. */
  const [wheelchairAccessible, setWheelchairAccessible] = useState(false);
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function decide(action: () => Promise<DriverApproval>) {
    setBusy(true);
    setError(null);
    try {
      onDecided(await action());
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function approve(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const ordered = vehicleClasses.filter((c) => classes.includes(c));
    void decide(() => api.opsApproveDriver(session, userId, ordered, note.trim() || undefined, wheelchairAccessible));
  }

  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void decide(() => api.opsRejectDriver(session, userId, reason.trim()));
  }

  return (
    <div className="mt-2 flex flex-col gap-3">
      <form className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" aria-label="Approve the driver" onSubmit={approve}>
        <fieldset className="flex flex-wrap gap-4" disabled={busy}>
          <legend className="mb-1 text-sm font-medium">May drive</legend>
          {vehicleClasses.map((c) => (
            <label key={c} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={classes.includes(c)}
                onChange={(e) => setClasses((chosen) => (e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c)))}
                data-testid={`ops-driver-approve-${c}`}
              />
              {c}
            </label>
          ))}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={wheelchairAccessible}
            onChange={(e) => setWheelchairAccessible(e.target.checked)}
            disabled={busy}
            data-testid="wav-approve"
          />
          Wheelchair-accessible vehicle (ramp or lift checked)
        </label>
        <Field label="Note (optional)">
          <input className={inputClass} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoComplete="off" data-testid="ops-driver-approve-note" />
        </Field>
        <div>
          <Button type="submit" disabled={busy || classes.length === 0} data-testid="ops-driver-approve">
            Approve
          </Button>
        </div>
      </form>
      <form className="flex flex-wrap items-end gap-2 rounded-md border border-red-200 p-3" aria-label="Refuse the documents" onSubmit={reject}>
        <div className="min-w-64 flex-1">
          <Field label="Reason to refuse (the driver is told it)">
            <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} autoComplete="off" data-testid="ops-driver-reject-reason" />
          </Field>
        </div>
        <Button type="submit" variant="danger" disabled={busy || !reason.trim()} data-testid="ops-driver-reject">
          Reject
        </Button>
      </form>
      {error && (
        <Notice kind="error" testId="ops-driver-approval-error">
          {error}
        </Notice>
      )}
    </div>
  );
}
