using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// What riders are told by mail: receipts and refunds (<see cref="ReceiptMails"/>), a ride booked for later's
/// confirmation and what happened to it while they were not looking (<see cref="ReservationMails"/>), an invited friend's
/// first ride (<see cref="PromotionMails"/>), a saved card removed (<see cref="CardMails"/>), a lost item (to the driver too,
/// <see cref="LostItemMails"/>), a repeating ride that could not be booked or booked its last ride (<see cref="ScheduleMails"/>), their rating's warning or restriction (<see cref="RiderRatingMails"/>). The gateway's main consumer group is each
/// replica's own (realtime forwarding), so these handlers run in a group shared by every replica, <see cref="Group"/>:
/// one replica mails each, and a redelivered event (same message id) is not mailed again.
/// </summary>
public static class RiderMailHandlers
{
    public const string Group = Resources.Gateway + "-rider-mail";

    public static IHostApplicationBuilder AddRiderMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RiderMailSender>();
        builder.AddGroupMessageHandler<TripPaidIntegrationEvent, TripPaidMailHandler>(Topics.TripPaid, Group);
        builder.AddGroupMessageHandler<TripProfileChangedIntegrationEvent, TripProfileChangedMailHandler>(Topics.TripProfileChanged, Group);
        builder.AddGroupMessageHandler<TripRefundedIntegrationEvent, TripRefundedMailHandler>(Topics.TripRefunded, Group);
        builder.AddGroupMessageHandler<TripScheduledIntegrationEvent, TripScheduledMailHandler>(Topics.TripScheduled, Group);
        builder.AddGroupMessageHandler<TripReservationReminderIntegrationEvent, TripReservationReminderMailHandler>(Topics.TripReservationReminder, Group);
        builder.AddGroupMessageHandler<TripRescheduledIntegrationEvent, TripRescheduledMailHandler>(Topics.TripRescheduled, Group);
        builder.AddGroupMessageHandler<TripDriverAssignedIntegrationEvent, TripDriverAssignedMailHandler>(Topics.TripDriverAssigned, Group);
        builder.AddGroupMessageHandler<TripReservedIntegrationEvent, TripReservedMailHandler>(Topics.TripReserved, Group);
        builder.AddGroupMessageHandler<TripCancelledIntegrationEvent, TripCancelledMailHandler>(Topics.TripCancelled, Group);
        builder.AddGroupMessageHandler<TripNoDriversFoundIntegrationEvent, TripNoDriversFoundMailHandler>(Topics.TripNoDriversFound, Group);
        builder.AddGroupMessageHandler<PromotionRewardedIntegrationEvent, PromotionRewardedMailHandler>(Topics.PromotionRewarded, Group);
        builder.AddGroupMessageHandler<PaymentCardRemovedIntegrationEvent, CardRemovedMailHandler>(Topics.PaymentCardRemoved, Group);
        builder.AddGroupMessageHandler<PaymentCreditAddedIntegrationEvent, CreditAddedMailHandler>(Topics.PaymentCreditAdded, Group);
        builder.AddGroupMessageHandler<TripLostItemIntegrationEvent, TripLostItemMailHandler>(Topics.TripLostItem, Group);
        builder.AddGroupMessageHandler<TripPaymentDueIntegrationEvent, TripPaymentDueMailHandler>(Topics.TripPaymentDue, Group);
        builder.AddGroupMessageHandler<TripPaymentWaivedIntegrationEvent, TripPaymentWaivedMailHandler>(Topics.TripPaymentWaived, Group);
        builder.AddGroupMessageHandler<TripScheduleRefusedIntegrationEvent, TripScheduleRefusedMailHandler>(Topics.TripScheduleRefused, Group);
        builder.AddGroupMessageHandler<TripScheduleEndedIntegrationEvent, TripScheduleEndedMailHandler>(Topics.TripScheduleEnded, Group);
        builder.AddGroupMessageHandler<TripSplitChangedIntegrationEvent, TripSplitChangedMailHandler>(Topics.TripSplitChanged, Group);
        builder.AddGroupMessageHandler<TripRiderRatingStandingIntegrationEvent, TripRiderRatingStandingMailHandler>(Topics.TripRiderRatingStanding, Group);
        return builder;
    }
}

