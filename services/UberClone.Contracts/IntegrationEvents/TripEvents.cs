namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// A trip was booked (or a ride booked for later starts its search). The rider's rating (drivers' ratings of them; 0
/// and 0 when none) goes with its offers; <paramref name="AvoidDriverIds"/> are drivers it is never offered to (one
/// star given either way between them and the rider). <paramref name="ScheduledFor"/>: a ride booked for later's pickup
/// time (dispatch passes it on to <see cref="TripNoDriversFoundIntegrationEvent"/>). <paramref name="PassengerName"/> and
/// <paramref name="PickupNote"/> go with its offers (ADR 0031): who to pick up when it is not the rider, and the rider's note.
/// <paramref name="WithPet"/> (ADR 0041): the rider brings a pet; only drivers who welcome pets are offered it.
/// <paramref name="PayInCash"/> (ADR 0042): the rider pays the driver in cash; only drivers who accept cash are offered it.
/// <paramref name="WheelchairAccessible"/> (ADR 0045): only drivers whose vehicle is approved wheelchair accessible are offered it.
/// <paramref name="Preferences"/> (ADR 0049): the rider's wishes, shown with its offers; null: none (or an older publisher).
/// <paramref name="ReservedDriverId"/> (ADR 0047): the driver who reserved the ride booked for later, offered it first if they can take it.
/// </summary>
public sealed record TripCreatedIntegrationEvent(
    string TripId, string RiderId, string VehicleClass, GeoPoint Pickup, GeoPoint Dropoff,
    long FareMinor, string Currency, int DistanceMeters, int DurationSeconds, DateTimeOffset RequestedAt,
    double RiderRatingAverage = 0, int RiderRatingCount = 0, IReadOnlyList<string>? AvoidDriverIds = null, DateTimeOffset? ScheduledFor = null,
    IReadOnlyList<GeoPoint>? Stops = null, string? PassengerName = null, string? PickupNote = null, bool WithPet = false, bool PayInCash = false,
    bool WheelchairAccessible = false, TripPreferences? Preferences = null, string? ReservedDriverId = null);

/// <summary>
/// A ride's preferences as the driver is shown them (ADR 0049), in their wire names: <paramref name="Conversation"/>
/// none | quiet | chat, <paramref name="Temperature"/> none | cooler | warmer. Wishes, not requirements: nobody filters by them.
/// </summary>
public sealed record TripPreferences(string Conversation, bool HelpWithBags, string Temperature);

/// <summary>
/// The rider changed the ride's preferences (ADR 0049) before it ended. <paramref name="DriverId"/>: the driver on the
/// way, waiting or riding, whose app shows them at once; null while the trip searches (drivers offers them from then on,
/// and an offer out shows them at once) or is booked for later.
/// </summary>
public sealed record TripPreferencesChangedIntegrationEvent(string TripId, string RiderId, string? DriverId, TripPreferences Preferences, DateTimeOffset ChangedAt);

/// <summary>
/// A driver reserved a ride booked for later (ADR 0047): it is offered to them first when its search starts. For the
/// rider's app (trip.reserved) and mail: the gateway names the driver and their car.
/// </summary>
public sealed record TripReservedIntegrationEvent(string TripId, string RiderId, string DriverId, DateTimeOffset ScheduledFor, DateTimeOffset ReservedAt);

/// <summary>
/// A ride booked for later is no longer reserved by <paramref name="DriverId"/> (ADR 0047): released by the driver or
/// support, moved to another time by the rider, or cancelled (<paramref name="By"/> driver | operator | rider | system,
/// <paramref name="Reason"/> why). The rider hears the ride is back to "we'll find you a driver"; the driver that it is gone.
/// </summary>
public sealed record TripReservationReleasedIntegrationEvent(
    string TripId, string RiderId, string DriverId, string By, string Reason, DateTimeOffset ScheduledFor, DateTimeOffset ReleasedAt, bool Cancelled = false)
{
    /// <summary>
    /// The <see cref="Reason"/> of trips (<see cref="By"/> system) releasing a reservation whose driver was on another ride
    /// when the ride's search started (ADR 0050): no strike; the driver's app and mail say so.
    /// </summary>
    public const string OnAnotherRide = "excused: on another ride";

    /// <summary>Its driver was excused: on another ride when the ride's search started (<see cref="OnAnotherRide"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Excused => !Cancelled && Reason == OnAnotherRide;
}

