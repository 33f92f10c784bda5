using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Trips.Application;
using DomainTrip = UberClone.Trips.Domain.Trip;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of the trips use cases.</summary>
public sealed class TripGrpcService(TripsApplication trips) : TripService.TripServiceBase
{
    public override async Task<QuoteResponse> GetQuote(QuoteRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var pickup = Validate.Point(request.Pickup, "pickup");
        var dropoff = Validate.Point(request.Dropoff, "dropoff");
        if (Geo.DistanceMeters(pickup, dropoff) < 50)
        {
            throw Validate.Invalid("pickup and dropoff are less than 50 m apart.");
        }
        var quote = await Run(() => trips.QuoteAsync(rider.UserId, pickup, dropoff, context.CancellationToken));
        var response = new QuoteResponse
        {
            QuoteId = quote.Id,
            Pickup = request.Pickup,
            Dropoff = request.Dropoff,
            DistanceMeters = quote.DistanceMeters,
            DurationSeconds = quote.DurationSeconds,
            ExpiresAt = quote.ExpiresAt.ToString("O"),
        };
        response.Options.AddRange(quote.Options.Select(o => new QuoteOption
        {
            VehicleClass = o.VehicleClass,
            Price = new Money { AmountMinor = o.PriceMinor, Currency = o.Currency },
            SurgeMultiplier = o.SurgeMultiplier,
        }));
        return response;
    }

    public override async Task<Trip> CreateTrip(CreateTripRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var quoteId = Validate.Id(request.QuoteId, "quoteId");
        if (!VehicleClasses.IsKnown(request.VehicleClass))
        {
            throw Validate.Invalid($"vehicleClass must be one of: {string.Join(", ", VehicleClasses.All)}.");
        }
        var trip = await Run(() => trips.BookAsync(rider.UserId, quoteId, request.VehicleClass, context.CancellationToken));
        return ToContract(trip);
    }

    public override async Task<Trip> GetTrip(GetTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        return ToContract(await Run(() => trips.GetAsync(tripId, caller.UserId, context.CancellationToken)));
    }

    public override async Task<Trip> GetActiveTrip(GetActiveTripRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        return ToContract(await Run(() => trips.GetActiveAsync(caller.UserId, caller.IsDriver, context.CancellationToken)));
    }

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (TripNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (TripRuleException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
    }

    public static Trip ToContract(DomainTrip trip)
    {
        var result = new Trip
        {
            TripId = trip.Id,
            RiderId = trip.RiderId,
            Status = trip.Status,
            VehicleClass = trip.VehicleClass,
            Pickup = new LatLng { Lat = trip.Pickup.Lat, Lng = trip.Pickup.Lng },
            Dropoff = new LatLng { Lat = trip.Dropoff.Lat, Lng = trip.Dropoff.Lng },
            Fare = new Money { AmountMinor = trip.FareMinor, Currency = trip.Currency },
            DistanceMeters = trip.DistanceMeters,
            DurationSeconds = trip.DurationSeconds,
            CreatedAt = trip.CreatedAt.ToString("O"),
            UpdatedAt = trip.UpdatedAt.ToString("O"),
        };
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
}
