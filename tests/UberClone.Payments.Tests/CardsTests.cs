using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>
/// Saved cards in the sandbox, through the same paths as in production (ADR 0024): the card form and the signed webhook
/// that puts the card in the wallet, the charge when a ride's payment is asked for, declines, redeliveries and erasure.
/// </summary>
public sealed class CardsTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SandboxCardForm Form(string number, string expiry = "12/30", string cvc = "123")
    {
        var parts = expiry.Split('/');
        return new SandboxCardForm(number, int.Parse(parts[0]), int.Parse(parts[1]), cvc);
    }

    private async Task<Wallet> SaveCardAsync(string number, string rider = "rider-1", string expiry = "12/30")
    {
        var setup = await _h.Cards.StartSetupAsync(rider, Ct);
        var choice = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form(number, expiry), Ct);
        Assert.True(choice.Outcome == SandboxOutcome.Done, choice.Detail);
        return (await _h.Cards.WalletAsync(rider, Ct))!;
    }

    private async Task<IReadOnlyList<(string Topic, System.Text.Json.Nodes.JsonObject Data)>> PublishedAsync(string topic) =>
        (await _h.OutboxAsync()).Where(m => m.Topic == topic).ToList();

    [Fact]
    public async Task A_card_saved_on_the_sandbox_page_joins_the_riders_wallet_through_the_signed_webhook()
    {
        var setup = await _h.Cards.StartSetupAsync("rider-1", Ct);
        Assert.Equal($"/checkout/{setup.ProviderSessionId}", setup.Url);
        Assert.StartsWith(SandboxPaymentProvider.SetupPrefix, setup.ProviderSessionId);

        var choice = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242 4242 4242 4242", "11/26"), Ct);

        Assert.Equal(SandboxOutcome.Done, choice.Outcome);
        var wallet = (await _h.Cards.WalletAsync("rider-1", Ct))!;
        var card = Assert.Single(wallet.Cards);
        Assert.Equal(("visa", "4242", 11, 2026, card.Id), (card.Brand, card.Last4, card.ExpMonth, card.ExpYear, wallet.DefaultCardId));
        Assert.StartsWith("pm_sandbox_", card.ProviderPaymentMethodId);
        Assert.Equal(CardSetupStatus.Completed, (await _h.Cards.SetupOfCheckoutAsync(setup.ProviderSessionId, Ct))!.Status);
        // The page cannot save a second card, and another rider's wallet is untouched.
        Assert.Equal(SandboxOutcome.Conflict, (await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("5555555555554444"), Ct)).Outcome);
        Assert.Null(await _h.Cards.WalletAsync("rider-2", Ct));
    }

    [Theory]
    [InlineData("4242 4242 4242 4241", "12/30", "123", "not valid")]
    [InlineData("4242", "12/30", "123", "12 to 19 digits")]
    [InlineData("4242424242424242", "13/30", "123", "month")]
    [InlineData("4242424242424242", "10/26", "123", "expired")]
    [InlineData("4242424242424242", "12/30", "12", "CVC")]
    [InlineData("4111111111111111", "12/30", "123", "only its test cards")]
    [InlineData("4000000000000002", "12/30", "123", "declined")]
    public async Task A_card_the_form_or_the_bank_refuses_is_not_saved_and_the_page_says_why(string number, string expiry, string cvc, string why)
    {
        var setup = await _h.Cards.StartSetupAsync("rider-1", Ct);

        var choice = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form(number, expiry, cvc), Ct);

        Assert.Equal(SandboxOutcome.Invalid, choice.Outcome);
        Assert.Contains(why, choice.Detail);
        Assert.Empty((await _h.Cards.WalletAsync("rider-1", Ct))!.Cards);
        Assert.Equal(CardSetupStatus.Open, (await _h.Cards.SetupOfCheckoutAsync(setup.ProviderSessionId, Ct))!.Status);
    }

    [Fact]
    public async Task A_redelivered_confirmation_adds_the_card_once_and_one_naming_no_setup_of_ours_is_ignored()
    {
        var setup = await _h.Cards.StartSetupAsync("rider-1", Ct);
        await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242424242424242"), Ct);
        var saved = (await _h.Cards.WalletAsync("rider-1", Ct))!.Cards[0];
        var pm = (await _h.SandboxStore.PaymentMethods.GetAsync(saved.ProviderPaymentMethodId, Ct))!.Document;

        var redelivered = await _h.Cards.CompleteSetupAsync(setup.Id, setup.ProviderSessionId, pm.SetupIntentId, Ct);
        var bySessionOnly = await _h.Cards.CompleteSetupAsync(null, setup.ProviderSessionId, pm.SetupIntentId, Ct);

        Assert.Equal(saved, Assert.Single(redelivered!.Cards));
        Assert.Single(bySessionOnly!.Cards);
        Assert.Null(await _h.Cards.CompleteSetupAsync("cset_unknown", "cs_sandbox_setup_unknown", pm.SetupIntentId, Ct));
        Assert.Null(await _h.Cards.CompleteSetupAsync(setup.Id, null, "seti_sandbox_unknown", Ct));
    }

    [Fact]
    public async Task A_ride_is_charged_to_the_saved_card_once_even_when_the_command_is_redelivered()
    {
        await SaveCardAsync("4242424242424242");

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c1", amount: 1830), Ct))!;
        var again = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c1", amount: 1830), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, PaymentMethods.Card, "Visa •••• 4242", ""), (session.Status, session.Method, session.CardLabel, session.CheckoutUrl));
        Assert.StartsWith("pi_sandbox_", session.PaymentIntentId);
        Assert.Equal(session.PaymentIntentId, again.PaymentIntentId);
        var created = Assert.Single(await PublishedAsync(Topics.PaymentSessionCreated)).Data;
        Assert.Equal(("card", "Visa •••• 4242", ""), (created["method"]!.GetValue<string>(), created["cardLabel"]!.GetValue<string>(), created["checkoutUrl"]!.GetValue<string>()));
        var paid = Assert.Single(await PublishedAsync(Topics.PaymentSucceeded)).Data;
        Assert.Equal(1830, paid["amountMinor"]!.GetValue<long>());
        Assert.NotNull(await _h.SandboxStore.Charges.GetAsync("charge-trip-c1-1", Ct));
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_with_the_banks_code_and_the_retry_opens_a_checkout_until_another_card_is_saved()
    {
        await SaveCardAsync("4000000000009995");

        var declined = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c2"), Ct))!;
        Assert.Equal((PaymentStatus.Failed, "insufficient_funds"), (declined.Status, declined.FailureReason));
        var failed = Assert.Single(await PublishedAsync(Topics.PaymentFailed)).Data;
        Assert.Equal(("insufficient_funds", 1), (failed["reason"]!.GetValue<string>(), failed["attempt"]!.GetValue<int>()));

        var retry = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c2", attempt: 2), Ct))!;
        Assert.Equal((PaymentMethods.Checkout, PaymentStatus.Open), (retry.Method, retry.Status));
        Assert.StartsWith("/checkout/cs_sandbox_", retry.CheckoutUrl);

        await SaveCardAsync("5555555555554444");
        var third = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c2", attempt: 3), Ct))!;
        Assert.Equal((PaymentMethods.Card, PaymentStatus.Succeeded, "Mastercard •••• 4444"), (third.Method, third.Status, third.CardLabel));
        // The checkout of attempt 2 was replaced: it can no longer be paid.
        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync(retry.Id, Ct))!.Status);
    }

    [Fact]
    public async Task A_bank_asking_for_authentication_off_session_is_a_failure_the_rider_pays_another_way()
    {
        await SaveCardAsync("4000002760003184");

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c3"), Ct))!;

        Assert.Equal((PaymentStatus.Failed, "authentication_required"), (session.Status, session.FailureReason));
    }

    [Fact]
    public async Task A_card_session_written_before_the_provider_answered_is_charged_once_when_the_command_comes_again()
    {
        FlakyChargeProvider flaky = null!;
        using var h = new PaymentsHarness(store => flaky = new FlakyChargeProvider(new SandboxPaymentProvider(store)));
        var setup = await h.Cards.StartSetupAsync("rider-1", Ct);
        await h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242424242424242"), Ct);
        flaky.FailNextCharge = true;

        await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c4"), Ct));
        var open = (await h.Payments.GetAsync(PaymentSession.IdFor("trip-c4", 1), Ct))!;
        Assert.Equal((PaymentStatus.Open, PaymentMethods.Card), (open.Status, open.Method));

        var charged = (await h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c4"), Ct))!;

        Assert.Equal(PaymentStatus.Succeeded, charged.Status);
        Assert.Equal(2, flaky.Charges);
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task A_card_session_left_open_by_a_provider_outage_is_charged_again_later_and_fails_only_once_it_expired()
    {
        FlakyChargeProvider flaky = null!;
        using var h = new PaymentsHarness(store => flaky = new FlakyChargeProvider(new SandboxPaymentProvider(store)));
        var setup = await h.Cards.StartSetupAsync("rider-1", Ct);
        await h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242424242424242"), Ct);
        flaky.Down = true;
        await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-out1"), Ct));
        await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-out2"), Ct));

        Assert.Equal(0, await h.Payments.RetryOpenCardChargesAsync(100, Ct)); // not yet: the command's own retries come first
        h.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(2, await h.Payments.RetryOpenCardChargesAsync(100, Ct)); // still down: both stay open
        Assert.Equal(PaymentStatus.Open, (await h.Payments.GetAsync(PaymentSession.IdFor("trip-out1", 1), Ct))!.Status);

        flaky.Down = false;
        flaky.FailOnly = "trip-out2";
        h.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(2, await h.Payments.RetryOpenCardChargesAsync(100, Ct));
        Assert.Equal(PaymentStatus.Succeeded, (await h.Payments.GetAsync(PaymentSession.IdFor("trip-out1", 1), Ct))!.Status);
        Assert.Equal(PaymentStatus.Open, (await h.Payments.GetAsync(PaymentSession.IdFor("trip-out2", 1), Ct))!.Status);

        h.Clock.Now += TimeSpan.FromMinutes(30); // past the session's 30 minutes
        Assert.Equal(1, await h.Payments.RetryOpenCardChargesAsync(100, Ct));
        var failed = (await h.Payments.GetAsync(PaymentSession.IdFor("trip-out2", 1), Ct))!;
        Assert.Equal((PaymentStatus.Failed, "provider_unavailable"), (failed.Status, failed.FailureReason));
        Assert.Equal(0, await h.Payments.RetryOpenCardChargesAsync(100, Ct));
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentFailed);
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task Stripes_payment_intent_succeeded_completes_a_card_session_whose_answer_was_lost()
    {
        FlakyChargeProvider flaky = null!;
        using var h = new PaymentsHarness(store => flaky = new FlakyChargeProvider(new SandboxPaymentProvider(store)));
        var setup = await h.Cards.StartSetupAsync("rider-1", Ct);
        await h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242424242424242"), Ct);
        flaky.FailNextCharge = true;
        await Assert.ThrowsAsync<PaymentProviderException>(() => h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c5"), Ct));
        var sessionId = PaymentSession.IdFor("trip-c5", 1);

        var result = await h.SendAsync(StripeEvents.Event("payment_intent.succeeded",
            new { id = "pi_lost", @object = "payment_intent", status = "succeeded", metadata = StripeEvents.Metadata(sessionId, "trip-c5") }));

        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        var paid = (await h.Payments.GetAsync(sessionId, Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, "pi_lost"), (paid.Status, paid.PaymentIntentId));
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task A_removed_or_expired_card_is_not_charged_and_the_ride_is_paid_by_checkout()
    {
        var wallet = await SaveCardAsync("4242424242424242", expiry: "11/26");
        var expiring = wallet.Cards[0];

        _h.Clock.Now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var afterExpiry = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c6"), Ct))!;
        Assert.Equal(PaymentMethods.Checkout, afterExpiry.Method);

        wallet = await SaveCardAsync("5555555555554444");
        var removed = await _h.Cards.RemoveAsync("rider-1", wallet.DefaultCardId!, Ct);
        Assert.Equal(expiring.Id, removed.DefaultCardId);
        Assert.True((await _h.SandboxStore.PaymentMethods.GetAsync(wallet.Cards.Single(c => c.Last4 == "4444").ProviderPaymentMethodId, Ct))!.Document.Detached);
        var afterRemoval = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c7"), Ct))!;
        Assert.Equal(PaymentMethods.Checkout, afterRemoval.Method);
        await Assert.ThrowsAsync<CardNotFoundException>(() => _h.Cards.RemoveAsync("rider-1", wallet.DefaultCardId!, Ct));
        await Assert.ThrowsAsync<CardNotFoundException>(() => _h.Cards.MakeDefaultAsync("rider-2", expiring.Id, Ct));

        // The rider is told (a notice mail from the gateway): who removed which card, and support's reason. A removal
        // that removed nothing told nobody.
        await _h.Cards.RemoveAsync("rider-1", expiring.Id, Ct, supportReason: "reported stolen on the phone");
        var removals = (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentCardRemoved).Select(m => m.Data).ToList();
        Assert.Equal(2, removals.Count);
        Assert.Equal(("rider-1", "Mastercard •••• 4444", "rider", null), ((string?)removals[0]["riderId"], (string?)removals[0]["cardLabel"],
            (string?)removals[0]["removedBy"], (string?)removals[0]["reason"]));
        Assert.Equal(("Visa •••• 4242", "support", "reported stolen on the phone"), ((string?)removals[1]["cardLabel"], (string?)removals[1]["removedBy"],
            (string?)removals[1]["reason"]));
    }

    [Fact]
    public async Task A_cancellation_fee_and_a_tip_after_the_ride_go_to_the_card_too()
    {
        await SaveCardAsync("378282246310005");

        var fee = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-c8", "rider-1", 500, "EUR", 1, PaymentPurposes.CancellationFee), Ct))!;
        var fare = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c9"), Ct))!;
        var tip = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-c9", "rider-1", 300, "EUR", 2, PaymentPurposes.Tip), Ct))!;

        Assert.All([fee, fare, tip], s => Assert.Equal((PaymentStatus.Succeeded, "American Express •••• 0005"), (s.Status, s.CardLabel)));
        Assert.Equal(3, (await PublishedAsync(Topics.PaymentSucceeded)).Count);
    }

    [Fact]
    public async Task Erasing_the_account_detaches_every_card_and_forgets_the_wallet()
    {
        var wallet = await SaveCardAsync("4242424242424242");
        await SaveCardAsync("5555555555554444");

        await _h.Cards.ForgetAsync("rider-1", Ct);
        await _h.Cards.ForgetAsync("rider-1", Ct); // a redelivery finds nothing

        Assert.Null(await _h.Cards.Wallets.GetAsync("rider-1", Ct));
        var pm = (await _h.SandboxStore.PaymentMethods.GetAsync(wallet.Cards[0].ProviderPaymentMethodId, Ct))!.Document;
        Assert.True(pm.Detached);
        Assert.Equal(PaymentMethods.Checkout, (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c10"), Ct))!.Method);
    }

    [Fact]
    public async Task A_card_confirmed_after_the_account_was_erased_is_not_kept()
    {
        var setup = await _h.Cards.StartSetupAsync("rider-1", Ct);
        await _h.Cards.ForgetAsync("rider-1", Ct);

        var choice = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, Form("4242424242424242"), Ct);

        Assert.Equal(SandboxOutcome.Conflict, choice.Outcome); // the page is closed
        // The provider had saved it a moment before (its confirmation comes late): it is detached there, not kept here.
        var pm = new SandboxPaymentMethod("pm_sandbox_late", "seti_sandbox_late", await _h.Provider.CustomerAsync("rider-1", Ct), "visa", "4242", 12, 2030, null, false, _h.Clock.Now);
        await _h.SandboxStore.PaymentMethods.InsertAsync(pm.Id, pm, ct: Ct);
        Assert.Null(await _h.Cards.CompleteSetupAsync(setup.Id, null, pm.SetupIntentId, Ct));
        Assert.True((await _h.SandboxStore.PaymentMethods.GetAsync(pm.Id, Ct))!.Document.Detached);
        Assert.Null(await _h.Cards.Wallets.GetAsync("rider-1", Ct));
        Assert.Equal(CardSetupStatus.Cancelled, (await _h.Cards.Setups.GetAsync(setup.Id, Ct))!.Document.Status);
    }

    [Fact]
    public async Task Card_setups_are_deleted_once_past_their_retention_by_the_indexed_creation_time()
    {
        var old = await _h.Cards.StartSetupAsync("rider-1", Ct);
        _h.Clock.Now += CardSetup.Retention + TimeSpan.FromMinutes(1);
        var recent = await _h.Cards.StartSetupAsync("rider-1", Ct);

        var rule = Storage.Retention.RetentionRule.For(_h.Cards.Setups, CardSetup.CollectionName, CardSetup.CreatedAtField, CardSetup.Retention);
        await rule.DeleteUpTo(rule.CutoffAt(_h.Clock.Now), 100, Ct);

        Assert.Null(await _h.Cards.Setups.GetAsync(old.Id, Ct));
        Assert.NotNull(await _h.Cards.Setups.GetAsync(recent.Id, Ct));
    }

    [Fact]
    public async Task At_most_five_cards_and_a_sixth_setup_is_refused_before_the_rider_leaves()
    {
        foreach (var number in new[] { "4242424242424242", "5555555555554444", "378282246310005", "4000000000000341", "4000000000009995" })
        {
            await SaveCardAsync(number);
        }

        var ex = await Assert.ThrowsAsync<WalletException>(() => _h.Cards.StartSetupAsync("rider-1", Ct));
        Assert.Contains("At most 5", ex.Message);
    }

    /// <summary>The sandbox, whose next charge fails as a provider that cannot be reached fails (nobody knows whether it charged).</summary>
    private sealed class FlakyChargeProvider(SandboxPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public bool FailNextCharge { get; set; }
        public int Charges { get; private set; }

        /// <summary>Every charge fails until set back.</summary>
        public bool Down { get; set; }

        /// <summary>Charges of this trip fail (the others go through).</summary>
        public string? FailOnly { get; set; }

        public override async Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct)
        {
            Charges++;
            if (FailNextCharge || Down || request.TripId == FailOnly)
            {
                FailNextCharge = false;
                throw new PaymentProviderException("The provider did not answer.", 503);
            }
            return await base.ChargeCardAsync(request, ct);
        }
    }
}
