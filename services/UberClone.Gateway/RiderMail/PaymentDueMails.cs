using System.Globalization;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// What a rider owes on a trip (ADR 0039), by mail: when its payment fails (why, and how to pay it) and on each
/// reminder's day while it is still owed. A notice about money owed: sent whatever the rider's mail settings. No I/O.
/// </summary>
public static class PaymentDueMails
{
    /// <summary>
    /// What the trip, read as the mail is written, still owes (a share another rider paid meanwhile is not; ADR 0040);
    /// null when what the event was about is paid by then.
    /// </summary>
    public static OutgoingMail? Due(MailRecipient to, Trip trip, TripPaymentDueIntegrationEvent due)
    {
        if (trip.UnpaidReminders is not { } owed) return null;
        var fare = owed.Fare?.AmountMinor ?? 0;
        var fee = owed.ReturnFee?.AmountMinor ?? 0;
        if ((due.FareMinor == 0 || fare == 0) && (due.ReturnFeeMinor == 0 || fee == 0)) return null;
        var total = Currencies.Display(fare + fee, due.Currency);
        var rideAt = ReceiptMails.Time(trip.CompletedAt) ?? ReceiptMails.Time(trip.Cancellation?.CancelledAt ?? "") ?? ReceiptMails.Time(trip.CreatedAt) ?? due.At;
        var day = Day(rideAt, to);
        var what = What(trip, fare, fee, due.Currency);

        var body = new StringBuilder().AppendLine($"Hello {to.Name},").AppendLine();
        string subject;
        if (due.Reminder == 0)
        {
            subject = $"We could not charge {total} for your UberClone {(trip.Status == "cancelled" ? "cancelled ride" : "ride")} of {day}";
            body.AppendLine($"The payment of {total} for your ride of {ReceiptMails.Date(rideAt, to.Zone)} ({what}) did not go through: {Why(due.Reason)}.");
        }
        else
        {
            subject = $"Reminder: {total} for your UberClone ride of {day} is still due";
            body.AppendLine($"{total} for your ride of {ReceiptMails.Date(rideAt, to.Zone)} ({what}) is still due: its payment did not go through on "
                + $"{Day(due.OwedSince, to)}, and nothing has paid it since.");
        }
        body.AppendLine();
        if (fare > 0)
        {
            body.AppendLine("Pay it in the app: \"Payment due\" shows it on the first page. Choose \"Retry payment\" to charge your card again "
                + "(save another card under Account settings first if this one cannot pay), or \"Pay now\" to pay by link. "
                + "You can book your next ride once it is paid.");
        }
        if (fee > 0)
        {
            body.AppendLine("The return fee is your driver's, for bringing your item back: open the ride under your trips and choose \"Pay the return fee again\".");
        }
        body.AppendLine();
        if (due.NextReminderAt is { } next) body.AppendLine($"If it is still due then, we will remind you on {Day(next, to)}.").AppendLine();
        body.AppendLine(ReceiptMails.TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine("Think this is wrong? Open the ride in the app and choose \"Get help\".");
        return new OutgoingMail(to.Email, to.Name, subject, body.ToString(), due.Reminder == 0 ? "payment-failed" : "payment-reminder");
    }

    /// <summary>
    /// Support waived what the rider owed (ADR 0053): how much, for which ride, that nothing is owed on it any more and the
    /// next ride books. Not support's reason (their own note). Null when the trip, read as the mail is written, was paid
    /// meanwhile (the rider paid all the same: the receipt says so). A part waived: how much of what they owed, and the
    /// rest they still owe and how to pay it.
    /// </summary>
    public static OutgoingMail? Waived(MailRecipient to, Trip trip, TripPaymentWaivedIntegrationEvent waived)
    {
        if (trip.Receipt?.PaymentStatus == "paid" && waived.ReturnFeeMinor == 0) return null;
        var total = Currencies.Display(waived.FareMinor + waived.ReturnFeeMinor, waived.Currency);
        var rideAt = ReceiptMails.Time(trip.CompletedAt) ?? ReceiptMails.Time(trip.Cancellation?.CancelledAt ?? "") ?? ReceiptMails.Time(trip.CreatedAt) ?? waived.WaivedAt;
        var what = What(trip, waived.FareMinor, waived.ReturnFeeMinor, waived.Currency);
        var body = new StringBuilder().AppendLine($"Hello {to.Name},").AppendLine();
        if (waived.StillOwedMinor > 0)
        {
            var owed = Currencies.Display(waived.FareMinor + waived.ReturnFeeMinor + waived.StillOwedMinor, waived.Currency);
            var rest = Currencies.Display(waived.StillOwedMinor, waived.Currency);
            body.AppendLine($"UberClone support waived {total} of the {owed} you owed for your ride of {ReceiptMails.Date(rideAt, to.Zone)}, whose payment did not go through: "
                    + $"you still owe {rest}.")
                .AppendLine()
                .AppendLine("Pay it in the app: \"Payment due\" shows it on the first page (\"Retry payment\" or \"Pay now\"). You can book your next ride once it is paid.")
                .AppendLine()
                .AppendLine(ReceiptMails.TripSummary(trip, to.Zone)).AppendLine()
                .AppendLine("Questions? Open the ride in the app and choose \"Get help\".");
            return new OutgoingMail(to.Email, to.Name, $"UberClone support waived {total} of the {owed} you owed: you still owe {rest}", body.ToString(), "payment-waived");
        }
        body
            .AppendLine($"We have waived the {total} you owed for your ride of {ReceiptMails.Date(rideAt, to.Zone)} ({what}), whose payment did not go through. "
                + "You owe nothing for it any more, and we will not charge your card for it or remind you of it.")
            .AppendLine();
        if (waived.FareMinor > 0) body.AppendLine("You can book your next ride in the app as usual.").AppendLine();
        body.AppendLine(ReceiptMails.TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine("Questions? Open the ride in the app and choose \"Get help\".");
        return new OutgoingMail(to.Email, to.Name, $"We waived {total} for your UberClone ride of {Day(rideAt, to)}", body.ToString(), "payment-waived");
    }

    /// <summary>"the fare", "the return fee of your lost item", or both with their amounts.</summary>
    private static string What(Trip trip, long fare, long fee, string currency)
    {
        var fareText = trip.Status == "cancelled" ? "the cancellation fee" : "the fare";
        const string feeText = "the return fee of your lost item";
        return fare > 0 && fee > 0 ? $"{fareText}, {Currencies.Display(fare, currency)}, and {feeText}, {Currencies.Display(fee, currency)}"
            : fare > 0 ? fareText : feeText;
    }

    /// <summary>"1 Dec": the day in the rider's time zone.</summary>
    private static string Day(DateTimeOffset at, MailRecipient to) => ReceiptMails.Local(at, to.Zone).ToString("d MMM", CultureInfo.InvariantCulture);

    /// <summary>Why the payment failed, in the rider's words: the provider's code (decline codes, an expired link).</summary>
    public static string Why(string? reason) => reason switch
    {
        "insufficient_funds" => "your bank declined the card (insufficient funds)",
        "expired_card" => "the card has expired",
        "authentication_required" => "your bank wants to approve the payment itself, which it can do when you pay in the app",
        "expired" => "the payment link expired before it was paid",
        "card_removed" => "the card was removed before it was charged",
        "provider_unavailable" => "our payment provider did not answer",
        null or "" or "card_declined" or "generic_decline" or "failed" or "payment_failed" => "your bank declined the card",
        _ => $"your bank declined the card ({reason.Replace('_', ' ')})",
    };
}

/// <summary>Support waived what a rider owed on a trip (ADR 0053): mailed whatever their settings, like what they owed.</summary>
public sealed class TripPaymentWaivedMailHandler(RiderMailSender sender) : IMessageHandler<TripPaymentWaivedIntegrationEvent>
{
    public Task HandleAsync(TripPaymentWaivedIntegrationEvent waived, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, category: null, waived.TripId, waived.RiderId, driverId: null, (to, trip) => PaymentDueMails.Waived(to, trip, waived), ct);
}

/// <summary>A rider owes money on a trip (its payment failed, or a reminder's day came): mailed whatever their settings.</summary>
public sealed class TripPaymentDueMailHandler(RiderMailSender sender) : IMessageHandler<TripPaymentDueIntegrationEvent>
{
    public Task HandleAsync(TripPaymentDueIntegrationEvent due, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, category: null, due.TripId, due.RiderId, driverId: null, (to, trip) => PaymentDueMails.Due(to, trip, due), ct);
}