/// <summary>
/// The ride <paramref name="DriverId"/> reserved is picked up at <paramref name="ScheduledFor"/>, <c>Reservations:RemindBefore</c>
/// (an hour) from <paramref name="RemindedAt"/> (ADR 0050): the driver is reminded to be online before its search starts at
/// <paramref name="DispatchAt"/> (the app, and a mail). <paramref name="PickupArea"/>: the pickup rounded to the area.
/// <paramref name="PickupName"/>: the first name of whom to pick up, "Pick up Ana at 08:15": trips gives the passenger's
/// of a ride booked for someone else (ADR 0031), else null and the gateway, which knows names, the rider's.
/// </summary>
public sealed record TripReservationDriverReminderIntegrationEvent(
    string TripId, string RiderId, string DriverId, string VehicleClass, GeoPoint PickupArea, DateTimeOffset ScheduledFor, DateTimeOffset DispatchAt,
    DateTimeOffset RemindedAt, string? PickupName = null);

/// <summary>
/// Support removed <paramref name="DriverId"/>'s strike for the reserved ride <paramref name="TripId"/> (ADR 0050;
/// <paramref name="Why"/> late_release | missed, made at <paramref name="StruckAt"/>) at <paramref name="RemovedAt"/>;
/// <paramref name="PausedUntil"/>: until when their reserving is still paused (null: they may reserve). The driver's app
/// reads their standing again, and they are mailed "A strike was removed from your reservations record".
/// </summary>
public sealed record TripReservationStrikeRemovedIntegrationEvent(
    string DriverId, string TripId, string Why, DateTimeOffset StruckAt, DateTimeOffset RemovedAt, DateTimeOffset? PausedUntil);

/// <summary>
/// A rider owes money on a finished trip (ADR 0039): <paramref name="Reminder"/> 0 when a payment of it first failed
/// (<paramref name="Reason"/>: the bank's or the provider's code), then 1, 2, … on each reminder's day while it is still
/// owed. <paramref name="FareMinor"/>: the fare or cancellation fee owed; <paramref name="ReturnFeeMinor"/>: a lost item's
/// return fee owed; <paramref name="NextReminderAt"/>: when the next reminder goes, null when none is left.
/// </summary>
public sealed record TripPaymentDueIntegrationEvent(
    string TripId, string RiderId, int Reminder, long FareMinor, long ReturnFeeMinor, string Currency, string? Reason,
    DateTimeOffset OwedSince, DateTimeOffset? NextReminderAt, DateTimeOffset At);

/// <summary>
/// Support waived what a rider owed on a trip after its payment failed (ADR 0053): <paramref name="FareMinor"/> of the fare
/// or cancellation fee and <paramref name="ReturnFeeMinor"/> of a lost item's return fee, in <paramref name="Currency"/>.
/// <paramref name="Reason"/> is support's own note (not told to the rider). <paramref name="DriverId"/>: the ride's driver,
/// whose open app reads the trip again (their earnings are unchanged); null from older publishers or a trip without one.
/// <paramref name="StillOwedMinor"/>: what the rider still owes on the trip after it, when support waived only part of what
/// was owed (the fare's and the fee's rest); 0 when nothing is, and from older publishers (which waived all of it).
/// </summary>
public sealed record TripPaymentWaivedIntegrationEvent(
    string TripId, string RiderId, long FareMinor, long ReturnFeeMinor, string Currency, string Reason, string OperatorId, DateTimeOffset WaivedAt,
    string? DriverId = null, long StillOwedMinor = 0);

/// <summary>
/// The waiver awaiting a second support account's approval on a trip changed (ADR 0053): <paramref name="Awaiting"/> true
/// when one was asked for (or asked anew after one lapsed), false when it no longer awaits (approved, declined or
/// withdrawn, or the rider paid). No amounts nor reasons: the desks read their list (<c>GET /api/trips/waivers/awaiting</c>).
/// </summary>
public sealed record TripWaiverRequestChangedIntegrationEvent(string TripId, bool Awaiting, DateTimeOffset At);

