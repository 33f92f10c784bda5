using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// The trips collection, telling what other services and the desks must hear in the very write that changed it, so no
/// change is told twice or lost and no code path can forget it: what a driver earns (ADR 0025; whichever transition
/// changed it — completion, a late cancellation's fee, a tip paid, a fare adjustment, support's cancellation — the write
/// carries <c>trip.event.earnings_changed</c> and marks it told, <see cref="Trip.PublishEarnings"/>), and a waiver
/// awaiting a colleague's approval (ADR 0053; asked for, approved, declined or withdrawn, or voided by the rider paying:
/// <c>trip.event.waiver_request_changed</c>, <see cref="Trip.PublishWaiverRequest"/>).
/// </summary>
public sealed class TripPublishingStore(IDocumentStore<Trip> inner) : IDocumentStore<Trip>
{
    public Task<Versioned<Trip>?> GetAsync(string id, CancellationToken ct = default) => inner.GetAsync(id, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => inner.GetManyAsync(ids, ct);

    public Task<Versioned<Trip>> InsertAsync(string id, Trip document, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        var (trip, messages) = Published(document, outbox);
        return inner.InsertAsync(id, trip, messages, ct);
    }

    public Task<Versioned<Trip>> ReplaceAsync(string id, Trip document, long expectedVersion, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        var (trip, messages) = Published(document, outbox);
        return inner.ReplaceAsync(id, trip, expectedVersion, messages, ct);
    }

    public Task DeleteAsync(string id, long expectedVersion, CancellationToken ct = default) => inner.DeleteAsync(id, expectedVersion, ct);

    /// <summary>
    /// Carries no outbox messages: a batch that would change earnings is refused rather than left untold. No batch writer
    /// asks for or ends a waiver; a change one made would stay unmarked, and the trip's next single write tells it.
    /// </summary>
    public Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<Trip>> items, CancellationToken ct = default) =>
        items.Any(i => i?.Document?.PublishEarnings().Change is not null)
            ? throw new InvalidOperationException("A batch write cannot change what a driver earns: write such trips one by one.")
            : inner.ReplaceEachAsync(items, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default) => inner.QueryAsync(field, value, limit, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default) => inner.QueryUpToAsync(field, max, limit, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default) =>
        inner.QueryBetweenAsync(field, min, max, limit, ct);

    public Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default) => inner.DeleteUpToAsync(field, max, limit, ct);

    public IAsyncEnumerable<Versioned<Trip>> QueryAllAsync(string field, string value, CancellationToken ct = default) => inner.QueryAllAsync(field, value, ct);

    private static (Trip Trip, IReadOnlyList<OutboxMessage>? Outbox) Published(Trip document, IReadOnlyList<OutboxMessage>? outbox)
    {
        var (trip, change) = document.PublishEarnings();
        var messages = outbox ?? [];
        if (change is not null)
        {
            messages = [.. messages, OutboxMessages.Create(Topics.TripEarningsChanged, trip.Id, new TripEarningsChangedIntegrationEvent(
                trip.Id, change.DriverId, trip.Currency, change.EarningsMinor, change.PreviousMinor, change.Revision, change.Kind, trip.UpdatedAt))];
        }
        trip = trip.PublishWaiverRequest(out var waiverChanged);
        if (waiverChanged)
        {
            messages = [.. messages, OutboxMessages.Create(Topics.TripWaiverRequestChanged, trip.Id,
                new TripWaiverRequestChangedIntegrationEvent(trip.Id, trip.PendingWaiver is not null, trip.UpdatedAt))];
        }
        return ReferenceEquals(trip, document) ? (document, outbox) : (trip, messages);
    }
}
