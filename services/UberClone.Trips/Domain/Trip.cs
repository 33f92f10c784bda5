using System.Security.Cryptography;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Domain;

/// <summary>
/// The trip's driver and their last stored position. <paramref name="LocationAt"/> is when the driver's phone recorded
/// it, for a position from their pings; null for one given otherwise (at the accept, with "I have arrived"): pings are
/// compared with pings only, since a phone's clock may lag the service's.
/// </summary>
public sealed record AssignedDriver(string DriverId, GeoPoint? Location, DateTimeOffset AssignedAt, DateTimeOffset? LocationAt = null);

public sealed record Rating(int Stars, string? Comment, DateTimeOffset At);

public sealed record Cancellation(string By, string Reason, long FeeMinor, DateTimeOffset At);

/// <summary>Support ended a ride under way that its driver could not (their phone died, their account was suspended).</summary>
public sealed record SupportCompletion(string OperatorId, string Reason, DateTimeOffset At);

/// <summary>
/// What the rider added for the driver, in the trip's currency, all of it the driver's. Added before paying, it is paid
/// with the fare (<paramref name="SeparateAttempt"/> 0). Added after paying, it is a payment of its own: that payment's
/// attempt, and <paramref name="PaymentStatus"/> pending | paid | payment_failed; the driver earns it once it is paid.
/// </summary>
public sealed record Tip(long AmountMinor, DateTimeOffset At, int SeparateAttempt = 0, string PaymentStatus = "")
{
    public bool IsSeparate => SeparateAttempt > 0;
}

/// <summary>The rider shares the trip's progress: whoever holds <paramref name="Token"/> may follow it (see <see cref="Trip.IsSharedWith"/>).</summary>
public sealed record TripShare(string Token, DateTimeOffset At);

/// <summary>
/// Money given back to the rider after they paid (<paramref name="Kind"/>: who bears it, RefundKinds), one per refund id.
/// <paramref name="InviteeId"/>: of a split fare (ADR 0040), the invitee whose share's payment gave it back (null: the rider's).
/// </summary>
public sealed record TripRefund(string Id, long AmountMinor, string Kind, DateTimeOffset At, string? InviteeId = null, long CreditMinor = 0);

/// <summary>
/// A stop on the way from the pickup to the drop-off (ADR 0023), in the order the rider gave; <see cref="ReachedAt"/>:
/// when the driver said they were there.
/// </summary>
public sealed record TripStop(GeoPoint Location, DateTimeOffset? ReachedAt = null);

/// <summary>The rider changed where the ride ends: the drop-off before and after, and the fare before and after.</summary>
public sealed record DestinationChange(GeoPoint From, GeoPoint To, long FareBeforeMinor, long FareAfterMinor, DateTimeOffset At);

/// <summary>
/// What a rider's cancellation costs: <paramref name="FeeNowMinor"/> if they cancel now; free until
/// <paramref name="FreeUntil"/> (null while no driver is assigned: free until one is, and for the window after);
/// <paramref name="FeeMinor"/> after that. <paramref name="FreeWindow"/>: how long it stays free after a driver is assigned.
/// </summary>
public sealed record CancellationTerms(long FeeNowMinor, DateTimeOffset? FreeUntil, long FeeMinor, TimeSpan FreeWindow);

/// <summary>
/// The trip aggregate: searching → driver_assigned → driver_arrived → in_progress → completed, or cancelled /
/// no_drivers_found. Immutable: each transition returns the next state, or the same instance when the transition
/// already happened (redelivered messages and retried requests are harmless), or throws when it is not allowed.
/// Transitions that an actor performs check that the actor is the trip's rider or its assigned driver.
/// </summary>
public sealed record Trip
{
    public const int MinStars = 1;
    public const int MaxStars = 5;

    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required string Status { get; init; }
    public required string VehicleClass { get; init; }
    public required GeoPoint Pickup { get; init; }
    public required GeoPoint Dropoff { get; init; }
    /// <summary>Stops on the way, in order (none: straight to the drop-off); the route and fare go through them.</summary>
    public IReadOnlyList<TripStop> Stops { get; init; } = [];
    /// <summary>The rider's note for the driver (ADR 0031); null: none.</summary>
    public string? PickupNote { get; init; }
    /// <summary>Who rides when the rider booked for someone else (ADR 0031); null: the rider rides.</summary>
    public TripPassenger? Passenger { get; init; }
    /// <summary>
    /// The rider's wishes for the ride (ADR 0049), copied from their setting at booking and changed on the ride
    /// (<see cref="ChangePreferences"/>); trips stored before have none.
    /// </summary>
    public RidePreferences Preferences { get; init; } = RidePreferences.None;
    /// <summary>
    /// Indexed: the rider's id while the trip keeps a phone the rider gave (a guest's, or their own for a lost item, ADR
    /// 0035), so the rider's erasure finds every such trip.
    /// </summary>
    public string? GuestPhoneOf => Passenger?.Phone is not null || LostItems.Any(r => r.Phone.Length > 0) ? RiderId : null;
    /// <summary>The rider brings a pet (ADR 0041): the fare has the pet fee, and only drivers who welcome pets are offered it.</summary>
    public bool WithPet { get; init; }
    /// <summary>
    /// The rider pays the driver in cash (ADR 0042): nothing is held on a card; when the ride ends payments records the
    /// fare paid in cash, and the driver owes the platform its part (<see cref="Domain.DriverEarnings.CashCollectedMinor"/>).
    /// </summary>
    public bool PayInCash { get; init; }
    /// <summary>
    /// The rider needs a wheelchair-accessible vehicle (ADR 0045): offered only to drivers whose vehicle support approved
    /// as such; the same price, and a longer free wait at the pickup (<see cref="TripRules.WheelchairExtraFreeWait"/>).
    /// </summary>
    public bool WheelchairAccessible { get; init; }
    /// <summary>Personal or business, and a business ride's expense memo (ADR 0034); trips stored before are personal.</summary>
    public RideProfile Profile { get; init; } = RideProfile.PersonalRide;
    /// <summary>The riders the rider asked to split the fare with (ADR 0040); trips stored before have none.</summary>
    public SplitFare Split { get; init; } = SplitFare.None;
    public const string GuestPhoneOfField = "guestPhoneOf";
    public required long FareMinor { get; init; }
    public required string Currency { get; init; }
    public FareBreakdown? Breakdown { get; init; }
    public double SurgeMultiplier { get; init; } = 1.0;
    public required int DistanceMeters { get; init; }
    public required int DurationSeconds { get; init; }
    public required string QuoteId { get; init; }
    /// <summary>
    /// The rider's 4-digit code, shown to the rider once a driver is assigned; the driver needs it to start. Empty: the
    /// rider's PIN setting did not ask for one when the ride was booked (ADR 0044), and the driver starts without it.
    /// </summary>
    public string Pin { get; init; } = "";
    public bool PinRequired => Pin.Length > 0;
    public int WrongPinAttempts { get; init; }
    /// <summary>After <see cref="WrongPinsBeforeLockout"/> wrong PINs, no attempt is taken before this (each wrong one after moves it on).</summary>
    public DateTimeOffset? PinLockedUntil { get; init; }
    public const int WrongPinsBeforeLockout = 5;
    public AssignedDriver? Driver { get; init; }
    /// <summary>Top-level copy of Driver.DriverId so trips can be queried by driver.</summary>
    public string? DriverId => Driver?.DriverId;
    /// <summary>Drivers who gave this trip up; dispatch does not offer it to them again.</summary>
    public IReadOnlyList<string> DriversWhoCancelled { get; init; } = [];
    public DateTimeOffset? ArrivedAt { get; init; }
    /// <summary>Waiting at the pickup is free until then (the driver's arrival + <see cref="TripRules.FreeWait"/>); then it costs <see cref="WaitPerMinuteMinor"/> a minute.</summary>
    public DateTimeOffset? FreeWaitUntil { get; init; }
    /// <summary>The booked tariff's price of a minute's wait at the pickup beyond the free minutes (0: waiting is free).</summary>
    public long WaitPerMinuteMinor { get; init; }
    /// <summary>The booked area's late-cancellation (and no-show) fee; null: <see cref="TripRules.CancellationFeeMinor"/>.</summary>
    public long? CancellationFeeMinor { get; init; }

    /// <summary>The promotion the rider booked with (one of its rides is held for this trip); the platform pays it, not the driver.</summary>
    public TripPromotion? Promotion { get; init; }

    /// <summary>
    /// What the promotion takes off: off the fare as it stands (a new destination or a wait changes it) until the ride
    /// is completed, then what was taken off. None for a trip that ended without a ride.
    /// </summary>
    public long DiscountMinor => Status is TripStatus.Cancelled or TripStatus.NoDriversFound ? 0 : Promotion?.DiscountOn(this) ?? 0;

    /// <summary>What a late cancellation or a no-show costs on this trip, in its currency's minor units.</summary>
    public long CancellationFee(TripRules rules) => CancellationFeeMinor ?? rules.CancellationFeeMinor;
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Set when support, not the driver, ended the ride.</summary>
    public SupportCompletion? CompletedBySupport { get; init; }
    public Cancellation? Cancellation { get; init; }
    /// <summary>The rider's rating of the driver.</summary>
    public Rating? DriverRating { get; init; }
    /// <summary>The driver's rating of the rider.</summary>
    public Rating? RiderRating { get; init; }
    public string PaymentStatus { get; init; } = Domain.PaymentStatus.None;
    /// <summary>What the rider owes: the fare and any tip once completed, the fee once cancelled late; 0 otherwise.</summary>
    public long AmountDueMinor { get; init; }
    public int PaymentAttempt { get; init; }
    public Tip? Tip { get; init; }
    /// <summary>What the assigned driver earned: set at completion, or when a rider's late cancellation costs a fee.</summary>
    public DriverEarnings? DriverEarnings { get; init; }
    /// <summary>What payments was last told the driver earns from this trip (ADR 0025); null before anything was earned.</summary>
    public EarningsPublication? EarningsPublished { get; init; }
    /// <summary>The saved card the rider chose for this ride (ADR 0027); null: their default card.</summary>
    public string? CardId { get; init; }
    /// <summary>The upfront price held on the rider's card when the trip was booked or its dispatch started (ADR 0027); null: none.</summary>
    public TripPaymentHold? PaymentHold { get; init; }
    /// <summary>When payments wrote the hold <see cref="PaymentHold"/> shows (Unix ms, ADR 0030): an older answer changes nothing.</summary>
    public long PaymentHoldVersion { get; init; }
    /// <summary>What the rider pays for the ride as booked: the fare less the promotion's discount (what is held on their card).</summary>
    public long UpfrontPriceMinor => FareMinor - DiscountMinor;
    /// <summary>The saved card that paid the trip ("Visa •••• 4242"; ADR 0024), null when it was paid by checkout.</summary>
    public string? PaidWith { get; init; }
    /// <summary>
    /// What the rider's ride credit paid of the fare or cancellation fee (ADR 0051), the card the rest: known once it is
    /// paid, or once a payment of it failed (the credit stays on the charge; the rider owes the rest).
    /// </summary>
    public long CreditPaidMinor { get; init; }
    /// <summary>The payment that paid the trip (null before, and for trips paid before it was recorded).</summary>
    public string? PaidSessionId { get; init; }
    /// <summary>Refunds of the trip's payment, in the order they arrived.</summary>
    public IReadOnlyList<TripRefund> Refunds { get; init; } = [];
    /// <summary>Everything given back to the rider so far: the refunds' sum, or the payment's own total if higher.</summary>
    public long RefundedMinor { get; init; }
    /// <summary>Every change of the drop-off the rider made during the trip, oldest first.</summary>
    public IReadOnlyList<DestinationChange> DestinationChanges { get; init; } = [];
    /// <summary>Where the rider booked the pickup, before they moved it (ADR 0046); null: never moved.</summary>
    public GeoPoint? BookedPickup { get; init; }
    /// <summary>How many times the rider moved the pickup (at most <see cref="TripRules.MaxPickupMoves"/>).</summary>
    public int PickupMoves { get; init; }
    /// <summary>The link the rider gave someone to follow the trip, while it is shared.</summary>
    public TripShare? Share { get; init; }
    /// <summary>For a ride booked for later: when the rider wants to be picked up.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    /// <summary>For a ride booked for later: when dispatch starts looking for its driver.</summary>
    public DateTimeOffset? DispatchAt { get; init; }
    /// <summary>Indexed: set only while the ride waits for its dispatch, so the due ones are found in order.</summary>
    public long? DispatchAtMs => Status == TripStatus.Scheduled ? DispatchAt?.ToUnixTimeMilliseconds() : null;
    public const string DispatchAtField = "dispatchAtMs";
    /// <summary>Drivers' reservations of this ride booked for later (ADR 0047), oldest first; only the last may be held.</summary>
    public IReadOnlyList<DriverReservation> DriverReservations { get; init; } = [];
    /// <summary>The reservation held now: the driver offered the ride first when its search starts; null: none.</summary>
    public DriverReservation? Reservation => DriverReservations.Count > 0 && DriverReservations[^1].IsHeld ? DriverReservations[^1] : null;
    /// <summary>Indexed: the reserving driver while the ride waits, so a driver's upcoming reservations are found.</summary>
    public string? ReservedBy => Status == TripStatus.Scheduled ? Reservation?.DriverId : null;
    public const string ReservedByField = "reservedBy";
    /// <summary>Indexed: the pickup time while the ride waits and nobody reserved it, so drivers list only open rides, soonest first.</summary>
    public long? ReservableAtMs => Status == TripStatus.Scheduled && Reservation is null ? ScheduledFor?.ToUnixTimeMilliseconds() : null;
    public const string ReservableAtField = "reservableAtMs";
    /// <summary>
    /// Indexed: the same rides by where they wait (<see cref="ReservableCells.Key"/>: the pickup's cell, then its time), so a
    /// driver's listing reads the cells near them, soonest first, not the soonest open rides of the whole world.
    /// </summary>
    public long? ReservableCellAt => ReservableAtMs is not null && ScheduledFor is { } at ? ReservableCells.Key(Pickup, at) : null;
    public const string ReservableCellAtField = "reservableCellAt";
    /// <summary>
    /// Indexed: the driver while the trip is theirs and not over (on the way, at the pickup, riding), so the trip a driver
    /// is on is found however long ago it was booked — a ride booked days ahead is older than every ride the driver gave
    /// since, and a read of their newest trips misses it.
    /// </summary>
    public string? DrivingDriverId => Status is TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress ? DriverId : null;
    public const string DrivingDriverField = "drivingDriverId";
    /// <summary>Indexed: while the ride waits and its reserving driver's reminder is still to go, when it is due (ADR 0050).</summary>
    public long? DriverRemindAtMs => Status == TripStatus.Scheduled && Reservation is { RemindedAt: null, RemindAt: { } at } ? at.ToUnixTimeMilliseconds() : null;
    public const string DriverRemindAtField = "driverRemindAtMs";
    /// <summary>For a ride booked for later far enough ahead: when its rider is reminded of it (<see cref="TripRules.ReservationReminderLead"/>).</summary>
    public DateTimeOffset? RemindAt { get; init; }
    /// <summary>When the reminder went (null: not yet, or none is due).</summary>
    public DateTimeOffset? RemindedAt { get; init; }
    /// <summary>Indexed: set only while a reminder is still to go for a ride that waits, so the due ones are found in order.</summary>
    public long? RemindAtMs => Status == TripStatus.Scheduled && RemindedAt is null ? RemindAt?.ToUnixTimeMilliseconds() : null;
    public const string RemindAtField = "remindAtMs";
    /// <summary>While riding: where the car has stood and since when (ADR 0033); null before the first position of the ride.</summary>
    public TripStandstill? Standstill { get; init; }
    /// <summary>While riding: how close the car has come to where it is going (ADR 0033, detours); null before the first position of the ride.</summary>
    public TripCourse? Course { get; init; }
    /// <summary>The ride's safety checks (ADR 0033), oldest first; the last may be open.</summary>
    public IReadOnlyList<SafetyCheck> SafetyChecks { get; init; } = [];
    /// <summary>The check the rider and driver are being asked, while the ride is under way and nobody answered.</summary>
    public SafetyCheck? OpenSafetyCheck => Status == TripStatus.InProgress && SafetyChecks.Count > 0 && !SafetyChecks[^1].IsAnswered ? SafetyChecks[^1] : null;
    /// <summary>Indexed: set only while an open check has not been sent to support, so the unanswered ones are found when due.</summary>
    public long? SafetyAlertAtMs => OpenSafetyCheck is { SupportAlertedAt: null } open ? open.AlertAt.ToUnixTimeMilliseconds() : null;
    public const string SafetyAlertAtField = "safetyAlertAtMs";
    /// <summary>
    /// While riding: when the driver's phone was last heard of (its last stored fix, else the time a fix that changed
    /// nothing was kept as heard, <see cref="DriverHeardAt"/>, else the start).
    /// </summary>
    public DateTimeOffset? LastHeardAt => Status == TripStatus.InProgress && StartedAt is { } started
        ? new[] { started, Driver?.LocationAt ?? started, DriverHeardAt ?? started }.Max()
        : null;
    /// <summary>During the ride, the phone time of a fix kept only to say the phone is heard (a car standing still stores no position; <see cref="HearDriver"/>).</summary>
    public DateTimeOffset? DriverHeardAt { get; init; }
    /// <summary>The <see cref="LastHeardAt"/> a silence was already looked at for (a check opened, or none allowed): not asked again until a fix comes.</summary>
    public DateTimeOffset? SilenceHandledFor { get; init; }
    /// <summary>Indexed: when the driver's phone was last heard of during the ride, unless that silence was handled, so silent phones are found in order.</summary>
    public long? LastHeardAtMs => LastHeardAt is { } heard && heard != SilenceHandledFor ? heard.ToUnixTimeMilliseconds() : null;
    public const string LastHeardAtField = "lastHeardAtMs";
    /// <summary>The rider's lost-item reports (ADR 0035), oldest first; only the last may be open.</summary>
    public IReadOnlyList<LostItemReport> LostItems { get; init; } = [];
    /// <summary>The trip's latest lost-item report: the open one, or how the last one ended; null: none.</summary>
    public LostItemReport? LostItem => LostItems.Count > 0 ? LostItems[^1] : null;
    /// <summary>Indexed: set only while a report waits for the driver's answer and support was not told, so the unanswered ones are found when due.</summary>
    public long? LostItemAnswerByMs => LostItem is { Status: LostItemStatus.Reported, SupportAlertedAt: null } waiting ? waiting.AnswerBy.ToUnixTimeMilliseconds() : null;
    public const string LostItemAnswerByField = "lostItemAnswerByMs";
    /// <summary>Reminders of what the rider owes on this trip (ADR 0039): started when a payment failed, gone once nothing is owed.</summary>
    public UnpaidReminders? UnpaidReminders { get; init; }
    /// <summary>What support waived of what the rider owed (ADR 0053), oldest first: each time who, why and how much.</summary>
    public IReadOnlyList<PaymentWaiver> Waivers { get; init; } = [];
    /// <summary>A waiver above the limit one support account may waive alone, as asked (ADR 0053); see <see cref="PendingWaiver"/>.</summary>
    public WaiverRequest? WaiverRequest { get; init; }
    /// <summary>The last waiver request approved or declined (ADR 0053): answering it again is the same answer or refused.</summary>
    public WaiverRequestAnswer? LastWaiverAnswer { get; init; }
    /// <summary>
    /// What support waived of the fare or cancellation fee while the rest stayed owed (ADR 0053, part of it): the rider
    /// owes, and pays, only the rest. 0 when none, and once a payment of the whole was taken all the same. Trips waived
    /// whole before parts existed keep 0 here: their fare's status is waived (see <see cref="WaivedOfFareMinor"/>).
    /// </summary>
    public long FareWaivedMinor { get; init; }
    /// <summary>What stands waived of the fare or cancellation fee: all the waivers' of it once its status is waived, else the parts waived.</summary>
    public long WaivedOfFareMinor => PaymentStatus == Domain.PaymentStatus.Waived ? Waivers.Sum(w => w.FareMinor) : FareWaivedMinor;
    /// <summary>What a payment of the fare or cancellation fee charges: what is due less what support waived of it.</summary>
    public long ChargeDueMinor => AmountDueMinor - FareWaivedMinor;
    /// <summary>
    /// The fare or cancellation fee the rider owes and has not paid: its payment failed or is still being made, less what
    /// riders who split the fare paid of it (ADR 0040), ride credit paid (ADR 0051) and support waived of it (ADR 0053); 0 otherwise.
    /// </summary>
    public long UnpaidFareMinor => PaymentStatus is Domain.PaymentStatus.Failed or Domain.PaymentStatus.Pending
        ? Math.Max(0, AmountDueMinor - Split.PaidByOthersMinor - CreditPaidMinor - FareWaivedMinor)
        : 0;
    /// <summary>A lost item's return fee the rider owes and has not paid (ADR 0035); 0 otherwise.</summary>
    public long UnpaidReturnFeeMinor => LostItem is { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Failed or Domain.PaymentStatus.Pending } report ? report.ReturnFeeMinor : 0;
    /// <summary>Indexed: when the next reminder of what the rider owes goes, set only while something is owed and a reminder is left.</summary>
    public long? UnpaidRemindAtMs => UnpaidFareMinor + UnpaidReturnFeeMinor > 0 ? UnpaidReminders?.NextAt?.ToUnixTimeMilliseconds() : null;
    public const string UnpaidRemindAtField = "unpaidRemindAtMs";
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Why a ride with a pet is refused where the quote's prices take no pets (ADR 0041).</summary>
    public const string PetsNotTaken = "withPet: pets are not taken on rides picked up here; book without a pet.";

