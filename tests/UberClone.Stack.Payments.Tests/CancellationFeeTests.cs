using System.Net;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

/// <summary>
/// The payments half of "a rider cancellation after the free window charges the fee": trips sends the fee as a
/// create-session command with purpose cancellation_fee (the trips half, deciding the fee, is another branch).
/// </summary>
public sealed class CancellationFeeTests(PaymentsStackFixture stack)
{
    [Fact]
    public async Task Cancellation_fee_is_offered_to_the_rider_and_charged_once()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Late canceller");
        await using var socket = await rider.ConnectAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 500, "EUR", 1, PaymentPurposes.CancellationFee));
        var created = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(PaymentPurposes.CancellationFee, created["data"].Str("purpose"));
        Assert.Equal(500, created["data"]!["amountMinor"]!.GetValue<long>());

        var checkoutUrl = created["data"].Str("checkoutUrl");
        var html = await (await client.Http.GetAsync(checkoutUrl, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Cancellation fee for trip", html);
        Assert.Contains("€5.00", html);

        using var browser = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = client.Gateway };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(checkoutUrl + "/pay", null, TestContext.Current.CancellationToken)).StatusCode);

        await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal(("succeeded", "cancellation_fee"), (payment.Str("status"), payment.Str("purpose")));
        stack.AssertNoTripChargedTwice();
    }

    [Fact]
    public async Task Invalid_payment_command_is_dead_lettered_and_opens_no_checkout()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        await using var socket = await rider.ConnectAsync();
        var badTrip = "trip-" + Guid.NewGuid().ToString("N");
        var goodTrip = "trip-" + Guid.NewGuid().ToString("N");

        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(badTrip, rider.UserId, 0, "EUR", 1));
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(goodTrip, rider.UserId, 800, "EUR", 1));

        // Payments went on past the bad command (after its bounded retries) to the next one.
        await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == goodTrip, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(stack.PaymentEvents, e => e.Topic == Topics.PaymentSessionCreated && e.Data.Str("tripId") == badTrip);
    }
}
