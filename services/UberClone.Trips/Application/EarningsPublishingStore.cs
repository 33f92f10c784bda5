using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// The trips collection, telling payments each change of what a driver earns (ADR 0025): whichever transition changed
/// a trip's earnings (completion, a late cancellation's fee, a tip paid, a fare adjustment, support's cancellation), the
/// same write carries <c>trip.event.earnings_changed</c> and marks it told (<see cref="Trip.PublishEarnings"/>), so
/// no change is told twice or lost, and no code path can forget it.
/// </summary>
public sealed class EarningsPublishingStore(IDocumentStore<Trip> inner) : IDocumentStore<Trip>
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

    /// <summary>Carries no outbox messages: a batch that would change earnings is refused rather than left untold.</summary>
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

    private (Trip Trip, IReadOnlyList<OutboxMessage>? Outbox) Published(Trip document, IReadOnlyList<OutboxMessage>? outbox)
    {
        var (trip, change) = document.PublishEarnings();
        if (change is null) return (document, outbox);
        var message = OutboxMessages.Create(Topics.TripEarningsChanged, trip.Id, new TripEarningsChangedIntegrationEvent(
            trip.Id, change.DriverId, trip.Currency, change.EarningsMinor, change.PreviousMinor, change.Revision, change.Kind, trip.UpdatedAt));
        return (trip, [.. outbox ?? [], message]);
    }
}