/// <summary>
/// A repeating ride's occurrence at <paramref name="PickupAt"/> could not be booked (ADR 0043), <paramref name="Refusal"/>
/// saying why in the rider's words; <paramref name="NextPickupAt"/>: the next occurrence, which will be tried (null: the
/// schedule is paused, or it was its last before its end). <paramref name="TimeZone"/>: the schedule's, for the mail's times.
/// </summary>
public sealed record TripScheduleRefusedIntegrationEvent(
    string ScheduleId, string RiderId, DateTimeOffset PickupAt, string Refusal, DateTimeOffset? NextPickupAt, string TimeZone,
    string? PickupLabel, string? DropoffLabel, DateTimeOffset At);

/// <summary>
/// A repeating ride with an end (ADR 0043) booked its last ride, <paramref name="TripId"/> at <paramref name="LastPickupAt"/>:
/// the occurrence after it falls past <paramref name="EndsOn"/> (a day in <paramref name="TimeZone"/>, the schedule's).
/// The gateway mails the rider once (kind "rides").
/// </summary>
public sealed record TripScheduleEndedIntegrationEvent(
    string ScheduleId, string RiderId, string TripId, DateTimeOffset LastPickupAt, DateOnly EndsOn, string TimeZone,
    string? PickupLabel, string? DropoffLabel, DateTimeOffset At);

/// <summary><paramref name="ScheduledFor"/>: the pickup time of a ride booked for later (its rider is mailed), null for a ride requested now.</summary>
public sealed record TripDriverAssignedIntegrationEvent(
    string TripId, string RiderId, string DriverId, string VehicleClass, GeoPoint? DriverLocation, DateTimeOffset AssignedAt,
    DateTimeOffset? ScheduledFor = null);

/// <summary>
/// A ride was booked for later (<paramref name="ScheduledFor"/>: the pickup time; <paramref name="DispatchAt"/>: when
/// trips starts looking for its driver, with <c>trip.event.created</c>): for the rider's confirmation.
/// </summary>
public sealed record TripScheduledIntegrationEvent(
    string TripId, string RiderId, string VehicleClass, GeoPoint Pickup, GeoPoint Dropoff, long FareMinor, string Currency,
    DateTimeOffset ScheduledFor, DateTimeOffset DispatchAt, DateTimeOffset BookedAt);

/// <summary>
/// The rider moved a ride booked for later from <paramref name="PreviousScheduledFor"/> to <paramref name="ScheduledFor"/>
/// (its search now starts at <paramref name="DispatchAt"/>), at the price agreed: for the rider's confirmation.
/// </summary>
public sealed record TripRescheduledIntegrationEvent(
    string TripId, string RiderId, DateTimeOffset PreviousScheduledFor, DateTimeOffset ScheduledFor, DateTimeOffset DispatchAt,
    long FareMinor, string Currency, DateTimeOffset RescheduledAt);

/// <summary>
/// A ride booked for later is near (<c>Trips:ReservationReminderLead</c>, an hour, before <paramref name="ScheduledFor"/>)
/// and its search starts at <paramref name="DispatchAt"/>: the rider is reminded (a mail, and the app if open).
/// </summary>
public sealed record TripReservationReminderIntegrationEvent(
    string TripId, string RiderId, string VehicleClass, GeoPoint Pickup, GeoPoint Dropoff, long FareMinor, string Currency,
    DateTimeOffset ScheduledFor, DateTimeOffset DispatchAt, DateTimeOffset RemindedAt);

/// <summary><paramref name="ScheduledFor"/>: the pickup time of a ride booked for later (its rider is mailed), null for a ride requested now.</summary>
public sealed record TripNoDriversFoundIntegrationEvent(string TripId, string RiderId, DateTimeOffset At, DateTimeOffset? ScheduledFor = null);

public sealed record TripDriverArrivedIntegrationEvent(string TripId, string RiderId, string DriverId, GeoPoint? DriverLocation, DateTimeOffset ArrivedAt);

