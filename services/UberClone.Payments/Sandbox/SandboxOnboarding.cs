using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;
using UberClone.Storage;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// The sandbox's onboarding page for a driver's payouts (what Stripe Connect's hosted onboarding is, ADR 0025): the bank
/// account form is checked as a bank form is, the account's bank details are kept where the provider keeps them
/// (<see cref="SandboxProviderStore"/>), and the webhook Stripe would send (account.updated) is signed and handed to the
/// same processor as Stripe's own, which reads the account and enables the driver's payouts. A bank account given after
/// the old one refused payouts is paid what they refused (<see cref="SandboxBank.PayAgainAsync"/>).
/// </summary>
public sealed class SandboxOnboarding(SandboxProviderStore store, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock, SandboxBank bank)
{
    public async Task<SandboxAccountLink?> FindAsync(string linkId, CancellationToken ct) =>
        linkId.StartsWith(SandboxPaymentProvider.AccountLinkPrefix, StringComparison.Ordinal) && linkId.Length <= 100
            ? (await store.AccountLinks.GetAsync(linkId, ct))?.Document
            : null;

    /// <summary>Keeps the bank account of the form on the driver's account, or says why not (the form's error, or the link no longer valid).</summary>
    public async Task<SandboxChoice> SaveAsync(string linkId, string? holder, string? iban, CancellationToken ct)
    {
        var link = await FindAsync(linkId, ct);
        if (link is null) return new SandboxChoice(SandboxOutcome.NotFound);
        var now = clock.GetUtcNow();
        if (now > link.ExpiresAt) return new SandboxChoice(SandboxOutcome.Conflict, "This page has expired: start again from the driver app.");
        var (account, error) = SandboxBankAccounts.Check(holder, iban);
        if (account is null) return new SandboxChoice(SandboxOutcome.Invalid, error);

        var updated = await store.Accounts.UpdateAsync(link.AccountId, a => a with { Country = account.Iban[..2], Last4 = account.Iban[^4..], PayoutFailure = account.PayoutFailure, BankRefusal = account.BankRefusal }, ct: ct);
        if (updated is null) return new SandboxChoice(SandboxOutcome.NotFound);
        var payload = JsonSerializer.Serialize(new
        {
            id = SandboxPaymentProvider.NewId("evt_sandbox_"),
            @object = "event",
            created = now.ToUnixTimeSeconds(),
            livemode = false,
            type = "account.updated",
            account = updated.Id,
            data = new
            {
                @object = new
                {
                    id = updated.Id,
                    @object = "account",
                    type = "express",
                    payouts_enabled = updated.PayoutsEnabled,
                    metadata = new Dictionary<string, string> { ["driver_id"] = updated.DriverId },
                },
            },
        });
        var result = await webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret.Value, now), ct);
        if (result.Outcome != WebhookOutcome.Processed) return new SandboxChoice(SandboxOutcome.Conflict, $"The account was not set up: {result.Detail}");
        // What the old bank account refused is paid to the new one, as Stripe pays a connected account's balance again.
        await bank.PayAgainAsync(updated.Id, ct);
        return new SandboxChoice(SandboxOutcome.Done);
    }

    public static string Render(SandboxAccountLink link, SandboxConnectedAccount? account, DateTimeOffset now, string? error)
    {
        var id = WebUtility.HtmlEncode(link.Id);
        var body = now > link.ExpiresAt
            ? "<p role=\"status\">This page has expired: start again from the driver app.</p>"
            : $"""
              {(account?.Destination is { } destination ? $"<p>Payouts go to <strong>{WebUtility.HtmlEncode(destination)}</strong> now; another account replaces it.</p>" : "")}
              {(error is null ? "" : $"<p role=\"alert\" data-testid=\"bank-error\">{WebUtility.HtmlEncode(error)}</p>")}
              <form method="post" action="/connect/{id}">
                <label>Account holder <input name="holder" autocomplete="name" required maxlength="100"></label>
                <label>IBAN <input name="iban" autocomplete="off" required></label>
                <button type="submit">Save bank account</button>
              </form>
              <p><a href="/driver?payouts=cancelled">Cancel</a></p>
              <h2>Test bank accounts</h2>
              <p>The sandbox takes only these numbers (any name):</p>
              <ul>{string.Concat(SandboxBankAccounts.TestAccounts.Select(a => $"<li><code>{a.Iban}</code> {WebUtility.HtmlEncode(a.Description)}</li>"))}</ul>
              """;
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>UberClone sandbox: get paid</title></head>
            <body>
              <main>
                <h1>Where your earnings go</h1>
                <p>Your earnings are paid to this bank account every Monday, or when you cash out.</p>
                {body}
              </main>
            </body></html>
            """;
    }
}

/// <summary>GET and POST /connect/{linkId}: the sandbox's onboarding page (anonymous at the gateway; the link's random id is the capability).</summary>
public static class SandboxOnboardingApi
{
    public static RouteGroupBuilder MapSandboxOnboarding(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connect");
        group.MapGet("/{linkId}", ShowAsync);
        group.MapPost("/{linkId}", SaveAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowAsync(string linkId, SandboxOnboarding onboarding, SandboxProviderStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var link = await onboarding.FindAsync(linkId, ct);
        if (link is null) return NotFound();
        var account = (await store.Accounts.GetAsync(link.AccountId, ct))?.Document;
        return TypedResults.Content(SandboxOnboarding.Render(link, account, clock.GetUtcNow(), null), "text/html; charset=utf-8");
    }

    /// <summary>Saved → back to the driver app (as Stripe's return_url); a bad field → the form again, 400, saying which; an expired link → 409.</summary>
    private static async Task<Results<RedirectHttpResult, ContentHttpResult, ProblemHttpResult>> SaveAsync(string linkId, HttpRequest request,
        SandboxOnboarding onboarding, SandboxProviderStore store, TimeProvider clock, CancellationToken ct)
    {
        var link = await onboarding.FindAsync(linkId, ct);
        if (link is null) return NotFound();
        var fields = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var choice = await onboarding.SaveAsync(linkId, fields?["holder"].ToString(), fields?["iban"].ToString(), ct);
        return choice.Outcome switch
        {
            SandboxOutcome.Done => TypedResults.Redirect("/driver?payouts=ready"),
            SandboxOutcome.Invalid => TypedResults.Content(
                SandboxOnboarding.Render(link, (await store.Accounts.GetAsync(link.AccountId, ct))?.Document, clock.GetUtcNow(), choice.Detail),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest),
            SandboxOutcome.NotFound => NotFound(),
            _ => TypedResults.Problem(choice.Detail, statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem("No such onboarding link.", statusCode: StatusCodes.Status404NotFound);
}
