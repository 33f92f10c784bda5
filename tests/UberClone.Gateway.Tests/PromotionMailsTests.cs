using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

public sealed class PromotionMailsTests
{
    [Fact]
    public void A_rider_whose_friend_rode_is_told_what_they_got_until_when_in_their_time_zone_and_that_it_applies_by_itself()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var to = new MailRecipient("ana@example.com", "Ana", null, berlin);
        var rewarded = new PromotionRewardedIntegrationEvent("r1", "THXABCDEFGHIJKL", 500, "USD",
            new DateTimeOffset(2027, 3, 5, 23, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

        var mail = PromotionMails.Rewarded(to, rewarded);

        Assert.Equal(("ana@example.com", "Your friend took their first ride: $5.00 off your next one", "referral-reward"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("Hello Ana,", mail.Body);
        Assert.Contains("your next ride is $5.00 off", mail.Body);
        Assert.Contains("(promotion THXABCDEFGHIJKL) and comes off by itself", mail.Body);
        Assert.Contains("until 6 March 2027", mail.Body); // already the 6th in Berlin
    }
}