    /// <summary>Why a ride paid in cash is refused (ADR 0042): where the quote's prices take no cash, and a business ride (paid with a card).</summary>
    public const string CashNotAccepted = "payInCash: cash is not accepted on rides picked up here; pay with a card.";
    public const string CashNotForBusiness = "payInCash: a business ride is paid with a card, not in cash.";

    /// <summary>Why a ride booked from <paramref name="quote"/> as <paramref name="profile"/> cannot be paid in cash (ADR 0042); null: it can, or cash is not asked.</summary>
    public static string? CashRefusal(bool payInCash, Quote quote, RideProfile profile) =>
        !payInCash ? null : !quote.CashAccepted ? CashNotAccepted : profile.IsBusiness ? CashNotForBusiness : null;

    /// <summary>Why a wheelchair-accessible ride is refused where the quote's prices do not offer one (ADR 0045).</summary>
    public const string WheelchairNotOffered =
        "wheelchairAccessible: wheelchair-accessible vehicles are not offered on rides picked up here; book without it.";

    /// <summary>
    /// A trip booked now at <paramref name="option"/>'s price. <paramref name="withPet"/> (ADR 0041): the rider brings a
    /// pet, and the quote's pet fee is added to the fare (after surge and the minimum fare); refused where the quote's
    /// prices take no pets. <paramref name="payInCash"/> (ADR 0042): the rider pays the driver in cash, refused where the
    /// quote's prices take no cash. <paramref name="wheelchairAccessible"/> (ADR 0045): the rider needs a
    /// wheelchair-accessible vehicle, at the same price; refused where the quote's prices do not offer one.
    /// </summary>
    public static Trip Request(string id, string riderId, Quote quote, QuoteOption option, string pin, DateTimeOffset now, bool withPet = false, bool payInCash = false,
        bool wheelchairAccessible = false)
    {
        if (pin.Length is not (0 or 4) || !pin.All(char.IsAsciiDigit)) throw new ArgumentException("A PIN is 4 digits (or none).", nameof(pin));
        if (withPet && quote.PetFeeMinor <= 0) throw new TripRuleException(PetsNotTaken);
        if (wheelchairAccessible && !quote.WheelchairAccessible) throw new TripRuleException(WheelchairNotOffered);
        if (CashRefusal(payInCash, quote, RideProfile.PersonalRide) is { } noCash) throw new TripRuleException(noCash);
        var petFee = withPet ? quote.PetFeeMinor : 0;
        return new()
        {
            Id = id,
            RiderId = riderId,
            Status = TripStatus.Searching,
            VehicleClass = option.VehicleClass,
            Pickup = quote.Pickup,
            Dropoff = quote.Dropoff,
            Stops = [.. quote.Stops.Select(s => new TripStop(s))],
            FareMinor = option.PriceMinor + petFee,
            Currency = option.Currency,
            Breakdown = petFee > 0 && option.Breakdown is { } fare ? fare with { PetFeeMinor = petFee } : option.Breakdown,
            SurgeMultiplier = option.SurgeMultiplier,
            WithPet = withPet,
            PayInCash = payInCash,
            WheelchairAccessible = wheelchairAccessible,
            DistanceMeters = quote.DistanceMeters,
            DurationSeconds = quote.DurationSeconds,
            QuoteId = quote.Id,
            WaitPerMinuteMinor = option.WaitPerMinuteMinor,
            Promotion = option.Promotion is { } promotion ? new TripPromotion(promotion.Code, promotion.Terms) : null,
            CancellationFeeMinor = quote.CancellationFeeMinor,
            Pin = pin,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// A ride booked for later at the quote's upfront price (the tariff and surge of when it was booked): it waits as
    /// <see cref="TripStatus.Scheduled"/> until <see cref="DispatchAt"/>, when <see cref="StartDispatch"/> makes it a
    /// searching trip like any other. The pickup time is at least <see cref="TripRules.MinScheduleAhead"/> and at most
    /// <see cref="TripRules.MaxScheduleAhead"/> away.
    /// </summary>
    public static Trip Reserve(string id, string riderId, Quote quote, QuoteOption option, string pin, DateTimeOffset scheduledFor, TripRules rules, DateTimeOffset now,
        bool withPet = false, bool payInCash = false, bool wheelchairAccessible = false)
    {
        RequireScheduleBounds(scheduledFor, rules, now);
        return Request(id, riderId, quote, option, pin, now, withPet, payInCash, wheelchairAccessible).ScheduledAt(scheduledFor, rules, now);
    }

    /// <summary>The pickup time, and from it when the search starts and when (if at all) the rider is reminded.</summary>
    private Trip ScheduledAt(DateTimeOffset scheduledFor, TripRules rules, DateTimeOffset now)
    {
        var dispatchAt = scheduledFor - rules.ScheduledDispatchLead;
        var remindAt = scheduledFor - rules.ReservationReminderLead;
        return this with
        {
            Status = TripStatus.Scheduled,
            ScheduledFor = scheduledFor,
            DispatchAt = dispatchAt < now ? now : dispatchAt,
            RemindAt = rules.ReservationReminderLead > TimeSpan.Zero && remindAt - now >= rules.ReservationReminderLead ? remindAt : null,
            RemindedAt = null,
        };
    }

    /// <summary>Refuses a pickup time sooner than <see cref="TripRules.MinScheduleAhead"/> or further than <see cref="TripRules.MaxScheduleAhead"/> from now.</summary>
    private static void RequireScheduleBounds(DateTimeOffset scheduledFor, TripRules rules, DateTimeOffset now)
    {
        if (scheduledFor < now + rules.MinScheduleAhead)
        {
            throw new TripRuleException($"A ride booked for later is at least {Describe(rules.MinScheduleAhead)} ahead; for a sooner one, book it now.");
        }
        if (scheduledFor > now + rules.MaxScheduleAhead)
        {
            throw new TripRuleException($"A ride can be booked at most {Describe(rules.MaxScheduleAhead)} ahead.");
        }
    }

    /// <summary>
    /// The rider moves a ride booked for later to another pickup time, within the same bounds as booking it, at the
    /// price agreed; its search start and reminder follow the new time (a reminder that went is due again). Only while
    /// it waits: once its search started it can only be cancelled. The same time again changes nothing.
    /// </summary>
    public Trip Reschedule(string riderId, DateTimeOffset scheduledFor, TripRules rules, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (ScheduledFor is null) throw new TripTransitionException($"Trip {Id} was not booked for later; there is no pickup time to change.");
        if (Status != TripStatus.Scheduled)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}: its pickup time can no longer change (its search has started, or it ended).");
        }
        if (scheduledFor == ScheduledFor) return this;
        RequireScheduleBounds(scheduledFor, rules, now);
        // The driver who reserved it agreed to the old time (ADR 0047): the ride is open to drivers again.
        return ScheduledAt(scheduledFor, rules, now).Released(TripActors.Rider, MovedReleaseReason, now) with { UpdatedAt = now };
    }

    /// <summary>
    /// A driver reserves this ride booked for later (ADR 0047): it is offered to them first when its search starts. First
    /// come: held by another driver → <see cref="ReservationConflictException"/>, as when the driver already holds
    /// <see cref="ReservationRules.MaxPerDriver"/> upcoming reservations (<paramref name="driversOthers"/>: theirs, of other
    /// rides) or one whose pickup is closer than <see cref="ReservationRules.MinGap"/> to this one's. The same driver again
    /// changes nothing.
    /// </summary>
    public Trip ReserveForDriver(string driverId, IReadOnlyList<Trip> driversOthers, ReservationRules rules, DateTimeOffset now)
    {
        if (Reservation?.DriverId == driverId && Status == TripStatus.Scheduled) return this;
        if (driverId == RiderId) throw new TripRuleException("You booked this ride; a driver reserves rides of other riders.");
        if (Status != TripStatus.Scheduled || ScheduledFor is not { } pickupAt)
        {
            throw new ReservationConflictException($"Trip {Id} is {Status}: only a ride booked for later that waits for its time can be reserved.");
        }
        if (Reservation is not null) throw new ReservationConflictException($"Another driver reserved trip {Id} first.");
        if (DriversWhoCancelled.Contains(driverId)) throw new ReservationConflictException($"You gave trip {Id} up; it goes to another driver.");
        rules.RequireRoomFor(pickupAt, driversOthers.Where(t => t.Id != Id && t.ReservedBy == driverId && t.ScheduledFor is not null).Select(t => t.ScheduledFor!.Value).ToList());
        var remindAt = pickupAt - rules.RemindBefore;
        var reservation = new DriverReservation(driverId, now, RemindAt: rules.RemindBefore > TimeSpan.Zero && remindAt > now ? remindAt : null);
        return this with { DriverReservations = [.. DriverReservations, reservation], UpdatedAt = now };
    }

    /// <summary>
    /// The reserving driver gives the reservation back (ADR 0047): the ride waits for its search as before. Until
    /// <see cref="ReservationRules.ReleaseUntil"/> before the pickup; later they do the ride (support can still release it).
    /// Released already: unchanged. A driver who never held it: not theirs (not found).
    /// </summary>
    public Trip ReleaseByDriver(string driverId, ReservationRules rules, DateTimeOffset now)
    {
        if (Reservation?.DriverId != driverId)
        {
            if (DriverReservations.Any(r => r.DriverId == driverId)) return this;
            throw new TripNotYoursException(Id);
        }
        if (Status != TripStatus.Scheduled) throw new ReservationConflictException($"Trip {Id} is {Status}: its reservation can no longer be released.");
        if (ScheduledFor - now < rules.ReleaseUntil)
        {
            throw new ReservationConflictException(
                $"The pickup is less than {Describe(rules.ReleaseUntil)} away: you do this ride now (support can release it if you cannot).");
        }
        return Released(TripActors.Driver, "The driver released the reservation.", now);
    }

