using System.Net;
using UberClone.Contracts;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// The sandbox's stand-in for a bank's 3-D Secure page (ADR 0028), like Stripe's test page for card 4000 0027 6000 3184:
/// the rider completes or fails the authentication of a hold, then goes back where the hold's return URL says (its path,
/// as the sandbox's other pages do). The random id in the URL is the capability.
/// </summary>
public sealed class SandboxAuthentication(SandboxProviderStore store)
{
    public async Task<SandboxHold?> FindAsync(string authenticationId, CancellationToken ct) =>
        authenticationId.StartsWith(SandboxPaymentProvider.AuthenticationPrefix, StringComparison.Ordinal) && authenticationId.Length <= 100
            ? (await store.Holds.QueryAsync("authenticationId", authenticationId, 1, ct)).FirstOrDefault()?.Document
            : null;

    /// <summary>The rider's answer: held when <paramref name="completed"/>, else failed. Where to send them back; null: no such page.</summary>
    public async Task<(SandboxChoice Choice, string? ReturnTo)> AnswerAsync(string authenticationId, bool completed, CancellationToken ct)
    {
        if (await FindAsync(authenticationId, ct) is not { } hold) return (new SandboxChoice(SandboxOutcome.NotFound), null);
        var answered = await store.Holds.UpdateAsync(hold.Id, h => h.Status == ProviderHoldState.AwaitingAuthentication
            ? completed
                ? h with { Status = ProviderHoldState.Held, DeclineCode = null }
                : h with { Status = "failed", DeclineCode = "authentication_failed" }
            : h, ct: ct);
        return answered!.Status == hold.Status
            ? (new SandboxChoice(SandboxOutcome.Conflict, $"This authentication was answered already ({hold.Status})."), null)
            : (new SandboxChoice(SandboxOutcome.Done), PathOf(answered.ReturnUrl));
    }

    /// <summary>The return URL's path and query: the sandbox's pages are reached through the web app, which serves that path.</summary>
    private static string PathOf(string? returnUrl) =>
        Uri.TryCreate(returnUrl, UriKind.Absolute, out var url) ? url.PathAndQuery : returnUrl is { Length: > 0 } path && path.StartsWith('/') ? path : "/rider";

    public async Task<string> RenderAsync(SandboxHold hold, CancellationToken ct)
    {
        var card = hold.PaymentMethodId is { } pm ? (await store.PaymentMethods.GetAsync(pm, ct))?.Document : null;
        var label = card is null ? "your card" : $"{Domain.SavedCard.BrandName(card.Brand)} •••• {card.Last4}";
        var amount = Currencies.Display(hold.AmountMinor, hold.Currency);
        var id = WebUtility.HtmlEncode(hold.AuthenticationId);
        var body = hold.Status == ProviderHoldState.AwaitingAuthentication
            ? $"""
              <p>Your bank asks you to confirm that UberClone may hold <strong>{WebUtility.HtmlEncode(amount)}</strong> on {WebUtility.HtmlEncode(label)}.</p>
              <form method="post" action="/checkout/{id}/complete"><button type="submit">Complete authentication</button></form>
              <form method="post" action="/checkout/{id}/fail"><button type="submit">Fail authentication</button></form>
              """
            : $"<p role=\"status\">This authentication is over ({WebUtility.HtmlEncode(hold.Status)}).</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>UberClone sandbox: confirm with your bank</title></head>
            <body>
              <main>
                <h1>Sandbox 3-D Secure</h1>
                {body}
                <p><small>This page stands in for your bank's in the sandbox, as Stripe's test page does for its test card 4000 0027 6000 3184.</small></p>
              </main>
            </body></html>
            """;
    }
}
