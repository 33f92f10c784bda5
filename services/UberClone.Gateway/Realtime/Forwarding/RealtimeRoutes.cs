using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>The socket message types users receive (besides "snapshot", "ack", "error", "pong").</summary>
public static class RealtimeTypes
{
    public const string Offer = "offer";
    public const string OfferWithdrawn = "offer.withdrawn";
    public const string DriverOffline = "driver.offline";
    /// <summary>
    /// The driver's state changed — online, offline, "Stop new requests" during a trip or taken back (ADR 0026): each of
    /// their open apps shows it at once, not only the one that asked.
    /// </summary>
    public const string DriverState = "driver.state";
    /// <summary>The driver's time online nears the driving limit (ADR 0026).</summary>
    public const string DriverDrivingLimitNear = "driver.driving_limit_near";
    /// <summary>The driver's place in an airport queue changed, or they left it (position 0; ADR 0036).</summary>
    public const string DriverQueue = "driver.queue";
    /// <summary>A completed ride moved the driver's progress on a quest (ADR 0038); <c>earned</c> when it reached the target.</summary>
    public const string DriverQuest = "driver.quest";
    /// <summary>Support approved or refused the driver's documents, or their approval lapsed: the app reads it again.</summary>
    public const string DriverApproval = "driver.approval";
    /// <summary>A rating moved the driver's standing over their recent rated trips (ADR 0055): warned, good again, or deactivated.</summary>
    public const string DriverRatingStanding = "driver.rating_standing";
    /// <summary>A drivers' rating, or support's reinstatement, moved the rider's standing (ADR 0056): warned, restricted, or good again.</summary>
    public const string RiderRatingStanding = "rider.rating_standing";
    public const string TripSearching = "trip.searching";
    /// <summary>A ride booked for later is near (an hour): the rider's app reminds them.</summary>
    public const string TripReminder = "trip.reminder";
    public const string PromotionRewarded = "promotion.rewarded";
    /// <summary>The rider moved a ride booked for later (their other devices show the new time).</summary>
    public const string TripRescheduled = "trip.rescheduled";
    public const string TripDriverAssigned = "trip.driver_assigned";
    public const string TripNoDriversFound = "trip.no_drivers_found";
    public const string TripDriverArrived = "trip.driver_arrived";
    public const string TripStarted = "trip.started";
    /// <summary>The driver reached a stop on the way (ADR 0023): which, and the stop the car heads for now.</summary>
    public const string TripStopReached = "trip.stop_reached";
    public const string TripCompleted = "trip.completed";
    public const string TripCancelled = "trip.cancelled";
    public const string TripDriverCancelled = "trip.driver_cancelled";
    public const string TripRated = "trip.rated";
    public const string TripPaid = "trip.paid";
    public const string TripRefunded = "trip.refunded";
    public const string TripMessage = "trip.message";
    public const string TripDestinationChanged = "trip.destination_changed";
    /// <summary>The rider changed their note for the driver before the ride (ADR 0031): the driver's app shows the new one.</summary>
    public const string TripPickupNoteChanged = "trip.pickup_note_changed";
    public const string TripPickupMoved = "trip.pickup_moved";
    /// <summary>The rider changed the ride's preferences (ADR 0049): the driver's app shows the new ones.</summary>
    public const string TripPreferencesChanged = "trip.preferences_changed";
    /// <summary>A driver reserved the rider's ride booked for later (ADR 0047): the rider's app shows who comes.</summary>
    public const string TripReserved = "trip.reserved";
    /// <summary>A ride booked for later is no longer reserved (ADR 0047): the rider's app is back to "we'll find you a driver", the driver's list drops it.</summary>
    public const string TripReservationReleased = "trip.reservation_released";
    /// <summary>The pickup of a ride the driver reserved is near (ADR 0050): their app shows "Pick up Ana at 08:15 … be online by …".</summary>
    public const string TripReservationReminder = "trip.reservation_reminder";
    /// <summary>Support removed one of the driver's strikes (ADR 0050): their app reads their reserving standing again.</summary>
    public const string TripReservationStrikeRemoved = "trip.reservation_strike_removed";
    /// <summary>What the rider's card holds for the ride changed after booking (ADR 0030): the app reads the trip again.</summary>
    public const string TripPaymentHoldChanged = "trip.payment_hold_changed";
    /// <summary>Support waived what the rider owed on a trip (ADR 0053): the rider's app drops "Payment due", the driver's reads the trip again.</summary>
    public const string TripPaymentWaived = "trip.payment_waived";
    /// <summary>RideCheck (ADR 0033): the ride's safety check opened (show "Is everything OK?"), was answered, or went to support unanswered.</summary>
    public const string TripSafetyCheck = "trip.safety_check";
    /// <summary>A lost-item report changed (ADR 0035): reported, answered, returned (and its fee paid), closed, or sent to support.</summary>
    public const string TripLostItem = "trip.lost_item";
    /// <summary>A split fare changed (ADR 0040): the rider's app reads the trip again, an invitee's their invitations.</summary>
    public const string TripSplit = "trip.split";
    public const string HelpUpdated = "help.updated";
    /// <summary>A waiver awaiting a colleague's approval was asked for or no longer awaits (ADR 0053): the desk reads its list again.</summary>
    public const string SupportWaiversChanged = "support.waivers_changed";
    public const string DriverLocation = "driver.location";
    public const string PaymentSessionCreated = "payment.session_created";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentRefunded = "payment.refunded";
    /// <summary>One of the rider's saved cards was removed (by them elsewhere, or by support): an open app stops offering it.</summary>
    public const string PaymentCardRemoved = "payment.card_removed";
    /// <summary>The rider's ride credit went up (ADR 0051): support gave it, or refunded a fare as it.</summary>
    public const string PaymentCreditAdded = "payment.credit_added";
    /// <summary>A driver's payout reached their account, or was refused (ADR 0025).</summary>
    public const string PayoutPaid = "payout.paid";
    public const string PayoutFailed = "payout.failed";
    /// <summary>The driver's bank refused a payout the provider sent it (days after ours was paid): their app warns and offers to update the bank account.</summary>
    public const string PayoutBankRefused = "payout.bank_refused";
    /// <summary>A payout to the driver's bank was paid after it refused one: their app drops the warning.</summary>
    public const string PayoutBankRefusalCleared = "payout.bank_refusal_cleared";
    /// <summary>The driver owes more than the limit from cash rides, or no longer (ADR 0042): cash rides paused or resumed.</summary>
    public const string DriverCashLimit = "driver.cash_limit";
}

