using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A ride booked for later goes on without its rider watching the app: the booking is confirmed by mail, and when it
/// ends without a ride (trips cancelled it, support did, no driver took it) they are told by mail, with why and what to
/// do. Rides requested for now are told only in the app (null: nothing to mail). No I/O.
/// </summary>
public static class ReservationMails
{
    /// <summary>The booking's confirmation: when, for how much, when the search for a driver starts, and how to cancel.</summary>
    public static OutgoingMail? Booked(MailRecipient to, Trip trip, TripScheduledIntegrationEvent booked)
    {
        if (trip.Status != "scheduled") return null; // cancelled, or already dispatching, before the mail could go
        var pickupAt = booked.ScheduledFor;
        return Mail(to, trip, $"Your UberClone ride is booked for {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")}",
            $"Your ride is booked for {ReceiptMails.Date(pickupAt, to.Zone)}, at {Currencies.Format(booked.FareMinor, booked.Currency)} (the price you were quoted). "
            + $"We start looking for your driver at {ReceiptMails.Date(booked.DispatchAt, to.Zone, "HH:mm")}; the app tells you when one is on the way.",
            "Plans changed? Cancel it in the app, free of charge, until we start looking for your driver.");
    }

    public static OutgoingMail? Cancelled(MailRecipient to, Trip trip, TripCancelledIntegrationEvent cancelled)
    {
        if (cancelled.CancelledBy == Roles.Rider || ReceiptMails.Time(trip.ScheduledFor) is not { } pickupAt) return null;
        var who = cancelled.CancelledBy == Roles.Operator ? "Support cancelled" : "We cancelled";
        var reason = cancelled.Reason.Trim().TrimEnd('.');
        var charged = cancelled.FeeMinor > 0
            ? $"A cancellation fee of {Currencies.Format(cancelled.FeeMinor, cancelled.Currency)} applies; the app shows it under the ride."
            : "Nothing was charged.";
        return Mail(to, trip, $"Your UberClone ride for {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")} was cancelled",
            $"{who} the ride you booked for {ReceiptMails.Date(pickupAt, to.Zone)}{(reason.Length > 0 ? $": {reason}" : "")}. {charged}",
            "To ride, request one now in the app or book for later again.");
    }

    public static OutgoingMail? NoDriverFound(MailRecipient to, Trip trip, TripNoDriversFoundIntegrationEvent notFound)
    {
        if (ReceiptMails.Time(trip.ScheduledFor) is not { } pickupAt) return null;
        return Mail(to, trip, $"No driver for your UberClone ride at {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")}",
            $"We looked for a driver for the ride you booked for {ReceiptMails.Date(pickupAt, to.Zone)}, but none took it, so it will not happen. Nothing was charged.",
            "To ride, request one now in the app: a driver may be free by then.");
    }

    private static OutgoingMail Mail(MailRecipient to, Trip trip, string subject, string what, string next)
    {
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(what).AppendLine()
            .AppendLine(ReceiptMails.TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine(next);
        return new OutgoingMail(to.Email, to.Name, subject, body.ToString());
    }
}
