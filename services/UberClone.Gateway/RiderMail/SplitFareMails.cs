using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// What a rider asked to split a fare (ADR 0040) is told by mail, from the ride as they see it
/// (<see cref="SplitInvitation"/>: the requester's first name, the route, their own share; not the trip): a notice for
/// each refund of their share. No I/O: <see cref="RiderMailSender"/> reads the invitation and sends.
/// </summary>
public static class SplitFareMails
{
    /// <summary>Their part of a refund of the split fare (<paramref name="refund"/>): how much, why, and all they got back so far.</summary>
    public static OutgoingMail Refunded(MailRecipient to, SplitInvitation ride, TripRefundedIntegrationEvent refund)
    {
        var amount = Currencies.Display(refund.AmountMinor, refund.Currency);
        var why = refund.Kind == RefundKinds.FareAdjustment ? "Support adjusted the fare of this ride." : "Support gave this back to you.";
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"{amount} of what you paid for your share of {ride.RequesterName}'s ride was refunded. {why} A refund of a split fare is shared among the riders in proportion to what each paid.").AppendLine();
        ReceiptMails.Table(body, [("Refunded now", amount), ("Refunded of your share in all", Currencies.Display(refund.RefundedTotalMinor, refund.Currency))]);
        body.AppendLine()
            .AppendLine($"Refunded    {ReceiptMails.Date(refund.At, to.Zone)}")
            .AppendLine(Summary(ride, to)).AppendLine()
            .AppendLine("It goes back to the card you paid your share with; your bank may take 5 to 10 business days to show it.");
        return new OutgoingMail(to.Email, to.Name, $"UberClone refund: {amount}", body.ToString(), "refund");
    }

    /// <summary>Whose ride it was, where, and (once it ended) when.</summary>
    private static string Summary(SplitInvitation ride, MailRecipient to)
    {
        var summary = new StringBuilder().AppendLine($"Ride        {ride.RequesterName}'s, split with you");
        if (ReceiptMails.Time(ride.CompletedAt) is { } ended) summary.AppendLine($"Ended       {ReceiptMails.Date(ended, to.Zone)}");
        if (ride.Pickup is { } from) summary.AppendLine($"From        {ReceiptMails.Point(from)}");
        if (ride.Dropoff is { } dropoff) summary.AppendLine($"To          {ReceiptMails.Point(dropoff)}");
        return summary.Append($"Trip        {ride.TripId}").ToString();
    }
}
