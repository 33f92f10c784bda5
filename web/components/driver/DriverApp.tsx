"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import { cashLimitNotice, type CashLimitMessage } from "@/lib/cash";
import { acceptance, clockTime, money } from "@/lib/format";
import { defaultCity, moveToward, simulatedSpeedMetersPerSecond } from "@/lib/geo";
import { rereadUntil } from "@/lib/reread";
import { isReached, nextStopIndex, stopsOf, wayAhead } from "@/lib/stops";
import { useRealtime, useRequiredSession, signOutEverywhere } from "@/lib/useSession";
import { useStaleGuard } from "@/lib/useStaleGuard";
import { type DriverApprovalChanged, type DriverQueueMessage, type DriverState, type DriverStateMessage, type LatLng, type Money, type Offer, type QuestProgressMessage, type ReservationReleased, type ReservationReminder, type RidePreferences, type ServerMessage, type Session, type Trip, type VehicleClass } from "@/lib/types";
import { AppHeader } from "../AppHeader";
import { RatingBadge } from "../MyRating";
import { RatingStandingNotice } from "./RatingStanding";
import { AccountKeptNotice } from "../AccountKeptNotice";
import { ConfirmEmailNotice } from "../ConfirmEmailNotice";
import { MapView, type MapMarker } from "../MapView";
import { TripHistory } from "../TripHistory";
import { Earnings } from "./Earnings";
import { Payouts } from "./Payouts";
import { HeadingTo } from "./HeadingTo";
import { PetsWelcome } from "./PetsWelcome";
import { AcceptCash } from "./AcceptCash";
import { Button, Card, ClassOptions, Field, Notice, inputClass } from "../ui";
import { OfferCard } from "./OfferCard";
import { RidesForLater } from "./RidesForLater";
import { SurgeLegend, surgeMapAreas, useSurgeAreas } from "./SurgeAreas";
import { DriverTripPanel } from "./DriverTripPanel";
import { DrivingTime } from "./DrivingTime";
import { AirportQueueLine, queueStatusFrom, type QueueStatus } from "./AirportQueue";
import { OfflineAfterTrip } from "./OfflineAfterTrip";
import { LostItemsForDriver } from "../LostItem";
import { DriverApprovalCard, DriverPermitSummary, approvalChangedText, classToDrive, mayDrive, permittedClasses, useDriverApproval } from "./DriverApproval";

const pingIntervalMs = 3000;
/** Why trips ends a reservation whose driver is on another ride when its search starts (ADR 0050). */
const RELEASED_ON_ANOTHER_RIDE = "excused: on another ride";

/**
 * Reads the driver's state again (refresh() shows each read) until the drivers service no longer has them on
 * <paramref name="tripId"/>: it frees a driver when the trip's end (or their giving it up) reaches it over Kafka, a
 * moment after the trip's own answer — longer when the broker is busy, hence waits adding up to about 20 seconds.
 */
function rereadUntilFreed(refresh: () => Promise<DriverState | null | undefined>, tripId: string, alive: () => boolean) {
  return rereadUntil(
    refresh,
    (me) => me !== undefined && !(me?.state === "on_trip" && me.currentTripId === tripId),
    () => undefined,
    alive,
    [500, 750, 1000, 1500, 2000, 3000, 4000, 6000],
  );
}

/** Where the simulated car starts: ?start=lat,lng (demos, tests), else somewhere near the city centre. */
function startPosition(): LatLng {
  const requested = typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("start");
  const [lat, lng] = (requested ?? "").split(",").map(Number);
  if (lat !== undefined && lng !== undefined && Number.isFinite(lat) && Number.isFinite(lng) && requested) return { lat, lng };
  return { lat: defaultCity.lat + (Math.random() - 0.5) * 0.01, lng: defaultCity.lng + (Math.random() - 0.5) * 0.01 };
}

