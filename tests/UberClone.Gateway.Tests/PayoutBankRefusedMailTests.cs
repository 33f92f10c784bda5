using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>A driver's bank refused a payout the provider sent it (ADR 0025): the driver is mailed why and where to update the bank account, once.</summary>
public sealed class PayoutBankRefusedMailTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static PayoutBankRefusedIntegrationEvent Refused(string driverId = "d1", string payoutId = "po_1") =>
        new(driverId, payoutId, 12_34, "USD", "account_closed", "the account is closed", new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), At);

    [Fact]
    public void The_mail_says_how_much_the_bank_did_not_accept_why_and_links_to_updating_the_bank_account()
    {
        // Los Angeles: the day Stripe names is that day wherever the driver is.
        var to = new MailRecipient("dana@example.com", "Dana", null, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));

        var mail = PayoutMails.BankRefused(to, Refused(), "https://app.uberclone.test/");

        Assert.Equal(("dana@example.com", "Your bank did not accept your payout of $12.34", "driver-payout-bank-refused"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("Your bank did not accept $12.34 paid on 3 Dec: the account is closed. Update your bank account: https://app.uberclone.test/driver?payouts=update", mail.Body);
        Assert.Contains("The money is still yours", mail.Body);
    }

    [Fact]
    public void Without_links_in_mail_it_says_where_in_the_app()
    {
        var mail = PayoutMails.BankRefused(new MailRecipient("dana@example.com", "Dana", null), Refused(), null);

        Assert.Contains("the account is closed. Update your bank account: in the app (earnings card, Payouts: \"Update bank account\")", mail.Body);
    }

    [Fact]
    public async Task A_refused_payout_is_mailed_once_however_often_it_is_told_even_to_a_driver_who_turned_payout_mail_off()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new GatewayFactory();
        var store = gateway.Services.GetRequiredService<AccountStore>();
        var outbox = gateway.Services.GetRequiredService<MailOutbox>();
        var handler = ActivatorUtilities.CreateInstance<PayoutBankRefusedMailHandler>(gateway.Services);
        var driver = await gateway.ConfirmedDriverAsync(ct);
        var optedOut = await gateway.ConfirmedDriverAsync(ct);
        await store.Accounts.UpdateAsync(optedOut, a => a with { MailOptOuts = [MailCategories.Statements.Id] }, ct: ct);
        MessageContext Message(string id) => new(id, Topics.PayoutBankRefused, driver, "refused", At, 1);

        await handler.HandleAsync(Refused(driver), Message("m1"), ct);
        await handler.HandleAsync(Refused(driver), Message("m1"), ct);   // redelivered
        await handler.HandleAsync(Refused(driver), Message("m2"), ct);   // told again by another message
        await handler.HandleAsync(Refused(driver, "po_2"), Message("m3"), ct);
        await handler.HandleAsync(Refused(optedOut, "po_9"), Message("m4"), ct);

        var mails = (await outbox.ForAccountAsync(driver, 10, ct)).Where(m => m.Document.Kind == "driver-payout-bank-refused").ToList();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("Your bank did not accept your payout of $12.34", m.Document.Subject));
        // Their money did not arrive: told whatever the mail settings say of statements and payouts.
        Assert.Single(await outbox.ForAccountAsync(optedOut, 10, ct), m => m.Document.Kind == "driver-payout-bank-refused");
    }
}
