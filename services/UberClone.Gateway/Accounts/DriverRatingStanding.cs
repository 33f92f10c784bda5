using System.Globalization;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.Operations;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// A rating moved a driver's standing (trips' <c>trip.event.driver_rating_standing</c>, ADR 0055), acted on once by the
/// gateway's mail group: <c>warned</c> mails the driver once per crossing of the line; <c>deactivate</c> takes their
/// approval to drive away through support's own restrict (<see cref="DriverApprovals.RestrictAsync"/>: revoked, the
/// drivers service takes them offline, their app is told, they are mailed why) as <see cref="SystemActor"/>, and the
/// audit trail keeps it as <see cref="DeactivatedAction"/>. Support gives it back by approving documents the driver sends
/// again. Their apps hear of every change on <c>driver.rating_standing</c> (<see cref="Realtime.Forwarding.RealtimeRoutes"/>).
/// </summary>
public sealed class DriverRatingStandingHandler(DriverApprovals approvals, AccountStore store, MailOutbox mail, ILogger<DriverRatingStandingHandler> logger)
    : IMessageHandler<TripDriverRatingStandingIntegrationEvent>
{
    /// <summary>Who took the approval away, on the decision and in the audit trail: no person did.</summary>
    public const string SystemActor = "system";

    public const string DeactivatedAction = "driver.deactivated_for_rating";

    public async Task HandleAsync(TripDriverRatingStandingIntegrationEvent changed, MessageContext context, CancellationToken ct)
    {
        if (changed.Standing == "warned")
        {
            if (await approvals.DriverAsync(changed.DriverId, ct) is { } driver)
            {
                await mail.EnqueueAsync(RatingMails.Warned(driver, changed), driver.Id, $"driver-rating-warned-{driver.Id}-{changed.At.ToUnixTimeMilliseconds()}", ct);
            }
        }
        else if (changed.Standing == "deactivate")
        {
            await DeactivateAsync(changed, ct);
        }
    }

    private async Task DeactivateAsync(TripDriverRatingStandingIntegrationEvent changed, CancellationToken ct)
    {
        var reason = RatingMails.Reason(changed);
        try
        {
            if (await approvals.RestrictAsync(changed.DriverId, [], null, reason, SystemActor, ct) is null) return;
            logger.LogWarning("Driver {DriverId} deactivated for their rating: {Reason}", changed.DriverId, reason);
        }
        catch (ApprovalException ex)
        {
            // Not approved now (never, lapsed, or taken away already): nothing more to take away. When it was this very
            // message that took it away (redelivered after a crash before the audit entry was kept), the entry is kept now.
            var decision = (await approvals.DriverAsync(changed.DriverId, ct))?.Approval?.Decision;
            if (decision is not { By: SystemActor } || decision.Reason != reason)
            {
                logger.LogInformation("Driver {DriverId} rated below the line was not deactivated: {Why}", changed.DriverId, ex.Message);
                return;
            }
        }
        var entry = new SupportAction(SystemActor, changed.At, DeactivatedAction, "EVENT", $"/{Contracts.Topics.TripDriverRatingStanding}", 200,
            UserId: changed.DriverId, DriverId: changed.DriverId, Reason: reason);
        try
        {
            await store.SupportActions.InsertAsync($"rating-{changed.DriverId}-{changed.At.ToUnixTimeMilliseconds()}", entry, ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            // kept already
        }
    }
}

/// <summary>What a driver is told of their standing (ADR 0055), with the numbers. No I/O.</summary>
public static class RatingMails
{
    private static string Stars(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Why the approval was taken away, as the decision, the driver's app and support's desk say it.</summary>
    public static string Reason(TripDriverRatingStandingIntegrationEvent changed) =>
        $"Rating {Stars(changed.Average)} over the last {changed.Rated} rated trips is below {Stars(changed.DeactivateBelow)}.";

    public static OutgoingMail Warned(Account driver, TripDriverRatingStandingIntegrationEvent changed) => new(driver.Email, driver.Name,
        "Your rating as a driver is low",
        $"""
        Hello {driver.Name},

        Your rating is {Stars(changed.Average)} over your last {changed.Rated} rated trips. Below {Stars(changed.DeactivateBelow)} your account is paused for review: you could not go online until support looks at it.

        Riders rate what they feel on the way: a clean car, a safe and calm drive, the route they expect, a greeting. The driver app shows your rating and this warning until it is above {Stars(changed.WarnBelow)} again.
        """, "driver-rating-warned");
}
