using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;

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
        group.MapPost("/{checkoutId}/card", SaveCardAsync).DisableAntiforgery();
        group.MapPost("/{checkoutId}/complete", (string checkoutId, SandboxAuthentication authentication, CancellationToken ct) =>
            AuthenticateAsync(checkoutId, completed: true, authentication, ct)).DisableAntiforgery();
        group.MapPost("/{checkoutId}/fail", (string checkoutId, SandboxAuthentication authentication, CancellationToken ct) =>
            AuthenticateAsync(checkoutId, completed: false, authentication, ct)).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowAsync(string checkoutId, PaymentsApplication payments, SandboxCardSetup cardSetup,
        SandboxAuthentication authentication, TimeProvider clock, CancellationToken ct)
    {
        if (checkoutId.StartsWith(SandboxPaymentProvider.AuthenticationPrefix, StringComparison.Ordinal))
        {
            var hold = await authentication.FindAsync(checkoutId, ct);
            return hold is null ? NotFound() : TypedResults.Content(await authentication.RenderAsync(hold, ct), "text/html; charset=utf-8");
        }
        if (checkoutId.StartsWith(SandboxPaymentProvider.SetupPrefix, StringComparison.Ordinal))
        {
            var setup = await cardSetup.FindAsync(checkoutId, ct);
            return setup is null ? NotFound() : TypedResults.Content(SandboxCardPage.Render(setup, clock.GetUtcNow(), null), "text/html; charset=utf-8");
        }
        var session = await FindAsync(checkoutId, payments, ct);
        return session is null ? NotFound() : TypedResults.Content(Render(session), "text/html; charset=utf-8");
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> PayAsync(string checkoutId, SandboxCheckout checkout, CancellationToken ct) =>
        ToResult(checkoutId, await checkout.PayAsync(checkoutId, ct));

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> DeclineAsync(string checkoutId, SandboxCheckout checkout, CancellationToken ct) =>
        ToResult(checkoutId, await checkout.DeclineAsync(checkoutId, ct));

    /// <summary>
    /// The card form sent: saved → back to the account page (as Stripe's success_url); a bad field → the form again,
    /// 400, saying which; a setup no longer open → 409.
    /// </summary>
    private static async Task<Results<RedirectHttpResult, ContentHttpResult, ProblemHttpResult>> SaveCardAsync(string checkoutId, HttpRequest request,
        SandboxCardSetup cardSetup, TimeProvider clock, CancellationToken ct)
    {
        var setup = await cardSetup.FindAsync(checkoutId, ct);
        if (setup is null) return NotFound();
        var fields = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var form = SandboxCardPage.ReadForm(fields?["number"].ToString(), fields?["expiry"].ToString(), fields?["cvc"].ToString(), out var formError);
        var choice = form is null ? new SandboxChoice(SandboxOutcome.Invalid, formError) : await cardSetup.SaveAsync(checkoutId, form, ct);
        return choice.Outcome switch
        {
            SandboxOutcome.Done => TypedResults.Redirect("/account?card=added"),
            SandboxOutcome.Invalid => TypedResults.Content(SandboxCardPage.Render(setup, clock.GetUtcNow(), choice.Detail), "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest),
            SandboxOutcome.NotFound => NotFound(),
            _ => TypedResults.Problem(choice.Detail, statusCode: StatusCodes.Status409Conflict),
        };
    }

    /// <summary>The sandbox bank's authentication page answered (ADR 0028): back to the rider's app, which books again.</summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> AuthenticateAsync(string authenticationId, bool completed,
        SandboxAuthentication authentication, CancellationToken ct)
    {
        var (choice, returnTo) = await authentication.AnswerAsync(authenticationId, completed, ct);
        return choice.Outcome switch
        {
            SandboxOutcome.Done => TypedResults.Redirect(returnTo!),
            SandboxOutcome.NotFound => NotFound(),
            _ => TypedResults.Problem(choice.Detail, statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static Results<RedirectHttpResult, ProblemHttpResult> ToResult(string checkoutId, SandboxChoice choice) => choice.Outcome switch
    {
        SandboxOutcome.Done => TypedResults.Redirect($"/checkout/{checkoutId}"),
        SandboxOutcome.NotFound => NotFound(),
        _ => TypedResults.Problem(choice.Detail, statusCode: StatusCodes.Status409Conflict),
    };

    private static Task<PaymentSession?> FindAsync(string checkoutId, PaymentsApplication payments, CancellationToken ct) =>
        SandboxCheckout.FindAsync(checkoutId, payments, ct);

    private static ProblemHttpResult NotFound() => TypedResults.Problem("No such checkout.", statusCode: StatusCodes.Status404NotFound);

    private static string Render(PaymentSession session)
    {
        var amount = WebUtility.HtmlEncode(Currencies.Display(session.AmountMinor, session.Currency));
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
                <p>{session.Purpose switch { PaymentPurposes.CancellationFee => "Cancellation fee for trip", PaymentPurposes.Tip => "Tip for your driver, trip", PaymentPurposes.ItemReturn => "Return fee for a lost item, trip", _ => "Trip" }} <code>{WebUtility.HtmlEncode(session.TripId)}</code></p>
                <p>Amount: <strong>{amount}</strong></p>
                {actions}
              </main>
            </body></html>
            """;
    }
}
