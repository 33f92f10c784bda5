using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Webhooks;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

/// <summary>
/// The platform with STRIPE_SECRET_KEY set: the payments process talks to Stripe through Stripe.net (here a local fake
/// Stripe API), and Stripe's signed webhooks come in through the gateway.
/// </summary>
public sealed class StripeModeTests(StripeStackFixture stack) : IClassFixture<StripeStackFixture>
{
    private async Task<HttpResponseMessage> WebhookAsync(PlatformClient client, object stripeEvent)
    {
        var payload = JsonSerializer.Serialize(stripeEvent);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Sign(payload, stack.WebhookSecret, DateTimeOffset.UtcNow));
        return await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Stripe_checkout_is_paid_by_webhook_and_refunded_through_the_refunds_api()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        await using var socket = await rider.ConnectAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 2650, "EUR", 1));
        var created = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.StartsWith("https://checkout.stripe.test/c/pay/cs_test_", created["data"].Str("checkoutUrl"));
        var checkout = stack.Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Form["metadata[trip_id]"] == tripId);
        Assert.Equal($"checkout-{tripId}-1", checkout.IdempotencyKey);
        Assert.Equal(("2650", "eur", "https://rides.test/?payment=success"),
            (checkout.Form["line_items[0][price_data][unit_amount]"], checkout.Form["line_items[0][price_data][currency]"], checkout.Form["success_url"]));

        var sessionId = created["data"].Str("sessionId");
        var providerSessionId = created["data"].Str("checkoutUrl").Split('/').Last();
        var metadata = new { payment_session_id = sessionId, trip_id = tripId };
        var completed = await WebhookAsync(client, new
        {
            id = "evt_" + Guid.NewGuid().ToString("N"), @object = "event", type = "checkout.session.completed",
            data = new { @object = new { id = providerSessionId, @object = "checkout.session", payment_status = "paid", payment_intent = "pi_" + tripId, metadata } },
        });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);

        var operatorSession = await client.SignInAsync("rider", "Support desk");
        var content = JsonContent.Create(new { amountMinor = 650, reason = "long pickup wait" });
        content.Headers.Add("x-operator-key", stack.OperatorKey);
        var refund = await PlatformClient.ReadAsync(await operatorSession.SendAsync(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds", content));
        Assert.Equal("partially_refunded", refund.Str("status"));
        var refundRequest = stack.Stripe.Requests.Single(r => r.Path == "/v1/refunds" && r.Form["metadata[trip_id]"] == tripId);
        Assert.Equal(("pi_" + tripId, "650"), (refundRequest.Form["payment_intent"], refundRequest.Form["amount"]));
        Assert.Equal($"refund-{refund.Str("refundId")}", refundRequest.IdempotencyKey);
        await socket.WaitForAsync("payment.refunded", m => m["data"].Str("tripId") == tripId);

        // Stripe's own charge.refunded for the same refund adds nothing.
        var chargeRefunded = await WebhookAsync(client, new
        {
            id = "evt_" + Guid.NewGuid().ToString("N"), @object = "event", type = "charge.refunded",
            data = new { @object = new { id = "ch_1", @object = "charge", payment_intent = "pi_" + tripId, amount_refunded = 650 } },
        });
        Assert.Equal(HttpStatusCode.OK, chargeRefunded.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Single(stack.PaymentEvents, e => e.Topic == Topics.PaymentRefunded && e.Data.Str("tripId") == tripId);
        Assert.Equal("partially_refunded", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));
        stack.AssertNoTripChargedTwice();
    }

    [Fact]
    public async Task Stripe_refusing_the_checkout_dead_letters_the_command_after_bounded_retries()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        await using var socket = await rider.ConnectAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        stack.Stripe.FailWhen(r => r.Form.GetValueOrDefault("metadata[trip_id]") == tripId, 400, "invalid_request_error", "Amount must be at least 50 cents");

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 10, "EUR", 1));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (stack.Stripe.Requests.Count(r => r.Path == "/v1/checkout/sessions" && r.IdempotencyKey == $"checkout-{tripId}-1") < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.Equal(4, stack.Stripe.Requests.Count(r => r.Path == "/v1/checkout/sessions" && r.IdempotencyKey == $"checkout-{tripId}-1"));
        Assert.DoesNotContain(stack.PaymentEvents, e => e.Topic == Topics.PaymentSessionCreated && e.Data.Str("tripId") == tripId);
    }
}
