using UberClone.Storage;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>
/// Paying drivers (ADR 0025) in the sandbox, through the same paths as in production: the ledger from trips' earnings
/// changes, onboarding on the provider's page confirmed by its signed webhook, cashing out, the weekly run, refusals,
/// and payouts left unfinished by an outage or a crash.
/// </summary>
public sealed class PayoutsTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The harness's clock starts on Wednesday 25 November 2026, 09:00 UTC.
    private DateTimeOffset Now => _h.Clock.Now;

    private Task EarnAsync(string tripId, long earnings, long previous = 0, int revision = 1, string driver = "driver-1", string currency = "EUR", DateTimeOffset? at = null) =>
        _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent(tripId, driver, currency, earnings, previous, revision, "fare", at ?? Now), Ct);

    private async Task<SandboxChoice> OnboardAsync(string iban = "DE89 3704 0044 0532 0130 00", string driver = "driver-1", string holder = "Dana Driver")
    {
        var url = await _h.Payouts.StartOnboardingAsync(driver, Ct);
        Assert.StartsWith("/connect/" + SandboxPaymentProvider.AccountLinkPrefix, url);
        return await _h.Onboarding.SaveAsync(url["/connect/".Length..], holder, iban, Ct);
    }

    private async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> PublishedAsync(string topic) =>
        (await _h.OutboxAsync()).Where(m => m.Topic == topic).Select(m => m.Data).ToList();

    [Fact]
    public async Task Each_earnings_change_is_one_line_of_the_ledger_however_often_it_is_delivered()
    {
        await EarnAsync("t1", 975);
        await EarnAsync("t1", 975);                                  // redelivered
        await EarnAsync("t1", 1_275, previous: 975, revision: 2);    // a tip
        await EarnAsync("t1", 1_075, previous: 1_275, revision: 3);  // a fare adjustment
        await EarnAsync("t1", 1_075, previous: 1_075, revision: 4);  // no change: no line
        await EarnAsync("t2", 500, currency: "USD");

        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);

        Assert.Equal(new Dictionary<string, long> { ["EUR"] = 1_075, ["USD"] = 500 }, state.Owed);
        Assert.Null(state.Account);
        Assert.Null(await _h.Payouts.Entries.GetAsync("t1:4", Ct));
        Assert.Empty((await _h.Payouts.OfDriverAsync("driver-2", Ct)).Owed);
    }

    [Fact]
    public async Task A_quest_bonus_is_one_line_per_quest_and_driver_however_often_it_is_delivered_and_is_owed_with_the_fares()
    {
        await EarnAsync("t1", 975);
        var earned = new QuestBonusEarnedIntegrationEvent("q1", "driver-1", "Weekend rush", 2, 4_500, "EUR", "t1", Now);
        await _h.Payouts.RecordBonusAsync(earned, Ct);
        await _h.Payouts.RecordBonusAsync(earned, Ct);                                   // redelivered
        await _h.Payouts.RecordBonusAsync(earned with { TripId = "t3", At = Now.AddMinutes(5) }, Ct); // told again from another ride: still the same bonus

        Assert.Equal(new Dictionary<string, long> { ["EUR"] = 5_475 }, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed);
        var line = (await _h.Payouts.Entries.GetAsync("quest:q1:driver-1", Ct))!.Document;
        Assert.Equal(("quest_bonus", 4_500L, "t1"), (line.Kind, line.AmountMinor, line.TripId));
        // Another driver's bonus of the same quest is their own line.
        await _h.Payouts.RecordBonusAsync(earned with { DriverId = "driver-2" }, Ct);
        Assert.Equal(4_500, (await _h.Payouts.OfDriverAsync("driver-2", Ct)).Owed["EUR"]);
    }

    [Fact]
    public async Task A_bank_account_given_on_the_sandbox_page_enables_payouts_through_the_signed_webhook()
    {
        Assert.Equal(SandboxOutcome.Done, (await OnboardAsync()).Outcome);

        var account = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!;
        Assert.Equal((PayoutAccountStatus.Enabled, "DE •••• 3000"), (account.Status, account.Destination));
        Assert.StartsWith("acct_sandbox_", account.AccountId);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), account.NextPayoutAt); // the Monday after
        // Onboarding again (a new bank account) keeps the same account at the provider.
        Assert.Equal(SandboxOutcome.Done, (await OnboardAsync("FR14 2004 1010 0505 0001 3M02 606")).Outcome);
        var changed = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!;
        Assert.Equal((account.AccountId, "FR •••• 2606"), (changed.AccountId, changed.Destination));
    }

    [Theory]
    [InlineData("", "DE89370400440532013000", "holder")]
    [InlineData("Dana", "", "Enter the IBAN")]
    [InlineData("Dana", "DE8937", "13 to 32")]
    [InlineData("Dana", "DE89370400440532013001", "not valid")]
    [InlineData("Dana", "GB82WEST12345698765432", "only its test accounts")]
    public async Task A_bank_account_the_form_refuses_enables_nothing_and_the_page_says_why(string holder, string iban, string why)
    {
        var choice = await OnboardAsync(iban, holder: holder);

        Assert.Equal(SandboxOutcome.Invalid, choice.Outcome);
        Assert.Contains(why, choice.Detail);
        Assert.Equal(PayoutAccountStatus.Onboarding, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!.Status);
    }

    [Fact]
    public async Task An_onboarding_page_expires_and_a_webhook_about_an_account_not_ours_is_ignored()
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-1", Ct);
        _h.Clock.Now += SandboxBankAccounts.LinkValidity + TimeSpan.FromSeconds(1);

        Assert.Equal(SandboxOutcome.Conflict, (await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana", "DE89370400440532013000", Ct)).Outcome);
        var result = await _h.SendAsync(StripeEvents.Event("account.updated", new { id = "acct_someone_else", @object = "account", payouts_enabled = true }));
        Assert.Equal(WebhookOutcome.Ignored, result.Outcome);
    }

    [Fact]
    public async Task An_account_event_signed_with_the_connect_endpoints_secret_is_taken_only_when_that_secret_is_configured()
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-1", Ct);
        var accountId = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!.AccountId;
        await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana", "DE89370400440532013000", Ct); // the sandbox's own event: payouts enabled
        const string connectSecret = "whsec_connect_0123456789abcdef";
        var payload = StripeEvents.Event("account.updated", new { id = accountId, @object = "account", payouts_enabled = true });
        var signature = StripeSignature.Sign(payload, connectSecret, Now);
        StripeWebhookProcessor Processor(WebhookSecret secret) => new(_h.Payments, _h.Cards, _h.Payouts, _h.Database, secret, _h.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<StripeWebhookProcessor>.Instance);

        Assert.Equal(WebhookOutcome.Rejected, (await Processor(new WebhookSecret(PaymentsHarness.Secret)).HandleAsync(payload, signature, Ct)).Outcome);
        Assert.Equal(WebhookOutcome.Processed, (await Processor(new WebhookSecret(PaymentsHarness.Secret, connectSecret)).HandleAsync(payload, signature, Ct)).Outcome);
        Assert.Equal(WebhookOutcome.Rejected, (await Processor(new WebhookSecret(PaymentsHarness.Secret, connectSecret))
            .HandleAsync(payload, StripeSignature.Sign(payload, "whsec_someone_else", Now), Ct)).Outcome);
    }

    [Fact]
    public async Task Cashing_out_pays_what_is_owed_once_publishes_it_and_is_refused_when_it_cannot_be_made()
    {
        await EarnAsync("t1", 975);
        var refused = await Assert.ThrowsAsync<PayoutRefusedException>(() => _h.Payouts.CashOutAsync("driver-1", Ct));
        Assert.Contains("Set up payouts first", refused.Message);
        await OnboardAsync();
        await EarnAsync("t2", 1_200);

        var payout = Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct));

        Assert.Equal((PayoutStatus.Paid, 2_175L, 2, PayoutTriggers.Instant, "DE •••• 3000"), (payout.Status, payout.AmountMinor, payout.Lines, payout.Trigger, payout.Destination));
        Assert.StartsWith("tr_sandbox_", payout.TransferId);
        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal(0, state.Owed.GetValueOrDefault("EUR"));
        Assert.Equal(payout.Id, Assert.Single(state.Recent).Id);
        var paid = Assert.Single(await PublishedAsync(Topics.PayoutPaid));
        Assert.Equal(("driver-1", 2_175L, "EUR", "instant", "DE •••• 3000"), ((string)paid["driverId"]!, (long)paid["amountMinor"]!, (string)paid["currency"]!,
            (string)paid["trigger"]!, (string)paid["destination"]!));
        Assert.Contains("not enough", (await Assert.ThrowsAsync<PayoutRefusedException>(() => _h.Payouts.CashOutAsync("driver-1", Ct))).Message);
        Assert.NotNull(await _h.SandboxStore.Transfers.GetAsync(payout.Id, Ct));
    }

    [Fact]
    public async Task An_erased_driver_is_paid_everything_still_owed_once_and_one_without_a_bank_account_keeps_it_in_the_ledger()
    {
        await OnboardAsync();
        await _h.Payouts.TimeZoneSetAsync("driver-1", "Europe/Berlin", Now, Ct);
        await EarnAsync("t1", 450);                      // under the cash-out minimum: paid all the same
        await EarnAsync("t2", 300, currency: "USD");
        await EarnAsync("t3", 800, driver: "driver-2"); // never gave a bank account
        var erased = new UberClone.Payments.IntegrationEvents.EventHandling.AccountDeletedHandler(_h.Cards, _h.Credit, _h.Payouts);
        var context = new UberClone.Messaging.MessageContext("m1", Topics.AccountDeleted, "driver-1", nameof(AccountDeletedIntegrationEvent), Now, 1);

        await erased.HandleAsync(new AccountDeletedIntegrationEvent("driver-1", "driver", Now), context, Ct);
        await erased.HandleAsync(new AccountDeletedIntegrationEvent("driver-1", "driver", Now), context, Ct); // redelivered
        await erased.HandleAsync(new AccountDeletedIntegrationEvent("driver-2", "driver", Now), context, Ct);

        var paid = (await PublishedAsync(Topics.PayoutPaid)).Select(p => ((string)p["driverId"]!, (long)p["amountMinor"]!, (string)p["currency"]!, (string)p["trigger"]!)).Order();
        Assert.Equal([("driver-1", 300L, "USD", PayoutTriggers.Final), ("driver-1", 450L, "EUR", PayoutTriggers.Final)], paid);
        Assert.DoesNotContain((await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed, o => o.Value != 0);
        Assert.Equal(800, (await _h.Payouts.OfDriverAsync("driver-2", Ct)).Owed["EUR"]); // kept under their id, for support
        Assert.Null(await _h.Payouts.TimeZones.GetAsync("driver-1", Ct));
    }

    [Fact]
    public async Task At_most_five_cash_outs_in_24_hours()
    {
        await OnboardAsync();
        for (var i = 1; i <= PayoutSchedule.CashOutsPerDay; i++)
        {
            await EarnAsync($"t{i}", 500);
            Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct));
        }
        await EarnAsync("t6", 500);
        Assert.Contains("at most 5 times", (await Assert.ThrowsAsync<PayoutRefusedException>(() => _h.Payouts.CashOutAsync("driver-1", Ct))).Message);

        _h.Clock.Now += TimeSpan.FromHours(24);
        Assert.Equal(500, Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct)).AmountMinor);
    }

    [Fact]
    public async Task The_weekly_run_pays_what_was_earned_before_monday_in_each_currency_once_then_waits_a_week()
    {
        await OnboardAsync();
        await EarnAsync("t1", 1_000, at: Now.AddDays(1));                     // Thursday
        await EarnAsync("t2", 700, currency: "USD", at: Now.AddDays(2));      // Friday
        await EarnAsync("t3", 400, at: new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)); // Monday after the run's cut-off

        _h.Clock.Now = new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero);
        Assert.Equal(0, await _h.Payouts.PayOutDueAsync(100, Ct)); // not Monday yet
        _h.Clock.Now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await _h.Payouts.PayOutDueAsync(100, Ct));
        Assert.Equal(0, await _h.Payouts.PayOutDueAsync(100, Ct));

        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal(new[] { ("EUR", 1_000L), ("USD", 700L) }, state.Recent.Select(p => (p.Currency, p.AmountMinor)).OrderBy(p => p.Currency));
        Assert.All(state.Recent, p => Assert.Equal((PayoutStatus.Paid, PayoutTriggers.Weekly), (p.Status, p.Trigger)));
        Assert.Equal(400, state.Owed["EUR"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), state.Account!.NextPayoutAt);
        Assert.Equal(2, (await PublishedAsync(Topics.PayoutPaid)).Count);
    }

    [Fact]
    public async Task A_payout_the_bank_refuses_fails_says_why_and_its_earnings_are_owed_again()
    {
        await OnboardAsync("DE62 3704 0044 0532 0130 01");
        await EarnAsync("t1", 1_500);

        var payout = Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct));

        Assert.Equal((PayoutStatus.Failed, "no_account"), (payout.Status, payout.FailureReason));
        Assert.Equal(1_500, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed["EUR"]);
        var failed = Assert.Single(await PublishedAsync(Topics.PayoutFailed));
        Assert.Equal(("no_account", 1_500L), ((string)failed["reason"]!, (long)failed["amountMinor"]!));
        Assert.Empty(await PublishedAsync(Topics.PayoutPaid));
        // A failed cash-out does not count against the day's five; with a good account the money goes out.
        await OnboardAsync();
        Assert.Equal(PayoutStatus.Paid, Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct)).Status);
    }

    [Fact]
    public async Task A_fare_adjustment_after_a_payout_is_taken_from_the_next_one_and_nothing_is_paid_while_the_driver_owes()
    {
        await OnboardAsync();
        await EarnAsync("t1", 1_000);
        await _h.Payouts.CashOutAsync("driver-1", Ct);
        await EarnAsync("t1", 400, previous: 1_000, revision: 2); // support gave the rider 6.00 back, borne by the driver

        Assert.Equal(-600, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed["EUR"]);
        await Assert.ThrowsAsync<PayoutRefusedException>(() => _h.Payouts.CashOutAsync("driver-1", Ct));
        _h.Clock.Now = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        await _h.Payouts.PayOutDueAsync(100, Ct);
        Assert.Single((await _h.Payouts.OfDriverAsync("driver-1", Ct)).Recent); // the weekly run paid nothing

        await EarnAsync("t2", 1_000);
        Assert.Equal(400, Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct)).AmountMinor);
    }

    [Fact]
    public async Task A_payout_the_provider_did_not_answer_is_resumed_with_the_same_transfer_and_paid_once()
    {
        var (h, down) = await OwedWithTransfersDownAsync();
        using var _ = h;

        await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payouts.CashOutAsync("driver-1", Ct));
        var pending = Assert.Single((await h.Payouts.OfDriverAsync("driver-1", Ct)).Recent);
        Assert.Equal((PayoutStatus.Pending, 900L), (pending.Status, pending.AmountMinor));
        Assert.Equal(0, (await h.Payouts.OfDriverAsync("driver-1", Ct)).Owed.GetValueOrDefault("EUR")); // held by the pending payout, not paid twice

        Assert.Equal(0, await h.Payouts.ResumeOpenAsync(100, Ct)); // too recent: its starter may still be at it
        down.Down = false;
        h.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(1, await h.Payouts.ResumeOpenAsync(100, Ct));
        Assert.Equal(0, await h.Payouts.ResumeOpenAsync(100, Ct)); // nothing open any more

        Assert.Equal(PayoutStatus.Paid, (await h.Payouts.Payouts.GetAsync(pending.Id, Ct))!.Document.Status);
        Assert.Equal(2, down.Transfers); // asked twice, with the same payout id
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PayoutPaid);
    }

    [Fact]
    public async Task A_payout_left_while_claiming_its_lines_is_finished_from_the_lines_that_name_it()
    {
        await OnboardAsync();
        await EarnAsync("t1", 800);
        await EarnAsync("t2", 300);
        // A replica crashed after writing the payout and taking one of the two lines.
        var account = (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Account!;
        var crashed = new Payout
        {
            Id = "po_crashed", DriverId = "driver-1", Currency = "EUR", Trigger = PayoutTriggers.Instant, EarningsBefore = Now,
            AccountId = account.AccountId, Destination = account.Destination, CreatedAt = Now,
        };
        await _h.Payouts.Payouts.InsertAsync(crashed.Id, crashed, ct: Ct);
        await _h.Payouts.Entries.UpdateAsync("t1:1", e => e.TakenBy(crashed.Id), ct: Ct);

        _h.Clock.Now += TimeSpan.FromMinutes(2);
        await _h.Payouts.ResumeOpenAsync(100, Ct);

        var finished = (await _h.Payouts.Payouts.GetAsync(crashed.Id, Ct))!.Document;
        Assert.Equal((PayoutStatus.Paid, 800L, 1), (finished.Status, finished.AmountMinor, finished.Lines));
        Assert.Equal(300, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed["EUR"]);
    }

    [Fact]
    public async Task A_payout_that_fails_while_the_store_fails_too_surfaces_the_payouts_own_failure()
    {
        var (h, down) = await OwedWithTransfersDownAsync();
        using var _ = h;
        down.WhenAsked = () =>
        {
            // The cash limits' table goes away as the provider fails: deciding the limit afterwards fails as well.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath}");
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE driver_cash_limits;";
            drop.ExecuteNonQuery();
        };

        var failure = await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payouts.CashOutAsync("driver-1", Ct));

        Assert.Equal("The provider did not answer.", failure.Message);
    }

    [Fact]
    public async Task A_provider_that_cannot_say_how_an_onboarding_account_stands_does_not_hide_what_is_owed()
    {
        using var h = new PaymentsHarness(store => new UnreadableAccounts(new SandboxPaymentProvider(store)));
        await h.Payouts.StartOnboardingAsync("driver-1", Ct);
        await h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-1", "EUR", 900, 0, 1, "fare", h.Clock.Now), Ct);

        var state = await h.Payouts.OfDriverAsync("driver-1", Ct);

        Assert.Equal((PayoutAccountStatus.Onboarding, 900L), (state.Account!.Status, state.Owed["EUR"]));
    }

    private sealed class UnreadableAccounts(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public override Task<ProviderPayoutAccount> PayoutAccountStateAsync(string accountId, CancellationToken ct) =>
            throw new PaymentProviderException("The provider did not answer.", 503);
    }

    /// <summary>driver-1 onboarded and owed 900 EUR, with a provider whose transfers fail (until <c>Down</c> is false).</summary>
    private static async Task<(PaymentsHarness Harness, DownTransfers Down)> OwedWithTransfersDownAsync()
    {
        DownTransfers? down = null;
        var h = new PaymentsHarness(store => down = new DownTransfers(new SandboxPaymentProvider(store)));
        var url = await h.Payouts.StartOnboardingAsync("driver-1", Ct);
        await h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana", "DE89370400440532013000", Ct);
        await h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-1", "EUR", 900, 0, 1, "fare", h.Clock.Now), Ct);
        down!.Down = true;
        return (h, down);
    }

    private sealed class DownTransfers(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public bool Down { get; set; }
        public int Transfers { get; private set; }
        public Action? WhenAsked { get; set; }

        public override Task<ProviderTransfer> TransferAsync(TransferRequest request, CancellationToken ct)
        {
            Transfers++;
            WhenAsked?.Invoke();
            return Down ? throw new PaymentProviderException("The provider did not answer.", 503) : base.TransferAsync(request, ct);
        }
    }
}
