using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

using UberClone.Drivers.Application;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A driver's live positions go to the index on every ping and to the store at most every
/// <see cref="DispatchOptions.StoredPositionInterval"/> (10 s unless configured), whether or not this replica's own
/// announcements come back to its view (the presence handler skips them, skipOwn; the store's
/// throttle must not depend on that).
/// </summary>
public sealed class LocationPersistenceTests() : StoreBackedTest("location-persistence", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Start = new(48.8566, 2.3522);

    [Theory]
    [InlineData(false, 10)]
    [InlineData(true, 10)]
    [InlineData(false, 30)]
    public async Task A_driver_pinging_every_4_s_has_their_stored_position_at_most_one_interval_behind_and_stored_no_more_often(
        bool ownAnnouncementsComeBack, int intervalSeconds)
    {
        var ct = TestContext.Current.CancellationToken;
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        // The presence handler applies what was announced, after the ping that announced it has been answered.
        var echoes = new List<Driver>();
        using var drivers = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions { StoredPositionInterval = interval }), Meters,
            ownAnnouncementsComeBack ? echoes.Add : null);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Start, ct);

        var storedTimes = new HashSet<DateTimeOffset?>();
        var last = Start;
        for (var ping = 1; ping <= 15; ping++)
        {
            Clock.Advance(TimeSpan.FromSeconds(4));
            last = new GeoPoint(Start.Lat + ping * 0.0003, Start.Lng);
            Assert.True(await drivers.Drivers.UpdateLocationAsync("d1", last, null, Clock.GetUtcNow(), ct));
            // The ping is answered before its position is stored; the writer stores it in the background.
            await drivers.FlushPositionsAsync(ct);
            foreach (var echo in echoes.ToList()) drivers.Registry.Apply(echo);
            echoes.Clear();

            var stored = await drivers.Drivers.GetAsync("d1", ct);
            storedTimes.Add(stored.LocationAt);
            Assert.True(Clock.GetUtcNow() - stored.LocationAt <= interval,
                $"After ping {ping} at {Clock.GetUtcNow():T} the stored position is from {stored.LocationAt:T}.");
        }
        Assert.Equal(last.Lat, drivers.Registry.Position("d1")!.Value.Lat, precision: 7);
        // 60 s of pings: the go-online position, then one stored position per interval at most.
        Assert.InRange(storedTimes.Count, 2, 1 + (int)Math.Ceiling(60 / interval.TotalSeconds));
    }

    [Fact]
    public async Task After_a_restart_each_driver_is_indexed_at_their_last_stored_position()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Options.Create(new DispatchOptions());
        var moved = new GeoPoint(Start.Lat + 0.01, Start.Lng);
        DateTimeOffset pinged;
        using (var before = DriversProcess.Open(StoreFile, Clock, options, Meters))
        {
            await before.Drivers.GoOnlineAsync("d-moved", "economy", Start, ct);
            await before.Drivers.GoOnlineAsync("d-still", "economy", Start, ct);
            Clock.Advance(TimeSpan.FromSeconds(10));
            pinged = Clock.GetUtcNow();
            Assert.True(await before.Drivers.UpdateLocationAsync("d-moved", moved, null, pinged, ct));
            await before.FlushPositionsAsync(ct);
        } // nothing in memory survives

        using var after = DriversProcess.Open(StoreFile, Clock, options, Meters);
        await new DriverRegistryLoader(after.Repository, after.Registry, NullLogger<DriverRegistryLoader>.Instance).StartAsync(ct);

        var fix = after.Registry.Position("d-moved")!.Value;
        Assert.Equal((moved.Lat, pinged), (fix.Lat, fix.At), new LatAtComparer());
        Assert.Equal(Start.Lat, after.Registry.Position("d-still")!.Value.Lat, precision: 7);
    }

    private sealed class LatAtComparer : IEqualityComparer<(double Lat, DateTimeOffset At)>
    {
        public bool Equals((double Lat, DateTimeOffset At) x, (double Lat, DateTimeOffset At) y) => Math.Abs(x.Lat - y.Lat) < 1e-7 && x.At == y.At;

        public int GetHashCode((double Lat, DateTimeOffset At) obj) => obj.At.GetHashCode();
    }
}