/// <summary>The realtime routing table: topic → socket message type → recipients.</summary>
public static class RealtimeRoutes
{
    public static IHostApplicationBuilder AddRealtimeRoutes(this IHostApplicationBuilder builder) => builder
        .Forward<DriverTripRequestCommand>(Topics.DriverTripRequest, RealtimeTypes.Offer, m => [m.DriverId])
        .Forward<DriverOfferWithdrawnIntegrationEvent>(Topics.DriverOfferWithdrawn, RealtimeTypes.OfferWithdrawn, m => [m.DriverId])
        .Forward<DriverWentOfflineIntegrationEvent>(Topics.DriverWentOffline, RealtimeTypes.DriverOffline, m => [m.DriverId])
        .Forward<DriverStateChangedIntegrationEvent>(Topics.DriverStateChanged, RealtimeTypes.DriverState, m => [m.DriverId])
        .Forward<DriverDrivingLimitNearIntegrationEvent>(Topics.DriverDrivingLimitNear, RealtimeTypes.DriverDrivingLimitNear, m => [m.DriverId])
        .Forward<DriverQueuePositionIntegrationEvent>(Topics.DriverQueuePosition, RealtimeTypes.DriverQueue, m => [m.DriverId])
        .Forward<QuestProgressIntegrationEvent>(Topics.QuestProgress, RealtimeTypes.DriverQuest, m => [m.DriverId])
        .Route(Topics.AccountDriverApproval, DriverApproval)
        .Forward<TripDriverRatingStandingIntegrationEvent>(Topics.TripDriverRatingStanding, RealtimeTypes.DriverRatingStanding, m => [m.DriverId])
        .Forward<TripRiderRatingStandingIntegrationEvent>(Topics.TripRiderRatingStanding, RealtimeTypes.RiderRatingStanding, m => [m.RiderId])
        .Forward<TripCreatedIntegrationEvent>(Topics.TripCreated, RealtimeTypes.TripSearching, m => [m.RiderId])
        .Forward<TripReservationReminderIntegrationEvent>(Topics.TripReservationReminder, RealtimeTypes.TripReminder, m => [m.RiderId])
        .Forward<TripRescheduledIntegrationEvent>(Topics.TripRescheduled, RealtimeTypes.TripRescheduled, m => [m.RiderId])
        .Forward<PromotionRewardedIntegrationEvent>(Topics.PromotionRewarded, RealtimeTypes.PromotionRewarded, m => [m.RiderId])
        .Forward<TripDriverAssignedIntegrationEvent>(Topics.TripDriverAssigned, RealtimeTypes.TripDriverAssigned, m => [m.RiderId, m.DriverId])
        .Forward<TripNoDriversFoundIntegrationEvent>(Topics.TripNoDriversFound, RealtimeTypes.TripNoDriversFound, m => [m.RiderId])
        .Forward<TripDriverArrivedIntegrationEvent>(Topics.TripDriverArrived, RealtimeTypes.TripDriverArrived, m => [m.RiderId, m.DriverId])
        .Forward<TripStartedIntegrationEvent>(Topics.TripStarted, RealtimeTypes.TripStarted, m => [m.RiderId, m.DriverId])
        .Forward<TripStopReachedIntegrationEvent>(Topics.TripStopReached, RealtimeTypes.TripStopReached, m => [m.RiderId, m.DriverId])
        .Route(Topics.TripCompleted, TripCompleted)
        .Route(Topics.TripCancelled, TripCancelled)
        .Forward<TripDriverCancelledIntegrationEvent>(Topics.TripDriverCancelled, RealtimeTypes.TripDriverCancelled, m => [m.RiderId, m.DriverId])
        .Forward<TripRatedIntegrationEvent>(Topics.TripRated, RealtimeTypes.TripRated, m => [m.RiderId, m.DriverId])
        // The driver learns they were paid; the rider's app learns the trip itself now says paid (payment.succeeded
        // reaches it as trips is still recording it).
        .Forward<TripPaidIntegrationEvent>(Topics.TripPaid, RealtimeTypes.TripPaid, m => [m.DriverId, m.RiderId])
        .Forward<TripDestinationChangedIntegrationEvent>(Topics.TripDestinationChanged, RealtimeTypes.TripDestinationChanged, m => [m.RiderId, m.DriverId])
        // The rider's other devices follow too.
        .Forward<TripPickupNoteChangedIntegrationEvent>(Topics.TripPickupNoteChanged, RealtimeTypes.TripPickupNoteChanged, m => [m.DriverId, m.RiderId])
        // A ride booked for later has no driver yet, but may have one who reserved it (ADR 0047): they are told too.
        .Forward<TripPickupMovedIntegrationEvent>(Topics.TripPickupMoved, RealtimeTypes.TripPickupMoved, m => [m.DriverId, m.RiderId, m.ReservedDriverId])
        .Forward<TripPreferencesChangedIntegrationEvent>(Topics.TripPreferencesChanged, RealtimeTypes.TripPreferencesChanged, m => [m.DriverId, m.RiderId])
        .Forward<TripReservedIntegrationEvent>(Topics.TripReserved, RealtimeTypes.TripReserved, m => [m.RiderId, m.DriverId])
        .Forward<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased, RealtimeTypes.TripReservationReleased, m => [m.RiderId, m.DriverId])
        // Named by the gateway, which knows the rider's name (ADR 0050); realtime is best effort: no processed-id bookkeeping.
        .AddMessageHandler<TripReservationDriverReminderIntegrationEvent, ReservationReminderForwarder>(Topics.TripReservationDriverReminder, idempotent: false)
        .Forward<TripReservationStrikeRemovedIntegrationEvent>(Topics.TripReservationStrikeRemoved, RealtimeTypes.TripReservationStrikeRemoved, m => [m.DriverId])
        .Forward<TripPaymentHoldChangedIntegrationEvent>(Topics.TripPaymentHoldChanged, RealtimeTypes.TripPaymentHoldChanged, m => [m.RiderId])
        .Route(Topics.TripPaymentWaived, TripPaymentWaived)
        // Both are asked, and either's answer closes the card on both screens.
        .Forward<TripSafetyCheckIntegrationEvent>(Topics.TripSafetyCheck, RealtimeTypes.TripSafetyCheck, m => [m.RiderId, m.DriverId])
        // The rider follows the driver's answer live, and the driver sees a report the moment it is made.
        .Forward<TripLostItemIntegrationEvent>(Topics.TripLostItem, RealtimeTypes.TripLostItem, m => [m.RiderId, m.DriverId])
        .Route(Topics.TripSplitChanged, TripSplit)
        .Route(Topics.TripHelpUpdated, HelpUpdated)
        .Route(Topics.TripWaiverRequestChanged, WaiversChanged)
        .Forward<TripMessageSentIntegrationEvent>(Topics.TripMessageSent, RealtimeTypes.TripMessage, m => [m.RiderId, m.DriverId])
        .Route(Topics.TripRefunded, TripRefunded)
        .Route(Topics.DriverLocationsUpdated, DriverLocations)
        .Forward<PaymentSessionCreatedIntegrationEvent>(Topics.PaymentSessionCreated, RealtimeTypes.PaymentSessionCreated, m => [m.RiderId])
        .Forward<PaymentSucceededIntegrationEvent>(Topics.PaymentSucceeded, RealtimeTypes.PaymentSucceeded, m => [m.RiderId])
        .Forward<PaymentFailedIntegrationEvent>(Topics.PaymentFailed, RealtimeTypes.PaymentFailed, m => [m.RiderId])
        .Forward<PaymentRefundedIntegrationEvent>(Topics.PaymentRefunded, RealtimeTypes.PaymentRefunded, m => [m.RiderId])
        .Forward<PaymentCardRemovedIntegrationEvent>(Topics.PaymentCardRemoved, RealtimeTypes.PaymentCardRemoved, m => [m.RiderId])
        .Forward<PaymentCreditAddedIntegrationEvent>(Topics.PaymentCreditAdded, RealtimeTypes.PaymentCreditAdded, m => [m.RiderId])
        .Forward<PayoutPaidIntegrationEvent>(Topics.PayoutPaid, RealtimeTypes.PayoutPaid, m => [m.DriverId])
        .Forward<PayoutFailedIntegrationEvent>(Topics.PayoutFailed, RealtimeTypes.PayoutFailed, m => [m.DriverId])
        .Forward<PayoutBankRefusedIntegrationEvent>(Topics.PayoutBankRefused, RealtimeTypes.PayoutBankRefused, m => [m.DriverId])
        .Forward<PayoutBankRefusalClearedIntegrationEvent>(Topics.PayoutBankRefusalCleared, RealtimeTypes.PayoutBankRefusalCleared, m => [m.DriverId])
        .Forward<DriverCashLimitIntegrationEvent>(Topics.PaymentDriverCashLimit, RealtimeTypes.DriverCashLimit, m => [m.DriverId]);

    /// <summary>
    /// On-trip positions come many drivers per message: each rider receives their own driver's, one socket message each,
    /// newest only: a position older than one the socket already got from the same driver (batches overtake each other)
    /// is not sent.
    /// </summary>
    public static readonly RealtimeRoute<DriverLocationsUpdatedIntegrationEvent> DriverLocations =
        Each<DriverLocationsUpdatedIntegrationEvent, DriverLocationUpdatedIntegrationEvent>(RealtimeTypes.DriverLocation, m => m.Locations, l => l.RiderId) with
        {
            Order = data => data is DriverLocationUpdatedIntegrationEvent { DriverId: { } driverId } location
                ? (RealtimeTypes.DriverLocation + ":" + driverId, location.RecordedAt)
                : null,
        };

    /// <summary>To the rider and the driver; the rider's promotion is theirs, so the driver's copy leaves it out.</summary>
    public static readonly RealtimeRoute<TripCompletedIntegrationEvent> TripCompleted =
        new(RealtimeTypes.TripCompleted, m => [(m.RiderId, m), (m.DriverId, m with { PromotionCode = null })]);

    /// <summary>To the rider and the driver (if one was assigned), the driver's copy without the rider's promotion.</summary>
    public static readonly RealtimeRoute<TripCancelledIntegrationEvent> TripCancelled =
        new(RealtimeTypes.TripCancelled, m => [(m.RiderId, m), (m.DriverId, m with { PromotionCode = null })]);

    /// <summary>
    /// To the rider, or of a split fare's refund an invitee's part to that invitee (ADR 0040), whose copy names neither the
    /// rider nor the driver nor what the driver earns; and to the driver when it lowers their earnings (a fare adjustment,
    /// a tip or a return fee given back).
    /// </summary>
    public static readonly RealtimeRoute<TripRefundedIntegrationEvent> TripRefunded =
        new(RealtimeTypes.TripRefunded, m => [
            m.InviteeId is { } invitee ? (invitee, m with { RiderId = "", DriverId = null, DriverEarningsMinor = null }) : (m.RiderId, m),
            .. m.Kind is RefundKinds.FareAdjustment or RefundKinds.Tip or RefundKinds.ItemReturn ? [((string?)m.DriverId, (object)m)] : Array.Empty<(string?, object)>()]);

    /// <summary>
    /// To the rider, the amounts waived (not support's reason, nor who waived it: their own note); to the driver (ADR 0053),
    /// only which trip and when, so their open app reads it again: what the rider owed is not theirs, and their earnings
    /// are unchanged.
    /// </summary>
    public static readonly RealtimeRoute<TripPaymentWaivedIntegrationEvent> TripPaymentWaived =
        new(RealtimeTypes.TripPaymentWaived, m => [
            (m.RiderId, new { m.TripId, m.FareMinor, m.ReturnFeeMinor, m.Currency, m.WaivedAt, m.StillOwedMinor }),
            (m.DriverId, new { m.TripId, m.WaivedAt })]);

    /// <summary>To the rider and to each invitee, whose copy names no other invitee (ADR 0040).</summary>
    public static readonly RealtimeRoute<TripSplitChangedIntegrationEvent> TripSplit =
        new(RealtimeTypes.TripSplit, m => [(m.RiderId, m), .. m.InviteeIds.Select(id => ((string?)id, (object)(m with { InviteeIds = [id] })))]);

    /// <summary>To the user who asked, and to the support desk: its queue and the request's page follow without a reload.</summary>
    /// <summary>
    /// To the driver (a decision, a lapse: their app reads the approval again) and to the support desk (its queue of drivers
    /// to approve follows); documents just sent (pending) to the desk only.
    /// </summary>
    public static readonly RealtimeRoute<DriverApprovalChangedIntegrationEvent> DriverApproval =
        new(RealtimeTypes.DriverApproval, m => m.Status == "pending" ? [(RealtimeAudience.Operators, m)] : [(m.UserId, m), (RealtimeAudience.Operators, m)]);

    public static readonly RealtimeRoute<TripHelpUpdatedIntegrationEvent> HelpUpdated =
        new(RealtimeTypes.HelpUpdated, m => [(m.UserId, m), (RealtimeAudience.Operators, m)]);

    /// <summary>To the support desks only (ADR 0053): which trip, and whether a waiver awaits approval on it now; never to the rider.</summary>
    public static readonly RealtimeRoute<TripWaiverRequestChangedIntegrationEvent> WaiversChanged =
        new(RealtimeTypes.SupportWaiversChanged, m => [(RealtimeAudience.Operators, m)]);

    private static IHostApplicationBuilder Forward<T>(this IHostApplicationBuilder builder, string topic, string type, Func<T, IEnumerable<string?>> recipients)
        where T : notnull =>
        builder.Route(topic, new RealtimeRoute<T>(type, m => recipients(m).Select(userId => (userId, (object)m))));

    /// <summary>A batch event: each item goes, as its own socket message, to the one user it concerns.</summary>
    private static RealtimeRoute<TBatch> Each<TBatch, TItem>(string type, Func<TBatch, IEnumerable<TItem>?> items, Func<TItem, string?> recipient)
        where TBatch : notnull
        where TItem : class =>
        new(type, m => (items(m) ?? []).OfType<TItem>().Select(item => (recipient(item), (object)item)));

    private static IHostApplicationBuilder Route<T>(this IHostApplicationBuilder builder, string topic, RealtimeRoute<T> route) where T : notnull
    {
        builder.Services.AddSingleton(route);
        // Realtime delivery is best effort per socket and repeated deliveries are harmless: no processed-id bookkeeping.
        return builder.AddMessageHandler<T, RealtimeForwarder<T>>(topic, idempotent: false);
    }
}
