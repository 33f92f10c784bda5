using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

public sealed class CreditMailsTests
{
    private static readonly MailRecipient To = new("ana@example.com", "Ana", null, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Credit_support_gave_says_how_much_why_and_the_balance_now()
    {
        var mail = CreditMails.Granted(To, new PaymentCreditAddedIntegrationEvent("r1", "grant_1", PaymentCreditAddedIntegrationEvent.Grant, 500, "USD", 1_250,
            "Your driver was 20 minutes late", null, At));

        Assert.Equal(("ana@example.com", "UberClone: $5.00 ride credit added", "refund"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("$5.00 ride credit added: Your driver was 20 minutes late", mail.Body);
        Assert.Matches(@"Your ride credit +\$12\.50", mail.Body);
        Assert.Contains("7 Dec 2026, 10:15", mail.Body);
    }
}
