using System.Net;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

/// <summary>
/// Cards on file through the gateway (ADR 0024): the rider saves a card on the sandbox's page (anonymous, like Stripe's),
/// its signed webhook puts it in the wallet, and the next charge goes to it over Kafka without any checkout; a declined
/// card fails with the bank's code and the retry opens a checkout.
/// </summary>
public sealed class CardsOnFileTests(PaymentsStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Anonymous(PlatformClient client) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = client.Gateway, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> SubmitCardAsync(HttpClient browser, string url, string number, string expiry = "12/30", string cvc = "123") =>
        await browser.PostAsync($"{url}/card", new FormUrlEncodedContent(new Dictionary<string, string> { ["number"] = number, ["expiry"] = expiry, ["cvc"] = cvc }), Ct);

    private static async Task SaveCardAsync(PlatformClient client, UserSession rider, string number)
    {
        var setup = await PlatformClient.ReadAsync(await rider.PostAsync("/api/payments/cards/setup", new { }));
        using var browser = Anonymous(client);
        var saved = await SubmitCardAsync(browser, setup.Str("url"), number);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    [Fact]
    public async Task A_card_saved_on_the_sandbox_page_is_charged_when_the_ride_is_paid_without_a_checkout()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Carla");
        await using var socket = await rider.ConnectAsync();
        Assert.Empty((await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray());

        var setupResponse = await rider.PostAsync("/api/payments/cards/setup", new { });
        Assert.Equal(HttpStatusCode.Created, setupResponse.StatusCode);
        var url = (await PlatformClient.ReadAsync(setupResponse)).Str("url");
        Assert.StartsWith("/checkout/cs_sandbox_setup_", url);

        using var browser = Anonymous(client);
        var page = await browser.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Save a card", html);
        Assert.Contains("4242424242424242", html);

        var bad = await SubmitCardAsync(browser, url, "4242 4242 4242 4241");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("text/html", bad.Content.Headers.ContentType?.MediaType); // the form again, not turned into problem+json by the gateway
        Assert.Contains("The card number is not valid", await bad.Content.ReadAsStringAsync(Ct));
        Assert.Empty((await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray());

        var saved = await SubmitCardAsync(browser, url, "4242 4242 4242 4242");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/account?card=added", saved.Headers.Location?.OriginalString);
        var wallet = await rider.GetOkAsync("/api/payments/cards");
        var card = Assert.Single(wallet["cards"]!.AsArray())!;
        Assert.Equal(("Visa •••• 4242", true, false), (card.Str("label"), card["isDefault"]!.GetValue<bool>(), card["expired"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.Conflict, (await SubmitCardAsync(browser, url, "5555555555554444")).StatusCode); // the page is used up

        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 2340, "EUR", 1));

        var created = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("card", "Visa •••• 4242", ""), (created["data"].Str("method"), created["data"].Str("cardLabel"), created["data"].Str("checkoutUrl")));
        var paid = await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(2340, paid["data"]!["amountMinor"]!.GetValue<long>());
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal(("succeeded", "card", "Visa •••• 4242"), (payment.Str("status"), payment.Str("method"), payment.Str("cardLabel")));
        await stack.WaitForEventAsync(Topics.PaymentSucceeded, e => e.Str("tripId") == tripId);

        // A redelivered command charges nothing more.
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 2340, "EUR", 1));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        stack.AssertNoTripChargedTwice();
    }

    [Fact]
    public async Task A_declined_card_fails_with_the_banks_code_the_retry_opens_a_checkout_and_cards_are_the_riders_own()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Dario");
        await using var socket = await rider.ConnectAsync();
        await SaveCardAsync(client, rider, "4000 0000 0000 9995");
        var tripId = "trip-" + Guid.NewGuid().ToString("N");

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 1));
        var failed = await socket.WaitForAsync("payment.failed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("insufficient_funds", failed["data"].Str("reason"));

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 990, "EUR", 2));
        var retry = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("sessionId").EndsWith("_2", StringComparison.Ordinal));
        Assert.Equal("checkout", retry["data"].Str("method"));
        Assert.StartsWith("/checkout/cs_sandbox_", retry["data"].Str("checkoutUrl"));

        // Another rider and a driver cannot see or change this rider's cards.
        var cardId = (await rider.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id");
        var other = await client.SignInAsync("rider");
        var unknown = await other.SendAsync(HttpMethod.Delete, $"/api/payments/cards/{cardId}", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var driver = await client.SignInAsync("driver");
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.GetAsync("/api/payments/cards")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.PostAsync("/api/payments/cards/setup", new { })).StatusCode);

        var removed = await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Delete, $"/api/payments/cards/{cardId}", null));
        Assert.Empty(removed["cards"]!.AsArray());
        stack.AssertNoTripChargedTwice();
    }
}