public sealed record TripStartedIntegrationEvent(string TripId, string RiderId, string DriverId, DateTimeOffset StartedAt);

/// <summary>
/// The driver reached stop <paramref name="Index"/> (0-based) of the ride on the way to the drop-off (ADR 0023);
/// <paramref name="NextStop"/>: the stop the car heads for now (null: the drop-off).
/// </summary>
public sealed record TripStopReachedIntegrationEvent(string TripId, string RiderId, string DriverId, int Index, GeoPoint Location, GeoPoint? NextStop, DateTimeOffset At);

/// <summary>
/// The ride is over. <paramref name="PromotionCode"/>: the promotion it was booked with (trips rewards a rider who invited
/// this one). <paramref name="DistanceMeters"/>: the ride's route length as trips last priced it (0 from older publishers;
/// drivers judges a short airport trip by it, ADR 0036).
/// </summary>
public sealed record TripCompletedIntegrationEvent(
    string TripId, string RiderId, string DriverId, long FareMinor, string Currency, DateTimeOffset CompletedAt, string? PromotionCode = null,
    int DistanceMeters = 0);

/// <summary>
/// The rider changed the drop-off while a driver was on the way or riding: the trip now ends at
/// <paramref name="Dropoff"/> for <paramref name="FareMinor"/> (its new upfront fare). Drivers takes the drop-off ETA there.
/// </summary>
/// <summary>
/// The rider changed their note for the driver before the pickup (ADR 0031): <paramref name="PickupNote"/> is the note
/// now (null: removed). <paramref name="DriverId"/>: the driver on the way or waiting, whose app shows it at once; null
/// while the trip searches (drivers offers it from then on, and an offer out shows it at once) or is booked for later.
/// </summary>
public sealed record TripPickupNoteChangedIntegrationEvent(string TripId, string RiderId, string? DriverId, string? PickupNote, DateTimeOffset ChangedAt);

/// <summary>
/// The rider moved the pickup a little (ADR 0046) while the driver was on the way (or before a ride booked for later
/// started); <paramref name="DriverId"/> null: no driver yet. <paramref name="ReservedDriverId"/>: of a ride booked for
/// later, the driver holding its reservation (ADR 0047), whose app reads their reservations again.
/// </summary>
public sealed record TripPickupMovedIntegrationEvent(string TripId, string RiderId, string? DriverId, GeoPoint Pickup, DateTimeOffset MovedAt, string? ReservedDriverId = null);

/// <summary>
/// RideCheck (ADR 0033): the ride's safety check <paramref name="Number"/> <paramref name="State"/> (opened | answered |
/// support_alerted: nobody answered in time), about <paramref name="Kind"/>: long_stop (the car stood at
/// <paramref name="At"/> for <paramref name="StoppedMinutes"/> minutes when it opened) or detour (the car, at
/// <paramref name="At"/>, was <paramref name="DetourMeters"/> farther from the next stop or drop-off than it had come)
/// or silent (nothing from the driver's phone for <paramref name="StoppedMinutes"/> since it was at <paramref name="At"/>);
/// <paramref name="Answer"/> (ok | help) and <paramref name="AnsweredBy"/> (rider | driver) once answered. The rider's
/// and driver's apps show or close the "Is everything OK?" card.
/// </summary>
public sealed record TripSafetyCheckIntegrationEvent(
    string TripId, string RiderId, string DriverId, int Number, string State, GeoPoint At, int StoppedMinutes,
    string? Answer, string? AnsweredBy, DateTimeOffset OpenedAt, DateTimeOffset ChangedAt, string Kind = "long_stop", int DetourMeters = 0);

/// <summary>
/// A lost-item report of a ride changed (ADR 0035): its <paramref name="Number"/>-th report is <paramref name="Status"/>
/// now (reported | found | not_found | returned | closed), or went to support unanswered (<paramref name="SupportAlerted"/>).
/// <paramref name="RideStartedAt"/>: when the rider was picked up, as the driver's mail names the ride;
/// <paramref name="ReturnFeeMinor"/>: the fee the rider pays once it is returned (<paramref name="FeePaymentStatus"/> pending
/// | paid | payment_failed then). The rider's phone is not in it: the driver reads it from the trip while the report is open.
/// </summary>
public sealed record TripLostItemIntegrationEvent(
    string TripId, string RiderId, string DriverId, int Number, string Status, string Description, string? DriverNote,
    long ReturnFeeMinor, string Currency, string FeePaymentStatus, DateTimeOffset? RideStartedAt, DateTimeOffset ChangedAt, bool SupportAlerted = false);

