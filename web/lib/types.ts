/** Riders and drivers sign up; the support desk's operators are made by the gateway (they only sign in). */
export type Role = "rider" | "driver" | "operator";
/** The roles anyone may sign up as. */
export type SignUpRole = Exclude<Role, "operator">;
export type VehicleClass = "economy" | "comfort" | "xl" | "premium";
export const vehicleClasses: VehicleClass[] = ["economy", "comfort", "xl", "premium"];

export type LatLng = { lat: number; lng: number };
export type Money = { amountMinor: number; currency: string };

export type Session = {
  userId: string;
  role: Role;
  name: string;
  accessToken: string;
  /** When the access token expires by this device's clock (ISO 8601): it is renewed with the refresh token shortly before. */
  expiresAt?: string;
  refreshToken?: string;
  /**
   * A support account that must use 2-step verification and has not set it up (ADR 0052): its token reaches only the
   * account page's 2-step routes until it signs in again with the app's code. Renewed with the session.
   */
  twoStepSetupRequired?: boolean | null;
};

/**
 * What sign-up, sign-in and refresh answer: the session, the gateway's expiry and the token's lifetime in seconds;
 * restored: this sign-in (or password reset) kept an account whose owner had asked to delete it.
 */
/** trustedDevice: a 2-step sign-in with "Don't ask again on this browser" (ADR 0052), for this browser's next sign-ins. */
export type TokenPair = Session & { expiresIn?: number; restored?: boolean | null; trustedDevice?: string | null };

/**
 * 2-step verification as the account page shows it (ADR 0052): rememberedBrowsers skip the code at sign-in; `required`:
 * a support account, which must keep it on (turning it off signs it out everywhere).
 */
export type TwoStepStatus = { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number; rememberedBrowsers: number; rememberDays: number; required: boolean };

/** A sign-in waiting for the app's code: the challenge to send back, and how many days a browser is remembered for. */
export type TwoStepChallenge = { challenge: string; rememberDays: number | null };

/** A secret for an authenticator app: typed (in groups of four) or opened as the otpauth:// link on the phone. */
export type TwoStepSetup = { secret: string; setupUri: string };

/** What asking for a password reset code answers: the same whether or not an account has the email. */
export type PasswordResetRequested = { message: string; codeLifetimeSeconds: number };

/** The signed-in user's own account (GET /api/auth/me). */
/**
 * A live session of the user (ADR 0048): the device as the gateway named it from the browser at sign-in ("Chrome on
 * Linux"), the address it was last used from, and whether it is this one.
 */
export type SignedInSession = {
  id: string;
  device: string;
  ip: string | null;
  signedInAt: string;
  lastUsedAt: string;
  current: boolean;
};

export type Me = {
  userId: string;
  email: string;
  role: Role;
  name: string;
  vehicle?: { make: string; model: string; plate: string; colour: string; class: VehicleClass } | null;
  createdAt: string;
  /** False until the owner types the code mailed to the address: receipts and ride notices go to confirmed addresses only. */
  emailVerified?: boolean;
  /** The IANA time zone mails give times in (the app's, set at sign-up and each sign-in); unset: UTC. */
  timeZone?: string | null;
  /** A rider's work email for the receipts of business rides (ADR 0034); confirmed once the code mailed to it was typed. */
  businessProfile?: BusinessProfile | null;
};

/** A rider's business profile (ADR 0034): receipts of business rides are copied to workEmail once it is confirmed. */
export type BusinessProfile = { workEmail: string; confirmed: boolean; confirmedAt?: string | null };

/** PUT /api/auth/me/business-profile (202): whether a code was mailed to the work email (not within a minute of the last), and the profile now. */
export type BusinessProfileCodeSent = EmailCodeRequested & { businessProfile: BusinessProfile };

/** Whose expense a ride is (ADR 0034). */
export type RideProfile = "personal" | "business";

/** The answer to asking for a new email confirmation code (202); mailed: false when one went less than a minute ago. */
export type EmailCodeRequested = { message: string; mailed: boolean; codeLifetimeSeconds: number };

/** A kind of mail a rider or driver may turn off (receipts, rides booked for later, weekly statements), and whether it is on. */
export type MailCategory = { id: string; label: string; description: string; on: boolean };

/** GET|PUT /api/auth/me/mail: which mail the account gets (none to choose for support), and what is mailed either way. */
export type MailPreferences = { email: string; emailConfirmed: boolean; categories: MailCategory[]; alwaysSent: string };

/** What a mail's unsubscribe link names (no sign-in): the kind of mail, whether it is mailed, the address masked, what to say. */
export type MailLinkState = { category: string; label: string; on: boolean; email: string; message: string };

export type FareBreakdown = {
  baseMinor?: number;
  distanceMinor?: number;
  timeMinor?: number;
  surgeMinor?: number;
  minimumFareAdjustmentMinor?: number;
  bookingFeeMinor?: number;
  /** The driver's wait at the pickup past the free minutes, added when the ride started. */
  waitMinor?: number;
  /** What places charge on the ride (ADR 0037: an airport's fee), each on its own line; in totalMinor. */
  placeFees?: PlaceFee[];
  /** A ride with a pet's flat fee (ADR 0041; 0 or absent without); the driver's like the metered parts; in totalMinor. */
  petFeeMinor?: number;
  totalMinor?: number;
  currency?: string;
};

/** A fee a place charges on a ride that starts or ends in it (ADR 0037), in the fare's currency. */
export type PlaceFee = { name: string; amountMinor?: number };

/**
 * A promotion on a ride: its code and what it takes off. On a quote option, the rider's best promotion on its price; on
 * a trip, the discount on the fare as it stands (once completed, receipt.amountDue is the fare less it).
 */
export type AppliedPromotion = { code: string; discount: Money };

/** price is before the promotion, if there is one. */
export type QuoteOption = {
  vehicleClass: VehicleClass;
  price: Money;
  surgeMultiplier: number;
  breakdown?: FareBreakdown;
  waitPerMinute?: Money;
  promotion?: AppliedPromotion;
};

/** Per vehicle class near a pickup: drivers dispatch could offer it to now, and the nearest one's pickup ETA. */
export type ClassAvailability = { vehicleClass: VehicleClass; driversNearby?: number; pickupEtaSeconds?: number; pickupDistanceMeters?: number };

/** A square of the surge grid whose quotes surge now, and by how much (more than 1). Proto JSON leaves a 0 edge out. */
export type SurgeArea = { south?: number; west?: number; north?: number; east?: number; multiplier: number };

/** GET /api/trips/surge: the squares that surge within about 10 km of a point (none when nothing surges there). */
export type SurgeMap = { areas?: SurgeArea[]; cellDegrees?: number; at: string };

/** GET /api/drivers/nearby: every class's availability and the nearest available cars (no driver ids). */
export type Nearby = { classes: ClassAvailability[]; cars?: { vehicleClass: VehicleClass; location: LatLng }[]; radiusMeters: number };

