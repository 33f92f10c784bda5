using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Domain;
using UberClone.Storage;

namespace UberClone.Payments.Application;

public sealed class PaymentsApplication(IDocumentDatabase database, TimeProvider clock)
{
    private static readonly TimeSpan SessionValidity = TimeSpan.FromMinutes(30);

    public IDocumentStore<PaymentSession> Sessions { get; } = database.Collection<PaymentSession>("sessions", "tripId");

    public async Task<PaymentSession> CreateSessionAsync(PaymentCreateSessionCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = PaymentSession.IdFor(command.TripId, command.Attempt);
        var session = new PaymentSession
        {
            Id = id,
            TripId = command.TripId,
            RiderId = command.RiderId,
            AmountMinor = command.AmountMinor,
            Currency = command.Currency,
            Attempt = command.Attempt,
            Status = PaymentStatus.Open,
            // Relative: the gateway serves /checkout, so the link works on whatever host the rider reached.
            CheckoutUrl = $"/checkout/{id}",
            CreatedAt = now,
            ExpiresAt = now + SessionValidity,
            UpdatedAt = now,
        };
        try
        {
            await Sessions.InsertAsync(id, session, [OutboxMessages.Create(Topics.PaymentSessionCreated, command.TripId,
                new PaymentSessionCreatedIntegrationEvent(id, session.TripId, session.RiderId, session.AmountMinor, session.Currency, session.CheckoutUrl, session.ExpiresAt))], ct);
            return session;
        }
        catch (DuplicateDocumentException)
        {
            return (await Sessions.GetAsync(id, ct))!.Document;
        }
    }

    public async Task<PaymentSession?> GetAsync(string sessionId, CancellationToken ct) => (await Sessions.GetAsync(sessionId, ct))?.Document;

    public async Task<PaymentSession?> LatestForTripAsync(string tripId, CancellationToken ct) =>
        (await Sessions.QueryAsync("tripId", tripId, 1, ct)).FirstOrDefault()?.Document;

    public Task<PaymentSession?> SucceedAsync(string sessionId, CancellationToken ct) =>
        Sessions.UpdateAsync(sessionId, s => s.Succeed(clock.GetUtcNow()),
            s => [OutboxMessages.Create(Topics.PaymentSucceeded, s.TripId,
                new PaymentSucceededIntegrationEvent(s.Id, s.TripId, s.RiderId, s.AmountMinor, s.Currency, s.UpdatedAt))], ct);

    public Task<PaymentSession?> FailAsync(string sessionId, string reason, CancellationToken ct) =>
        Sessions.UpdateAsync(sessionId, s => s.Fail(reason, clock.GetUtcNow()),
            s => [OutboxMessages.Create(Topics.PaymentFailed, s.TripId,
                new PaymentFailedIntegrationEvent(s.Id, s.TripId, s.RiderId, reason, s.UpdatedAt))], ct);
}
