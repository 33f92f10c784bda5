using UberClone.Contracts;
using UberClone.Payments.Domain;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>The sandbox's Pay / Decline go through the signed webhook path and obey the same rules as Stripe's events.</summary>
public sealed class SandboxCheckoutTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<PaymentSession> OpenAsync(string tripId) => (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command(tripId), Ct))!;

    [Fact]
    public async Task Pay_records_the_event_id_on_the_session_and_publishes_succeeded()
    {
        var session = await OpenAsync("trip-s1");

        var choice = await _h.Sandbox.PayAsync(session.ProviderSessionId, Ct);

        Assert.Equal(SandboxOutcome.Done, choice.Outcome);
        var stored = (await _h.Payments.GetAsync(session.Id, Ct))!;
        Assert.Equal(PaymentStatus.Succeeded, stored.Status);
        Assert.StartsWith("evt_sandbox_", Assert.Single(stored.ProcessedEventIds));
        Assert.StartsWith("pi_sandbox_", stored.PaymentIntentId);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task Decline_publishes_failed_and_the_checkout_cannot_be_paid_afterwards()
    {
        var session = await OpenAsync("trip-s2");

        Assert.Equal(SandboxOutcome.Done, (await _h.Sandbox.DeclineAsync(session.ProviderSessionId, Ct)).Outcome);
        var pay = await _h.Sandbox.PayAsync(session.ProviderSessionId, Ct);

        Assert.Equal(SandboxOutcome.Conflict, pay.Outcome);
        Assert.Equal(PaymentStatus.Failed, (await _h.Payments.GetAsync(session.Id, Ct))!.Status);
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task Paying_twice_charges_once()
    {
        var session = await OpenAsync("trip-s3");

        await _h.Sandbox.PayAsync(session.ProviderSessionId, Ct);
        var second = await _h.Sandbox.PayAsync(session.ProviderSessionId, Ct);

        Assert.Equal(SandboxOutcome.Conflict, second.Outcome);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded);
    }

    [Fact]
    public async Task An_expired_checkout_cannot_be_paid_and_reports_failed_expired()
    {
        var session = await OpenAsync("trip-s4");
        _h.Clock.Now = session.ExpiresAt.AddSeconds(1);

        var pay = await _h.Sandbox.PayAsync(session.ProviderSessionId, Ct);

        Assert.Equal(SandboxOutcome.Conflict, pay.Outcome);
        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync(session.Id, Ct))!.Status);
        Assert.Equal("expired", (await _h.OutboxAsync()).Single(m => m.Topic == Topics.PaymentFailed).Data["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_or_guessed_checkout_ids_are_not_found()
    {
        await OpenAsync("trip-s5");

        Assert.Equal(SandboxOutcome.NotFound, (await _h.Sandbox.PayAsync("cs_sandbox_0000", Ct)).Outcome);
        Assert.Equal(SandboxOutcome.NotFound, (await _h.Sandbox.PayAsync("ps_trip-s5_1", Ct)).Outcome);
    }
}
