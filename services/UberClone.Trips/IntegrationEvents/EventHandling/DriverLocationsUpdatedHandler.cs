using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps each assigned driver's position on their trip (the arrival check and a reconnecting rider use it), at most
/// every 10 s unless near the pickup (<see cref="Trip.MoveDriver"/>). A batch's trips are read in one store read and
/// the moved ones written in one batch write; a trip changed between the two (arrived, cancelled, another driver) is
/// read again and decided on its fresh state. A batch handled twice, or overtaken by a newer one, changes nothing
/// (older fixes are ignored). The same fixes watch for a ride that stopped too long (RideCheck, ADR 0033,
/// <see cref="Trip.WatchForLongStop"/>) or drove away from where it goes (<see cref="Trip.WatchForDetour"/>), what they remember kept at most every 10 s
/// (<see cref="Trip.TakeDriverFix"/>): a trip whose safety check opens is written on its own, with trip.event.safety_check
/// in the same write.
/// </summary>
public sealed class DriverLocationsUpdatedHandler(TripRepository repository, IOptions<SafetyRules> safety, TimeProvider clock, ILogger<DriverLocationsUpdatedHandler> logger)
    : IMessageHandler<DriverLocationsUpdatedIntegrationEvent>
{
    /// <summary>How often a trip changed between its read and its write is read and decided again before the batch fails (and is retried whole).</summary>
    private const int MaxAttempts = 8;

    public async Task HandleAsync(DriverLocationsUpdatedIntegrationEvent batch, MessageContext context, CancellationToken ct)
    {
        // Only the newest position of each trip in the batch: the others would not be kept anyway.
        var newest = new Dictionary<string, DriverLocationUpdatedIntegrationEvent>();
        foreach (var location in batch.Locations ?? [])
        {
            if (location is not { TripId: { Length: > 0 } tripId, DriverId: not null, Location: not null }) continue;
            if (!newest.TryGetValue(tripId, out var kept) || kept.RecordedAt < location.RecordedAt) newest[tripId] = location;
        }
        foreach (var tripIds in newest.Keys.Chunk(DocumentBatches.MaxIdsPerGet))
        {
            await MoveDriversAsync(tripIds, newest, ct);
        }
    }

    private async Task MoveDriversAsync(IReadOnlyCollection<string> tripIds, Dictionary<string, DriverLocationUpdatedIntegrationEvent> newest, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await repository.Trips.GetReadableAsync(tripIds, (tripId, ex) =>
                logger.LogError(ex, "Trip {TripId}'s stored record cannot be read; its driver's position is not kept", tripId), ct);
            var moves = new List<VersionedReplace<Trip>>();
            var now = clock.GetUtcNow();
            foreach (var (tripId, trip) in stored)
            {
                var location = newest[tripId];
                var moved = Move(trip.Document, location, now);
                if (moved.SafetyChecks.Count > trip.Document.SafetyChecks.Count) await OpenCheckAsync(tripId, location, now, ct);
                else if (!ReferenceEquals(moved, trip.Document)) moves.Add(new VersionedReplace<Trip>(tripId, moved, trip.Version));
            }
            if (moves.Count == 0) return;
            var versions = await repository.Trips.ReplaceEachAsync(moves, ct);
            var changed = moves.Where((_, i) => versions[i] is null).ToArray();
            if (changed.Length == 0) return;
            // The consumer then retries the whole batch: the trips written already keep their positions (nothing newer to write).
            if (attempt == MaxAttempts) throw new ConcurrencyConflictException("trips", changed[0].Id, changed[0].ExpectedVersion);
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            tripIds = changed.Select(m => m.Id).ToArray();
        }
    }

    private Trip Move(Trip trip, DriverLocationUpdatedIntegrationEvent location, DateTimeOffset now) =>
        trip.TakeDriverFix(location.DriverId, location.Location, location.RecordedAt, safety.Value, now);

    /// <summary>The check opens with its event in one write, decided again on the trip as it is then (a conflict reads it again).</summary>
    private Task OpenCheckAsync(string tripId, DriverLocationUpdatedIntegrationEvent location, DateTimeOffset now, CancellationToken ct) =>
        repository.Trips.UpdateAsync(tripId, t => Move(t, location, now),
            t => t.OpenSafetyCheck is { } check && check.OpenedAt == now ? [RideCheck.Event(t, check, RideCheck.Opened, now)] : [], ct);
}
