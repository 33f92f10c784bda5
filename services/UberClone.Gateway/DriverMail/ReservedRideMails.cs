using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Gateway.Realtime.Forwarding;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;

namespace UberClone.Gateway.DriverMail;

/// <summary>
/// The pickup of a ride the driver reserved is near (ADR 0050): whom (the first name the gateway added), when, where, and by
/// when to be online. No I/O.
/// </summary>
public static class ReservedRideMails
{
    public static OutgoingMail Reminder(MailRecipient to, TripReservationDriverReminderIntegrationEvent reminder)
    {
        var pickupAt = ReceiptMails.Date(reminder.ScheduledFor, to.Zone, "HH:mm");
        var inMinutes = Math.Max(1, (int)Math.Round((reminder.ScheduledFor - reminder.RemindedAt).TotalMinutes));
        var onlineBy = ReceiptMails.Local(reminder.DispatchAt, to.Zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var area = FormattableString.Invariant($"{reminder.PickupArea.Lat:0.00}, {reminder.PickupArea.Lng:0.00}");
        var (subject, whom) = reminder.PickupName is { } name ? ($"Pick up {name} at {pickupAt}", $" picks up {name}") : ($"Reserved ride at {pickupAt}", " picks up");
        return new OutgoingMail(to.Email, to.Name, $"{subject}, in {inMinutes} min: be online by {onlineBy}",
            $"""
            Hello {to.Name},

            The {reminder.VehicleClass} ride you reserved{whom} at {ReceiptMails.Date(reminder.ScheduledFor, to.Zone)}, near {area}.
            Be online by {onlineBy}: the ride is offered to you first then, and goes to another driver if you are not.

            The exact pickup and the rider's note are under "Your reservations" in the app.
            """, "driver-reserved-ride-reminder");
    }

    /// <summary>
    /// The driver was on another ride when the search of a ride they reserved started (ADR 0050): it went to another
    /// driver, and it is no strike.
    /// </summary>
    public static OutgoingMail Excused(MailRecipient to, TripReservationReleasedIntegrationEvent released)
    {
        var pickupAt = ReceiptMails.Date(released.ScheduledFor, to.Zone, "HH:mm");
        return new OutgoingMail(to.Email, to.Name, $"Your reserved ride at {pickupAt} went to another driver: no strike",
            $"""
            Hello {to.Name},

            You were on another ride when the ride you reserved for {ReceiptMails.Date(released.ScheduledFor, to.Zone)} started looking for its driver, so it went to another driver.
            This is no strike on your reservations record: you could not have taken it. Your other reserved rides stay as they are.
            """, "driver-reserved-ride-excused");
    }

    /// <summary>Support removed one of the driver's strikes (ADR 0050): which, and whether they may reserve again now.</summary>
    public static OutgoingMail StrikeRemoved(MailRecipient to, TripReservationStrikeRemovedIntegrationEvent removed)
    {
        var what = removed.Why == "late_release" ? "releasing a reserved ride late" : "not taking a reserved ride when it was offered";
        var standing = removed.PausedUntil is { } until
            ? $"Your reserving is still paused until {ReceiptMails.Date(until, to.Zone)}: other strikes are still on your record."
            : "You may reserve rides again now.";
        return new OutgoingMail(to.Email, to.Name, "A strike was removed from your reservations record",
            $"""
            Hello {to.Name},

            A strike was removed from your reservations record: support took back the strike for {what} on {ReceiptMails.Date(removed.StruckAt, to.Zone)}.
            It no longer counts towards pausing your reserving. {standing}
            """, "driver-reservation-strike-removed");
    }
}

/// <summary>The driver is told support removed a strike (a notice about their record: whatever their mail settings), once (the event's id).</summary>
public sealed class ReservationStrikeRemovedMailHandler(RiderMailSender sender) : IMessageHandler<TripReservationStrikeRemovedIntegrationEvent>
{
    public Task HandleAsync(TripReservationStrikeRemovedIntegrationEvent removed, MessageContext context, CancellationToken ct) =>
        sender.SendNoticeAsync(context, removed.DriverId, to => ReservedRideMails.StrikeRemoved(to, removed), ct);
}

/// <summary>
/// A driver excused from a reserved ride (on another ride when its search started) is mailed so once (the event's id), under
/// "Reserved rides"; any other release (theirs, support's, the rider's, a cancellation) is told in the app only.
/// </summary>
public sealed class ReservationExcusedMailHandler(RiderMailSender sender) : IMessageHandler<TripReservationReleasedIntegrationEvent>
{
    public Task HandleAsync(TripReservationReleasedIntegrationEvent released, MessageContext context, CancellationToken ct) =>
        released.Excused ? sender.SendAsync(context, MailCategories.ReservedRides, released.DriverId, to => ReservedRideMails.Excused(to, released), ct) : Task.CompletedTask;
}

/// <summary>The reserving driver is mailed the reminder once (the event's id), under "Reserved rides".</summary>
public sealed class ReservedRideReminderMailHandler(RiderMailSender sender, AccountStore accounts) : IMessageHandler<TripReservationDriverReminderIntegrationEvent>
{
    public async Task HandleAsync(TripReservationDriverReminderIntegrationEvent reminder, MessageContext context, CancellationToken ct)
    {
        var named = await ReservationReminderNames.NamedAsync(accounts, reminder, ct);
        await sender.SendAsync(context, MailCategories.ReservedRides, reminder.DriverId, to => ReservedRideMails.Reminder(to, named), ct);
    }
}
