using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Application;
using UberClone.Payments.Providers;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>
/// Opens the checkout (or charges the saved card) of a trip's payment attempt. A provider that cannot be reached is
/// retried by redelivery; on the last attempt the payment is recorded as failed, so the rider can retry it later.
/// </summary>
public sealed class PaymentCreateSessionCommandHandler(PaymentsApplication payments, MessagingOptions messaging) : IMessageHandler<PaymentCreateSessionCommand>
{
    public async Task HandleAsync(PaymentCreateSessionCommand command, MessageContext context, CancellationToken ct)
    {
        if (command.AmountMinor <= 0 || command.Currency is not { Length: 3 } || !command.Currency.All(char.IsAsciiLetter)
            || command.Attempt < 1 || string.IsNullOrWhiteSpace(command.TripId) || command.TripId.Length > 64
            || string.IsNullOrWhiteSpace(command.RiderId) || !PaymentPurposes.IsKnown(command.Purpose))
        {
            // Permanent: retrying cannot fix it, so it goes to the dead-letter topic with this reason.
            throw new ArgumentException($"Invalid payment command for trip {command.TripId}: amount {command.AmountMinor} {command.Currency}, attempt {command.Attempt}, purpose {command.Purpose}.");
        }
        try
        {
            await payments.CreateSessionAsync(command, ct);
        }
        catch (PaymentProviderException) when (context.Attempt >= messaging.MaxAttempts)
        {
            await payments.GiveUpOpeningAsync(command, ct);
        }
    }
}
