using System.Globalization;
using System.Net;
using UberClone.Payments.Domain;

namespace UberClone.Payments.Sandbox;

/// <summary>The sandbox's card form (HTML), with its test cards listed, and the reading of what was sent.</summary>
public static class SandboxCardPage
{
    /// <summary>The form's fields as a card; null with the reason when a field cannot be read at all.</summary>
    public static SandboxCardForm? ReadForm(string? number, string? expiry, string? cvc, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(number)) error = "Enter the card number.";
        else if (string.IsNullOrWhiteSpace(expiry)) error = "Enter the expiry date as MM/YY.";
        else if (string.IsNullOrWhiteSpace(cvc)) error = "Enter the security code (CVC).";
        if (error is not null) return null;
        var parts = expiry!.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || parts[1].Length is not (2 or 4))
        {
            error = "Enter the expiry date as MM/YY.";
            return null;
        }
        return new SandboxCardForm(number!.Trim(), month, year, cvc!.Trim());
    }

    public static string Render(CardSetup setup, DateTimeOffset now, string? error)
    {
        var id = WebUtility.HtmlEncode(setup.ProviderSessionId);
        var body = setup.Status == CardSetupStatus.Completed
            ? "<p role=\"status\">This card was saved. You can close this page.</p>"
            : !setup.IsOpen(now)
                ? "<p role=\"status\">This page has expired: start again from your account.</p>"
                : $"""
                  {(error is null ? "" : $"<p role=\"alert\" data-testid=\"card-error\">{WebUtility.HtmlEncode(error)}</p>")}
                  <form method="post" action="/checkout/{id}/card">
                    <label>Card number <input name="number" inputmode="numeric" autocomplete="cc-number" required></label>
                    <label>Expiry (MM/YY) <input name="expiry" placeholder="MM/YY" autocomplete="cc-exp" required></label>
                    <label>CVC <input name="cvc" inputmode="numeric" autocomplete="cc-csc" required></label>
                    <button type="submit">Save card</button>
                  </form>
                  <p><a href="/account?card=cancelled">Cancel</a></p>
                  <h2>Test cards</h2>
                  <p>The sandbox takes only these numbers (any future expiry, any CVC):</p>
                  <ul>{string.Concat(SandboxCards.TestCards.Select(c => $"<li><code>{c.Number}</code> {WebUtility.HtmlEncode(c.Description)}</li>"))}</ul>
                  """;
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>UberClone sandbox: save a card</title></head>
            <body>
              <main>
                <h1>Save a card</h1>
                <p>Saved cards are charged when a ride ends.</p>
                {body}
              </main>
            </body></html>
            """;
    }
}
