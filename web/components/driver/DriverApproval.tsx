"use client";

import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api";
import { calendarDay, lastDayBefore } from "@/lib/format";
import { vehicleClasses, type DriverApproval, type DriverApprovalChanged, type DriverDocuments, type Session, type Vehicle, type VehicleClass } from "@/lib/types";
import { Button, Card, ClassOptions, Field, Notice, inputClass } from "../ui";

/** A permit this close to its end is worth a warning, and new documents before it ends. */
const renewWithinMs = 30 * 24 * 60 * 60 * 1000;
/** setTimeout's longest delay (about 24 days): a permit ending later is read again by the next visit or message. */
const longestTimerMs = 2 ** 31 - 1;

/**
 * The driver's approval to drive, read on mount and by reload() (a driver.approval message, a reconnect), and again
 * when the permit runs out while the page is open. A read answered after a newer read or after the driver's own
 * documents went (changed) is dropped, so an old "none" never replaces the "pending" just sent.
 */
export function useDriverApproval(session: Session | null) {
  const [approval, setApproval] = useState<DriverApproval>();
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (!session) return;
    const mine = ++latest.current;
    try {
      const read = await api.driverApproval(session);
      if (mine !== latest.current) return;
      setApproval(read);
      setError(null);
    } catch (e) {
      if (mine === latest.current) setError(e instanceof ApiError ? e.message : "Could not load your approval to drive.");
    }
  }, [session]);

  const changed = useCallback((answer: DriverApproval) => {
    latest.current++;
    setApproval(answer);
    setError(null);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const validUntil = approval?.permit?.validUntil;
  useEffect(() => {
    if (!validUntil) return;
    const left = Date.parse(validUntil) - Date.now();
    if (left <= 0 || left > longestTimerMs) return;
    const timer = setTimeout(() => void reload(), left + 1000);
    return () => clearTimeout(timer);
  }, [validUntil, reload]);

  return { approval, error, reload, changed };
}

/** The driver may go online now: support approved classes, and the permit has not run out by this phone's clock. */
export function mayDrive(approval: DriverApproval | undefined): approval is DriverApproval & { permit: NonNullable<DriverApproval["permit"]> } {
  return !!approval?.permit && approval.permit.classes.length > 0 && Date.parse(approval.permit.validUntil) > Date.now();
}

/** The classes the driver may pick, in the usual order. */
export function permittedClasses(approval: DriverApproval & { permit: NonNullable<DriverApproval["permit"]> }): VehicleClass[] {
  return vehicleClasses.filter((c) => approval.permit.classes.includes(c));
}

/** The class to go online in: the driver's pick if permitted, else their car's own class if permitted, else the first permitted. */
export function classToDrive(approval: DriverApproval | undefined, picked: VehicleClass | null): VehicleClass {
  if (!mayDrive(approval)) return picked ?? "economy";
  const permitted = permittedClasses(approval);
  if (picked && permitted.includes(picked)) return picked;
  const own = approval.vehicle?.class;
  return own && permitted.includes(own) ? own : permitted[0]!;
}

/**
 * What the driver is told when support decides, or the approval lapses (driver.approval). The message's outcome says
 * whether "approved" approved documents or narrowed the permit; without one (an older gateway), fewer classes than the
 * permit had, with no documents waiting (`before`, the approval shown when it came), is support narrowing it.
 */
export function approvalChangedText(changed: DriverApprovalChanged, before?: DriverApproval): string {
  const classes = vehicleClasses.filter((c) => (changed.classes ?? []).includes(c));
  if (changed.status === "approved") {
    const had = before?.status !== "pending" ? (before?.permit?.classes ?? []) : [];
    const narrowed = changed.outcome ? changed.outcome === "restricted" : classes.length < had.length && classes.every((c) => had.includes(c));
    // Why is said under the class picker (the last decision), which stays.
    if (narrowed) return `Support changed what you may drive: ${classes.join(", ")}.`;
    return `Support approved you to drive ${classes.join(", ")}.`;
  }
  if (changed.status === "revoked") {
    return `Support took away your approval to drive: ${withoutFullStop(changed.reason) || "support gave no reason"}. Send your documents again to drive.`;
  }
  if (changed.status === "rejected") return `Your documents were not approved: ${withoutFullStop(changed.reason) || "support gave no reason"}. Send corrected documents.`;
  if (changed.status === "expired") return `${withoutFullStop(changed.reason) || "A document expired"}: your approval to drive ended. Send new documents to drive again.`;
  return "Your approval to drive changed.";
}

const withoutFullStop = (text: string | null | undefined) => text?.trim().replace(/[.\s]+$/, "") ?? "";

/** The last day a lapsed approval covered, in words: the permit's (still shown by this phone's clock), else the first document's expiry. */
function endedOn(approval: DriverApproval): string | null {
  if (approval.permit) return lastDayBefore(approval.permit.validUntil);
  const dates = [approval.documents?.licenceExpiresOn, approval.documents?.insuranceExpiresOn].filter((d): d is string => !!d).sort();
  return dates[0] ? calendarDay(dates[0]) : null;
}

/** Why a driver without a valid permit cannot go online, in a sentence. */
function statusText(approval: DriverApproval): string {
  const ended = endedOn(approval);
  switch (approval.status) {
    case "pending":
      return `Under review since ${approval.submittedAt ? new Date(approval.submittedAt).toLocaleString() : "you sent your documents"}. You can go online once support approves them.`;
    case "rejected":
      return `Not approved: ${withoutFullStop(approval.decision?.reason) || "support gave no reason"} — send corrected documents.`;
    case "revoked":
      return "Send your documents again to be reviewed: you can go online once support approves them.";
    case "expired":
    case "approved":
      // approved: the permit ran out by this phone's clock before the gateway said so.
      return ended ? `Your approval ended on ${ended} — send new documents.` : "Your approval ended — send new documents.";
    default:
      return "Send your documents to start driving: support checks your driving licence and insurance, then you can go online.";
  }
}

/**
 * A driver who may not drive now (never approved, under review, refused, lapsed, approval taken away by support): why,
 * and the documents form (not while support reviews what they sent).
 */
export function DriverApprovalCard({ session, approval, onChanged }: { session: Session; approval: DriverApproval; onChanged: (approval: DriverApproval) => void }) {
  return (
    <Card title="Approval to drive" testId="driver-approval">
      <div className="flex flex-col gap-3">
        {approval.status === "revoked" && (
          <Notice kind="error" testId="approval-revoked">
            Support took away your approval to drive: {withoutFullStop(approval.decision?.reason) || "support gave no reason"}.
          </Notice>
        )}
        <p className="text-sm" data-testid="driver-approval-status">
          {statusText(approval)}
        </p>
        {approval.status === "pending" ? (
          approval.documents && <SentDocuments documents={approval.documents} newVehicle={approval.newVehicle} />
        ) : (
          <DocumentsForm session={session} sent={approval.documents} onSent={onChanged} />
        )}
      </div>
    </Card>
  );
}

/**
 * Under the class picker of a driver who may drive: what for and until when; support narrowing it, and why; new
 * documents under review; a refusal of new documents; and, when the permit ends within 30 days or new documents were
 * refused, the form behind a button.
 */
export function DriverPermitSummary({ session, approval, onChanged }: { session: Session; approval: DriverApproval & { permit: NonNullable<DriverApproval["permit"]> }; onChanged: (approval: DriverApproval) => void }) {
  const [renewing, setRenewing] = useState(false);
  const [changingCars, setChangingCars] = useState(false);
  const endsSoon = Date.parse(approval.permit.validUntil) - Date.now() < renewWithinMs;
  const mayResend = approval.status !== "pending" && (endsSoon || approval.status === "rejected");

  return (
    <div className="mt-2 flex flex-col gap-2 text-sm">
      <p className="text-slate-600" data-testid="driver-permit">
        Approved for {permittedClasses(approval).join(", ")} until {lastDayBefore(approval.permit.validUntil)}
      </p>
      {approval.permit.wheelchairAccessible && (
        <p className="font-medium" data-testid="wav-driver-permit">
          Wheelchair accessible vehicle: you are offered rides that need one
        </p>
      )}
      {approval.decision?.outcome === "restricted" && (
        <p data-testid="driver-permit-restricted">
          Support changed what you may drive: {permittedClasses(approval).join(", ")}. Why: {withoutFullStop(approval.decision.reason) || "support gave no reason"}.
        </p>
      )}
      {approval.status === "pending" && (
        <p data-testid="driver-permit-pending">
          New documents under review{approval.newVehicle ? ` for your new car, ${carText(approval.newVehicle)}: until support approves it you drive the one approved` : ""}
        </p>
      )}
      {approval.status === "rejected" && (
        <p data-testid="driver-permit-rejected">Your new documents were not approved: {withoutFullStop(approval.decision?.reason) || "support gave no reason"}.</p>
      )}
      {endsSoon && approval.status !== "pending" && (
        <Notice testId="driver-permit-ending">Your approval ends on {lastDayBefore(approval.permit.validUntil)}: send new documents to keep driving after that.</Notice>
      )}
      {approval.status !== "pending" &&
        (changingCars ? (
          <DocumentsForm
            session={session}
            sent={approval.documents}
            newCar
            onSent={(sent) => {
              setChangingCars(false);
              onChanged(sent);
            }}
          />
        ) : (
          !renewing && (
            <div>
              <Button type="button" variant="secondary" onClick={() => setChangingCars(true)} data-testid="change-cars">
                I changed cars
              </Button>
            </div>
          )
        ))}
      {mayResend &&
        !changingCars &&
        (renewing ? (
          <DocumentsForm
            session={session}
            sent={approval.documents}
            onSent={(sent) => {
              setRenewing(false);
              onChanged(sent);
            }}
          />
        ) : (
          <div>
            <Button type="button" variant="secondary" onClick={() => setRenewing(true)}>
              Send new documents
            </Button>
          </div>
        ))}
    </div>
  );
}

/** What the driver sent, while support reviews it. */
function carText(car: Vehicle): string {
  return `${car.colour} ${car.make} ${car.model} · ${car.plate} (${car.class})`;
}

function SentDocuments({ documents, newVehicle }: { documents: DriverDocuments; newVehicle?: Vehicle | null }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" data-testid="driver-documents-sent">
      <dt className="text-slate-600">Driving licence</dt>
      <dd>
        {documents.licenceNumber}, valid until {calendarDay(documents.licenceExpiresOn)}
      </dd>
      <dt className="text-slate-600">Insurance</dt>
      <dd>
        {documents.insurancePolicy}, valid until {calendarDay(documents.insuranceExpiresOn)}
      </dd>
      <dt className="text-slate-600">Vehicle year</dt>
      <dd>{documents.vehicleYear}</dd>
      {newVehicle && (
        <>
          <dt className="text-slate-600">New car</dt>
          <dd data-testid="driver-documents-new-car">{carText(newVehicle)}</dd>
        </>
      )}
    </dl>
  );
}

