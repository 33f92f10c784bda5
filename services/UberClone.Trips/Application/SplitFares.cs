using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// Split fare (ADR 0040): the rider asks other riders (found by the gateway from their emails) to share the fare; each
/// answers from their own app; the shares are charged when the ride ends (<see cref="TripsApplication.PaymentRequest"/>).
/// Every change writes <c>trip.event.split_changed</c> with the trip, which the gateway pushes to everyone in it.
/// </summary>
public sealed class SplitFares(TripRepository repository, IFareHolds holds, TimeProvider clock)
{
    /// <summary>
    /// The domain decides first (a trip that does not allow it, the same rider twice, a fourth), then the invitee's pointer
    /// is written, then the trip: a trip that failed to take the invitation leaves a pointer that finds nothing.
    /// </summary>
    public async Task<Trip> InviteAsync(string riderId, string tripId, string inviteeId, string inviteeName, string requesterName, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trip = await RidersTripAsync(riderId, tripId, ct);
        trip.InviteToSplit(riderId, inviteeId, inviteeName, requesterName, now);
        try
        {
            await repository.SplitInvitations.InsertAsync(LinkId(inviteeId, tripId), new SplitInvitationLink(inviteeId, tripId, now), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            // Asked before and withdrawn: the pointer is there already.
        }
        return await ChangeAsync(tripId, t => t.InviteToSplit(riderId, inviteeId, inviteeName, requesterName, now), ct);
    }

    public Task<Trip> WithdrawAsync(string riderId, string tripId, string inviteeId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(tripId, t => t.WithdrawSplitInvitation(riderId, inviteeId, now), ct);
    }

    /// <summary>
    /// The invitee accepts with one of their saved cards (checked with payments first: theirs and not expired) or declines.
    /// To anyone the trip's fare was not split with, the trip does not exist.
    /// </summary>
    public async Task<Trip> AnswerAsync(string inviteeId, string tripId, bool accept, string? cardId, CancellationToken ct)
    {
        var trip = await InviteesTripAsync(inviteeId, tripId, ct);
        var now = clock.GetUtcNow();
        if (ReferenceEquals(trip.AnswerSplitInvitation(inviteeId, accept, cardId, now), trip)) return trip;
        if (accept) await holds.CheckCardAsync(inviteeId, cardId!, ct);
        return await ChangeAsync(tripId, t => t.AnswerSplitInvitation(inviteeId, accept, cardId, now), ct);
    }

    /// <summary>The trips whose fare <paramref name="inviteeId"/> was asked to split, newest invitation first.</summary>
    public async Task<IReadOnlyList<Trip>> InvitationsAsync(string inviteeId, int limit, CancellationToken ct)
    {
        var links = await repository.SplitInvitations.QueryAsync("inviteeId", inviteeId, limit, ct);
        if (links.Count == 0) return [];
        var trips = (await repository.Trips.GetManyAsync([.. links.Select(l => l.Document.TripId)], ct)).ToDictionary(t => t.Id, t => t.Document);
        return [.. links.Select(l => trips.GetValueOrDefault(l.Document.TripId)).OfType<Trip>().Where(t => t.IsSplitWith(inviteeId))];
    }

    /// <summary>The rides whose fare <paramref name="inviteeId"/> paid a share of, newest invitation first: their trip history's (of the <paramref name="limit"/> newest invitations).</summary>
    public async Task<IReadOnlyList<Trip>> PaidSharesAsync(string inviteeId, int limit, CancellationToken ct) =>
        [.. (await InvitationsAsync(inviteeId, limit, ct)).Where(t => t.Split.Of(inviteeId)?.ShareStatus == SplitShareStatus.Paid)];

    /// <summary>Every trip <paramref name="inviteeId"/> was asked to split (their data download), through their pointers.</summary>
    public async IAsyncEnumerable<Trip> AllInvitationsAsync(string inviteeId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var tripIds = new List<string>();
        await foreach (var link in repository.SplitInvitations.QueryAllAsync("inviteeId", inviteeId, ct)) tripIds.Add(link.Document.TripId);
        foreach (var ids in tripIds.Distinct().Chunk(DocumentBatches.MaxIdsPerGet))
        {
            foreach (var trip in await repository.Trips.GetManyAsync(ids, ct))
            {
                if (trip.Document.IsSplitWith(inviteeId)) yield return trip.Document;
            }
        }
    }

    /// <summary>
    /// A rider's account was erased: as an invitee, each invitation still standing on a ride not ended is declined (the
    /// requester is told) and their pointers go; as a requester, their trips with a split keep only their first name.
    /// Safe to repeat.
    /// </summary>
    public async Task ForgetRiderAsync(string riderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var links = new List<Versioned<SplitInvitationLink>>();
        await foreach (var link in repository.SplitInvitations.QueryAllAsync("inviteeId", riderId, ct)) links.Add(link);
        foreach (var link in links)
        {
            await repository.Trips.UpdateAsync(link.Document.TripId, t => t.ForgetSplitRider(riderId, now), t => [Changed(t, now)], ct);
            await repository.SplitInvitations.DeleteAsync(link.Id, link.Version, ct);
        }
        var split = new List<string>();
        await foreach (var trip in repository.Trips.QueryAllAsync("riderId", riderId, ct))
        {
            if (trip.Document.Split.Invitations.Count > 0) split.Add(trip.Id);
        }
        foreach (var tripId in split) await repository.Trips.UpdateAsync(tripId, t => t.ForgetSplitRider(riderId, now), ct: ct);
    }

    /// <summary>One trip as its invitee may read it (<see cref="Trip.IsSplitWith"/>), else not found.</summary>
    public async Task<Trip> InviteesTripAsync(string inviteeId, string tripId, CancellationToken ct) =>
        (await repository.Trips.GetAsync(tripId, ct))?.Document is { } trip && trip.IsSplitWith(inviteeId)
            ? trip
            : throw new TripNotFoundException($"Trip {tripId} was not found.");

    /// <summary>Payments charged an invitee's share, or their card declined it (the rider paid it then).</summary>
    public Task<Trip> ShareChargedAsync(PaymentSplitShareChargedIntegrationEvent charged, CancellationToken ct) =>
        ChangeAsync(charged.TripId, t => t.SplitShareCharged(charged.RiderId, charged.Paid, charged.CardLabel, charged.DeclineCode, clock.GetUtcNow()), ct);

    public static OutboxMessage Changed(Trip trip, DateTimeOffset now) =>
        OutboxMessages.Create(Topics.TripSplitChanged, trip.Id, new TripSplitChangedIntegrationEvent(
            trip.Id, trip.RiderId, [.. trip.Split.Invitations.Select(i => i.RiderId).Distinct()], now));

    /// <summary>The trip ended (a ride's shares settled, or its invitations lapsed): the rider's and each invitee's apps are told; nothing when nobody was asked.</summary>
    public static OutboxMessage[] Told(Trip trip, DateTimeOffset now) => trip.Split.Invitations.Count > 0 ? [Changed(trip, now)] : [];

    private static string LinkId(string inviteeId, string tripId) => $"{inviteeId}:{tripId}";

    private async Task<Trip> RidersTripAsync(string riderId, string tripId, CancellationToken ct) =>
        (await repository.Trips.GetAsync(tripId, ct))?.Document is { } trip && trip.RiderId == riderId
            ? trip
            : throw new TripNotFoundException($"Trip {tripId} was not found.");

    private async Task<Trip> ChangeAsync(string tripId, Func<Trip, Trip> transition, CancellationToken ct)
    {
        try
        {
            return await repository.Trips.UpdateAsync(tripId, transition, t => [Changed(t, t.UpdatedAt)], ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        catch (TripNotYoursException ex)
        {
            throw new TripNotFoundException(ex.Message);
        }
    }
}
