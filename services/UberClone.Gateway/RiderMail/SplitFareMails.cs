using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// What a rider asked to split a fare (ADR 0040) is told by mail, from the ride as they see it
/// (<see cref="SplitInvitation"/>: the requester's first name, the route, their own share; not the trip): the request
/// itself (category <c>split_fare</c>), the receipt of their share once their card paid it and a notice for each refund
/// of it (category <c>receipts</c>). No I/O: <see cref="RiderMailSender"/> reads the invitation and sends.
/// </summary>
public static class SplitFareMails
{
    /// <summary>
    /// The request, while it is open (null once answered, withdrawn or lapsed: nothing left to ask): who asks, where the
    /// ride goes, what it costs, and where to answer (<paramref name="appLink"/>, the web app's address; none: "in the app").
    /// </summary>
    public static OutgoingMail? Invited(MailRecipient to, SplitInvitation ride, string? appLink)
    {
        if (ride.Status != "invited") return null;
        var fare = ride.Fare is { } f ? Currencies.Display(f.AmountMinor, f.Currency) : null;
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"{ride.RequesterName} asked you to split the fare of a ride to {(ride.Dropoff is { } d ? ReceiptMails.Point(d) : "their destination")}"
                + (fare is null ? "." : $" ({fare} as booked).")).AppendLine()
            .AppendLine("If you accept, your share is charged to the saved card you choose when the ride ends: the fare shared equally among the riders who accepted. "
                + "You can accept or decline until then; after it, the request lapses and you pay nothing.").AppendLine()
            .AppendLine(appLink is null ? "Answer in the UberClone app, under \"Split fare\"." : $"Answer in the app: {appLink.TrimEnd('/')}/rider").AppendLine()
            .AppendLine(Summary(ride, to)).AppendLine()
            .AppendLine($"Do not know {ride.RequesterName}? Decline, and nothing is charged.");
        return new OutgoingMail(to.Email, to.Name, $"{ride.RequesterName} asked you to split the fare of a ride", body.ToString(), "split-invitation");
    }

    /// <summary>The receipt of their share, once their card paid it (null before, or when it declined: the rider paid it).</summary>
    public static OutgoingMail? SharePaid(MailRecipient to, SplitInvitation ride)
    {
        if (ride is not { ShareStatus: "paid", Share: { } share }) return null;
        var paid = Currencies.Display(share.AmountMinor, share.Currency);
        var fare = ride.Fare is { } f ? Currencies.Display(f.AmountMinor, f.Currency) : paid;
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"You split the fare of {ride.RequesterName}'s ride: you paid {paid} of {fare}.").AppendLine();
        ReceiptMails.Table(body, [("Fare of the ride", fare), ("Your share", paid)]);
        body.AppendLine();
        if (ride.CardLabel is { Length: > 0 } card) body.AppendLine($"Charged to  {card}");
        body.AppendLine(Summary(ride, to)).AppendLine()
            .AppendLine("The receipt is also in the app, under the ride in your trips. Questions about a charge: open the ride and choose \"Get help\".");
        return new OutgoingMail(to.Email, to.Name, $"Your UberClone receipt: you paid {paid} of {fare}", body.ToString(), "receipt");
    }

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
