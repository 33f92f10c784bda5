using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Promotions;
using UberClone.Trips.Quests;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Application;

/// <summary>Trips and quotes in the service's document database.</summary>
public sealed class TripRepository(IDocumentDatabase database)
{
    /// <summary>
    /// Trips; each write that changes what a driver earns tells payments in the same write, and each that changes a waiver
    /// awaiting approval tells the support desks (<see cref="TripPublishingStore"/>).
    /// </summary>
    public IDocumentStore<Trip> Trips { get; } = new TripPublishingStore(
        database.Collection<Trip>("trips", "riderId", "driverId", "status", Trip.DispatchAtField, Trip.RemindAtField, Trip.ReservedByField, Trip.ReservableAtField, Trip.ReservableCellAtField, Trip.DrivingDriverField, Trip.DriverRemindAtField, Trip.GuestPhoneOfField, Trip.SafetyAlertAtField,
            Trip.LastHeardAtField, Trip.LostItemAnswerByField, Trip.UnpaidRemindAtField, Trip.WaiverAskedAtField));
    public IDocumentStore<Quote> Quotes { get; } = database.Collection<Quote>("quotes", "riderId", Quote.ExpiresAtField);

    /// <summary>Per rider (id = rider id), the trip they booked last: what makes "one trip at a time" hold under races.</summary>
    public IDocumentStore<RiderBooking> RiderBookings { get; } = database.Collection<RiderBooking>("rider_bookings");

    /// <summary>Per driver (id = driver id), the reservations they claimed (ADR 0050): what makes their limits hold under races.</summary>
    public IDocumentStore<DriverReservationLedger> ReservationLedgers { get; } = database.Collection<DriverReservationLedger>("reservation_ledgers");

    /// <summary>
    /// Trips a driver gave up (id = "{driverId}:{tripId}", indexed by driver): the trip no longer names them, but their
    /// history still shows it.
    /// </summary>
    public IDocumentStore<GivenUpTrip> GivenUpTrips { get; } = database.Collection<GivenUpTrip>("given_up_trips", "driverId");

    /// <summary>A pointer per rider asked to split a trip's fare (ADR 0040, id <c>{inviteeId}:{tripId}</c>): their invitations, newest first.</summary>
    public IDocumentStore<SplitInvitationLink> SplitInvitations { get; } = database.Collection<SplitInvitationLink>("split_invitations", "inviteeId");

    /// <summary>Share tokens (id = the token) → their trip, so a shared link finds its trip without a scan.</summary>
    public IDocumentStore<TripShareLink> TripShares { get; } = database.Collection<TripShareLink>("trip_shares", TripShareLink.CreatedAtField);

    /// <summary>Messages between a trip's rider and driver (id = "{tripId}:{client id}"), read by trip newest first.</summary>
    public IDocumentStore<TripMessage> TripMessages { get; } = database.Collection<TripMessage>("trip_messages", "tripId", TripMessage.AtField);

    /// <summary>Promotions support created (id = the code), all of them newest first by <see cref="Promotion.ListedField"/>.</summary>
    public IDocumentStore<Promotion> Promotions { get; } = database.Collection<Promotion>("promotions", Promotion.ListedField);

    /// <summary>Per rider (id = rider id), the promotions they added and the trips that took their rides.</summary>
    public IDocumentStore<RiderPromotions> RiderPromotions { get; } = database.Collection<RiderPromotions>("rider_promotions");

    /// <summary>Driver quests support created (id = a random id), all of them newest first by <see cref="Quest.ListedField"/>, and by when they stop counting (<see cref="Quest.CountsUntilField"/>; ADR 0038).</summary>
    public IDocumentStore<Quest> Quests { get; } = database.Collection<Quest>("quests", Quest.ListedField, Quest.CountsUntilField);

    /// <summary>Each driver's progress on a quest (id = "{questId}:{driverId}"), by driver, and by quest once its bonus was earned.</summary>
    public IDocumentStore<QuestProgress> QuestProgress { get; } =
        database.Collection<QuestProgress>("quest_progress", UberClone.Trips.Quests.QuestProgress.DriverField, UberClone.Trips.Quests.QuestProgress.EarnedQuestField);

    /// <summary>Per rider (id = rider id), "Verify my rides with a PIN" (ADR 0044); a rider without one has <see cref="PinVerification.Default"/>.</summary>
    public IDocumentStore<PinVerification> PinVerifications { get; } = database.Collection<PinVerification>("pin_verifications");

    /// <summary>Per rider (id = rider id), their ride preferences (ADR 0049); a rider without one has <see cref="RidePreferences.None"/>.</summary>
    public IDocumentStore<RidePreferences> RidePreferences { get; } = database.Collection<RidePreferences>("ride_preferences");

    /// <summary>Repeating rides (ADR 0043; id = a random id), by rider and by when their next ride is booked.</summary>
    public IDocumentStore<RideSchedule> RideSchedules { get; } =
        database.Collection<RideSchedule>("ride_schedules", RideSchedule.RiderField, RideSchedule.BookAtField);

    /// <summary>Riders' and drivers' help requests to support, by trip, by who asked, by status, and open ones by how long they wait.</summary>
    public IDocumentStore<HelpRequest> HelpRequests { get; } =
        database.Collection<HelpRequest>("help_requests", "tripId", "openedBy", "status", HelpRequest.WaitingSinceField, HelpRequest.ClosedAtField);
}

/// <summary>
/// Where a share token points. The trip itself says whether it is still shared with that token (the rider may have
/// stopped, or shared it anew); this record only saves looking for it, and is deleted <see cref="KeptFor"/> after it was made.
/// </summary>
public sealed record TripShareLink(string Token, string TripId, DateTimeOffset CreatedAt)
{
    /// <summary>The longest a link may show a trip after it ended (Trips:SharedTripAfterEnd is at most this).</summary>
    public static readonly TimeSpan LongestAfterEnd = TimeSpan.FromDays(1);

    /// <summary>Longer than any trip (EarningsSummary.LongestTrip) and the time after its end together.</summary>
    public static readonly TimeSpan KeptFor = EarningsSummary.LongestTrip + LongestAfterEnd;

    public const string CreatedAtField = "createdAtMs";

    public long CreatedAtMs => CreatedAt.ToUnixTimeMilliseconds();
}

/// <summary>A driver gave this trip up (it went back to dispatch without them).</summary>
public sealed record GivenUpTrip(string DriverId, string TripId, DateTimeOffset At);

/// <summary>
/// <paramref name="InviteeId"/> was asked to split trip <paramref name="TripId"/>'s fare (ADR 0040): the trip keeps the
/// invitation and its answer; this only finds it.
/// </summary>
public sealed record SplitInvitationLink(string InviteeId, string TripId, DateTimeOffset At);

/// <summary>A rider's claim on booking: the trip it is for, and when it was made.</summary>
public sealed record RiderBooking(string TripId, DateTimeOffset ClaimedAt);
