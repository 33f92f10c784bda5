using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Trips.Application;
using TripStatus = UberClone.Trips.Domain.TripStatus;
using TripActors = UberClone.Trips.Domain.TripActors;
using DomainTrip = UberClone.Trips.Domain.Trip;
using DomainTripMessage = UberClone.Trips.Domain.TripMessage;
using TripRules = UberClone.Trips.Domain.TripRules;
using DomainPinVerification = UberClone.Trips.Domain.PinVerification;
using DomainRidePreferences = UberClone.Trips.Domain.RidePreferences;
using RatingStanding = UberClone.Trips.Domain.RatingStanding;
using IRatingLines = UberClone.Trips.Domain.IRatingLines;
using RatingStandings = UberClone.Trips.Domain.RatingStandings;
using Microsoft.Extensions.Options;
using PricingOptions = UberClone.Trips.Pricing.PricingOptions;
using RouteEstimator = UberClone.Trips.Pricing.RouteEstimator;
using DemandSupplyWindow = UberClone.Trips.Pricing.DemandSupplyWindow;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of the trips use cases.</summary>
public sealed class TripGrpcService(TripsApplication trips, RideCheck rideCheck, LostItems lostItems, Ratings ratings, IOptions<TripRules> rules, IOptions<PricingOptions> pricing, DemandSupplyWindow demand,
    QuestDesk quests, SplitFares splits, DriverReservations reservations, IOptions<Domain.ReservationRules> reservationRules, IOptions<Domain.WaiverRules> waiverRules, TimeProvider clock)
    : TripService.TripServiceBase
{
    public override async Task<PinVerification> GetPinVerification(GetPinVerificationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        return ToContract(await trips.PinVerificationAsync(rider.UserId, context.CancellationToken));
    }

    public override async Task<PinVerification> SetPinVerification(PinVerification request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var setting = await Run(() => Task.FromResult(DomainPinVerification.Parse(request.Mode, request.TimeZone)));
        return ToContract(await trips.SetPinVerificationAsync(rider.UserId, setting, context.CancellationToken));
    }

    public override async Task<RidePreferences> GetRidePreferences(GetRidePreferencesRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        return ToContract(await trips.RidePreferencesAsync(rider.UserId, context.CancellationToken));
    }

    public override async Task<RidePreferences> SetRidePreferences(RidePreferences request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var preferences = await Run(() => Task.FromResult(DomainRidePreferences.Parse(request.Conversation, request.HelpWithBags, request.Temperature)));
        return ToContract(await trips.SetRidePreferencesAsync(rider.UserId, preferences, context.CancellationToken));
    }

    public override async Task<Trip> ChangeTripPreferences(ChangeTripPreferencesRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var preferences = await Run(() => Task.FromResult(DomainRidePreferences.Parse(request.Conversation, request.HelpWithBags, request.Temperature)));
        return ToContract(await Run(() => trips.ChangePreferencesAsync(rider.UserId, tripId, preferences, context.CancellationToken)), rider);
    }

    private static RidePreferences ToContract(DomainRidePreferences preferences) => new()
    {
        Conversation = DomainRidePreferences.Name(preferences.Conversation),
        HelpWithBags = preferences.HelpWithBags,
        Temperature = DomainRidePreferences.Name(preferences.Temperature),
    };

    private static PinVerification ToContract(DomainPinVerification setting) =>
        new() { Mode = DomainPinVerification.Name(setting.Mode), TimeZone = setting.TimeZone };

    public override async Task<QuoteResponse> GetQuote(QuoteRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var pickup = Validate.Point(request.Pickup, "pickup");
        var dropoff = Validate.Point(request.Dropoff, "dropoff");
        if (Geo.DistanceMeters(pickup, dropoff) < 50)
        {
            throw Validate.Invalid("pickup and dropoff are less than 50 m apart.");
        }
        if (request.Stops.Count > rules.Value.MaxStops)
        {
            throw Validate.Invalid($"stops: at most {rules.Value.MaxStops} stops on the way.");
        }
        var stops = request.Stops.Select((s, i) => Validate.Point(s, $"stops[{i}]")).ToList();
        var quote = await Run(() => trips.QuoteAsync(rider.UserId, pickup, dropoff, stops, context.CancellationToken));
        var response = new QuoteResponse
        {
            QuoteId = quote.Id,
            Pickup = request.Pickup,
            Dropoff = request.Dropoff,
            DistanceMeters = quote.DistanceMeters,
            DurationSeconds = quote.DurationSeconds,
            ExpiresAt = quote.ExpiresAt.ToString("O"),
            FreeWaitSeconds = (int)rules.Value.FreeWait.TotalSeconds,
            PetFee = quote.PetFeeMinor > 0 && quote.Options.Count > 0 ? new Money { AmountMinor = quote.PetFeeMinor, Currency = quote.Options[0].Currency } : null,
            CashAccepted = quote.CashAccepted,
            WheelchairAccessible = quote.WheelchairAccessible,
        };
        response.Stops.AddRange(request.Stops);
        response.Options.AddRange(quote.Options.Select(o => new QuoteOption
        {
            VehicleClass = o.VehicleClass,
            Price = new Money { AmountMinor = o.PriceMinor, Currency = o.Currency },
            SurgeMultiplier = o.SurgeMultiplier,
            Breakdown = o.Breakdown is { } b ? ToContract(b, o.Currency) : null,
            WaitPerMinute = o.WaitPerMinuteMinor > 0 ? new Money { AmountMinor = o.WaitPerMinuteMinor, Currency = o.Currency } : null,
            Promotion = o.Promotion is { } p ? Applied(p.Code, p.DiscountMinor, o.Currency) : null,
        }));
        return response;
    }

    /// <summary>How many grid squares around the driver's the surge map shows each way (4: nine squares across, ≈ 20 km at 0.02°).</summary>
    private const int SurgeMapReach = 4;

    public override Task<SurgeMap> GetSurgeMap(SurgeMapRequest request, ServerCallContext context)
    {
        Caller.From(context);
        var at = Validate.Point(new LatLng { Lat = request.Lat, Lng = request.Lng }, "lat/lng");
        var now = clock.GetUtcNow();
        var map = new SurgeMap { CellDegrees = pricing.Value.Surge.CellDegrees, At = now.ToString("O") };
        map.Areas.AddRange(demand.SurgeAround(at, SurgeMapReach, now).Select(c => new SurgeArea
        {
            South = c.Bounds.South, West = c.Bounds.West, North = c.Bounds.North, East = c.Bounds.East, Multiplier = c.Multiplier,
        }));
        return Task.FromResult(map);
    }

    public override async Task<Trip> CreateTrip(CreateTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var quoteId = Validate.Id(request.QuoteId, "quoteId");
        if (!VehicleClasses.IsKnown(request.VehicleClass))
        {
            throw Validate.Invalid($"vehicleClass must be one of: {string.Join(", ", VehicleClasses.All)}.");
        }
        DateTimeOffset? scheduledFor = request.ScheduledFor.Length > 0 ? Validate.Instant(request.ScheduledFor, "scheduledFor") : null;
        var cardId = request.CardId.Length == 0 ? null : Validate.CardId(request.CardId);
        var note = Validate.PickupNote(request.PickupNote, "pickupNote");
        var passenger = request.Passenger is null ? null : Validate.Passenger(request.Passenger);
        var profile = Validate.RideProfile(request.Profile, request.ExpenseMemo);
        var trip = await Run(() => trips.BookAsync(rider.UserId, quoteId, request.VehicleClass, scheduledFor, cardId, note, passenger, profile, request.WithPet, request.PayInCash,
            request.WheelchairAccessible, context.CancellationToken));
        return ToContract(trip, rider);
    }

    public override async Task<TripList> ListScheduledTrips(ListScheduledTripsRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var result = new TripList();
        result.Trips.AddRange((await trips.ScheduledAsync(rider.UserId, context.CancellationToken)).Select(t => ToContract(t, rider)));
        return result;
    }

    public override async Task<ReservableRideList> ListReservableRides(ListReservableRidesRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var classes = ApprovedClasses(context);
        if (request.HasLat != request.HasLng) throw Validate.Invalid("lat and lng go together: give both, or neither to look from your last position.");
        var near = request.HasLat ? Validate.Point(new LatLng { Lat = request.Lat, Lng = request.Lng }, "lat/lng") : null;
        var order = request.Order is "" ? Domain.ReservableRides.SoonestFirst : request.Order;
        if (order is not (Domain.ReservableRides.SoonestFirst or Domain.ReservableRides.NewestFirst))
        {
            throw Validate.Invalid($"order must be {Domain.ReservableRides.SoonestFirst} or {Domain.ReservableRides.NewestFirst}.");
        }
        if (request.Limit is < 0 or > Domain.ReservationRules.MaxListed) throw Validate.Invalid($"limit must be from 1 to {Domain.ReservationRules.MaxListed}.");
        var rides = await Run(() => reservations.ListAsync(driver.UserId, classes, near, order, request.Limit is 0 ? 20 : request.Limit, context.CancellationToken));
        var result = await WithStandingAsync(driver.UserId, context.CancellationToken);
        result.Rides.AddRange(rides.Select(t => ToReservable(t, near ?? t.Pickup, yours: false)));
        return result;
    }

    public override async Task<ReservableRideList> ListMyReservations(ListMyReservationsRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var result = await WithStandingAsync(driver.UserId, context.CancellationToken);
        result.Rides.AddRange((await reservations.MineAsync(driver.UserId, context.CancellationToken)).Select(t => ToReservable(t, t.Pickup, yours: true)));
        return result;
    }

    public override async Task<ReservableRideList> ListDriverReservations(ListDriverReservationsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var driverId = Validate.Id(request.DriverId, "driverId");
        var result = await WithStandingAsync(driverId, context.CancellationToken);
        result.Rides.AddRange((await reservations.MineAsync(driverId, context.CancellationToken)).Select(t => ToReservable(t, t.Pickup, yours: true)));
        return result;
    }

    public override async Task<ReservableRideList> RemoveReservationStrike(RemoveReservationStrikeRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var driverId = Validate.Id(request.DriverId, "driverId");
        var tripId = Validate.Id(request.TripId, "tripId");
        var reason = request.Reason.Trim();
        if (reason.Length == 0) throw Validate.Invalid("reason is required: say why support removes the strike.");
        if (reason.Length > MaxSupportReason) throw Validate.Invalid($"reason is longer than {MaxSupportReason} characters.");
        await Run(() => reservations.RemoveStrikeAsync(driverId, tripId, support.UserId, reason, context.CancellationToken));
        var result = await WithStandingAsync(driverId, context.CancellationToken);
        result.Rides.AddRange((await reservations.MineAsync(driverId, context.CancellationToken)).Select(t => ToReservable(t, t.Pickup, yours: true)));
        return result;
    }

    /// <summary>The longest reason support gives for removing a strike or reinstating a rider.</summary>
    private const int MaxSupportReason = 500;

    /// <summary>A list with the driver's reserving standing (ADR 0050): paused until when and why, and their recent strikes.</summary>
    private async Task<ReservableRideList> WithStandingAsync(string driverId, CancellationToken ct)
    {
        var standing = await reservations.StandingAsync(driverId, ct);
        var result = new ReservableRideList { ReservingPausedUntil = Timestamp(standing.PausedUntil), ReservingPausedReason = standing.PausedReason ?? "" };
        result.Strikes.AddRange(standing.Strikes.Select(s => new ReservationStrike
        {
            TripId = s.TripId, Why = s.Why, At = s.At.ToString("O"), RemovedAt = Timestamp(s.RemovedAt), RemovedBy = s.RemovedBy ?? "", RemovedReason = s.RemovedReason ?? "",
        }));
        return result;
    }

    public override async Task<ReservableRide> ReserveRide(ReserveRideRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        var classes = ApprovedClasses(context);
        return ToReservable(await Run(() => reservations.ReserveAsync(driver.UserId, classes, tripId, context.CancellationToken)), null, yours: true);
    }

    public override async Task<Trip> ReleaseReservation(ReleaseReservationRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (caller.IsRider) throw new RpcException(new Status(StatusCode.PermissionDenied, "Only the reserving driver or support releases a reservation."));
        var tripId = Validate.Id(request.TripId, "tripId");
        var reason = request.Reason.Trim();
        if (caller.IsOperator && reason.Length == 0) throw Validate.Invalid("reason is required: say why support releases the reservation.");
        if (reason.Length > 200) throw Validate.Invalid("reason is longer than 200 characters.");
        var trip = await Run(() => reservations.ReleaseAsync(caller.IsOperator ? null : caller.UserId, tripId, reason, context.CancellationToken));
        return caller.IsOperator ? ToContract(trip, caller) : Ride(trip);
    }

    /// <summary>The classes the calling driver's permit covers now (ADR 0022; the gateway's word): none is 403, saying why.</summary>
    private static IReadOnlyList<string> ApprovedClasses(ServerCallContext context) =>
        Caller.DriverClassesFrom(context) is { Count: > 0 } classes
            ? classes
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "Rides for later are reserved by drivers support approved (and whose documents are valid)."));

    /// <summary>
    /// A ride for later as a driver choosing one sees it (ADR 0047): the areas until it is <paramref name="yours"/>, then the
    /// pickup and drop-off themselves, the note, and until when they may release it.
    /// </summary>
    private ReservableRide ToReservable(DomainTrip trip, GeoPoint? from, bool yours)
    {
        var pickup = yours ? trip.Pickup : Domain.ReservableRides.Area(trip.Pickup);
        var dropoff = yours ? trip.Dropoff : Domain.ReservableRides.Area(trip.Dropoff);
        var earnings = Domain.DriverEarnings.For(Domain.DriverEarnings.Fare, trip.FareMinor, trip.Breakdown?.BookingFeeMinor ?? 0, rules.Value.ServiceFeePercent,
            clock.GetUtcNow(), trip.Breakdown?.PlaceFeesMinor ?? 0);
        return new ReservableRide
        {
            TripId = trip.Id,
            VehicleClass = trip.VehicleClass,
            ScheduledFor = Timestamp(trip.ScheduledFor),
            Pickup = new LatLng { Lat = pickup.Lat, Lng = pickup.Lng },
            Dropoff = new LatLng { Lat = dropoff.Lat, Lng = dropoff.Lng },
            Fare = new Money { AmountMinor = trip.FareMinor, Currency = trip.Currency },
            Earnings = new Money { AmountMinor = earnings.EarningsMinor, Currency = trip.Currency },
            PickupDistanceMeters = from is null || yours ? 0 : (int)Math.Round(Geo.DistanceMeters(from.Lat, from.Lng, trip.Pickup.Lat, trip.Pickup.Lng)),
            DistanceMeters = trip.DistanceMeters,
            DurationSeconds = trip.DurationSeconds,
            WithPet = trip.WithPet,
            PayInCash = trip.PayInCash,
            WheelchairAccessible = trip.WheelchairAccessible,
            ReservedAt = yours ? Timestamp(trip.Reservation?.ReservedAt) : "",
            ReleaseUntil = yours && trip.ScheduledFor is { } at ? Timestamp(at - reservationRules.Value.ReleaseUntil) : "",
            PickupNote = yours ? trip.PickupNote ?? "" : "",
        };
    }

    public override async Task<Trip> GetTrip(GetTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        var trip = ToContract(await Run(() => trips.GetAsync(tripId, Reader(caller), context.CancellationToken)), caller);
        await AddRatingsAsync(trip, caller, context.CancellationToken);
        return trip;
    }

    /// <summary>The assigned driver's rating, for the rider's driver card; to that driver, the rider's, for their rider card.</summary>
    private async Task AddRatingsAsync(Trip trip, Caller caller, CancellationToken ct)
    {
        if (trip.Driver is null) return;
        if (await ratings.OfDriverAsync(trip.Driver.DriverId, ct) is { } driver)
        {
            trip.Driver.RatingAverage = driver.Average;
            trip.Driver.RatingCount = driver.Count;
        }
        if (caller.UserId == trip.Driver.DriverId || caller.IsOperator)
        {
            var rider = await ratings.OfRiderAsync(trip.RiderId, ct);
            trip.RiderRatingSummary = new RatingSummary { Average = rider?.Average ?? 0, Count = rider?.Count ?? 0 };
        }
    }

    public override async Task<Trip> GetActiveTrip(GetActiveTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        return ToContract(await Run(() => trips.GetActiveAsync(caller.UserId, caller.IsDriver, context.CancellationToken)), caller);
    }

    /// <summary>Riders and drivers only: support accounts are not deleted this way.</summary>
    public override async Task<PrepareAccountDeletionResponse> PrepareAccountDeletion(PrepareAccountDeletionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (caller.IsOperator) throw new RpcException(new Status(StatusCode.PermissionDenied, "Support accounts are not deleted this way."));
        await Run(async () =>
        {
            await trips.PrepareAccountDeletionAsync(caller.UserId, caller.IsDriver, context.CancellationToken);
            return true;
        });
        return new PrepareAccountDeletionResponse();
    }

    public override async Task ExportTrips(ExportTripsRequest request, IServerStreamWriter<ExportedTrip> responseStream, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (caller.IsOperator) throw new RpcException(new Status(StatusCode.PermissionDenied, "Support reads a caller's trips with ListTrips."));
        await foreach (var (trip, messages) in trips.ExportAsync(caller.UserId, caller.IsDriver, context.CancellationToken))
        {
            var exported = new ExportedTrip { Trip = ToContract(trip, caller) };
            // A ride's PIN is for its pickup only, never kept in a file the rider saves (ADR 0044).
            exported.Trip.Pin = "";
            exported.Messages.AddRange(messages.Select(ToContract));
            await responseStream.WriteAsync(exported, context.CancellationToken);
        }
        if (caller.Role != Roles.Rider) return;
        // The rides they were asked to split (ADR 0040), as they see them: their answer, share and its receipt.
        await foreach (var trip in splits.AllInvitationsAsync(caller.UserId, context.CancellationToken))
        {
            await responseStream.WriteAsync(new ExportedTrip { SplitRide = SplitFareContracts.ForInvitee(trip, caller.UserId) }, context.CancellationToken);
        }
    }

    public override async Task<TripList> ListTrips(ListTripsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var limit = request.Limit == 0 ? 20 : request.Limit;
        if (limit is < 1 or > 100) throw Validate.Invalid("limit must be between 1 and 100.");
        var (userId, asDriver) = (caller.UserId, caller.IsDriver);
        var filters = new[] { request.RiderId, request.DriverId, request.Status }.Count(f => f.Length > 0);
        if (filters > 0 && !caller.IsOperator) throw new RpcException(new Status(StatusCode.PermissionDenied, "Only support can list someone else's trips."));
        if (caller.IsOperator && filters != 1) throw Validate.Invalid("support lists one thing at a time: give riderId, driverId or status.");
        IReadOnlyList<DomainTrip> history;
        if (request.Status.Length > 0)
        {
            if (!TripStatus.All.Contains(request.Status)) throw Validate.Invalid($"status must be one of: {string.Join(", ", TripStatus.All)}.");
            history = await trips.InStatusAsync(request.Status, limit, context.CancellationToken);
        }
        else
        {
            if (request.RiderId.Length > 0) (userId, asDriver) = (Validate.Id(request.RiderId, "riderId"), false);
            if (request.DriverId.Length > 0) (userId, asDriver) = (Validate.Id(request.DriverId, "driverId"), true);
            history = await trips.HistoryAsync(userId, asDriver, limit, context.CancellationToken);
        }
        var result = new TripList();
        result.Trips.AddRange(history.Select(t => ToContract(t, caller)));
        // A rider's own history has the rides they paid a share of too (ADR 0040), as they see them.
        if (filters == 0 && caller.Role == Roles.Rider)
        {
            result.SplitRides.AddRange((await splits.PaidSharesAsync(caller.UserId, limit, context.CancellationToken)).Select(t => SplitFareContracts.ForInvitee(t, caller.UserId)));
        }
        return result;
    }

    public override async Task<RatingSummary> GetMyRating(GetMyRatingRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tally = caller.Role switch
        {
            Roles.Rider => await ratings.OfRiderAsync(caller.UserId, context.CancellationToken),
            Roles.Driver => await ratings.OfDriverAsync(caller.UserId, context.CancellationToken),
            _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "Only riders and drivers are rated.")),
        };
        var summary = new RatingSummary { Average = tally?.Average ?? 0, Count = tally?.Count ?? 0 };
        return caller.Role == Roles.Driver ? WithStanding(summary, tally) : WithRiderStanding(summary, tally);
    }

    public override async Task<RatingSummary> GetDriverRating(GetDriverRatingRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var tally = await ratings.OfDriverAsync(Validate.Id(request.DriverId, "driverId"), context.CancellationToken);
        return WithStanding(new RatingSummary { Average = tally?.Average ?? 0, Count = tally?.Count ?? 0 }, tally);
    }

    public override async Task<RatingSummary> GetRiderRating(GetRiderRatingRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var tally = await ratings.OfRiderAsync(Validate.Id(request.RiderId, "riderId"), context.CancellationToken);
        return WithRiderStanding(new RatingSummary { Average = tally?.Average ?? 0, Count = tally?.Count ?? 0 }, tally);
    }

    public override async Task<RatingSummary> ReinstateRiderRating(ReinstateRiderRatingRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var riderId = Validate.Id(request.RiderId, "riderId");
        var reason = request.Reason.Trim();
        if (reason.Length == 0) throw Validate.Invalid("reason is required: say why support reinstates the rider.");
        if (reason.Length > MaxSupportReason) throw Validate.Invalid($"reason is longer than {MaxSupportReason} characters.");
        var tally = await Run(() => ratings.ReinstateRiderAsync(riderId, context.CancellationToken));
        return WithRiderStanding(new RatingSummary { Average = tally.Average, Count = tally.Count }, tally);
    }

    /// <summary>A rider's standing over their recent rated trips (ADR 0056), beside the all-time rating.</summary>
    private RatingSummary WithRiderStanding(RatingSummary summary, RatingTally? tally) => Standing(summary, tally, ratings.RiderRules);

    /// <summary>A driver's standing over their recent rated trips (ADR 0055), beside the all-time rating.</summary>
    private RatingSummary WithStanding(RatingSummary summary, RatingTally? tally) => Standing(summary, tally, ratings.Rules);

    private static RatingSummary Standing(RatingSummary summary, RatingTally? tally, IRatingLines lines)
    {
        var window = tally?.Window ?? RatingStanding.Empty;
        summary.Standing = window.Standing;
        summary.WindowAverage = window.Average;
        summary.Rated = window.Rated;
        summary.WarnBelow = lines.WarnBelow;
        summary.MinimumRated = lines.MinimumRated;
        // The lower line under its own name: a driver is deactivated below it, a rider restricted.
        if (lines.Lowest == RatingStandings.Restricted) summary.RestrictBelow = lines.LowerLine;
        else summary.DeactivateBelow = lines.LowerLine;
        return summary;
    }

    public override async Task<EarningsSummary> GetEarnings(EarningsRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var (from, to) = Validate.Period(request.From, request.To, Domain.EarningsSummary.MaxPeriod);
        var summary = await trips.EarningsAsync(driver.UserId, from, to, context.CancellationToken);
        var bonuses = await quests.BonusesAsync(driver.UserId, from, to, context.CancellationToken);
        var result = new EarningsSummary
        {
            From = summary.From.ToString("O"), To = summary.To.ToString("O"),
            Trips = summary.Trips, CancellationFees = summary.CancellationFees,
        };
        // A quest's bonus is earned money like a fare's share: in the totals, so the card, the statement and the CSV add up to the ledger.
        var totals = new Dictionary<string, long>(summary.TotalsByCurrency);
        foreach (var bonus in bonuses) totals[bonus.Currency] = totals.GetValueOrDefault(bonus.Currency) + bonus.BonusMinor;
        result.Totals.AddRange(totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new Money { AmountMinor = t.Value, Currency = t.Key }));
        result.QuestBonuses.AddRange(bonuses.Select(b => new QuestBonus
        {
            QuestId = b.QuestId, Name = b.QuestName, Bonus = new Money { AmountMinor = b.BonusMinor, Currency = b.Currency },
            EarnedAt = b.EarnedAt!.Value.ToString("O"), TripId = b.EarnedByTripId ?? "", Target = b.TripIds.Count,
        }));
        result.Items.AddRange(summary.Earned.Select(t => new EarnedTrip
        {
            TripId = t.Id, VehicleClass = t.VehicleClass, DistanceMeters = t.DistanceMeters,
            Earnings = ToContract(t.DriverEarnings!, t.Currency),
        }));
        return result;
    }

    public override async Task<Trip> ArriveAtPickup(ArriveRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        var location = request.Location is null ? null : Validate.Point(request.Location, "location");
        return ToContract(await Run(() => trips.ArriveAsync(driver.UserId, tripId, location, context.CancellationToken)), driver);
    }

    public override async Task<Trip> ReachStop(ReachStopRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        var location = request.Location is null ? null : Validate.Point(request.Location, "location");
        return ToContract(await Run(() => trips.ReachStopAsync(driver.UserId, tripId, request.Index, location, context.CancellationToken)), driver);
    }

    public override async Task<Trip> StartTrip(StartTripRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        // None at all is the ride's to judge: one without a PIN starts without it (ADR 0044).
        var pin = request.Pin ?? "";
        if (pin.Length > 0 && (pin.Length != 4 || !pin.All(char.IsAsciiDigit))) throw Validate.Invalid("pin must be 4 digits.");
        return ToContract(await Run(() => trips.StartAsync(driver.UserId, tripId, pin, context.CancellationToken)), driver);
    }

    public override async Task<Trip> CompleteTrip(CompleteTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (!caller.IsOperator)
        {
            var driver = caller.RequireRole(Roles.Driver);
            if (!string.IsNullOrEmpty(request.Reason)) throw Validate.Invalid("reason is for support ending a ride its driver cannot.");
            return ToContract(await Run(() => trips.CompleteAsync(driver.UserId, tripId, context.CancellationToken)), driver);
        }
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw Validate.Invalid("reason is required: say why support ends the ride instead of its driver.");
        if (reason.Length > 200) throw Validate.Invalid("reason is longer than 200 characters.");
        return ToContract(await Run(() => trips.CompleteAsSupportAsync(caller.UserId, tripId, reason, context.CancellationToken)), caller);
    }

    public override async Task<Trip> RescheduleTrip(RescheduleTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var scheduledFor = Validate.Instant(request.ScheduledFor, "scheduledFor");
        var trip = await Run(() => trips.RescheduleAsync(rider.UserId, tripId, scheduledFor, context.CancellationToken));
        return ToContract(trip, rider);
    }

    public override async Task<Trip> CancelTrip(CancelTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (caller.IsOperator && string.IsNullOrWhiteSpace(request.Reason)) throw Validate.Invalid("reason is required: say why support cancels the trip.");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "cancelled" : request.Reason.Trim();
        if (reason.Length > 200) throw Validate.Invalid("reason is longer than 200 characters.");
        long? maxFee = request.HasMaxFeeMinor ? request.MaxFeeMinor : null;
        if (maxFee < 0) throw Validate.Invalid("maxFeeMinor must not be negative.");
        if (maxFee is not null && !caller.IsRider) throw Validate.Invalid("maxFeeMinor is for a rider's cancellation; a driver's or support's costs nothing.");
        var trip = await Run(() => caller.Role switch
        {
            Roles.Driver => trips.CancelAsDriverAsync(caller.UserId, tripId, reason, context.CancellationToken),
            Roles.Operator => trips.CancelAsSupportAsync(tripId, reason, context.CancellationToken),
            _ => trips.CancelAsRiderAsync(caller.UserId, tripId, reason, maxFee, context.CancellationToken),
        });
        return ToContract(trip, caller);
    }

    public override async Task<Trip> ReportNoShow(ReportNoShowRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => trips.ReportNoShowAsync(driver.UserId, tripId, context.CancellationToken)), driver);
    }

    public override async Task<Trip> RateTrip(RateTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (request.Stars is < DomainTrip.MinStars or > DomainTrip.MaxStars)
        {
            throw Validate.Invalid($"stars must be between {DomainTrip.MinStars} and {DomainTrip.MaxStars}.");
        }
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment?.Length > 500) throw Validate.Invalid("comment is longer than 500 characters.");
        return ToContract(await Run(() => trips.RateAsync(caller.UserId, tripId, request.Stars, comment, context.CancellationToken)), caller);
    }

    public override async Task<Trip> TipTrip(TipTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (request.AmountMinor < 1 || request.AmountMinor > rules.Value.MaxTipMinor)
        {
            throw Validate.Invalid($"amountMinor must be from 1 to {rules.Value.MaxTipMinor}.");
        }
        return ToContract(await Run(() => trips.TipAsync(rider.UserId, tripId, request.AmountMinor, context.CancellationToken)), rider);
    }

    public override async Task<Trip> RetryPayment(RetryPaymentRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => trips.RetryPaymentAsync(rider.UserId, tripId, context.CancellationToken)), rider);
    }

    public override async Task<Trip> WaivePayment(WaivePaymentRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var tripId = Validate.Id(request.TripId, "tripId");
        var reason = request.Reason.Trim();
        if (reason.Length == 0) throw Validate.Invalid("reason is required: say why support waives what the rider owes.");
        if (reason.Length > MaxWaiverReason) throw Validate.Invalid($"reason is longer than {MaxWaiverReason} characters.");
        long? amountMinor = request.HasAmountMinor ? request.AmountMinor : null;
        if (amountMinor <= 0) throw Validate.Invalid("amountMinor must be above 0: the part of what the rider owes that support waives (leave it out to waive all of it).");
        // A part names what support saw owed (ADR 0053): a retry after the part was waived then finds another amount owed.
        long? owedMinor = request.HasOwedMinor ? request.OwedMinor : null;
        if (amountMinor is not null && owedMinor is null)
        {
            throw Validate.Invalid("owedMinor is required with amountMinor: what the rider owes as you saw it (fare and return fee, minor units).");
        }
        if (owedMinor < 0) throw Validate.Invalid("owedMinor must be 0 or more: what the rider owes as you saw it, in minor units.");
        var trip = await Run(() => trips.WaiveUnpaidAsync(support.UserId, tripId, reason, context.CancellationToken, amountMinor, owedMinor));
        // Above the limit nothing is waived yet (ADR 0053): over HTTP, 202 says it awaits a colleague's approval. Set as the
        // answer starts: transcoding sets 200 after the method returns.
        if (trip.PendingWaiver is not null && context.GetHttpContext() is { } http && http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            http.Response.OnStarting(() =>
            {
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return Task.CompletedTask;
            });
        }
        return ToContract(trip, support);
    }

    private const int MaxWaiverReason = 500;

    public override async Task<Trip> ApproveWaiver(ApproveWaiverRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var tripId = Validate.Id(request.TripId, "tripId");
        var askedAt = AskedAt(request.AskedAt);
        return ToContract(await Run(() => trips.ApproveWaiverAsync(support.UserId, tripId, context.CancellationToken, askedAt)), support);
    }

    /// <summary>The most waivers support's list holds: more awaiting at once than a desk reads down.</summary>
    private const int MaxAwaitingWaivers = 100;

    public override async Task<AwaitingWaiverList> ListAwaitingWaivers(ListAwaitingWaiversRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var lapse = waiverRules.Value.RequestLapse;
        var result = new AwaitingWaiverList();
        result.Waivers.AddRange((await trips.AwaitingWaiversAsync(MaxAwaitingWaivers, context.CancellationToken)).Select(t => t.PendingWaiver is { } asked
            ? new AwaitingWaiver
            {
                TripId = t.Id, RiderId = t.RiderId, AskedBy = asked.OperatorId, Reason = asked.Reason,
                Amount = new Money { AmountMinor = asked.TotalMinor, Currency = t.Currency },
                AskedAt = asked.At.ToString("O"), LapsesAt = (asked.At + lapse).ToString("O"),
            }
            : throw new InvalidOperationException($"Trip {t.Id} was listed without a waiver awaiting approval.")));
        return result;
    }

    public override async Task<Trip> DeclineWaiver(DeclineWaiverRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (request.Reason.Trim().Length > MaxWaiverReason) throw Validate.Invalid($"reason is longer than {MaxWaiverReason} characters.");
        var askedAt = AskedAt(request.AskedAt);
        return ToContract(await Run(() => trips.DeclineWaiverAsync(support.UserId, tripId, context.CancellationToken, askedAt)), support);
    }

    /// <summary>The waiver request the desk answers, by when it was asked (its <c>waiverRequest.askedAt</c>); empty: whichever awaits.</summary>
    private static DateTimeOffset? AskedAt(string value) => value.Length == 0 ? null : Validate.Instant(value, "askedAt");

    public override async Task<Trip> PayTripWithCard(PayTripWithCardRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var cardId = Validate.CardId(request.CardId);
        return ToContract(await Run(() => trips.PayWithAsync(rider.UserId, tripId, cardId, context.CancellationToken)), rider);
    }

    public override async Task<DestinationQuote> QuoteDestination(QuoteDestinationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var dropoff = Validate.Point(request.Dropoff, "dropoff");
        var quote = await Run(() => trips.QuoteDestinationAsync(rider.UserId, tripId, dropoff, context.CancellationToken));
        return new DestinationQuote
        {
            TripId = tripId,
            Dropoff = request.Dropoff,
            Fare = new Money { AmountMinor = quote.Fare.TotalMinor, Currency = quote.Trip.Currency },
            FareBefore = new Money { AmountMinor = quote.Trip.FareMinor, Currency = quote.Trip.Currency },
            Breakdown = ToContract(quote.Fare, quote.Trip.Currency),
            DistanceMeters = quote.Route.DistanceMeters,
            DurationSeconds = quote.Route.DurationSeconds,
        };
    }

    public override async Task<Trip> ChangeDestination(ChangeDestinationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var dropoff = Validate.Point(request.Dropoff, "dropoff");
        if (request.MaxFareMinor <= 0)
        {
            throw Validate.Invalid("maxFareMinor is required: the most you agree to pay, from the destination quote (POST /api/trips/{tripId}/destination/quote).");
        }
        return ToContract(await Run(() => trips.ChangeDestinationAsync(rider.UserId, tripId, dropoff, request.MaxFareMinor, context.CancellationToken)), rider);
    }

    public override async Task<Trip> ChangePickupNote(ChangePickupNoteRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var note = Validate.PickupNote(request.Note, "note");
        return ToContract(await Run(() => trips.ChangePickupNoteAsync(rider.UserId, tripId, note, context.CancellationToken)), rider);
    }

    public override async Task<Trip> MovePickup(MovePickupRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var location = Validate.Point(request.Location, "location");
        return ToContract(await Run(() => trips.MovePickupAsync(rider.UserId, tripId, location, context.CancellationToken)), rider);
    }

    public override async Task<Trip> AnswerSafetyCheck(AnswerSafetyCheckRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (!caller.IsRider && !caller.IsDriver) throw new RpcException(new Status(StatusCode.PermissionDenied, "Only a trip's rider or driver answers its safety check."));
        var tripId = Validate.Id(request.TripId, "tripId");
        if (!Domain.SafetyAnswers.IsKnown(request.Answer)) throw Validate.Invalid($"answer must be {Domain.SafetyAnswers.Ok} or {Domain.SafetyAnswers.Help}.");
        return ToContract(await Run(() => rideCheck.AnswerAsync(caller.UserId, tripId, request.Answer, context.CancellationToken)), caller);
    }

    public override async Task<Trip> ReportLostItem(ReportLostItemRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var description = Domain.LostItemReport.CleanDescription(request.Description)
            ?? throw Validate.Invalid($"description must be 1 to {Domain.LostItemReport.MaxDescriptionLength} characters, without control characters: what you left in the car.");
        var phone = Domain.TripPassenger.CleanPhone(request.Phone)
            ?? throw Validate.Invalid($"phone must be + and {Domain.TripPassenger.MinPhoneDigits} to {Domain.TripPassenger.MaxPhoneDigits} digits (spaces and dashes are fine), e.g. +39 06 1234 5678: the driver may call it.");
        return ToContract(await Run(() => lostItems.ReportAsync(rider.UserId, tripId, description, phone, context.CancellationToken)), rider);
    }

    public override async Task<Trip> AnswerLostItem(AnswerLostItemRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (!Domain.LostItemReport.TryCleanNote(request.Note, out var note))
        {
            throw Validate.Invalid($"note must be at most {Domain.LostItemReport.MaxNoteLength} characters, without control characters.");
        }
        if (request.Found && note is null) throw Validate.Invalid("note is required when you have the item: where and when you can hand it back.");
        return ToContract(await Run(() => lostItems.AnswerAsync(driver.UserId, tripId, request.Found, note, context.CancellationToken)), driver);
    }

    public override async Task<Trip> MarkLostItemReturned(LostItemRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => lostItems.ReturnedAsync(driver.UserId, tripId, context.CancellationToken)), driver);
    }

    public override async Task<Trip> PayLostItemFee(LostItemRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => lostItems.PayFeeAgainAsync(rider.UserId, tripId, context.CancellationToken)), rider);
    }

    public override async Task<Trip> CloseLostItem(LostItemRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => lostItems.CloseAsync(rider.UserId, tripId, context.CancellationToken)), rider);
    }

    public override async Task<Trip> ChangeTripProfile(ChangeTripProfileRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (request.Profile.Length == 0) throw Validate.Invalid($"profile is required: \"{Domain.RideProfile.Personal}\" or \"{Domain.RideProfile.Business}\".");
        var profile = Validate.RideProfile(request.Profile, request.ExpenseMemo);
        return ToContract(await Run(() => trips.SwitchProfileAsync(rider.UserId, tripId, profile, context.CancellationToken)), rider);
    }

    public override async Task<TripList> ListBusinessTrips(BusinessTripsRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var (from, to) = Validate.Period(request.From, request.To, Domain.EarningsSummary.MaxPeriod);
        var result = new TripList();
        result.Trips.AddRange((await trips.BusinessRidesAsync(rider.UserId, from, to, context.CancellationToken)).Select(t => ToContract(t, rider)));
        return result;
    }

    public override async Task<Trip> ShareTrip(ShareTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => trips.ShareAsync(rider.UserId, tripId, context.CancellationToken)), rider);
    }

    public override async Task<Trip> StopSharingTrip(ShareTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => trips.StopSharingAsync(rider.UserId, tripId, context.CancellationToken)), rider);
    }

    public override async Task<TripMessage> SendTripMessage(SendTripMessageRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        var clientId = Validate.Id(request.ClientMessageId, "clientMessageId");
        var text = DomainTripMessage.Clean(request.Text)
            ?? throw Validate.Invalid($"text must be 1 to {DomainTripMessage.MaxLength} characters, without control characters other than line breaks.");
        return ToContract(await Run(() => trips.SendMessageAsync(caller.UserId, tripId, clientId, text, context.CancellationToken)));
    }

    public override async Task<TripMessageList> ListTripMessages(ListTripMessagesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        var list = new TripMessageList();
        list.Messages.AddRange((await Run(() => trips.MessagesAsync(Reader(caller), tripId, context.CancellationToken))).Select(ToContract));
        return list;
    }

    /// <summary>Whose trips the caller may read: their own, or (support) any (null).</summary>
    public override async Task<Trip> InviteToSplit(InviteToSplitRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var inviteeId = Validate.Id(request.InviteeId, "inviteeId");
        var inviteeName = request.InviteeName.Trim() is { Length: > 0 and <= 200 } name ? name : throw Validate.Invalid("inviteeName is required (at most 200 characters).");
        var requesterName = request.RequesterName.Trim() is { Length: > 0 and <= 200 } own ? own : throw Validate.Invalid("requesterName is required (at most 200 characters).");
        return ToContract(await Run(() => splits.InviteAsync(rider.UserId, tripId, inviteeId, inviteeName, requesterName, context.CancellationToken)), rider);
    }

    public override async Task<Trip> WithdrawSplitInvitation(WithdrawSplitInvitationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        var inviteeId = Validate.Id(request.InviteeId, "inviteeId");
        return ToContract(await Run(() => splits.WithdrawAsync(rider.UserId, tripId, inviteeId, context.CancellationToken)), rider);
    }

    public override async Task<SplitInvitationList> ListSplitInvitations(ListSplitInvitationsRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var limit = request.Limit == 0 ? 20 : request.Limit;
        if (limit is < 1 or > 50) throw Validate.Invalid("limit must be between 1 and 50.");
        var result = new SplitInvitationList();
        result.Invitations.AddRange((await splits.InvitationsAsync(rider.UserId, limit, context.CancellationToken))
            .Select(t => SplitFareContracts.ForInvitee(t, rider.UserId)));
        return result;
    }

    public override async Task<SplitInvitation> GetSplitInvitation(GetSplitInvitationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        return SplitFareContracts.ForInvitee(await Run(() => splits.InviteesTripAsync(rider.UserId, tripId, context.CancellationToken)), rider.UserId);
    }

    public override async Task<SplitInvitation> AnswerSplitInvitation(AnswerSplitInvitationRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var tripId = Validate.Id(request.TripId, "tripId");
        string? cardId = null;
        if (request.Accept)
        {
            cardId = request.CardId.Length > 0 ? Validate.CardId(request.CardId)
                : throw Validate.Invalid("cardId: choose one of your saved cards to pay your share; without one, save a card under Account settings → Payment methods first.");
        }
        var trip = await Run(() => splits.AnswerAsync(rider.UserId, tripId, request.Accept, cardId, context.CancellationToken));
        return SplitFareContracts.ForInvitee(trip, rider.UserId);
    }

    private static string? Reader(Caller caller) => caller.IsOperator ? null : caller.UserId;

    private static TripMessage ToContract(DomainTripMessage message) =>
        new() { MessageId = message.Id, From = message.From, Text = message.Text, SentAt = message.At.ToString("O") };

    /// <summary>No caller: whoever holds the token may follow the trip (the gateway checks the token's shape first).</summary>
    public override async Task<SharedTrip> GetSharedTrip(GetSharedTripRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.Token) || request.Token.Length > 64) throw Validate.Invalid("token is not a share token.");
        var trip = await trips.SharedAsync(request.Token, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "This trip is not shared, or it ended a while ago."));
        var shared = new SharedTrip
        {
            Status = trip.Status,
            VehicleClass = trip.VehicleClass,
            Pickup = new LatLng { Lat = trip.Pickup.Lat, Lng = trip.Pickup.Lng },
            Dropoff = new LatLng { Lat = trip.Dropoff.Lat, Lng = trip.Dropoff.Lng },
            RiderId = trip.RiderId,
            DriverId = trip.DriverId ?? "",
            StartedAt = Timestamp(trip.StartedAt),
            EndedAt = Timestamp(trip.EndedAt),
            UpdatedAt = trip.UpdatedAt.ToString("O"),
            PassengerName = trip.Passenger?.Name ?? "",
            Pin = trip.Passenger is not null && trip.Status is TripStatus.DriverAssigned or TripStatus.DriverArrived ? trip.Pin : "",
        };
        shared.Stops.AddRange(Ride(trip).Stops);
        if (trip.Driver is { Location: { } at } driver)
        {
            shared.DriverLocation = new LatLng { Lat = at.Lat, Lng = at.Lng };
            shared.DriverLocationAt = Timestamp(driver.LocationAt);
            // Riding: to the drop-off through the stops still ahead.
            IReadOnlyList<GeoPoint> path = trip.Status switch
            {
                TripStatus.DriverAssigned => [at, trip.Pickup],
                TripStatus.InProgress => [at, .. trip.Stops.Where(s => s.ReachedAt is null).Select(s => s.Location), trip.Dropoff],
                _ => [],
            };
            if (path.Count > 1) shared.EtaSeconds = DomainTrip.Legs(path).Sum(leg => RouteEstimator.Estimate(leg.From, leg.To, pricing.Value).DurationSeconds);
        }
        return shared;
    }

    private static Task<T> Run<T>(Func<Task<T>> action) => DomainErrors.Run(action);

    private static AppliedPromotion Applied(string code, long discountMinor, string currency) =>
        new() { Code = code, Discount = new Money { AmountMinor = discountMinor, Currency = currency } };

    /// <summary>
    /// The trip as <paramref name="viewer"/> may see it: the PIN only for its rider, once a driver is assigned; the
    /// cancellation terms only for its rider, while they may cancel; refunds for the rider and support, the driver's
    /// earnings for the driver and support; the note and who rides (ADR 0031) for the rider, the driver and support,
    /// the passenger's phone to the driver only while the trip is under way.
    /// </summary>
    private Trip ToContract(DomainTrip trip, Caller viewer)
    {
        if (viewer.IsDriver && trip.WasGivenUpBy(viewer.UserId)) return GivenUp(trip);
        var result = Ride(trip);
        result.MergeFrom(new Trip
        {
            RiderId = trip.RiderId,
            Pin = viewer.UserId == trip.RiderId && trip.Driver is not null && trip.Status is TripStatus.DriverAssigned or TripStatus.DriverArrived
                ? trip.Pin : "",
            WrongPinAttempts = trip.WrongPinAttempts,
            PinRequired = trip.PinRequired,
            PinLockedUntil = viewer.UserId == trip.DriverId || viewer.IsOperator ? Timestamp(trip.PinLockedUntil) : "",
            ShareToken = viewer.UserId == trip.RiderId ? trip.Share?.Token ?? "" : "",
            SearchingAgain = trip.Status == TripStatus.Searching && trip.DriversWhoCancelled.Count > 0,
            SurgeMultiplier = trip.SurgeMultiplier,
            ArrivedAt = Timestamp(trip.ArrivedAt),
            StartedAt = Timestamp(trip.StartedAt),
            CompletedAt = Timestamp(trip.CompletedAt),
            ScheduledFor = Timestamp(trip.ScheduledFor),
            DispatchAt = Timestamp(trip.DispatchAt),
            NoShowFrom = viewer.UserId == trip.DriverId ? Timestamp(trip.NoShowFrom(rules.Value)) : "",
            FreeWaitUntil = Timestamp(trip.FreeWaitUntil),
            WaitPerMinute = trip.WaitPerMinuteMinor > 0 ? new Money { AmountMinor = trip.WaitPerMinuteMinor, Currency = trip.Currency } : null,
            // The platform pays a promotion and the driver earns on the whole fare: it is the rider's business.
            Promotion = (viewer.UserId == trip.RiderId || viewer.IsOperator) && trip.Promotion is { } promotion && trip.DiscountMinor > 0
                ? Applied(promotion.Code, trip.DiscountMinor, trip.Currency) : null,
            EmergencyNumber = pricing.Value.EmergencyNumberAt(trip.Pickup),
            PaymentHold = (viewer.UserId == trip.RiderId || viewer.IsOperator) && trip.PaymentHold is { } hold
                ? new PaymentHold
                {
                    CardLabel = hold.CardLabel, Amount = new Money { AmountMinor = hold.AmountMinor, Currency = trip.Currency }, RaiseDeclineCode = hold.RaiseDeclineCode ?? "",
                } : null,
            CardId = viewer.UserId == trip.RiderId || viewer.IsOperator ? trip.CardId ?? "" : "",
            PickupNote = trip.PickupNote ?? "",
            RidePreferences = ToContract(trip.Preferences),
            // Whose expense the ride is concerns its rider and support, not the driver (ADR 0034).
            Profile = viewer.UserId == trip.RiderId || viewer.IsOperator ? trip.Profile.Profile : "",
            ExpenseMemo = viewer.UserId == trip.RiderId || viewer.IsOperator ? trip.Profile.ExpenseMemo ?? "" : "",
            Passenger = trip.Passenger is { } passenger ? new Passenger
            {
                Name = passenger.Name,
                Phone = viewer.UserId != trip.DriverId || trip.IsActive ? passenger.Phone ?? "" : "",
            } : null,
            DriverRating = ToContract(trip.DriverRating),
            RiderRating = ToContract(trip.RiderRating),
            SafetyCheck = trip.OpenSafetyCheck is { } open ? ToContract(open) : null,
            Receipt = new Receipt
            {
                Fare = trip.Breakdown is { } b ? ToContract(b, trip.Currency) : null,
                AmountDue = new Money { AmountMinor = trip.AmountDueMinor, Currency = trip.Currency },
                PaymentStatus = trip.PaymentStatus,
                PaymentAttempt = trip.PaymentAttempt,
                Tip = trip.Tip is { } tip ? new Money { AmountMinor = tip.AmountMinor, Currency = trip.Currency } : null,
                TipPaymentStatus = trip.Tip?.PaymentStatus ?? "",
                TipPaymentAttempt = trip.Tip?.SeparateAttempt ?? 0,
                TipUntil = viewer.UserId == trip.RiderId ? Timestamp(trip.TipUntil(rules.Value)) : "",
                PaidWith = viewer.UserId == trip.RiderId || viewer.IsOperator ? trip.PaidWith ?? "" : "",
                CreditPaid = (viewer.UserId == trip.RiderId || viewer.IsOperator) && trip.CreditPaidMinor > 0
                    ? new Money { AmountMinor = trip.CreditPaidMinor, Currency = trip.Currency }
                    : null,
                Waived = (viewer.UserId == trip.RiderId || viewer.IsOperator) && trip.WaivedOfFareMinor > 0
                    ? new Money { AmountMinor = trip.WaivedOfFareMinor, Currency = trip.Currency }
                    : null,
            },
        });
        // The ride's refunds, of its fare and tip: a lost item's return fee given back is its report's (LostItem.fee_refunded).
        // Of a split fare (ADR 0040) the rider's receipt has their own refunds; support sees every rider's.
        var rideRefunds = trip.Refunds.Where(r => r.Kind != UberClone.Contracts.IntegrationEvents.RefundKinds.ItemReturn && (viewer.IsOperator || r.InviteeId is null)).ToList();
        if ((viewer.UserId == trip.RiderId || viewer.IsOperator) && rideRefunds.Count > 0)
        {
            result.Receipt.Refunded = new Money { AmountMinor = viewer.IsOperator ? trip.RefundedMinor : trip.RefundedToRiderMinor, Currency = trip.Currency };
            result.Receipt.Refunds.AddRange(rideRefunds.Select(r => new Refund
            {
                Amount = new Money { AmountMinor = r.AmountMinor, Currency = trip.Currency }, Kind = r.Kind, RefundedAt = r.At.ToString("O"), InviteeId = r.InviteeId ?? "",
                Credit = r.CreditMinor > 0 ? new Money { AmountMinor = r.CreditMinor, Currency = trip.Currency } : null,
            }));
        }
        if (trip.CompletedBySupport is { } ended)
        {
            result.CompletedBy = TripActors.Operator;
            result.CompletionReason = ended.Reason;
        }
        else if (trip.Status == TripStatus.Completed)
        {
            result.CompletedBy = TripActors.Driver;
        }
        if (trip.Cancellation is { } c)
        {
            result.Cancellation = new Cancellation
            {
                CancelledBy = c.By, Reason = c.Reason, CancelledAt = c.At.ToString("O"),
                Fee = new Money { AmountMinor = c.FeeMinor, Currency = trip.Currency },
            };
        }
        if (viewer.UserId == trip.RiderId && trip.CancellationTermsFor(rules.Value, clock.GetUtcNow()) is { } terms)
        {
            result.CancellationTerms = new CancellationTerms
            {
                FeeNow = new Money { AmountMinor = terms.FeeNowMinor, Currency = trip.Currency },
                FreeUntil = Timestamp(terms.FreeUntil),
                Fee = new Money { AmountMinor = terms.FeeMinor, Currency = trip.Currency },
                FreeWindowSeconds = (int)terms.FreeWindow.TotalSeconds,
            };
        }
        if (trip.DriverEarnings is { } earnings && (viewer.UserId == trip.DriverId || viewer.IsOperator))
        {
            result.DriverEarnings = ToContract(earnings, trip.Currency);
        }
        result.DestinationChanges.AddRange(trip.DestinationChanges.Select(change => new DestinationChange
        {
            From = new LatLng { Lat = change.From.Lat, Lng = change.From.Lng },
            To = new LatLng { Lat = change.To.Lat, Lng = change.To.Lng },
            FareBefore = new Money { AmountMinor = change.FareBeforeMinor, Currency = trip.Currency },
            FareAfter = new Money { AmountMinor = change.FareAfterMinor, Currency = trip.Currency },
            ChangedAt = change.At.ToString("O"),
        }));
        if ((viewer.UserId == trip.RiderId || viewer.IsOperator) && trip.UnpaidReminders is { } unpaid && trip.UnpaidFareMinor + trip.UnpaidReturnFeeMinor > 0)
        {
            result.UnpaidReminders = new UnpaidReminders
            {
                OwedSince = unpaid.Since.ToString("O"), Sent = unpaid.Sent, NextAt = unpaid.NextAt?.ToString("O") ?? "",
                Fare = new Money { AmountMinor = trip.UnpaidFareMinor, Currency = trip.Currency },
                ReturnFee = new Money { AmountMinor = trip.UnpaidReturnFeeMinor, Currency = trip.Currency },
            };
        }
        // What support waived (ADR 0053): the rider sees how much and when; support also who and why.
        if (viewer.UserId == trip.RiderId || viewer.IsOperator)
        {
            result.Receipt.Waivers.AddRange(trip.Waivers.Select(w => new PaymentWaiver
            {
                Fare = new Money { AmountMinor = w.FareMinor, Currency = trip.Currency },
                ReturnFee = new Money { AmountMinor = w.ReturnFeeMinor, Currency = trip.Currency },
                WaivedAt = w.At.ToString("O"),
                Reason = viewer.IsOperator ? w.Reason : "",
                OperatorId = viewer.IsOperator ? w.OperatorId : "",
                ApprovedBy = viewer.IsOperator ? w.ApprovedBy ?? "" : "",
            }));
        }
        // A waiver awaiting a colleague's approval: support's only; the rider sees nothing of it.
        if (viewer.IsOperator && trip.PendingWaiver is { } asked)
        {
            result.WaiverRequest = new WaiverRequest
            {
                OperatorId = asked.OperatorId, Reason = asked.Reason, AskedAt = asked.At.ToString("O"),
                LapsesAt = (asked.At + waiverRules.Value.RequestLapse).ToString("O"), Lapsed = asked.LapsedAt(clock.GetUtcNow(), waiverRules.Value.RequestLapse), Part = !asked.All,
                Fare = new Money { AmountMinor = asked.FareMinor, Currency = trip.Currency },
                ReturnFee = new Money { AmountMinor = asked.ReturnFeeMinor, Currency = trip.Currency },
            };
        }
        if (viewer.IsOperator) result.SafetyChecks.AddRange(trip.SafetyChecks.Select(ToContract));
        if (viewer.UserId == trip.RiderId || viewer.IsOperator) result.Split = SplitFareContracts.OnTrip(trip);
        if (trip.LostItem is { } lost) result.LostItem = ToContract(lost, trip, viewer);
        if (viewer.IsOperator) result.LostItems.AddRange(trip.LostItems.Select(r => ToContract(r, trip, viewer)));
        if (viewer.UserId == trip.RiderId && trip.Status == TripStatus.Completed && trip.CompletedAt is { } rideEnded
            && clock.GetUtcNow() - rideEnded <= Domain.HelpRequest.AskWithin && trip.LostItem?.Status != Domain.LostItemStatus.Returned
            && (trip.LostItem is { IsOpen: true } || trip.LostItems.Count < Domain.LostItemReport.MaxPerTrip))
        {
            result.LostItemReturnFee = new Money { AmountMinor = pricing.Value.LostItemReturnFeeAt(trip.Pickup), Currency = trip.Currency };
        }
        if (trip.Reservation is { } reservation && (viewer.UserId == trip.RiderId || viewer.UserId == reservation.DriverId || viewer.IsOperator))
        {
            result.Reservation = ToContract(reservation);
        }
        if (viewer.IsOperator) result.DriverReservations.AddRange(trip.DriverReservations.Select(ToContract));
        if (trip.Driver is { } driver)
        {
            result.Driver = new AssignedDriver
            {
                DriverId = driver.DriverId,
                AssignedAt = driver.AssignedAt.ToString("O"),
                Location = driver.Location is { } p ? new LatLng { Lat = p.Lat, Lng = p.Lng } : null,
            };
        }
        return result;
    }

    /// <summary>A trip in the history of a driver who gave it up: the ride they were to drive, not what came after.</summary>
    private static Trip GivenUp(DomainTrip trip)
    {
        var ride = Ride(trip);
        ride.GivenUpByYou = true;
        return ride;
    }

    /// <summary>What anyone who may see a trip sees: the route, the fare, the status and when.</summary>
    private static Trip Ride(DomainTrip trip)
    {
        var ride = new Trip
        {
            TripId = trip.Id,
            Status = trip.Status,
            VehicleClass = trip.VehicleClass,
            Pickup = new LatLng { Lat = trip.Pickup.Lat, Lng = trip.Pickup.Lng },
            Dropoff = new LatLng { Lat = trip.Dropoff.Lat, Lng = trip.Dropoff.Lng },
            Fare = new Money { AmountMinor = trip.FareMinor, Currency = trip.Currency },
            DistanceMeters = trip.DistanceMeters,
            DurationSeconds = trip.DurationSeconds,
            CreatedAt = trip.CreatedAt.ToString("O"),
            UpdatedAt = trip.UpdatedAt.ToString("O"),
            NextStop = trip.NextStop ?? -1,
            WithPet = trip.WithPet,
            PayInCash = trip.PayInCash,
            BookedPickup = trip.BookedPickup is { } booked ? new LatLng { Lat = booked.Lat, Lng = booked.Lng } : null,
            PickupMoves = trip.PickupMoves,
            WheelchairAccessible = trip.WheelchairAccessible,
        };
        ride.Stops.AddRange(trip.Stops.Select(s => new TripStop { Location = new LatLng { Lat = s.Location.Lat, Lng = s.Location.Lng }, ReachedAt = Timestamp(s.ReachedAt) }));
        return ride;
    }

    private static string Timestamp(DateTimeOffset? at) => at?.ToString("O") ?? "";

    private static DriverReservation ToContract(Domain.DriverReservation reservation) => new()
    {
        DriverId = reservation.DriverId,
        ReservedAt = reservation.ReservedAt.ToString("O"),
        ReleasedAt = Timestamp(reservation.ReleasedAt),
        ReleasedBy = reservation.ReleasedBy ?? "",
        ReleaseReason = reservation.ReleaseReason ?? "",
    };

    private static SafetyCheck ToContract(Domain.SafetyCheck check) => new()
    {
        Number = check.Number,
        Location = new LatLng { Lat = check.At.Lat, Lng = check.At.Lng },
        StoppedMinutes = check.StoppedMinutes,
        StoppedSince = check.StoppedSince.ToString("O"),
        OpenedAt = check.OpenedAt.ToString("O"),
        Answer = check.Answer ?? "",
        AnsweredBy = check.AnsweredBy ?? "",
        AnsweredAt = Timestamp(check.AnsweredAt),
        SupportAlertedAt = Timestamp(check.SupportAlertedAt),
        Kind = check.Kind,
        DetourMeters = check.DetourMeters,
    };

    /// <summary>
    /// A lost-item report as <paramref name="viewer"/> sees it: the rider's phone to the driver only while it is open (they
    /// may need to call; afterwards it is none of theirs: ADR 0035), always to the rider and support.
    /// </summary>
    private static LostItem ToContract(Domain.LostItemReport report, DomainTrip trip, Caller viewer) => new()
    {
        Number = report.Number,
        Status = report.Status,
        Description = report.Description,
        Phone = viewer.UserId != trip.DriverId || report.IsOpen ? report.Phone : "",
        DriverNote = report.DriverNote ?? "",
        ReturnFee = new Money { AmountMinor = report.ReturnFeeMinor, Currency = trip.Currency },
        FeePaymentStatus = report.FeePaymentStatus,
        ReportedAt = report.ReportedAt.ToString("O"),
        AnsweredAt = Timestamp(report.AnsweredAt),
        ReturnedAt = Timestamp(report.ReturnedAt),
        ClosedAt = Timestamp(report.ClosedAt),
        AnswerBy = report.AnswerBy.ToString("O"),
        SupportAlertedAt = Timestamp(report.SupportAlertedAt),
        FeePaymentAttempt = report.FeeAttempt,
        // Only the returned report has a fee paid (nothing is reported after a return), so the trip's fee refunds are its.
        FeeRefunded = report.Status == Domain.LostItemStatus.Returned && trip.ReturnFeeRefundedMinor > 0
            ? new Money { AmountMinor = trip.ReturnFeeRefundedMinor, Currency = trip.Currency }
            : null,
    };

    private static Rating? ToContract(Domain.Rating? rating) =>
        rating is null ? null : new Rating { Stars = rating.Stars, Comment = rating.Comment ?? "", RatedAt = rating.At.ToString("O") };

    private static DriverEarnings ToContract(Domain.DriverEarnings earnings, string currency) => new()
    {
        Kind = earnings.Kind,
        Amount = new Money { AmountMinor = earnings.AmountMinor, Currency = currency },
        BookingFee = new Money { AmountMinor = earnings.BookingFeeMinor, Currency = currency },
        ServiceFeePercent = earnings.ServiceFeePercent,
        ServiceFee = new Money { AmountMinor = earnings.ServiceFeeMinor, Currency = currency },
        Earnings = new Money { AmountMinor = earnings.EarningsMinor, Currency = currency },
        EarnedAt = earnings.EarnedAt.ToString("O"),
        Tip = earnings.TipMinor > 0 ? new Money { AmountMinor = earnings.TipMinor, Currency = currency } : null,
        FareAdjustment = earnings.FareAdjustmentMinor > 0 ? new Money { AmountMinor = earnings.FareAdjustmentMinor, Currency = currency } : null,
        ItemReturn = earnings.ItemReturnMinor > 0 ? new Money { AmountMinor = earnings.ItemReturnMinor, Currency = currency } : null,
        PlaceFees = earnings.PlaceFeesMinor > 0 ? new Money { AmountMinor = earnings.PlaceFeesMinor, Currency = currency } : null,
        CashCollected = earnings.CashCollectedMinor > 0 ? new Money { AmountMinor = earnings.CashCollectedMinor, Currency = currency } : null,
    };

    private static FareBreakdown ToContract(Pricing.FareBreakdown fare, string currency) => new()
    {
        BaseMinor = fare.BaseMinor,
        DistanceMinor = fare.DistanceMinor,
        TimeMinor = fare.TimeMinor,
        SurgeMinor = fare.SurgeMinor,
        MinimumFareAdjustmentMinor = fare.MinimumFareAdjustmentMinor,
        BookingFeeMinor = fare.BookingFeeMinor,
        WaitMinor = fare.WaitMinor,
        TotalMinor = fare.TotalMinor,
        Currency = currency,
        PlaceFees = { fare.PlaceFees.Select(f => new PlaceFee { Name = f.Name, AmountMinor = f.AmountMinor }) },
        PetFeeMinor = fare.PetFeeMinor,
    };
}