export type Quote = {
  quoteId: string;
  pickup: LatLng;
  dropoff: LatLng;
  /** The stops on the way the route and prices go through, in order, as asked (proto JSON: absent when none). */
  stops?: LatLng[];
  distanceMeters: number;
  durationSeconds: number;
  options: QuoteOption[];
  expiresAt: string;
  /** Waiting at the pickup is free this long after the driver arrives; then each option's waitPerMinute. */
  freeWaitSeconds?: number;
  /** What a ride with a pet costs more at this pickup (ADR 0041), on top of each option's price; absent where pets are not taken. */
  petFee?: Money;
  /** The pickup's prices take cash (ADR 0042): "Cash" is offered in "Pay with"; absent or false: it is not. */
  cashAccepted?: boolean;
  /** Wheelchair-accessible vehicles are offered at this pickup (ADR 0045), at the same price; absent or false: they are not. */
  wheelchairAccessible?: boolean;
};

export type TripStatus =
  | "scheduled"
  | "searching"
  | "driver_assigned"
  | "driver_arrived"
  | "in_progress"
  | "completed"
  | "cancelled"
  | "no_drivers_found";

export type Rating = { stars: number; comment?: string; ratedAt?: string };

/** A stop on the way from the pickup to the drop-off (ADR 0023); reachedAt: when the driver said they were there ("" or absent until then). */
export type TripStop = { location: LatLng; reachedAt?: string };

/** Split fare (ADR 0040): where an invitation stands, and what came of charging an accepted share once the ride ended. */
export type SplitStatus = "invited" | "accepted" | "declined" | "withdrawn" | "lapsed";
export type SplitShareStatus = "" | "pending" | "paid" | "declined";

/** A rider asked to split the fare, as the trip's rider sees them. */
export type SplitInvitee = {
  riderId: string;
  name: string;
  status: SplitStatus;
  invitedAt: string;
  answeredAt?: string;
  share?: Money;
  shareStatus?: SplitShareStatus;
  declineCode?: string;
  /** What support's refunds of the fare gave back of their share (absent: nothing). */
  refunded?: Money;
};

/** The trip's split (its rider's and support's view); fare, yourShare and youPaid once the ride ended. */
export type SplitFare = { invitees?: SplitInvitee[]; fare?: Money; yourShare?: Money; youPaid?: Money };

/** A ride whose fare the caller was asked to split, as an invitee sees it (GET /api/trips/split-invitations). */
export type SplitInvitation = {
  tripId: string;
  requesterName: string;
  tripStatus: TripStatus;
  pickup: LatLng;
  dropoff: LatLng;
  fare: Money;
  status: SplitStatus;
  invitedAt: string;
  completedAt?: string;
  share?: Money;
  shareStatus?: SplitShareStatus;
  cardId?: string;
  cardLabel?: string;
  declineCode?: string;
  /** What support's refunds of the fare gave back of their share (absent: nothing). */
  refunded?: Money;
};

export type Trip = {
  split?: SplitFare;
  tripId: string;
  riderId: string;
  status: TripStatus;
  vehicleClass: VehicleClass;
  pickup: LatLng;
  /** Where the pickup was booked, once the rider moved it (ADR 0046), and how many times they did. */
  bookedPickup?: LatLng;
  pickupMoves?: number;
  /** A driver reserved this ride booked for later (ADR 0047): they are offered it first. Absent: nobody holds it. */
  reservation?: DriverReservation;
  /** Every reservation of the ride, oldest first (support only). */
  driverReservations?: DriverReservation[];
  dropoff: LatLng;
  fare: Money;
  distanceMeters: number;
  durationSeconds: number;
  driver?: { driverId: string; location?: LatLng; assignedAt: string };
  createdAt: string;
  updatedAt?: string;
  /** When the driver arrived at the pickup, started the ride, completed it (absent until then). */
  arrivedAt?: string;
  startedAt?: string;
  completedAt?: string;
  /** The number the emergency button calls at the pickup (its area's, else the platform's; 112 when absent). */
  emergencyNumber?: string;
  /** Wrong start PINs the driver typed (0, left out, when none). */
  wrongPinAttempts?: number;
  surgeMultiplier?: number;
  /** The rider's start code: theirs only, while the driver comes or waits; absent when the ride has none (ADR 0044). */
  pin?: string;
  /** The ride needs the rider's PIN to start (ADR 0044): the driver's card asks for it, support's page says so. */
  pinRequired?: boolean;
  /** After 5 wrong PINs, no attempt is taken before this (the driver and support). */
  pinLockedUntil?: string;
  /** cancelledBy: rider | driver | operator (the support desk) | system. */
  cancellation?: { cancelledBy: string; reason?: string; fee?: Money; cancelledAt: string };
  driverRating?: Rating;
  riderRating?: Rating;
  receipt?: {
    fare?: FareBreakdown;
    amountDue?: Money;
    /** none | pending | paid | payment_failed | waived (support waived what was owed; ADR 0053). */
    paymentStatus?: string;
    paymentAttempt?: number;
    tip?: Money;
    /** A tip added after paying is paid on its own: its payment's state and attempt ("" / absent: paid with the fare). */
    tipPaymentStatus?: "" | "pending" | "paid" | "payment_failed";
    tipPaymentAttempt?: number;
    /** The rider's only: until when they may still tip (paid, and no tip yet or one whose payment failed). */
    tipUntil?: string;
    /** Given back after paying (the rider's and the support desk's view): the total and each refund, oldest first. */
    refunded?: Money;
    /**
     * inviteeId (support's view of a split fare): the invitee whose share's payment gave it back; absent: the rider's.
     * credit: the part that went to the rider's ride credit, not the card (ADR 0051); absent: none.
     */
    refunds?: { amount: Money; kind: "goodwill" | "fare_adjustment" | "provider" | "tip" | "credit"; refundedAt: string; inviteeId?: string; credit?: Money }[];
    /** The rider's and support's view, once paid: the saved card charged ("Visa •••• 4242"; ADR 0024), absent when paid by link. */
    paidWith?: string;
    /** The rider's and support's view: what their ride credit paid of the fare or fee (ADR 0051), the rest the card's; absent: none. */
    creditPaid?: Money;
    /**
     * What support waived of what the rider owed (ADR 0053), oldest first: of the fare or fee, of a lost item's return
     * fee. reason and operatorId: support's view only. paymentStatus is "waived" once the fare's was.
     */
    waivers?: PaymentWaiver[];
    /**
     * What stands waived of the fare or fee (ADR 0053): all of it once paymentStatus is "waived"; a part while the rider
     * owes the rest, and after they paid it ("paid" beside "Waived by UberClone"). Absent: none.
     */
    waived?: Money;
  };
  /** The rider's only, while they may cancel. A zero amount may be left out of a Money ({ currency } alone). */
  cancellationTerms?: CancellationTerms;
  /** Searching because the assigned driver gave the trip up. */
  searchingAgain?: boolean;
  /** In a driver's history: they gave this trip up (only its route, fare and status are shown). */
  givenUpByYou?: boolean;
  /** What the driver earned from it: on the assigned driver's view only, once completed or cancelled late. */
  driverEarnings?: DriverEarnings;
  /** The rider's: the trip is shared with whoever opens /share/{shareToken}. */
  shareToken?: string;
  /** Once completed: who ended the ride (support: when its driver could not), and support's reason. */
  completedBy?: "driver" | "operator";
  completionReason?: string;
  /** A ride booked for later: the pickup time, and when dispatch starts looking for its driver. */
  scheduledFor?: string;
  dispatchAt?: string;
  /** The driver's, while waiting at the pickup: from when they may report that the rider did not come. */
  noShowFrom?: string;
  /** Once the driver arrived: waiting is free until then; after, waitPerMinute a minute is added to the fare when the ride starts. */
  freeWaitUntil?: string;
  waitPerMinute?: Money;
  /** Each change of the drop-off during the trip, oldest first (absent or empty: never changed). */
  destinationChanges?: DestinationChange[];
  /** Booked with a promotion (the rider's and support's view only); absent once the trip ended without a ride. */
  promotion?: AppliedPromotion;
  /** Stops on the way, in order (proto JSON: absent when none); the route and the fare go through them. */
  stops?: TripStop[];
  /**
   * While riding, the index of the stop the car heads for; -1 when none is left or not riding. Proto JSON leaves a 0
   * out, so absent means 0 only while riding with stop 0 not reached: read it with nextStopIndex (lib/stops) instead.
   */
  nextStop?: number;
  /**
   * The rider's and support's view: the upfront price held on the rider's saved card when they booked (ADR 0027), taken
   * from it when the ride ends (the rest let go); absent when nothing was held (no card: paid after the ride).
   */
  /**
   * Money held on the rider's card until the ride ends (ADR 0027). A new destination that costs more raises it (ADR 0029);
   * raiseDeclineCode: the bank declined the higher amount, so less than the fare is held (the rest is charged at the end).
   */
  paymentHold?: { cardLabel: string; amount: Money; raiseDeclineCode?: string };
  /**
   * The saved card the ride is paid with (rider and support; ADR 0032): chosen at booking, the one its hold is on, or the
   * one it was moved to. Absent: the rider's default card.
   */
  cardId?: string;
  /** The rider's note for the driver (ADR 0031; absent when none): the rider's, the assigned driver's and support's view. */
  pickupNote?: string;
  /** The rider brings a pet (ADR 0041): the fare has the pet fee, and only a driver who welcomes pets was offered it. */
  withPet?: boolean;
  /** The rider pays the driver in cash (ADR 0042): nothing held on a card; once paid, paidWith is "cash". */
  payInCash?: boolean;
  /** The rider needs a wheelchair-accessible vehicle (ADR 0045): only a driver whose vehicle support approved as such was offered it. */
  wheelchairAccessible?: boolean;
  /** Someone else rides (ADR 0031; absent: the rider). The phone reaches the driver only while the trip is under way. */
  passenger?: Passenger;
  /** The rider's wishes for the ride (ADR 0049): copied from their setting at booking, changed on the ride. */
  ridePreferences?: RidePreferences;
  /** RideCheck (ADR 0033): the open safety check the rider and driver are asked to answer; absent: nothing to answer. */
  safetyCheck?: SafetyCheck;
  /** Support's view: every safety check of the ride, oldest first. */
  safetyChecks?: SafetyCheck[];
  /** Personal or business (ADR 0034), and a business ride's expense memo: the rider's and support's view. */
  profile?: RideProfile;
  expenseMemo?: string;
  /** The latest lost-item report of the ride (ADR 0035): its rider's, driver's and support's view. */
  lostItem?: LostItem;
  /** Support's view: every lost-item report of the ride, oldest first. */
  lostItems?: LostItem[];
  /** The rider's, while they may report a lost item: the fee charged if the driver hands it back. */
  lostItemReturnFee?: Partial<Money>;
  /** What the rider owes and the mails reminding them (ADR 0039): the rider's and support's view; absent: nothing owed. */
  unpaidReminders?: UnpaidReminders;
  /** Support's only: a waiver awaiting a colleague's approval (ADR 0053); the rider never sees it. */
  waiverRequest?: WaiverRequest;
};

