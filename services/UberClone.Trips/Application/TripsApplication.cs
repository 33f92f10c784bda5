using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Application;

/// <summary>The trips use cases: quote, book, read. Input is validated by the caller (the gRPC layer).</summary>
public sealed class TripsApplication(TripRepository repository, IOptions<PricingOptions> pricing, TimeProvider clock, TripsMetrics metrics)
{
    public async Task<Quote> QuoteAsync(string riderId, GeoPoint pickup, GeoPoint dropoff, CancellationToken ct)
    {
        var options = pricing.Value;
        var now = clock.GetUtcNow();
        var route = RouteEstimator.Estimate(pickup, dropoff, options);
        const double surge = 1.0;
        var quote = new Quote
        {
            Id = Guid.CreateVersion7().ToString("N"),
            RiderId = riderId,
            Pickup = pickup,
            Dropoff = dropoff,
            DistanceMeters = route.DistanceMeters,
            DurationSeconds = route.DurationSeconds,
            Options = options.Tariffs
                .Where(t => VehicleClasses.IsKnown(t.Key))
                .Select(t => new QuoteOption(t.Key, FareCalculator.Price(t.Value, route, surge), options.Currency, surge))
                .ToList(),
            CreatedAt = now,
            ExpiresAt = now + options.QuoteValidity,
        };
        await repository.Quotes.InsertAsync(quote.Id, quote, ct: ct);
        return quote;
    }

    /// <summary>
    /// Books a quote. A quote books at most one trip: the trip id derives from the quote id, so a retried
    /// request returns the trip already created instead of a second one.
    /// </summary>
    public async Task<Trip> BookAsync(string riderId, string quoteId, string vehicleClass, CancellationToken ct)
    {
        var quote = (await repository.Quotes.GetAsync(quoteId, ct))?.Document;
        if (quote is null || quote.RiderId != riderId) throw new TripNotFoundException($"Quote {quoteId} was not found.");

        var tripId = "t" + quote.Id;
        if (await repository.Trips.GetAsync(tripId, ct) is { } existing) return existing.Document;

        var now = clock.GetUtcNow();
        if (quote.IsExpired(now)) throw new TripRuleException($"Quote {quoteId} expired at {quote.ExpiresAt:O}; ask for a new quote.");
        var option = quote.OptionFor(vehicleClass)
            ?? throw new TripRuleException($"Quote {quoteId} has no price for vehicle class '{vehicleClass}'.");

        var trip = Trip.Request(tripId, riderId, quote, option, now);
        var created = OutboxMessages.Create(Topics.TripCreated, trip.Id, new TripCreatedIntegrationEvent(
            trip.Id, trip.RiderId, trip.VehicleClass, trip.Pickup, trip.Dropoff, trip.FareMinor, trip.Currency,
            trip.DistanceMeters, trip.DurationSeconds, now));
        try
        {
            await repository.Trips.InsertAsync(trip.Id, trip, [created], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await repository.Trips.GetAsync(tripId, ct))!.Document;
        }
        metrics.TripRequested(trip.VehicleClass);
        return trip;
    }

    /// <summary>A rider sees only their own trips; a driver only the trip assigned to them. Anyone else: not found.</summary>
    public async Task<Trip> GetAsync(string tripId, string userId, CancellationToken ct)
    {
        var trip = (await repository.Trips.GetAsync(tripId, ct))?.Document;
        if (trip is null || (trip.RiderId != userId && trip.Driver?.DriverId != userId))
        {
            throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        return trip;
    }

    /// <summary>The caller's unfinished trip (as rider, or as the assigned driver), newest first.</summary>
    public async Task<Trip> GetActiveAsync(string userId, bool asDriver, CancellationToken ct)
    {
        var trips = await repository.Trips.QueryAsync(asDriver ? "driverId" : "riderId", userId, 20, ct);
        return trips.Select(t => t.Document).FirstOrDefault(t => t.IsActive)
            ?? throw new TripNotFoundException("You have no active trip.");
    }
}

public sealed class TripNotFoundException(string message) : Exception(message);

public sealed class TripRuleException(string message) : Exception(message);
