using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Payouts;
using UberClone.Payments.Sandbox;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>
/// The driver's bank refuses a payout Stripe sent from their connected account, days after our transfer reached it
/// (Stripe's <c>payout.failed</c> for the connected account, ADR 0025): kept on the driver's payout account and told once,
/// cleared by a later <c>payout.paid</c>; signed events posted as Stripe posts them, with Stripe.net against the fake API.
/// </summary>
public sealed class BankRefusalTests : IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private PaymentsHarness _h = null!;
    private string _account = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _h = new PaymentsHarness(_stripe.Provider());
        await _h.Payouts.StartOnboardingAsync("driver-9", Ct);
        _account = Assert.Single(_stripe.Requests, r => r.Path == "/v1/account_links").Form["account"];
        _stripe.EnabledAccounts[_account] = true;
        Assert.Equal(WebhookOutcome.Processed, (await _h.SendAsync(StripeEvents.Event("account.updated", new { id = _account, @object = "account" }))).Outcome);
    }

    public async ValueTask DisposeAsync()
    {
        _h.Dispose();
        await _stripe.DisposeAsync();
    }

    // The harness's clock: Wednesday 25 November 2026, 09:00 UTC; Stripe made the payout the day before.
    private DateTimeOffset Created => _h.Clock.Now.AddDays(-1);

    private Task<WebhookResult> FailedAsync(string payoutId, DateTimeOffset created, string code = "account_closed", string? eventId = null, string? account = null) =>
        _h.SendAsync(FakeStripe.ConnectedPayoutEvent("payout.failed", account ?? _account, payoutId, 12_34, "eur", created, code, eventId));

    private Task<WebhookResult> PaidAsync(string payoutId, DateTimeOffset created) =>
        _h.SendAsync(FakeStripe.ConnectedPayoutEvent("payout.paid", _account, payoutId, 20_00, "eur", created));

    private async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> ToldAsync() =>
        (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PayoutBankRefused).Select(m => m.Data).ToList();

    private async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> ClearedAsync() =>
        (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PayoutBankRefusalCleared).Select(m => m.Data).ToList();

    private async Task<BankRefusalView?> RefusalAsync() => PayoutsApi.View(await _h.Payouts.OfDriverAsync("driver-9", Ct)).Account!.BankRefusal;

    [Fact]
    public async Task A_payout_the_bank_refuses_is_kept_on_the_drivers_account_and_told_once_however_often_it_is_delivered()
    {
        var result = await FailedAsync("po_1", Created, eventId: "evt_refused");
        await FailedAsync("po_1", Created, eventId: "evt_refused");   // redelivered
        await FailedAsync("po_1", Created);                           // the same news in another event

        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        var refusal = await RefusalAsync();
        Assert.Equal(("po_1", 12_34L, "EUR", "account_closed", "the account is closed", Created.AddDays(1)),
            (refusal!.ProviderPayoutId, refusal.AmountMinor, refusal.Currency, refusal.Code, refusal.Message, refusal.PaidOn));
        var told = Assert.Single(await ToldAsync());
        Assert.Equal(("driver-9", "po_1", 12_34L, "account_closed", "the account is closed"),
            ((string)told["driverId"]!, (string)told["providerPayoutId"]!, (long)told["amountMinor"]!, (string)told["code"]!, (string)told["message"]!));
    }

    [Fact]
    public async Task A_later_payout_paid_clears_the_refusal_and_older_news_changes_nothing()
    {
        await FailedAsync("po_1", Created);

        // Stripe's news of an older payout, paid, arrives late: the refusal stays.
        await PaidAsync("po_0", Created.AddDays(-7));
        Assert.Equal("po_1", (await RefusalAsync())?.ProviderPayoutId);

        // The driver fixed the bank account and Stripe paid again.
        Assert.Equal(WebhookOutcome.Processed, (await PaidAsync("po_2", Created.AddDays(2))).Outcome);
        Assert.Null(await RefusalAsync());

        // The refusal of an older payout, redelivered after that: nothing to fix, nothing told again.
        await FailedAsync("po_1", Created);
        await FailedAsync("po_00", Created.AddDays(-3), code: "no_account");
        Assert.Null(await RefusalAsync());
        Assert.Single(await ToldAsync());
    }

    [Fact]
    public async Task The_refusal_cleared_by_a_payout_paid_is_told_once_with_the_paid_payout()
    {
        await FailedAsync("po_1", Created);
        await PaidAsync("po_0", Created.AddDays(-7));   // older: clears nothing
        Assert.Empty(await ClearedAsync());

        await PaidAsync("po_2", Created.AddDays(2));
        await PaidAsync("po_2", Created.AddDays(2));    // redelivered
        await PaidAsync("po_3", Created.AddDays(3));    // the next one, paid too: nothing was refused

        var cleared = Assert.Single(await ClearedAsync());
        Assert.Equal(("driver-9", "po_2", 20_00L, "EUR", _h.Clock.Now),
            ((string)cleared["driverId"]!, (string)cleared["providerPayoutId"]!, (long)cleared["amountMinor"]!, (string)cleared["currency"]!, (DateTimeOffset)cleared["at"]!));
    }

    [Fact]
    public async Task A_payout_paid_while_no_refusal_is_kept_tells_nothing()
    {
        await PaidAsync("po_1", Created);
        await PaidAsync("po_2", Created.AddDays(1));

        Assert.Empty(await ClearedAsync());
        Assert.Empty(await ToldAsync());
    }

    [Fact]
    public async Task A_payout_paid_and_then_returned_by_the_bank_is_refused()
    {
        await PaidAsync("po_1", Created);
        await FailedAsync("po_1", Created, code: "invalid_account_number");

        Assert.Equal("the account number is not valid", (await RefusalAsync())?.Message);
        Assert.Single(await ToldAsync());
    }

    [Fact]
    public async Task A_payout_of_an_account_not_ours_is_acknowledged_and_a_malformed_one_rejected()
    {
        var unknown = await FailedAsync("po_1", Created, account: "acct_someone_else");
        var platforms = await _h.SendAsync(StripeEvents.Event("payout.failed", new { id = "po_p", @object = "payout", amount = 100, currency = "eur", created = 1_764_000_000 }));
        var noAmount = await _h.SendAsync(FakeStripe.ConnectedPayoutEvent("payout.failed", _account, "po_1", 1, "eur", Created).Replace("\"amount\":1,", ""));
        var textAmount = await _h.SendAsync(FakeStripe.ConnectedPayoutEvent("payout.failed", _account, "po_1", 1, "eur", Created).Replace("\"amount\":1,", "\"amount\":\"1\","));
        var noCreated = await _h.SendAsync(FakeStripe.ConnectedPayoutEvent("payout.failed", _account, "po_1", 1, "eur", Created)
            .Replace($"\"created\":{Created.ToUnixTimeSeconds()},", ""));

        Assert.Equal((WebhookOutcome.Ignored, WebhookOutcome.Ignored), (unknown.Outcome, platforms.Outcome));
        Assert.Equal([WebhookOutcome.Rejected, WebhookOutcome.Rejected, WebhookOutcome.Rejected], new[] { noAmount.Outcome, textAmount.Outcome, noCreated.Outcome });
        Assert.Null(await RefusalAsync());
        Assert.Empty(await ToldAsync());
    }

    [Fact]
    public async Task A_driver_whose_payouts_are_set_up_updates_the_bank_account_on_the_express_dashboard()
    {
        await FailedAsync("po_1", Created);

        var url = await _h.Payouts.StartOnboardingAsync("driver-9", Ct);

        Assert.Equal($"https://connect.stripe.test/express/{_account}/", url[..^url.Split('/')[^1].Length]);
        Assert.Single(_stripe.Requests, r => r.Path == $"/v1/accounts/{_account}/login_links");
        Assert.Single(_stripe.Requests, r => r.Path == "/v1/account_links");   // onboarding's only
    }

    [Theory]
    [InlineData("account_closed", "the account is closed")]
    [InlineData("no_account", "the bank cannot find the account")]
    [InlineData("account_frozen", "the account is frozen")]
    [InlineData("bank_account_restricted", "the account does not accept this kind of payment")]
    [InlineData("insufficient_funds", "the balance at the payment provider did not cover it")]
    [InlineData("something_new", "the bank did not accept it")]
    public void The_driver_is_told_the_banks_reason_in_words(string code, string message) => Assert.Equal(message, BankRefusals.Message(code));
}