/** Money a rider owes on a finished trip since a payment of it failed, and the reminders mailed (ADR 0039). */
export type UnpaidReminders = {
  owedSince: string;
  /** Reminders mailed so far, besides the mail when the payment failed (absent: none). */
  sent?: number;
  /** When the next reminder goes; absent: none is left. */
  nextAt?: string;
  fare?: Partial<Money>;
  returnFee?: Partial<Money>;
};

/**
 * Something the rider left in the car (ADR 0035). phone: the number the driver may call, to the driver only while the
 * report is open (reported | found). feePaymentStatus, feePaymentAttempt: once returned, the return fee's payment (an attempt of its own).
 */
export type LostItem = {
  number: number;
  status: "reported" | "found" | "not_found" | "returned" | "closed";
  description: string;
  phone?: string;
  driverNote?: string;
  returnFee: Partial<Money>;
  feePaymentStatus?: "" | "pending" | "paid" | "payment_failed" | "waived";
  feePaymentAttempt?: number;
  /** What support gave back of the paid fee (absent: nothing). */
  feeRefunded?: Money;
  reportedAt: string;
  answeredAt?: string;
  returnedAt?: string;
  closedAt?: string;
  answerBy?: string;
  supportAlertedAt?: string;
};

/**
 * One safety check of a ride (ADR 0033): the car stood still stoppedMinutes at location (long_stop), or was detourMeters
 * farther from the next stop or drop-off than it had come (detour), or nothing came from the driver's phone for
 * stoppedMinutes since it was last at location (silent); answered by whom, or sent to support unanswered.
 */
export type SafetyCheck = {
  number: number;
  kind?: "" | "long_stop" | "detour" | "silent";
  detourMeters?: number;
  location?: LatLng;
  stoppedMinutes?: number;
  stoppedSince?: string;
  openedAt: string;
  answer?: "" | "ok" | "help";
  answeredBy?: "" | "rider" | "driver";
  answeredAt?: string;
  supportAlertedAt?: string;
};

/** Who the rider booked for (ADR 0031): a first name (1–40), and a phone ("+" and 7–15 digits) the driver may call. */
export type Passenger = { name: string; phone?: string };

/** What the rider adds to a booking for the driver (ADR 0031): a note, and who rides when it is someone else. */
/** A weekday as repeating rides name them (ADR 0043). */
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

/** A repeating ride (ADR 0043): booked as a ride for later a day before each occurrence. */
export type RideSchedule = {
  id: string;
  days?: Weekday[];
  /** HH:mm in timeZone. */
  pickupTime: string;
  timeZone: string;
  pickup: LatLng;
  dropoff: LatLng;
  pickupLabel?: string;
  dropoffLabel?: string;
  vehicleClass: VehicleClass;
  cardId?: string;
  pickupNote?: string;
  withPet?: boolean;
  wheelchairAccessible?: boolean;
  paused?: boolean;
  /** The next occurrence to be booked, and when it is (empty while paused). */
  nextPickupAt?: string;
  booksAt?: string;
  /** How the last occurrence went: booked as tripId, or refused saying why. */
  lastBooking?: { pickupAt: string; tripId?: string; refusal?: string; at: string };
  createdAt: string;
  /** Whose expense each ride is (ADR 0034). */
  profile?: RideProfile;
  expenseMemo?: string;
  /** yyyy-MM-dd: the last day (in timeZone) it books a ride for; absent: no end. */
  endsOn?: string;
  /** Past endsOn: it books nothing more (nextPickupAt and booksAt absent). */
  ended?: boolean;
  /** Rides it booked (or is booking) for after endsOn, the end moved earlier than them: they stay booked. */
  bookedPastEnd?: { pickupAt: string; tripId?: string }[];
};

