using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Drivers reserving rides for later against the stored trips (ADR 0047): two drivers at once, one wins; the listing;
/// the rider told; moving the ride releases it; its search names the reserved driver.
/// </summary>
public sealed class DriverReservationsTests : IDisposable
{
    private static readonly GeoPoint Home = new(52.52, 13.40);
    private static readonly GeoPoint Office = new(52.50, 13.45);
    private static readonly string[] Economy = ["economy"];

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly TestMeters _meters = new();
    private readonly FakeDrivers _drivers = new();
    private readonly TripsApplication _trips;
    private readonly DriverReservations _reservations;

    public DriverReservationsTests()
    {
        _repository = new TripRepository(_file.Database);
        var pricing = Options.Create(new PricingOptions());
        var rules = Options.Create(new TripRules());
        _trips = TestApplications.Trips(_repository, _file.Database, pricing, _clock, _meters, rules: rules);
        _reservations = new DriverReservations(_repository, Options.Create(new ReservationRules()), rules, _drivers, _clock);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Trip> BookAsync(string riderId, DateTimeOffset pickupAt)
    {
        var quote = await _trips.QuoteAsync(riderId, Home, Office, Ct);
        return await _trips.BookAsync(riderId, quote.Id, "economy", pickupAt, cardId: null, pickupNote: null, passenger: null,
            RideProfile.PersonalRide, withPet: false, payInCash: false, wheelchairAccessible: false, Ct);
    }

    [Fact]
    public async Task Two_drivers_reserving_at_once_one_wins_and_the_rider_is_told_once()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));

        var attempts = await Task.WhenAll(new[] { "d1", "d2", "d3" }.Select(async d =>
        {
            try
            {
                return (Driver: d, Won: (await _reservations.ReserveAsync(d, Economy, ride.Id, Ct)).ReservedBy == d);
            }
            catch (ReservationConflictException)
            {
                return (Driver: d, Won: false);
            }
        }));

        var winner = Assert.Single(attempts, a => a.Won).Driver;
        Assert.Equal(winner, (await _repository.Trips.GetAsync(ride.Id, Ct))!.Document.ReservedBy);
        var told = Assert.Single(await _file.PublishedAsync<TripReservedIntegrationEvent>(Topics.TripReserved));
        Assert.Equal((ride.Id, "r1", winner), (told.TripId, told.RiderId, told.DriverId));
    }

    [Fact]
    public async Task The_listing_shows_open_rides_near_the_driver_and_a_reserved_one_moves_to_their_own_list()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        _drivers.Known["d1"] = new DriverLookup(new GeoPoint(52.53, 13.41), DriverSuitability.Default);

        Assert.Equal([ride.Id], (await _reservations.ListAsync("d1", Economy, near: null, ReservableRides.SoonestFirst, 20, Ct)).Select(t => t.Id));
        Assert.Empty(await _reservations.ListAsync("d1", Economy, new GeoPoint(48.14, 11.58), ReservableRides.SoonestFirst, 20, Ct)); // Munich: too far
        Assert.Equal(DriverReservations.NoPosition,
            (await Assert.ThrowsAsync<TripRuleException>(() => _reservations.ListAsync("d9", Economy, near: null, ReservableRides.SoonestFirst, 20, Ct))).Message);
        await Assert.ThrowsAsync<TripRuleException>(() => _reservations.ReserveAsync("d1", ["comfort"], ride.Id, Ct)); // not their class

        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);

        Assert.Empty(await _reservations.ListAsync("d1", Economy, near: null, ReservableRides.SoonestFirst, 20, Ct));
        Assert.Equal([ride.Id], (await _reservations.MineAsync("d1", Ct)).Select(t => t.Id));
    }

    [Fact]
    public async Task Moving_the_ride_releases_the_reservation_telling_the_driver()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);

        await _trips.RescheduleAsync("r1", ride.Id, ride.ScheduledFor!.Value.AddHours(2), Ct);

        var released = Assert.Single(await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased));
        Assert.Equal(("d1", TripActors.Rider, Trip.MovedReleaseReason), (released.DriverId, released.By, released.Reason));
        Assert.Empty(await _reservations.MineAsync("d1", Ct));
    }

    [Fact]
    public async Task The_search_of_a_reserved_ride_names_its_driver_for_dispatch()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);

        _clock.SetUtcNow(ride.DispatchAt!.Value.AddSeconds(1));
        await _trips.DispatchDueAsync(50, Ct);

        var created = Assert.Single(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated));
        Assert.Equal("d1", created.ReservedDriverId);
    }

    [Fact]
    public async Task The_rider_cancelling_a_reserved_ride_tells_the_driver()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);

        await _trips.CancelAsRiderAsync("r1", ride.Id, "plans changed", maxFeeMinor: null, Ct);

        var released = Assert.Single(await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased));
        Assert.Equal(("d1", TripActors.Rider, true), (released.DriverId, released.By, released.Cancelled));
    }

    private sealed class FakeDrivers : IDriverLookup
    {
        public Dictionary<string, DriverLookup> Known { get; } = [];

        public Task<DriverLookup?> FindAsync(string driverId, CancellationToken ct) => Task.FromResult(Known.GetValueOrDefault(driverId));
    }
}
