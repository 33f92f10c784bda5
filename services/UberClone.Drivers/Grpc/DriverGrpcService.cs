using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Grpc;

/// <summary>A driver acts only on themselves: the driver id is always the caller's identity.</summary>
public sealed class DriverGrpcService(DriversApplication drivers, TimeProvider clock, ILogger<DriverGrpcService> logger) : DriverService.DriverServiceBase
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

    public override async Task<DriverState> GetMe(GetMeRequest request, ServerCallContext context) =>
        ToContract(await Run(() => drivers.GetAsync(Driver(context).UserId, context.CancellationToken)));

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
        // Drivers side by side, as separate calls would be (a ping may wait for the store: a driver this replica's view
        // does not know yet is read first); one driver's pings in order, as they were sent.
        var results = new LocationResult[request.Items.Count];
        await Task.WhenAll(request.Items
            .Select((item, i) => (Item: item, Index: i))
            .GroupBy(x => x.Item.DriverId)
            .Select(async pings =>
            {
                foreach (var (item, i) in pings) results[i] = await OneOfBatchAsync(item, context);
            }));
        var ack = new LocationBatchAck();
        ack.Results.AddRange(results);
        return ack;
    }

    private async Task<LocationResult> OneOfBatchAsync(DriverLocationUpdate item, ServerCallContext context)
    {
        var result = new LocationResult();
        try
        {
            if (string.IsNullOrWhiteSpace(item.DriverId)) throw Invalid("driverId is required.");
            var (location, heading, recordedAt) = Fix(item.Update ?? throw Invalid("update is required."));
            result.Accepted = await Run(() => drivers.UpdateLocationAsync(item.DriverId, location, heading, recordedAt, context.CancellationToken));
        }
        catch (RpcException ex)
        {
            (result.StatusCode, result.Message) = ((int)ex.StatusCode, ex.Status.Detail);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            // One driver's failure (e.g. the store read of a driver this replica does not know yet) is theirs alone.
            logger.LogError(ex, "Location of driver {DriverId} in a batch failed", item.DriverId);
            (result.StatusCode, result.Message) = ((int)StatusCode.Unavailable, "The location could not be taken now; send the next one.");
        }
        return result;
    }

    /// <summary>A location update's fix, checked: position in range, accuracy, a time not in the future.</summary>
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
        }
        double? heading = request.Heading is >= 0 and < 360 ? request.Heading : null;
        return (location, heading, recordedAt);
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
        catch (DriverNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (OfferNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (OfferUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (DriverTransitionException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
    }

    private static DriverState ToContract(Driver driver)
    {
        var state = new DriverState
        {
            DriverId = driver.Id,
            State = driver.State,
            VehicleClass = driver.VehicleClass,
            CurrentTripId = driver.CurrentTripId ?? "",
        };
        if (driver.Location is { } l) state.Location = new LatLng { Lat = l.Lat, Lng = l.Lng };
        if (driver.Offer is { } o) state.Offer = new Contracts.Drivers.PendingOffer { TripId = o.TripId, OfferId = o.OfferId, ExpiresAt = o.ExpiresAt.ToString("O") };
        return state;
    }
}