/// <summary>
/// The rider switched a completed ride between personal and business (ADR 0034): <paramref name="Profile"/> is
/// "personal" or "business" now, <paramref name="ExpenseMemo"/> a business ride's memo (null: none). The gateway mails
/// the receipt's work copy of a paid ride switched to business.
/// </summary>
/// <summary>
/// A trip's split fare changed (ADR 0040): <paramref name="RiderId"/> asked <paramref name="InviteeIds"/> (every rider
/// invited, whatever their answer), whose apps read their invitations again; the rider's reads the trip again.
/// </summary>
public sealed record TripSplitChangedIntegrationEvent(string TripId, string RiderId, IReadOnlyList<string> InviteeIds, DateTimeOffset At);

public sealed record TripProfileChangedIntegrationEvent(string TripId, string RiderId, string Profile, string? ExpenseMemo, DateTimeOffset ChangedAt);

public sealed record TripDestinationChangedIntegrationEvent(
    string TripId, string RiderId, string DriverId, GeoPoint Dropoff, long FareMinor, string Currency,
    int DistanceMeters, int DurationSeconds, DateTimeOffset ChangedAt);

/// <summary>
/// What the trip's card hold shows changed after its booking answered (ADR 0030): the bank's late answer, a raise for a
/// new destination answered late or declined, a hold let go while riding. <paramref name="CardLabel"/> null: nothing is
/// held for the trip any more. The rider's app reads the trip again.
/// </summary>
public sealed record TripPaymentHoldChangedIntegrationEvent(
    string TripId, string RiderId, string? CardLabel, long AmountMinor, string Currency, string? RaiseDeclineCode, DateTimeOffset At);

/// <summary>
/// A help request about a trip changed: <paramref name="UserId"/> asked it; <paramref name="Status"/> open | answered |
/// closed; <paramref name="LastFrom"/> rider | driver | support.
/// </summary>
public sealed record TripHelpUpdatedIntegrationEvent(string RequestId, string TripId, string UserId, string Status, string LastFrom, DateTimeOffset At);

/// <summary>
/// The trip is over without a ride. <paramref name="DriverId"/> is the driver who was assigned when it ended (null
/// while searching); drivers releases them and withdraws a pending offer. <paramref name="ScheduledFor"/>: the pickup
/// time of a ride booked for later (its rider is mailed), null for a ride requested now. <paramref name="PromotionCode"/>:
/// the promotion it was booked with, whose ride trips gives back to the rider.
/// </summary>
public sealed record TripCancelledIntegrationEvent(
    string TripId, string RiderId, string? DriverId, string CancelledBy, string Reason, long FeeMinor, string Currency, DateTimeOffset CancelledAt,
    DateTimeOffset? ScheduledFor = null, string? PromotionCode = null);

/// <summary>The assigned driver gave the trip up: drivers releases them and searches again without them.</summary>
public sealed record TripDriverCancelledIntegrationEvent(string TripId, string RiderId, string DriverId, string Reason, DateTimeOffset At);

/// <summary>
/// The rider paid what the trip was owed, or (<paramref name="Purpose"/> <c>tip</c>) a tip added after paying (after
/// <c>payment.event.succeeded</c>): for the driver, whose app tells them of the tip and reads their earnings again.
/// <paramref name="AmountMinor"/>: what this payment was (of a fare support waived part of, ADR 0053: the rest); <paramref name="TipMinor"/>: the trip's tip (0 without one);
/// <paramref name="SplitPaidMinor"/>: of a split fare (ADR 0040), what the other riders' cards paid of it, the rest the rider's.
/// <paramref name="CreditPaidMinor"/>: what the rider's ride credit paid of it (ADR 0051); the card was charged the rest.
/// </summary>
public sealed record TripPaidIntegrationEvent(
    string TripId, string RiderId, string? DriverId, long AmountMinor, long TipMinor, string Currency, DateTimeOffset PaidAt,
    string Purpose = PaymentPurposes.Fare, string? PaidWith = null, long SplitPaidMinor = 0, long CreditPaidMinor = 0);

