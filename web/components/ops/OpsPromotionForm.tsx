"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { toMinorUnits } from "@/lib/format";
import type { NewPromotion, Promotion, Session } from "@/lib/types";
import { PromotionCodeInput } from "../PromotionCodeForm";
import { Button, Field, Notice, inputClass } from "../ui";

type Kind = "percent" | "amount";

/** A date input's value ("2027-01-04") this many days from today, in this computer's time zone. */
function dateIn(days: number): string {
  const at = new Date();
  at.setDate(at.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The end of a day (a date input's value) in this computer's time zone, as an ISO instant; null when it is no day. */
function endOfDay(date: string): string | null {
  const at = new Date(`${date}T23:59:59`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * Support creates a promotion: a percentage off (capped per ride, if they like) or an amount off, in one currency, for
 * so many rides per rider, until the end of a day, for at most so many riders, for any rider or only those who have not
 * ridden yet (a welcome offer). The promotions service has the last word on every field; what cannot even be sent (an
 * amount that is no amount) is said here.
 */
export function OpsPromotionForm({ session, onCreated }: { session: Session; onCreated: (promotion: Promotion) => void }) {
  const [code, setCode] = useState("");
  const [kind, setKind] = useState<Kind>("percent");
  const [percent, setPercent] = useState("");
  const [amount, setAmount] = useState("");
  const [maxDiscount, setMaxDiscount] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [rides, setRides] = useState("1");
  const [expiresOn, setExpiresOn] = useState(() => dateIn(30));
  const [maxRiders, setMaxRiders] = useState("");
  const [newRidersOnly, setNewRidersOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** The request, or what is wrong with the form. */
  function read(): NewPromotion | string {
    const currencyCode = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currencyCode)) return "The currency is a 3-letter ISO 4217 code, e.g. USD.";
    const expiresAt = endOfDay(expiresOn);
    if (!expiresAt) return "Choose the day the promotion expires.";
    const promotion: NewPromotion = { code: code.trim().toUpperCase(), currency: currencyCode, ridesPerRider: Number(rides), expiresAt };
    if (maxRiders.trim()) promotion.maxRiders = Number(maxRiders);
    if (newRidersOnly) promotion.newRidersOnly = true;
    if (kind === "percent") {
      promotion.percentOff = Number(percent);
      if (maxDiscount.trim()) {
        const cap = toMinorUnits(maxDiscount, currencyCode);
        if (cap === null) return `Type the largest discount a ride gets in ${currencyCode}, e.g. 4.00, or leave it blank.`;
        promotion.maxDiscountMinor = cap;
      }
    } else {
      const off = toMinorUnits(amount, currencyCode);
      if (off === null) return `Type the amount off in ${currencyCode}, e.g. 5.00.`;
      promotion.amountOffMinor = off;
    }
    return promotion;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const promotion = read();
    if (typeof promotion === "string") {
      setError(promotion);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.createPromotion(session, promotion));
      setCode("");
      setPercent("");
      setAmount("");
      setMaxDiscount("");
      setMaxRiders("");
      setNewRidersOnly(false);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-2 sm:grid-cols-4" aria-label="New promotion" data-testid="ops-promotion-form">
      <Field label="Code (4–20 letters and digits)">
        <PromotionCodeInput value={code} onChange={setCode} testId="ops-promotion-code" />
      </Field>
      <Field label="Takes off">
        <select className={inputClass} value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="ops-promotion-kind">
          <option value="percent">A percentage of the fare</option>
          <option value="amount">An amount</option>
        </select>
      </Field>
      {kind === "percent" ? (
        <>
          <Field label="Percent off (1–100)">
            <input className={inputClass} type="number" min={1} max={100} value={percent} onChange={(e) => setPercent(e.target.value)} required data-testid="ops-promotion-percent" />
          </Field>
          <Field label={`At most, per ride (${currency || "…"}, optional)`}>
            <input className={inputClass} inputMode="decimal" value={maxDiscount} onChange={(e) => setMaxDiscount(e.target.value)} autoComplete="off" data-testid="ops-promotion-max-discount" />
          </Field>
        </>
      ) : (
        <Field label={`Amount off (${currency || "…"})`}>
          <input className={inputClass} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required autoComplete="off" data-testid="ops-promotion-amount" />
        </Field>
      )}
      <Field label="Currency">
        <input
          className={`${inputClass} uppercase`}
          value={currency}
          onChange={(e) => setCurrency(e.target.value)}
          required
          minLength={3}
          maxLength={3}
          autoComplete="off"
          data-testid="ops-promotion-currency"
        />
      </Field>
      <Field label="Rides per rider (1–50)">
        <input className={inputClass} type="number" min={1} max={50} value={rides} onChange={(e) => setRides(e.target.value)} required data-testid="ops-promotion-rides" />
      </Field>
      <Field label="Expires at the end of">
        <input className={inputClass} type="date" min={dateIn(0)} max={dateIn(365)} value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} required data-testid="ops-promotion-expires" />
      </Field>
      <Field label="Riders at most (optional)">
        <input className={inputClass} type="number" min={1} value={maxRiders} onChange={(e) => setMaxRiders(e.target.value)} data-testid="ops-promotion-max-riders" />
      </Field>
      <label className="flex items-center gap-2 text-sm sm:col-span-4">
        <input type="checkbox" checked={newRidersOnly} onChange={(e) => setNewRidersOnly(e.target.checked)} data-testid="ops-promotion-new-riders" />
        Only riders who have not ridden yet
      </label>
      <div className="flex flex-col gap-2 sm:col-span-4">
        {error && (
          <Notice kind="error" testId="ops-promotion-error">
            {error}
          </Notice>
        )}
        <div>
          <Button type="submit" disabled={busy} data-testid="ops-promotion-create">
            Create promotion
          </Button>
        </div>
      </div>
    </form>
  );
}
