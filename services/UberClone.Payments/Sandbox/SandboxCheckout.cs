using System.Text.Json;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Sandbox;

public enum SandboxOutcome { Done, NotFound, Conflict, Invalid }

public sealed record SandboxChoice(SandboxOutcome Outcome, string? Detail = null);

/// <summary>
/// The rider's choice on the sandbox checkout, turned into the webhook Stripe would send (checkout.session.completed,
/// payment_intent.payment_failed, or checkout.session.expired once the checkout timed out), signed with the webhook
/// secret and handed to the same processor as /api/payments/webhooks/stripe. The session is never changed directly.
/// </summary>
public sealed class SandboxCheckout(PaymentsApplication payments, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock)
{
    private const string CheckoutPrefix = "cs_sandbox_";

    public Task<SandboxChoice> PayAsync(string checkoutId, CancellationToken ct) => ChooseAsync(checkoutId, session => Event("checkout.session.completed", new
    {
        id = session.ProviderSessionId,
        @object = "checkout.session",
        payment_status = "paid",
        status = "complete",
        amount_total = session.AmountMinor,
        currency = session.Currency.ToLowerInvariant(),
        payment_intent = PaymentIntentOf(session),
        metadata = Metadata(session),
    }), ct);

    public Task<SandboxChoice> DeclineAsync(string checkoutId, CancellationToken ct) => ChooseAsync(checkoutId, session => Event("payment_intent.payment_failed", new
    {
        id = PaymentIntentOf(session),
        @object = "payment_intent",
        amount = session.AmountMinor,
        currency = session.Currency.ToLowerInvariant(),
        status = "requires_payment_method",
        last_payment_error = new { type = "card_error", code = "card_declined", decline_code = "card_declined", message = "Your card was declined." },
        metadata = Metadata(session),
    }), ct);

    public static async Task<PaymentSession?> FindAsync(string checkoutId, PaymentsApplication payments, CancellationToken ct)
    {
        if (!checkoutId.StartsWith(CheckoutPrefix, StringComparison.Ordinal) || checkoutId.Length > 100) return null;
        var session = await payments.FindByProviderSessionAsync(checkoutId, ct);
        return session?.Provider == SandboxPaymentProvider.ProviderName ? session : null;
    }

    private async Task<SandboxChoice> ChooseAsync(string checkoutId, Func<PaymentSession, string> buildEvent, CancellationToken ct)
    {
        var session = await FindAsync(checkoutId, payments, ct);
        if (session is null) return new SandboxChoice(SandboxOutcome.NotFound);
        if (session.Status != PaymentStatus.Open)
        {
            return new SandboxChoice(SandboxOutcome.Conflict, $"This checkout is {session.Status} and can no longer be paid or declined.");
        }
        if (clock.GetUtcNow() > session.ExpiresAt)
        {
            await SendAsync(Event("checkout.session.expired", new
            {
                id = session.ProviderSessionId,
                @object = "checkout.session",
                payment_status = "unpaid",
                status = "expired",
                metadata = Metadata(session),
            }), ct);
            return new SandboxChoice(SandboxOutcome.Conflict, "This checkout has expired.");
        }
        var result = await SendAsync(buildEvent(session), ct);
        return result.Outcome is WebhookOutcome.Processed or WebhookOutcome.Duplicate
            ? new SandboxChoice(SandboxOutcome.Done)
            : new SandboxChoice(SandboxOutcome.Conflict, $"The sandbox webhook was not applied: {result.Outcome} {result.Detail}");
    }

    private Task<WebhookResult> SendAsync(string payload, CancellationToken ct) =>
        webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret.Value, clock.GetUtcNow()), ct);

    private static string PaymentIntentOf(PaymentSession session) => "pi_sandbox_" + session.ProviderSessionId[CheckoutPrefix.Length..];

    private static Dictionary<string, string> Metadata(PaymentSession session) => new()
    {
        ["trip_id"] = session.TripId,
        ["payment_session_id"] = session.Id,
        ["attempt"] = session.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["purpose"] = session.Purpose,
    };

    private string Event(string type, object data) => JsonSerializer.Serialize(new
    {
        id = SandboxPaymentProvider.NewId("evt_sandbox_"),
        @object = "event",
        created = clock.GetUtcNow().ToUnixTimeSeconds(),
        livemode = false,
        type,
        data = new { @object = data },
    });
}