/// <summary>The sandbox's bank (the local stack has none): its refusing test account's payouts are refused through the same webhook, and paid to a new account.</summary>
public sealed class SandboxBankTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task OnboardAsync(string iban)
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-1", Ct);
        Assert.Equal(SandboxOutcome.Done, (await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana Driver", iban, Ct)).Outcome);
    }

    [Fact]
    public async Task A_bank_that_refuses_payouts_is_told_to_the_driver_after_the_transfer_and_a_new_bank_account_is_paid_what_it_refused()
    {
        await OnboardAsync("DE35 3704 0044 0532 0130 02");
        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-1", "EUR", 9_75, 0, 1, "fare", _h.Clock.Now), Ct);

        var payout = Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct));
        Assert.Equal(PayoutStatus.Paid, payout.Status);          // the transfer reached the account
        Assert.Null((await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!.BankRefusal);

        Assert.Equal(1, await _h.Bank.AnswerDueAsync(10, Ct));   // the bank answers the account's payout
        Assert.Equal(0, await _h.Bank.AnswerDueAsync(10, Ct));   // once

        var refusal = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!.BankRefusal;
        Assert.Equal((9_75L, "EUR", "account_closed"), (refusal!.AmountMinor, refusal.Currency, refusal.Code));
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PayoutBankRefused);

        _h.Clock.Now = _h.Clock.Now.AddDays(2);
        await OnboardAsync("DE89 3704 0044 0532 0130 00");
        var account = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!;
        Assert.Equal(("DE •••• 3000", null), (account.Destination, account.BankRefusal));
        await OnboardAsync("FR14 2004 1010 0505 0001 3M02 606");   // nothing is sent twice
        Assert.Single((await _h.SandboxStore.BankPayouts.QueryAsync("accountId", account.AccountId, 10, Ct)), p => p.Document.Status == SandboxBankPayout.Paid);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PayoutBankRefusalCleared);
    }

    [Fact]
    public async Task The_sandbox_bank_pays_the_payouts_to_its_paying_test_accounts()
    {
        await OnboardAsync("DE89 3704 0044 0532 0130 00");
        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-1", "EUR", 9_75, 0, 1, "fare", _h.Clock.Now), Ct);
        await _h.Payouts.CashOutAsync("driver-1", Ct);

        Assert.Equal(1, await _h.Bank.AnswerDueAsync(10, Ct));

        Assert.Null((await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!.BankRefusal);
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PayoutBankRefused);
    }
}

