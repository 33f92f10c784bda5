using System.Text;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A repeating ride that could not be booked (ADR 0043): the rider counts on it being there, so they are told which one,
/// why, and what happens next. A notice, sent whatever their mail settings (they would otherwise find out at the kerb).
/// Times are the schedule's, in its own time zone. No I/O.
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
}

/// <summary>A repeating ride's occurrence could not be booked: the rider is told at once.</summary>
public sealed class TripScheduleRefusedMailHandler(RiderMailSender sender) : IMessageHandler<TripScheduleRefusedIntegrationEvent>
{
    public Task HandleAsync(TripScheduleRefusedIntegrationEvent refused, MessageContext context, CancellationToken ct) =>
        sender.SendNoticeAsync(context, refused.RiderId, to => ScheduleMails.Refused(to, refused), ct);
}