/// <summary>
/// The trip (or its fee, or a tip, or a lost item's return fee) was paid: the rider's receipt, and for a business ride the
/// work copy (ADR 0034) once the ride or its fee is paid, and one of a tip paid on its own (a lost item's return fee is
/// the rider's own, in their receipt only).
/// </summary>
public sealed class TripPaidMailHandler(RiderMailSender sender) : IMessageHandler<TripPaidIntegrationEvent>
{
    public async Task HandleAsync(TripPaidIntegrationEvent paid, MessageContext context, CancellationToken ct)
    {
        await sender.SendAsync(context, MailCategories.Receipts, paid.TripId, paid.RiderId, paid.DriverId, (to, trip) => ReceiptMails.Paid(to, trip, paid), ct);
        if (PaymentPurposes.IsTripCharge(paid.Purpose)) await sender.SendWorkCopyAsync(paid.TripId, paid.RiderId, paid.DriverId, ct);
        else if (paid.Purpose == PaymentPurposes.Tip) await sender.SendWorkTipCopyAsync(paid, ct);
    }
}

/// <summary>The rider switched a ride to business (ADR 0034): a paid ride's receipt goes to the work email then.</summary>
public sealed class TripProfileChangedMailHandler(RiderMailSender sender) : IMessageHandler<TripProfileChangedIntegrationEvent>
{
    public Task HandleAsync(TripProfileChangedIntegrationEvent changed, MessageContext context, CancellationToken ct) =>
        changed.Profile == "business" ? sender.SendWorkCopyAsync(changed.TripId, changed.RiderId, driverId: null, ct) : Task.CompletedTask;
}

/// <summary>Money went back to the rider, or to a rider who paid a share of the fare (ADR 0040): a refund notice.</summary>
public sealed class TripRefundedMailHandler(RiderMailSender sender) : IMessageHandler<TripRefundedIntegrationEvent>
{
    public Task HandleAsync(TripRefundedIntegrationEvent refund, MessageContext context, CancellationToken ct) =>
        refund.InviteeId is { } invitee
            ? sender.SendToInviteeAsync(context, MailCategories.Receipts, refund.TripId, invitee, (to, ride) => SplitFareMails.Refunded(to, ride, refund), ct)
            : sender.SendAsync(context, MailCategories.Receipts, refund.TripId, refund.RiderId, refund.DriverId, (to, trip) => ReceiptMails.Refunded(to, trip, refund), ct);
}

/// <summary>
/// A split fare changed (ADR 0040): each invitee still asked is mailed the request, and each whose card paid their share
/// its receipt — once per invitee and trip whichever change tells it (the key in the outbox is theirs), as the ride
/// stands when the mail is written.
/// </summary>
public sealed class TripSplitChangedMailHandler(RiderMailSender sender, MailSettings settings) : IMessageHandler<TripSplitChangedIntegrationEvent>
{
    public async Task HandleAsync(TripSplitChangedIntegrationEvent changed, MessageContext context, CancellationToken ct)
    {
        foreach (var invitee in changed.InviteeIds.Distinct())
        {
            await sender.SendToInviteeAsync(context, MailCategories.SplitFare, changed.TripId, invitee,
                (to, ride) => SplitFareMails.Invited(to, ride, settings.LinkBase), ct, key: $"split-invited-{changed.TripId}-{invitee}");
            await sender.SendToInviteeAsync(context, MailCategories.Receipts, changed.TripId, invitee,
                SplitFareMails.SharePaid, ct, key: $"split-receipt-{changed.TripId}-{invitee}");
        }
    }
}

/// <summary>A ride was booked for later: the rider's confirmation.</summary>
public sealed class TripScheduledMailHandler(RiderMailSender sender) : IMessageHandler<TripScheduledIntegrationEvent>
{
    public Task HandleAsync(TripScheduledIntegrationEvent booked, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Rides, booked.TripId, booked.RiderId, driverId: null, (to, trip) => ReservationMails.Booked(to, trip, booked), ct);
}

/// <summary>The rider moved a ride booked for later: the new time, confirmed.</summary>
public sealed class TripRescheduledMailHandler(RiderMailSender sender) : IMessageHandler<TripRescheduledIntegrationEvent>
{
    public Task HandleAsync(TripRescheduledIntegrationEvent moved, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Rides, moved.TripId, moved.RiderId, driverId: null, (to, trip) => ReservationMails.Rescheduled(to, trip, moved), ct);
}