/// <summary>What a payout account says after the provider's news of its payouts to the bank, whatever order it arrives in (no I/O).</summary>
public sealed class BankRefusalOrderTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    private static readonly PayoutAccount Account = new() { Id = "d1", Provider = "stripe", AccountId = "acct_1", CreatedAt = Monday, UpdatedAt = Monday };

    private static BankPayout Refused(string id, DateTimeOffset created, string code = "account_closed") => new(id, 5_00, "EUR", created, created.AddDays(1), code);

    private static BankPayout Paid(string id, DateTimeOffset created) => new(id, 5_00, "EUR", created, created.AddDays(1), null);

    private static PayoutAccount Apply(params BankPayout[] news) => news.Aggregate(Account, (a, p) => BankRefusals.After(a, p, Monday.AddDays(3)));

    [Fact]
    public void The_newest_payout_decides_whatever_the_order_the_news_arrives_in()
    {
        var refused = Refused("po_2", Monday.AddDays(1));
        var paid = Paid("po_3", Monday.AddDays(2));

        Assert.Null(Apply(refused, paid).BankRefusal);
        Assert.Null(Apply(paid, refused).BankRefusal);
        Assert.Equal("po_2", Apply(Paid("po_1", Monday), refused).BankRefusal?.ProviderPayoutId);
        Assert.Equal("po_2", Apply(refused, Paid("po_1", Monday)).BankRefusal?.ProviderPayoutId);
    }

    [Fact]
    public void A_payout_paid_may_be_returned_by_the_bank_later_but_a_refused_one_is_not_paid_by_a_late_redelivery()
    {
        Assert.Equal("po_1", Apply(Paid("po_1", Monday), Refused("po_1", Monday)).BankRefusal?.ProviderPayoutId);
        Assert.Equal("po_1", Apply(Refused("po_1", Monday), Paid("po_1", Monday)).BankRefusal?.ProviderPayoutId);
    }

    [Fact]
    public void The_same_news_twice_changes_nothing()
    {
        var once = Apply(Refused("po_1", Monday));

        Assert.Same(once, BankRefusals.After(once, Refused("po_1", Monday), Monday.AddDays(4)));
        var paid = BankRefusals.After(once, Paid("po_2", Monday.AddDays(1)), Monday.AddDays(4));
        Assert.Same(paid, BankRefusals.After(paid, Paid("po_2", Monday.AddDays(1)), Monday.AddDays(5)));
    }
}