export function DriverApp() {
  const [session, signOut] = useRequiredSession("driver");
  const [driver, setDriver] = useState<DriverState | null>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [trip, setTrip] = useState<Trip | null>(null);
  const [position, setPosition] = useState<LatLng>(startPosition);
  /** The class the driver picked; what they go online in is that if support approved it (classToDrive). */
  const [pickedClass, setPickedClass] = useState<VehicleClass | null>(null);
  const [simulate, setSimulate] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  /** Bumped on driver.rating_standing (ADR 0055): the rating and its warning are read again. */
  const [standingVersion, setStandingVersion] = useState(0);
  /** The driver's rating and standing, read once for the header's badge and the standing's warning. */
  const { data: rating } = useLoad(session ? () => api.myRating(session) : null, [session, historyVersion, standingVersion], "");
  /** The driver's recent trips as the history last read them: the ones with a lost item still open stand at the top. */
  const [recentTrips, setRecentTrips] = useState<Trip[]>([]);
  const [chatVersion, setChatVersion] = useState(0);
  /** Changes when a reservation of a ride for later may have changed (ADR 0047): "Rides for later near you" is read again. */
  const [reserveVersion, setReserveVersion] = useState(0);
  const [reservationReminder, setReservationReminder] = useState<ReservationReminder | null>(null);
  // A reserved ride whose search started while the driver was on another ride (ADR 0050): gone to other drivers, no strike.
  const [reservationExcused, setReservationExcused] = useState<ReservationReleased | null>(null);
  /** Changes when help.updated arrives (support answered or closed): the help requests shown are read again. */
  const [helpVersion, setHelpVersion] = useState(0);
  /** The last payout.paid, payout.failed, payout.bank_refused or payout.bank_refusal_cleared (said on the payouts card), or a reconnect's snapshot (which may have missed one). */
  const [payoutMessage, setPayoutMessage] = useState<ServerMessage | null>(null);
  /** The rider changed the drop-off of this trip: its new fare, said on the trip panel until the trip ends. */
  const [destinationChanged, setDestinationChanged] = useState<{ tripId: string; fare: Money } | null>(null);
  /** The airport queue the driver waits in (from their state, then live from driver.queue), or the one they just left. */
  const [queue, setQueue] = useState<QueueStatus>(null);
  const positionRef = useRef(position);
  positionRef.current = position;
  const tripRef = useRef(trip);
  tripRef.current = trip;
  const staleness = useStaleGuard();
  /** What a failed read put on screen: a later read that succeeds takes it away (an action's error stays). */
  const readError = useRef<string | null>(null);
  /** The offer the driver last answered: a read that started before the answer must not bring its card back. */
  const answered = useRef<string | null>(null);
  const { approval, error: approvalError, reload: reloadApproval, changed: approvalChanged } = useDriverApproval(session);
  const vehicleClass = classToDrive(approval, pickedClass);
  /** The approval shown when a driver.approval message comes: whether it narrowed the permit is told by what it was. */
  const approvalRef = useRef(approval);
  approvalRef.current = approval;

  /** Reads the driver's state and active trip and shows them; answers the state read (undefined: stale or failed). */
  const refresh = useCallback(async (): Promise<DriverState | null | undefined> => {
    if (!session) return undefined;
    const isNewest = staleness.beginRead();
    try {
      const [me, active] = await Promise.all([api.driverMe(session), api.activeTrip(session)]);
      if (!isNewest()) return;
      setDriver(me);
      // In a queue: the state's place. In none: the pass back after a short trip from one, or a queue just left, stays
      // said while they are available.
      setQueue((shown) =>
        me?.queue
          ? { place: me.queue }
          : me?.returnPass && me.state === "available"
            ? { pass: me.returnPass }
            : shown && "left" in shown && me?.state === "available"
              ? shown
              : null,
      );
      if (me?.state === "offline" && me.offlineReason) setNotice(me.offlineReason);
      if (me?.location && !tripRef.current) setPosition(me.location);
      // The pending offer from the driver's state: after a reload or a reconnect no "offer" message comes again.
      const pending = me?.offer;
      setOffer((shown) =>
        !pending || pending.offerId === answered.current ? null : shown?.offerId === pending.offerId ? shown : offerFrom(pending, me.driverId),
      );
      setTrip((current) => active ?? (current && (current.status === "completed" || current.status === "cancelled") ? current : null));
      staleness.succeeded();
      setError((shown) => (shown === readError.current ? null : shown));
      return me;
    } catch (e) {
      if (!isNewest()) return undefined; // a newer read is on its way
      readError.current = e instanceof ApiError ? e.message : "Could not load your status.";
      setError(readError.current);
      staleness.failed(isNewest, () => void refresh());
      return undefined;
    }
  }, [session, staleness]);

  /**
   * A finished trip still on screen is not the driver's active trip, so refresh() keeps it as it was: when its payment
   * or earnings change, it is read again (and replaces what is shown only if it is still that trip).
   */
  const rereadShownTrip = useCallback(
    async (tripId: string | undefined) => {
      if (!session || !tripId || tripRef.current?.tripId !== tripId) return;
      await api.trip(session, tripId).then(
        (read) => setTrip((shown) => (shown?.tripId === read.tripId ? read : shown)),
        () => undefined, // the history shows it too; the next read corrects the panel
      );
    },
    [session],
  );

  const onMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type === "offer") {
        setOffer(message.data as Offer);
        setNotice(null);
        void refresh();
      } else if (message.type === "offer.withdrawn") {
        setOffer(null);
        setNotice((message.data as { reason?: string } | undefined)?.reason ?? "The offer was withdrawn.");
        void refresh();
      } else if (message.type === "driver.approval") {
        // Support decided (approved, refused, narrowed or took the approval away), or the approval lapsed: what the driver
        // may drive changed (a driver online in a class no longer approved is taken offline, which driver.offline says).
        setNotice(approvalChangedText(message.data as DriverApprovalChanged, approvalRef.current));
        void reloadApproval();
        void refresh();
      } else if (message.type === "driver.rating_standing") {
        setStandingVersion((v) => v + 1);
      } else if (message.type === "driver.driving_limit_near") {
        // Half an hour before the driving limit (ADR 0026): how long is left, and what happens then.
        setNotice((message.data as { message?: string } | undefined)?.message ?? "You are near your time online: rest soon.");
        void refresh();
      } else if (message.type === "driver.queue") {
        // The driver's place in an airport queue changed, or they left it (ADR 0036): shown from the message itself.
        const queued = message.data as DriverQueueMessage;
        setQueue(queueStatusFrom(queued));
        // A pass back after a short trip is written with the release from it: the state (available) is read again too.
        if (queued.returnBy) void refresh();
      } else if (message.type === "driver.state") {
        // The driver went online or offline, or stopped new requests during the trip or took it back, maybe on another of
        // their devices (ADR 0026): shown at once from the message, then read again for the rest (time online, queue).
        const pushed = message.data as DriverStateMessage;
        setDriver((shown) =>
          shown && shown.driverId === pushed.driverId
            ? {
                ...shown,
                state: pushed.state,
                offlineAfterTrip: pushed.offlineAfterTrip,
                offlineAfterTripReason: pushed.offlineAfterTripReason ?? undefined,
                offlineReason: pushed.offlineReason ?? undefined,
              }
            : shown,
        );
        void refresh();
      } else if (message.type === "driver.offline") {
        setNotice((message.data as { reason?: string } | undefined)?.reason ?? "You were taken offline.");
        void refresh();
      } else if (message.type === "trip.cancelled" && (message.data as { tripId?: string } | undefined)?.tripId === tripRef.current?.tripId) {
        // The rider (or support, for them) cancelled the trip this driver was on the way to: say so, rather than let the
        // trip just vanish.
        const by = (message.data as { cancelledBy?: string } | undefined)?.cancelledBy;
        // (The driver's own no-show cancellation comes back here too: its panel says so already.)
        if (by !== "driver") setNotice(by === "operator" ? "Support cancelled the trip." : "The rider cancelled the trip.");
        void refresh();
      } else if (message.type === "trip.completed" && (message.data as { tripId?: string } | undefined)?.tripId === tripRef.current?.tripId) {
        // Support ended the ride for the driver (their own "Complete trip" shows the answer already): the trip is read
        // first, so the panel shows it completed with the earnings instead of the trip vanishing, then the state.
        void rereadShownTrip(tripRef.current?.tripId).finally(() => void refresh());
      } else if (message.type === "trip.paid") {
        // The rider paid a trip of this driver's: its receipt and the earnings change, and a tip is worth a line.
        const paid = message.data as { tipMinor?: number; currency?: string; purpose?: string } | undefined;
        const tip = money({ amountMinor: paid?.tipMinor ?? 0, currency: paid?.currency ?? "USD" });
        if (paid?.purpose === "tip") setNotice(`A rider tipped you ${tip} after the ride.`);
        else if (paid?.tipMinor) setNotice(`The rider paid and tipped you ${tip}.`);
        setHistoryVersion((v) => v + 1);
        void refresh();
        rereadShownTrip((message.data as { tripId?: string } | undefined)?.tripId);
      } else if (message.type === "trip.payment_waived") {
        // Support waived what the rider owed on a trip of this driver's (ADR 0053): its receipt says so, and that their
        // earnings are unchanged; nothing to tell them beyond that line.
        setHistoryVersion((v) => v + 1);
        rereadShownTrip((message.data as { tripId?: string } | undefined)?.tripId);
      } else if (message.type === "driver.quest") {
        // A completed ride moved a quest's progress (ADR 0038): the earnings card reads its quests (and bonus) again.
        const quest = message.data as QuestProgressMessage | undefined;
        if (quest?.earned) setNotice(`Quest complete: ${money({ amountMinor: quest.bonusMinor, currency: quest.currency })} bonus added to your earnings`);
        setHistoryVersion((v) => v + 1);
      } else if (message.type === "driver.cash_limit") {
        // Past the limit of what the driver may owe from cash rides, or back under it (ADR 0042): the payouts card reads
        // what they owe again, and the state (drivers keeps it a moment after payments says it).
        setNotice(cashLimitNotice(message.data as CashLimitMessage));
        setPayoutMessage(message);
        void refresh();
        setTimeout(() => void refresh(), 1_500);
      } else if (
        message.type === "payout.paid" ||
        message.type === "payout.failed" ||
        message.type === "payout.bank_refused" ||
        message.type === "payout.bank_refusal_cleared"
      ) {
        // A payout of the driver's was paid, or refused (its money is owed to them again), or their bank refused one the
        // provider sent it, or took one again after that (the warning goes).
        setPayoutMessage(message);
      } else if (message.type === "trip.lost_item") {
        // A rider reported something left in the car, or closed their report (ADR 0035): the history is read again.
        const lost = message.data as { status?: string; supportAlerted?: boolean } | undefined;
        if (lost?.status === "reported" && !lost.supportAlerted) setNotice("A rider left something in your car.");
        setHistoryVersion((v) => v + 1);
      } else if (message.type === "help.updated") {
        setHelpVersion((v) => v + 1); // the trip itself did not change
      } else if (message.type === "trip.message") {
        setChatVersion((v) => v + 1); // the conversation is read again; the trip itself did not change
      } else if (message.type === "trip.destination_changed") {
        // The trip is read again: the map's drop-off and the route to it follow the new destination.
        const changed = message.data as { tripId?: string; fareMinor?: number; currency?: string } | undefined;
        if (changed?.tripId) setDestinationChanged({ tripId: changed.tripId, fare: { amountMinor: changed.fareMinor ?? 0, currency: changed.currency ?? "USD" } });
        void refresh();
      } else if (message.type === "trip.pickup_moved" && (message.data as { reservedDriverId?: string } | undefined)?.reservedDriverId) {
        // The rider of a ride this driver reserved moved its pickup before its search (ADR 0046, 0047): their
        // reservations are read again, with the new pickup area.
        setNotice("A rider moved the pickup of a ride you reserved: see Your reserved rides.");
        setReserveVersion((v) => v + 1);
      } else if (message.type === "trip.pickup_moved") {
        // The rider moved the pickup while the driver is on the way (ADR 0046): the trip is read again, so the map and
        // "arrived" go to the new spot.
        setNotice("The rider moved the pickup: head to the new spot on the map.");
        void refresh();
      } else if (message.type === "trip.pickup_note_changed") {
        // The rider changed their note while the driver is on the way or waiting (ADR 0031): shown at once, from the
        // message itself, so nothing waits for a read.
        const changed = message.data as { tripId?: string; pickupNote?: string | null } | undefined;
        setTrip((shown) => (shown && shown.tripId === changed?.tripId ? { ...shown, pickupNote: changed.pickupNote ?? undefined } : shown));
        setNotice("The rider changed their note for you.");
      } else if (message.type === "trip.preferences_changed") {
        // The rider changed the ride's preferences, e.g. "Quiet ride" in the middle of it (ADR 0049): shown at once, from
        // the message itself. A driver looking at the offer gets the same offer again with them instead.
        const changed = message.data as { tripId?: string; preferences?: RidePreferences } | undefined;
        setTrip((shown) => (shown && shown.tripId === changed?.tripId ? { ...shown, ridePreferences: changed.preferences } : shown));
        if (changed?.preferences?.conversation === "quiet") setNotice("The rider prefers a quiet ride.");
        else setNotice("The rider changed their ride preferences.");
      } else if (message.type === "trip.refunded") {
        // A fare adjustment (part of a trip's fare went back to the rider), a tip or a lost item's return fee given back: the driver earns less.
        const refund = message.data as { amountMinor?: number; currency?: string; driverEarningsMinor?: number; kind?: string } | undefined;
        const currency = refund?.currency ?? "USD";
        const givenBack = refund?.kind === "tip" || refund?.kind === "item_return";
        const what = givenBack ? "Support gave back" : "A fare adjustment of";
        const whose = refund?.kind === "tip" ? "of a rider's tip" : refund?.kind === "item_return" ? "of a lost item's return fee" : "was refunded to a rider";
        setNotice(
          `${what} ${money({ amountMinor: refund?.amountMinor ?? 0, currency })} ${whose}; ` +
            `you now earn ${money({ amountMinor: refund?.driverEarningsMinor ?? 0, currency })} from that trip.`,
        );
        setHistoryVersion((v) => v + 1);
        rereadShownTrip((message.data as { tripId?: string } | undefined)?.tripId);
      } else if (message.type === "error") {
        const data = message.data as { message?: string };
        setError(data.message ?? "The request was refused.");
      } else if (message.type === "ack" && ["offer.accept", "offer.decline"].includes(String((message.data as { type?: string } | undefined)?.type))) {
        // An answered offer changed the driver's state; a location ping's ack (one every few seconds) changed nothing.
        void refresh();
      } else if (message.type === "trip.reservation_reminder") {
        // A ride the driver reserved is near (ADR 0050): "be online by …" over their reserved rides.
        setReservationReminder(message.data as ReservationReminder);
      } else if (message.type === "trip.reserved" || message.type === "trip.reservation_released" || message.type === "trip.reservation_strike_removed") {
        // A ride for later reserved or released (ADR 0047), a strike support removed (ADR 0050): the lists change; no trip on screen did.
        const released = message.data as ReservationReleased;
        if (message.type === "trip.reservation_released" && released.by === "system" && released.reason === RELEASED_ON_ANOTHER_RIDE) setReservationExcused(released);
        setReserveVersion((v) => v + 1);
      } else if (message.type === "snapshot" || message.type.startsWith("trip.")) {
        if (message.type === "snapshot") setReserveVersion((v) => v + 1);
        // After a (re)connect a help.updated or a driver.approval may have been missed too.
        if (message.type === "snapshot") {
          setHelpVersion((v) => v + 1);
          setPayoutMessage(message);
          void reloadApproval();
        }
        void refresh();
      }
    },
    [refresh, rereadShownTrip, reloadApproval],
  );
  const realtime = useRealtime(session, onMessage);
  // Where fares are higher, to drive toward while there is no trip to drive (online, or before going online).
  const surge = useSurgeAreas(session, position, trip === null);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The drivers service frees the driver once the trip's end reaches it over Kafka, a moment after the trip's own answer
  // or message: while the trip shown has ended but the state read still puts the driver on it, read it again.
  const endedTripStillDriven =
    (trip?.status === "completed" || trip?.status === "cancelled") && driver?.state === "on_trip" && driver.currentTripId === trip.tripId ? trip.tripId : null;
  useEffect(() => {
    if (!endedTripStillDriven) return;
    let alive = true;
    void rereadUntilFreed(refresh, endedTripStillDriven, () => alive);
    return () => {
      alive = false;
    };
  }, [endedTripStillDriven, refresh]);

  // A driver who stopped new requests is offline once the trip ends, which is what they asked for: say so, rather than
  // let the status change without a word (a reason of the service's is said by refresh()).
  const shownDriver = useRef<DriverState | null>(null);
  useEffect(() => {
    const before = shownDriver.current;
    shownDriver.current = driver;
    if (before?.state === "on_trip" && before.offlineAfterTrip && !before.offlineAfterTripReason && driver?.state === "offline" && !driver.offlineReason) {
      setNotice("You're offline: you stopped new requests.");
    }
  }, [driver]);

  // The history's receipts change with the trip: its status, its payment, the rating given.
  useEffect(() => setHistoryVersion((v) => v + 1), [trip?.status, trip?.receipt?.paymentStatus, trip?.riderRating?.stars]);

  // Position: the browser's geolocation, or a simulated car that drives toward its next stop: the pickup, then each stop
  // on the way in turn (it waits at one until the driver says they reached it), then the drop-off.
  useEffect(() => {
    if (!driver || driver.state === "offline") return;
    const timer = setInterval(() => {
      if (simulate) {
        const t = tripRef.current;
        const target = t?.status === "driver_assigned" ? t.pickup : t?.status === "in_progress" ? wayAhead(t)[0] : null;
        const next = target ? moveToward(positionRef.current, target, (simulatedSpeedMetersPerSecond * pingIntervalMs) / 1000) : positionRef.current;
        setPosition(next);
        realtime.send({ type: "location", lat: next.lat, lng: next.lng, accuracy: 5 });
      } else {
        navigator.geolocation.getCurrentPosition(
          (p) => {
            const next = { lat: p.coords.latitude, lng: p.coords.longitude };
            setPosition(next);
            realtime.send({ type: "location", lat: next.lat, lng: next.lng, accuracy: Math.min(50, p.coords.accuracy) });
          },
          () => setError("Location is not available: allow it or use simulated driving."),
        );
      }
    }, pingIntervalMs);
    return () => clearInterval(timer);
  }, [driver, simulate, realtime]);

  async function changeStatus(action: (s: Session) => Promise<DriverState>) {
    if (!session) return;
    setError(null);
    try {
      const changed = await action(session);
      staleness.changed();
      setDriver(changed);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not change your status.");
    }
  }

  function toggleOnline() {
    setNotice(null);
    void changeStatus((s) => (driver && driver.state !== "offline" ? api.goOffline(s) : api.goOnline(s, vehicleClass, position)));
  }

  function decide(accept: boolean) {
    if (!offer) return;
    setError(null);
    const sent = realtime.send({ type: accept ? "offer.accept" : "offer.decline", id: crypto.randomUUID(), tripId: offer.tripId, reason: accept ? undefined : "declined by driver" });
    if (!sent) {
      setError("Not connected; try again in a moment."); // the card stays: it can be answered once the socket is back
      return;
    }
    answered.current = offer.offerId;
    setOffer(null);
  }

  const markers: MapMarker[] = [
    { id: "me", position, label: "You", kind: "me" },
    ...(offer ? [{ id: "pickup", position: offer.pickup, label: "Pickup", kind: "pickup" as const }] : []),
    ...(trip
      ? [
          { id: "pickup", position: trip.pickup, label: "Pickup", kind: "pickup" as const },
          ...stopsOf(trip).map((s, i) => ({
            id: `stop-${i + 1}`,
            position: s.location,
            label: `Stop ${i + 1}${isReached(s) ? " (reached)" : i === nextStopIndex(trip) ? " (next)" : ""}`,
            kind: "stop" as const,
            badge: String(i + 1),
          })),
          { id: "dropoff", position: trip.dropoff, label: "Drop-off", kind: "dropoff" as const },
        ]
      : []),
  ];
  // Riding, the way goes through the stops not reached yet.
  const route = trip ? (trip.status === "in_progress" ? [position, ...wayAhead(trip)] : [position, trip.pickup]) : offer ? [position, offer.pickup] : undefined;
  const online = driver !== null && driver.state !== "offline";
  const permitted = mayDrive(approval);
  // Offered while the approval is not known only if it cannot be read: then the gateway's answer to going online says why not.
  const offerStatus = permitted || online || (approval === undefined && approvalError !== null);

  if (!session) return null;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 p-4">
      <AppHeader title="Drive" status={realtime.status} name={session.name} badge={<RatingBadge rating={rating} />} onSignOut={signOut} onSignOutEverywhere={() => signOutEverywhere(session, signOut)} />
      <MapView label="Map of your position and your next stop" center={position} markers={markers} areas={surgeMapAreas(surge)} route={route} />
      <SurgeLegend areas={surge} />
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice>{notice}</Notice>}
      {reservationExcused && (
        <Notice kind="info" testId="reserve-excused">
          You were on another ride when the search for the ride you reserved at {clockTime(reservationExcused.scheduledFor)} started: it went to other drivers. No strike.
        </Notice>
      )}
      <RatingStandingNotice rating={rating} />
      <AccountKeptNotice role="driver" />
      <ConfirmEmailNotice session={session} />
      <LostItemsForDriver session={session} trips={recentTrips} onChanged={() => setHistoryVersion((v) => v + 1)} onError={setError} />
      {approvalError && <Notice kind="error">{approvalError}</Notice>}
      {offerStatus ? (
        <Card title="Status">
          <div className="flex flex-wrap items-end gap-3">
            <Field label="Vehicle class">
              <select className={inputClass} value={vehicleClass} disabled={online} onChange={(e) => setPickedClass(e.target.value as VehicleClass)}>
                <ClassOptions classes={mayDrive(approval) ? permittedClasses(approval) : undefined} />
              </select>
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={simulate} onChange={(e) => setSimulate(e.target.checked)} />
              Simulate driving
            </label>
            {driver?.state === "on_trip" ? (
              // Going offline during a trip finishes it first (the end of a shift): no further offers, then offline.
              !driver.offlineAfterTrip && (
                <Button data-testid="stop-new-requests" onClick={() => void changeStatus((s) => api.goOffline(s))}>
                  Stop new requests
                </Button>
              )
            ) : (
              <Button onClick={toggleOnline} disabled={driver?.state === "offered"}>
                {online ? "Go offline" : "Go online"}
              </Button>
            )}
            <span className="text-sm" data-testid="driver-state">
              {driver?.state ?? "offline"}
            </span>
          </div>
          {driver && (
            // Taken back by going online again, in the class the trip is driven in (it cannot change during a trip).
            <OfflineAfterTrip driver={driver} onKeep={() => void changeStatus((s) => api.goOnline(s, driver.vehicleClass, position))} />
          )}
          {acceptance(driver?.offers) && (
            <p className="mt-2 text-sm text-slate-600" data-testid="driver-acceptance">
              Acceptance rate: {acceptance(driver?.offers)}
            </p>
          )}
          {driver?.state === "available" || driver?.state === "offered" ? <AirportQueueLine status={queue} /> : null}
          {driver && <DrivingTime driver={driver} />}
          {driver && <PetsWelcome session={session} driver={driver} onChanged={staleness.afterAction(setDriver)} onError={setError} />}
          {driver && <AcceptCash session={session} driver={driver} onChanged={staleness.afterAction(setDriver)} onError={setError} />}
          {mayDrive(approval) && <DriverPermitSummary session={session} approval={approval} onChanged={approvalChanged} />}
        </Card>
      ) : (
        approval === undefined && <p className="text-sm text-slate-600">Loading…</p>
      )}
      {approval && !permitted && <DriverApprovalCard session={session} approval={approval} onChanged={approvalChanged} />}
      {driver && online && <HeadingTo session={session} driver={driver} onChanged={staleness.afterAction(setDriver)} onError={setError} />}
      {offer && <OfferCard offer={offer} onAccept={() => decide(true)} onDecline={() => decide(false)} />}
      {permitted && !trip && <RidesForLater session={session} near={online ? position : (driver?.location ?? null)} version={reserveVersion} reminder={reservationReminder} />}
      {trip && (
        <DriverTripPanel
          session={session}
          trip={trip}
          position={position}
          onChanged={staleness.afterAction((changed: Trip) => {
            // Given up: the trip searches again for another driver; it is no longer this driver's.
            if (changed.status === "searching") {
              setTrip(null);
              setNotice("You gave the trip up. The rider is being matched with another driver.");
              // The drivers service frees them once the trip's event reaches it: read until it has.
              void rereadUntilFreed(refresh, changed.tripId, () => true);
            } else setTrip(changed);
          })}
          onError={setError}
          chatVersion={chatVersion}
          helpVersion={helpVersion}
          destinationChangedFare={destinationChanged?.tripId === trip.tripId ? destinationChanged.fare : null}
          onDone={() => {
            staleness.changed();
            setTrip(null);
            setHistoryVersion((v) => v + 1);
            void refresh();
          }}
        />
      )}
      <Earnings session={session} version={historyVersion} location={driver?.location} />
      <Payouts session={session} version={historyVersion} message={payoutMessage} />
      <TripHistory session={session} version={historyVersion} helpVersion={helpVersion} onLoaded={setRecentTrips} />
    </main>
  );
}