/** What makes a repeating ride (POST /api/trips/schedules). */
export type NewRideSchedule = {
  days: Weekday[];
  pickupTime: string;
  timeZone: string;
  pickup: LatLng;
  dropoff: LatLng;
  vehicleClass: VehicleClass;
  cardId?: string;
  pickupNote?: string;
  withPet?: boolean;
  profile?: RideProfile;
  expenseMemo?: string;
  wheelchairAccessible?: boolean;
  /** yyyy-MM-dd, the last day it books a ride for. */
  endsOn?: string;
};

export type PickupDetails = { pickupNote?: string; passenger?: Passenger; profile?: RideProfile; expenseMemo?: string; withPet?: boolean; payInCash?: boolean;
  wheelchairAccessible?: boolean };

/** The rider changed the drop-off from `from` to `to`; the upfront fare went from fareBefore to fareAfter. */
export type DestinationChange = { from: LatLng; to: LatLng; fareBefore: Money; fareAfter: Money; changedAt: string };

/** POST /api/trips/{tripId}/destination/quote: the fare to a new drop-off (a preview; nothing changes). */
export type DestinationQuote = {
  tripId: string;
  dropoff: LatLng;
  fare: Money;
  fareBefore: Money;
  breakdown: FareBreakdown;
  distanceMeters: number;
  durationSeconds: number;
};

/** A place the user named, to pick in one tap. */
export type SavedPlace = { label: string; lat: number; lng: number };

/** A message between a trip's rider and its driver. */
export type TripMessage = { messageId: string; from: "rider" | "driver"; text: string; sentAt: string };

/** What someone the rider shared a trip with sees (no sign-in): first names, the car, where it is, about how long. */
export type SharedTrip = {
  status: TripStatus;
  vehicleClass: VehicleClass;
  pickup: LatLng;
  dropoff: LatLng;
  riderName: string;
  driver?: { name: string; vehicle?: { make: string; model: string; plate: string; colour: string }; location?: LatLng; locationAt?: string };
  etaSeconds?: number;
  startedAt?: string;
  endedAt?: string;
  updatedAt: string;
  /** Stops on the way, in order, and whether the car has been there (ADR 0023). */
  stops?: { location: LatLng; reached: boolean }[];
  /** Booked for someone else (ADR 0031): who rides; the link is theirs, and shows them the PIN while the driver comes. */
  passengerName?: string | null;
  pin?: string | null;
};

/** Proto JSON: a zero amount is left out of a Money ({ currency } alone), a zero percent left out. */
export type DriverEarnings = {
  kind: "fare" | "cancellation_fee";
  amount: Partial<Money>;
  bookingFee?: Partial<Money>;
  serviceFeePercent?: number;
  serviceFee?: Partial<Money>;
  earnings: Partial<Money>;
  earnedAt: string;
  /** The rider's tip, all of it the driver's; part of earnings. */
  tip?: Money;
  /** Given back to the rider because the fare was too high: earnings are from the fare less this (then the tip). */
  fareAdjustment?: Money;
  /** The return fee of a lost item the driver handed back (ADR 0035), all of it theirs; part of earnings. */
  itemReturn?: Money;
  /** The fare's place fees (ADR 0037): passed on to the airport or zone, like the booking fee not earned. */
  placeFees?: Money;
  /** The rider paid the driver in cash (ADR 0042): what the driver collected and holds; the platform's part is taken from payouts. */
  cashCollected?: Money;
};

export type EarningsSummary = {
  from: string;
  to: string;
  totals?: Partial<Money>[];
  trips?: number;
  cancellationFees?: number;
  items?: { tripId: string; vehicleClass: VehicleClass; distanceMeters?: number; earnings: DriverEarnings }[];
  /** Quest bonuses earned in the period (ADR 0038), newest first; in totals. */
  questBonuses?: QuestBonus[];
};

/** A quest's bonus the driver earned: when the ride that reached the target (tripId) was completed. */
export type QuestBonus = { questId: string; name: string; bonus: Money; earnedAt: string; tripId?: string; target?: number };

/** Only rides picked up within radiusKm of the point count. */
export type QuestArea = { lat: number; lng: number; radiusKm: number };

/** A driver quest (ADR 0038) as support sees it; proto JSON leaves zeros and empty lists out. */
export type Quest = {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  target: number;
  bonus: Money;
  area?: QuestArea;
  vehicleClasses?: VehicleClass[];
  createdBy: string;
  createdAt: string;
  endedAt?: string;
  status: "upcoming" | "active" | "ended";
  /** Drivers who reached the target (support's list). */
  driversEarned?: number;
};

/** What support fills in to create a quest. */
export type NewQuest = {
  name: string;
  startsAt: string;
  endsAt: string;
  target: number;
  bonusMinor: number;
  currency: string;
  area?: QuestArea;
  vehicleClasses?: VehicleClass[];
};

/** A quest the driver sees, with their rides done of its target and whether its bonus was earned. */
export type DriverQuest = { quest: Quest; done?: number; target: number; earned?: boolean; earnedAt?: string };

/** The driver.quest socket message: a completed ride moved the driver's progress; earned when it reached the target. */
export type QuestProgressMessage = {
  questId: string;
  name: string;
  done: number;
  target: number;
  bonusMinor: number;
  currency: string;
  earned: boolean;
};

/** What cancelling costs the rider: feeNow now; free until freeUntil (absent while searching), fee after that. */
export type CancellationTerms = { feeNow?: Partial<Money>; freeUntil?: string; fee?: Partial<Money>; freeWindowSeconds?: number };

