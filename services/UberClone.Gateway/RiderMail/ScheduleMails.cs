using System.Globalization;
using System.Text;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A repeating ride that could not be booked (ADR 0043): the rider counts on it being there, so they are told which one,
/// why, and what happens next. A notice, sent whatever their mail settings (they would otherwise find out at the kerb).
/// And a repeating ride's last ride before the end the rider set. Times are the schedule's, in its own time zone. No I/O.
/// </summary>
public static class ScheduleMails
{
    public static OutgoingMail Refused(MailRecipient to, TripScheduleRefusedIntegrationEvent refused)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(refused.TimeZone, out var own) ? own : to.Zone;
        var route = refused.PickupLabel is { } from && refused.DropoffLabel is { } toPlace ? $" from {from} to {toPlace}" : "";
        var when = ReceiptMails.Date(refused.PickupAt, zone, "ddd d MMM, HH:mm");
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"We could not book your repeating ride{route} for {when}: {refused.Refusal.TrimEnd('.')}.")
            .AppendLine("No car will come for it. To ride then, book it in the app yourself.").AppendLine();
        body.AppendLine(refused.NextPickupAt is { } next
            ? $"We will try to book the next one, {ReceiptMails.Date(next, zone, "ddd d MMM, HH:mm")}, as usual. Your repeating rides are under \"Repeating rides\" in the app."
            : "Your repeating rides are under \"Repeating rides\" in the app.");
        return new OutgoingMail(to.Email, to.Name, $"Your UberClone ride of {when} could not be booked", body.ToString(), "schedule-refused");
    }

    /// <summary>
    /// A repeating ride with an end booked its last ride: the rider, who set the end weeks ago, learns it is the last, so
    /// a commute that goes on is not found missing the morning after. A ride mail (kind "rides"), which they may turn off.
    /// </summary>
    public static OutgoingMail Ended(MailRecipient to, TripScheduleEndedIntegrationEvent ended)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(ended.TimeZone, out var own) ? own : to.Zone;
        var route = ended.PickupLabel is { } from && ended.DropoffLabel is { } toPlace ? $" from {from} to {toPlace}" : "";
        var when = ReceiptMails.Date(ended.LastPickupAt, zone, "ddd d MMM 'at' HH:mm");
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"Your repeating ride{route} ends: this is its last ride, {when}. It is booked, under \"Booked for later\" in the app.")
            .AppendLine($"You set it to end on {ended.EndsOn.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}: no ride is booked for it after that.").AppendLine()
            .AppendLine("To go on riding it, set a later end under \"Repeating rides\" in the app.");
        return new OutgoingMail(to.Email, to.Name, $"Your repeating ride ends: {when} is its last ride", body.ToString(), "schedule-ended");
    }
}

/// <summary>A repeating ride's occurrence could not be booked: the rider is told at once.</summary>
public sealed class TripScheduleRefusedMailHandler(RiderMailSender sender) : IMessageHandler<TripScheduleRefusedIntegrationEvent>
{
    public Task HandleAsync(TripScheduleRefusedIntegrationEvent refused, MessageContext context, CancellationToken ct) =>
        sender.SendNoticeAsync(context, refused.RiderId, to => ScheduleMails.Refused(to, refused), ct);
}

/// <summary>A repeating ride booked its last ride before its end: the rider is told (kind "rides", which they may turn off).</summary>
public sealed class TripScheduleEndedMailHandler(RiderMailSender sender) : IMessageHandler<TripScheduleEndedIntegrationEvent>
{
    public Task HandleAsync(TripScheduleEndedIntegrationEvent ended, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Rides, ended.RiderId, to => ScheduleMails.Ended(to, ended), ct);
}
