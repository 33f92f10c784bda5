using System.Security.Cryptography;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// The help requests use cases: a trip's rider or driver asks support, they talk, either closes. Support is the
/// caller with <c>userId</c> of an operator and <c>bySupport</c> true. Every change tells the owner's apps
/// (<see cref="Topics.TripHelpUpdated"/>, in the same write).
/// </summary>
public sealed class HelpDesk(TripRepository repository, TripsApplication trips, TimeProvider clock)
{
    /// <summary>How many requests one user may open about one trip (closed ones included).</summary>
    public const int MaxPerTripAndUser = 20;

    /// <summary>How many a list answers.</summary>
    public const int ListLimit = 50;

    /// <summary>
    /// <paramref name="userId"/> asks about the trip: a request of theirs about it that is not closed gets the text,
    /// otherwise a new one opens. Its id derives from the trip, the user and how many they opened before, so two asks
    /// racing open one request, and the other adds to it.
    /// </summary>
    public async Task<HelpRequest> AskAsync(string userId, string tripId, string topic, string messageId, string text, CancellationToken ct) =>
        await AskAsync(await trips.GetAsync(tripId, userId, ct), userId, topic, messageId, text, urgent: false, ct);

    /// <summary>
    /// The trip's emergency button (<see cref="HelpRequest.EmergencyText"/>): the caller's safety request about the trip,
    /// opened or added to, urgent (first in support's queue) until closed.
    /// </summary>
    public async Task<HelpRequest> EmergencyAsync(string userId, string tripId, string messageId, GeoPoint? phone, CancellationToken ct)
    {
        var trip = await trips.GetAsync(tripId, userId, ct);
        var text = HelpRequest.EmergencyText(trip, userId, phone, clock.GetUtcNow());
        return await AskAsync(trip, userId, HelpTopics.Safety, messageId, text, urgent: true, ct);
    }

    /// <summary>
    /// A request about <paramref name="trip"/> in <paramref name="userId"/>'s name that the platform raises for them
    /// (RideCheck, ADR 0033: safety; a lost item the driver did not answer, ADR 0035): opened or added to like their own;
    /// <paramref name="urgent"/> puts it first in the queue.
    /// </summary>
    public Task<HelpRequest> RaiseAsync(Trip trip, string userId, string messageId, string text, bool urgent, CancellationToken ct, string topic = HelpTopics.Safety) =>
        AskAsync(trip, userId, topic, messageId, text, urgent, ct);

    private async Task<HelpRequest> AskAsync(Trip trip, string userId, string topic, string messageId, string text, bool urgent, CancellationToken ct)
    {
        var tripId = trip.Id;
        while (true)
        {
            var mine = (await repository.HelpRequests.QueryAsync("tripId", tripId, 200, ct)).Where(r => r.Document.OpenedBy == userId).ToList();
            if (mine.FirstOrDefault(r => !r.Document.IsClosed) is { } current)
            {
                return await ChangeAsync(current.Id, r => r.AddUserMessage(userId, messageId, text, clock.GetUtcNow(), urgent), ct);
            }
            // Resent after it was opened and closed: the request that holds the message.
            if (mine.FirstOrDefault(r => r.Document.Messages.Any(m => m.Id == messageId && m.AuthorId == userId)) is { } sent) return sent.Document;
            if (mine.Count >= MaxPerTripAndUser)
            {
                throw new TripRuleException($"You opened {MaxPerTripAndUser} help requests about trip {tripId}, the most one trip takes.");
            }
            var request = HelpRequest.Open(IdFor(tripId, userId, mine.Count), trip, userId, topic, messageId, text, clock.GetUtcNow(), urgent);
            try
            {
                await repository.HelpRequests.InsertAsync(request.Id, request, [Updated(request)], ct);
                return request;
            }
            catch (DuplicateDocumentException)
            {
                // Another ask of this user opened it first: add to that one.
            }
        }
    }

    /// <summary>The user's requests about the trip, newest first; support (<paramref name="userId"/> null): all of them.</summary>
    public async Task<IReadOnlyList<HelpRequest>> ForTripAsync(string? userId, string tripId, CancellationToken ct)
    {
        if (userId is not null)
        {
            var mine = (await repository.HelpRequests.QueryAsync("tripId", tripId, 200, ct)).Select(r => r.Document).Where(r => r.OpenedBy == userId).ToList();
            if (mine.Count == 0) await trips.GetAsync(tripId, userId, ct); // someone else's trip: not found
            return mine;
        }
        await trips.GetAsync(tripId, null, ct);
        return (await repository.HelpRequests.QueryAsync("tripId", tripId, 200, ct)).Select(r => r.Document).ToList();
    }

    /// <summary>The user's own requests, newest first.</summary>
    public async Task<IReadOnlyList<HelpRequest>> OfUserAsync(string userId, CancellationToken ct) =>
        (await repository.HelpRequests.QueryAsync("openedBy", userId, ListLimit, ct)).Select(r => r.Document).ToList();

    /// <summary>Support's queue: the open requests, longest waiting first.</summary>
    public async Task<IReadOnlyList<HelpRequest>> WaitingAsync(CancellationToken ct) =>
        (await repository.HelpRequests.QueryUpToAsync(HelpRequest.WaitingSinceField, long.MaxValue, ListLimit, ct)).Select(r => r.Document).ToList();

    /// <summary>Requests in a status (answered, closed), newest first.</summary>
    public async Task<IReadOnlyList<HelpRequest>> InStatusAsync(string status, CancellationToken ct) =>
        (await repository.HelpRequests.QueryAsync("status", status, ListLimit, ct)).Select(r => r.Document).ToList();

    /// <summary>A request, for its owner or support (<paramref name="userId"/> null).</summary>
    public async Task<HelpRequest> GetAsync(string requestId, string? userId, CancellationToken ct)
    {
        var request = (await repository.HelpRequests.GetAsync(requestId, ct))?.Document;
        return request is not null && (userId is null || request.OpenedBy == userId) ? request : throw new HelpRequestNotFoundException(requestId);
    }

    /// <summary>Its owner writes again, or support answers (<paramref name="bySupport"/>).</summary>
    public Task<HelpRequest> WriteAsync(string requestId, string userId, bool bySupport, string messageId, string text, CancellationToken ct) =>
        ChangeAsync(requestId, r => bySupport
            ? r.Answer(userId, messageId, text, clock.GetUtcNow())
            : r.AddUserMessage(userId, messageId, text, clock.GetUtcNow()), ct);

    public Task<HelpRequest> CloseAsync(string requestId, string userId, bool bySupport, CancellationToken ct) =>
        ChangeAsync(requestId, r => r.Close(userId, bySupport, clock.GetUtcNow()), ct);

    private async Task<HelpRequest> ChangeAsync(string requestId, Func<HelpRequest, HelpRequest> change, CancellationToken ct) =>
        await repository.HelpRequests.UpdateAsync(requestId, change, r => [Updated(r)], ct) ?? throw new HelpRequestNotFoundException(requestId);

    private static OutboxMessage Updated(HelpRequest r) =>
        OutboxMessages.Create(Topics.TripHelpUpdated, r.TripId, new TripHelpUpdatedIntegrationEvent(r.Id, r.TripId, r.OpenedBy, r.Status, r.LastFrom, r.UpdatedAt));

    /// <summary>The id of a user's <paramref name="ordinal"/>-th request about a trip (0 first): "h" and 31 hex digits.</summary>
    private static string IdFor(string tripId, string userId, int ordinal) =>
        "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tripId}|{userId}|{ordinal}")))[..31];
}