export type DriverState = {
  driverId: string;
  state: "offline" | "available" | "offered" | "on_trip";
  vehicleClass: VehicleClass;
  location?: LatLng;
  /** The pending offer, with what the offer card shows (so a reload shows it again). Proto JSON: 0s and "" left out. */
  offer?: {
    tripId: string;
    offerId: string;
    expiresAt: string;
    vehicleClass?: VehicleClass;
    fare?: Partial<Money>;
    pickup?: LatLng;
    dropoff?: LatLng;
    pickupDistanceMeters?: number;
    tripDistanceMeters?: number;
    tripDurationSeconds?: number;
    riderRatingAverage?: number;
    riderRatingCount?: number;
    /** Stops on the way, in order (absent when none). */
    stops?: LatLng[];
    /** Who to pick up when the rider booked for someone else, and the rider's note (ADR 0031; absent when none). */
    passengerName?: string;
    pickupNote?: string;
    /** The rider brings a pet (ADR 0041). */
    withPet?: boolean;
    /** The rider pays in cash (ADR 0042). */
    payInCash?: boolean;
    /** The rider needs a wheelchair-accessible vehicle (ADR 0045). */
    wheelchairAccessible?: boolean;
    /** The rider's wishes for the ride (ADR 0049; proto JSON leaves "" and false out). */
    conversation?: Conversation;
    helpWithBags?: boolean;
    temperature?: TemperaturePreference;
  };
  currentTripId?: string;
  /** Why the service took the driver offline (no location for a while); absent when they went offline themselves. */
  offlineReason?: string;
  /**
   * On a trip: the driver goes offline when it ends instead of getting another (proto JSON: absent when false). They
   * stopped new requests themselves (going online takes it back), or the service decided it and says why in
   * offlineAfterTripReason (e.g. the driving limit), which is not theirs to take back.
   */
  offlineAfterTrip?: boolean;
  offlineAfterTripReason?: string;
  /** When the location was recorded, and when the state last changed (ISO 8601). */
  locationAt?: string;
  updatedAt?: string;
  /** Set while the driver takes only trips towards this place (heading home), and since when. */
  headingTo?: LatLng;
  headingSince?: string;
  /** How the driver answered their last 50 offers (an offer withdrawn for a cancelled trip is not counted); 0s left out. */
  offers?: OfferRecord;
  /**
   * The driving limit (ADR 0026): time online in this working period, the most allowed before a rest and the rest's
   * length (proto int64: strings), and, while a driver at the limit rests, when they may go online again.
   */
  onlineSeconds?: string | number;
  maxOnlineSeconds?: string | number;
  restSeconds?: string | number;
  restsUntil?: string;
  /** Set while the driver waits in an airport queue (ADR 0036). */
  queue?: QueuePlace;
  /** After a short trip from an airport queue: entering its lot by `until` puts the driver back at their old place (ADR 0036). */
  returnPass?: QueueReturnPass;
  /** "Pets welcome" (ADR 0041): rides with a pet are offered to this driver; kept across going offline and online. */
  petsWelcome?: boolean;
  /** "Accept cash rides" (ADR 0042; on unless the driver turned it off): rides paid in cash are offered to this driver. */
  acceptsCash?: boolean;
  /**
   * The cash balance limit (ADR 0042): set while the driver owes more than the limit from cash rides (no cash rides are
   * offered, whatever acceptsCash says), with what they owed and the limit then (proto int64: strings).
   */
  cashPaused?: boolean;
  cashOwedMinor?: string | number;
  cashLimitMinor?: string | number;
  cashOwedCurrency?: string;
  /** Support approved the driver's vehicle as wheelchair accessible (ADR 0045): such rides are offered to this driver. */
  wheelchairAccessible?: boolean;
};

/**
 * A driver's place in an airport queue (ADR 0036): position 1 is offered the airport's next trip of their class.
 * placeKept: back from a short trip at their old place; declinesAllowed/declinesUsed: offers they may turn down and keep it (0s left out).
 */
export type QueuePlace = {
  queueId: string;
  name: string;
  position: number;
  size: number;
  since?: string;
  placeKept?: boolean;
  declinesAllowed?: number;
  declinesUsed?: number;
};

/** A pass back to an airport queue after a short trip from it (ADR 0036): enter its lot by `until` to keep the place. */
export type QueueReturnPass = { queueId: string; name: string; until: string; queuedAt?: string };

/**
 * The driver.state socket message (ADR 0026): the driver went online or offline, or stopped new requests during a trip
 * or took it back — on this device or another of theirs.
 */
export type DriverStateMessage = {
  driverId: string;
  state: DriverState["state"];
  offlineAfterTrip: boolean;
  offlineAfterTripReason?: string | null;
  offlineReason?: string | null;
  revision: number;
  at: string;
};

/**
 * The driver.queue socket message: their place changed, or (position 0) they left the queue — with returnBy, after a
 * short trip from it, the deadline to come back and keep their place.
 */
export type DriverQueueMessage = {
  driverId: string;
  queueId: string;
  queueName: string;
  position?: number;
  size?: number;
  at: string;
  placeKept?: boolean;
  declinesAllowed?: number;
  declinesUsed?: number;
  returnBy?: string | null;
};

export type OfferRecord = { accepted?: number; declined?: number; missed?: number; counted?: number; acceptanceRate?: number };

export type Offer = {
  offerId: string;
  tripId: string;
  driverId: string;
  riderId: string;
  vehicleClass: VehicleClass;
  pickup: LatLng;
  dropoff: LatLng;
  fareMinor: number;
  currency: string;
  pickupDistanceMeters: number;
  expiresAt: string;
  /** The trip's route length and time (absent or 0 when unknown). */
  tripDistanceMeters?: number;
  tripDurationSeconds?: number;
  /** Drivers' ratings of the rider (absent or 0: none yet). */
  riderRatingAverage?: number;
  riderRatingCount?: number;
  /** Stops on the way from the pickup to the drop-off, in order (absent or null when none). */
  stops?: LatLng[] | null;
  /** The rider booked for someone else: who to pick up (ADR 0031; absent or null: the rider rides). */
  passengerName?: string | null;
  /** The rider's note for the driver as booked (absent or null: none). */
  pickupNote?: string | null;
  /** The rider brings a pet (ADR 0041; absent or false: no pet). */
  withPet?: boolean;
  /** The rider pays in cash (ADR 0042; absent or false: in the app). */
  payInCash?: boolean;
  /** The rider needs a wheelchair-accessible vehicle (ADR 0045; absent or false: any). */
  wheelchairAccessible?: boolean;
  /** The rider's wishes for the ride (ADR 0049; absent or null: none). Never a requirement. */
  preferences?: RidePreferences | null;
  /** The driver reserved this ride booked for later (ADR 0047): "Your reserved ride". */
  reserved?: boolean;
};

/** A driver's reservation of a ride booked for later (ADR 0047). */
export type DriverReservation = { driverId: string; reservedAt: string; releasedAt?: string; releasedBy?: string; releaseReason?: string };

/** A ride booked for later as a driver choosing one to reserve sees it (ADR 0047): the areas until it is theirs. */
/** A reserved ride the driver let down (ADR 0050): released late, or not taken when its search came. */
export type ReservationStrike = {
  tripId: string;
  why: "late_release" | "missed";
  at: string;
  /** Support removed it (ADR 0050): kept, it no longer counts; by which operator (their id: the desk names them, ADR 0054), and why. */
  removedAt?: string;
  removedBy?: string;
  removedReason?: string;
};

/** Rides for later, with the driver's reserving standing (ADR 0050): paused until when and why, and recent strikes. */
export type ReservableRideList = {
  rides?: ReservableRide[];
  reservingPausedUntil?: string;
  reservingPausedReason?: string;
  strikes?: ReservationStrike[];
};

/** A ride the driver reserved is near (ADR 0050; socket "trip.reservation_reminder"): when, and when its search starts. */
export type ReservationReminder = {
  tripId: string;
  scheduledFor: string;
  dispatchAt: string;
  remindedAt: string;
  pickupArea: LatLng;
  /** Whom to pick up, first name only: "Pick up Ana at 08:15". */
  pickupName?: string;
};

