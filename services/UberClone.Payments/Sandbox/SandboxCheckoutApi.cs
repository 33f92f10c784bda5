using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// The sandbox provider's checkout page: what Stripe Checkout is when no Stripe key is configured. The random id in
/// the URL is the capability, like a Stripe Checkout URL. Pay and Decline do not touch the session: they send the
/// webhook Stripe would send (checkout.session.completed / payment_intent.payment_failed), signed as Stripe signs it,
/// through the same processor as /api/payments/webhooks/stripe.
/// </summary>
public static class SandboxCheckoutApi
{
    public static RouteGroupBuilder MapSandboxCheckout(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/checkout");
        group.MapGet("/{checkoutId}", ShowAsync);
        group.MapPost("/{checkoutId}/pay", PayAsync).DisableAntiforgery();
        group.MapPost("/{checkoutId}/decline", DeclineAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowAsync(string checkoutId, PaymentsApplication payments, CancellationToken ct)
    {
        var session = await FindAsync(checkoutId, payments, ct);
        return session is null ? NotFound() : TypedResults.Content(Render(session), "text/html; charset=utf-8");
    }

    private static Task<Results<RedirectHttpResult, ProblemHttpResult>> PayAsync(
        string checkoutId, PaymentsApplication payments, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock, CancellationToken ct) =>
        SendAsync(checkoutId, payments, webhooks, secret, clock, session => Event("checkout.session.completed", new
        {
            id = session.ProviderSessionId,
            @object = "checkout.session",
            payment_status = "paid",
            status = "complete",
            amount_total = session.AmountMinor,
            currency = session.Currency.ToLowerInvariant(),
            payment_intent = "pi_sandbox_" + session.ProviderSessionId["cs_sandbox_".Length..],
            metadata = Metadata(session),
        }, clock), ct);

    private static Task<Results<RedirectHttpResult, ProblemHttpResult>> DeclineAsync(
        string checkoutId, PaymentsApplication payments, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock, CancellationToken ct) =>
        SendAsync(checkoutId, payments, webhooks, secret, clock, session => Event("payment_intent.payment_failed", new
        {
            id = "pi_sandbox_" + session.ProviderSessionId["cs_sandbox_".Length..],
            @object = "payment_intent",
            amount = session.AmountMinor,
            currency = session.Currency.ToLowerInvariant(),
            status = "requires_payment_method",
            last_payment_error = new { type = "card_error", code = "card_declined", decline_code = "card_declined", message = "Your card was declined." },
            metadata = Metadata(session),
        }, clock), ct);

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SendAsync(
        string checkoutId, PaymentsApplication payments, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock,
        Func<PaymentSession, string> buildEvent, CancellationToken ct)
    {
        var session = await FindAsync(checkoutId, payments, ct);
        if (session is null) return NotFound();
        if (session.Status != PaymentStatus.Open)
        {
            return TypedResults.Problem($"This checkout is {session.Status} and can no longer be paid or declined.", statusCode: StatusCodes.Status409Conflict);
        }
        if (clock.GetUtcNow() > session.ExpiresAt)
        {
            // What Stripe does when a checkout times out: the expired event, through the same path.
            var expired = Event("checkout.session.expired", new { id = session.ProviderSessionId, @object = "checkout.session", payment_status = "unpaid", status = "expired", metadata = Metadata(session) }, clock);
            await webhooks.HandleAsync(expired, StripeSignature.Sign(expired, secret.Value, clock.GetUtcNow()), ct);
            return TypedResults.Problem("This checkout has expired.", statusCode: StatusCodes.Status409Conflict);
        }
        var payload = buildEvent(session);
        var result = await webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret.Value, clock.GetUtcNow()), ct);
        return result.Outcome is WebhookOutcome.Processed or WebhookOutcome.Duplicate
            ? TypedResults.Redirect($"/checkout/{checkoutId}")
            : TypedResults.Problem($"The sandbox webhook was not applied: {result.Outcome} {result.Detail}", statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<PaymentSession?> FindAsync(string checkoutId, PaymentsApplication payments, CancellationToken ct)
    {
        if (!checkoutId.StartsWith("cs_sandbox_", StringComparison.Ordinal) || checkoutId.Length > 100) return null;
        var session = await payments.FindByProviderSessionAsync(checkoutId, ct);
        return session?.Provider == SandboxPaymentProvider.ProviderName ? session : null;
    }

    private static Dictionary<string, string> Metadata(PaymentSession session) => new()
    {
        ["trip_id"] = session.TripId,
        ["payment_session_id"] = session.Id,
        ["attempt"] = session.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["purpose"] = session.Purpose,
    };

    private static string Event(string type, object data, TimeProvider clock) => JsonSerializer.Serialize(new
    {
        id = SandboxPaymentProvider.NewId("evt_sandbox_"),
        @object = "event",
        api_version = "2025-10-29.clover",
        created = clock.GetUtcNow().ToUnixTimeSeconds(),
        livemode = false,
        type,
        data = new { @object = data },
    });

    private static ProblemHttpResult NotFound() => TypedResults.Problem("No such checkout.", statusCode: StatusCodes.Status404NotFound);

    private static string Render(PaymentSession session)
    {
        var amount = $"{session.AmountMinor / 100m:0.00} {WebUtility.HtmlEncode(session.Currency)}";
        var id = WebUtility.HtmlEncode(session.ProviderSessionId);
        var actions = session.Status == PaymentStatus.Open
            ? $"""
              <form method="post" action="/checkout/{id}/pay"><button type="submit">Pay {amount}</button></form>
              <form method="post" action="/checkout/{id}/decline"><button type="submit">Decline</button></form>
              """
            : $"<p role=\"status\">Payment {WebUtility.HtmlEncode(session.Status)}.</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>UberClone sandbox checkout</title></head>
            <body>
              <main>
                <h1>Sandbox checkout</h1>
                <p>{(session.Purpose == PaymentPurposes.CancellationFee ? "Cancellation fee for trip" : "Trip")} <code>{WebUtility.HtmlEncode(session.TripId)}</code></p>
                <p>Amount: <strong>{amount}</strong></p>
                {actions}
              </main>
            </body></html>
            """;
    }
}
