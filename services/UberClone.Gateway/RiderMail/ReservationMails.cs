using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A ride booked for later goes on without its rider watching the app: the booking is confirmed by mail, the rider is
/// reminded an hour before, and when it
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
        return Mail("ride-booked", to, trip, $"Your UberClone ride is booked for {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")}",
            $"Your ride is booked for {ReceiptMails.Date(pickupAt, to.Zone)}, at {Currencies.Display(booked.FareMinor, booked.Currency)} (the price you were quoted). "
            + $"We start looking for your driver at {ReceiptMails.Date(booked.DispatchAt, to.Zone, "HH:mm")}; the app tells you when one is on the way.",
            "Plans changed? Cancel it in the app, free of charge, until we start looking for your driver.");
    }

    /// <summary>The rider moved the ride: the new time, when the search starts now, and that the price is unchanged.</summary>
    public static OutgoingMail? Rescheduled(MailRecipient to, Trip trip, TripRescheduledIntegrationEvent moved)
    {
        // Moved again, or no longer waiting, by the time this is handled: a later event (or none) says what holds.
        if (trip.Status != "scheduled" || ReceiptMails.Time(trip.ScheduledFor) != moved.ScheduledFor) return null;
        return Mail("ride-rescheduled", to, trip, $"Your UberClone ride is moved to {ReceiptMails.Date(moved.ScheduledFor, to.Zone, "d MMM, HH:mm")}",
            $"Your ride booked for {ReceiptMails.Date(moved.PreviousScheduledFor, to.Zone)} is now for {ReceiptMails.Date(moved.ScheduledFor, to.Zone)}, "
            + $"at the same price, {Currencies.Display(moved.FareMinor, moved.Currency)}. We start looking for your driver at {ReceiptMails.Date(moved.DispatchAt, to.Zone, "HH:mm")}.",
            "Plans changed again? Change the time or cancel it in the app, free of charge, until we start looking for your driver.");
    }

    /// <summary>
    /// The ride is near (an hour): when and where to be, when the search for a driver starts, and that cancelling is
    /// still free until then. Nothing once the ride no longer waits (cancelled, or its search already started).
    /// </summary>
    public static OutgoingMail? Reminder(MailRecipient to, Trip trip, TripReservationReminderIntegrationEvent reminder)
    {
        if (trip.Status != "scheduled") return null;
        var pickupAt = reminder.ScheduledFor;
        var inMinutes = Math.Max(1, (int)Math.Round((pickupAt - reminder.RemindedAt).TotalMinutes));
        var when = inMinutes % 60 == 0 ? $"{inMinutes / 60} hour{(inMinutes == 60 ? "" : "s")}" : $"{inMinutes} minute{(inMinutes == 1 ? "" : "s")}";
        return Mail("ride-reminder", to, trip, $"Reminder: your UberClone ride at {ReceiptMails.Date(pickupAt, to.Zone, "HH:mm")}, in {when}",
            $"Your ride booked for {ReceiptMails.Date(pickupAt, to.Zone)} is in {when}, at {Currencies.Display(reminder.FareMinor, reminder.Currency)}. "
            + $"We start looking for your driver at {ReceiptMails.Date(reminder.DispatchAt, to.Zone, "HH:mm")}; please be at the pickup by {ReceiptMails.Date(pickupAt, to.Zone, "HH:mm")}.",
            "Plans changed? Cancel it in the app, free of charge, until we start looking for your driver.");
    }

    /// <summary>
    /// The driver of a ride booked for later: who and which car to look for (the rider may not be watching the app when
    /// one accepts). Not for rides requested now, nor once the driver is no longer the one (gave it up, or it moved on).
    /// </summary>
    public static OutgoingMail? DriverAssigned(MailRecipient to, Trip trip, TripDriverAssignedIntegrationEvent assigned)
    {
        if (ReceiptMails.Time(trip.ScheduledFor) is not { } pickupAt || trip.Status != "driver_assigned" || trip.Driver?.DriverId != assigned.DriverId) return null;
        var driver = to.DriverFirstName ?? "Your driver";
        return Mail("ride-driver-assigned", to, trip, $"{driver} is your UberClone driver for {ReceiptMails.Date(pickupAt, to.Zone, "HH:mm")}",
            $"{driver} accepted the ride you booked for {ReceiptMails.Date(pickupAt, to.Zone)} and is on the way to the pickup"
            + (to.DriverCar is { } car ? $" in a {car}." : ".") + " Follow them, and see your start code, in the app.",
            "Plans changed? Cancel in the app; the cancellation terms it shows apply now that a driver is on the way.");
    }

    /// <summary>
    /// A driver reserved the ride (ADR 0047): "Ana (Toyota Prius, B-XY 123) will pick you up at 08:15". Nothing once they
    /// no longer hold it (released, moved, or its search started) by the time this is handled.
    /// </summary>
    public static OutgoingMail? Reserved(MailRecipient to, Trip trip, TripReservedIntegrationEvent reserved)
    {
        if (trip.Status != "scheduled" || trip.Reservation?.DriverId != reserved.DriverId) return null;
        var driver = to.DriverFirstName ?? "A driver";
        var who = to.DriverCar is { } car ? $"{driver} ({car})" : driver;
        return Mail("ride-reserved", to, trip, $"{driver} will pick you up at {ReceiptMails.Date(reserved.ScheduledFor, to.Zone, "HH:mm")}",
            $"{who} reserved the ride you booked for {ReceiptMails.Date(reserved.ScheduledFor, to.Zone)} and will pick you up at "
            + $"{ReceiptMails.Date(reserved.ScheduledFor, to.Zone, "HH:mm")}. The app shows them under \"Booked for later\".",
            "Should they no longer be able to come, we tell you and find you another driver.");
    }

    public static OutgoingMail? Cancelled(MailRecipient to, Trip trip, TripCancelledIntegrationEvent cancelled)
    {
        if (cancelled.CancelledBy == Roles.Rider || ReceiptMails.Time(trip.ScheduledFor) is not { } pickupAt) return null;
        var who = cancelled.CancelledBy == Roles.Operator ? "Support cancelled" : "We cancelled";
        var reason = cancelled.Reason.Trim().TrimEnd('.');
        var charged = cancelled.FeeMinor > 0
            ? $"A cancellation fee of {Currencies.Display(cancelled.FeeMinor, cancelled.Currency)} applies; the app shows it under the ride."
            : "Nothing was charged.";
        return Mail("ride-cancelled", to, trip, $"Your UberClone ride for {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")} was cancelled",
            $"{who} the ride you booked for {ReceiptMails.Date(pickupAt, to.Zone)}{(reason.Length > 0 ? $": {reason}" : "")}. {charged}",
            "To ride, request one now in the app or book for later again.");
    }

    public static OutgoingMail? NoDriverFound(MailRecipient to, Trip trip, TripNoDriversFoundIntegrationEvent notFound)
    {
        if (ReceiptMails.Time(trip.ScheduledFor) is not { } pickupAt) return null;
        return Mail("ride-no-driver", to, trip, $"No driver for your UberClone ride at {ReceiptMails.Date(pickupAt, to.Zone, "d MMM, HH:mm")}",
            $"We looked for a driver for the ride you booked for {ReceiptMails.Date(pickupAt, to.Zone)}, but none took it, so it will not happen. Nothing was charged.",
            "To ride, request one now in the app: a driver may be free by then.");
    }

    private static OutgoingMail Mail(string kind, MailRecipient to, Trip trip, string subject, string what, string next)
    {
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(what).AppendLine()
            .AppendLine(ReceiptMails.TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine(next);
        return new OutgoingMail(to.Email, to.Name, subject, body.ToString(), kind);
    }
}
