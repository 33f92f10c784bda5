using System.Net;
using System.Net.Http.Json;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Webhooks;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

public sealed class RefundAndWebhookTests(PaymentsStackFixture stack)
{
    private async Task<(UserSession Rider, RealtimeClient Socket, string TripId, string SessionId)> PaidTripAsync(long amount)
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        var socket = await rider.ConnectAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, amount, "EUR", 1));
        var created = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        using var browser = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = client.Gateway };
        (await browser.PostAsync(created["data"].Str("checkoutUrl") + "/pay", null)).EnsureSuccessStatusCodeOrRedirect();
        await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        return (rider, socket, tripId, created["data"].Str("sessionId"));
    }

    private Task<HttpResponseMessage> RefundAsync(UserSession caller, string tripId, object body, string? operatorKey)
    {
        var content = JsonContent.Create(body);
        if (operatorKey is not null) content.Headers.Add("x-operator-key", operatorKey);
        return caller.SendAsync(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds", content);
    }

    [Fact]
    public async Task Operator_refunds_partially_then_fully_and_the_rider_sees_refunded()
    {
        var (rider, socket, tripId, _) = await PaidTripAsync(2400);
        await using var _ = socket;
        var operatorSession = await stack.Client().SignInAsync("rider", "Support desk");

        var partial = await PlatformClient.ReadAsync(await RefundAsync(operatorSession, tripId, new { amountMinor = 400, reason = "detour" }, stack.OperatorKey));
        Assert.Equal("partially_refunded", partial.Str("status"));
        var first = await socket.WaitForAsync("payment.refunded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(400, first["data"]!["amountMinor"]!.GetValue<long>());
        Assert.False(first["data"]!["fullyRefunded"]!.GetValue<bool>());

        var rest = await PlatformClient.ReadAsync(await RefundAsync(operatorSession, tripId, new { reason = "complaint", refundId = "full-" + tripId }, stack.OperatorKey));
        Assert.Equal(2000, rest["amountMinor"]!.GetValue<long>());
        await socket.WaitForAsync("payment.refunded", m => m["data"].Str("tripId") == tripId && m["data"]!["fullyRefunded"]!.GetValue<bool>());
        Assert.Equal("refunded", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));

        // The same request again resumes the same refund; anything more is refused.
        Assert.Equal(HttpStatusCode.OK, (await RefundAsync(operatorSession, tripId, new { reason = "complaint", refundId = "full-" + tripId }, stack.OperatorKey)).StatusCode);
        var tooMuch = await RefundAsync(operatorSession, tripId, new { amountMinor = 1, reason = "again" }, stack.OperatorKey);
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Equal("application/problem+json", tooMuch.Content.Headers.ContentType?.MediaType);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(2, stack.PaymentEvents.Count(e => e.Topic == Topics.PaymentRefunded && e.Data.Str("tripId") == tripId));
    }

    [Fact]
    public async Task A_rider_cannot_refund_their_own_trip_and_bad_refunds_are_400()
    {
        var (rider, socket, tripId, _) = await PaidTripAsync(1500);
        await using var _ = socket;

        var own = await RefundAsync(rider, tripId, new { reason = "I want my money back" }, null);
        var guessed = await RefundAsync(rider, tripId, new { reason = "guess" }, "op_guess");
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, guessed.StatusCode);
        Assert.Equal("application/problem+json", own.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.BadRequest, (await RefundAsync(rider, tripId, new { amountMinor = -5, reason = "x" }, stack.OperatorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await RefundAsync(rider, tripId, new { amountMinor = 5 }, stack.OperatorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RefundAsync(rider, "trip-unknown", new { reason = "x" }, stack.OperatorKey)).StatusCode);
        var notJson = new StringContent("{not json", Encoding.UTF8, "application/json");
        notJson.Headers.Add("x-operator-key", stack.OperatorKey);
        var malformed = await rider.SendAsync(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds", notJson);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Equal("succeeded", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));
    }

    [Fact]
    public async Task Webhook_is_reachable_anonymously_verifies_signatures_and_processes_each_event_once()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        await using var socket = await rider.ConnectAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 1300, "EUR", 1));
        var created = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        var sessionId = created["data"].Str("sessionId");
        var payload = System.Text.Json.JsonSerializer.Serialize(new
        {
            id = "evt_" + Guid.NewGuid().ToString("N"),
            @object = "event",
            type = "checkout.session.completed",
            data = new { @object = new { id = "cs_x", @object = "checkout.session", payment_status = "paid", payment_intent = "pi_" + tripId, metadata = new { payment_session_id = sessionId, trip_id = tripId } } },
        });

        async Task<HttpResponseMessage> PostAsync(string body, string? signature)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
            return await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        }

        var forged = await PostAsync(payload, StripeSignature.Sign(payload, "whsec_attacker", DateTimeOffset.UtcNow));
        var stale = await PostAsync(payload, StripeSignature.Sign(payload, stack.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-6)));
        var unsigned = await PostAsync(payload, null);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { forged.StatusCode, stale.StatusCode, unsigned.StatusCode });
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal("open", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));

        var signature = StripeSignature.Sign(payload, stack.WebhookSecret, DateTimeOffset.UtcNow);
        var results = await Task.WhenAll(PostAsync(payload, signature), PostAsync(payload, signature), PostAsync(payload, signature));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);

        var unknownType = System.Text.Json.JsonSerializer.Serialize(new { id = "evt_" + Guid.NewGuid().ToString("N"), @object = "event", type = "invoice.paid", data = new { @object = new { id = "in_1" } } });
        var ignored = await PostAsync(unknownType, StripeSignature.Sign(unknownType, stack.WebhookSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Single(stack.PaymentEvents, e => e.Topic == Topics.PaymentSucceeded && e.Data.Str("tripId") == tripId);
        stack.AssertNoTripChargedTwice();
    }
}

internal static class ResponseAssertions
{
    public static void EnsureSuccessStatusCodeOrRedirect(this HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (>= 200 and < 400)) throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
    }
}