/** A ride for later is no longer reserved (ADR 0047; socket "trip.reservation_released"): by whom and why. */
export type ReservationReleased = { tripId: string; driverId: string; by: string; reason: string; scheduledFor: string; cancelled?: boolean };

export type ReservableRide = {
  tripId: string;
  vehicleClass: VehicleClass;
  scheduledFor: string;
  pickup: LatLng;
  dropoff: LatLng;
  fare: Money;
  earnings: Money;
  pickupDistanceMeters?: number;
  distanceMeters?: number;
  durationSeconds?: number;
  withPet?: boolean;
  payInCash?: boolean;
  wheelchairAccessible?: boolean;
  /** Of the driver's own reservations: when they made it, until when they may release it, and the rider's note. */
  reservedAt?: string;
  releaseUntil?: string;
  pickupNote?: string;
};

export type DriverProfile = {
  driverId: string;
  name: string;
  vehicle?: { make: string; model: string; plate: string; colour: string; class: VehicleClass };
  ratingAverage?: number | null;
  ratingCount: number;
};

/** The rider's driver on the map, with the ETAs to the pickup (before the ride starts) and to the drop-off, in seconds. */
export type DriverPosition = { location: LatLng; pickupEtaSeconds?: number; dropoffEtaSeconds?: number };

/** The rider card the trip's driver sees: first name, and what drivers think of the rider. */
export type RiderProfile = { riderId: string; name: string; ratingAverage?: number | null; ratingCount: number };

/** A server → client socket message. */
export type ServerMessage = { type: string; seq: number; data: unknown };

/** trip.reminder's data: a ride booked for later is about an hour away (still scheduled; its search starts at dispatchAt). */
export type TripReminder = {
  tripId: string;
  riderId: string;
  vehicleClass: VehicleClass;
  pickup: LatLng;
  dropoff: LatLng;
  fareMinor: number;
  currency: string;
  scheduledFor: string;
  dispatchAt: string;
  remindedAt: string;
};

/** trip.stop_reached's data: the driver reached stop `index` (0-based); nextStop: where the car heads now (null: the drop-off). */
export type TripStopReached = {
  tripId: string;
  riderId: string;
  driverId: string;
  index: number;
  location: LatLng;
  nextStop: LatLng | null;
  at: string;
};

/** promotion.rewarded's data: a friend the rider invited took their first ride, so the rider got promotion `code`. */
export type PromotionRewarded = { riderId: string; code: string; amountOffMinor: number; currency: string; expiresAt: string; at: string };

/** A driver's car, as the account has it (class: the car's own class, which support may approve or not). */
export type Vehicle = { make: string; model: string; plate: string; colour: string; class: VehicleClass };

/**
 * Where a driver's approval stands: none (never sent documents), pending (sent, waiting for support; an earlier permit
 * may still be valid), approved (permit valid, nothing pending), rejected (the last documents were refused; an earlier
 * permit may still be valid), expired (the permit lapsed with a document, nothing pending), revoked (support took the
 * permit away, saying why; documents sent again go back to support's queue).
 */
export type DriverApprovalStatus = "none" | "pending" | "approved" | "rejected" | "expired" | "revoked";

/** What a driver sends support to be approved (dates YYYY-MM-DD, after today). */
export type DriverDocuments = {
  licenceNumber: string;
  licenceExpiresOn: string;
  insurancePolicy: string;
  insuranceExpiresOn: string;
  vehicleYear: number;
};

/** What the driver may drive now, until when (ISO 8601). */
/** wheelchairAccessible (ADR 0045): support approved the vehicle as wheelchair accessible (ramp or lift). */
export type DriverPermit = { classes: VehicleClass[]; validUntil: string; wheelchairAccessible?: boolean };

/**
 * Support's last decision on the driver: their documents approved or refused, or the permit narrowed to fewer classes
 * (restricted) or taken away (revoked), with why; by (the operator) on support's view only.
 */
export type DriverApprovalDecision = { outcome: "approved" | "rejected" | "restricted" | "revoked"; at: string; reason: string | null; by?: string };

/** GET /api/drivers/me/approval (and on support's views): the documents last sent, the permit, the last decision. */
export type DriverApproval = {
  status: DriverApprovalStatus;
  vehicle: Vehicle | null;
  documents: DriverDocuments | null;
  /** When `documents` were sent. */
  submittedAt: string | null;
  /** Null: the driver may drive nothing now. */
  permit: DriverPermit | null;
  decision: DriverApprovalDecision | null;
  /** The car the documents waiting are for, when the driver changed cars; `vehicle` until support approves it. */
  newVehicle?: Vehicle | null;
};

/**
 * driver.approval's data: support approved or rejected the driver's documents, narrowed the permit (status approved,
 * fewer classes) or took it away (revoked), or the approval lapsed.
 */
export type DriverApprovalChanged = {
  userId: string;
  status: DriverApprovalStatus;
  classes?: VehicleClass[] | null;
  validUntil?: string | null;
  reason?: string | null;
  at: string;
  /** What happened: submitted, approved, rejected, restricted (fewer classes), revoked or expired (absent from older gateways). */
  outcome?: "submitted" | "approved" | "rejected" | "restricted" | "revoked" | "expired" | null;
};

/** A driver waiting for support's review (GET /api/ops/driver-approvals), longest waiting first. */
export type DriverAwaitingApproval = { userId: string; name: string; email: string; vehicle: Vehicle | null; approval: DriverApproval };

/** An account as the support desk sees it (GET /api/ops/users/{userId}, or ?email=). */
export type OpsUser = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt?: string;
  vehicle?: { make: string; model: string; plate: string; colour: string; class: VehicleClass };
  /** Set while support has the account suspended (it cannot sign in). */
  suspension?: { reason: string; at: string; by: string } | null;
  /** When its owner deleted it (ISO 8601): its name is then "Deleted user" and its email empty; its trips are kept. */
  deletedAt?: string | null;
  /** When its owner confirmed the email with the code mailed at sign-up; unset: receipts are not mailed to it. */
  emailVerifiedAt?: string | null;
  /** Its owner asked to delete it: erased at eraseAt unless they sign in before. */
  deletionRequestedAt?: string | null;
  eraseAt?: string | null;
  /** A driver's approval to drive (null for riders and support). */
  driverApproval?: DriverApproval | null;
  /** 2-step verification is on since then (ADR 0052); unset: off. With how many recovery codes are left. */
  twoStepSince?: string | null;
  recoveryCodesLeft?: number | null;
};

/** A refund of a payment, as payments records it (status: pending until the provider confirms it). */
/** creditMinor: the part that went to the rider's ride credit (ADR 0051; all of a refund of kind credit), the rest to the card. */
export type PaymentRefund = { refundId: string; amountMinor: number; kind: string; reason?: string; status: string; requestedBy?: string; createdAt: string; creditMinor?: number };

/** A support account as GET /api/ops/operators lists it (ADR 0054); suspended: it can no longer sign in. */
export type OperatorAccount = { id: string; name: string; email: string; suspended?: boolean };

