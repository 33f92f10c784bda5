using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>What riders are told by mail about their ride credit (ADR 0051; no I/O).</summary>
public static class CreditMails
{
    /// <summary>Support gave the rider ride credit: how much, why, and the balance now.</summary>
    public static OutgoingMail Granted(MailRecipient to, PaymentCreditAddedIntegrationEvent added)
    {
        var amount = Currencies.Display(added.AmountMinor, added.Currency);
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"{amount} ride credit added: {added.Reason}").AppendLine();
        ReceiptMails.Table(body, [("Added now", amount), ("Your ride credit", Currencies.Display(added.BalanceMinor, added.Currency))]);
        body.AppendLine()
            .AppendLine($"Added       {ReceiptMails.Date(added.At, to.Zone)}").AppendLine()
            .AppendLine("You see it under Account settings, Payment methods.");
        return new OutgoingMail(to.Email, to.Name, $"UberClone: {amount} ride credit added", body.ToString(), "refund");
    }
}

/// <summary>
/// Support gave the rider ride credit (ADR 0051): mailed as refunds are (the rider's receipts). A fare refunded as credit is
/// told by the trip's refund mail (<see cref="ReceiptMails.Refunded"/>), not again here.
/// </summary>
public sealed class CreditAddedMailHandler(RiderMailSender sender) : IMessageHandler<PaymentCreditAddedIntegrationEvent>
{
    public Task HandleAsync(PaymentCreditAddedIntegrationEvent added, MessageContext context, CancellationToken ct) =>
        added.Kind == PaymentCreditAddedIntegrationEvent.Grant
            ? sender.SendAsync(context, MailCategories.Receipts, added.RiderId, to => CreditMails.Granted(to, added), ct)
            : Task.CompletedTask;
}
