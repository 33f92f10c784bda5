using System.Text;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>What riders are told by mail about their saved cards (no I/O): a notice about the account, always sent.</summary>
public static class CardMails
{
    /// <summary>
    /// A card was removed from the rider's account: by support, saying why and how to add one again; by the rider, so a
    /// removal they did not make is noticed (someone else signed in).
    /// </summary>
    public static OutgoingMail Removed(MailRecipient to, PaymentCardRemovedIntegrationEvent removed)
    {
        var when = ReceiptMails.Date(removed.At, to.Zone, "d MMMM yyyy, HH:mm");
        var body = new StringBuilder().AppendLine($"Hello {to.Name},").AppendLine();
        if (removed.RemovedBy == PaymentCardRemovedIntegrationEvent.BySupport)
        {
            body.AppendLine($"UberClone support removed your card {removed.CardLabel} from your account on {when}.")
                .AppendLine($"Why: {removed.Reason}").AppendLine();
        }
        else
        {
            body.AppendLine($"You removed your card {removed.CardLabel} from your account on {when}.").AppendLine()
                .AppendLine("If it was not you, change your password in the app (Account settings) at once: that signs out every other phone.").AppendLine();
        }
        body.AppendLine("It is not charged again. Rides you take from now on are paid with your default card, if you have another one saved, or by a link after the ride.")
            .AppendLine("You can add a card again under Account settings, Payment methods.");
        return new OutgoingMail(to.Email, to.Name, $"{removed.CardLabel} was removed from your UberClone account", body.ToString(), "card-removed");
    }
}

/// <summary>A saved card was removed (by the rider or by support): the rider is told, whatever their mail settings.</summary>
public sealed class CardRemovedMailHandler(RiderMailSender sender) : IMessageHandler<PaymentCardRemovedIntegrationEvent>
{
    public Task HandleAsync(PaymentCardRemovedIntegrationEvent removed, MessageContext context, CancellationToken ct) =>
        sender.SendNoticeAsync(context, removed.RiderId, to => CardMails.Removed(to, removed), ct);
}