const fields = [
  { name: "licenceNumber", label: "Driving licence number", type: "text", maxLength: 20 },
  { name: "licenceExpiresOn", label: "Licence valid until", type: "date" },
  { name: "insurancePolicy", label: "Insurance policy number", type: "text", maxLength: 30 },
  { name: "insuranceExpiresOn", label: "Insurance valid until", type: "date" },
  { name: "vehicleYear", label: "Vehicle year", type: "number" },
] as const satisfies readonly { name: keyof DriverDocuments; label: string; type: string; maxLength?: number }[];

type Typed = Record<keyof DriverDocuments, string>;

/**
 * The documents support checks: the driving licence and the car's insurance (numbers and until when they are valid),
 * and the car's year. The gateway checks them; what it refuses is said by the field it is about. Filled in with what
 * was sent last (a refusal is corrected, a lapse renewed).
 */
const carFields = [
  { name: "make", label: "Make", maxLength: 40 },
  { name: "model", label: "Model", maxLength: 40 },
  { name: "plate", label: "Plate", maxLength: 16 },
  { name: "colour", label: "Colour", maxLength: 30 },
] as const;

type TypedCar = { make: string; model: string; plate: string; colour: string; class: VehicleClass };

function DocumentsForm({ session, sent, onSent, newCar = false }: { session: Session; sent: DriverDocuments | null; onSent: (approval: DriverApproval) => void; newCar?: boolean }) {
  const [car, setCar] = useState<TypedCar>({ make: "", model: "", plate: "", colour: "", class: "economy" });
  const [typed, setTyped] = useState<Typed>(() => ({
    licenceNumber: sent?.licenceNumber ?? "",
    licenceExpiresOn: sent?.licenceExpiresOn ?? "",
    insurancePolicy: sent?.insurancePolicy ?? "",
    insuranceExpiresOn: sent?.insuranceExpiresOn ?? "",
    vehicleYear: sent?.vehicleYear ? String(sent.vehicleYear) : "",
  }));
  const [fieldErrors, setFieldErrors] = useState<Partial<Typed>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextYear = new Date().getUTCFullYear() + 1;

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      onSent(
        await api.submitDriverDocuments(session, {
          licenceNumber: typed.licenceNumber.trim(),
          licenceExpiresOn: typed.licenceExpiresOn,
          insurancePolicy: typed.insurancePolicy.trim(),
          insuranceExpiresOn: typed.insuranceExpiresOn,
          vehicleYear: Number(typed.vehicleYear),
          ...(newCar ? { vehicle: { ...car, make: car.make.trim(), model: car.model.trim(), plate: car.plate.trim(), colour: car.colour.trim() } } : {}),
        }),
      );
    } catch (e) {
      const byField = e instanceof ApiError ? Object.fromEntries(fields.flatMap((f) => (e.fieldError(f.name) ? [[f.name, e.fieldError(f.name)!]] : []))) : {};
      const carErrors = e instanceof ApiError && newCar ? carFields.flatMap((f) => e.fieldError(`vehicle.${f.name}`) ?? []).concat(e.fieldError("vehicle.class") ?? []) : [];
      setFieldErrors(byField);
      if (carErrors.length > 0) {
        setError(carErrors.join(" "));
        return;
      }
      // The detail sums the refusal up; said only when no field shows why.
      if (Object.keys(byField).length === 0) setError(e instanceof ApiError ? e.message : "Could not send your documents. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="flex flex-col gap-3" aria-label="Your documents" onSubmit={send} data-testid="driver-documents-form">
      {newCar && (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="driver-new-car">
          <p className="text-sm text-slate-600 sm:col-span-2">Your new car, with its insurance and year below. You drive the car approved until support approves this one.</p>
          {carFields.map((f) => (
            <Field key={f.name} label={`New car: ${f.label.toLowerCase()}`}>
              <input
                className={inputClass}
                value={car[f.name]}
                maxLength={f.maxLength}
                required
                autoComplete="off"
                onChange={(e) => setCar((c) => ({ ...c, [f.name]: e.target.value }))}
              />
            </Field>
          ))}
          <Field label="New car: class">
            <select className={inputClass} value={car.class} onChange={(e) => setCar((c) => ({ ...c, class: e.target.value as VehicleClass }))}>
              <ClassOptions />
            </select>
          </Field>
        </div>
      )}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {fields.map((f) => (
          <div key={f.name} className="flex flex-col gap-1">
            <Field label={f.label}>
              <input
                className={inputClass}
                name={f.name}
                type={f.type}
                value={typed[f.name]}
                onChange={(e) => setTyped((t) => ({ ...t, [f.name]: e.target.value }))}
                required
                maxLength={"maxLength" in f ? f.maxLength : undefined}
                min={f.type === "number" ? 1990 : undefined}
                max={f.type === "number" ? nextYear : undefined}
                autoComplete="off"
                aria-invalid={fieldErrors[f.name] ? true : undefined}
                aria-describedby={fieldErrors[f.name] ? `driver-documents-${f.name}-error` : undefined}
                data-testid={`driver-documents-${f.name}`}
              />
            </Field>
            {fieldErrors[f.name] && (
              <span id={`driver-documents-${f.name}-error`} className="text-xs text-red-700" data-testid={`driver-documents-${f.name}-error`}>
                {fieldErrors[f.name]}
              </span>
            )}
          </div>
        ))}
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <div>
        <Button type="submit" disabled={busy}>
          Send documents
        </Button>
      </div>
    </form>
  );
}
