using Grpc.Core;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Grpc;

/// <summary>A driver acts only on themselves: the driver id is always the caller's identity.</summary>
public sealed class DriverGrpcService(
    DriversApplication drivers, TimeProvider clock, IOptions<DispatchOptions> dispatchOptions, ILogger<DriverGrpcService> logger)
    : DriverService.DriverServiceBase
{
    private const double MaxAccuracyMeters = 50;

    public override async Task<DriverState> GoOnline(GoOnlineRequest request, ServerCallContext context)
    {
        var caller = Driver(context);
        if (!VehicleClasses.IsKnown(request.VehicleClass))
        {
            throw Invalid($"vehicleClass must be one of: {string.Join(", ", VehicleClasses.All)}.");
        }
        var location = request.Location is null ? null : Point(request.Location.Lat, request.Location.Lng);
        return ToContract(await Run(() => drivers.GoOnlineAsync(caller.UserId, request.VehicleClass, location, context.CancellationToken)));
    }

    public override async Task<DriverState> GoOffline(GoOfflineRequest request, ServerCallContext context) =>
        ToContract(await Run(() => drivers.GoOfflineAsync(Driver(context).UserId, context.CancellationToken)));

    public override async Task<DriverState> SetDestination(SetDestinationRequest request, ServerCallContext context)
    {
        var caller = Driver(context);
        if (request.Destination is null) throw Invalid("destination {lat, lng} is required.");
        var destination = Point(request.Destination.Lat, request.Destination.Lng);
        return ToContract(await Run(() => drivers.HeadToAsync(caller.UserId, destination, context.CancellationToken)));
    }

    public override async Task<DriverState> ClearDestination(ClearDestinationRequest request, ServerCallContext context) =>
        ToContract(await Run(() => drivers.StopHeadingToAsync(Driver(context).UserId, context.CancellationToken)));

    public override async Task<DriverState> SetPetsWelcome(SetPetsWelcomeRequest request, ServerCallContext context)
    {
        var caller = Driver(context);
        // Absent is no answer: read as false, a body the app got wrong would quietly stop the driver's rides with a pet.
        if (!request.HasWelcome) throw Invalid("welcome (true or false) is required.");
        return ToContract(await Run(() => drivers.WelcomePetsAsync(caller.UserId, request.Welcome, context.CancellationToken)));
    }

    public override async Task<DriverState> SetAcceptCash(SetAcceptCashRequest request, ServerCallContext context)
    {
        if (!request.HasAccept) throw new RpcException(new Status(StatusCode.InvalidArgument, "accept: say true or false: whether you accept rides paid in cash."));
        return ToContract(await Run(() => drivers.AcceptCashAsync(Driver(context).UserId, request.Accept, context.CancellationToken)));
    }

    public override async Task<DriverState> GetMe(GetMeRequest request, ServerCallContext context) =>
        ToContract(await Run(() => drivers.GetAsync(Driver(context).UserId, context.CancellationToken)));

    public override async Task<MyQueue> GetMyQueue(GetMyQueueRequest request, ServerCallContext context)
    {
        var place = await drivers.QueuePlaceAsync(Driver(context).UserId, context.CancellationToken);
        return place is null ? new MyQueue() : new MyQueue { Queue = ToContract(place) };
    }

    public override async Task<DriverState> GetDriver(GetDriverRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        if (string.IsNullOrWhiteSpace(request.DriverId) || request.DriverId.Length > 64) throw Invalid("driverId is not a valid id.");
        return ToContract(await Run(() => drivers.GetAsync(request.DriverId, context.CancellationToken, notFound: "This driver has never gone online.")));
    }

    public override async Task<LocationAck> UpdateLocation(LocationUpdate request, ServerCallContext context)
    {
        var caller = Driver(context);
        var (location, heading, recordedAt) = Fix(request);
        var accepted = await Run(() => drivers.UpdateLocationAsync(caller.UserId, location, heading, recordedAt, context.CancellationToken));
        return new LocationAck { Accepted = accepted };
    }

    public override async Task<LocationBatchAck> UpdateLocations(LocationBatch request, ServerCallContext context)
    {
        Caller.RequireGateway(context);
        if (request.Items.Count > LocationBatches.MaxItems) throw Invalid($"A batch holds at most {LocationBatches.MaxItems} locations (got {request.Items.Count}).");
        var results = new LocationResult[request.Items.Count];
        var pings = new List<LocationPing>(request.Items.Count);
        var indexes = new List<int>(request.Items.Count);
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            try
            {
                if (string.IsNullOrWhiteSpace(item.DriverId)) throw Invalid("driverId is required.");
                var (location, heading, recordedAt) = Fix(item.Update ?? throw Invalid("update is required."));
                pings.Add(new LocationPing(item.DriverId, location, heading, recordedAt));
                indexes.Add(i);
            }
            catch (RpcException ex)
            {
                results[i] = new LocationResult { StatusCode = (int)ex.StatusCode, Message = ex.Status.Detail };
            }
        }
        // Together (one store read for drivers this replica's view does not know, the geo index in overlapping passes),
        // each ping answered as a single call would answer it.
        var outcomes = await drivers.UpdateLocationsAsync(pings, context.CancellationToken);
        for (var p = 0; p < pings.Count; p++)
        {
            var (accepted, error) = outcomes[p];
            var result = results[indexes[p]] = new LocationResult { Accepted = accepted };
            if (error is null) continue;
            if (ToRpc(error) is { } refused)
            {
                (result.StatusCode, result.Message) = ((int)refused.StatusCode, refused.Status.Detail);
                continue;
            }
            // One driver's failure (e.g. the store read of a driver this replica does not know yet) is theirs alone.
            logger.LogError(error, "Location of driver {DriverId} in a batch failed", pings[p].DriverId);
            (result.StatusCode, result.Message) = ((int)StatusCode.Unavailable, "The location could not be taken now; send the next one.");
        }
        var ack = new LocationBatchAck();
        ack.Results.AddRange(results);
        return ack;
    }

    /// <summary>A location update's fix, checked: position in range, accuracy, a time neither in the future nor too old to use.</summary>
    private (GeoPoint Location, double? Heading, DateTimeOffset RecordedAt) Fix(LocationUpdate request)
    {
        var location = Point(request.Lat, request.Lng);
        if (request.AccuracyMeters < 0 || request.AccuracyMeters > MaxAccuracyMeters)
        {
            throw Invalid($"accuracyMeters must be between 0 and {MaxAccuracyMeters} (a fix this inaccurate is not used).");
        }
        var now = clock.GetUtcNow();
        var recordedAt = now;
        if (!string.IsNullOrEmpty(request.RecordedAt))
        {
            if (!DateTimeOffset.TryParse(request.RecordedAt, out recordedAt)) throw Invalid("recordedAt must be an ISO 8601 timestamp.");
            if (recordedAt > now.AddSeconds(5)) throw Invalid("recordedAt is in the future.");
            // Older than that, the fix could never make the driver dispatchable, and a rider would be shown where the
            // driver was: refused, so a phone whose clock is behind finds out instead of silently never getting trips.
            var freshness = dispatchOptions.Value.LocationFreshness;
            if (now - recordedAt > freshness)
            {
                throw Invalid($"recordedAt is {(now - recordedAt).TotalSeconds:F0} s old; a position older than {freshness.TotalSeconds:F0} s is not used (is the phone's clock behind?).");
            }
        }
        double? heading = request.Heading is >= 0 and < 360 ? request.Heading : null;
        return (location, heading, recordedAt);
    }

    public override Task<NearbyDrivers> FindNearby(NearbyRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Rider);
        if (!request.HasLat || !request.HasLng) throw Invalid("lat and lng (the pickup) are required.");
        var supply = drivers.FindNearby(Point(request.Lat, request.Lng), new RideNeeds(WithPet: request.WithPet, WheelchairAccessible: request.Wheelchair));
        var reply = new NearbyDrivers { RadiusMeters = (int)Math.Round(supply.RadiusMeters) };
        foreach (var c in supply.Classes)
        {
            var availability = new Contracts.Drivers.ClassAvailability { VehicleClass = c.VehicleClass, DriversNearby = c.DriversNearby };
            if (c.PickupEtaSeconds is { } eta) availability.PickupEtaSeconds = eta;
            if (c.PickupDistanceMeters is { } meters) availability.PickupDistanceMeters = meters;
            reply.Classes.Add(availability);
        }
        reply.Cars.AddRange(supply.Cars.Select(car => new Contracts.Drivers.NearbyCar
        {
            VehicleClass = car.VehicleClass, Location = new LatLng { Lat = car.Location.Lat, Lng = car.Location.Lng },
        }));
        return Task.FromResult(reply);
    }

    public override async Task<OfferResult> AcceptOffer(OfferDecision request, ServerCallContext context)
    {
        var caller = Driver(context);
        var tripId = TripId(request.TripId);
        await Run(async () => { await drivers.AcceptAsync(caller.UserId, tripId, context.CancellationToken); return true; });
        return new OfferResult { TripId = tripId, Outcome = "accepted" };
    }

    public override async Task<OfferResult> DeclineOffer(OfferDecision request, ServerCallContext context)
    {
        var caller = Driver(context);
        var tripId = TripId(request.TripId);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "declined" : request.Reason.Trim();
        if (reason.Length > 200) throw Invalid("reason is longer than 200 characters.");
        await Run(async () => { await drivers.DeclineAsync(caller.UserId, tripId, reason, context.CancellationToken); return true; });
        return new OfferResult { TripId = tripId, Outcome = "declined" };
    }

    private static Contracts.Drivers.QueuePlace ToContract(Domain.QueuePlace place) => new()
    {
        QueueId = place.QueueId, Name = place.Name, Position = place.Position, Size = place.Size, Since = place.Since.ToString("O"),
        PlaceKept = place.PlaceKept, DeclinesAllowed = place.DeclinesAllowed, DeclinesUsed = place.DeclinesUsed,
    };

    private static Caller Driver(ServerCallContext context) => Caller.From(context).RequireRole(Roles.Driver);

    private static GeoPoint Point(double lat, double lng)
    {
        var point = new GeoPoint(lat, lng);
        if (!point.IsValid) throw Invalid("lat must be in [-90, 90] and lng in [-180, 180].");
        return point;
    }

    private static string TripId(string value) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 64 || !value.All(char.IsAsciiLetterOrDigit)
            ? throw Invalid("tripId is not a valid id.")
            : value;

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ToRpc(ex) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>The status a refusal of the drivers' use cases is answered with; null for anything else (a failure).</summary>
    private static RpcException? ToRpc(Exception ex) => ex switch
    {
        DriverNotFoundException or OfferNotFoundException => new RpcException(new Status(StatusCode.NotFound, ex.Message)),
        OfferUnavailableException or DriverTransitionException => new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message)),
        _ => null,
    };

    private DriverState ToContract(Driver driver)
    {
        var state = new DriverState
        {
            DriverId = driver.Id,
            State = driver.State,
            VehicleClass = driver.VehicleClass,
            CurrentTripId = driver.CurrentTripId ?? "",
            OfflineReason = driver.OfflineReason ?? "",
            OfflineAfterTrip = driver.GoesOfflineAfterTrip,
            OfflineAfterTripReason = driver.State == DriverStates.OnTrip ? driver.OfflineAfterTrip ?? "" : "",
            LocationAt = driver.LocationAt?.ToString("O") ?? "",
            UpdatedAt = driver.UpdatedAt.ToString("O"),
            PetsWelcome = driver.PetsWelcome,
            WheelchairAccessible = driver.WheelchairAccessible,
            AcceptsCash = driver.AcceptsCash,
        };
        if (driver.CashLimits?.Where(c => c.Reached).MaxBy(c => c.OwedMinor) is { } paused)
        {
            state.CashPaused = true;
            state.CashOwedMinor = paused.OwedMinor;
            state.CashLimitMinor = paused.LimitMinor;
            state.CashOwedCurrency = paused.Currency;
        }
        var limits = dispatchOptions.Value.DrivingLimits;
        var now = clock.GetUtcNow();
        state.OnlineSeconds = (long)driver.OnlineFor(now, limits).TotalSeconds;
        state.MaxOnlineSeconds = (long)limits.MaxOnline.TotalSeconds;
        state.RestSeconds = (long)limits.Rest.TotalSeconds;
        state.RestsUntil = driver.RestsUntil(now, limits)?.ToString("O") ?? "";
        if (driver.Location is { } l) state.Location = new LatLng { Lat = l.Lat, Lng = l.Lng };
        var offers = driver.Offers;
        state.Offers = new Contracts.Drivers.OfferRecord
        {
            Accepted = offers.Accepted, Declined = offers.Declined, Missed = offers.Missed, Counted = offers.Count, AcceptanceRate = offers.AcceptanceRate ?? 0,
        };
        if (drivers.QueuePlaceOf(driver) is { } place) state.Queue = ToContract(place);
        if (driver.ReturnPassAt(now) is { } pass)
        {
            state.ReturnPass = new QueueReturnPass { QueueId = pass.QueueId, Name = pass.Name, Until = pass.Until.ToString("O"), QueuedAt = pass.QueuedAt.ToString("O") };
        }
        if (driver.HeadingTo is { } heading)
        {
            state.HeadingTo = new LatLng { Lat = heading.Destination.Lat, Lng = heading.Destination.Lng };
            state.HeadingSince = heading.Since.ToString("O");
        }
        if (driver.Offer is { } o)
        {
            state.Offer = new Contracts.Drivers.PendingOffer
            {
                TripId = o.TripId,
                OfferId = o.OfferId,
                ExpiresAt = o.ExpiresAt.ToString("O"),
                VehicleClass = o.VehicleClass,
                Fare = new Money { AmountMinor = o.FareMinor, Currency = o.Currency },
                PickupDistanceMeters = o.PickupDistanceMeters,
                TripDistanceMeters = o.TripDistanceMeters,
                TripDurationSeconds = o.TripDurationSeconds,
                RiderRatingAverage = o.RiderRatingAverage,
                RiderRatingCount = o.RiderRatingCount,
                PassengerName = o.PassengerName ?? "",
                PickupNote = o.PickupNote ?? "",
                WithPet = o.WithPet,
                WheelchairAccessible = o.WheelchairAccessible,
                Reserved = o.Reserved,
                PayInCash = o.PayInCash,
                Conversation = o.Preferences?.Conversation ?? "none",
                HelpWithBags = o.Preferences?.HelpWithBags ?? false,
                Temperature = o.Preferences?.Temperature ?? "none",
            };
            if (o.Pickup is { } pickup) state.Offer.Pickup = new LatLng { Lat = pickup.Lat, Lng = pickup.Lng };
            if (o.Dropoff is { } dropoff) state.Offer.Dropoff = new LatLng { Lat = dropoff.Lat, Lng = dropoff.Lng };
            state.Offer.Stops.AddRange((o.Stops ?? []).Select(s => new LatLng { Lat = s.Lat, Lng = s.Lng }));
        }
        return state;
    }
}
