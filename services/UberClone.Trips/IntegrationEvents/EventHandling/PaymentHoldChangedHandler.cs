using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Payments wrote a trip's card hold (ADR 0030): the trip shows what is held now — a bank's answer that came after the
/// booking (or a raise for a new destination) stopped waiting, a raise the sweeper finished, a hold let go while riding —
/// and trip.event.payment_hold_changed tells the rider's app when what it shows changed. Answers older than the one the
/// trip has, and holds still being decided, change nothing, so redeliveries are harmless.
/// </summary>
public sealed class PaymentHoldChangedHandler(TripRepository repository, TimeProvider clock, ILogger<PaymentHoldChangedHandler> logger)
    : IMessageHandler<PaymentHoldChangedIntegrationEvent>
{
    /// <summary>
    /// A hold answered just after trips stopped waiting can be told before the booking's write lands: a trip not found
    /// for a held hold this young is looked for again (the consumer's retries); an older one, or a hold not held (a
    /// booking refused for the card), has no trip to show it.
    /// </summary>
    public static readonly TimeSpan BookingWriteWindow = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(PaymentHoldChangedIntegrationEvent changed, MessageContext context, CancellationToken ct)
    {
        var answer = new FareHoldAnswer(changed.Status, changed.CardLabel, null, changed.AmountMinor, changed.Currency, RaiseDeclineCode: changed.RaiseDeclineCode,
            Version: changed.Version, CardId: changed.CardId);
        if (!answer.IsDecided) return;
        TripPaymentHold? before = null;
        var trip = await repository.Trips.UpdateAsync(changed.TripId,
            t =>
            {
                before = t.PaymentHold;
                return t.HoldAnswered(answer.Shown, answer.Version, clock.GetUtcNow());
            },
            t => Equals(t.PaymentHold, before)
                ? []
                : [OutboxMessages.Create(Topics.TripPaymentHoldChanged, t.Id, new TripPaymentHoldChangedIntegrationEvent(t.Id, t.RiderId, t.PaymentHold?.CardLabel,
                    t.PaymentHold?.AmountMinor ?? 0, t.Currency, t.PaymentHold?.RaiseDeclineCode, t.UpdatedAt))],
            ct);
        if (trip is not null) return;
        // Only a hold to show can belong to a booking still being written; a declined or released one for no trip is the
        // usual end of a booking refused for the card.
        if (answer.Shown is not null && clock.GetUtcNow() - changed.At < BookingWriteWindow) throw new TripNotWrittenYetException(changed.TripId);
        logger.LogInformation("Hold change for trip {TripId} ignored: no such trip (its booking was not written).", changed.TripId);
    }
}

/// <summary>A hold's answer came before its trip's booking was written: handled again after the consumer's backoff.</summary>
public sealed class TripNotWrittenYetException(string tripId) : Exception($"Trip {tripId} is not written yet; its hold's answer is handled again.");
