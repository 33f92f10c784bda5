using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells drivers in an airport queue their place (ADR 0036): every <see cref="AirportOptions.AnnounceInterval"/> it
/// reads each queue from this replica's view and sends <c>driver.event.queue_position</c> to each driver whose place
/// changed since it last looked, and "left" (position 0) to those no longer in it. A place changes whenever anyone
/// ahead leaves, so a message per change would be a storm at a busy airport; one per driver per look at most, only
/// on change, is what a "3rd of 7" needs. One replica tells (every replica's view holds the same queues): the one
/// holding partition 0 of trip.event.created, as a search's timers follow its partition (ADR 0007); a replica whose
/// consumer has not joined yet tells too. A replica that takes over tells everyone once.
/// </summary>
public sealed class AirportQueueAnnouncer(
    AirportQueues airports, DriverRegistry registry, IEventPublisher publisher, IOptions<AirportOptions> options, TimeProvider clock,
    ILogger<AirportQueueAnnouncer> logger, PartitionOwnership? ownership = null) : BackgroundService
{
    private Dictionary<string, QueuePlace> _told = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (airports.All.Count == 0) return;
        using var timer = new PeriodicTimer(options.Value.AnnounceInterval, clock);
        do
        {
            try
            {
                await AnnounceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Telling drivers their place in the airport queues failed; trying again in {Interval}", options.Value.AnnounceInterval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look: the places that changed are sent. Returns how many messages went.</summary>
    public async Task<int> AnnounceAsync(CancellationToken ct)
    {
        if (ownership?.Held(Topics.TripCreated) is { } held && !held.Contains(0))
        {
            _told.Clear();
            return 0;
        }
        var now = clock.GetUtcNow();
        var places = new Dictionary<string, QueuePlace>(StringComparer.Ordinal);
        foreach (var queue in airports.All)
        {
            foreach (var (driverId, place) in AirportQueues.Places(queue, registry.Queue(queue.Id))) places[driverId] = place;
        }
        var sent = 0;
        foreach (var (driverId, place) in places)
        {
            if (_told.TryGetValue(driverId, out var told) && told == place) continue;
            await publisher.PublishAsync(Topics.DriverQueuePosition, driverId,
                new DriverQueuePositionIntegrationEvent(driverId, place.QueueId, place.Name, place.Position, place.Size, now,
                    place.PlaceKept, place.DeclinesAllowed, place.DeclinesUsed), ct);
            sent++;
        }
        foreach (var (driverId, told) in _told)
        {
            if (places.ContainsKey(driverId)) continue;
            await publisher.PublishAsync(Topics.DriverQueuePosition, driverId,
                new DriverQueuePositionIntegrationEvent(driverId, told.QueueId, told.Name, 0, 0, now), ct);
            sent++;
        }
        _told = places;
        return sent;
    }
}