/** Whose audit trail: a trip's, an account's (and its trips'), or what one operator did. */
export type AuditSubject = { tripId: string } | { userId: string } | { operatorId: string };

/** One change the support desk made, as the gateway's audit trail keeps it. */
export type SupportAction = {
  id: string;
  at: string;
  operatorId: string;
  /** The support account's name; null when it no longer exists. */
  operatorName?: string | null;
  /** Made by a script with the payments operator key (operatorId is then the account that called). */
  byOperatorKey?: boolean;
  /** user.suspended | user.reinstated | user.signed_out_everywhere | operator.added | trip.cancelled | trip.completed |
   * payment.refunded | help.answered | help.closed | driver.approved | driver.rejected | other */
  action: string;
  method: string;
  path: string;
  status: number;
  userId?: string | null;
  tripId?: string | null;
  riderId?: string | null;
  driverId?: string | null;
  helpRequestId?: string | null;
  reason?: string | null;
  amountMinor?: number | null;
  /** A refund's currency: its trip's. */
  currency?: string | null;
  kind?: string | null;
  traceId?: string | null;
};

/** One payment session of a trip (GET /api/payments/trips/{tripId}/sessions): an attempt at its fare, fee or tip. */
export type PaymentSessionSummary = {
  sessionId: string;
  purpose: "fare" | "cancellation_fee" | "tip" | string;
  attempt: number;
  /** open | succeeded | failed | expired | partially_refunded | refunded */
  status: string;
  amountMinor: number;
  refundedMinor?: number;
  currency: string;
  createdAt: string;
  /** A bank's decline code for a card ("insufficient_funds"), or why a checkout failed ("expired"). */
  failureReason?: string | null;
  refunds?: PaymentRefund[];
  /** How it was paid: a checkout the rider opened, or their saved card, charged by payments (ADR 0024). */
  method?: PaymentMethod;
  /** The card charged ("Visa •••• 4242"), for method card. */
  cardLabel?: string | null;
  /** A card payment whose money was taken from the hold placed on the card at booking (ADR 0027). */
  fromHold?: boolean;
  /** Whose payment it is: the trip's rider, or of a split fare (purpose split_share) an invitee (ADR 0040). */
  riderId?: string;
  /** What the rider's ride credit paid of the charge before this payment (ADR 0051); amountMinor is the rest. */
  creditPaidMinor?: number;
};

/** Where a booking's hold on the rider's card stands (ADR 0027): asked for, held, declined, taken (captured) or let go (released). */
export type FareHoldStatus = "placing" | "held" | "declined" | "capturing" | "captured" | "releasing" | "released";

/** The upfront price held on the rider's card at booking, as payments records it (support's view of a trip's payments). */
export type FareHoldSummary = {
  status: FareHoldStatus | string;
  amountMinor: number;
  currency: string;
  cardLabel: string;
  /** What the ride's charge took from it (captured). */
  capturedMinor?: number;
  /** Declined: the bank's code ("card_declined", "insufficient_funds", …). */
  declineCode?: string | null;
  /** Why it was let go: cancelled, no_drivers_found, charge_above_hold, expired, booking_failed, … */
  endReason?: string | null;
  /** Which attempt at holding it (a booking refused for a decline and made again is a new attempt). */
  attempt: number;
  /** How many times a new destination that cost more raised it (ADR 0029). */
  raises?: number;
  /** A raise asked of the bank and not answered yet: the amount it asks for. */
  raisingToMinor?: number | null;
  /** The last raise's decline (the bank's code): the hold kept its amount. */
  raiseDeclineCode?: string | null;
  /** How many times the rider moved the ride to another of their cards (ADR 0032); cardLabel is where it is now. */
  moves?: number;
  createdAt: string;
  updatedAt: string;
};

/**
 * GET /api/payments/trips/{tripId}/sessions: every payment session of a trip, newest first, and the hold placed on the
 * rider's card at booking (null: none).
 */
export type TripPayments = { tripId: string; sessions: PaymentSessionSummary[]; hold: FareHoldSummary | null };

/** How a payment collects its money: a checkout link the rider opens and pays, the rider's saved card, charged when the ride ends, or cash to the driver (ADR 0042). */
/** credit: ride credit paid all of it (ADR 0051), nothing asked of the bank. */
export type PaymentMethod = "checkout" | "card" | "cash" | "credit";

/**
 * GET /api/payments/trips/{tripId}: the rider's latest payment of a trip (its fare or fee, or a tip paid on its own). Proto
 * JSON leaves empty strings and zeros out: no method is a checkout, and a card's payment has no checkoutUrl (nothing to open).
 */
export type TripPayment = {
  sessionId: string;
  /** open | succeeded | failed | expired | partially_refunded | refunded */
  status: string;
  checkoutUrl?: string;
  /** Which of the trip's payment attempts it is (≥ 1). */
  attempt?: number;
  purpose?: string;
  /** A bank's decline code ("card_declined", "insufficient_funds", "authentication_required"), "card_removed", or "expired" for a checkout. */
  failureReason?: string;
  method?: PaymentMethod;
  /** The card charged ("Visa •••• 4242"), for method card. */
  cardLabel?: string;
};

/**
 * A card the rider saved on the provider's page (ADR 0024): what it shows, never its number. The default one is charged
 * when a ride ends; an expired one never is.
 */
export type SavedCard = {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** "Visa •••• 4242". */
  label: string;
  isDefault: boolean;
  expired: boolean;
  addedAt: string;
};

/** GET /api/payments/cards (and what changing a card answers): the rider's saved cards, newest first, and how many may be saved. */
export type Wallet = { cards: SavedCard[]; defaultCardId: string | null; maxCards: number };

/** One line of a rider's ride credit (ADR 0051): support gave it (grant), or a ride's fare came back as it (refund). */
export type CreditEntry = {
  id: string;
  kind: "grant" | "refund" | string;
  amountMinor: number;
  currency: string;
  reason: string;
  tripId?: string | null;
  at: string;
  /** Who added it: in support's view only. */
  by?: string | null;
};

/**
 * GET /api/payments/credit (support: /api/payments/riders/{riderId}/credit): a balance per currency and the newest lines;
 * the most one grant gives, and the currency of a grant that names none.
 */
export type RideCredit = { balances: { currency: string; balanceMinor: number }[]; entries: CreditEntry[]; maxGrantMinor: number; currency: string };

/** POST /api/payments/cards/setup: the provider's page where the rider enters a card (relative in the sandbox), open until expiresAt. */
export type CardSetup = { setupId: string; url: string; expiresAt: string };

/** credit: the fare given back as the rider's ride credit, not to the card (ADR 0051). */
export type RefundKind = "goodwill" | "fare_adjustment" | "tip" | "item_return" | "credit";