/// <summary>
/// A refund of the trip's payment was recorded on the trip (after <c>payment.event.refunded</c>): for the rider, whose
/// receipt shows it, and, for a fare adjustment, the driver, whose earnings from the trip are now
/// <paramref name="DriverEarningsMinor"/>. <paramref name="RefundedTotalMinor"/>: everything refunded on the trip so far
/// to whom this refund went. <paramref name="InviteeId"/>: of a split fare (ADR 0040), the invitee whose share's payment
/// gave this part of a refund back: it is theirs to be told, not the rider's (null: the rider's). <paramref name="CreditMinor"/>:
/// the part of it that went to the rider's ride credit instead of the card (ADR 0051).
/// </summary>
public sealed record TripRefundedIntegrationEvent(
    string TripId, string RiderId, string? DriverId, string RefundId, long AmountMinor, long RefundedTotalMinor, string Kind, string Currency,
    long? DriverEarningsMinor, DateTimeOffset At, string? InviteeId = null, long CreditMinor = 0);

/// <summary>
/// The rider (<paramref name="From"/> <c>rider</c>) or the driver wrote to the other: delivered to both (the sender's
/// other devices show it too); <paramref name="MessageId"/> tells a repeat apart.
/// </summary>
public sealed record TripMessageSentIntegrationEvent(
    string TripId, string MessageId, string RiderId, string DriverId, string From, string Text, DateTimeOffset At);

public sealed record TripRatedIntegrationEvent(string TripId, string RiderId, string DriverId, string RatedBy, int Stars, DateTimeOffset At);

/// <summary>
/// A rating moved <paramref name="DriverId"/>'s standing (ADR 0055): <paramref name="Standing"/> <c>good</c>, <c>warned</c>
/// (their <paramref name="Average"/> over their last <paramref name="Rated"/> rated trips is below
/// <paramref name="WarnBelow"/>) or <c>deactivate</c> (below <paramref name="DeactivateBelow"/>), from
/// <paramref name="Previous"/>. Told only when it changes; the gateway warns the driver or takes their approval away.
/// </summary>
public sealed record TripDriverRatingStandingIntegrationEvent(
    string DriverId, string Standing, double Average, int Rated, double WarnBelow, double DeactivateBelow, DateTimeOffset At, string Previous = "good");

/// <summary>
/// A drivers' rating moved <paramref name="RiderId"/>'s standing (ADR 0056), or support reinstated them: <paramref name="Standing"/>
/// <c>good</c>, <c>warned</c> (their <paramref name="Average"/> over their last <paramref name="Rated"/> rated trips is below
/// <paramref name="WarnBelow"/>) or <c>restricted</c> (below <paramref name="RestrictBelow"/>: trips refuses their new
/// bookings), from <paramref name="Previous"/>. Told only when it changes; the gateway mails a warned rider and tells their app.
/// </summary>
public sealed record TripRiderRatingStandingIntegrationEvent(
    string RiderId, string Standing, double Average, int Rated, double WarnBelow, double RestrictBelow, DateTimeOffset At, string Previous = "good");

/// <summary>
/// What <paramref name="DriverId"/> earns from a trip changed, from <paramref name="PreviousEarningsMinor"/> to
/// <paramref name="EarningsMinor"/> (the trip's total now: the fare or fee's share, the tip, less fare adjustments), in
/// <paramref name="Currency"/>. <paramref name="Revision"/> counts the trip's changes from 1, so "{TripId}:{Revision}"
/// names this change once however often it is delivered; each is a line of payments' ledger (ADR 0025).
/// </summary>
public sealed record TripEarningsChangedIntegrationEvent(
    string TripId, string DriverId, string Currency, long EarningsMinor, long PreviousEarningsMinor, int Revision, string Kind, DateTimeOffset At)
{
    public long ChangeMinor => EarningsMinor - PreviousEarningsMinor;
}
