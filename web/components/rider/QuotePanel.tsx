"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { distance, duration, less, money, point } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import { defaultCity } from "@/lib/geo";
import { stopCount } from "@/lib/stops";
import type { BookingRefusal } from "@/lib/bankConfirmation";
import type { LatLng, Nearby, PickupDetails, PlaceFee, Quote, QuoteOption, SavedPlace, Session, VehicleClass, Weekday } from "@/lib/types";
import { weekdayOf, weekdays } from "@/lib/weekdays";
import { Button, Card, Field, inputClass } from "../ui";
import { BookingRefused } from "./BookingRefused";
import { PayingWith, chosenCard, walletKey } from "./PayingWith";
import { CreditPaysFirst } from "../account/RideCreditSummary";
import { PickupFor, emptyPickup, pickupDetails, type PickupDraft } from "./PickupFor";
import { RideProfileChoice, personalRide, profileDetails, type ProfileDraft } from "./RideProfileChoice";
import { RecentDestinations } from "./RecentDestinations";
import { SavedPlaces } from "./SavedPlaces";

/** "lat, lng" → a point, or null unless both are numbers in range. */
function parse(text: string): LatLng | null {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.length !== 2 || parts.some((s) => s === "")) return null;
  const [lat, lng] = parts.map(Number) as [number, number];
  return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

export const samePoint = (a: LatLng | null, b: LatLng | null) => (a === null || b === null ? a === b : a.lat === b.lat && a.lng === b.lng);

/** "3 min away" for the nearest available car of the class, or that none is near; nothing while unknown. */
function availability(nearby: Nearby | null, vehicleClass: VehicleClass): string | null {
  const found = nearby?.classes.find((c) => c.vehicleClass === vehicleClass);
  if (!found) return null;
  return found.pickupEtaSeconds === undefined ? "no cars nearby" : `${duration(found.pickupEtaSeconds)} away`;
}

const show = (p: LatLng | null) => (p ? point(p) : "");

/**
 * A point typed as "lat, lng": the text is the rider's while they type (a half-typed point is no point yet, and is not
 * wiped), and a point set elsewhere (the sample route, a click on the map) replaces it.
 */
export function CoordinateInput(props: { label: string; name: string; value: LatLng | null; placeholder: string; onChange: (p: LatLng | null) => void }) {
  const [text, setText] = useState(show(props.value));
  useEffect(() => {
    setText((current) => (samePoint(parse(current), props.value) ? current : show(props.value)));
  }, [props.value]);
  const [typing, setTyping] = useState(false);
  // Said once the rider leaves the field, not at every key of a point still being typed.
  const invalid = !typing && text.trim() !== "" && parse(text) === null;
  return (
    <Field label={props.label}>
      <input
        className={inputClass}
        name={props.name}
        value={text}
        placeholder={props.placeholder}
        aria-invalid={invalid}
        onFocus={() => setTyping(true)}
        onBlur={() => setTyping(false)}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(parse(e.target.value));
        }}
      />
      {invalid && <span className="text-xs text-red-700">Type latitude, longitude, e.g. 52.52, 13.40</span>}
    </Field>
  );
}

/** The most stops on the way a ride may have (the trips service's Trips:MaxStops; ADR 0023). */
export const maxStops = 3;

/** Keys of stop fields: a counter, since crypto.randomUUID exists only in secure contexts (not http:// on a LAN address). */
let stopKeys = 0;

/** A new stop field, empty or holding `point`. */
export const newStopDraft = (point: LatLng | null = null): StopDraft => ({ key: `stop-${++stopKeys}`, point });

/** A stop field of the booking form: its point once chosen (null while empty or half-typed); key: stable across removals. */
export type StopDraft = { key: string; point: LatLng | null };

/** The drafts' points, in order: null for a field not chosen yet. */
export const draftPoints = (stops: StopDraft[]) => stops.map((s) => s.point);

