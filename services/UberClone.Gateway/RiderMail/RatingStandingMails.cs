using System.Globalization;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A drivers' rating moved a rider's standing (trips' <c>trip.event.rider_rating_standing</c>, ADR 0056): <c>warned</c>
/// mails the rider once per crossing of the line, and <c>restricted</c> tells them why they cannot book (trips refuses
/// their bookings itself). Notices, sent whatever their mail settings. Their apps hear of every change on
/// <c>rider.rating_standing</c> (<see cref="Realtime.Forwarding.RealtimeRoutes"/>).
/// </summary>
public sealed class TripRiderRatingStandingMailHandler(RiderMailSender sender) : IMessageHandler<TripRiderRatingStandingIntegrationEvent>
{
    public Task HandleAsync(TripRiderRatingStandingIntegrationEvent changed, MessageContext context, CancellationToken ct) => changed.Standing switch
    {
        "warned" => sender.SendNoticeAsync(context, changed.RiderId, to => RiderRatingMails.Warned(to, changed), ct, Key("warned", changed)),
        "restricted" => sender.SendNoticeAsync(context, changed.RiderId, to => RiderRatingMails.Restricted(to, changed), ct, Key("restricted", changed)),
        _ => Task.CompletedTask,
    };

    /// <summary>Once per crossing, however often the change is delivered.</summary>
    private static string Key(string what, TripRiderRatingStandingIntegrationEvent changed) =>
        $"rider-rating-{what}-{changed.RiderId}-{changed.At.ToUnixTimeMilliseconds()}";
}

/// <summary>What a rider is told of their standing (ADR 0056), with the numbers. No I/O.</summary>
public static class RiderRatingMails
{
    private static string Stars(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static OutgoingMail Warned(MailRecipient to, TripRiderRatingStandingIntegrationEvent changed) => new(to.Email, to.Name,
        "Your rating as a rider is low",
        $"""
        Hello {to.Name},

        Your rating is {Stars(changed.Average)} over your last {changed.Rated} rated trips. Below {Stars(changed.RestrictBelow)} you could not book rides until support reviews your account.

        Drivers rate what they meet on the way: being at the pickup on time, treating the car and the driver with respect, not asking them to break traffic rules. The app shows your rating and this warning until it is above {Stars(changed.WarnBelow)} again.
        """, "rider-rating-warned");

    public static OutgoingMail Restricted(MailRecipient to, TripRiderRatingStandingIntegrationEvent changed) => new(to.Email, to.Name,
        "You cannot book UberClone rides for now",
        $"""
        Hello {to.Name},

        Your rating is {Stars(changed.Average)} over your last {changed.Rated} rated trips, below {Stars(changed.RestrictBelow)}: you cannot book new rides until support reviews your account. Rides you booked before go ahead.

        Contact support (Help in the app) to have your account reviewed.
        """, "rider-rating-restricted");
}
