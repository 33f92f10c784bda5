"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { money, toMinorUnits } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import { vehicleClasses, type NewQuest, type Quest, type Session, type VehicleClass } from "@/lib/types";
import { Button, Card, Field, Notice, StatusBadge, inputClass } from "../ui";

/** A datetime-local input's value ("2027-01-04T04:00") this many days from now, in this computer's time zone. */
function localIn(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A datetime-local input's value as an ISO instant; null when it is no time. */
function instant(local: string): string | null {
  const at = new Date(local);
  return local && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/**
 * Support's driver quests (ADR 0038), newest first: a new one is created here ("Weekend rush": 30 rides from Monday
 * 04:00 to Friday 04:00 for a $45.00 bonus, optionally only in a city or some classes), and a running one ended (rides
 * completed from then on do not count; bonuses earned stay). Read again when the console's version changes.
 */
export function OpsQuests({ session, version }: { session: Session; version: number }) {
  const { data: quests, setData: setQuests, error: loadError } = useLoad(() => api.opsQuests(session), [session, version], "Could not load the quests.");
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = (quest: Quest) =>
    setQuests((shown = []) => (shown.some((q) => q.id === quest.id) ? shown.map((q) => (q.id === quest.id ? { ...quest, driversEarned: q.driversEarned } : q)) : [quest, ...shown]));

  async function end(id: string) {
    setEnding(id);
    setError(null);
    try {
      show(await api.endQuest(session, id));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setEnding(null);
    }
  }

  return (
    <Card title="Quests" testId="quest-ops">
      <OpsQuestForm session={session} onCreated={show} />
      <div className="mt-4 flex flex-col gap-2">
        {(error ?? loadError) && <Notice kind="error">{error ?? loadError}</Notice>}
        {quests === undefined ? (
          !loadError && <p className="text-sm text-slate-600">Loading…</p>
        ) : quests.length === 0 ? (
          <p className="text-sm text-slate-600">No quests yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm" aria-label="Quests">
            {quests.map((q) => (
              <li key={q.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`quest-ops-${q.id}`}>
                <span className="flex flex-col">
                  <span>
                    <span className="font-medium">{q.name}</span> · {q.target} {q.target === 1 ? "ride" : "rides"} for {money(q.bonus)}
                    {q.vehicleClasses?.length ? ` · ${q.vehicleClasses.join(", ")}` : ""}
                    {q.area ? ` · within ${q.area.radiusKm} km of ${q.area.lat.toFixed(3)}, ${q.area.lng.toFixed(3)}` : ""}
                  </span>
                  <span className="text-slate-600">
                    {when(q.startsAt)} – {when(q.endsAt)} ·{" "}
                    <span data-testid="quest-ops-earned">
                      {q.driversEarned ?? 0} {q.driversEarned === 1 ? "driver" : "drivers"} reached it
                    </span>
                    {q.endedAt ? ` · ended ${when(q.endedAt)}` : ""}
                  </span>
                </span>
                <span className="flex items-center gap-2">
                  <StatusBadge status={q.status} testId="quest-ops-status" />
                  {q.status !== "ended" && (
                    <Button variant="secondary" onClick={() => void end(q.id)} disabled={ending !== null} data-testid="quest-ops-end">
                      End
                    </Button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

/**
 * Support creates a quest. The trips service has the last word on every field (its answer names the field); what cannot
 * even be sent (a bonus that is no amount, an area half given) is said here.
 */
function OpsQuestForm({ session, onCreated }: { session: Session; onCreated: (quest: Quest) => void }) {
  const [name, setName] = useState("");
  const [startsAt, setStartsAt] = useState(() => localIn(0));
  const [endsAt, setEndsAt] = useState(() => localIn(4));
  const [target, setTarget] = useState("30");
  const [bonus, setBonus] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [lat, setLat] = useState("");
  const [lng, setLng] = useState("");
  const [radiusKm, setRadiusKm] = useState("");
  const [classes, setClasses] = useState<VehicleClass[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function read(): NewQuest | string {
    const currencyCode = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currencyCode)) return "The currency is a 3-letter ISO 4217 code, e.g. USD.";
    const bonusMinor = toMinorUnits(bonus, currencyCode);
    if (bonusMinor === null) return `Type the bonus in ${currencyCode}, e.g. 45.00.`;
    const start = instant(startsAt);
    const end = instant(endsAt);
    if (!start || !end) return "Choose when the quest starts and ends.";
    const quest: NewQuest = { name: name.trim(), startsAt: start, endsAt: end, target: Number(target), bonusMinor, currency: currencyCode };
    const areaGiven = [lat, lng, radiusKm].filter((v) => v.trim() !== "").length;
    if (areaGiven === 3) quest.area = { lat: Number(lat), lng: Number(lng), radiusKm: Number(radiusKm) };
    else if (areaGiven > 0) return "For a city, give its latitude, longitude and radius in km (or none of them for anywhere).";
    if (classes.length > 0) quest.vehicleClasses = classes;
    return quest;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const quest = read();
    if (typeof quest === "string") {
      setError(quest);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.createQuest(session, quest));
      setName("");
      setBonus("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (c: VehicleClass) => setClasses((chosen) => (chosen.includes(c) ? chosen.filter((x) => x !== c) : [...chosen, c]));

  return (
    <form onSubmit={submit} className="grid gap-2 sm:grid-cols-4" aria-label="New quest" data-testid="quest-form">
      <Field label="Name">
        <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} placeholder="Weekend rush" data-testid="quest-name" />
      </Field>
      <Field label="Starts">
        <input className={inputClass} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required data-testid="quest-starts" />
      </Field>
      <Field label="Ends (at most 31 days later)">
        <input className={inputClass} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required data-testid="quest-ends" />
      </Field>
      <Field label="Completed rides (1–500)">
        <input className={inputClass} type="number" value={target} onChange={(e) => setTarget(e.target.value)} required data-testid="quest-target" />
      </Field>
      <Field label={`Bonus (${currency || "…"})`}>
        <input className={inputClass} inputMode="decimal" value={bonus} onChange={(e) => setBonus(e.target.value)} autoComplete="off" data-testid="quest-bonus" />
      </Field>
      <Field label="Currency">
        <input className={`${inputClass} uppercase`} value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} autoComplete="off" data-testid="quest-currency" />
      </Field>
      <Field label="City: latitude (optional)">
        <input className={inputClass} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} data-testid="quest-lat" />
      </Field>
      <Field label="longitude">
        <input className={inputClass} inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} data-testid="quest-lng" />
      </Field>
      <Field label="radius (km)">
        <input className={inputClass} inputMode="decimal" value={radiusKm} onChange={(e) => setRadiusKm(e.target.value)} data-testid="quest-radius" />
      </Field>
      <fieldset className="flex flex-wrap items-center gap-3 text-sm sm:col-span-3">
        <legend className="text-slate-600">Only these classes (none: every class)</legend>
        {vehicleClasses.map((c) => (
          <label key={c} className="flex items-center gap-1">
            <input type="checkbox" checked={classes.includes(c)} onChange={() => toggle(c)} data-testid={`quest-class-${c}`} />
            {c}
          </label>
        ))}
      </fieldset>
      <div className="flex flex-col gap-2 sm:col-span-4">
        {error && (
          <Notice kind="error" testId="quest-error">
            {error}
          </Notice>
        )}
        <div>
          <Button type="submit" disabled={busy} data-testid="quest-create">
            Create quest
          </Button>
        </div>
      </div>
    </form>
  );
}
