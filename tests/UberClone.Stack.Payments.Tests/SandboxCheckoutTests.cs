using System.Net;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

/// <summary>
/// Payments as the rider lives it, through the gateway only: the checkout link arrives on the socket, the sandbox page
/// is opened anonymously, Pay / Decline go through the signed-webhook path, and the outcome reaches the socket and REST.
/// </summary>
public sealed class SandboxCheckoutTests(PaymentsStackFixture stack)
{
    private static string NewTripId() => "trip-" + Guid.NewGuid().ToString("N");

    private static async Task<string> CheckoutLinkAsync(RealtimeClient socket, string tripId, int attempt = 1)
    {
        var created = await socket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("sessionId").EndsWith($"_{attempt}", StringComparison.Ordinal));
        return created["data"].Str("checkoutUrl");
    }

    private static async Task<HttpResponseMessage> PressAsync(PlatformClient client, string checkoutUrl, string button)
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = client.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        return await anonymous.PostAsync($"{checkoutUrl}/{button}", null);
    }

    [Fact]
    public async Task Rider_pays_in_the_sandbox_and_sees_the_payment_succeed()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Paula");
        await using var socket = await rider.ConnectAsync();
        var tripId = NewTripId();

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 1850, "EUR", 1));
        var checkoutUrl = await CheckoutLinkAsync(socket, tripId);
        Assert.StartsWith("/checkout/cs_sandbox_", checkoutUrl);

        var page = await client.Http.GetAsync(checkoutUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("€18.50", html);
        Assert.Contains(tripId, html);
        Assert.Contains("/pay\"", html);

        var pay = await PressAsync(client, checkoutUrl, "pay");
        Assert.Equal(HttpStatusCode.Redirect, pay.StatusCode);

        var succeeded = await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(1850, succeeded["data"]!["amountMinor"]!.GetValue<long>());
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal("succeeded", payment.Str("status"));
        await stack.WaitForEventAsync(Topics.PaymentSucceeded, e => e.Str("tripId") == tripId);

        // Paying again (a double click, a replayed form) is refused and charges nothing.
        var again = await PressAsync(client, checkoutUrl, "pay");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        stack.AssertNoTripChargedTwice();
    }

    [Fact]
    public async Task Declined_payment_shows_failed_and_the_retry_can_be_paid()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Dora");
        await using var socket = await rider.ConnectAsync();
        var tripId = NewTripId();

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 1));
        var first = await CheckoutLinkAsync(socket, tripId);
        Assert.Equal(HttpStatusCode.Redirect, (await PressAsync(client, first, "decline")).StatusCode);

        var failed = await socket.WaitForAsync("payment.failed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("card_declined", failed["data"].Str("reason"));
        Assert.Equal("failed", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));

        // Trips sends the retry as the next attempt.
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 2));
        var second = await CheckoutLinkAsync(socket, tripId, attempt: 2);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Conflict, (await PressAsync(client, first, "pay")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PressAsync(client, second, "pay")).StatusCode);

        await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("succeeded", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"));

        // A late duplicate of an old attempt's command changes nothing, and a third attempt on a paid trip opens no checkout.
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 1));
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 3));
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(stack.PaymentEvents, e => e.Topic == Topics.PaymentSessionCreated && e.Data.Str("sessionId") == $"ps_{tripId}_3");
        Assert.Equal(2, (await rider.GetOkAsync($"/api/payments/trips/{tripId}"))["attempt"]!.GetValue<int>());
        stack.AssertNoTripChargedTwice();
    }

    [Fact]
    public async Task Another_riders_payment_and_unknown_checkouts_are_not_found()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        var other = await client.SignInAsync("rider");
        await using var socket = await rider.ConnectAsync();
        var tripId = NewTripId();
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 700, "EUR", 1));
        await CheckoutLinkAsync(socket, tripId);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/payments/trips/{tripId}")).StatusCode);
        var unknown = await client.Http.GetAsync("/checkout/cs_sandbox_00000000000000000000000000000000", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
