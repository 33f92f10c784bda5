using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.IntegrationEvents.EventHandling;
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

    private async Task<Trip> BookAsync(string riderId, DateTimeOffset? pickupAt)
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

    /// <summary>The driver reserves <paramref name="rides"/> at the same instant: each reads their reserved rides before any writes.</summary>
    private async Task<string[]> ReserveAtOnceAsync(string driverId, IReadOnlyCollection<Trip> rides)
    {
        var racing = new DriverReservations(new TripRepository(new SameInstantDatabase(_file.Database, rides.Count)),
            Options.Create(new ReservationRules()), Options.Create(new TripRules()), _drivers, _clock);
        var attempts = await Task.WhenAll(rides.Select(async ride =>
        {
            try
            {
                return (await racing.ReserveAsync(driverId, Economy, ride.Id, Ct)).ReservedBy == driverId ? ride.Id : null;
            }
            catch (ReservationConflictException)
            {
                return null;
            }
        }));
        return [.. attempts.OfType<string>()];
    }

    [Fact]
    public async Task One_driver_reserving_five_rides_at_once_holds_at_most_three()
    {
        var start = _clock.GetUtcNow().AddDays(1);
        var rides = new List<Trip>();
        for (var i = 0; i < 5; i++) rides.Add(await BookAsync($"r{i}", start.AddHours(2 * i)));

        var won = await ReserveAtOnceAsync("d1", rides);

        Assert.Equal(3, won.Length);
        Assert.Equal(won.Order(), (await _reservations.MineAsync("d1", Ct)).Select(t => t.Id).Order());
        Assert.Equal(3, (await _file.PublishedAsync<TripReservedIntegrationEvent>(Topics.TripReserved)).Count);
        // A released one makes room at once.
        await _reservations.ReleaseAsync("d1", won[0], null, Ct);
        var other = rides.First(r => !won.Contains(r.Id));
        Assert.Equal("d1", (await _reservations.ReserveAsync("d1", Economy, other.Id, Ct)).ReservedBy);
    }

    [Fact]
    public async Task One_driver_reserving_two_rides_half_an_hour_apart_at_once_holds_one()
    {
        var pickupAt = _clock.GetUtcNow().AddDays(1);
        var rides = new[] { await BookAsync("r1", pickupAt), await BookAsync("r2", pickupAt.AddMinutes(30)), await BookAsync("r3", pickupAt.AddMinutes(15)) };

        var won = await ReserveAtOnceAsync("d1", rides);

        Assert.Single(won);
        Assert.Single(await _reservations.MineAsync("d1", Ct));
    }

    [Fact]
    public async Task A_claim_whose_trip_was_never_written_blocks_the_driver_for_a_minute_only()
    {
        var start = _clock.GetUtcNow().AddDays(1);
        var crashed = new[] { await BookAsync("r1", start), await BookAsync("r2", start.AddHours(2)), await BookAsync("r3", start.AddHours(4)) };
        var next = await BookAsync("r4", start.AddHours(6));
        // Three reservations claimed, then the process died before any trip write.
        await _repository.ReservationLedgers.InsertAsync("d1",
            new DriverReservationLedger("d1", [.. crashed.Select(t => new ReservationClaim(t.Id, t.ScheduledFor!.Value, _clock.GetUtcNow()))]), ct: Ct);

        await Assert.ThrowsAsync<ReservationConflictException>(() => _reservations.ReserveAsync("d1", Economy, next.Id, Ct));
        _clock.Advance(DriverReservationLedger.InFlight);

        Assert.Equal("d1", (await _reservations.ReserveAsync("d1", Economy, next.Id, Ct)).ReservedBy);
        Assert.Equal([next.Id], (await _repository.ReservationLedgers.GetAsync("d1", Ct))!.Document.Claims.Select(c => c.TripId));
    }

    [Fact]
    public async Task A_busy_city_elsewhere_does_not_hide_the_open_rides_near_the_driver()
    {
        // 500 open rides in Munich, each sooner than the one in Berlin: more than a listing reads of the soonest anywhere.
        var now = _clock.GetUtcNow();
        var munich = new GeoPoint(48.14, 11.58);
        var breakdown = new FareBreakdown(250, 700, 350, 0, 0, 200);
        for (var i = 0; i < 500; i++)
        {
            var quote = new Quote
            {
                Id = $"qm{i}", RiderId = $"rm{i}", Pickup = munich, Dropoff = new GeoPoint(48.15, 11.60), DistanceMeters = 3_000, DurationSeconds = 600,
                CreatedAt = now, ExpiresAt = now.AddMinutes(10), Options = [new QuoteOption("economy", breakdown.TotalMinor, "EUR", 1.0, breakdown)],
            };
            var ride = Trip.Reserve($"tm{i}", $"rm{i}", quote, quote.Options[0], "1234", now.AddHours(2).AddSeconds(i), new TripRules(), now);
            await _repository.Trips.InsertAsync(ride.Id, ride, ct: Ct);
        }
        var berlin = await BookAsync("r1", now.AddDays(1));
        _drivers.Known["d1"] = new DriverLookup(new GeoPoint(52.53, 13.41), DriverSuitability.Default);

        Assert.Equal([berlin.Id], (await _reservations.ListAsync("d1", Economy, near: null, ReservableRides.SoonestFirst, 20, Ct)).Select(t => t.Id));
        // The Munich driver sees Munich's soonest first, and not Berlin's.
        var inMunich = await _reservations.ListAsync("d1", Economy, munich, ReservableRides.SoonestFirst, 20, Ct);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"tm{i}"), inMunich.Select(t => t.Id));
    }

    [Fact]
    public async Task A_claim_whose_trip_another_driver_won_is_taken_back()
    {
        var start = _clock.GetUtcNow().AddDays(1);
        var taken = await BookAsync("r1", start);
        await _reservations.ReserveAsync("d2", Economy, taken.Id, Ct);

        await Assert.ThrowsAsync<ReservationConflictException>(() => _reservations.ReserveAsync("d1", Economy, taken.Id, Ct));

        Assert.Empty((await _repository.ReservationLedgers.GetAsync("d1", Ct))!.Document.Claims);
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
    public async Task The_driver_is_reminded_once_an_hour_before_a_reserved_pickup_and_not_of_one_they_released()
    {
        var pickupAt = _clock.GetUtcNow().AddDays(1);
        var kept = await BookAsync("r1", pickupAt);
        var released = await BookAsync("r2", pickupAt.AddHours(2));
        await _reservations.ReserveAsync("d1", Economy, kept.Id, Ct);
        await _reservations.ReserveAsync("d1", Economy, released.Id, Ct);
        await _reservations.ReleaseAsync("d1", released.Id, null, Ct);

        _clock.SetUtcNow(pickupAt.AddMinutes(-61));
        Assert.Equal(0, await _reservations.RemindDueAsync(50, Ct));
        _clock.SetUtcNow(pickupAt.AddMinutes(-59));
        Assert.Equal(1, await _reservations.RemindDueAsync(50, Ct));
        Assert.Equal(0, await _reservations.RemindDueAsync(50, Ct)); // once
        _clock.SetUtcNow(pickupAt.AddHours(1.5)); // the released one's hour came: nothing
        Assert.Equal(0, await _reservations.RemindDueAsync(50, Ct));

        var reminder = Assert.Single(await _file.PublishedAsync<TripReservationDriverReminderIntegrationEvent>(Topics.TripReservationDriverReminder));
        Assert.Equal((kept.Id, "d1", pickupAt, kept.DispatchAt!.Value), (reminder.TripId, reminder.DriverId, reminder.ScheduledFor, reminder.DispatchAt));
        Assert.Equal(ReservableRides.Area(kept.Pickup), reminder.PickupArea);
    }

    [Fact]
    public async Task Two_late_releases_pause_the_drivers_reserving_saying_until_when_and_the_listing_says_so_too()
    {
        var start = _clock.GetUtcNow().AddHours(6);
        var rides = new[] { await BookAsync("r1", start), await BookAsync("r2", start.AddHours(2)), await BookAsync("r3", start.AddHours(4)) };
        await _reservations.ReserveAsync("d1", Economy, rides[0].Id, Ct);
        await _reservations.ReleaseAsync("d1", rides[0].Id, null, Ct);
        Assert.Null((await _reservations.StandingAsync("d1", Ct)).PausedUntil);
        await _reservations.ReserveAsync("d1", Economy, rides[1].Id, Ct);
        await _reservations.ReleaseAsync("d1", rides[1].Id, null, Ct);

        var refused = await Assert.ThrowsAsync<ReservingPausedException>(() => _reservations.ReserveAsync("d1", Economy, rides[2].Id, Ct));

        Assert.Equal("You can reserve again on Fri, Dec 11: you released 2 reserved rides late in 30 days", refused.Message);
        var standing = await _reservations.StandingAsync("d1", Ct);
        Assert.Equal((_clock.GetUtcNow().AddDays(7), refused.Message), (standing.PausedUntil, standing.PausedReason));
        Assert.Equal([rides[0].Id, rides[1].Id], standing.Strikes.Select(s => s.TripId));
        Assert.Null((await _repository.Trips.GetAsync(rides[2].Id, Ct))!.Document.Reservation);
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Null((await _reservations.StandingAsync("d1", Ct)).PausedUntil);
    }

    [Fact]
    public async Task Another_driver_taking_a_reserved_ride_at_its_search_is_a_strike_for_the_one_who_reserved_it_once()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);
        _clock.SetUtcNow(ride.DispatchAt!.Value.AddSeconds(1));
        await _trips.DispatchDueAsync(50, Ct);
        var handler = new DriverTripAcceptCommandHandler(_repository, new DemandSupplyWindow(new SurgeOptions()), _clock, new TripsMetrics(_meters),
            Options.Create(new ReservationRules()), NullLogger<DriverTripAcceptCommandHandler>.Instance);
        var accept = new DriverTripAcceptCommand("o2", ride.Id, "d2", "r1", null, _clock.GetUtcNow());
        var context = new MessageContext("m1", Topics.DriverTripAccept, ride.Id, nameof(DriverTripAcceptCommand), _clock.GetUtcNow(), 1);

        await handler.HandleAsync(accept, context, Ct);
        await handler.HandleAsync(accept, context, Ct); // redelivered

        var strike = Assert.Single((await _reservations.StandingAsync("d1", Ct)).Strikes);
        Assert.Equal((ride.Id, ReservationStrike.Missed), (strike.TripId, strike.Why));
        Assert.Empty((await _reservations.StandingAsync("d2", Ct)).Strikes);
    }

    private DriverTripAcceptCommandHandler AcceptHandler() => new(_repository, new DemandSupplyWindow(new SurgeOptions()), _clock, new TripsMetrics(_meters),
        Options.Create(new ReservationRules()), NullLogger<DriverTripAcceptCommandHandler>.Instance);

    private Task AcceptAsync(string tripId, string driverId, string riderId) => AcceptHandler().HandleAsync(
        new DriverTripAcceptCommand($"o-{tripId}-{driverId}", tripId, driverId, riderId, null, _clock.GetUtcNow()),
        new MessageContext($"m-{tripId}-{driverId}", Topics.DriverTripAccept, tripId, nameof(DriverTripAcceptCommand), _clock.GetUtcNow(), 1), Ct);

    private MessageContext Delivery(string topic, string key) => new(Guid.NewGuid().ToString("N"), topic, key, topic, _clock.GetUtcNow(), 1);

    /// <summary>d1 released two rides within 12 h of their pickups: paused. Returns the rides (the third waits, unreserved).</summary>
    private async Task<Trip[]> PausedForTwoLateReleasesAsync()
    {
        var start = _clock.GetUtcNow().AddHours(6);
        var rides = new[] { await BookAsync("r1", start), await BookAsync("r2", start.AddHours(2)), await BookAsync("r3", start.AddHours(4)) };
        foreach (var ride in rides.Take(2))
        {
            await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);
            await _reservations.ReleaseAsync("d1", ride.Id, null, Ct);
        }
        Assert.NotNull((await _reservations.StandingAsync("d1", Ct)).PausedUntil);
        return rides;
    }

    [Fact]
    public async Task Support_removing_a_strike_lifts_the_pause_at_once_keeps_it_as_removed_and_tells_the_driver_once()
    {
        var rides = await PausedForTwoLateReleasesAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var standing = await _reservations.RemoveStrikeAsync("d1", rides[1].Id, "o1", "I was in a crash", Ct);

        Assert.Null(standing.PausedUntil);
        Assert.Equal([rides[0].Id, rides[1].Id], standing.Strikes.Select(s => s.TripId));
        Assert.Equal((_clock.GetUtcNow(), "o1", "I was in a crash"), (standing.Strikes[1].RemovedAt, standing.Strikes[1].RemovedBy, standing.Strikes[1].RemovedReason));
        Assert.Null(standing.Strikes[0].RemovedAt);
        // Again: the same answer, nothing written, nothing sent again.
        _clock.Advance(TimeSpan.FromMinutes(5));
        var again = await _reservations.RemoveStrikeAsync("d1", rides[1].Id, "o2", "twice", Ct);
        Assert.Equal(standing.Strikes, again.Strikes);
        Assert.Null(again.PausedUntil);
        var told = Assert.Single(await _file.PublishedAsync<TripReservationStrikeRemovedIntegrationEvent>(Topics.TripReservationStrikeRemoved));
        Assert.Equal(("d1", rides[1].Id, ReservationStrike.LateRelease, (DateTimeOffset?)null), (told.DriverId, told.TripId, told.Why, told.PausedUntil));
        // The late release's own message, handled again, does not make the removed strike again.
        var handler = new LateReleaseStrikeHandler(_repository, Options.Create(new ReservationRules()));
        foreach (var released in await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased))
        {
            await handler.HandleAsync(released, Delivery(Topics.TripReservationReleased, released.TripId), Ct);
        }
        Assert.Null((await _reservations.StandingAsync("d1", Ct)).PausedUntil);
        Assert.Equal("d1", (await _reservations.ReserveAsync("d1", Economy, rides[2].Id, Ct)).ReservedBy);
    }

    [Fact]
    public async Task Removing_a_strike_the_driver_does_not_have_is_not_found_and_one_of_two_left_above_the_limit_keeps_the_pause()
    {
        var rides = await PausedForTwoLateReleasesAsync();

        await Assert.ThrowsAsync<ReservationStrikeNotFoundException>(() => _reservations.RemoveStrikeAsync("d1", rides[2].Id, "o1", "no such strike", Ct));
        await Assert.ThrowsAsync<ReservationStrikeNotFoundException>(() => _reservations.RemoveStrikeAsync("d9", rides[0].Id, "o1", "no such driver", Ct));
        Assert.Empty(await _file.PublishedAsync<TripReservationStrikeRemovedIntegrationEvent>(Topics.TripReservationStrikeRemoved));

        var strict = new DriverReservations(_repository, Options.Create(new ReservationRules { MaxStrikes = 1 }), Options.Create(new TripRules()), _drivers, _clock);
        var standing = await strict.RemoveStrikeAsync("d1", rides[0].Id, "o1", "the rider asked them to drop it", Ct);

        Assert.Equal(_clock.GetUtcNow().AddDays(7), standing.PausedUntil); // from the strike left
        var told = Assert.Single(await _file.PublishedAsync<TripReservationStrikeRemovedIntegrationEvent>(Topics.TripReservationStrikeRemoved));
        Assert.Equal(standing.PausedUntil, told.PausedUntil);
    }

    [Fact]
    public async Task A_driver_on_another_ride_when_their_reserved_rides_search_starts_is_told_not_struck_and_the_ride_searches_as_usual()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);
        _clock.SetUtcNow(ride.DispatchAt!.Value.AddMinutes(-10));
        var other = await BookAsync("r2", pickupAt: null);
        await AcceptAsync(other.Id, "d1", "r2");

        _clock.SetUtcNow(ride.DispatchAt!.Value.AddSeconds(1));
        await _trips.DispatchDueAsync(50, Ct);

        var created = Assert.Single(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated), c => c.TripId == ride.Id);
        Assert.Null(created.ReservedDriverId);
        var released = Assert.Single(await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased));
        Assert.Equal(("d1", TripActors.System, Trip.OnAnotherRideReleaseReason, false), (released.DriverId, released.By, released.Reason, released.Cancelled));
        var stored = (await _repository.Trips.GetAsync(ride.Id, Ct))!.Document;
        Assert.Equal((TripStatus.Searching, Trip.OnAnotherRideReleaseReason), (stored.Status, stored.DriverReservations.Single().ReleaseReason));

        await AcceptAsync(ride.Id, "d2", "r1");

        Assert.Equal("d2", (await _repository.Trips.GetAsync(ride.Id, Ct))!.Document.DriverId);
        Assert.Empty((await _reservations.StandingAsync("d1", Ct)).Strikes);
    }

    [Fact]
    public async Task A_driver_on_a_ride_booked_days_ago_is_found_on_it_however_many_rides_they_gave_since_it_was_booked()
    {
        var reserved = await BookAsync("r1", _clock.GetUtcNow().AddDays(2));
        await _reservations.ReserveAsync("d1", Economy, reserved.Id, Ct);
        var bookedEarly = await BookAsync("r2", _clock.GetUtcNow().AddDays(2).AddHours(-1));
        // Before it comes, the driver gives 25 rides: each booked after it, so the driver's newest 25 trips.
        for (var i = 0; i < 25; i++)
        {
            var given = TestTrips.InProgress($"given-{i}", at: _clock.GetUtcNow().AddHours(i)).Complete("d1", TestTrips.Rules, _clock.GetUtcNow().AddHours(i).AddMinutes(20));
            await _repository.Trips.InsertAsync(given.Id, given, ct: Ct);
        }
        _clock.SetUtcNow(bookedEarly.DispatchAt!.Value.AddSeconds(1));
        await _trips.DispatchDueAsync(50, Ct);
        await AcceptAsync(bookedEarly.Id, "d1", "r2");

        Assert.Equal(bookedEarly.Id, (await _trips.GetActiveAsync("d1", asDriver: true, Ct)).Id);
        _clock.SetUtcNow(reserved.DispatchAt!.Value.AddSeconds(1));
        await _trips.DispatchDueAsync(50, Ct);

        // The reserved ride's driver is on that ride: excused, and the ride searches as usual.
        var stored = (await _repository.Trips.GetAsync(reserved.Id, Ct))!.Document;
        Assert.Equal((TripStatus.Searching, Trip.OnAnotherRideReleaseReason), (stored.Status, stored.DriverReservations.Single().ReleaseReason));
    }

    [Fact]
    public async Task A_late_release_whose_ledger_write_is_lost_in_a_crash_still_gets_its_strike_from_the_releases_own_message()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddHours(6));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);
        var crashing = new DriverReservations(new TripRepository(new LedgerWriteFailingOnceDatabase(_file.Database)), Options.Create(new ReservationRules()),
            Options.Create(new TripRules()), _drivers, _clock);

        await Assert.ThrowsAsync<IOException>(() => crashing.ReleaseAsync("d1", ride.Id, null, Ct));

        Assert.Null((await _repository.Trips.GetAsync(ride.Id, Ct))!.Document.Reservation); // the trip's write went through
        Assert.Empty((await _reservations.StandingAsync("d1", Ct)).Strikes);
        var released = Assert.Single(await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased));
        var handler = new LateReleaseStrikeHandler(_repository, Options.Create(new ReservationRules()));
        await handler.HandleAsync(released, Delivery(Topics.TripReservationReleased, ride.Id), Ct);
        await handler.HandleAsync(released, Delivery(Topics.TripReservationReleased, ride.Id), Ct); // redelivered

        var strike = Assert.Single((await _reservations.StandingAsync("d1", Ct)).Strikes);
        Assert.Equal((ride.Id, ReservationStrike.LateRelease), (strike.TripId, strike.Why));
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
        var history = Assert.Single((await _repository.Trips.GetAsync(ride.Id, Ct))!.Document.DriverReservations);
        Assert.Equal((TripActors.Rider, Trip.CancelledReleaseReason), (history.ReleasedBy, history.ReleaseReason));
        Assert.NotNull(history.ReleasedAt);
    }

    [Fact]
    public async Task Support_cancelling_a_reserved_ride_marks_the_reservation_released_by_support()
    {
        var ride = await BookAsync("r1", _clock.GetUtcNow().AddDays(1));
        await _reservations.ReserveAsync("d1", Economy, ride.Id, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));

        await _trips.CancelAsSupportAsync(ride.Id, "duplicate booking", Ct);

        var history = Assert.Single((await _repository.Trips.GetAsync(ride.Id, Ct))!.Document.DriverReservations);
        Assert.Equal((TripActors.Operator, Trip.CancelledReleaseReason, _clock.GetUtcNow()), (history.ReleasedBy, history.ReleaseReason, history.ReleasedAt));
        var released = Assert.Single(await _file.PublishedAsync<TripReservationReleasedIntegrationEvent>(Topics.TripReservationReleased));
        Assert.Equal((TripActors.Operator, "duplicate booking", true), (released.By, released.Reason, released.Cancelled));
    }

    private sealed class FakeDrivers : IDriverLookup
    {
        public Dictionary<string, DriverLookup> Known { get; } = [];

        public Task<DriverLookup?> FindAsync(string driverId, CancellationToken ct) => Task.FromResult(Known.GetValueOrDefault(driverId));
    }
}
