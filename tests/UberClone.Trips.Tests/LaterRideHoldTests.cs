using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// A ride booked for later is held on the rider's card when its search starts (ADR 0027), without the rider there to
/// confirm it; a ride paid in cash (ADR 0042) has no card to hold and its search starts all the same.
/// </summary>
public sealed class LaterRideHoldTests : IDisposable
{
    private static readonly GeoPoint Home = new(52.52, 13.40);
    private static readonly GeoPoint Office = new(52.50, 13.45);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordedHolds _holds = new();
    private readonly TestMeters _meters = new();
    private readonly TripsApplication _trips;

    public LaterRideHoldTests()
    {
        _repository = new TripRepository(_file.Database);
        var pricing = Options.Create(new PricingOptions { CashAccepted = true });
        _trips = TestApplications.Trips(_repository, _file.Database, pricing, _clock, _meters, _holds);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Trip> BookForTomorrowAsync(string riderId, bool payInCash)
    {
        var quote = await _trips.QuoteAsync(riderId, Home, Office, Ct);
        return await _trips.BookAsync(riderId, quote.Id, "economy", _clock.GetUtcNow().AddDays(1), cardId: null, pickupNote: null, passenger: null,
            RideProfile.PersonalRide, withPet: false, payInCash, wheelchairAccessible: false, Ct);
    }

    private async Task<Trip> WhenItsSearchStartsAsync(Trip booked)
    {
        _clock.SetUtcNow(booked.DispatchAt!.Value.AddSeconds(1));
        Assert.Equal(1, await _trips.DispatchDueAsync(50, Ct));
        return (await _repository.Trips.GetAsync(booked.Id, Ct))!.Document;
    }

    [Fact]
    public async Task A_card_ride_for_later_is_held_when_its_search_starts_without_the_rider_there()
    {
        var booked = await BookForTomorrowAsync("r1", payInCash: false);
        Assert.Empty(_holds.Held); // nothing held a day ahead

        var started = await WhenItsSearchStartsAsync(booked);

        Assert.Equal(TripStatus.Searching, started.Status);
        Assert.Equal([("r1", booked.Id, booked.UpfrontPriceMinor, false)], _holds.Held);
        Assert.Equal(new TripPaymentHold("Visa ending 4242", booked.UpfrontPriceMinor, null, "card_1"), started.PaymentHold);
    }

    [Fact]
    public async Task A_cash_ride_for_later_starts_its_search_with_nothing_held()
    {
        var booked = await BookForTomorrowAsync("r1", payInCash: true);

        var started = await WhenItsSearchStartsAsync(booked);

        Assert.Equal(TripStatus.Searching, started.Status);
        Assert.True(started.PayInCash);
        Assert.Empty(_holds.Held);
        Assert.Null(started.PaymentHold);
    }

    /// <summary>Payments holding every fare on the rider's default card, recording what it was asked.</summary>
    private sealed class RecordedHolds : IFareHolds
    {
        public List<(string RiderId, string TripId, long AmountMinor, bool RiderPresent)> Held { get; } = [];

        public Task<FareHoldAnswer?> HoldAsync(string riderId, string tripId, long amountMinor, string currency, string? cardId, bool riderPresent, CancellationToken ct)
        {
            lock (Held) Held.Add((riderId, tripId, amountMinor, riderPresent));
            return Task.FromResult<FareHoldAnswer?>(new FareHoldAnswer(FareHoldAnswer.Held, "Visa ending 4242", null, amountMinor, currency, Version: 1, CardId: "card_1"));
        }

        public Task ReleaseAsync(string riderId, string tripId, CancellationToken ct) => throw new NotSupportedException("nothing is let go here");
        public Task CheckCardAsync(string riderId, string cardId, CancellationToken ct) => throw new NotSupportedException("no card is chosen here");
        public Task<FareHoldAnswer?> RaiseAsync(string riderId, string tripId, long amountMinor, string currency, CancellationToken ct) => throw new NotSupportedException();
        public Task<FareHoldMove> MoveAsync(string riderId, string tripId, string cardId, long amountMinor, string currency, CancellationToken ct) =>
            throw new NotSupportedException();
    }
}
