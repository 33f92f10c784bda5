namespace UberClone.Contracts;

/// <summary>Kafka topic names. Key = the entity id (trip id, driver id) so an entity's messages stay ordered.</summary>
public static class Topics
{
    public const string TripCreated = "trip.event.created";
    public const string TripScheduled = "trip.event.scheduled";
    /// <summary>The rider moved a ride booked for later to another pickup time.</summary>
    public const string TripRescheduled = "trip.event.rescheduled";
    /// <summary>A ride booked for later is an hour away: its rider is reminded.</summary>
    public const string TripReservationReminder = "trip.event.reservation_reminder";
    public const string TripDriverAssigned = "trip.event.driver_assigned";
    /// <summary>What a rider owes on a trip could not be charged, or is still owed on a reminder's day (ADR 0039): the rider is mailed.</summary>
    public const string TripPaymentDue = "trip.event.payment_due";
    /// <summary>Support waived what a rider owed on a trip after its payment failed (ADR 0053).</summary>
    public const string TripPaymentWaived = "trip.event.payment_waived";
    /// <summary>A waiver awaiting a colleague's approval was asked for, or no longer awaits (ADR 0053): the support desks read their list again.</summary>
    public const string TripWaiverRequestChanged = "trip.event.waiver_request_changed";
    /// <summary>A repeating ride's occurrence could not be booked (ADR 0043): the rider is mailed why.</summary>
    public const string TripScheduleRefused = "trip.event.schedule_refused";
    /// <summary>A repeating ride booked its last ride before its end (ADR 0043): the gateway mails the rider.</summary>
    public const string TripScheduleEnded = "trip.event.schedule_ended";
    /// <summary>A rider was given a promotion (a friend they invited took their first ride).</summary>
    public const string PromotionRewarded = "promotion.event.rewarded";
    /// <summary>A completed ride moved a driver's progress on a quest (ADR 0038): their app shows it.</summary>
    public const string QuestProgress = "quest.event.progress";
    /// <summary>A driver reached a quest's target: the bonus is a line of their ledger in payments, and they are mailed.</summary>
    public const string QuestBonusEarned = "quest.event.bonus_earned";
    public const string TripNoDriversFound = "trip.event.no_drivers_found";
    public const string TripDriverArrived = "trip.event.driver_arrived";
    public const string TripStarted = "trip.event.started";
    /// <summary>The driver reached a stop on the way (ADR 0023): the rider's app and the drivers service (the drop-off ETA) follow.</summary>
    public const string TripStopReached = "trip.event.stop_reached";
    public const string TripCompleted = "trip.event.completed";
    public const string TripCancelled = "trip.event.cancelled";
    public const string TripRated = "trip.event.rated";
    /// <summary>A rating moved a driver's standing over their recent rated trips (ADR 0055): the gateway warns them, or takes their approval away.</summary>
    public const string TripDriverRatingStanding = "trip.event.driver_rating_standing";
    /// <summary>A rating, or support's reinstatement, moved a rider's standing (ADR 0056): the gateway warns them; restricted, trips refuses their new bookings.</summary>
    public const string TripRiderRatingStanding = "trip.event.rider_rating_standing";
    public const string TripDriverCancelled = "trip.event.driver_cancelled";
    public const string TripPaid = "trip.event.paid";
    public const string TripRefunded = "trip.event.refunded";
    /// <summary>What a driver earns from a trip changed (earned, a tip, a fare adjustment): payments' ledger of what it owes drivers (ADR 0025).</summary>
    public const string TripEarningsChanged = "trip.event.earnings_changed";
    /// <summary>The rider changed the drop-off during the trip: a new route and upfront fare.</summary>
    public const string TripDestinationChanged = "trip.event.destination_changed";
    /// <summary>The rider changed their note for the driver before the ride (ADR 0031): the driver's app shows the new one.</summary>
    public const string TripPickupNoteChanged = "trip.event.pickup_note_changed";
    /// <summary>A driver reserved a ride booked for later (ADR 0047): the gateway tells and mails the rider.</summary>
    public const string TripReserved = "trip.event.reserved";
    /// <summary>A ride booked for later is no longer reserved (ADR 0047): the gateway tells the rider and the driver.</summary>
    public const string TripReservationReleased = "trip.event.reservation_released";
    /// <summary>A reserved ride's pickup is near (ADR 0050): the gateway reminds the driver who reserved it, in the app and by mail.</summary>
    public const string TripReservationDriverReminder = "trip.event.reservation_driver_reminder";
    /// <summary>Support removed a driver's reservation strike (ADR 0050): the gateway tells the driver, in the app and by mail.</summary>
    public const string TripReservationStrikeRemoved = "trip.event.reservation_strike_removed";
    /// <summary>The rider moved the pickup (ADR 0046): drivers updates the driver's trip, the gateway tells both apps.</summary>
    public const string TripPickupMoved = "trip.event.pickup_moved";
    /// <summary>The rider changed the ride's preferences (ADR 0049): drivers updates an offer out, the gateway tells both apps.</summary>
    public const string TripPreferencesChanged = "trip.event.preferences_changed";
    /// <summary>The rider switched a completed ride between personal and business, or changed its expense memo (ADR 0034).</summary>
    public const string TripProfileChanged = "trip.event.profile_changed";
    /// <summary>What the trip's card hold shows changed after booking (ADR 0030): the rider's app reads the trip again.</summary>
    public const string TripPaymentHoldChanged = "trip.event.payment_hold_changed";
    /// <summary>RideCheck (ADR 0033): a ride stopped too long and its safety check opened, was answered, or went to support unanswered.</summary>
    public const string TripSafetyCheck = "trip.event.safety_check";
    /// <summary>A lost-item report changed (ADR 0035): reported, answered by the driver, returned, closed, or sent to support unanswered.</summary>
    public const string TripLostItem = "trip.event.lost_item";
    /// <summary>A help request about a trip changed (opened, written to, answered, closed): its owner's apps are told.</summary>
    public const string TripHelpUpdated = "trip.event.help_updated";
    /// <summary>A trip's split fare changed (ADR 0040): invited, answered, withdrawn, lapsed, a share charged; the requester's and the invitees' apps are told.</summary>
    public const string TripSplitChanged = "trip.event.split_changed";
    /// <summary>A message between a trip's rider and driver.</summary>
    public const string TripMessageSent = "trip.event.message_sent";

