"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { backFromBank, bookingRefusal, refusal, takePendingBooking, type BookingRefusal, type PendingBooking } from "@/lib/bankConfirmation";
import { money } from "@/lib/format";
import { defaultCity } from "@/lib/geo";
import { useRealtime, useRequiredSession, signOutEverywhere } from "@/lib/useSession";
import { useLoad } from "@/lib/useLoad";
import { useStaleGuard } from "@/lib/useStaleGuard";
import { isReached, stopsOf } from "@/lib/stops";
import type { DriverPosition, LatLng, Nearby, PickupDetails, PromotionRewarded, Quote, ServerMessage, Trip, TripReminder, TripStopReached, VehicleClass, Weekday } from "@/lib/types";
import { daysLabel } from "@/lib/weekdays";
import { AppHeader } from "../AppHeader";
import { RatingBadge } from "../MyRating";
import { AccountKeptNotice } from "../AccountKeptNotice";
import { ConfirmEmailNotice } from "../ConfirmEmailNotice";
import { MapView, type MapCircle, type MapMarker } from "../MapView";
import { Notice } from "../ui";
import { BookingRefused } from "./BookingRefused";
import { canChangeDestination, type DestinationDraft } from "./ChangeDestination";
import { canMovePickup, moveCircle, type PickupMoveDraft } from "./MovePickup";
import { PromotionRewardedNotice } from "./PromotionRewardedNotice";
import { QuotePanel, draftPoints, newStopDraft, pickupInstant, quoteFor, type StopDraft } from "./QuotePanel";
import { RideReminder } from "./RideReminder";
import { RiderRatingStandingNotice } from "./RiderRatingStanding";
import { ScheduledRides, pickupTime, type ScheduledPickupMove } from "./ScheduledRides";
import { RepeatingRides } from "./RepeatingRides";
import { SplitInvitations } from "./SplitInvitations";
import { TripPanel } from "./TripPanel";
import { UnpaidTrip } from "./UnpaidTrip";
import { TripHistory } from "../TripHistory";

