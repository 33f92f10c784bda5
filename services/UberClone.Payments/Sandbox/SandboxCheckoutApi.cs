using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// The sandbox provider's checkout page: what Stripe Checkout is when no Stripe key is configured. The session
/// id in the URL is the capability (unguessable), like a Stripe Checkout URL.
/// </summary>
public static class SandboxCheckoutApi
{
    public static RouteGroupBuilder MapSandboxCheckout(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/checkout");
        group.MapGet("/{sessionId}", ShowAsync);
        group.MapPost("/{sessionId}/pay", PayAsync).DisableAntiforgery();
        group.MapPost("/{sessionId}/decline", DeclineAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> ShowAsync(string sessionId, PaymentsApplication payments, CancellationToken ct)
    {
        var session = await payments.GetAsync(sessionId, ct);
        return session is null ? TypedResults.NotFound() : TypedResults.Content(Render(session), "text/html; charset=utf-8");
    }

    private static async Task<Results<RedirectHttpResult, NotFound, Conflict<string>>> PayAsync(string sessionId, PaymentsApplication payments, CancellationToken ct)
    {
        try
        {
            return await payments.SucceedAsync(sessionId, ct) is null ? TypedResults.NotFound() : TypedResults.Redirect($"/checkout/{sessionId}");
        }
        catch (PaymentTransitionException ex)
        {
            return TypedResults.Conflict(ex.Message);
        }
    }

    private static async Task<Results<RedirectHttpResult, NotFound, Conflict<string>>> DeclineAsync(string sessionId, PaymentsApplication payments, CancellationToken ct)
    {
        try
        {
            return await payments.FailAsync(sessionId, "card_declined", ct) is null ? TypedResults.NotFound() : TypedResults.Redirect($"/checkout/{sessionId}");
        }
        catch (PaymentTransitionException ex)
        {
            return TypedResults.Conflict(ex.Message);
        }
    }

    private static string Render(PaymentSession session)
    {
        var amount = $"{session.AmountMinor / 100m:0.00} {WebUtility.HtmlEncode(session.Currency)}";
        var actions = session.Status == PaymentStatus.Open
            ? $"""
              <form method="post" action="/checkout/{session.Id}/pay"><button type="submit">Pay {amount}</button></form>
              <form method="post" action="/checkout/{session.Id}/decline"><button type="submit">Decline</button></form>
              """
            : $"<p role=\"status\">Payment {WebUtility.HtmlEncode(session.Status)}.</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>UberClone sandbox checkout</title></head>
            <body>
              <main>
                <h1>Sandbox checkout</h1>
                <p>Trip <code>{WebUtility.HtmlEncode(session.TripId)}</code></p>
                <p>Amount: <strong>{amount}</strong></p>
                {actions}
              </main>
            </body></html>
            """;
    }
}
