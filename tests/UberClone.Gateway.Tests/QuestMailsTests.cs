using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

public sealed class QuestMailsTests
{
    [Fact]
    public void A_driver_who_reached_a_quests_target_is_told_the_bonus_and_that_it_is_paid_with_their_earnings()
    {
        var to = new MailRecipient("dan@example.com", "Dan", null, null);
        var earned = new QuestBonusEarnedIntegrationEvent("q1", "d1", "Weekend rush", 30, 4_500, "USD", "t9", new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

        var mail = QuestMails.BonusEarned(to, earned);

        Assert.Equal(("dan@example.com", "Quest complete: $45.00 bonus added to your earnings", "driver-quest-bonus"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("Hello Dan,", mail.Body);
        Assert.Contains("You completed 30 rides for the quest \"Weekend rush\": its bonus of $45.00 is added to your earnings.", mail.Body);
        Assert.Contains("paid with your next payout", mail.Body);
    }
}