/** The offer card's content from the driver's state (REST, proto JSON). */
function offerFrom(pending: NonNullable<DriverState["offer"]>, driverId: string): Offer {
  return {
    offerId: pending.offerId,
    tripId: pending.tripId,
    driverId,
    riderId: "",
    vehicleClass: pending.vehicleClass ?? "economy",
    pickup: pending.pickup ?? { lat: 0, lng: 0 },
    dropoff: pending.dropoff ?? { lat: 0, lng: 0 },
    fareMinor: Number(pending.fare?.amountMinor ?? 0),
    currency: pending.fare?.currency ?? "USD",
    pickupDistanceMeters: pending.pickupDistanceMeters ?? 0,
    expiresAt: pending.expiresAt,
    tripDistanceMeters: pending.tripDistanceMeters,
    tripDurationSeconds: pending.tripDurationSeconds,
    riderRatingAverage: pending.riderRatingAverage,
    riderRatingCount: pending.riderRatingCount,
    stops: pending.stops,
    passengerName: pending.passengerName,
    pickupNote: pending.pickupNote,
    withPet: pending.withPet,
    payInCash: pending.payInCash,
    wheelchairAccessible: pending.wheelchairAccessible,
    preferences: { conversation: pending.conversation, helpWithBags: pending.helpWithBags, temperature: pending.temperature },
  };
}
