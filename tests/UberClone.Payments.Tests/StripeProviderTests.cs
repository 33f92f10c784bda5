using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>Stripe.net, configured as payments configures it, against a local fake Stripe API: the exact requests and the error handling.</summary>
public sealed class StripeProviderTests : IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private PaymentsHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _h = new PaymentsHarness(_stripe.Provider());
    }

    public async ValueTask DisposeAsync()
    {
        _h.Dispose();
        await _stripe.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Checkout_session_request_carries_amount_currency_metadata_urls_and_idempotency_key()
    {
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-42", attempt: 3, amount: 1875, currency: "EUR"), Ct))!;

        var request = Assert.Single(_stripe.Requests);
        Assert.Equal(("POST", "/v1/checkout/sessions"), (request.Method, request.Path));
        Assert.Equal("Bearer sk_test_fake", request.Authorization);
        Assert.Equal("checkout-trip-42-3", request.IdempotencyKey);
        var form = request.Form;
        Assert.Equal("payment", form["mode"]);
        Assert.Equal("1", form["line_items[0][quantity]"]);
        Assert.Equal("1875", form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", form["line_items[0][price_data][currency]"]);
        Assert.Equal("trip-42", form["metadata[trip_id]"]);
        Assert.Equal("ps_trip-42_3", form["metadata[payment_session_id]"]);
        Assert.Equal("ps_trip-42_3", form["payment_intent_data[metadata][payment_session_id]"]);
        Assert.Equal("trip-42", form["client_reference_id"]);
        Assert.Equal("https://app.uberclone.test/?payment=success", form["success_url"]);
        Assert.Equal("https://app.uberclone.test/?payment=cancel", form["cancel_url"]);

        Assert.Equal(StripePaymentProvider.ProviderName, session.Provider);
        Assert.Equal("cs_test_1", session.ProviderSessionId);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_test_1", session.CheckoutUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_764_100_000), session.ExpiresAt);
    }

    [Fact]
    public async Task Cancellation_fee_is_named_as_such_on_the_checkout()
    {
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-fee", amount: 500) with { Purpose = PaymentPurposes.CancellationFee }, Ct);

        var form = Assert.Single(_stripe.Requests).Form;
        Assert.Equal("Cancellation fee, trip trip-fee", form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal("cancellation_fee", form["metadata[purpose]"]);
        Assert.Equal("500", form["line_items[0][price_data][unit_amount]"]);
    }

    [Fact]
    public async Task Configured_success_and_cancel_urls_win_over_app_url()
    {
        var provider = _stripe.Provider(new PaymentsOptions { AppUrl = "https://ignored.test/", StripeSuccessUrl = "https://pay.test/ok", StripeCancelUrl = "https://pay.test/no" });

        await provider.CreateCheckoutAsync(new CheckoutRequest("ps_t_1", "t", "r", 500, "USD", 1), Ct);

        var form = Assert.Single(_stripe.Requests).Form;
        Assert.Equal(("https://pay.test/ok", "https://pay.test/no"), (form["success_url"], form["cancel_url"]));
    }

    [Fact]
    public async Task Redelivered_command_sends_no_second_request_and_the_key_makes_stripe_answer_the_same_session()
    {
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-7"), Ct);
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-7"), Ct);
        Assert.Single(_stripe.Requests);

        // A crash between Stripe's answer and the insert re-sends the same key: Stripe answers the same session.
        var again = await _stripe.Provider().CreateCheckoutAsync(new CheckoutRequest("ps_trip-7_1", "trip-7", "rider-1", 1250, "EUR", 1), Ct);
        Assert.Equal("cs_test_1", again.ProviderSessionId);
    }

    [Fact]
    public async Task Stripe_error_creates_nothing_and_a_retried_command_succeeds()
    {
        _stripe.FailNext(400, "invalid_request_error", "Amount must be at least 50 cents");

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-e", amount: 10), Ct));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("Amount must be at least 50 cents", error.Message);
        Assert.Null(await _h.Payments.GetAsync("ps_trip-e_1", Ct));
        Assert.Empty(await _h.OutboxAsync());

        var session = await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-e", amount: 10), Ct);
        Assert.NotNull(session);
        Assert.All(_stripe.Requests, r => Assert.Equal("checkout-trip-e-1", r.IdempotencyKey));
    }

    [Fact]
    public async Task Server_error_is_reported_as_a_provider_failure()
    {
        _stripe.FailNext(500, "api_error", "Something went wrong on Stripe's end.");

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() =>
            _stripe.Provider().CreateCheckoutAsync(new CheckoutRequest("ps_t_1", "t", "r", 500, "USD", 1), Ct));

        Assert.Equal(500, error.StatusCode);
    }

    [Fact]
    public async Task Refund_goes_through_the_refunds_api_with_the_payment_intent_amount_and_idempotency_key()
    {
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-r", amount: 3000), Ct))!;
        await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, "pi_real_1"));

        var refunded = await _h.Payments.RefundAsync("trip-r", "rf1", 1200, "driver took a detour", RefundKinds.Goodwill, "o-support", Ct);

        var request = _stripe.Requests.Single(r => r.Path == "/v1/refunds");
        Assert.Equal("refund-rf1", request.IdempotencyKey);
        Assert.Equal("pi_real_1", request.Form["payment_intent"]);
        Assert.Equal("1200", request.Form["amount"]);
        Assert.Equal("requested_by_customer", request.Form["reason"]);
        Assert.Equal("driver took a detour", request.Form["metadata[reason]"]);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1200L), (refunded.Status, refunded.RefundedMinor));
        Assert.Equal("re_test_2", refunded.Refunds.Single().ProviderRefundId);
    }

    [Fact]
    public async Task Refused_refund_releases_the_amount_and_publishes_nothing()
    {
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-n", amount: 3000), Ct))!;
        await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, "pi_n"));
        _stripe.FailNext(400, "invalid_request_error", "Charge has already been refunded.");

        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payments.RefundAsync("trip-n", "rf-n", null, "complaint", RefundKinds.Goodwill, "o-support", Ct));

        var stored = (await _h.Payments.GetAsync(session.Id, Ct))!;
        Assert.Equal((3000L, 0L), (stored.RefundableMinor, stored.RefundedMinor));
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded);
    }

    [Fact]
    public async Task New_attempt_expires_the_older_stripe_checkout()
    {
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-x", 1), Ct);
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-x", 2), Ct);

        Assert.Contains(_stripe.Requests, r => r.Path == "/v1/checkout/sessions/cs_test_1/expire");
        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync("ps_trip-x_1", Ct))!.Status);
    }

    [Fact]
    public async Task Real_stripe_test_mode_creates_a_checkout_session()
    {
        var key = Environment.GetEnvironmentVariable("STRIPE_TEST_SECRET_KEY");
        if (string.IsNullOrWhiteSpace(key) || !key.StartsWith("sk_test_", StringComparison.Ordinal))
        {
            Assert.Skip("STRIPE_TEST_SECRET_KEY (an sk_test_ key) is not set: real Stripe is not called; the fake Stripe API tests cover the requests.");
        }
        var provider = new StripePaymentProvider(new Stripe.StripeClient(key), new PaymentsOptions { StripeSecretKey = key, AppUrl = "https://example.com/" });

        var checkout = await provider.CreateCheckoutAsync(new CheckoutRequest("ps_real_" + Guid.NewGuid().ToString("N"), "trip-real", "rider", 1250, "EUR", 1), Ct);

        Assert.StartsWith("cs_test_", checkout.ProviderSessionId);
        Assert.StartsWith("https://checkout.stripe.com/", checkout.Url);
    }

    [Fact]
    public async Task A_card_is_saved_through_a_setup_checkout_on_the_riders_customer_and_its_webhook()
    {
        var setup = await _h.Cards.StartSetupAsync("rider-s", Ct);
        var again = await _h.Cards.StartSetupAsync("rider-s", Ct);

        var customers = _stripe.Requests.Where(r => r.Path == "/v1/customers").ToList();
        Assert.Equal(["customer-rider-s"], customers.Select(r => r.IdempotencyKey).Distinct());
        Assert.Single(customers); // the second setup found the customer in the wallet
        var checkout = _stripe.Requests.First(r => r.Path == "/v1/checkout/sessions");
        Assert.Equal(("setup", "cus_test_1", "card", "rider-s", setup.Id), (checkout.Form["mode"], checkout.Form["customer"],
            checkout.Form["allowed_payment_method_types[0]"], checkout.Form["metadata[rider_id]"], checkout.Form["metadata[card_setup_id]"]));
        Assert.Equal(setup.Id, checkout.Form["setup_intent_data[metadata][card_setup_id]"]);
        Assert.Equal(("https://app.uberclone.test/account?card=added", "https://app.uberclone.test/account?card=cancelled"),
            (checkout.Form["success_url"], checkout.Form["cancel_url"]));
        Assert.StartsWith("https://checkout.stripe.test/c/pay/cs_test_", setup.Url);
        Assert.NotEqual(setup.Id, again.Id);

        var result = await _h.SendAsync(StripeEvents.Event("checkout.session.completed", new
        {
            id = setup.ProviderSessionId, @object = "checkout.session", mode = "setup", status = "complete", setup_intent = "seti_1",
            metadata = new Dictionary<string, string> { ["card_setup_id"] = setup.Id, ["rider_id"] = "rider-s" },
        }));

        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        var card = Assert.Single((await _h.Cards.WalletAsync("rider-s", Ct))!.Cards);
        Assert.Equal(("pm_seti_1", "Visa •••• 4242", 12, 2030), (card.ProviderPaymentMethodId, card.Label, card.ExpMonth, card.ExpYear));
        Assert.Contains(_stripe.Requests, r => r.Method == "GET" && r.Path == "/v1/setup_intents/seti_1");
    }

    private async Task<string> SavedCardAsync(string rider)
    {
        var setup = await _h.Cards.StartSetupAsync(rider, Ct);
        await _h.SendAsync(StripeEvents.Event("checkout.session.completed", new
        {
            id = setup.ProviderSessionId, @object = "checkout.session", mode = "setup", setup_intent = "seti_" + rider,
            metadata = new Dictionary<string, string> { ["card_setup_id"] = setup.Id },
        }));
        return "pm_seti_" + rider;
    }

    [Fact]
    public async Task A_ride_is_charged_off_session_to_the_saved_card_with_one_key_per_trip_and_attempt()
    {
        var pm = await SavedCardAsync("rider-1");

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-card", attempt: 2, amount: 2150), Ct))!;

        var charge = Assert.Single(_stripe.Requests, r => r.Path == "/v1/payment_intents");
        Assert.Equal("charge-trip-card-2", charge.IdempotencyKey);
        Assert.Equal(("2150", "eur", "cus_test_1", pm, "true", "true", "ps_trip-card_2"), (charge.Form["amount"], charge.Form["currency"], charge.Form["customer"],
            charge.Form["payment_method"], charge.Form["off_session"], charge.Form["confirm"], charge.Form["metadata[payment_session_id]"]));
        Assert.Equal((PaymentStatus.Succeeded, PaymentMethods.Card), (session.Status, session.Method));
        Assert.StartsWith("pi_test_", session.PaymentIntentId);
        Assert.DoesNotContain(_stripe.Requests, r => r.Path == "/v1/checkout/sessions" && r.Form["mode"] == "payment");
    }

    [Fact]
    public async Task A_hold_is_a_manual_capture_payment_intent_captured_for_the_fare_and_a_lapsed_one_is_replaced_by_a_charge()
    {
        var pm = await SavedCardAsync("rider-1");

        var hold = (await _h.Holds.PlaceAsync("trip-h", "rider-1", 2400, "EUR", Ct))!;

        var placed = Assert.Single(_stripe.Requests, r => r.Path == "/v1/payment_intents");
        Assert.Equal("hold-trip-h-1", placed.IdempotencyKey);
        Assert.Equal(("2400", "eur", "cus_test_1", pm, "true", "true", "manual", "trip-h", "hold"), (placed.Form["amount"], placed.Form["currency"],
            placed.Form["customer"], placed.Form["payment_method"], placed.Form["off_session"], placed.Form["confirm"], placed.Form["capture_method"],
            placed.Form["metadata[trip_id]"], placed.Form["metadata[purpose]"]));
        Assert.Equal(FareHoldStatus.Held, hold.Status);

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-h", amount: 2210), Ct))!;

        var capture = Assert.Single(_stripe.Requests, r => r.Path == $"/v1/payment_intents/{hold.PaymentIntentId}/capture");
        Assert.Equal(("2210", "capture-trip-h"), (capture.Form["amount_to_capture"], capture.IdempotencyKey));
        Assert.Equal((PaymentStatus.Succeeded, hold.PaymentIntentId), (session.Status, session.PaymentIntentId));
        Assert.Single(_stripe.Requests, r => r.Path == "/v1/payment_intents"); // no charge besides the hold

        // Stripe let another hold lapse (7 days): its capture is refused, the card is charged instead.
        var lapsed = (await _h.Holds.PlaceAsync("trip-l", "rider-1", 2400, "EUR", Ct))!;
        _stripe.CanceledIntents[lapsed.PaymentIntentId!] = true;
        var charged = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-l", amount: 2400), Ct))!;
        Assert.Equal(PaymentStatus.Succeeded, charged.Status);
        Assert.Contains(_stripe.Requests, r => r.Path == "/v1/payment_intents" && r.IdempotencyKey == "charge-trip-l-1");
        Assert.Equal("hold_expired", (await _h.Holds.GetAsync("trip-l", Ct))!.EndReason);
    }

    [Fact]
    public async Task A_hold_the_bank_declines_is_its_answer_a_release_cancels_the_intent_and_a_second_release_is_no_error()
    {
        var pm = await SavedCardAsync("rider-1");
        _stripe.DecliningPaymentMethods[pm] = "card_declined";
        var declined = (await _h.Holds.PlaceAsync("trip-d", "rider-1", 1000, "EUR", Ct))!;
        Assert.Equal((FareHoldStatus.Declined, "card_declined"), (declined.Status, declined.DeclineCode));

        _stripe.DecliningPaymentMethods.Clear();
        var held = (await _h.Holds.PlaceAsync("trip-c", "rider-1", 1000, "EUR", Ct))!;
        await _h.Holds.ReleaseAsync("trip-c", "cancelled", Ct);
        var cancel = Assert.Single(_stripe.Requests, r => r.Path == $"/v1/payment_intents/{held.PaymentIntentId}/cancel");
        Assert.Equal("abandoned", cancel.Form["cancellation_reason"]);
        Assert.Equal(FareHoldStatus.Released, (await _h.Holds.GetAsync("trip-c", Ct))!.Status);
        // Released at Stripe already (e.g. by hand on the dashboard): not an error.
        await _h.Provider.ReleaseHoldAsync(held.PaymentIntentId!, Ct);

        _stripe.FailWhen(r => r.Path == "/v1/payment_intents", 500, "api_error", "Stripe is down");
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Holds.PlaceAsync("trip-x", "rider-1", 1000, "EUR", Ct));
        Assert.Equal(FareHoldStatus.Placing, (await _h.Holds.GetAsync("trip-x", Ct))!.Status);
    }

    [Fact]
    public async Task A_hold_the_bank_wants_authenticated_is_confirmed_again_on_session_with_the_riders_return_url_and_read_back_once_they_answered()
    {
        var pm = await SavedCardAsync("rider-1");
        _stripe.DecliningPaymentMethods[pm] = "authentication_required";

        var asked = (await _h.Holds.PlaceAsync("trip-3ds", "rider-1", 1800, "EUR", Ct, riderPresent: true))!;

        Assert.Equal(FareHoldStatus.Authenticating, asked.Status);
        Assert.Equal($"https://hooks.stripe.test/3d_secure_2/authenticate/{asked.PaymentIntentId}", asked.AuthenticationUrl);
        var confirm = Assert.Single(_stripe.Requests, r => r.Path == $"/v1/payment_intents/{asked.PaymentIntentId}/confirm");
        Assert.Equal((pm, "https://app.uberclone.test/rider?booking=authenticated", $"authenticate-{asked.PaymentIntentId}"),
            (confirm.Form["payment_method"], confirm.Form["return_url"], confirm.IdempotencyKey));
        Assert.False(confirm.Form.ContainsKey("off_session")); // the rider is there this time

        // Not answered yet: still waiting, the same page. Completed: held, on the same PaymentIntent, captured at the end.
        Assert.Equal(FareHoldStatus.Authenticating, (await _h.Holds.PlaceAsync("trip-3ds", "rider-1", 1800, "EUR", Ct, riderPresent: true))!.Status);
        _stripe.AuthenticationResults[asked.PaymentIntentId!] = true;
        var held = (await _h.Holds.PlaceAsync("trip-3ds", "rider-1", 1800, "EUR", Ct, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Held, asked.PaymentIntentId), (held.Status, held.PaymentIntentId));
        Assert.Equal(PaymentStatus.Succeeded, (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-3ds", amount: 1700), Ct))!.Status);
        Assert.Single(_stripe.Requests, r => r.Path == $"/v1/payment_intents/{asked.PaymentIntentId}/capture");

        // Failed at the bank: declined, said as the sandbox says it.
        var failing = (await _h.Holds.PlaceAsync("trip-3ds-f", "rider-1", 1800, "EUR", Ct, riderPresent: true))!;
        _stripe.AuthenticationResults[failing.PaymentIntentId!] = false;
        var declined = (await _h.Holds.PlaceAsync("trip-3ds-f", "rider-1", 1800, "EUR", Ct, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Declined, "authentication_failed"), (declined.Status, declined.DeclineCode));
    }

    [Fact]
    public async Task A_decline_is_the_banks_answer_a_failed_session_with_its_code_and_a_stripe_outage_leaves_it_open()
    {
        var pm = await SavedCardAsync("rider-1");
        _stripe.DecliningPaymentMethods[pm] = "insufficient_funds";

        var declined = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-decl"), Ct))!;
        Assert.Equal((PaymentStatus.Failed, "insufficient_funds"), (declined.Status, declined.FailureReason));
        Assert.StartsWith("pi_test_", declined.PaymentIntentId);

        _stripe.DecliningPaymentMethods.Clear();
        _stripe.FailWhen(r => r.Path == "/v1/payment_intents", 500, "api_error", "Stripe is down");
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-down"), Ct));
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(PaymentSession.IdFor("trip-down", 1), Ct))!.Status);
    }

    [Fact]
    public async Task A_driver_is_onboarded_on_an_express_account_enabled_by_its_webhook_and_paid_by_a_transfer_with_one_key_per_payout()
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-9", Ct);
        var account = Assert.Single(_stripe.Requests, r => r.Path == "/v1/accounts");
        Assert.Equal(("express", "true", "driver-9", "payout-account-driver-9"), (account.Form["type"], account.Form["capabilities[transfers][requested]"],
            account.Form["metadata[driver_id]"], account.IdempotencyKey));
        var link = Assert.Single(_stripe.Requests, r => r.Path == "/v1/account_links");
        Assert.Equal(("account_onboarding", "https://app.uberclone.test/driver?payouts=ready", "https://app.uberclone.test/driver?payouts=again"),
            (link.Form["type"], link.Form["return_url"], link.Form["refresh_url"]));
        var accountId = link.Form["account"];
        Assert.StartsWith($"https://connect.stripe.test/setup/e/{accountId}/", url);
        // Onboarding again reuses the account.
        await _h.Payouts.StartOnboardingAsync("driver-9", Ct);
        Assert.Single(_stripe.Requests, r => r.Path == "/v1/accounts");

        _stripe.EnabledAccounts[accountId] = true;
        var result = await _h.SendAsync(StripeEvents.Event("account.updated", new { id = accountId, @object = "account", payouts_enabled = true }));
        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        var enabled = (await _h.Payouts.OfDriverAsync("driver-9", Ct)).Account!;
        Assert.Equal((PayoutAccountStatus.Enabled, "STRIPE TEST BANK •••• 3000"), (enabled.Status, enabled.Destination));

        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-9", "EUR", 1_234, 0, 1, "fare", _h.Clock.Now), Ct);
        var payout = Assert.Single(await _h.Payouts.CashOutAsync("driver-9", Ct));

        var transfer = Assert.Single(_stripe.Requests, r => r.Path == "/v1/transfers");
        Assert.Equal(("1234", "eur", accountId, payout.Id, $"payout-{payout.Id}"), (transfer.Form["amount"], transfer.Form["currency"], transfer.Form["destination"],
            transfer.Form["transfer_group"], transfer.IdempotencyKey));
        Assert.Equal((PayoutStatus.Paid, "tr_test_"), (payout.Status, payout.TransferId![..8]));
    }

    [Fact]
    public async Task A_transfer_stripe_refuses_fails_the_payout_and_an_outage_leaves_it_pending()
    {
        await _h.Payouts.StartOnboardingAsync("driver-9", Ct);
        var accountId = Assert.Single(_stripe.Requests, r => r.Path == "/v1/account_links").Form["account"];
        _stripe.EnabledAccounts[accountId] = true;
        await _h.SendAsync(StripeEvents.Event("account.updated", new { id = accountId, @object = "account" }));
        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-9", "EUR", 900, 0, 1, "fare", _h.Clock.Now), Ct);

        _stripe.FailNext(400, "invalid_request_error", "Insufficient funds in Stripe account.");
        var refused = Assert.Single(await _h.Payouts.CashOutAsync("driver-9", Ct));
        Assert.Equal(PayoutStatus.Failed, refused.Status);
        Assert.Equal(900, (await _h.Payouts.OfDriverAsync("driver-9", Ct)).Owed["EUR"]);

        _stripe.FailNext(500, "api_error", "Stripe is down");
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payouts.CashOutAsync("driver-9", Ct));
        Assert.Equal(PayoutStatus.Pending, (await _h.Payouts.OfDriverAsync("driver-9", Ct)).Recent[0].Status);
    }

    [Fact]
    public async Task Removing_a_card_detaches_it_at_stripe()
    {
        var pm = await SavedCardAsync("rider-1");
        var card = (await _h.Cards.WalletAsync("rider-1", Ct))!.Cards[0];

        var wallet = await _h.Cards.RemoveAsync("rider-1", card.Id, Ct);

        Assert.Empty(wallet.Cards);
        Assert.Contains(_stripe.Requests, r => r.Path == $"/v1/payment_methods/{pm}/detach");
    }
}