    /// <summary>Support releases a ride's reservation (a driver who cannot come near the pickup); none held: unchanged.</summary>
    public Trip ReleaseBySupport(string reason, DateTimeOffset now)
    {
        if (Reservation is null) return this;
        if (Status != TripStatus.Scheduled) throw new ReservationConflictException($"Trip {Id} is {Status}: its reservation can no longer be released.");
        return Released(TripActors.Operator, reason, now);
    }

    public const string MovedReleaseReason = "The rider moved the ride to another time.";

    /// <summary>
    /// Why a reservation ended with its ride's cancellation while the ride waited for its time (ADR 0050; once its search
    /// started the reservation was used); <see cref="Cancellation"/> says why the ride was cancelled.
    /// </summary>
    public const string CancelledReleaseReason = "ride cancelled";

    private Trip Released(string by, string reason, DateTimeOffset now) => Reservation is null ? this : this with
    {
        DriverReservations = [.. DriverReservations.SkipLast(1), DriverReservations[^1] with { ReleasedAt = now, ReleasedBy = by, ReleaseReason = reason }],
        UpdatedAt = now,
    };

    /// <summary>
    /// The rider was reminded of the ride (<see cref="RemindAt"/> came). Unchanged when no reminder is due: none was
    /// planned, it is not time yet, it went already (another replica), or the ride no longer waits (cancelled, or its
    /// search started). Not a change of state: <see cref="UpdatedAt"/> stays.
    /// </summary>
    public Trip Remind(DateTimeOffset now) => RemindAtMs is not null && RemindAt <= now ? this with { RemindedAt = now } : this;

    /// <summary>
    /// The reserving driver was reminded of the pickup (ADR 0050). Unchanged when no reminder is due: none planned, not
    /// yet time, sent already, released, or the ride no longer waits. Not a change of state: <see cref="UpdatedAt"/> stays.
    /// </summary>
    public Trip RemindDriver(DateTimeOffset now) => DriverRemindAtMs is not null && Reservation!.RemindAt <= now
        ? this with { DriverReservations = [.. DriverReservations.SkipLast(1), DriverReservations[^1] with { RemindedAt = now }] }
        : this;

    /// <summary>Why trips ended a reservation whose driver was on another ride when the ride's search started (ADR 0050).</summary>
    public const string OnAnotherRideReleaseReason = TripReservationReleasedIntegrationEvent.OnAnotherRide;

    /// <summary>
    /// The ride's search starts (call before <see cref="StartDispatch"/>) while the driver who reserved it is on another
    /// ride (<paramref name="driversTrips"/>: theirs as stored; one they accepted, are arriving at, or are driving; ADR
    /// 0050): they cannot take it now, and are not at fault. The reservation ends, released by trips
    /// (<see cref="OnAnotherRideReleaseReason"/>): the ride goes to the normal search, the miss is kept in its history and
    /// is no strike (<see cref="ReservationStrike.For"/>). Otherwise, or when the ride no longer waits: unchanged.
    /// </summary>
    public Trip ExcuseBusyReservedDriver(IEnumerable<Trip> driversTrips, DateTimeOffset now)
    {
        if (Status != TripStatus.Scheduled || Reservation is not { } held) return this;
        var busy = driversTrips.Any(t => t.Id != Id && t.DriverId == held.DriverId
            && t.Status is TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress);
        return busy ? Released(TripActors.System, OnAnotherRideReleaseReason, now) : this;
    }

    /// <summary>A booked ride's dispatch time came: it searches for a driver like a trip booked now. Safe to repeat.</summary>
    public Trip StartDispatch(DateTimeOffset now, TripPaymentHold? hold = null, long holdVersion = 0)
    {
        if (Status != TripStatus.Scheduled)
        {
            if (ScheduledFor is not null) return this; // dispatched already (or cancelled meanwhile)
            throw new TripTransitionException($"Trip {Id} was not booked for later.");
        }
        return hold is not null && holdVersion > PaymentHoldVersion
            ? this with { Status = TripStatus.Searching, PaymentHold = hold, PaymentHoldVersion = holdVersion, CardId = hold.CardId ?? CardId, UpdatedAt = now }
            : this with { Status = TripStatus.Searching, UpdatedAt = now };
    }

    /// <summary>
    /// A booked ride that cannot be dispatched when its time comes (its rider is on another trip, or has one to pay):
    /// cancelled by trips, without a fee, saying why. Safe to repeat.
    /// </summary>
    public Trip CancelReservation(string reason, DateTimeOffset now)
    {
        if (Status == TripStatus.Cancelled) return this;
        RequireStatus(TripStatus.Scheduled, "cancel the reservation of");
        return (this with { Status = TripStatus.Cancelled, Cancellation = new Cancellation(TripActors.System, reason, 0, now), UpdatedAt = now })
            .Released(TripActors.System, CancelledReleaseReason, now);
    }

