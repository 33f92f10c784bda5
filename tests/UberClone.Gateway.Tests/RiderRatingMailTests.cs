using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;

namespace UberClone.Gateway.Tests;

/// <summary>A drivers' rating moved a rider's standing (ADR 0056): warned and restricted riders are mailed the numbers, once per crossing.</summary>
public sealed class RiderRatingMailTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static TripRiderRatingStandingIntegrationEvent Changed(string riderId, string standing, double average, DateTimeOffset at, string previous = "good") =>
        new(riderId, standing, average, 30, 4.3, 4.0, at, previous);

    [Fact]
    public void The_mails_say_the_rating_over_the_rated_trips_and_the_line()
    {
        var to = new MailRecipient("rita@example.com", "Rita", null);

        var warned = RiderRatingMails.Warned(to, Changed("r1", "warned", 4.1, At));
        var restricted = RiderRatingMails.Restricted(to, Changed("r1", "restricted", 3.8, At, "warned"));

        Assert.Contains("Your rating is 4.10 over your last 30 rated trips. Below 4.00 you could not book rides until support reviews your account.", warned.Body);
        Assert.Contains("until it is above 4.30 again", warned.Body);
        Assert.Equal("You cannot book UberClone rides for now", restricted.Subject);
        Assert.Contains("Your rating is 3.80 over your last 30 rated trips, below 4.00: you cannot book new rides until support reviews your account.", restricted.Body);
    }

    [Fact]
    public async Task A_rider_is_mailed_once_per_crossing_however_often_it_is_told()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new GatewayFactory();
        var outbox = gateway.Services.GetRequiredService<MailOutbox>();
        var handler = ActivatorUtilities.CreateInstance<TripRiderRatingStandingMailHandler>(gateway.Services);
        var (rider, _) = await gateway.ConfirmedAsync(GatewayFactory.RiderSignUp(), ct);
        MessageContext Message(string id) => new(id, Topics.TripRiderRatingStanding, rider, "standing", At, 1);

        await handler.HandleAsync(Changed(rider, "warned", 4.1, At), Message("m1"), ct);
        await handler.HandleAsync(Changed(rider, "warned", 4.1, At), Message("m2"), ct); // the same crossing told again
        await handler.HandleAsync(Changed(rider, "good", 4.4, At.AddDays(1), "warned"), Message("m3"), ct);
        await handler.HandleAsync(Changed(rider, "warned", 4.2, At.AddDays(2)), Message("m4"), ct); // crossed again
        await handler.HandleAsync(Changed(rider, "restricted", 3.9, At.AddDays(3), "warned"), Message("m5"), ct);

        var mails = (await outbox.ForAccountAsync(rider, 10, ct)).Select(m => m.Document.Kind).Where(k => k.StartsWith("rider-rating-", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["rider-rating-restricted", "rider-rating-warned", "rider-rating-warned"], mails);
    }
}