    public const string DriverTripRequest = "driver.cmd.trip_request";
    public const string DriverTripAccept = "driver.cmd.trip_accept";
    public const string DriverTripDecline = "driver.cmd.trip_decline";
    /// <summary>Positions of drivers on a trip, for their riders (live tracking), many per message.</summary>
    public const string DriverLocationsUpdated = "driver.event.locations_updated";
    /// <summary>Surge supply: which drivers are available where, many per message.</summary>
    public const string DriverSupply = "driver.event.supply";
    public const string DriverOfferWithdrawn = "driver.event.offer_withdrawn";
    /// <summary>An available driver not heard from for too long was taken offline by the service (their screen says why).</summary>
    public const string DriverWentOffline = "driver.event.went_offline";
    /// <summary>
    /// A driver went online or offline, or stopped new requests during a trip or took it back (ADR 0026): every open app of
    /// theirs shows it at once, not only the one that asked.
    /// </summary>
    public const string DriverStateChanged = "driver.event.state_changed";
    /// <summary>A driver's time online nears the driving limit (ADR 0026): their app says when they will be taken offline.</summary>
    public const string DriverDrivingLimitNear = "driver.event.driving_limit_near";
    /// <summary>A driver's place in an airport queue changed, or they left it (ADR 0036): their app shows "3rd of 7".</summary>
    public const string DriverQueuePosition = "driver.event.queue_position";
    /// <summary>Internal to drivers: what one replica learned about a driver (state, live position), for the others.</summary>
    public const string DriverPresence = "driver.event.presence";
    /// <summary>Internal to drivers: the live fixes one replica accepted, many drivers per message, for the others.</summary>
    public const string DriverPositions = "driver.event.positions";