/// <summary>A ride booked for later is an hour away: the rider's reminder.</summary>
public sealed class TripReservationReminderMailHandler(RiderMailSender sender) : IMessageHandler<TripReservationReminderIntegrationEvent>
{
    public Task HandleAsync(TripReservationReminderIntegrationEvent reminder, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Rides, reminder.TripId, reminder.RiderId, driverId: null, (to, trip) => ReservationMails.Reminder(to, trip, reminder), ct);
}

/// <summary>A ride booked for later has its driver: who, and which car, to look out for.</summary>
public sealed class TripDriverAssignedMailHandler(RiderMailSender sender) : IMessageHandler<TripDriverAssignedIntegrationEvent>
{
    // A ride requested now (most of them) is told in the app: nothing to read or mail.
    public Task HandleAsync(TripDriverAssignedIntegrationEvent assigned, MessageContext context, CancellationToken ct) =>
        assigned.ScheduledFor is null ? Task.CompletedTask : sender.SendAsync(context, MailCategories.Rides, assigned.TripId, assigned.RiderId, assigned.DriverId, (to, trip) => ReservationMails.DriverAssigned(to, trip, assigned), ct);
}

/// <summary>A driver reserved a ride booked for later (ADR 0047): who will pick the rider up, and in which car.</summary>
public sealed class TripReservedMailHandler(RiderMailSender sender) : IMessageHandler<TripReservedIntegrationEvent>
{
    public Task HandleAsync(TripReservedIntegrationEvent reserved, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Rides, reserved.TripId, reserved.RiderId, reserved.DriverId, (to, trip) => ReservationMails.Reserved(to, trip, reserved), ct);
}

/// <summary>A ride booked for later was cancelled by someone else than its rider (trips itself, support): they are told why.</summary>
public sealed class TripCancelledMailHandler(RiderMailSender sender) : IMessageHandler<TripCancelledIntegrationEvent>
{
    public Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct) =>
        cancelled.CancelledBy == Roles.Rider || cancelled.ScheduledFor is null
            ? Task.CompletedTask
            : sender.SendAsync(context, MailCategories.Rides, cancelled.TripId, cancelled.RiderId, driverId: null, (to, trip) => ReservationMails.Cancelled(to, trip, cancelled), ct);
}

/// <summary>No driver took a ride booked for later: the rider is told to book another way.</summary>
public sealed class TripNoDriversFoundMailHandler(RiderMailSender sender) : IMessageHandler<TripNoDriversFoundIntegrationEvent>
{
    // A ride requested now (most of them) is told in the app: nothing to read or mail.
    public Task HandleAsync(TripNoDriversFoundIntegrationEvent notFound, MessageContext context, CancellationToken ct) =>
        notFound.ScheduledFor is null ? Task.CompletedTask : sender.SendAsync(context, MailCategories.Rides, notFound.TripId, notFound.RiderId, driverId: null, (to, trip) => ReservationMails.NoDriverFound(to, trip, notFound), ct);
}

/// <summary>A friend the rider invited took their first ride: what the rider got for it.</summary>
public sealed class PromotionRewardedMailHandler(RiderMailSender sender) : IMessageHandler<PromotionRewardedIntegrationEvent>
{
    public Task HandleAsync(PromotionRewardedIntegrationEvent rewarded, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Offers, rewarded.RiderId, to => PromotionMails.Rewarded(to, rewarded), ct);
}

/// <summary>
/// Reads what a mail needs (the rider's account, the trip as the rider sees it, the driver's first name) and queues
/// the mail the composer makes of it (null: nothing to say), unless the rider turned its <see cref="MailCategory"/> off
/// (checked before the trip is read; the mail carries the link that turns it off). Nothing is sent to a deleted account, nor to an email its
/// owner has not confirmed (anyone may sign up with anyone's address). Trips not reachable:
/// the handler fails and the message is retried (then dead-lettered, like any message that cannot be handled).
/// </summary>
public sealed class RiderMailSender(AccountStore accounts, TripService.TripServiceClient trips, MailOutbox mail, UnsubscribeLinks links, ILogger<RiderMailSender> logger)
{
    /// <summary>
    /// The mail is queued under the event's message id: an event handled twice (its record lost) queues it once. A null
    /// <paramref name="category"/>: a notice (money owed), sent whatever the rider's settings, without an unsubscribe link.
    /// </summary>
    public async Task SendAsync(MessageContext message, MailCategory? category, string tripId, string riderId, string? driverId, Func<MailRecipient, Trip, OutgoingMail?> compose,
        CancellationToken ct)
    {
        if (await ReceiverAsync(riderId, category, $"trip {tripId}", ct) is not { } rider) return;
        if (await TripAsync(tripId, riderId, ct) is not { } trip) return;
        var recipient = await RecipientAsync(rider, driverId, ct);
        if (compose(recipient, trip) is not { } composed) return;
        await mail.EnqueueAsync(category is null ? composed : links.Stamp(composed, riderId, category), riderId, $"{RiderMailHandlers.Group}-{message.MessageId}", ct);
    }

