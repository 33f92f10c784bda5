using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

public sealed class CardMailsTests
{
    private static readonly MailRecipient To = new("ana@example.com", "Ana", null, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
    private static readonly DateTimeOffset At = new(2026, 12, 5, 16, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_card_support_removed_says_so_why_and_what_pays_from_now_on()
    {
        var mail = CardMails.Removed(To, new PaymentCardRemovedIntegrationEvent("r1", "Visa •••• 4242", PaymentCardRemovedIntegrationEvent.BySupport,
            "reported stolen on the phone", At));

        Assert.Equal(("ana@example.com", "Visa •••• 4242 was removed from your UberClone account", "card-removed"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("UberClone support removed your card Visa •••• 4242 from your account on 5 December 2026, 17:30 Europe/Berlin.", mail.Body);
        Assert.Contains("Why: reported stolen on the phone", mail.Body);
        Assert.Contains("It is not charged again.", mail.Body);
        Assert.DoesNotContain("change your password", mail.Body);
        Assert.Null(mail.UnsubscribeUrl); // a notice about the account: no way to turn it off
    }

    [Fact]
    public void A_card_the_rider_removed_asks_them_to_change_their_password_if_it_was_not_them()
    {
        var mail = CardMails.Removed(To, new PaymentCardRemovedIntegrationEvent("r1", "Mastercard •••• 4444", PaymentCardRemovedIntegrationEvent.ByRider, null, At));

        Assert.Contains("You removed your card Mastercard •••• 4444 from your account on 5 December 2026, 17:30 Europe/Berlin.", mail.Body);
        Assert.Contains("If it was not you, change your password", mail.Body);
        Assert.DoesNotContain("Why:", mail.Body);
    }
}