/** What POST /api/payments/trips/{tripId}/refunds answers. */
export type RefundResult = {
  refundId: string;
  tripId: string;
  sessionId: string;
  amountMinor: number;
  refundedTotalMinor: number;
  currency: string;
  status: string;
  kind: RefundKind;
  /** A split fare's refund (ADR 0040): each rider's payment's part of it. */
  parts?: { refundId: string; sessionId: string; riderId: string; amountMinor: number; refundedTotalMinor: number; status: string }[] | null;
  /** The part that went to the rider's ride credit (ADR 0051: all of kind credit, else what credit had paid), the rest to the card. */
  creditMinor?: number;
};

/** What a rider or driver asks support about a trip. */
export type HelpTopic = "lost_item" | "fare" | "conduct" | "safety" | "other";
export const helpTopics: HelpTopic[] = ["lost_item", "fare", "conduct", "safety", "other"];

/** open: waiting for support; answered: support wrote last, waiting for the user; closed. */
export type HelpStatus = "open" | "answered" | "closed";

/** Support's lists: waiting (status open, longest waiting first), answered or closed (newest first). */
export type HelpQueueStatus = "waiting" | "answered" | "closed";

/** authorId: on support's view only (the user, or which colleague answered). */
export type HelpMessage = { messageId: string; from: "rider" | "driver" | "support"; text: string; sentAt: string; authorId?: string };

/** A rider's or driver's conversation with support about one of their trips. */
export type HelpRequest = {
  requestId: string;
  tripId: string;
  openedBy: string;
  openedByRole: "rider" | "driver";
  topic: HelpTopic;
  status: HelpStatus;
  messages: HelpMessage[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** While open: since when the user has waited for support. */
  waitingSince?: string;
  /** An emergency alert (the trip's emergency button): first in support's queue until it is closed. */
  urgent?: boolean;
};

/** A mail about an account, as support sees it: never its body, the address masked, a code's digits hidden. */
export type OpsMail = {
  id: string;
  kind: string;
  subject: string;
  to: string;
  state: "queued" | "sent" | "failed";
  queuedAt: string;
  sentAt?: string | null;
  attempts: number;
  nextAttemptAt?: string | null;
  lastError?: string | null;
};

/**
 * What a promotion takes off a ride (never the booking fee): percentOff of the fare, at most maxDiscount, or amountOff.
 * Proto JSON leaves a zero percentOff out.
 */
export type PromotionTerms = { percentOff?: number; amountOff?: Money; maxDiscount?: Money; currency: string };

/** A promotion the rider added (GET|POST /api/trips/promotions); usable: rides left and not expired. Zeros left out. */
export type RiderPromotion = {
  code: string;
  terms: PromotionTerms;
  rides?: number;
  ridesLeft?: number;
  expiresAt: string;
  addedAt: string;
  usable?: boolean;
};

/** open: riders may add it; ended by support; expired; full: as many riders as it allows added it. */
export type PromotionStatus = "open" | "ended" | "expired" | "full";

/** A promotion as support sees it (/api/trips/ops/promotions). Zeros left out: maxRiders 0 is no limit. */
export type Promotion = {
  code: string;
  terms: PromotionTerms;
  ridesPerRider?: number;
  expiresAt: string;
  maxRiders?: number;
  ridersAdded?: number;
  createdBy: string;
  createdAt: string;
  endedAt?: string;
  status: PromotionStatus;
  /** Only riders who have not completed a ride may add it (a welcome offer). */
  newRidersOnly?: boolean;
};

/** What support fills in to create a promotion: percentOff or amountOffMinor; maxDiscountMinor caps a percentage. */
export type NewPromotion = {
  code: string;
  percentOff?: number;
  amountOffMinor?: number;
  maxDiscountMinor?: number;
  currency: string;
  ridesPerRider: number;
  /** An ISO instant. */
  expiresAt: string;
  maxRiders?: number;
  newRidersOnly?: boolean;
};

/**
 * GET /api/trips/promotions/invite: the rider's invite code for friends who have not ridden, what it gives a friend
 * (terms, for so many rides), what the rider gets off one ride for each friend who took one with it, and how many
 * friends added it. Zeros left out.
 */
export type Invite = {
  code: string;
  terms: PromotionTerms;
  rides?: number;
  reward: Money;
  rewardValidDays?: number;
  friendsAdded?: number;
  expiresAt: string;
};

/** Ride preferences (ADR 0049): wishes the driver is shown, never a reason to pass a driver over. */
export type Conversation = "none" | "quiet" | "chat";
export type TemperaturePreference = "none" | "cooler" | "warmer";
export interface RidePreferences {
  conversation?: Conversation;
  helpWithBags?: boolean;
  temperature?: TemperaturePreference;
}

/** When a rider's rides need their PIN (ADR 0044): night is 9 pm to 6 am in timeZone. */
export type PinMode = "off" | "always" | "night";
export interface PinVerificationSetting {
  mode: PinMode;
  timeZone?: string;
}

/** Support waived what a rider owed on a trip (ADR 0053); reason, operatorId (who asked) and approvedBy are support's view only. */
export interface PaymentWaiver {
  fare?: Money;
  returnFee?: Money;
  waivedAt: string;
  reason?: string;
  operatorId?: string;
  /** The colleague who approved a waiver above the limit one account may waive alone; absent when none was needed. */
  approvedBy?: string;
}

/** A waiver above the limit one support account may waive alone, awaiting a colleague's approval (ADR 0053; support's view only). */
export interface WaiverRequest {
  operatorId: string;
  reason: string;
  fare?: Money;
  returnFee?: Money;
  askedAt: string;
  /** When it lapses (Waivers:RequestLapse after askedAt): it can no longer be approved, and may be asked again. */
  lapsesAt?: string;
  /** Lapsed already: the desk says "lapsed — ask again". */
  lapsed?: boolean;
  /** A part of what was owed was asked (fare and returnFee say how much); the rider owes the rest once approved. */
  part?: boolean;
}

/** A waiver awaiting a colleague's approval, on support's list (GET /api/trips/waivers/awaiting; ADR 0053). */
export interface AwaitingWaiver {
  tripId: string;
  riderId: string;
  /** Null once the rider's account was erased. */
  riderName: string | null;
  amountMinor: number;
  currency: string;
  askedBy: string;
  askedByName: string | null;
  reason: string;
  askedAt: string;
  lapsesAt: string;
}

/**
 * What the other side thinks of a rider or driver: the all-time average and count. A driver's also has their standing
 * (ADR 0055) over their last `rated` rated trips (`windowAverage`), against the lines support set; a rider's too (ADR
 * 0056: `restricted` below `restrictBelow`, where a driver's is `deactivate` below `deactivateBelow`); fields at their
 * zero value are left out of the answer.
 */
export type RatingSummary = {
  average?: number;
  count?: number;
  standing?: "good" | "warned" | "deactivate" | "restricted";
  windowAverage?: number;
  rated?: number;
  warnBelow?: number;
  deactivateBelow?: number;
  restrictBelow?: number;
  minimumRated?: number;
};

/** What the driver's app hears on driver.rating_standing (ADR 0055). */
export type DriverRatingStandingChanged = {
  driverId: string;
  standing: "good" | "warned" | "deactivate";
  average: number;
  rated: number;
  warnBelow: number;
  deactivateBelow: number;
  at: string;
  previous?: string;
};