    /// <summary>
    /// A mail to a rider asked to split a trip's fare (ADR 0040), about that ride as they see it (they cannot read the
    /// trip): the same checks as <see cref="SendAsync(MessageContext, MailCategory?, string, string, string?, Func{MailRecipient, Trip, OutgoingMail?}, CancellationToken)"/>.
    /// Queued under the event's id, or <paramref name="key"/> for a mail that is once per invitee whatever event tells it.
    /// </summary>
    public async Task SendToInviteeAsync(MessageContext message, MailCategory? category, string tripId, string inviteeId,
        Func<MailRecipient, SplitInvitation, OutgoingMail?> compose, CancellationToken ct, string? key = null)
    {
        if (await ReceiverAsync(inviteeId, category, $"trip {tripId}", ct) is not { } invitee) return;
        SplitInvitation ride;
        try
        {
            ride = await trips.GetSplitInvitationAsync(new GetSplitInvitationRequest { TripId = tripId }, new Caller(inviteeId, Roles.Rider).ToMetadata(), cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            logger.LogWarning("No mail about trip {TripId} to its invitee: trips answered {Status} ({Detail})", tripId, ex.StatusCode, ex.Status.Detail);
            return;
        }
        if (compose(await RecipientAsync(invitee, null, ct), ride) is not { } composed) return;
        await mail.EnqueueAsync(category is null ? composed : links.Stamp(composed, inviteeId, category), inviteeId,
            $"{RiderMailHandlers.Group}-{key ?? message.MessageId}", ct);
    }

    /// <summary>
    /// A mail about the rider's account rather than a trip: the same checks, no trip read. Queued under the event's id,
    /// or <paramref name="key"/> for a mail that is once per thing whatever event tells it (a quest's bonus).
    /// </summary>
    public async Task SendAsync(MessageContext message, MailCategory category, string riderId, Func<MailRecipient, OutgoingMail> compose, CancellationToken ct,
        string? key = null)
    {
        if (await ReceiverAsync(riderId, category, "their promotions", ct) is not { } rider) return;
        await mail.EnqueueAsync(links.Stamp(compose(await RecipientAsync(rider, null, ct)), riderId, category), riderId,
            $"{RiderMailHandlers.Group}-{key ?? message.MessageId}", ct);
    }

    /// <summary>
    /// A notice about the rider's account itself (a card removed, a driver's bank refusing their money): sent whatever
    /// their mail settings, without an unsubscribe link, to a confirmed address of an account that still exists. Queued
    /// under the event's id, or <paramref name="key"/> for a notice that is once per thing whatever event tells it.
    /// </summary>
    public async Task SendNoticeAsync(MessageContext message, string riderId, Func<MailRecipient, OutgoingMail> compose, CancellationToken ct,
        string? key = null)
    {
        if (await ReceiverAsync(riderId, category: null, "their account", ct) is not { } rider) return;
        await mail.EnqueueAsync(compose(await RecipientAsync(rider, null, ct)), riderId, $"{RiderMailHandlers.Group}-{key ?? message.MessageId}", ct);
    }

    /// <summary>
    /// The work copy of a business ride's receipt (ADR 0034) to the rider's confirmed work email, once per trip whatever
    /// asks for it (the ride paid, the ride switched to business, either redelivered): the trip id is its key in the
    /// outbox. Nothing for a ride that is not business (now) or not paid yet, nor without a confirmed work email. It obeys
    /// no mail preference and carries no unsubscribe link: the rider asked for it by marking the ride, and the link
    /// would turn off their own receipts from a mailbox others at work may read.
    /// </summary>
    public async Task SendWorkCopyAsync(string tripId, string riderId, string? driverId, CancellationToken ct)
    {
        if (await BusinessRideAsync(tripId, riderId, driverId, ct) is not var (to, trip) || ReceiptMails.WorkCopy(to, trip) is not { } copy) return;
        await mail.EnqueueAsync(copy, riderId, $"{RiderMailHandlers.Group}-work-copy-{tripId}", ct);
    }

    /// <summary>
    /// The work copy of a tip paid on its own after a business ride, as <see cref="SendWorkCopyAsync"/> sends the ride's:
    /// once per trip (a tip is paid once; its key in the outbox is the trip's), nothing for a personal ride or without a
    /// confirmed work email. A ride switched to business after its tip was paid gets the ride's copy, which lists the tip.
    /// </summary>
    public async Task SendWorkTipCopyAsync(TripPaidIntegrationEvent tip, CancellationToken ct)
    {
        if (await BusinessRideAsync(tip.TripId, tip.RiderId, tip.DriverId, ct) is not var (to, trip)) return;
        await mail.EnqueueAsync(ReceiptMails.WorkTipCopy(to, trip, tip), tip.RiderId, $"{RiderMailHandlers.Group}-work-tip-copy-{tip.TripId}", ct);
    }

    /// <summary>A business ride of a rider with a confirmed work email, and that email as the recipient; null otherwise.</summary>
    private async Task<(MailRecipient To, Trip Trip)?> BusinessRideAsync(string tripId, string riderId, string? driverId, CancellationToken ct)
    {
        var rider = (await accounts.Accounts.GetAsync(riderId, ct))?.Document;
        if (rider is not { DeletedAt: null, Business: { IsConfirmed: true } business }) return null;
        if (await TripAsync(tripId, riderId, ct) is not { Profile: "business" } trip) return null;
        return (await RecipientAsync(rider, driverId ?? trip.Driver?.DriverId, ct) with { Email = business.WorkEmail }, trip);
    }

    /// <summary>The trip as its rider sees it; null (and why, logged) when trips does not give it to them.</summary>
    private async Task<Trip?> TripAsync(string tripId, string riderId, CancellationToken ct)
    {
        try
        {
            return await trips.GetTripAsync(new GetTripRequest { TripId = tripId }, new Caller(riderId, Roles.Rider).ToMetadata(), cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            logger.LogWarning("No mail about trip {TripId}: trips answered {Status} ({Detail})", tripId, ex.StatusCode, ex.Status.Detail);
            return null;
        }
    }

    /// <summary>The rider's account when it may be mailed this category (null: a notice, always), else null (and why, logged).</summary>
    private async Task<Account?> ReceiverAsync(string riderId, MailCategory? category, string about, CancellationToken ct)
    {
        var rider = (await accounts.Accounts.GetAsync(riderId, ct))?.Document;
        if (rider is null || rider.DeletedAt is not null || rider.Email.Length == 0)
        {
            logger.LogInformation("No mail about {About}: rider {RiderId} has no account any more", about, riderId);
            return null;
        }
        if (rider.EmailVerifiedAt is null)
        {
            logger.LogInformation("No mail about {About}: rider {RiderId} has not confirmed their email", about, riderId);
            return null;
        }
        if (category is not null && !rider.Receives(category))
        {
            logger.LogInformation("No mail about {About}: rider {RiderId} turned \"{Category}\" off", about, riderId, category.Id);
            return null;
        }
        return rider;
    }

    /// <summary>The rider as a mail's recipient, with the driver's first name and car (none for a deleted driver).</summary>
    public async Task<MailRecipient> RecipientAsync(Account rider, string? driverId, CancellationToken ct)
    {
        var driver = string.IsNullOrEmpty(driverId) ? null : (await accounts.Accounts.GetAsync(driverId, ct))?.Document;
        var named = driver is { DeletedAt: null } ? driver : null;
        var car = named?.Vehicle is { } v ? $"{v.Colour} {v.Make} {v.Model}, plate {v.Plate}" : null;
        return new MailRecipient(rider.Email, rider.Name, named is null ? null : Sharing.SharedTripApi.FirstName(named.Name), rider.Zone, car);
    }
}