/**
 * The quote, if it was made for this pickup, these stops and this drop-off (the rider may have moved, added or removed
 * one since, or asked again).
 */
export function quoteFor(quote: Quote | null, pickup: LatLng | null, dropoff: LatLng | null, stops: (LatLng | null)[]): Quote | null {
  if (!quote || !samePoint(quote.pickup, pickup) || !samePoint(quote.dropoff, dropoff)) return null;
  const quoted = quote.stops ?? [];
  return quoted.length === stops.length && quoted.every((p, i) => samePoint(p, stops[i] ?? null)) ? quote : null;
}

export function QuotePanel(props: {
  session: Session;
  /** Changes when a saved card was removed elsewhere: the cards are read again. */
  walletVersion?: number;
  pickup: LatLng | null;
  dropoff: LatLng | null;
  setPickup: (p: LatLng | null) => void;
  setDropoff: (p: LatLng | null) => void;
  /** Stops on the way, in order (at most maxStops): each chosen like the drop-off (typed, clicked on the map, a saved place). */
  stops: StopDraft[];
  setStops: (stops: StopDraft[]) => void;
  quote: Quote | null;
  setQuote: (q: Quote | null) => void;
  nearby: Nearby | null;
  /**
   * Books the class, paid with the saved card the rider chose (undefined: no choice to make, their default card pays),
   * with the note for the driver and who rides (ADR 0031), and whether the rider brings a pet (ADR 0041).
   */
  onRequest: (vehicleClass: VehicleClass, cardId: string | undefined, pickup: PickupDetails) => void;
  /** Makes a repeating ride of the class (ADR 0043) on these weekdays at the time of `when`, until endsOn (yyyy-MM-dd; "": no end), instead of booking once. */
  onRepeat: (vehicleClass: VehicleClass, cardId: string | undefined, pickup: PickupDetails, days: Weekday[], endsOn: string) => void;
  /** Why the last booking of these prices was refused, or that the bank asks to confirm it (null: neither), said below them. */
  bookingRefusal?: BookingRefusal | null;
  onError: (message: string | null) => void;
  /** The pickup time of a ride booked for later (a datetime-local value), or null for now. */
  when: string | null;
  setWhen: (when: string | null) => void;
  /** "Bringing a pet" (ADR 0041), ticked: the rider app's, as the cars and ETAs shown near the pickup follow it too. */
  bringingPet: boolean;
  setBringingPet: (bringing: boolean) => void;
  /** "Wheelchair-accessible vehicle" (ADR 0045), ticked: the rider app's, as the cars and ETAs near the pickup follow it too. */
  needsWheelchair: boolean;
  setNeedsWheelchair: (needs: boolean) => void;
}) {
  const [busy, setBusy] = useState(false);
  /** The saved places as SavedPlaces last had them: a recent destination at one of them is not offered twice. */
  const [places, setPlaces] = useState<SavedPlace[]>([]);
  /**
   * The rider's saved cards, read as the form appears (and so again after account settings, where cards are added), and
   * when one was removed elsewhere.
   */
  const { data: wallet } = useLoad(() => api.cards(props.session), [props.session, props.walletVersion], "");
  /** The rider's ride credit (ADR 0051), read as each set of prices appears: it pays a personal ride's fare first, and the form says so. */
  const quoteId = props.quote?.quoteId;
  const { data: credit } = useLoad(quoteId ? () => api.credit(props.session) : null, [props.session, quoteId], "");
  /** The card the rider chose in "Pay with" (null: none chosen, the default); chosen again when the cards change. */
  const [cardChoice, setCardChoice] = useState<string | null>(null);
  /** The note for the driver and who rides, as typed; details: what booking sends (null while "Someone else" lacks a name). */
  const [pickupDraft, setPickupDraft] = useState<PickupDraft>(emptyPickup);
  /** Personal or business (ADR 0034): offered only with a confirmed work email, read as the form appears (it is confirmed in account settings). */
  const { data: me } = useLoad(() => api.me(props.session), [props.session, props.walletVersion], "");
  const business = me?.businessProfile?.confirmed === true;
  const [profileDraft, setProfileDraft] = useState<ProfileDraft>(personalRide);
  /** "Bringing a pet" (ADR 0041) is sent only while the prices say what a pet costs (pets are taken at this pickup). */
  const { bringingPet, setBringingPet } = props;
  const petFee = props.quote?.petFee;
  const pickup = pickupDetails(pickupDraft);
  const withProfile = pickup && (business ? { ...pickup, ...profileDetails(profileDraft) } : pickup);
  const withPetChoice = withProfile && (petFee && bringingPet ? { ...withProfile, withPet: true } : withProfile);
  /** "Cash" in "Pay with" (ADR 0042), chosen; sent only while the prices take cash and for a personal ride. */
  const [cashChosen, setCashChosen] = useState(false);
  const cashAccepted = props.quote?.cashAccepted === true && !(business && profileDraft.profile === "business");
  const payInCash = cashAccepted && cashChosen;
  const withCash = withPetChoice && (payInCash ? { ...withPetChoice, payInCash: true } : withPetChoice);
  /** Sent only where the prices offer wheelchair-accessible vehicles (ADR 0045); the same price. */
  const { needsWheelchair, setNeedsWheelchair } = props;
  const wheelchairOffered = props.quote?.wheelchairAccessible === true;
  const details = withCash && (wheelchairOffered && needsWheelchair ? { ...withCash, wheelchairAccessible: true } : withCash);
  /** "Repeat every week" (ADR 0043) on these weekdays; null: book once. Only for a ride later. */
  const [repeatDays, setRepeatDays] = useState<Weekday[] | null>(null);
  /** "Until" (yyyy-MM-dd): the last day it books a ride for; "": no end. */
  const [repeatUntil, setRepeatUntil] = useState("");
  const repeating = props.when !== null && repeatDays !== null;
  /** Why this ride cannot repeat (null: it can): a repeating ride is the rider's own (personal or business), without stops, paid by card. */
  const cannotRepeat = !repeating
    ? null
    : repeatDays.length === 0
      ? "Choose at least one day."
      : props.stops.length > 0
        ? "A repeating ride has no stops on the way."
        : pickupDraft.someoneElse
          ? "A repeating ride is a ride for you."
          : payInCash
            ? "A repeating ride is paid with a card, not in cash."
            : null;
  const cards = walletKey(wallet);
  useEffect(() => setCardChoice(null), [cards]);
  const expiresAt = props.quote?.expiresAt;
  const now = useNow(expiresAt !== undefined);
  const expired = expiresAt !== undefined && now >= Date.parse(expiresAt);

  const stopPoints = draftPoints(props.stops);
  const chosenStops = stopPoints.every((p): p is LatLng => p !== null) ? stopPoints : null;
  /** The stop field a saved place or a click on the map fills (the first empty one), 0-based; -1 when none is empty. */
  const emptyStop = stopPoints.indexOf(null);
  const setStop = (index: number, point: LatLng | null) =>
    props.setStops(props.stops.map((s, i) => (i === index ? { ...s, point } : s)));

  async function getQuotes() {
    if (!props.pickup || !props.dropoff || !chosenStops) return;
    setBusy(true);
    props.onError(null);
    try {
      props.setQuote(await api.quote(props.session, props.pickup, props.dropoff, chosenStops));
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : "Could not get prices.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Where to?">
      <div className="flex flex-col gap-3">
        <CoordinateInput label="Pickup (lat, lng)" name="pickup" value={props.pickup} placeholder="Click the map or type 52.52, 13.40" onChange={props.setPickup} />
        {props.stops.map((stop, i) => (
          <div key={stop.key} className="flex items-end gap-2">
            <div className="flex-1">
              <CoordinateInput label={`Stop ${i + 1} (lat, lng)`} name={`stop${i + 1}`} value={stop.point} placeholder="Click the map or type 52.51, 13.42" onChange={(p) => setStop(i, p)} />
            </div>
            <Button variant="secondary" onClick={() => props.setStops(props.stops.filter((s) => s.key !== stop.key))}>
              Remove stop<span className="sr-only"> {i + 1}</span>
            </Button>
          </div>
        ))}
        {props.stops.length < maxStops && (
          <Button
            variant="secondary"
            className="self-start"
            onClick={() => props.setStops([...props.stops, newStopDraft()])}
          >
            Add a stop
          </Button>
        )}
        <div className="flex flex-col gap-2">
          <CoordinateInput label="Drop-off (lat, lng)" name="dropoff" value={props.dropoff} placeholder="52.50, 13.45" onChange={props.setDropoff} />
          <RecentDestinations session={props.session} pickup={props.pickup} places={places} onPick={props.setDropoff} />
        </div>
      </div>
      <SavedPlaces
        session={props.session}
        pickup={props.pickup}
        dropoff={props.dropoff}
        stop={props.pickup && emptyStop >= 0 ? emptyStop + 1 : null}
        onPick={(place, as) => (as === "pickup" ? props.setPickup(place) : as === "stop" ? setStop(emptyStop, place) : props.setDropoff(place))}
        onError={props.onError}
        onPlaces={setPlaces}
      />
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={() => {
            props.setPickup(defaultCity);
            props.setStops([]);
            props.setDropoff({ lat: defaultCity.lat - 0.02, lng: defaultCity.lng + 0.04 });
          }}
        >
          Sample route
        </Button>
        <Button onClick={getQuotes} disabled={!props.pickup || !props.dropoff || !chosenStops || busy}>
          See prices
        </Button>
      </div>
      <When when={props.when} setWhen={props.setWhen} />
      {props.when !== null && (
        <Repeat
          days={repeatDays}
          onChange={setRepeatDays}
          until={repeatUntil}
          onUntil={setRepeatUntil}
          first={weekdayOf(props.when)}
          problem={cannotRepeat}
        />
      )}
      {props.quote && (
        <div className="mt-4">
          <p className="mb-2 text-sm text-slate-600" data-testid="quote-route">
            {distance(props.quote.distanceMeters)}
            {props.quote.stops?.length ? ` through ${stopCount(props.quote.stops.length)}` : ""} · about{" "}
            {duration(props.quote.durationSeconds)} · prices valid until{" "}
            {new Date(props.quote.expiresAt).toLocaleTimeString()}
          </p>
          {expired && (
            <div className="mb-2 flex items-center justify-between gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900" role="status">
              These prices have expired: see the new ones before you book.
              <Button variant="secondary" onClick={getQuotes} disabled={busy}>
                See new prices
              </Button>
            </div>
          )}
          <ul className="flex flex-col gap-2" aria-label="Prices by vehicle class">
            {props.quote.options.map((option) => (
              <li key={option.vehicleClass} className="flex items-center justify-between rounded-md border border-slate-200 p-3">
                <span className="flex flex-col">
                  <span>
                    <span className="font-medium capitalize">{option.vehicleClass}</span>{" "}
                    {option.surgeMultiplier > 1 && <span className="text-xs text-amber-700">surge ×{option.surgeMultiplier.toFixed(1)}</span>}
                  </span>
                  {option.breakdown?.placeFees?.length ? (
                    <span className="text-xs text-slate-600" data-testid={`place-fee-${option.vehicleClass}`}>
                      Includes {placeFeesNote(option.breakdown.placeFees, option.price.currency)}
                    </span>
                  ) : null}
                  {availability(props.nearby, option.vehicleClass) && (
                    <span className="text-xs text-slate-600" data-testid={`eta-${option.vehicleClass}`}>
                      {availability(props.nearby, option.vehicleClass)}
                    </span>
                  )}
                </span>
                <span className="flex items-center gap-3">
                  <OptionPrice option={option} />
                  <Button
                    onClick={() =>
                      details &&
                      (repeating
                        ? props.onRepeat(option.vehicleClass, chosenCard(wallet, cardChoice)?.id, details, repeatDays, repeatUntil)
                        : props.onRequest(option.vehicleClass, payInCash ? undefined : chosenCard(wallet, cardChoice)?.id, details))
                    }
                    disabled={expired || props.when === "" || details === null || cannotRepeat !== null}
                    aria-label={`${props.when === null ? "Request" : repeating ? "Repeat" : "Reserve"} ${option.vehicleClass}`}
                  >
                    {props.when === null ? "Request" : repeating ? "Repeat" : "Reserve"}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
          {props.bookingRefusal && (
            <div className="mt-2">
              <BookingRefused refusal={props.bookingRefusal} />
            </div>
          )}
          {petFee && (
            <label className="mt-2 flex items-center gap-2 text-sm" data-testid="pet-choice">
              <input type="checkbox" checked={bringingPet} onChange={(e) => setBringingPet(e.target.checked)} data-testid="pet-checkbox" />
              Bringing a pet (+{money(petFee)})
            </label>
          )}
          {wheelchairOffered && (
            <label className="mt-2 flex items-center gap-2 text-sm" data-testid="wav-choice">
              <input type="checkbox" checked={needsWheelchair} onChange={(e) => setNeedsWheelchair(e.target.checked)} data-testid="wav-checkbox" />
              Wheelchair-accessible vehicle (same price)
            </label>
          )}
          <PayingWith wallet={wallet} choice={cardChoice} onChoose={setCardChoice} cash={cashAccepted ? cashChosen : undefined} onCash={setCashChosen} />
          {!payInCash && (
            <CreditPaysFirst credit={credit} currency={props.quote.options[0]?.price.currency} business={business && profileDraft.profile === "business"} />
          )}
          <PickupFor draft={pickupDraft} onChange={setPickupDraft} />
          {business && <RideProfileChoice draft={profileDraft} onChange={setProfileDraft} />}
          {waitNote(props.quote) && (
            <p className="mt-2 text-xs text-slate-600" data-testid="quote-wait-terms">
              {waitNote(props.quote)}
            </p>
          )}
        </div>
      )}
    </Card>
  );
}

/** What the rider pays for a class: with their best promotion, the price after it, the price before struck through, and its code. */
function OptionPrice({ option }: { option: QuoteOption }) {
  const { vehicleClass, price, promotion } = option;
  if (!promotion) return <span data-testid={`price-${vehicleClass}`}>{money(price)}</span>;
  return (
    <span className="flex flex-col items-end">
      <span data-testid={`price-${vehicleClass}`}>{money(less(price, promotion.discount))}</span>
      <span className="text-xs text-green-800" data-testid={`quote-promotion-${vehicleClass}`}>
        <span className="sr-only">was </span>
        <s className="text-slate-500">{money(price)}</s>{" "}
        · <span className="font-mono">{promotion.code}</span>
      </span>
    </span>
  );
}

/** The place fees in a price (ADR 0037), as the rider reads them: "BER Airport fee $5.00 and …". */
function placeFeesNote(fees: PlaceFee[], currency: string): string {
  return fees.map((fee) => `${fee.name} ${money({ amountMinor: fee.amountMinor ?? 0, currency })}`).join(" and ");
}

/** What waiting at the pickup costs, for every class ("$0.30 a minute for economy, …"); null when it is free. */
function waitNote(quote: Quote): string | null {
  const priced = quote.options.filter((o) => o.waitPerMinute?.amountMinor);
  if (priced.length === 0) return null;
  return `Waiting at the pickup is free for ${duration(quote.freeWaitSeconds ?? 0)} after your driver arrives, then ${priced
    .map((o) => `${money(o.waitPerMinute)} a minute for ${o.vehicleClass}`)
    .join(", ")}.`;
}

/** The datetime-local value ("2026-12-04T18:30") of an instant, in the phone's time zone. */
export function localValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A datetime-local value this many minutes from now, in the phone's time zone. */
function localInput(minutesAhead: number): string {
  const at = new Date(Date.now() + minutesAhead * 60_000);
  at.setSeconds(0, 0);
  return localValue(at);
}

/** The ISO instant of a datetime-local value (the phone's time zone), or null when it is no time. */
export function pickupInstant(localTime: string): string | null {
  const at = new Date(localTime);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** A pickup time later (at least half an hour ahead, at most 30 days: the service says so if not). */
export function PickupTimeInput(props: { value: string; onChange: (value: string) => void; label: string; testId?: string }) {
  return (
    <input
      type="datetime-local"
      className={inputClass}
      value={props.value}
      min={localInput(30)}
      max={localInput(30 * 24 * 60)}
      onChange={(e) => props.onChange(e.target.value)}
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}

/**
 * "Repeat every week" under a pickup time later (ADR 0043): the weekdays the ride repeats on, at that time of day (the
 * pickup time's own weekday ticked first). Booking then makes a repeating ride; each ride is booked a day ahead.
 */
function Repeat(props: {
  days: Weekday[] | null;
  onChange: (days: Weekday[] | null) => void;
  until: string;
  onUntil: (until: string) => void;
  first: Weekday | null;
  problem: string | null;
}) {
  const { days } = props;
  return (
    <fieldset className="mt-2 flex flex-col gap-2 text-sm" data-testid="repeat-choice">
      <legend className="sr-only">Repeat</legend>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={days !== null}
          onChange={(e) => props.onChange(e.target.checked ? (props.first ? [props.first] : []) : null)}
          data-testid="repeat-checkbox"
        />
        Repeat every week
      </label>
      {days !== null && (
        <>
          <span className="flex flex-wrap gap-2">
            {weekdays.map((day) => (
              <label key={day} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={days.includes(day)}
                  onChange={(e) => props.onChange(e.target.checked ? [...days, day] : days.filter((d) => d !== day))}
                  data-testid={`repeat-day-${day}`}
                />
                <span className="capitalize">{day.slice(0, 3)}</span>
              </label>
            ))}
          </span>
          <label className="flex items-center gap-2">
            <span className="text-slate-600">Until (optional)</span>
            <input
              type="date"
              className="rounded-md border border-slate-300 px-2 py-1"
              value={props.until}
              onChange={(e) => props.onUntil(e.target.value)}
              aria-label="Repeat until"
              data-testid="repeat-until"
            />
          </label>
          <span className="text-xs text-slate-600">
            {props.problem ?? "Each ride is booked a day before, at that day's price; we mail you when one is booked, or why not."}
          </span>
        </>
      )}
    </fieldset>
  );
}

/** Now, or a pickup time later. */
function When({ when, setWhen }: { when: string | null; setWhen: (when: string | null) => void }) {
  return (
    <fieldset className="mt-3 flex flex-wrap items-center gap-3 text-sm">
      <legend className="sr-only">When</legend>
      <label className="flex items-center gap-1">
        <input type="radio" name="when" checked={when === null} onChange={() => setWhen(null)} /> Now
      </label>
      <label className="flex items-center gap-1">
        <input type="radio" name="when" checked={when !== null} onChange={() => setWhen(localInput(60))} /> Later
      </label>
      {when !== null && (
        <label className="flex items-center gap-2">
          <span className="text-slate-600">Pickup time</span>
          <PickupTimeInput value={when} onChange={setWhen} label="Pickup time" />
        </label>
      )}
    </fieldset>
  );
}