    public const string PaymentCreateSession = "payment.cmd.create_session";
    public const string PaymentSessionCreated = "payment.event.session_created";
    public const string PaymentSucceeded = "payment.event.succeeded";
    public const string PaymentFailed = "payment.event.failed";
    public const string PaymentRefunded = "payment.event.refunded";
    /// <summary>A driver's payout reached their account at the provider, or was refused (ADR 0025).</summary>
    public const string PayoutPaid = "payment.event.payout_paid";
    public const string PayoutFailed = "payment.event.payout_failed";
    /// <summary>The driver's bank refused a payout the provider sent it from their account there, days after ours reached it.</summary>
    public const string PayoutBankRefused = "payment.event.payout_bank_refused";
    /// <summary>A payout to the driver's bank was paid after it refused one: the refusal is over.</summary>
    public const string PayoutBankRefusalCleared = "payment.event.payout_bank_refusal_cleared";
    /// <summary>A rider's saved card was removed, by them or by support: the gateway mails them a notice.</summary>
    public const string PaymentCardRemoved = "payment.event.card_removed";
    /// <summary>A trip's card hold was written (ADR 0030): trips shows what it is now, even when the bank answered late.</summary>
    public const string PaymentHoldChanged = "payment.event.hold_changed";
    /// <summary>An invitee's share of a split fare was charged to their card, or their card declined it (ADR 0040).</summary>
    public const string PaymentSplitShareCharged = "payment.event.split_share_charged";
    /// <summary>
    /// A driver's cash balance (ADR 0042) went past the limit of what they may owe from cash rides, or came back: drivers
    /// stops or resumes offering them cash rides; the gateway tells their app.
    /// </summary>
    public const string PaymentDriverCashLimit = "payment.event.driver_cash_limit";
    /// <summary>A rider's ride credit went up (ADR 0051): support gave it, or refunded a fare as credit; the gateway tells them.</summary>
    public const string PaymentCreditAdded = "payment.event.credit_added";

    /// <summary>Gateway to gateway: a user's sessions were ended everywhere; every replica refuses their older tokens.</summary>
    public const string AccountSessionsRevoked = "account.event.sessions_revoked";
    /// <summary>Support suspended an account: drivers takes a suspended driver offline.</summary>
    public const string AccountSuspended = "account.event.suspended";
    /// <summary>
    /// A rider or driver asked to delete their account (erased after a grace period unless they sign in): trips cancels
    /// what they booked ahead, drivers takes the driver offline.
    /// </summary>
    public const string AccountClosing = "account.event.closing";
    /// <summary>An account was erased: trips cancels anything left booked ahead, drivers forgets the driver, payments detaches and forgets the saved cards.</summary>
    public const string AccountDeleted = "account.event.deleted";
    /// <summary>A driver's account got a time zone or another one (sign-up, their settings): payments pays their weekly payout at Monday 00:00 there (ADR 0025).</summary>
    public const string AccountTimeZoneSet = "account.event.time_zone_set";
    /// <summary>What a driver may drive changed (approved, refused, lapsed): drivers takes them offline if it no longer covers them; their app is told.</summary>
    public const string AccountDriverApproval = "account.event.driver_approval";

    public const string DeadLetterSuffix = ".dlq";

    public static string DeadLetter(string topic) => topic + DeadLetterSuffix;

    /// <summary>Every topic the platform uses; the embedded broker pre-creates these and their dead-letter topics.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        TripCreated, TripScheduled, TripRescheduled, TripReservationReminder, TripDriverAssigned, TripNoDriversFound, TripDriverArrived, TripStarted, TripStopReached, TripCompleted, TripCancelled, TripRated, TripDriverRatingStanding, TripRiderRatingStanding, TripDriverCancelled, TripPaid, TripRefunded, TripEarningsChanged, TripMessageSent, TripDestinationChanged, TripPickupNoteChanged, TripPickupMoved, TripPreferencesChanged, TripReserved, TripReservationReleased, TripReservationDriverReminder, TripReservationStrikeRemoved, TripProfileChanged, TripPaymentHoldChanged, TripSafetyCheck, TripLostItem, TripHelpUpdated, TripPaymentDue, TripPaymentWaived, TripWaiverRequestChanged, TripScheduleRefused, TripScheduleEnded, TripSplitChanged,
        PromotionRewarded, QuestProgress, QuestBonusEarned,
        DriverTripRequest, DriverTripAccept, DriverTripDecline, DriverLocationsUpdated, DriverSupply, DriverOfferWithdrawn, DriverWentOffline, DriverStateChanged, DriverDrivingLimitNear, DriverQueuePosition,
        DriverPresence, DriverPositions,
        PaymentCreateSession, PaymentSessionCreated, PaymentSucceeded, PaymentFailed, PaymentRefunded, PayoutPaid, PayoutFailed, PayoutBankRefused, PayoutBankRefusalCleared, PaymentCardRemoved, PaymentHoldChanged, PaymentSplitShareCharged, PaymentDriverCashLimit, PaymentCreditAdded,
        AccountSessionsRevoked, AccountSuspended, AccountClosing, AccountDeleted, AccountDriverApproval, AccountTimeZoneSet,
    ];

    public static IEnumerable<string> AllWithDeadLetters => All.Concat(All.Select(DeadLetter));
}
