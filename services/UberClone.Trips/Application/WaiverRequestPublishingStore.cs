using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// The trips collection, telling the support desks each change of a waiver awaiting a colleague's approval (ADR 0053):
/// whichever write asked for one, approved, declined or withdrew it, or voided it (the rider paid: a payment's result), the
/// same write carries <c>trip.event.waiver_request_changed</c> and marks it told (<see cref="Trip.PublishWaiverRequest"/>),
/// as <see cref="EarningsPublishingStore"/> does for earnings: no code path can forget it.
/// </summary>
public sealed class WaiverRequestPublishingStore(IDocumentStore<Trip> inner) : IDocumentStore<Trip>
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
    /// Carries no outbox messages, and no batch writer asks for or ends a waiver: what it writes is left unmarked, so the
    /// next single write of such a trip tells the desks.
    /// </summary>
    public Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<Trip>> items, CancellationToken ct = default) => inner.ReplaceEachAsync(items, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default) => inner.QueryAsync(field, value, limit, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default) => inner.QueryUpToAsync(field, max, limit, ct);

    public Task<IReadOnlyList<Versioned<Trip>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default) =>
        inner.QueryBetweenAsync(field, min, max, limit, ct);

    public Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default) => inner.DeleteUpToAsync(field, max, limit, ct);

    public IAsyncEnumerable<Versioned<Trip>> QueryAllAsync(string field, string value, CancellationToken ct = default) => inner.QueryAllAsync(field, value, ct);

    private (Trip Trip, IReadOnlyList<OutboxMessage>? Outbox) Published(Trip document, IReadOnlyList<OutboxMessage>? outbox)
    {
        var trip = document.PublishWaiverRequest(out var changed);
        if (!changed) return (document, outbox);
        var message = OutboxMessages.Create(Topics.TripWaiverRequestChanged, trip.Id,
            new TripWaiverRequestChangedIntegrationEvent(trip.Id, trip.PendingWaiver is not null, trip.UpdatedAt));
        return (trip, [.. outbox ?? [], message]);
    }
}
