using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Domain;
using UberClone.Payments.IntegrationEvents.EventHandling;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// A provider that cannot open a checkout: the command is retried by redelivery, and on its last attempt the payment is
/// recorded as failed, so the trip says so and the rider can retry, instead of waiting for a checkout that never comes.
/// </summary>
public sealed class CheckoutOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MessageContext Attempt(int attempt) => new("m1", Topics.PaymentCreateSession, "trip-down", nameof(PaymentCreateSessionCommand), DateTimeOffset.UtcNow, attempt);

    [Fact]
    public async Task The_last_attempt_records_the_payment_failed_and_the_riders_retry_opens_a_checkout()
    {
        DownProvider down = null!;
        using var h = new PaymentsHarness(store => down = new DownProvider(new SandboxPaymentProvider(store)));
        var handler = new PaymentCreateSessionCommandHandler(h.Payments, new MessagingOptions { MaxAttempts = 4 });
        var command = PaymentsHarness.Command("trip-down");

        for (var attempt = 1; attempt < 4; attempt++)
        {
            await Assert.ThrowsAsync<PaymentProviderException>(() => handler.HandleAsync(command, Attempt(attempt), Ct));
        }
        Assert.Null(await h.Payments.GetAsync(PaymentSession.IdFor("trip-down", 1), Ct));
        await handler.HandleAsync(command, Attempt(4), Ct);

        var failed = (await h.Payments.GetAsync(PaymentSession.IdFor("trip-down", 1), Ct))!;
        Assert.Equal((PaymentStatus.Failed, "provider_unavailable", ""), (failed.Status, failed.FailureReason, failed.CheckoutUrl));
        var published = Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentFailed).Data;
        Assert.Equal(("provider_unavailable", 1), (published["reason"]!.GetValue<string>(), published["attempt"]!.GetValue<int>()));
        await handler.HandleAsync(command, Attempt(4), Ct); // a redelivery finds it
        Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentFailed);

        down.Down = false;
        var retry = (await h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-down", attempt: 2), Ct))!;
        Assert.Equal(PaymentStatus.Open, retry.Status);
        Assert.StartsWith("/checkout/cs_sandbox_", retry.CheckoutUrl);
    }

    /// <summary>The sandbox, whose checkouts cannot be opened while it is down.</summary>
    private sealed class DownProvider(SandboxPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public bool Down { get; set; } = true;

        public override Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct) =>
            Down ? throw new PaymentProviderException("The provider did not answer.", 503) : base.CreateCheckoutAsync(request, ct);
    }
}
