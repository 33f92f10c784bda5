using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;

namespace UberClone.Gateway.DriverMail;

/// <summary>The pickup of a ride the driver reserved is near (ADR 0050): when, where, and by when to be online. No I/O.</summary>
public static class ReservedRideMails
{
    public static OutgoingMail Reminder(MailRecipient to, TripReservationDriverReminderIntegrationEvent reminder)
    {
        var pickupAt = ReceiptMails.Date(reminder.ScheduledFor, to.Zone, "HH:mm");
        var inMinutes = Math.Max(1, (int)Math.Round((reminder.ScheduledFor - reminder.RemindedAt).TotalMinutes));
        var onlineBy = ReceiptMails.Local(reminder.DispatchAt, to.Zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var area = FormattableString.Invariant($"{reminder.PickupArea.Lat:0.00}, {reminder.PickupArea.Lng:0.00}");
        return new OutgoingMail(to.Email, to.Name, $"Reserved ride at {pickupAt}, in {inMinutes} min: be online by {onlineBy}",
            $"""
            Hello {to.Name},

            The {reminder.VehicleClass} ride you reserved picks up at {ReceiptMails.Date(reminder.ScheduledFor, to.Zone)}, near {area}.
            Be online by {onlineBy}: the ride is offered to you first then, and goes to another driver if you are not.

            The exact pickup and the rider's note are under "Your reservations" in the app.
            """, "driver-reserved-ride-reminder");
    }
}

/// <summary>The reserving driver is mailed the reminder once (the event's id), under "Reserved rides".</summary>
public sealed class ReservedRideReminderMailHandler(RiderMailSender sender) : IMessageHandler<TripReservationDriverReminderIntegrationEvent>
{
    public Task HandleAsync(TripReservationDriverReminderIntegrationEvent reminder, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.ReservedRides, reminder.DriverId, to => ReservedRideMails.Reminder(to, reminder), ct);
}
