using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>
/// The dispatcher and the driver use cases against a real SQLite store (optimistic concurrency and all), with many
/// trips requested at once and accepts, declines, cancellations and offer deadlines racing each other. With two
/// replicas, each operation goes to either of two dispatchers (own registry, own in-process locks, own connection
/// to the store), whose registries are kept in step by their announcements, as two drivers processes are.
/// </summary>
public sealed class DispatchConcurrencyTests() : StoreBackedTest("dispatch-race", new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Center = new(48.8566, 2.3522);
    private readonly IOptions<DispatchOptions> _options = Options.Create(new DispatchOptions
    {
        OfferTimeout = TimeSpan.FromSeconds(3),
        SearchTimeout = TimeSpan.FromSeconds(20),
        RetryInterval = TimeSpan.FromSeconds(1),
        LocationFreshness = TimeSpan.FromHours(1),
    });
    private readonly List<DriversProcess> _replicas = [];
    private DriverRepository _repository = null!;

    /// <summary>
    /// Drivers processes over one store, each announcing states and fixes to every registry (as driver.event.presence and
    /// driver.event.positions do).
    /// </summary>
    private void StartReplicas(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _replicas.Add(DriversProcess.Open(StoreFile, Clock, _options, Meters,
                announced => { foreach (var replica in _replicas) replica.Registry.Apply(announced); },
                announceFix: fix => { foreach (var replica in _replicas) replica.Registry.ApplyFixes([fix]); }));
        }
        _repository = _replicas[0].Repository;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Racing_accepts_declines_timeouts_and_cancellations_never_double_book_a_driver_or_a_trip(int replicas)
    {
        StartReplicas(replicas);
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(1234);
        Dispatcher AnyDispatcher() => _replicas[Random.Shared.Next(_replicas.Count)].Dispatcher;
        DriversApplication AnyDrivers() => _replicas[Random.Shared.Next(_replicas.Count)].Drivers;
        var driverIds = Enumerable.Range(0, 12).Select(i => $"d{i}").ToList();
        foreach (var id in driverIds)
        {
            await AnyDrivers().GoOnlineAsync(id, "economy", new GeoPoint(Center.Lat + random.NextDouble() * 0.02, Center.Lng + random.NextDouble() * 0.02), ct);
        }
        var tripIds = Enumerable.Range(0, 30).Select(i => $"t{i}").ToList();
        await Task.WhenAll(tripIds.Select(id => Task.Run(() => AnyDispatcher().StartAsync(Created(id), ct), ct)));

        var acceptedBy = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var acceptedTrips = new System.Collections.Concurrent.ConcurrentBag<(string Driver, string Trip)>();
        var cancelled = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        for (var round = 0; round < 30; round++)
        {
            var work = new List<Task>();
            foreach (var driverId in driverIds)
            {
                var choice = random.Next(4);
                work.Add(Task.Run(async () =>
                {
                    var driver = (await _repository.Drivers.GetAsync(driverId, ct))!.Document;
                    if (driver.Offer is not { } offer) return;
                    try
                    {
                        if (choice == 0)
                        {
                            await AnyDrivers().AcceptAsync(driverId, offer.TripId, ct);
                            acceptedTrips.Add((driverId, offer.TripId));
                            Assert.True(acceptedBy.TryAdd(offer.TripId, driverId), $"{offer.TripId} accepted by {driverId} and {acceptedBy.GetValueOrDefault(offer.TripId)}");
                        }
                        else if (choice == 1)
                        {
                            await AnyDrivers().DeclineAsync(driverId, offer.TripId, "busy", ct);
                        }
                        // otherwise: let it time out
                    }
                    catch (Exception ex) when (ex is OfferUnavailableException or OfferNotFoundException)
                    {
                        // Lost a race with a timeout or a cancellation: refused, as it must be.
                    }
                }, ct));
            }
            foreach (var tripId in tripIds.Where(_ => random.Next(15) == 0))
            {
                cancelled[tripId] = true;
                work.Add(Task.Run(() => AnyDispatcher().TripCancelledAsync(
                    new TripCancelledIntegrationEvent(tripId, "r-" + tripId, null, "rider", "race", 0, "USD", Clock.GetUtcNow()), ct), ct));
            }
            // Every replica sweeps, as every drivers process does.
            work.AddRange(_replicas.Select(r => Task.Run(() => r.Dispatcher.SweepAsync(ct), ct)));
            await Task.WhenAll(work);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Clock.Advance(TimeSpan.FromMinutes(2));
        foreach (var replica in _replicas) await replica.Dispatcher.SweepAsync(ct);
        foreach (var replica in _replicas) await replica.Dispatcher.SweepAsync(ct);

        var dispatches = new Dictionary<string, TripDispatch>();
        foreach (var id in tripIds) dispatches[id] = (await _repository.Dispatches.GetAsync(id, ct))!.Document;
        var drivers = new Dictionary<string, Driver>();
        foreach (var id in driverIds) drivers[id] = (await _repository.Drivers.GetAsync(id, ct))!.Document;

        Assert.All(dispatches.Values, d => Assert.False(d.IsOpen, $"{d.Id} is still {d.Status}: a search must end"));
        Assert.All(drivers.Values, d => Assert.NotEqual(DriverStates.Offered, d.State));
        var assigned = dispatches.Values.Where(d => d.Status == DispatchStatus.Assigned).ToList();
        Assert.Equal(assigned.Count, assigned.Select(d => d.AssignedDriverId).Distinct().Count());
        foreach (var dispatch in assigned)
        {
            var driver = drivers[dispatch.AssignedDriverId!];
            Assert.Equal(DriverStates.OnTrip, driver.State);
            Assert.Equal(dispatch.Id, driver.CurrentTripId);
        }
        foreach (var driver in drivers.Values.Where(d => d.State == DriverStates.OnTrip))
        {
            Assert.Equal(DispatchStatus.Assigned, dispatches[driver.CurrentTripId!].Status);
            Assert.Equal(driver.Id, dispatches[driver.CurrentTripId!].AssignedDriverId);
        }
        // A driver takes another trip only after the one they held was cancelled (which released them).
        Assert.All(acceptedTrips.GroupBy(a => a.Driver), held => Assert.True(held.Count(a => !cancelled.ContainsKey(a.Trip)) <= 1,
            $"{held.Key} held {string.Join(", ", held.Select(a => a.Trip))} at once"));
        Assert.NotEmpty(assigned);
        Assert.Contains(dispatches.Values, d => d.Status == DispatchStatus.Cancelled);
        Assert.All(cancelled.Keys, id => Assert.Equal(DispatchStatus.Cancelled, dispatches[id].Status));
        Assert.All(drivers.Values.Where(d => d.State == DriverStates.OnTrip), d => Assert.False(cancelled.ContainsKey(d.CurrentTripId!)));
    }

    private static TripCreatedIntegrationEvent Created(string tripId) =>
        new(tripId, "r-" + tripId, "economy", Center, new GeoPoint(Center.Lat + 0.05, Center.Lng), 1_500, "USD", 6_000, 700, DateTimeOffset.UnixEpoch);

    public override void Dispose()
    {
        foreach (var replica in _replicas) replica.Dispose();
        base.Dispose();
    }
}