export function RiderApp() {
  const [session, signOut] = useRequiredSession("rider");
  const [pickup, setPickup] = useState<LatLng | null>(null);
  const [dropoff, setDropoff] = useState<LatLng | null>(null);
  /** The booking form's stops on the way, in order. */
  const [stops, setStops] = useState<StopDraft[]>([]);
  const [anyQuote, setQuote] = useState<Quote | null>(null);
  const [nearby, setNearby] = useState<Nearby | null>(null);
  /** "Bringing a pet" under the prices (ADR 0041): the booking says so, and the cars shown are those who take pets. */
  const [bringingPet, setBringingPet] = useState(false);
  /** "Wheelchair-accessible vehicle" under the prices (ADR 0045): the booking says so, and the cars shown are those approved as such. */
  const [needsWheelchair, setNeedsWheelchair] = useState(false);
  const [trip, setTrip] = useState<Trip | null>(null);
  /** Changes when trip.split arrived: the rides other riders asked this rider to split are read again. */
  const [splitVersion, setSplitVersion] = useState(0);
  const [driverPosition, setDriverPosition] = useState<DriverPosition | null>(null);
  /** Changes when a payment message arrives (a checkout opened, a card being charged, paid, failed): the payment shown is read again. */
  const [paymentVersion, setPaymentVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  /**
   * Why the last booking was refused (a card that declined the hold, a ride to pay first, …), or that the bank asks the
   * rider to confirm the hold first: said by the prices booked.
   */
  const [bookingError, setBookingError] = useState<BookingRefusal | null>(null);
  /**
   * Booking again once the bank's page sent the rider back (3-D Secure): still asking, or refused. Said above the form,
   * since the prices booked are not on screen any more; new prices take it away.
   */
  const [afterBank, setAfterBank] = useState<"checking" | BookingRefusal | null>(null);
  /** Something that happened to an earlier trip (a refund), said once. */
  const [notice, setNotice] = useState<string | null>(null);
  /** trip.reminder: a ride booked for later is about an hour away; shown until dismissed. */
  const [reminder, setReminder] = useState<TripReminder | null>(null);
  /** promotion.rewarded: a friend the rider invited took their first ride; shown until dismissed. */
  const [reward, setReward] = useState<PromotionRewarded | null>(null);
  const [chatVersion, setChatVersion] = useState(0);
  const [historyVersion, setHistoryVersion] = useState(0);
  /** Bumped on rider.rating_standing (ADR 0056): the rating and its warning or restriction are read again. */
  const [standingVersion, setStandingVersion] = useState(0);
  /** The rider's rating and standing, read once for the header's badge and the standing's notice. */
  const { data: rating } = useLoad(session ? () => api.myRating(session) : null, [session, historyVersion, standingVersion], "");
  /** Changes when help.updated arrives (support answered or closed): the help requests shown are read again. */
  const [helpVersion, setHelpVersion] = useState(0);
  /** Changes when payment.card_removed arrives: the saved cards offered under the prices are read again. */
  const [walletVersion, setWalletVersion] = useState(0);
  /** The history as TripHistory last read it: UnpaidTrip looks in it rather than reading it again. */
  const [history, setHistory] = useState<Trip[]>([]);
  /** The pickup time of a ride to book for later (a datetime-local value), or null to ride now. */
  const [when, setWhen] = useState<string | null>(null);
  /** Changes when the rides booked for later may have changed (one booked, moved, cancelled, or its search started). */
  const [scheduledVersion, setScheduledVersion] = useState(0);
  /** Bumped when a repeating ride is added (ADR 0043): "Repeating rides" reads them again. */
  const [repeatVersion, setRepeatVersion] = useState(0);
  /** The open "Change destination" form's new drop-off (null: the form is closed). */
  const [destinationDraft, setDestinationDraft] = useState<DestinationDraft | null>(null);
  const [pickupMoveDraft, setPickupMoveDraft] = useState<PickupMoveDraft | null>(null);
  /** The open "Move pickup" form of a ride booked for later: while open, a click on the map sets its new spot. */
  const [scheduledMove, setScheduledMove] = useState<ScheduledPickupMove | null>(null);
  // Prices are for the route they were asked for: a pickup, stop or drop-off changed since (typed, clicked, the sample
  // route, a stop added or removed), or an answer that arrived after such a change, shows no prices and books nothing.
  const quote = quoteFor(anyQuote, pickup, dropoff, draftPoints(stops));
  // New prices (or none: the route changed) are a new booking: what was said about the last one has had its say.
  useEffect(() => {
    setBookingError(null);
    setAfterBank((shown) => (shown === "checking" ? shown : null));
  }, [quote?.quoteId]);
  const tripId = useRef<string | null>(null);
  /** Whose position is shown and when it was recorded: positions travel in batches and may arrive out of order. */
  const positionAt = useRef<{ driverId: unknown; at: number } | null>(null);

  const staleness = useStaleGuard();
  /** What a failed read put on screen: a later read that succeeds takes it away (an action's error stays). */
  const readError = useRef<string | null>(null);

  const refresh = useCallback(async () => {
    if (!session) return;
    const isNewest = staleness.beginRead();
    try {
      const current = tripId.current ? await api.trip(session, tripId.current) : await api.activeTrip(session);
      if (!isNewest()) return;
      tripId.current = current?.tripId ?? null;
      setTrip(current);
      staleness.succeeded();
      setError((shown) => (shown === readError.current ? null : shown));
    } catch (e) {
      if (!isNewest()) return; // a newer read is on its way
      readError.current = e instanceof ApiError ? e.message : "Could not load your trip.";
      setError(readError.current);
      staleness.failed(isNewest, () => void refresh());
    }
  }, [session, staleness]);

  const onMessage = useCallback(
    (message: ServerMessage) => {
      const data = message.data as Record<string, unknown> | null;
      if (message.type === "driver.location" && data?.location) {
        const at = typeof data.recordedAt === "string" ? Date.parse(data.recordedAt) : NaN;
        if (!Number.isNaN(at)) {
          const shown = positionAt.current;
          // Only one driver's positions are compared: a new driver (after a cancellation) has a clock of their own.
          if (shown !== null && shown.driverId === data.driverId && at < shown.at) return;
          positionAt.current = { driverId: data.driverId, at };
        }
        setDriverPosition({
          location: data.location as LatLng,
          pickupEtaSeconds: data.pickupEtaSeconds as number | undefined,
          dropoffEtaSeconds: data.dropoffEtaSeconds as number | undefined,
        });
        return;
      }
      if (message.type === "trip.driver_cancelled") {
        // Their car leaves the map; the trip searches again (read below) and the panel says why.
        setDriverPosition(null);
        positionAt.current = null;
      }
      // A payment of any trip (the one on screen, or an unpaid earlier one), or the trip saying it is paid now: the history
      // and what is due change.
      // Support waived what the rider owed (ADR 0053): "Payment due" goes, and the next ride books; of a part, it shows the rest.
      if (message.type === "trip.payment_waived") {
        const waived = data as { fareMinor?: number; returnFeeMinor?: number; currency?: string; stillOwedMinor?: number } | null;
        const total = (waived?.fareMinor ?? 0) + (waived?.returnFeeMinor ?? 0);
        if (total > 0) setNotice(waivedNotice(total, waived?.fareMinor ?? 0, waived?.currency ?? "USD", waived?.stillOwedMinor ?? 0));
      }
      if (message.type.startsWith("payment.") || message.type === "trip.paid" || message.type === "trip.payment_waived") {
        setPaymentVersion((v) => v + 1);
        setHistoryVersion((v) => v + 1);
      }
      if (message.type === "help.updated") {
        setHelpVersion((v) => v + 1); // the trip itself did not change
        return;
      }
      // Split fare (ADR 0040): an invitee's list of invitations is read again (the rider's own trip below).
      if (message.type === "snapshot" || message.type === "trip.split") setSplitVersion((v) => v + 1);
      if (message.type === "trip.lost_item") {
        setHistoryVersion((v) => v + 1); // a finished ride's report (ADR 0035): its receipt shows where it stands now
        return;
      }
      // After a (re)connect: a help.updated may have been missed while disconnected.
      if (message.type === "snapshot") setHelpVersion((v) => v + 1);
      if (message.type === "trip.message") {
        setChatVersion((v) => v + 1); // the conversation is read again; the trip itself did not change
        return;
      }
      if (message.type === "trip.stop_reached") {
        // The trip on screen says which stops are reached: read it again (no ride booked for later changed).
        if ((data as TripStopReached | null)?.tripId === tripId.current) void refresh();
        return;
      }
      if (message.type === "trip.reminder") {
        if (typeof data?.scheduledFor === "string" && typeof data.dispatchAt === "string") setReminder(data as TripReminder);
        return; // the ride is still booked for later, as it was
      }
      if (message.type === "rider.rating_standing") {
        setStandingVersion((v) => v + 1);
        return; // no trip of this rider's changed
      }
      if (message.type === "promotion.rewarded") {
        if (typeof data?.code === "string" && typeof data.expiresAt === "string") setReward(data as PromotionRewarded);
        return; // no trip of this rider's changed
      }
      // Its search started, it was cancelled or moved to another time: the reminder of that ride has had its say.
      if (message.type === "trip.searching" || message.type === "trip.cancelled" || message.type === "trip.rescheduled") setReminder((shown) => (shown?.tripId === data?.tripId ? null : shown));
      if (message.type === "trip.refunded") {
        // Read once trips has recorded it (payment.refunded may arrive before): the receipt shows it from now on.
        const refund = data as { amountMinor?: number; currency?: string; kind?: string; creditMinor?: number } | null;
        if (refund?.amountMinor) setNotice(refundNotice(refund.amountMinor, refund.creditMinor ?? 0, refund.kind, refund.currency ?? "USD"));
        setHistoryVersion((v) => v + 1);
      }
      if (message.type === "trip.cancelled" && data?.cancelledBy === "system" && typeof data.reason === "string") setNotice(data.reason);
      if (message.type === "payment.card_removed" && typeof data?.cardLabel === "string") {
        // Removed elsewhere (another device, or support): the prices stop offering it at once.
        setNotice(cardRemovedNotice(data.cardLabel, data.removedBy, data.reason));
        setWalletVersion((v) => v + 1);
      }
      // A ride booked for later starts its search (trip.searching), is cancelled or moved (trip.rescheduled): the list of them changes.
      if (message.type === "snapshot" || message.type.startsWith("trip.")) setScheduledVersion((v) => v + 1);
      if (message.type === "snapshot" || message.type.startsWith("trip.") || message.type.startsWith("payment.")) void refresh();
    },
    [refresh],
  );
  const realtime = useRealtime(session, onMessage);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The history's receipts change with the trip: its status, its payment, the rating given.
  useEffect(() => setHistoryVersion((v) => v + 1), [trip?.status, trip?.receipt?.paymentStatus, trip?.driverRating?.stars]);

  const hasTrip = trip !== null;
  // The form closes when the destination may no longer change (the ride ended, the trip was cancelled or searches again).
  const changeable = trip !== null && canChangeDestination(trip.status);
  useEffect(() => {
    if (!changeable) setDestinationDraft(null);
  }, [changeable]);
  // The "Move pickup" form closes once the driver waits there (or the trip ended).
  const pickupMovable = trip !== null && canMovePickup(trip.status);
  useEffect(() => {
    if (!pickupMovable) setPickupMoveDraft(null);
  }, [pickupMovable]);
  // Before booking: the cars around the pickup and each class's pickup ETA, looked up again every 10 s; for a rider
  // bringing a pet (where the prices take one), only drivers who welcome pets: no other would be offered the ride.
  const withPet = bringingPet && quote?.petFee !== undefined;
  // Likewise for a rider who needs a wheelchair-accessible vehicle (ADR 0045): only such vehicles are shown and timed.
  const wheelchair = needsWheelchair && quote?.wheelchairAccessible === true;
  // The next booking's form starts unticked, as it did when the form kept the box itself.
  useEffect(() => {
    if (hasTrip) {
      setBringingPet(false);
      setNeedsWheelchair(false);
    }
  }, [hasTrip]);
  useEffect(() => {
    setNearby(null);
    if (!session || !pickup || hasTrip) return;
    let stopped = false;
    const look = () => {
      if (document.visibilityState === "hidden") return; // nobody is looking: spare the rate limit and the service
      api.nearby(session, pickup, withPet, wheelchair).then(
        (found) => !stopped && setNearby(found),
        () => !stopped && setNearby(null), // only a hint: prices and booking work without it
      );
    };
    const first = setTimeout(look, 300); // a pickup being typed settles first
    const timer = setInterval(look, 10_000);
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [session, pickup, hasTrip, withPet, wheelchair]);

  /** Books the class now, or for later; paid with the saved card the rider chose (undefined: their default card). */
  async function request(vehicleClass: VehicleClass, cardId: string | undefined, pickupDetails: PickupDetails) {
    if (!session || !quote) return;
    setError(null);
    setBookingError(null);
    setAfterBank(null);
    if (when !== null) {
      await reserve(vehicleClass, when, cardId, pickupDetails);
      return;
    }
    const booking: PendingBooking = {
      riderId: session.userId,
      quoteId: quote.quoteId,
      vehicleClass,
      cardId,
      pickupDetails,
      pickup: quote.pickup,
      dropoff: quote.dropoff,
      stops: quote.stops ?? [],
    };
    try {
      booked(await api.requestTrip(session, quote.quoteId, vehicleClass, crypto.randomUUID(), undefined, cardId, pickupDetails));
    } catch (e) {
      // Refused (a card declined the hold of the price, the chosen card removed or expired, a ride to pay first, …): said
      // where the rider asked, who may book again at once (another card chosen in "Pay with" or made the default in their
      // account, or none to pay after the ride). A bank that wants the hold confirmed first: its page is offered.
      setBookingError(bookingRefusal(e, "Could not request the trip.", booking));
    }
  }

  /** A ride booked now: the trip replaces the prices. */
  function booked(created: Trip) {
    staleness.changed();
    tripId.current = created.tripId;
    setTrip(created);
    setQuote(null);
    setDriverPosition(null);
    positionAt.current = null;
    // A nearby driver may have accepted before this answer arrived: the socket's trip.driver_assigned then came while
    // the booking was on its way, and its read was overtaken by this answer. Read the trip once more.
    void refresh();
  }

  // Back from the bank's page (?booking=authenticated): the booking kept before leaving is made again, as it was (quote,
  // class, card); the bank's answer decides. Its route is shown again, so that a refusal can be priced afresh at once.
  // The address is cleaned as it is read: a reload does not book again. Without a kept booking the address says nothing.
  useEffect(() => {
    if (!session || !backFromBank()) return;
    const pending = takePendingBooking(session.userId);
    if (!pending) return;
    setPickup(pending.pickup);
    setDropoff(pending.dropoff);
    setStops(pending.stops.map((p) => newStopDraft(p)));
    setAfterBank("checking");
    api.requestTrip(session, pending.quoteId, pending.vehicleClass, crypto.randomUUID(), undefined, pending.cardId, pending.pickupDetails).then(
      (created) => {
        setAfterBank(null);
        booked(created);
      },
      // Declined (the authentication failed), the quote expired meanwhile, or the bank still waits for an answer
      // (the rider came back without giving one: its page is offered again).
      (e) => setAfterBank(bookingRefusal(e, "Could not request the trip.", pending)),
    );
    // Once, when the rider is known: booked() reads the trip with this session's refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session]);

  /**
   * Books the quote for later: it joins "Booked for later"; the screen stays ready for a ride now. The chosen card is
   * kept with the ride, and held when its search starts.
   */
  async function reserve(vehicleClass: VehicleClass, localTime: string, cardId: string | undefined, pickupDetails: PickupDetails) {
    if (!session || !quote) return;
    const at = pickupInstant(localTime);
    if (!at) {
      setBookingError(refusal("Choose a pickup time."));
      return;
    }
    try {
      const booked = await api.requestTrip(session, quote.quoteId, vehicleClass, crypto.randomUUID(), at, cardId, pickupDetails);
      setQuote(null);
      setWhen(null);
      const lead = booked.scheduledFor && booked.dispatchAt ? Math.round((Date.parse(booked.scheduledFor) - Date.parse(booked.dispatchAt)) / 60_000) : null;
      setNotice(
        `Booked for ${booked.scheduledFor ? pickupTime(booked.scheduledFor) : "later"}: ${booked.vehicleClass}, ${money(booked.fare)}.` +
          (lead ? ` We start looking for your driver ${lead} minutes before.` : ""),
      );
      setScheduledVersion((v) => v + 1);
      setHistoryVersion((v) => v + 1);
    } catch (e) {
      setBookingError(refusal(e instanceof ApiError ? e.message : "Could not book the ride."));
    }
  }

  /**
   * Makes a repeating ride of the quote's route and class (ADR 0043) on these weekdays at the time of day of `when`, in
   * the phone's time zone: it joins "Repeating rides", and its first ride "Booked for later" once booked (a day ahead).
   */
  async function repeat(vehicleClass: VehicleClass, cardId: string | undefined, details: PickupDetails, days: Weekday[], endsOn: string) {
    if (!session || !quote || when === null) return;
    setError(null);
    setBookingError(null);
    const time = when.slice(11, 16);
    try {
      const made = await api.createRideSchedule(session, {
        days,
        pickupTime: time,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        pickup: quote.pickup,
        dropoff: quote.dropoff,
        vehicleClass,
        ...(cardId ? { cardId } : {}),
        ...(details.pickupNote ? { pickupNote: details.pickupNote } : {}),
        ...(details.withPet ? { withPet: true } : {}),
        ...(details.profile === "business" ? { profile: "business" as const, ...(details.expenseMemo ? { expenseMemo: details.expenseMemo } : {}) } : {}),
        ...(details.wheelchairAccessible ? { wheelchairAccessible: true } : {}),
        ...(endsOn ? { endsOn } : {}),
      });
      setQuote(null);
      setWhen(null);
      setNotice(
        `Repeating ride added: ${daysLabel(made.days ?? [])} at ${made.pickupTime}, ${made.vehicleClass}.` +
          (made.nextPickupAt
            ? ` The first, ${pickupTime(made.nextPickupAt)}, is booked ${made.booksAt && Date.parse(made.booksAt) > Date.now() ? pickupTime(made.booksAt) : "now"}.`
            : ""),
      );
      setRepeatVersion((v) => v + 1);
    } catch (e) {
      setBookingError(refusal(e instanceof ApiError ? e.message : "Could not add the repeating ride."));
    }
  }

  function finish() {
    staleness.changed();
    tripId.current = null;
    setTrip(null);
    setPickup(null);
    setDropoff(null);
    setStops([]);
    setDriverPosition(null);
    positionAt.current = null;
    setHistoryVersion((v) => v + 1);
  }

  function pick(point: LatLng) {
    if (scheduledMove) {
      setScheduledMove({ ...scheduledMove, pickup: point });
      return;
    }
    if (trip) {
      // During a trip a click sets the new pickup of an open "Move pickup" form, or the new drop-off of an open
      // "Change destination" form; otherwise nothing.
      if (pickupMoveDraft && pickupMovable) setPickupMoveDraft({ pickup: point });
      else if (destinationDraft && changeable) setDestinationDraft({ dropoff: point });
      return;
    }
    setQuote(null);
    const emptyStop = stops.findIndex((s) => s.point === null);
    if (!pickup) {
      setPickup(point);
      setDropoff(null);
    } else if (emptyStop >= 0) setStops(stops.map((s, i) => (i === emptyStop ? { ...s, point } : s)));
    else if (!dropoff) setDropoff(point);
    else {
      // A whole route was chosen: a click starts a new one.
      setPickup(point);
      setDropoff(null);
      setStops([]);
    }
  }

  const shownPickup = trip?.pickup ?? pickup;
  const shownDropoff = trip?.dropoff ?? dropoff;
  /** The stops on the map: the trip's (a reached one says so), or the booking form's chosen so far. */
  const shownStops: { position: LatLng; number: number; reached: boolean }[] = trip
    ? stopsOf(trip).map((s, i) => ({ position: s.location, number: i + 1, reached: isReached(s) }))
    : stops.flatMap((s, i) => (s.point ? [{ position: s.point, number: i + 1, reached: false }] : []));
  const markers: MapMarker[] = [
    ...(shownPickup ? [{ id: "pickup", position: shownPickup, label: "Pickup", kind: "pickup" as const }] : []),
    ...shownStops.map((s) => ({
      id: `stop-${s.number}`,
      position: s.position,
      label: `Stop ${s.number}${s.reached ? " (reached)" : ""}`,
      kind: "stop" as const,
      badge: String(s.number),
    })),
    ...(shownDropoff ? [{ id: "dropoff", position: shownDropoff, label: "Drop-off", kind: "dropoff" as const }] : []),
    ...(trip && pickupMoveDraft?.pickup ? [{ id: "new-pickup", position: pickupMoveDraft.pickup, label: "New pickup", kind: "newPickup" as const }] : []),
    ...(trip && destinationDraft?.dropoff ? [{ id: "new-dropoff", position: destinationDraft.dropoff, label: "New drop-off", kind: "newDropoff" as const }] : []),
    ...(driverPosition && trip ? [{ id: "driver", position: driverPosition.location, label: "Your driver", kind: "driver" as const }] : []),
    ...(!trip && nearby?.cars ? nearby.cars.map((car, i) => ({ id: `car-${i}`, position: car.location, label: `Available ${car.vehicleClass}`, kind: "car" as const })) : []),
  ];

  // Moving a ride booked for later's pickup, the map shows that ride's pickup, the new spot and how far it may go.
  const mapMarkers: MapMarker[] = scheduledMove
    ? [
        { id: "scheduled-pickup", position: scheduledMove.trip.pickup, label: "Pickup", kind: "pickup" },
        ...(scheduledMove.pickup ? [{ id: "new-pickup", position: scheduledMove.pickup, label: "New pickup", kind: "newPickup" as const }] : []),
      ]
    : markers;
  const circles: MapCircle[] = scheduledMove ? [moveCircle(scheduledMove.trip)] : trip && pickupMoveDraft ? [moveCircle(trip)] : [];
  /** One "Move pickup" form open at a time: the ride booked for later's, or the trip's now. */
  const openScheduledMove = useCallback((move: ScheduledPickupMove | null) => {
    setScheduledMove(move);
    if (move) setPickupMoveDraft(null);
  }, []);
  const openPickupMove = (draft: PickupMoveDraft | null) => {
    setPickupMoveDraft(draft);
    if (draft) setScheduledMove(null);
  };

  if (!session) return null;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 p-4">
      <AppHeader title="Ride" status={realtime.status} name={session.name} badge={<RatingBadge rating={rating} />} onSignOut={signOut} onSignOutEverywhere={() => signOutEverywhere(session, signOut)} />
      <MapView
        label={
          scheduledMove || (trip && pickupMoveDraft)
            ? "Map: click to set the new pickup"
            : trip && destinationDraft
              ? "Map: click to set the new drop-off"
              : "Map: click to set pickup, stops, then drop-off"
        }
        center={scheduledMove?.trip.pickup ?? shownPickup ?? defaultCity}
        markers={mapMarkers}
        circles={circles}
        route={!scheduledMove && shownPickup && shownDropoff ? [shownPickup, ...shownStops.map((s) => s.position), shownDropoff] : undefined}
        onPick={pick}
      />
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice>{notice}</Notice>}
      {reminder && <RideReminder key={reminder.tripId + reminder.remindedAt} reminder={reminder} onDismiss={() => setReminder(null)} />}
      {reward && <PromotionRewardedNotice reward={reward} onDismiss={() => setReward(null)} />}
      <RiderRatingStandingNotice rating={rating} />
      <AccountKeptNotice role="rider" />
      <ConfirmEmailNotice session={session} />
      {trip ? (
        <TripPanel
          session={session}
          trip={trip}
          driverPosition={driverPosition}
          paymentVersion={paymentVersion}
          onChanged={staleness.afterAction(setTrip)}
          onStale={() => void refresh()}
          onError={setError}
          onDone={finish}
          chatVersion={chatVersion}
          helpVersion={helpVersion}
          destinationDraft={destinationDraft}
          onDestinationDraft={setDestinationDraft}
          pickupMoveDraft={pickupMoveDraft}
          onPickupMoveDraft={openPickupMove}
          walletVersion={walletVersion}
        />
      ) : (
        <>
          <UnpaidTrip session={session} history={history} version={historyVersion} onError={setError} />
          {afterBank === "checking" && <Notice testId="bank-checking">Checking with your bank…</Notice>}
          {afterBank && afterBank !== "checking" && <BookingRefused refusal={afterBank} />}
          <QuotePanel
            session={session}
            walletVersion={walletVersion}
            pickup={pickup}
            dropoff={dropoff}
            setPickup={setPickup}
            setDropoff={setDropoff}
            stops={stops}
            setStops={setStops}
            quote={quote}
            setQuote={setQuote}
            nearby={nearby}
            onRequest={request}
            onRepeat={repeat}
            bookingRefusal={bookingError}
            onError={setError}
            when={when}
            setWhen={setWhen}
            bringingPet={bringingPet}
            setBringingPet={setBringingPet}
            needsWheelchair={needsWheelchair}
            setNeedsWheelchair={setNeedsWheelchair}
          />
        </>
      )}
      <SplitInvitations session={session} version={splitVersion} walletVersion={walletVersion} />
      <RepeatingRides
        session={session}
        version={repeatVersion}
        onChanged={() => {
          setScheduledVersion((v) => v + 1);
          setHistoryVersion((v) => v + 1);
        }}
      />
      <ScheduledRides
        session={session}
        version={scheduledVersion}
        pickupMove={scheduledMove}
        onPickupMove={openScheduledMove}
        onChanged={() => {
          setScheduledVersion((v) => v + 1);
          setHistoryVersion((v) => v + 1);
        }}
      />
      <TripHistory
        session={session}
        version={historyVersion}
        helpVersion={helpVersion}
        onLoaded={setHistory}
        onRoute={
          hasTrip
            ? undefined
            : (from, to, via) => {
                // A past route, or its way back: the booking form takes it (its stops too), to be priced afresh.
                setPickup(from);
                setDropoff(to);
                setStops(via.map((point) => newStopDraft(point)));
                window.scrollTo({ top: 0, behavior: "smooth" });
              }
        }
      />
    </main>
  );
}

/** What the rider reads when one of their saved cards was removed while the app was open: by support, saying why. */
export function cardRemovedNotice(cardLabel: string, removedBy: unknown, reason: unknown): string {
  return removedBy === "support"
    ? `Support removed your card ${cardLabel} from your account${typeof reason === "string" && reason ? `: ${reason}` : ""}. It will not be charged again.`
    : `Your card ${cardLabel} was removed from your account. It will not be charged again.`;
}

/**
 * What the rider reads when money came back on a ride while the app was open: to the card, as ride credit (a refund of
 * kind credit), or both (ride credit paid part of the fare, ADR 0051: that part goes back to credit).
 */
/** What the rider is told when support waived what they owed (ADR 0053), or part of it (<paramref name="stillOwedMinor"/>: the rest). */
export function waivedNotice(totalMinor: number, fareMinor: number, currency: string, stillOwedMinor = 0): string {
  const amount = money({ amountMinor: totalMinor, currency });
  if (stillOwedMinor > 0) {
    const owed = money({ amountMinor: totalMinor + stillOwedMinor, currency });
    return `UberClone support waived ${amount} of the ${owed} you owed for an earlier ride: you still owe ${money({ amountMinor: stillOwedMinor, currency })}.`;
  }
  return `UberClone support waived the ${amount} you owed for an earlier ride: you owe nothing for it${fareMinor > 0 ? ", and you can book your next ride" : ""}.`;
}

export function refundNotice(amountMinor: number, creditMinor: number, kind: string | undefined, currency: string): string {
  const amount = money({ amountMinor, currency });
  if (kind === "credit" || creditMinor >= amountMinor) return `${amount} was added to your ride credit.`;
  if (creditMinor <= 0) return `${amount} was refunded to your card.`;
  return `${amount} was refunded: ${money({ amountMinor: amountMinor - creditMinor, currency })} to your card and ${money({ amountMinor: creditMinor, currency })} to your ride credit.`;
}