    internal static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} {(span.TotalDays == 1 ? "day" : "days")}"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} {(span.TotalMinutes == 1 ? "minute" : "minutes")}"
        : $"{span.TotalSeconds:0} seconds";

    public Trip AssignDriver(string driverId, GeoPoint? location, DateTimeOffset now)
    {
        if (Driver?.DriverId == driverId && Status != TripStatus.Searching) return this;
        if (Status != TripStatus.Searching)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; a driver can only be assigned while searching.");
        }
        if (DriversWhoCancelled.Contains(driverId))
        {
            throw new TripTransitionException($"Driver {driverId} gave trip {Id} up and cannot be assigned to it again.");
        }
        return this with { Status = TripStatus.DriverAssigned, Driver = new AssignedDriver(driverId, location, now), UpdatedAt = now };
    }

    public Trip MarkNoDriversFound(DateTimeOffset now)
    {
        if (Status == TripStatus.NoDriversFound) return this;
        if (Status != TripStatus.Searching)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; only a searching trip can run out of drivers.");
        }
        return this with { Status = TripStatus.NoDriversFound, Split = Split.Lapse(now), UpdatedAt = now };
    }

    /// <summary>Moves under this distance are not worth a write on every ping; the arrival radius is 100 m.</summary>
    public const double DriverMoveThresholdMeters = 10;

    /// <summary>
    /// The trip keeps its driver's position at most this often: the rider follows the driver live on the socket, and
    /// the stored one serves a rider who reconnects and the arrival check. A write per ping (every 2–4 s per driver on
    /// a trip) would be most of trips' writes.
    /// </summary>
    public static readonly TimeSpan DriverPositionInterval = TimeSpan.FromSeconds(10);

    /// <summary>Closer than this to the pickup before arriving, every move is kept: "I have arrived" may be checked against it.</summary>
    public const double NearPickupMeters = 300;

    /// <summary>
    /// A position of the assigned driver from their location stream, recorded at <paramref name="at"/>. Kept if newer
    /// than the stored one and at least <see cref="DriverMoveThresholdMeters"/> away from it, and either
    /// <see cref="DriverPositionInterval"/> after it or near the pickup; otherwise the trip is returned unchanged (no write).
    /// </summary>
    public Trip MoveDriver(string driverId, GeoPoint location, DateTimeOffset at)
    {
        if (Driver is not { } driver || driver.DriverId != driverId || !IsActive) return this;
        if (driver.Location is { } known)
        {
            if (driver.LocationAt is { } knownAt && at <= knownAt) return this;
            if (Contracts.Geo.DistanceMeters(known, location) < DriverMoveThresholdMeters) return this;
            var nearPickup = Status == TripStatus.DriverAssigned && Contracts.Geo.DistanceMeters(location, Pickup) <= NearPickupMeters;
            if (!nearPickup && driver.LocationAt is { } lastAt && at - lastAt < DriverPositionInterval) return this;
        }
        return this with { Driver = driver with { Location = location, LocationAt = at } };
    }

    /// <summary>
    /// RideCheck (ADR 0033): a fix of the assigned driver's phone, recorded at <paramref name="at"/>, during the ride. A fix
    /// farther than <see cref="SafetyRules.StandstillRadiusMeters"/> from where the car stood starts a new standstill there
    /// (and allows the next check); one within it, <see cref="SafetyRules.LongStopAfter"/> (plus
    /// <see cref="SafetyRules.AtStopAllowance"/> at a stop the driver reached) after the standstill began, opens a check,
    /// unless one is open, this standstill had one, or the ride had <see cref="SafetyRules.MaxPerTrip"/>. Otherwise, and for
    /// a fix no newer than the last one used (redelivered, repeated), the trip is returned unchanged (no write).
    /// </summary>
    /// <param name="now">The service's time: when the check opens, from which support is told if nobody answers.</param>
    public Trip WatchForLongStop(string driverId, GeoPoint location, DateTimeOffset at, SafetyRules rules, DateTimeOffset now)
    {
        if (Status != TripStatus.InProgress || Driver?.DriverId != driverId) return this;
        if (Standstill is not { } still || Geo.DistanceMeters(still.At, location) > SafetyRules.StandstillRadiusMeters)
        {
            return Standstill is { } last && at <= last.LastFixAt ? this : this with { Standstill = new TripStandstill(location, at, at) };
        }
        if (at <= still.LastFixAt || still.Checked || OpenSafetyCheck is not null || SafetyChecks.Count >= rules.MaxPerTrip) return this;
        var atStop = Stops.Any(s => s.ReachedAt is not null && Geo.DistanceMeters(s.Location, still.At) <= SafetyRules.StandstillRadiusMeters);
        if (at - still.Since < rules.LongStopAfter + (atStop ? rules.AtStopAllowance : TimeSpan.Zero)) return this;
        var check = new SafetyCheck(SafetyChecks.Count + 1, still.At, still.Since, at - still.Since, now, now + rules.UnansweredAfter);
        return this with { Standstill = still with { LastFixAt = at, Checked = true }, SafetyChecks = [.. SafetyChecks, check], UpdatedAt = now };
    }

    /// <summary>
    /// RideCheck's detours (ADR 0033): a fix of the assigned driver's phone during the ride, measured against where the ride
    /// goes now (the next stop, else the drop-off). Closer than ever (by <see cref="SafetyRules.CourseStepMeters"/>): remembered. <see cref="SafetyRules.DetourMeters"/>
    /// farther than the closest: a check opens (unless one is open, or the ride had <see cref="SafetyRules.MaxPerTrip"/>)
    /// and the course starts again from there, so the next needs as much again. A new target starts the course afresh. A
    /// fix no newer than the last one used, or one that changes nothing, returns the trip unchanged (no write).
    /// </summary>
    public Trip WatchForDetour(string driverId, GeoPoint location, DateTimeOffset at, SafetyRules rules, DateTimeOffset now)
    {
        if (Status != TripStatus.InProgress || Driver?.DriverId != driverId) return this;
        var target = NextStop is { } next ? Stops[next].Location : Dropoff;
        var meters = Geo.DistanceMeters(location, target);
        if (Course is { } course && at <= course.LastFixAt) return this;
        // Closer by a little is not written: a car creeping in a jam would otherwise write every fix (the threshold is kilometres).
        if (Course is not { } known || known.Target != target || meters < known.ClosestMeters - SafetyRules.CourseStepMeters)
        {
            return this with { Course = new TripCourse(target, meters, at) };
        }
        var away = meters - known.ClosestMeters;
        if (away < rules.DetourMeters || OpenSafetyCheck is not null || SafetyChecks.Count >= rules.MaxPerTrip) return this;
        var check = new SafetyCheck(SafetyChecks.Count + 1, location, at, TimeSpan.Zero, now, now + rules.UnansweredAfter)
        {
            Kind = SafetyCheckKinds.Detour, DetourMeters = (int)Math.Round(away),
        };
        return this with { Course = new TripCourse(target, meters, at), SafetyChecks = [.. SafetyChecks, check], UpdatedAt = now };
    }

    /// <summary>
    /// A fix of the assigned driver's phone during the ride, after the others were applied: when the trip last heard of
    /// the phone (<see cref="LastHeardAt"/>) is <see cref="SafetyRules.HeardEvery"/> older than it, it is kept as heard
    /// (a car standing still stores no position, and its phone is not silent). Otherwise unchanged (no write): a moving
    /// car's position is stored every 10 s anyway.
    /// </summary>
    public Trip HearDriver(string driverId, DateTimeOffset at) =>
        Driver?.DriverId == driverId && LastHeardAt is { } heard && at - heard >= SafetyRules.HeardEvery ? this with { DriverHeardAt = at } : this;

    /// <summary>
    /// A fix of the assigned driver's phone, as the location stream delivers it: the driver's position
    /// (<see cref="MoveDriver"/>), RideCheck's watchers (<see cref="WatchForLongStop"/>, <see cref="WatchForDetour"/>) and
    /// <see cref="HearDriver"/>, in that order. What only RideCheck's memory changed (where the car stands, how close it
    /// came) is kept with the next position written, or on its own <see cref="DriverPositionInterval"/> after the last fix
    /// kept: otherwise a moving ride would be written twice as often as its position (bench/README.md, "Positions during
    /// a ride"). The watchers decide again from what is stored, so a standstill or a closest distance not kept now is
    /// kept at most 10 s of phone time later, and a check may ask that much later. A check that opens is always kept.
    /// Unchanged (no write) otherwise.
    /// </summary>
    public Trip TakeDriverFix(string driverId, GeoPoint location, DateTimeOffset at, SafetyRules rules, DateTimeOffset now)
    {
        var next = MoveDriver(driverId, location, at)
            .WatchForLongStop(driverId, location, at, rules, now)
            .WatchForDetour(driverId, location, at, rules, now)
            .HearDriver(driverId, at);
        if (ReferenceEquals(next, this) || !ReferenceEquals(next.Driver, Driver) || next.SafetyChecks.Count > SafetyChecks.Count) return next;
        if (next.DriverHeardAt != DriverHeardAt) return next;
        return LastFixKeptAt is { } kept && at - kept < DriverPositionInterval ? this : next;
    }

    /// <summary>The phone time of the newest fix whose effect is stored: a position, a standstill, a course or a heard fix.</summary>
    private DateTimeOffset? LastFixKeptAt =>
        new[] { Driver?.LocationAt, Standstill?.LastFixAt, Course?.LastFixAt, DriverHeardAt }.Max();

    /// <summary>
    /// RideCheck's silent phone (ADR 0033): nothing from the driver's phone for <see cref="SafetyRules.SilentAfter"/> since
    /// <see cref="LastHeardAt"/> opens a check where the car was last heard of, unless one is open or the ride had
    /// <see cref="SafetyRules.MaxPerTrip"/>; either way this silence is handled (asked once, and no longer found). A fix
    /// that comes after makes a new silence possible. Unchanged when not riding, not silent long enough, or handled.
    /// </summary>
    public Trip WatchForSilence(SafetyRules rules, DateTimeOffset now)
    {
        if (LastHeardAt is not { } heard || heard == SilenceHandledFor || now - heard < rules.SilentAfter) return this;
        if (OpenSafetyCheck is not null || SafetyChecks.Count >= rules.MaxPerTrip) return this with { SilenceHandledFor = heard };
        var check = new SafetyCheck(SafetyChecks.Count + 1, Driver?.Location ?? Pickup, heard, now - heard, now, now + rules.UnansweredAfter) { Kind = SafetyCheckKinds.Silent };
        return this with { SilenceHandledFor = heard, SafetyChecks = [.. SafetyChecks, check], UpdatedAt = now };
    }

    /// <summary>
    /// The rider or the assigned driver answers the open safety check (<see cref="SafetyAnswers"/>): it is closed for both.
    /// The same person's same answer again changes nothing (a retried request); with no check open,
    /// <see cref="SafetyCheckClosedException"/>.
    /// </summary>
    public Trip AnswerSafetyCheck(string userId, string answer, DateTimeOffset now)
    {
        var role = userId == RiderId ? TripActors.Rider : userId == DriverId ? TripActors.Driver : throw new TripNotYoursException(Id);
        if (!SafetyAnswers.IsKnown(answer)) throw new ArgumentException($"answer must be {SafetyAnswers.Ok} or {SafetyAnswers.Help}.", nameof(answer));
        if (OpenSafetyCheck is not { } open)
        {
            return SafetyChecks.Count > 0 && SafetyChecks[^1] is { } last && last.Answer == answer && last.AnsweredBy == role
                ? this
                : throw new SafetyCheckClosedException(Id);
        }
        var answered = open with { Answer = answer, AnsweredBy = role, AnsweredAt = now };
        return this with { SafetyChecks = [.. SafetyChecks.SkipLast(1), answered], UpdatedAt = now };
    }

    /// <summary>
    /// Nobody answered the open check by its <see cref="SafetyCheck.AlertAt"/>: it is marked as sent to support (it stays
    /// open: an answer still tells support more). Unchanged when not due, answered, sent already, or the ride ended.
    /// </summary>
    public Trip SafetyCheckUnanswered(DateTimeOffset now) =>
        OpenSafetyCheck is { SupportAlertedAt: null } open && open.AlertAt <= now
            ? this with { SafetyChecks = [.. SafetyChecks.SkipLast(1), open with { SupportAlertedAt = now }], UpdatedAt = now }
            : this;

    public Trip Arrive(string driverId, GeoPoint? location, TripRules rules, DateTimeOffset now)
    {
        RequireAssignedDriver(driverId);
        if (Status is TripStatus.DriverArrived or TripStatus.InProgress or TripStatus.Completed) return this;
        RequireStatus(TripStatus.DriverAssigned, "arrive");
        var at = location ?? Driver!.Location
            ?? throw new TripRuleException("Your position is not known yet; send a location first.");
        var distance = Geo.DistanceMeters(at, Pickup);
        if (distance > rules.ArrivalRadiusMeters)
        {
            throw new TripRuleException($"You are {distance:F0} m from the pickup; arrive within {rules.ArrivalRadiusMeters:F0} m.");
        }
        return this with
        {
            Status = TripStatus.DriverArrived, ArrivedAt = now, FreeWaitUntil = now + FreeWait(rules), Driver = Driver! with { Location = at, LocationAt = null }, UpdatedAt = now,
        };
    }

    /// <summary>The stop the car is heading for (its index), while the ride is under way; null when none is left.</summary>
    public int? NextStop => Status == TripStatus.InProgress && Stops.Select((s, i) => (s, i)).FirstOrDefault(x => x.s.ReachedAt is null) is ({ } _, var index) ? index : null;

    /// <summary>
    /// The driver is at stop <paramref name="index"/> (0-based) while riding: within <see cref="TripRules.ArrivalRadiusMeters"/>
    /// of it, the stops before it reached first. A stop reached already changes nothing (a repeated request).
    /// </summary>
    public Trip ReachStop(string driverId, int index, GeoPoint? location, TripRules rules, DateTimeOffset now)
    {
        RequireAssignedDriver(driverId);
        if (index < 0 || index >= Stops.Count) throw new TripRuleException($"Trip {Id} has {Stops.Count} stop{(Stops.Count == 1 ? "" : "s")}; there is no stop {index + 1}.");
        if (Stops[index].ReachedAt is not null) return this;
        RequireStatus(TripStatus.InProgress, "reach a stop");
        if (NextStop is { } next && next < index) throw new TripRuleException($"Stop {next + 1} comes before stop {index + 1}.");
        var at = location ?? Driver!.Location ?? throw new TripRuleException("Your position is not known yet; send a location first.");
        var distance = Geo.DistanceMeters(at, Stops[index].Location);
        if (distance > rules.ArrivalRadiusMeters)
        {
            throw new TripRuleException($"You are {distance:F0} m from stop {index + 1}; reach it within {rules.ArrivalRadiusMeters:F0} m.");
        }
        return this with
        {
            Stops = [.. Stops.Select((s, i) => i == index ? s with { ReachedAt = now } : s)],
            Driver = Driver! with { Location = at, LocationAt = null },
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Starts the ride when the PIN is the rider's, or without one when the ride has none (ADR 0044); the wait beyond
    /// <see cref="FreeWaitUntil"/> is added to the fare (<see cref="WaitFeeAt"/>). A wrong PIN is counted in the returned
    /// trip and <paramref name="pinAccepted"/> is false; the caller stores the count and refuses the request. From the
    /// <see cref="WrongPinsBeforeLockout"/>th wrong PIN on, each locks attempts for <see cref="TripRules.PinLockout"/>.
    /// </summary>
    public Trip Start(string driverId, string pin, DateTimeOffset now, out bool pinAccepted) => Start(driverId, pin, new TripRules(), now, out pinAccepted);

    /// <inheritdoc cref="Start(string, string, DateTimeOffset, out bool)"/>
    public Trip Start(string driverId, string pin, TripRules rules, DateTimeOffset now, out bool pinAccepted)
    {
        RequireAssignedDriver(driverId);
        pinAccepted = true;
        if (Status is TripStatus.InProgress or TripStatus.Completed) return this;
        RequireStatus(TripStatus.DriverArrived, "start");
        if (PinRequired)
        {
            if (PinLockedUntil is { } until && now < until) throw new PinAttemptsExceededException(until - now);
            if (pin.Length == 0) throw new PinMissingException("pin is required: ask the rider for the 4 digits shown in their app.");
            if (pin != Pin)
            {
                pinAccepted = false;
                var wrong = WrongPinAttempts + 1;
                return this with { WrongPinAttempts = wrong, PinLockedUntil = wrong >= WrongPinsBeforeLockout ? now + rules.PinLockout : PinLockedUntil, UpdatedAt = now };
            }
        }
        var wait = WaitFeeAt(now);
        return this with
        {
            Status = TripStatus.InProgress, StartedAt = now, UpdatedAt = now,
            FareMinor = FareMinor + wait,
            Breakdown = wait > 0 && Breakdown is { } fare ? fare with { WaitMinor = fare.WaitMinor + wait } : Breakdown,
        };
    }

    /// <summary>
    /// What the wait at the pickup costs if the ride starts at <paramref name="now"/>: the tariff's price a minute for
    /// each second past <see cref="FreeWaitUntil"/>, rounded to a minor unit; 0 within the free minutes.
    /// </summary>
    public long WaitFeeAt(DateTimeOffset now) =>
        Status == TripStatus.DriverArrived && FreeWaitUntil is { } free && now > free
            ? (long)Math.Round(WaitPerMinuteMinor * (now - free).TotalSeconds / 60, MidpointRounding.AwayFromZero)
            : 0;

    /// <summary>A new price of the ride (a new destination's) keeps what the wait at the pickup cost and the pet fee (ADR 0041).</summary>
    public FareBreakdown Repriced(FareBreakdown fare) => fare with { WaitMinor = Breakdown?.WaitMinor ?? 0, PetFeeMinor = Breakdown?.PetFeeMinor ?? 0 };

    /// <summary>Ends the ride; the upfront price is the fare, and it becomes due (a payment session is requested).</summary>
    public Trip Complete(string driverId, TripRules rules, DateTimeOffset now)
    {
        RequireAssignedDriver(driverId);
        if (Status == TripStatus.Completed) return this;
        RequireStatus(TripStatus.InProgress, "complete");
        return Completed(rules, now);
    }

    /// <summary>
    /// Support ends a ride under way that its driver cannot (their phone died, their account was suspended mid-ride): as
    /// if the driver had, at the upfront fare (support refunds part of it if the ride fell short), with who and why
    /// recorded. A trip already completed, by anyone, is returned unchanged.
    /// </summary>
    public Trip CompleteBySupport(string operatorId, string reason, TripRules rules, DateTimeOffset now)
    {
        if (Status == TripStatus.Completed) return this;
        if (Status != TripStatus.InProgress)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; support ends only a ride under way (before it starts, support cancels the trip).");
        }
        return Completed(rules, now) with { CompletedBySupport = new SupportCompletion(operatorId, reason, now) };
    }

    private Trip Completed(TripRules rules, DateTimeOffset now) =>
        this with
        {
            Status = TripStatus.Completed, CompletedAt = now, UpdatedAt = now,
            AmountDueMinor = FareMinor - DiscountMinor, PaymentStatus = Domain.PaymentStatus.Pending, PaymentAttempt = 1,
            Split = Split.Invitations.Count > 0 ? Split.Settle(FareMinor - DiscountMinor, now) : Split,
            DriverEarnings = Domain.DriverEarnings.For(Domain.DriverEarnings.Fare, FareMinor, Breakdown?.BookingFeeMinor ?? 0, rules.ServiceFeePercent, now,
                Breakdown?.PlaceFeesMinor ?? 0) with { CashCollectedMinor = PayInCash ? FareMinor - DiscountMinor : 0 },
        };

    /// <summary>
    /// The rider cancels: free before a driver is assigned and within the free window after it; a fee after that.
    /// A ride in progress cannot be cancelled by the rider (the driver completes it).
    /// </summary>
    /// <param name="maxFeeMinor">
    /// The most the rider agreed to pay, from the terms they were shown (<see cref="CancellationTermsFor"/>); null when
    /// the client does not ask for consent. A fee above it refuses the cancellation and changes nothing: the free
    /// window may have ended between the rider reading "free" and the request arriving.
    /// </param>
    public Trip CancelByRider(string riderId, string reason, TripRules rules, DateTimeOffset now, long? maxFeeMinor = null)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (Status == TripStatus.Cancelled) return this;
        if (!RiderMayCancel)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; it can no longer be cancelled.");
        }
        var fee = FeeForRiderCancellation(rules, now);
        if (fee > maxFeeMinor) throw new CancellationFeeNotAcceptedException(Id, fee, Currency, FreeCancellationUntil(rules), maxFeeMinor.Value);
        // A fee is due only after a driver was assigned for the free window: that driver earns it.
        var cancelled = CancelledWithFee(TripActors.Rider, reason, fee, rules, now);
        return Status == TripStatus.Scheduled ? cancelled.Released(TripActors.Rider, CancelledReleaseReason, now) : cancelled;
    }

    public long FeeForRiderCancellation(TripRules rules, DateTimeOffset now) =>
        FreeCancellationUntil(rules) is { } freeUntil && now > freeUntil ? CancellationFee(rules) : 0;

    /// <summary>
    /// What cancelling costs the rider, to show before they confirm: the fee now, when it stops being free (the
    /// current driver's assignment plus the free window; none while searching) and the fee after that. Null once the
    /// rider can no longer cancel.
    /// </summary>
    public CancellationTerms? CancellationTermsFor(TripRules rules, DateTimeOffset now) =>
        RiderMayCancel
            ? new CancellationTerms(FeeForRiderCancellation(rules, now), FreeCancellationUntil(rules), CancellationFee(rules), rules.FreeCancellationWindow)
            : null;

    private DateTimeOffset? FreeCancellationUntil(TripRules rules) =>
        Driver is { } driver && Status is TripStatus.DriverAssigned or TripStatus.DriverArrived
            ? driver.AssignedAt + rules.FreeCancellationWindow
            : null;

    private bool RiderMayCancel => Status is TripStatus.Scheduled or TripStatus.Searching or TripStatus.DriverAssigned or TripStatus.DriverArrived;

    /// <summary>
    /// Support cancels a trip that has not started (a rider who booked by mistake and cannot cancel, a trip stuck on a
    /// driver whose phone died): nobody pays a fee and nobody earns one. A ride under way is ended by its driver, and a
    /// repeat, or a trip already cancelled by anyone, changes nothing.
    /// </summary>
    /// <param name="by">Who cancels: support, or the system for a rider who deleted their account.</param>
    public Trip CancelBySupport(string reason, DateTimeOffset now, string by = TripActors.Operator)
    {
        if (Status == TripStatus.Cancelled) return this;
        if (Status is not (TripStatus.Scheduled or TripStatus.Searching or TripStatus.DriverAssigned or TripStatus.DriverArrived))
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; support can cancel a trip only before the ride starts.");
        }
        var cancelled = this with
        {
            Status = TripStatus.Cancelled,
            Cancellation = new Cancellation(by, reason, 0, now),
            Split = Split.Lapse(now),
            AmountDueMinor = 0,
            PaymentStatus = Domain.PaymentStatus.None,
            PaymentAttempt = 0,
            DriverEarnings = null,
            UpdatedAt = now,
        };
        return Status == TripStatus.Scheduled ? cancelled.Released(by, CancelledReleaseReason, now) : cancelled;
    }

    public const string NoShowReason = "The rider did not come to the pickup.";

    /// <summary>
    /// How long waiting at the pickup is free: <see cref="TripRules.FreeWait"/>, longer by
    /// <see cref="TripRules.WheelchairExtraFreeWait"/> for a wheelchair-accessible ride (ADR 0045: loading takes time).
    /// </summary>
    public TimeSpan FreeWait(TripRules rules) => rules.FreeWait + (WheelchairAccessible ? rules.WheelchairExtraFreeWait : TimeSpan.Zero);

    /// <summary>How long the driver waits before a no-show: longer by the same extra on a wheelchair-accessible ride, so a rider whose wait is still free is never one.</summary>
    public TimeSpan NoShowWait(TripRules rules) => rules.NoShowWait + (WheelchairAccessible ? rules.WheelchairExtraFreeWait : TimeSpan.Zero);

    /// <summary>When the assigned driver, waiting at the pickup, may report that the rider did not come; null unless waiting.</summary>
    public DateTimeOffset? NoShowFrom(TripRules rules) => Status == TripStatus.DriverArrived && ArrivedAt is { } arrived ? arrived + NoShowWait(rules) : null;

    /// <summary>
    /// The driver waited <see cref="TripRules.NoShowWait"/> at the pickup and the rider did not come: the trip is
    /// cancelled by the driver, the rider pays the cancellation fee and the driver earns it as from a late cancellation.
    /// Safe to repeat.
    /// </summary>
    public Trip ReportNoShow(string driverId, TripRules rules, DateTimeOffset now)
    {
        if (Status == TripStatus.Cancelled && Cancellation is { By: TripActors.Driver } && Driver?.DriverId == driverId) return this;
        RequireAssignedDriver(driverId);
        RequireStatus(TripStatus.DriverArrived, "report a no-show for");
        if (NoShowFrom(rules) is { } from && now < from)
        {
            throw new TripRuleException($"Wait for the rider until {from:HH:mm:ss} UTC ({NoShowWait(rules).TotalMinutes:0.#} min after arriving) before reporting that they did not come.");
        }
        return CancelledWithFee(TripActors.Driver, NoShowReason, CancellationFee(rules), rules, now);
    }

    /// <summary>Cancelled by <paramref name="by"/>; a fee (if any) is due from the rider and earned by the assigned driver less the service share.</summary>
    private Trip CancelledWithFee(string by, string reason, long fee, TripRules rules, DateTimeOffset now) => this with
    {
        Status = TripStatus.Cancelled,
        Cancellation = new Cancellation(by, reason, fee, now),
        Split = Split.Lapse(now),
        AmountDueMinor = fee,
        PaymentStatus = fee > 0 ? Domain.PaymentStatus.Pending : Domain.PaymentStatus.None,
        PaymentAttempt = fee > 0 ? 1 : 0,
        DriverEarnings = fee > 0 ? Domain.DriverEarnings.For(Domain.DriverEarnings.CancellationFee, fee, 0, rules.ServiceFeePercent, now) : null,
        UpdatedAt = now,
    };

    /// <summary>The assigned driver gives the trip up before the ride starts: it goes back to searching without them.</summary>
    public Trip CancelByDriver(string driverId, DateTimeOffset now)
    {
        if (DriversWhoCancelled.Contains(driverId) && Driver?.DriverId != driverId) return this;
        RequireAssignedDriver(driverId);
        if (Status is not (TripStatus.DriverAssigned or TripStatus.DriverArrived))
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; a driver can give it up only before the ride starts.");
        }
        return this with
        {
            Status = TripStatus.Searching,
            Driver = null,
            ArrivedAt = null,
            FreeWaitUntil = null,
            DriversWhoCancelled = [.. DriversWhoCancelled, driverId],
            UpdatedAt = now,
        };
    }

    /// <summary>Each side rates the other once, 1–5, after completion. The same rating again is a no-op.</summary>
    public Trip Rate(string userId, int stars, string? comment, DateTimeOffset now)
    {
        var byRider = userId == RiderId;
        if (!byRider && Driver?.DriverId != userId) throw new TripNotYoursException(Id);
        if (stars is < MinStars or > MaxStars) throw new ArgumentOutOfRangeException(nameof(stars), $"stars must be {MinStars}–{MaxStars}.");
        if (Status != TripStatus.Completed) throw new TripTransitionException($"Trip {Id} is {Status}; rate it after it is completed.");
        var existing = byRider ? DriverRating : RiderRating;
        if (existing is not null)
        {
            return existing.Stars == stars && existing.Comment == comment
                ? this
                : throw new TripTransitionException($"You already rated trip {Id}.");
        }
        var rating = new Rating(stars, comment, now);
        return byRider ? this with { DriverRating = rating, UpdatedAt = now } : this with { RiderRating = rating, UpdatedAt = now };
    }

    /// <summary>
    /// The rider paid <paramref name="paidMinor"/>. Paying what was due before a tip was added (the checkout without the
    /// tip, paid in the moment it was being replaced, or a saved card charged as the ride ended, before the tip came) pays
    /// the trip, and the tip, never charged, becomes a payment of its own (a new attempt, as a tip after paying: see
    /// <see cref="TipPaymentRequested"/>), earned by the driver once paid.
    /// </summary>
    public Trip MarkPaid(long paidMinor, DateTimeOffset now, string? sessionId = null, string? paidWith = null, long creditPaidMinor = 0)
    {
        // Waived, then paid all the same (a checkout of the failed attempt paid as support waived it; ADR 0053): the money
        // was taken, so the trip says paid (the waiver stays on record). Likewise a part waived: a payment of the whole
        // (that older checkout) paid the part too, which then no longer stands waived; a payment of the rest leaves it.
        if (PaymentStatus is not (Domain.PaymentStatus.Pending or Domain.PaymentStatus.Failed or Domain.PaymentStatus.Waived)) return this;
        var waivedPart = paidMinor >= AmountDueMinor ? 0 : FareWaivedMinor;
        var paid = this with
        {
            PaymentStatus = Domain.PaymentStatus.Paid, PaidSessionId = sessionId, PaidWith = paidWith, CreditPaidMinor = creditPaidMinor, FareWaivedMinor = waivedPart, UpdatedAt = now,
        };
        return Tip is { IsSeparate: false } tip && paidMinor + waivedPart == AmountDueMinor - tip.AmountMinor
            ? paid with
            {
                Tip = new Tip(tip.AmountMinor, tip.At, PaymentAttempt + 1, Domain.PaymentStatus.Pending),
                PaymentAttempt = PaymentAttempt + 1,
                AmountDueMinor = paidMinor,
                DriverEarnings = DriverEarnings?.WithTip(0),
            }
            : paid;
    }

    /// <summary>A tip of its own waits for the payment of the trip's current attempt (to be asked of payments).</summary>
    public bool TipPaymentRequested => Tip is { IsSeparate: true, PaymentStatus: Domain.PaymentStatus.Pending } tip && tip.SeparateAttempt == PaymentAttempt;

    /// <summary>
    /// Money went back to the rider: recorded once per refund id, in any order (<paramref name="sessionTotalMinor"/> is
    /// the payment's running total). A fare adjustment lowers the driver's earnings as if the fare had been lower; other
    /// refunds are the platform's. A refund of another payment than the one that paid the trip (a duplicate payment given
    /// back) is not the trip's and changes nothing. A refund of a tip paid on its own (kind <c>tip</c>) takes that much of
    /// the tip from the driver's earnings, as one of a lost item's return fee (kind <c>item_return</c>) does from the fee;
    /// <see cref="RefundedMinor"/> counts the fare's and the tip's (the ride's receipt); the fee's is the report's own
    /// (<see cref="ReturnFeeRefundedMinor"/>), as its charge is. A split fare's refund (ADR 0040) comes as one refund per
    /// rider's payment: <paramref name="riderId"/>, the payment's rider, tells an invitee's part (recorded with
    /// <see cref="TripRefund.InviteeId"/>) from the rider's; the driver's fare adjustment is their sum.
    /// </summary>
    public Trip RecordRefund(string sessionId, string refundId, long amountMinor, long sessionTotalMinor, string kind, DateTimeOffset now, string? riderId = null,
        long creditMinor = 0)
    {
        if (Refunds.Any(r => r.Id == refundId) || amountMinor <= 0) return this;
        if (kind == RefundKinds.Tip) return RecordTipRefund(refundId, amountMinor, now);
        if (kind == RefundKinds.ItemReturn) return RecordReturnFeeRefund(refundId, amountMinor, now);
        // A split fare's refund (ADR 0040) is shared among the payments of those who paid it: an invitee's part is theirs.
        var invitee = riderId is not null && riderId != RiderId
            ? Split.Invitations.FirstOrDefault(i => i.RiderId == riderId && i.ShareStatus == SplitShareStatus.Paid)?.RiderId
            : null;
        if (kind == RefundKinds.DuplicatePayment || (invitee is null && PaidSessionId is not null && PaidSessionId != sessionId)) return this;
        var refunds = Refunds.Append(new TripRefund(refundId, amountMinor, kind, now, invitee, creditMinor)).ToList();
        var adjusted = refunds.Where(r => r.Kind == RefundKinds.FareAdjustment).Sum(r => r.AmountMinor);
        var fareRefunded = Math.Min(AmountDueMinor, Math.Max(invitee is null ? sessionTotalMinor : 0, refunds.Where(r => r.Kind is not (RefundKinds.Tip or RefundKinds.ItemReturn)).Sum(r => r.AmountMinor)));
        return this with
        {
            Refunds = refunds,
            RefundedMinor = fareRefunded + TipRefundedMinor,
            DriverEarnings = kind == RefundKinds.FareAdjustment ? DriverEarnings?.WithFareAdjustment(adjusted) : DriverEarnings,
            UpdatedAt = now,
        };
    }

    /// <summary>What a split fare's invitee (ADR 0040) was given back of their share.</summary>
    public long RefundedToInviteeMinor(string inviteeId) => Refunds.Where(r => r.InviteeId == inviteeId).Sum(r => r.AmountMinor);

    /// <summary>What was given back to the rider themselves (<see cref="RefundedMinor"/> counts every rider's of a split fare).</summary>
    public long RefundedToRiderMinor => RefundedMinor - Refunds.Where(r => r.InviteeId is not null).Sum(r => r.AmountMinor);

    /// <summary>What was given back of a lost item's return fee (ADR 0035).</summary>
    public long ReturnFeeRefundedMinor => Refunds.Where(r => r.Kind == RefundKinds.ItemReturn).Sum(r => r.AmountMinor);

    /// <summary>A paid return fee given back (the item did not really come back): the driver no longer earns that part of it.</summary>
    private Trip RecordReturnFeeRefund(string refundId, long amountMinor, DateTimeOffset now)
    {
        if (LostItem is not { FeePaymentStatus: Domain.PaymentStatus.Paid } report) return this;
        var amount = Math.Min(amountMinor, report.ReturnFeeMinor - ReturnFeeRefundedMinor);
        if (amount <= 0) return this;
        var refunded = this with { Refunds = [.. Refunds, new TripRefund(refundId, amount, RefundKinds.ItemReturn, now)] };
        return refunded with
        {
            DriverEarnings = DriverEarnings?.WithItemReturn(report.ReturnFeeMinor - refunded.ReturnFeeRefundedMinor),
            UpdatedAt = now,
        };
    }

    /// <summary>What was given back of a tip paid on its own.</summary>
    public long TipRefundedMinor => Refunds.Where(r => r.Kind == RefundKinds.Tip).Sum(r => r.AmountMinor);

    private Trip RecordTipRefund(string refundId, long amountMinor, DateTimeOffset now)
    {
        if (Tip is not { IsSeparate: true, PaymentStatus: Domain.PaymentStatus.Paid } tip) return this;
        var amount = Math.Min(amountMinor, tip.AmountMinor - TipRefundedMinor);
        if (amount <= 0) return this;
        var refunded = this with { Refunds = [.. Refunds, new TripRefund(refundId, amount, RefundKinds.Tip, now)] };
        return refunded with
        {
            RefundedMinor = RefundedMinor + amount,
            DriverEarnings = DriverEarnings?.WithTip(tip.AmountMinor - refunded.TipRefundedMinor),
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The rider adds a tip for the driver to a completed trip (once; the same tip again changes nothing), all of it the
    /// driver's. Before paying: the amount due grows by it, a new payment attempt replaces the open one, and the driver
    /// earns it at once. After paying, within <see cref="TripRules.TipWindow"/> of completion: it is a payment of its own
    /// (a new attempt, <see cref="Tip.IsSeparate"/>), earned by the driver once paid; if that payment fails, the rider may
    /// tip again.
    /// </summary>
    public Trip AddTip(string riderId, long amountMinor, TripRules rules, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (amountMinor < 1 || amountMinor > rules.MaxTipMinor)
        {
            throw new TripRuleException($"A tip is from 1 to {rules.MaxTipMinor} minor units of {Currency}.");
        }
        if (Tip is { } existing && !(existing.IsSeparate && existing.PaymentStatus == Domain.PaymentStatus.Failed))
        {
            return existing.AmountMinor == amountMinor ? this : throw new TripTransitionException($"A tip was already added to trip {Id}.");
        }
        if (Status != TripStatus.Completed) throw new TripTransitionException($"Trip {Id} is {Status}; only a completed trip can be tipped.");
        // Paid, or waived by support (ADR 0053): a tip is a payment of its own, the driver earning it when it is paid.
        if (PaymentStatus is Domain.PaymentStatus.Paid or Domain.PaymentStatus.Waived)
        {
            if (TipUntil(rules) is not { } until || now > until)
            {
                throw new TripTransitionException($"Trip {Id} was completed more than {rules.TipWindow.TotalDays:0.##} days ago; it can no longer be tipped.");
            }
            return this with
            {
                Tip = new Tip(amountMinor, now, PaymentAttempt + 1, Domain.PaymentStatus.Pending),
                PaymentAttempt = PaymentAttempt + 1,
                UpdatedAt = now,
            };
        }
        if (PaymentStatus is not (Domain.PaymentStatus.Pending or Domain.PaymentStatus.Failed))
        {
            throw new TripTransitionException($"The payment of trip {Id} is {PaymentStatus}; it cannot be tipped.");
        }
        return this with
        {
            Tip = new Tip(amountMinor, now),
            AmountDueMinor = AmountDueMinor + amountMinor,
            PaymentStatus = Domain.PaymentStatus.Pending,
            PaymentAttempt = PaymentAttempt + 1,
            DriverEarnings = DriverEarnings?.WithTip(amountMinor),
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The latest a rider who paid (or whose fare support waived) may still tip (the tip window after completion), while
    /// they may: completed, paid or waived, and no tip yet or a separate one whose payment failed. Null otherwise.
    /// </summary>
    public DateTimeOffset? TipUntil(TripRules rules) =>
        Status == TripStatus.Completed && PaymentStatus is (Domain.PaymentStatus.Paid or Domain.PaymentStatus.Waived) && CompletedAt is { } completed
        && (Tip is null || Tip is { IsSeparate: true, PaymentStatus: Domain.PaymentStatus.Failed })
            ? completed + rules.TipWindow
            : null;

    /// <summary>
    /// A tip paid on its own went through (<paramref name="attempt"/>: its payment's): the driver earns it. Any other
    /// attempt's success, or a repeat, changes nothing.
    /// </summary>
    public Trip MarkTipPaid(int attempt, DateTimeOffset now) =>
        Tip is { IsSeparate: true } tip && tip.SeparateAttempt == attempt && tip.PaymentStatus != Domain.PaymentStatus.Paid
            ? this with
            {
                Tip = tip with { PaymentStatus = Domain.PaymentStatus.Paid },
                DriverEarnings = DriverEarnings?.WithTip(tip.AmountMinor),
                UpdatedAt = now,
            }
            : this;

    /// <summary>
    /// A failure never overrides a success, nor a newer attempt (<paramref name="attempt"/>: the failed one, 0 when not
    /// known): events of an older attempt can arrive late, and a tip replaces the open attempt. The failure of a tip paid
    /// on its own fails that tip only. <paramref name="creditPaidMinor"/>: what ride credit paid of the charge all the same
    /// (ADR 0051): the rider owes the rest.
    /// </summary>
    public Trip MarkPaymentFailed(int attempt, DateTimeOffset now, long creditPaidMinor = 0)
    {
        if (Tip is { IsSeparate: true } tip && attempt == tip.SeparateAttempt)
        {
            return tip.PaymentStatus == Domain.PaymentStatus.Pending
                ? this with { Tip = tip with { PaymentStatus = Domain.PaymentStatus.Failed }, UpdatedAt = now }
                : this;
        }
        if (LostItem is { FeeAttempt: > 0 } report && attempt == report.FeeAttempt)
        {
            return report.FeePaymentStatus == Domain.PaymentStatus.Pending
                ? WithLostItem(report with { FeePaymentStatus = Domain.PaymentStatus.Failed }, now)
                : this;
        }
        // The attempts after this one that are not a tip's or a return fee's (their own charges): a newer try of the fare.
        var newerOwnCharges = new[] { Tip is { IsSeparate: true } t ? t.SeparateAttempt : 0, LostItem?.FeeAttempt ?? 0 }.Count(a => a > attempt);
        return PaymentStatus == Domain.PaymentStatus.Pending && (attempt == 0 || PaymentAttempt - attempt - newerOwnCharges <= 0)
            ? this with { PaymentStatus = Domain.PaymentStatus.Failed, CreditPaidMinor = creditPaidMinor, UpdatedAt = now }
            : this;
    }

    /// <summary>
    /// After a payment's result (ADR 0039): once nothing is owed the reminders end; when a payment of what the rider owes
    /// failed and no reminders run, they start (<paramref name="started"/>: the rider is told now), the first after
    /// <paramref name="after"/>[0]. A payment that fails again while they run changes nothing: the rider is reminded on
    /// the times of the first failure.
    /// </summary>
    public Trip FollowUnpaid(IReadOnlyList<TimeSpan> after, DateTimeOffset now, out bool started)
    {
        started = false;
        // Nothing owed: a waiver asked for is void too, so a fee owed later never revives it.
        if (UnpaidFareMinor + UnpaidReturnFeeMinor == 0) return UnpaidReminders is null && WaiverRequest is null ? this : this with { UnpaidReminders = null, WaiverRequest = null };
        var failed = (PaymentStatus == Domain.PaymentStatus.Failed && AmountDueMinor > 0)
            || LostItem is { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Failed };
        if (UnpaidReminders is not null || !failed) return this;
        started = true;
        return this with { UnpaidReminders = new(now, 0, after.Count > 0 ? now + after[0] : null) };
    }

    /// <summary>The next reminder of what the rider owes went (<see cref="UnpaidRemindAtMs"/> came); unchanged when none is due.</summary>
    public Trip RemindUnpaid(IReadOnlyList<TimeSpan> after, DateTimeOffset now) =>
        UnpaidRemindAtMs is not null && UnpaidReminders!.NextAt <= now ? this with { UnpaidReminders = UnpaidReminders.Went(after, now) } : this;

    /// <summary>
    /// Support waives what the rider owes on the trip (ADR 0053): the fare or cancellation fee whose payment failed (what
    /// ride credit or the riders of a split fare paid of it stays paid) and a lost item's return fee whose payment failed,
    /// or only <paramref name="amountMinor"/> of it (null: all of it; see <see cref="PartOwed"/>): the rider then owes the
    /// rest, is reminded of it and pays it as before. The platform bears what is waived: the driver keeps what the fare
    /// earned them and earns a fee waived (whole) as if paid. Once nothing is owed the reminders end and the rider may book
    /// again. A payment still being made is refused (its result decides); nothing owed is refused, or changes nothing when
    /// support waived it before and no amount is named (a repeat). <paramref name="owedMinor"/>: what support saw owed (the
    /// fare part and the fee part); when the rider owes another amount now (the part was waived already: a retry; they paid
    /// some; a fee failed since) it is refused (<see cref="OwedChangedException"/>) and nothing changes.
    /// </summary>
    public Trip WaiveUnpaid(string operatorId, string reason, DateTimeOffset now, long? amountMinor = null, long? owedMinor = null) =>
        Waive(operatorId, reason, approvedBy: null, now, amountMinor, owedMinor);

    private Trip Waive(string operatorId, string reason, string? approvedBy, DateTimeOffset now, long? amountMinor = null, long? owedMinor = null)
    {
        var (fareFailed, fee) = Waivable();
        if (!fareFailed && fee is null)
        {
            if (Waivers.Count > 0 && amountMinor is null) return this;
            EnsureOwedAsSeen(owedMinor, 0);
            throw NothingToWaive();
        }
        EnsureOwedAsSeen(owedMinor, Owed(fareFailed, fee));
        var (farePart, feePart) = PartOwed(fareFailed, fee, amountMinor);
        var fareWhole = fareFailed && farePart == UnpaidFareMinor;
        var waiver = new PaymentWaiver(operatorId, reason, farePart, feePart, now, approvedBy);
        var waived = this with
        {
            PaymentStatus = fareWhole ? Domain.PaymentStatus.Waived : PaymentStatus,
            FareWaivedMinor = fareWhole ? 0 : FareWaivedMinor + farePart,
            Waivers = [.. Waivers, waiver],
            WaiverRequest = null,
            UpdatedAt = now,
        };
        if (feePart > 0)
        {
            waived = waived.WithLostItem(fee! with { FeePaymentStatus = Domain.PaymentStatus.Waived }, now) with { DriverEarnings = DriverEarnings?.WithItemReturn(fee.ReturnFeeMinor) };
        }
        // Something still owed: the reminders go on, of the rest, on the days of the first failure (ADR 0039).
        return waived.UnpaidFareMinor + waived.UnpaidReturnFeeMinor == 0 ? waived with { UnpaidReminders = null } : waived;
    }

    /// <summary>
    /// How <paramref name="amountMinor"/> (null: all that is owed) splits between the fare (or cancellation fee) and a lost
    /// item's return fee: the fare first, then the fee, which is a charge of its own waived whole or not at all. Refused
    /// (<see cref="WaiverAmountInvalidException"/>) when it is not above 0, above what is owed, or would waive part of the fee.
    /// </summary>
    private (long Fare, long Fee) PartOwed(bool fareFailed, LostItemReport? fee, long? amountMinor)
    {
        var fareOwed = fareFailed ? UnpaidFareMinor : 0;
        var feeOwed = fee?.ReturnFeeMinor ?? 0;
        if (amountMinor is not { } amount) return (fareOwed, feeOwed);
        if (amount <= 0) throw new WaiverAmountInvalidException("amountMinor must be above 0: the part of what the rider owes that support waives.");
        if (amount > fareOwed + feeOwed)
        {
            throw new WaiverAmountInvalidException($"amountMinor {amount} is more than the rider owes on trip {Id} ({fareOwed + feeOwed}); waive at most that.");
        }
        var farePart = Math.Min(amount, fareOwed);
        var feePart = amount - farePart;
        if (feePart > 0 && feePart != feeOwed)
        {
            throw new WaiverAmountInvalidException($"amountMinor {amount} would waive part of the lost item's return fee ({feeOwed}), which is waived whole or not at all: "
                + $"waive at most {fareOwed} (of the {(Cancellation is null ? "fare" : "cancellation fee")}) or all {fareOwed + feeOwed}.");
        }
        return (farePart, feePart);
    }

    /// <summary>
    /// What support may waive now: the fare or fee whose payment failed, a lost item's return fee whose payment failed.
    /// A payment of it still being made is refused (its result decides).
    /// </summary>
    private (bool FareFailed, LostItemReport? Fee) Waivable()
    {
        var fareFailed = PaymentStatus == Domain.PaymentStatus.Failed && AmountDueMinor > 0;
        var fee = LostItem is { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Failed } report ? report : null;
        if (!fareFailed && fee is null
            && (PaymentStatus == Domain.PaymentStatus.Pending && AmountDueMinor > 0 || LostItem is { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Pending }))
        {
            throw new TripTransitionException($"A payment of trip {Id} is being made; wait for its result before waiving it.");
        }
        return (fareFailed, fee);
    }

    private TripTransitionException NothingToWaive() => new($"Trip {Id} owes nothing; there is nothing to waive.");

    /// <summary>What support may waive now, the fare part and the fee part together (<see cref="Waivable"/>'s).</summary>
    private long Owed(bool fareFailed, LostItemReport? fee) => (fareFailed ? UnpaidFareMinor : 0) + (fee?.ReturnFeeMinor ?? 0);

    /// <summary>
    /// Refuses a waiver of what support saw owed (<paramref name="seenMinor"/>; null: not said) when the rider owes
    /// <paramref name="owedMinor"/> now: a part retried after it was waived would otherwise be waived twice.
    /// </summary>
    private void EnsureOwedAsSeen(long? seenMinor, long owedMinor)
    {
        if (seenMinor is not { } seen || seen == owedMinor) return;
        throw new OwedChangedException($"What the rider owes on trip {Id} changed to {Currencies.Display(owedMinor, Currency)} (you saw {Currencies.Display(seen, Currency)}): "
            + "nothing was waived; check and waive again.", owedMinor, Currency);
    }

    /// <summary>
    /// The waiver one support account asked for that awaits a colleague's approval (ADR 0053); null when none does. Void
    /// (null) once the rider owes nothing (they paid meanwhile), whatever is stored.
    /// </summary>
    public WaiverRequest? PendingWaiver => WaiverRequest is { } asked && UnpaidFareMinor + UnpaidReturnFeeMinor > 0 ? asked : null;

    /// <summary>
    /// Support asks to waive what the rider owes (ADR 0053): at or below the limit for the trip's currency
    /// (<see cref="WaiverRules.ApprovalAboveFor"/>; the fare part and the fee part together) it is waived at once
    /// (<see cref="WaiveUnpaid"/>); above it the request is kept for a colleague to approve (<see cref="PendingWaiver"/>)
    /// and nothing is waived yet. The limit applies to what is waived: all that is owed, or <paramref name="amountMinor"/>
    /// of it (a part, <see cref="WaiveUnpaid"/>). The refusals of a waiver apply to the request. The same account asking
    /// again while it awaits approval changes nothing (a retry; the first reason and amount stay); another account asking
    /// is refused: it approves or declines the pending one. A request that lapsed (<see cref="WaiverRules.RequestLapse"/>)
    /// is replaced by the new ask. <paramref name="owedMinor"/>: what support saw owed, checked as <see cref="WaiveUnpaid"/>
    /// does; the request keeps what was owed (<see cref="WaiverRequest.OwedMinor"/>) for its approval to check.
    /// </summary>
    public Trip AskToWaive(string operatorId, string reason, WaiverRules rules, DateTimeOffset now, long? amountMinor = null, long? owedMinor = null)
    {
        if (PendingWaiver is { } pending && !pending.LapsedAt(now, rules.RequestLapse))
        {
            if (pending.OperatorId == operatorId) return this;
            throw new WaiverRequestPendingException($"A colleague's waiver of trip {Id} awaits approval; approve or decline it.");
        }
        var (fareFailed, fee) = Waivable();
        if (!fareFailed && fee is null) return WaiveUnpaid(operatorId, reason, now, amountMinor, owedMinor);
        var owed = Owed(fareFailed, fee);
        EnsureOwedAsSeen(owedMinor, owed);
        var (farePart, feePart) = PartOwed(fareFailed, fee, amountMinor);
        var asked = new WaiverRequest(operatorId, reason, farePart, feePart, now,
            All: farePart == (fareFailed ? UnpaidFareMinor : 0) && feePart == (fee?.ReturnFeeMinor ?? 0), OwedMinor: owed);
        if (asked.TotalMinor <= rules.ApprovalAboveFor(Currency)) return WaiveUnpaid(operatorId, reason, now, amountMinor);
        return this with { WaiverRequest = asked, UpdatedAt = now };
    }

    /// <summary>
    /// Indexed: when the waiver awaiting a colleague's approval was asked (support's list of them, oldest first); null when
    /// none awaits. A lapsed one keeps its time: the list leaves out what was asked before <see cref="WaiverRules.RequestLapse"/>.
    /// </summary>
    public long? WaiverAskedAtMs => PendingWaiver?.At.ToUnixTimeMilliseconds();
    public const string WaiverAskedAtField = "waiverAskedAtMs";

    /// <summary>
    /// The <see cref="WaiverRequest.At"/> of the request awaiting approval the support desks were last told of (null: told
    /// none awaits); when it differs from <see cref="PendingWaiver"/>'s, the write tells them (<see cref="PublishWaiverRequest"/>).
    /// </summary>
    public DateTimeOffset? WaiverRequestToldAt { get; init; }

    /// <summary>
    /// Whether the request awaiting approval changed since the desks were last told (asked, approved, declined, voided by
    /// the rider paying, replaced after it lapsed); <paramref name="changed"/> then says so, and the trip is marked told.
    /// </summary>
    public Trip PublishWaiverRequest(out bool changed)
    {
        var awaiting = PendingWaiver?.At;
        changed = awaiting != WaiverRequestToldAt;
        return changed ? this with { WaiverRequestToldAt = awaiting } : this;
    }

    /// <summary>
    /// A colleague approves the waiver another support account asked for (ADR 0053): what is owed now is waived as
    /// <see cref="WaiveUnpaid"/> does, the waiver keeping who asked, why, and who approved. Refused for the account that
    /// asked; when none awaits approval (declined, or the rider paid meanwhile: "owes nothing"); when it lapsed
    /// (<see cref="WaiverRules.RequestLapse"/>: ask again); when the rider owes another amount than when it was asked
    /// (<see cref="OwedChangedException"/>: decline it and ask again). A part asked (<see cref="WaiverRequest.All"/> false)
    /// is waived as asked. The same approval again changes nothing; approving one that was declined is refused, naming it.
    /// <paramref name="askedAt"/>: when the request the colleague saw was asked (null: whichever awaits); another one
    /// awaiting (it replaced the one seen) is refused rather than approved unseen.
    /// </summary>
    public Trip ApproveWaiver(string operatorId, WaiverRules rules, DateTimeOffset now, DateTimeOffset? askedAt = null)
    {
        if (AnsweredAlready(askedAt) is { } answered)
        {
            if (answered.Outcome == WaiverRequestOutcome.Approved && answered.By == operatorId) return this;
            throw new WaiverRequestClosedException(answered.Outcome == WaiverRequestOutcome.Approved
                ? $"The request to waive what the rider owes on trip {Id} was approved already, by a colleague."
                : $"The request to waive what the rider owes on trip {Id} was declined; ask again.");
        }
        if (PendingWaiver is not { } asked)
        {
            var owesNothing = UnpaidFareMinor + UnpaidReturnFeeMinor == 0;
            // Approved before answers were kept (LastWaiverAnswer): the same approval again, its answer lost.
            if (LastWaiverAnswer is null && askedAt is null && Waivers.Count > 0 && Waivers[^1].ApprovedBy == operatorId && (owesNothing || WaiverRequest is null)) return this;
            throw new WaiverRequestClosedException(owesNothing
                ? $"Trip {Id} owes nothing; there is nothing to waive."
                : $"No waiver of trip {Id} awaits approval: it was declined, or none was asked for.");
        }
        if (askedAt is { } seen && seen != asked.At) throw Superseded(asked);
        if (asked.LapsedAt(now, rules.RequestLapse))
        {
            throw new WaiverRequestLapsedException($"The request to waive what the rider owes on trip {Id} lapsed ({rules.RequestLapse.TotalHours:0.##} hours after it was asked); ask again.");
        }
        if (asked.OperatorId == operatorId) throw new WaiverApprovalForbiddenException("A colleague must approve a waiver you asked for.");
        var (fareFailed, fee) = Waivable();
        var owed = Owed(fareFailed, fee);
        if (asked.OwedMinor is { } owedWhenAsked && owedWhenAsked != owed)
        {
            throw new OwedChangedException($"What the rider owes on trip {Id} changed to {Currencies.Display(owed, Currency)} since the waiver was asked "
                + $"(then {Currencies.Display(owedWhenAsked, Currency)}): nothing was waived; decline it and ask again.", owed, Currency);
        }
        // Requests stored before what was owed was kept: more owed now is refused, less (ride credit paid part) is waived as owed.
        if (asked.All && owed > asked.TotalMinor)
        {
            throw new WaiverRequestClosedException($"The rider owes more on trip {Id} now than was asked to be waived; decline it and ask again.");
        }
        // A part: the fare's part as asked (at most what is owed of it now) and the fee if it was asked and is still owed.
        long? part = asked.All ? null : Math.Min(asked.FareMinor, fareFailed ? UnpaidFareMinor : 0) + (asked.ReturnFeeMinor > 0 && fee is not null ? fee.ReturnFeeMinor : 0);
        if (part == 0) throw new WaiverRequestClosedException($"Nothing of what was asked to be waived on trip {Id} is owed now; decline it.");
        return Waive(asked.OperatorId, asked.Reason, operatorId, now, part) with
        {
            LastWaiverAnswer = new WaiverRequestAnswer(asked.At, WaiverRequestOutcome.Approved, operatorId, now),
        };
    }

    /// <summary>
    /// Either the account that asked (withdrawing it) or a colleague (declining it) ends a waiver awaiting approval
    /// (ADR 0053): nothing is waived, what the rider owes stays owed. None awaiting, or declined already: unchanged; one
    /// approved already is refused (it was waived). <paramref name="askedAt"/>: as for <see cref="ApproveWaiver"/>.
    /// </summary>
    public Trip DeclineWaiver(string operatorId, DateTimeOffset now, DateTimeOffset? askedAt = null)
    {
        if (AnsweredAlready(askedAt) is { } answered)
        {
            if (answered.Outcome == WaiverRequestOutcome.Declined) return this;
            throw new WaiverRequestClosedException($"The request to waive what the rider owes on trip {Id} was approved already: it was waived; there is nothing to decline.");
        }
        if (WaiverRequest is not { } asked) return this;
        if (askedAt is { } seen && seen != asked.At) throw Superseded(asked);
        return this with { WaiverRequest = null, LastWaiverAnswer = new WaiverRequestAnswer(asked.At, WaiverRequestOutcome.Declined, operatorId, now), UpdatedAt = now };
    }

    /// <summary>
    /// The answer already given to the request meant: the one asked at <paramref name="askedAt"/>, or (not named) the last
    /// one answered when none is stored awaiting. Null: it is not one answered.
    /// </summary>
    private WaiverRequestAnswer? AnsweredAlready(DateTimeOffset? askedAt) =>
        LastWaiverAnswer is { } answered && (askedAt is { } seen ? seen == answered.AskedAt : WaiverRequest is null) ? answered : null;

    private WaiverRequestClosedException Superseded(WaiverRequest awaiting) =>
        new($"The request to waive what the rider owes on trip {Id} you answered no longer awaits approval: another, asked {awaiting.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC, "
            + "replaced it; read the trip again.");

    /// <summary>The rider tries a failed payment again: a new attempt is requested.</summary>
    public Trip RetryPayment(string riderId, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (PaymentStatus != Domain.PaymentStatus.Failed)
        {
            throw new TripTransitionException($"The payment of trip {Id} is {PaymentStatus}; only a failed payment can be retried.");
        }
        return this with { PaymentStatus = Domain.PaymentStatus.Pending, PaymentAttempt = PaymentAttempt + 1, UpdatedAt = now };
    }

    /// <summary>
    /// The rider changes their note for the driver (<paramref name="note"/>, cleaned by <see cref="Domain.PickupNote.TryClean"/>;
    /// null removes it) until the pickup: booked for later (its search starts with it), searching (the offers show it
    /// from then on, one out at once), with the driver on the way or waiting (the driver is told). Once the ride started
    /// the pickup is past. The same note again changes nothing.
    /// </summary>
    public Trip ChangePickupNote(string riderId, string? note, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (!PickupNoteCanChange) throw new PickupNoteClosedException(Id, Status);
        return note == PickupNote ? this : this with { PickupNote = note, UpdatedAt = now };
    }

    /// <summary>
    /// The rider changes the ride's preferences (ADR 0049: "Quiet ride" in the middle of it) until it ends: booked for
    /// later, searching, the driver on the way or waiting, riding. The same preferences again change nothing.
    /// </summary>
    public Trip ChangePreferences(string riderId, RidePreferences preferences, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (Status != TripStatus.Scheduled && !IsActive) throw new RidePreferencesClosedException(Id, Status);
        return preferences == Preferences ? this : this with { Preferences = preferences, UpdatedAt = now };
    }

    /// <summary>
    /// The rider moves the pickup a little (ADR 0046: the other entrance, across the road) while a driver is on the way,
    /// or before the search of a ride booked for later starts: at most <see cref="TripRules.MaxPickupMoveMeters"/> from
    /// where they booked it (<see cref="BookedPickup"/>, so moves cannot add up to another ride), at most
    /// <see cref="TripRules.MaxPickupMoves"/> times. The upfront fare stays as agreed. The same spot again changes nothing.
    /// <paramref name="samePrices"/>: the prices at the new spot are the booked ones (same area, same place fees);
    /// otherwise the move is refused (it would be another ride: cancel and book again there).
    /// </summary>
    public Trip MovePickup(string riderId, GeoPoint pickup, bool samePrices, TripRules rules, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        switch (Status)
        {
            case TripStatus.Searching:
                throw new PickupMoveClosedException(Id, "is still finding a driver for this pickup; move it once a driver accepts, or cancel (free) and book again.");
            case TripStatus.DriverArrived:
                throw new PickupMoveClosedException(Id, "has its driver waiting at the pickup already; send them a message or a note instead.");
            case not (TripStatus.Scheduled or TripStatus.DriverAssigned):
                throw new PickupMoveClosedException(Id, $"is {Status}; the pickup can move only while the driver is on the way, or before a ride booked for later starts.");
        }
        if (pickup == Pickup) return this;
        var booked = BookedPickup ?? Pickup;
        var away = Geo.DistanceMeters(booked, pickup);
        if (away > rules.MaxPickupMoveMeters)
        {
            throw new TripRuleException($"location is {away:0} m from the pickup you booked; it can move at most {rules.MaxPickupMoveMeters:0} m (further: cancel and book a ride from there).");
        }
        if (!samePrices) throw new TripRuleException("location is priced differently from the pickup you booked (another area or a place with a fee); cancel and book a ride from there.");
        if (PickupMoves >= rules.MaxPickupMoves) throw new TripRuleException($"The pickup of trip {Id} was moved {PickupMoves} times already, the most a trip allows.");
        return this with { Pickup = pickup, BookedPickup = booked, PickupMoves = PickupMoves + 1, UpdatedAt = now };
    }

    /// <summary>Whether the rider may still change their note for the driver: until the pickup.</summary>
    public bool PickupNoteCanChange => Status is TripStatus.Scheduled or TripStatus.Searching or TripStatus.DriverAssigned or TripStatus.DriverArrived;

    /// <summary>
    /// The rider's account was erased: the phone of the guest they booked for is forgotten (a third person's number, given
    /// only for the pickup), and the phone they left with a lost-item report (ADR 0035). The guest's first name stays with
    /// the trip, as its messages do (ADR 0014, 0031), and so do the reports' descriptions.
    /// </summary>
    public Trip ForgetGuestPhone(DateTimeOffset now) =>
        GuestPhoneOf is null
            ? this
            : this with
            {
                Passenger = Passenger is { } guest ? guest with { Phone = null } : null,
                LostItems = [.. LostItems.Select(r => r with { Phone = "" })],
                UpdatedAt = now,
            };

    /// <summary>
    /// The rider switches a completed ride between personal and business (or changes its memo) for
    /// <see cref="RideProfile.SwitchWindow"/> after it ended: expense reports are written after the ride, and a month's
    /// report must not change long after it was filed. The same choice again changes nothing.
    /// </summary>
    public Trip SwitchProfile(string riderId, RideProfile profile, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (Status != TripStatus.Completed || CompletedAt is not { } completedAt) throw new RideProfileClosedException(Id, $"is {Status}");
        if (now - completedAt > RideProfile.SwitchWindow) throw new RideProfileClosedException(Id, $"ended on {completedAt:yyyy-MM-dd}");
        if (PayInCash && profile.IsBusiness) throw new RideProfileClosedException(Id, "was paid in cash (a business ride is paid with a card)");
        return profile == Profile ? this : this with { Profile = profile, UpdatedAt = now };
    }

    /// <summary>
    /// The rider reports something left in the car (ADR 0035): only a ride that took place (completed: the rider was in
    /// the car from the pickup; a cancelled trip never had them aboard) and within <see cref="HelpRequest.AskWithin"/> of
    /// its end; one open report at a time, and after one ended without the item (not found, closed) another, up to
    /// <see cref="LostItemReport.MaxPerTrip"/>; none after the item was returned. <paramref name="returnFeeMinor"/>: the
    /// city's fee the rider is told of now, charged if the driver returns it. The same report again changes nothing.
    /// </summary>
    public Trip ReportLostItem(string riderId, string description, string phone, long returnFeeMinor, LostItemRules rules, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (LostItemReport.CleanDescription(description) != description) throw new ArgumentException("description must be 1 to 300 characters.", nameof(description));
        if (TripPassenger.CleanPhone(phone) != phone) throw new ArgumentException("phone must be + and 7 to 15 digits.", nameof(phone));
        if (LostItem is { IsOpen: true } open)
        {
            return open.Description == description && open.Phone == phone
                ? this
                : throw new LostItemClosedException($"A lost item is reported for trip {Id} already ({open.Status}); close it before reporting another.");
        }
        if (Status != TripStatus.Completed || CompletedAt is not { } completedAt)
        {
            throw new LostItemClosedException($"Trip {Id} is {Status}; a lost item is reported for a ride that took place.");
        }
        if (now - completedAt > HelpRequest.AskWithin)
        {
            throw new LostItemClosedException($"Trip {Id} ended on {completedAt:yyyy-MM-dd}, more than {HelpRequest.AskWithin.TotalDays:0} days ago; ask support for help instead.");
        }
        if (LostItem is { Status: LostItemStatus.Returned }) throw new LostItemClosedException($"The item left on trip {Id} was returned; for anything else, ask support for help.");
        if (LostItems.Count >= LostItemReport.MaxPerTrip)
        {
            throw new LostItemClosedException($"Trip {Id} had {LostItemReport.MaxPerTrip} lost-item reports, the most a trip takes; ask support for help instead.");
        }
        var report = new LostItemReport(LostItems.Count + 1, description, phone, Math.Max(0, returnFeeMinor), now, now + rules.DriverAnswerWithin);
        return this with { LostItems = [.. LostItems, report], UpdatedAt = now };
    }

    /// <summary>
    /// The trip's driver answers the open report: they have it (<paramref name="found"/>, with <paramref name="note"/>
    /// saying where and when they can hand it back; required) or it is not in the car (the rider may report again). The
    /// same answer again changes nothing; any other after the first is a conflict.
    /// </summary>
    public Trip AnswerLostItem(string driverId, bool found, string? note, DateTimeOffset now)
    {
        RequireAssignedDriver(driverId);
        if (found && note is null) throw new ArgumentException("note is required when you have the item: where and when you can hand it back.", nameof(note));
        var status = found ? LostItemStatus.Found : LostItemStatus.NotFound;
        if (LostItem is not { Status: LostItemStatus.Reported } report)
        {
            return LostItem is { } answered && answered.Status == status && answered.DriverNote == note
                ? this
                : throw new LostItemClosedException($"Trip {Id} has no lost-item report waiting for your answer{(LostItem is { } last ? $" (it is {last.Status})" : "")}.");
        }
        return WithLostItem(report with { Status = status, DriverNote = note, AnsweredAt = now }, now);
    }

    /// <summary>
    /// The driver handed the item back (only one they said they have): the return fee becomes a payment of its own (a new
    /// attempt, like a tip after paying; <see cref="LostItemReport.FeeAttempt"/>), the driver's once paid. Again: unchanged.
    /// </summary>
    public Trip MarkLostItemReturned(string driverId, DateTimeOffset now)
    {
        RequireAssignedDriver(driverId);
        if (LostItem is { Status: LostItemStatus.Returned }) return this;
        if (LostItem is not { Status: LostItemStatus.Found } report)
        {
            throw new LostItemClosedException($"Trip {Id} has no lost item you said you have{(LostItem is { } last ? $" (it is {last.Status})" : "")}; answer \"I have it\" first.");
        }
        var returned = report with { Status = LostItemStatus.Returned, ReturnedAt = now };
        return report.ReturnFeeMinor > 0
            ? WithLostItem(returned with { FeeAttempt = PaymentAttempt + 1, FeePaymentStatus = Domain.PaymentStatus.Pending }, now) with { PaymentAttempt = PaymentAttempt + 1 }
            : WithLostItem(returned, now);
    }

    /// <summary>
    /// The rider pays again a return fee whose payment failed (a declined card): a new attempt of its own, like the first,
    /// charged to the card payments picks for it now (another one the rider saved meanwhile) or through a payment link.
    /// Only a failed fee: one paid or being charged is refused, and so is a report without a fee.
    /// </summary>
    public Trip RetryReturnFee(string riderId, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (LostItem is not { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Failed } report)
        {
            throw new LostItemClosedException(LostItem is { FeeAttempt: > 0 } charged
                ? $"The return fee of trip {Id} is {charged.FeePaymentStatus}; only a failed payment can be made again."
                : $"Trip {Id} has no return fee to pay.");
        }
        return WithLostItem(report with { FeeAttempt = PaymentAttempt + 1, FeePaymentStatus = Domain.PaymentStatus.Pending }, now) with { PaymentAttempt = PaymentAttempt + 1 };
    }

    /// <summary>The rider closes the open report (they got the item another way, or no longer need it); not once it was returned. Again: unchanged.</summary>
    public Trip CloseLostItem(string riderId, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (LostItem is { Status: LostItemStatus.Closed }) return this;
        if (LostItem is not { IsOpen: true } report)
        {
            throw new LostItemClosedException($"Trip {Id} has no open lost-item report{(LostItem is { } last ? $" (it is {last.Status})" : "")}.");
        }
        return WithLostItem(report with { Status = LostItemStatus.Closed, ClosedAt = now }, now);
    }

    /// <summary>The driver did not answer in time: the report is marked as sent to support (it stays open). Unchanged when not due or answered.</summary>
    public Trip LostItemUnanswered(DateTimeOffset now) =>
        LostItem is { Status: LostItemStatus.Reported, SupportAlertedAt: null } waiting && waiting.AnswerBy <= now
            ? WithLostItem(waiting with { SupportAlertedAt = now }, now)
            : this;

    /// <summary>
    /// The return fee went through (<paramref name="attempt"/>: its payment's): all of it the driver's. Any other attempt, or
    /// a repeat: unchanged. Also after support waived it (ADR 0053): the money was taken all the same.
    /// </summary>
    public Trip MarkReturnFeePaid(int attempt, DateTimeOffset now) =>
        LostItem is { FeeAttempt: > 0 } report && report.FeeAttempt == attempt && report.FeePaymentStatus != Domain.PaymentStatus.Paid
            ? WithLostItem(report with { FeePaymentStatus = Domain.PaymentStatus.Paid }, now) with { DriverEarnings = DriverEarnings?.WithItemReturn(report.ReturnFeeMinor) }
            : this;

    /// <summary>The return fee waits for the payment of the trip's current attempt (to be asked of payments).</summary>
    public bool ReturnFeePaymentRequested => LostItem is { FeeAttempt: > 0, FeePaymentStatus: Domain.PaymentStatus.Pending } report && report.FeeAttempt == PaymentAttempt;

    private Trip WithLostItem(LostItemReport report, DateTimeOffset now) => this with { LostItems = [.. LostItems.SkipLast(1), report], UpdatedAt = now };

    /// <summary>A new drop-off closer than this to the current one is the same place: a repeated request changes nothing.</summary>
    public const double SameDropoffMeters = 1;

    /// <summary>Before the ride starts, a drop-off must be at least this far from the pickup (as for a quote).</summary>
    public const double MinRideMeters = 50;

    /// <summary>
    /// What the fare of a ride to <paramref name="dropoff"/> is priced on, checking that the rider may change the
    /// drop-off now: before the ride, pickup → new drop-off; once riding, pickup → where the car is (its last stored
    /// position) → new drop-off, so the way already driven is paid for. Empty when <paramref name="dropoff"/> is the
    /// drop-off already (nothing to change).
    /// </summary>
    public IReadOnlyList<(GeoPoint From, GeoPoint To)> DestinationChangeLegs(string riderId, GeoPoint dropoff, TripRules rules)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (Contracts.Geo.DistanceMeters(dropoff, Dropoff) < SameDropoffMeters) return [];
        if (Status is not (TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress))
        {
            throw new TripTransitionException(Status == TripStatus.Searching
                ? $"Trip {Id} is still searching for a driver; cancel it (free until a driver is assigned) and book the new destination."
                : $"Trip {Id} is {Status}; the destination can change only while a driver is on the way or riding.");
        }
        if (DestinationChanges.Count >= rules.MaxDestinationChanges)
        {
            throw new TripRuleException($"The destination of trip {Id} was changed {DestinationChanges.Count} times already, the most a trip allows.");
        }
        // The way through the stops: those reached, then the car (once riding), then those still ahead, then the new drop-off.
        var path = new List<GeoPoint> { Pickup };
        if (Status == TripStatus.InProgress && Driver?.Location is { } car)
        {
            path.AddRange(Stops.Where(s => s.ReachedAt is not null).Select(s => s.Location));
            path.Add(car);
            path.AddRange(Stops.Where(s => s.ReachedAt is null).Select(s => s.Location));
        }
        else
        {
            if (Contracts.Geo.DistanceMeters(Stops.Count > 0 ? Stops[^1].Location : Pickup, dropoff) < MinRideMeters)
            {
                throw new TripRuleException($"The new drop-off is less than {MinRideMeters:F0} m from the {(Stops.Count > 0 ? "last stop" : "pickup")}.");
            }
            path.AddRange(Stops.Select(s => s.Location));
        }
        path.Add(dropoff);
        return Legs(path);
    }

    /// <summary>The legs of a path through these points, in order.</summary>
    public static IReadOnlyList<(GeoPoint From, GeoPoint To)> Legs(IReadOnlyList<GeoPoint> points) =>
        [.. points.Zip(points.Skip(1), (from, to) => (from, to))];

    /// <summary>
    /// The rider changes the drop-off while a driver is on the way or riding: the route and the upfront fare become those
    /// of <paramref name="route"/> and <paramref name="fare"/> (priced on <see cref="DestinationChangeLegs"/>, with the
    /// trip's tariff and surge), and the change is recorded. The same drop-off again changes nothing.
    /// </summary>
    /// <param name="maxFareMinor">
    /// The most the rider agreed to pay, from the price they were shown: a higher fare (the car moved on since) refuses
    /// the change and changes nothing.
    /// </param>
    public Trip ChangeDestination(string riderId, GeoPoint dropoff, RouteEstimate route, FareBreakdown fare, long maxFareMinor, TripRules rules, DateTimeOffset now)
    {
        if (DestinationChangeLegs(riderId, dropoff, rules).Count == 0) return this;
        if (fare.TotalMinor > maxFareMinor) throw new FareNotAcceptedException(Id, fare.TotalMinor, Currency, maxFareMinor);
        return this with
        {
            Dropoff = dropoff,
            FareMinor = fare.TotalMinor,
            Breakdown = fare,
            DistanceMeters = route.DistanceMeters,
            DurationSeconds = route.DurationSeconds,
            DestinationChanges = [.. DestinationChanges, new DestinationChange(Dropoff, dropoff, FareMinor, fare.TotalMinor, now)],
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// What payments says the rider's card holds for the ride (ADR 0029, 0030): <paramref name="hold"/> (null: nothing any
    /// more), as written at <paramref name="version"/> — the booking's answer, a raise for a new destination (held, or kept
    /// with the bank's decline), a move to another card (ADR 0032), or an answer that came after trips stopped waiting. An
    /// answer no newer than the one the trip has changes nothing (answers can cross). The card a hold is on is the ride's
    /// card from then on. A trip that ended keeps its hold as it was (a ride booked for later whose search is starting
    /// does not: its hold is being placed), except for a hold moved to another card just before the end: the fare is taken
    /// from that card, which is the ride's.
    /// </summary>
    public Trip HoldAnswered(TripPaymentHold? hold, long version, DateTimeOffset now)
    {
        if (version <= PaymentHoldVersion) return this;
        if (!CardCanChange && (hold?.CardId is null || hold.CardId == CardId)) return this;
        return this with
        {
            PaymentHold = hold, PaymentHoldVersion = version, UpdatedAt = Equals(hold, PaymentHold) ? UpdatedAt : now,
            CardId = hold?.CardId ?? CardId,
        };
    }

    /// <summary>Whether the ride's card may still change (ADR 0032), and its hold with it: until the ride ends.</summary>
    public bool CardCanChange => IsActive || Status == TripStatus.Scheduled;

    /// <summary>Refuses anyone but the rider, and a ride that ended, before payments is asked to move a hold.</summary>
    public void EnsureCardMayChange(string riderId)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (!CardCanChange) throw new TripTransitionException($"Trip {Id} is {Status}; the card a ride is paid with can change only until it ends.");
        if (PayInCash) throw new TripTransitionException($"Trip {Id} is paid in cash to the driver; it has no card to change.");
    }

    /// <summary>
    /// The rider pays this ride with another of their saved cards, <paramref name="cardId"/> (ADR 0032), on which payments
    /// now holds <paramref name="hold"/> (written at <paramref name="holdVersion"/>; a ride booked for later has none until
    /// its search starts, and is then held on this card). Only its rider, and only until the ride ends — unless payments
    /// already moved the hold to that card: a ride that ended in the meantime had its fare taken from it.
    /// </summary>
    public Trip PayWith(string riderId, string cardId, TripPaymentHold? hold, long holdVersion, DateTimeOffset now)
    {
        if (hold?.CardId != cardId) EnsureCardMayChange(riderId);
        else if (riderId != RiderId) throw new TripNotYoursException(Id);
        var paid = this with { CardId = cardId, UpdatedAt = now };
        return holdVersion > PaymentHoldVersion ? paid with { PaymentHold = hold, PaymentHoldVersion = holdVersion } : paid;
    }

    /// <summary>
    /// The rider shares the trip with whoever holds <paramref name="token"/> (an unguessable value the caller makes):
    /// only while it is under way; sharing a shared trip keeps its token (the same link again).
    /// </summary>
    public Trip StartSharing(string riderId, string token, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (!IsActive) throw new TripTransitionException($"Trip {Id} is {Status}; only a trip under way can be shared.");
        if (Share is not null) return this;
        return this with { Share = new TripShare(token, now), UpdatedAt = now };
    }

    /// <summary>The rider stops sharing: the link shows nothing from now on (sharing again makes a new one).</summary>
    public Trip StopSharing(string riderId, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        return Share is null ? this : this with { Share = null, UpdatedAt = now };
    }

    /// <summary>
    /// Whether the holder of <paramref name="token"/> may see the trip now: it is shared with that token, and under way
    /// or ended at most <paramref name="afterEnd"/> ago (so whoever follows it sees it arrive).
    /// </summary>
    public bool IsSharedWith(string token, TimeSpan afterEnd, DateTimeOffset now) =>
        Share is { } share && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(share.Token), Encoding.UTF8.GetBytes(token))
        && (IsActive || (EndedAt is { } ended && now <= ended + afterEnd));

    /// <summary>When the trip ended (completed, cancelled, or no driver found); null while it is under way.</summary>
    public DateTimeOffset? EndedAt => Status switch
    {
        TripStatus.Completed => CompletedAt,
        TripStatus.Cancelled => Cancellation?.At ?? UpdatedAt,
        TripStatus.NoDriversFound => UpdatedAt,
        _ => null,
    };

    /// <summary>
    /// Who <paramref name="userId"/> is in the trip's conversation (rider or driver): only its rider and assigned driver,
    /// and only while the driver is on the way, waiting or riding.
    /// </summary>
    public string MessageSenderRole(string userId)
    {
        var role = userId == RiderId ? TripActors.Rider : userId == DriverId ? TripActors.Driver : throw new TripNotYoursException(Id);
        return Status is TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress
            ? role
            : throw new TripTransitionException($"Trip {Id} is {Status}; messages can be sent while a driver is on the way or riding.");
    }

    public bool BelongsTo(string riderId) => RiderId == riderId;

    /// <summary>
    /// The rider asks another rider (<paramref name="inviteeId"/>, found by the gateway from their email) to split the fare
    /// (ADR 0040): while the ride is under way, not a business ride. Bad input: <see cref="SplitFareInvalidException"/>;
    /// a trip that does not allow it: <see cref="SplitFareClosedException"/>.
    /// </summary>
    public Trip InviteToSplit(string riderId, string inviteeId, string inviteeName, string requesterName, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        if (Profile.IsBusiness) throw new SplitFareClosedException($"Trip {Id} is a business ride; its fare is not split.");
        if (PayInCash) throw new SplitFareClosedException($"Trip {Id} is paid in cash to the driver; its fare is not split.");
        if (!IsActive)
        {
            throw new SplitFareClosedException(Status == TripStatus.Scheduled
                ? $"Trip {Id} is booked for later; its fare can be split once it looks for a driver."
                : $"Trip {Id} is {Status}; a fare is split only while the ride is under way.");
        }
        var split = Split.Invite(inviteeId, inviteeName, riderId, requesterName, now);
        return ReferenceEquals(split, Split) ? this : this with { Split = split, UpdatedAt = now };
    }

    /// <summary>The rider takes back an invitation not answered yet; withdrawing it again changes nothing.</summary>
    public Trip WithdrawSplitInvitation(string riderId, string inviteeId, DateTimeOffset now)
    {
        if (riderId != RiderId) throw new TripNotYoursException(Id);
        var split = Split.Withdraw(Id, inviteeId, now);
        if (ReferenceEquals(split, Split)) return this;
        if (!IsActive) throw new SplitFareClosedException($"Trip {Id} is {Status}; its invitations have lapsed.");
        return this with { Split = split, UpdatedAt = now };
    }

    /// <summary>
    /// The invitee accepts, with the saved card their share is charged to, or declines, while the ride is under way. The
    /// same answer again changes nothing.
    /// </summary>
    public Trip AnswerSplitInvitation(string inviteeId, bool accept, string? cardId, DateTimeOffset now)
    {
        if (Split.Of(inviteeId) is { Status: SplitInvitationStatus.Lapsed })
        {
            throw new SplitFareClosedException("The ride ended before you answered; the invitation lapsed.");
        }
        var split = Split.Answer(Id, inviteeId, accept, cardId, now);
        if (ReferenceEquals(split, Split)) return this;
        if (!IsActive) throw new SplitFareClosedException($"Trip {Id} is {Status}; the invitation lapsed.");
        return this with { Split = split, UpdatedAt = now };
    }

    /// <summary>Payments charged (or could not charge) an invitee's share; a declined share was paid by the rider.</summary>
    public Trip SplitShareCharged(string inviteeId, bool paid, string? cardLabel, string? declineCode, DateTimeOffset now)
    {
        var split = Split.ShareCharged(inviteeId, paid, cardLabel, declineCode);
        return ReferenceEquals(split, Split) ? this : this with { Split = split, UpdatedAt = now };
    }

    /// <summary>An account of this trip's split fare was erased (ADR 0040): see <see cref="SplitFare.ForgetInvitee"/> and <see cref="SplitFare.ForgetRequester"/>.</summary>
    public Trip ForgetSplitRider(string riderId, DateTimeOffset now)
    {
        var split = riderId == RiderId ? Split.ForgetRequester() : Split.ForgetInvitee(riderId, now);
        return ReferenceEquals(split, Split) ? this : this with { Split = split, UpdatedAt = now };
    }

    /// <summary>Whether <paramref name="riderId"/> was asked to split this trip's fare (and did not have it withdrawn).</summary>
    public bool IsSplitWith(string riderId) => Split.Of(riderId) is { Status: not SplitInvitationStatus.Withdrawn };

    /// <summary>The driver gave this trip up and is not (again) its driver now.</summary>
    public bool WasGivenUpBy(string driverId) => DriverId != driverId && DriversWhoCancelled.Contains(driverId);

    /// <summary>Not finished: the rider or driver is still waiting, riding or driving for it.</summary>
    /// <summary>
    /// The trip with its driver's earnings marked as told to payments, and what to tell, when they changed since the last
    /// time (ADR 0025): each change is a line of the driver's ledger, named by the trip and <see cref="EarningsPublication.Revision"/>.
    /// The earnings stay the first earning driver's.
    /// </summary>
    /// A ride paid in cash (ADR 0042) is told as what the ledger owes the driver: their earnings less the cash they
    /// collected, negative when the platform's part is more (its first change is a <c>cash_collected</c> line).
    public (Trip Trip, EarningsPublication? Change) PublishEarnings()
    {
        var earnings = DriverEarnings?.OwedMinor ?? 0;
        var published = EarningsPublished;
        if (earnings == (published?.EarningsMinor ?? 0)) return (this, null);
        if ((published?.DriverId ?? DriverId) is not { } driverId) return (this, null);
        var kind = published is null && DriverEarnings is { CashCollectedMinor: > 0 } ? Domain.DriverEarnings.CashCollected : DriverEarnings?.Kind ?? Domain.DriverEarnings.Fare;
        var change = new EarningsPublication(driverId, earnings, published?.EarningsMinor ?? 0, (published?.Revision ?? 0) + 1, kind);
        return (this with { EarningsPublished = change }, change);
    }

    public bool IsActive => Status is TripStatus.Searching or TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress;

    private void RequireAssignedDriver(string driverId)
    {
        if (Driver?.DriverId != driverId) throw new TripNotYoursException(Id);
    }

    private void RequireStatus(string status, string action)
    {
        if (Status != status) throw new TripTransitionException($"Trip {Id} is {Status}; cannot {action} it.");
    }
}

/// <summary>The transition is not possible from the trip's current state.</summary>
public sealed class TripTransitionException(string message) : Exception(message);

/// <summary>A rule refuses the action (too far from the pickup, no position yet, …).</summary>
public sealed class TripRuleException(string message) : Exception(message);

/// <summary>
/// Money held on the rider's card for the ride (ADR 0027): which card, and how much. <paramref name="RaiseDeclineCode"/>:
/// the bank declined holding a new destination's higher price (ADR 0029), so less than the fare is held.
/// </summary>
/// <paramref name="CardId"/>: the saved card it is on (null in trips written before payments said so).
public sealed record TripPaymentHold(string CardLabel, long AmountMinor, string? RaiseDeclineCode = null, string? CardId = null);

/// <summary>
/// Cancelling now costs more than the rider agreed to (they saw "free", the window ended before their request arrived):
/// nothing changed; they confirm again with the fee.
/// </summary>
public sealed class CancellationFeeNotAcceptedException(string tripId, long feeMinor, string currency, DateTimeOffset? freeUntil, long acceptedMinor)
    : Exception($"Cancelling trip {tripId} now costs a fee of {feeMinor} (minor units of {currency}); the free cancellation "
        + $"ended at {freeUntil:O}. Nothing was cancelled: cancel again with maxFeeMinor of at least {feeMinor} to accept the fee "
        + $"(this request accepted {acceptedMinor}).")
{
    public long FeeMinor { get; } = feeMinor;
}

/// <summary>
/// The fare of the new destination is more than the rider agreed to (the car moved on since they saw the price):
/// nothing changed; they confirm again with the new fare.
/// </summary>
public sealed class FareNotAcceptedException(string tripId, long fareMinor, string currency, long acceptedMinor)
    : Exception($"The fare of trip {tripId} to the new destination is now {Currencies.Display(fareMinor, currency)}, more than the "
        + $"{Currencies.Display(acceptedMinor, currency)} you accepted (the car moved on). Nothing was changed: confirm the new fare (maxFareMinor {fareMinor}).")
{
    public long FareMinor { get; } = fareMinor;
}

/// <summary>The actor is neither the trip's rider nor its assigned driver: to them the trip does not exist.</summary>
public sealed class TripNotYoursException(string tripId) : Exception($"Trip {tripId} was not found.");
