using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Which mail a rider or driver gets (<see cref="MailCategories"/>): <c>GET|PUT /api/auth/me/mail</c> in account
/// settings, and the link in each such mail (<see cref="UnsubscribeLinks"/>), which works without signing in:
/// <c>GET /api/mail/unsubscribe?t=</c> says what it would turn off (the web app's page asks first: mail scanners open
/// links), <c>POST</c> turns it off (RFC 8058's one-click, what mail providers' "Unsubscribe" sends), and
/// <c>POST /api/mail/resubscribe?t=</c> undoes that. Codes and notices about the account itself always go.
/// </summary>
public static class MailPreferencesApi
{
    public sealed record MailCategoryState(string Id, string Label, string Description, bool On);

    public sealed record MailPreferences(string Email, bool EmailConfirmed, IReadOnlyList<MailCategoryState> Categories, string AlwaysSent);

    public sealed record MailLinkState(string Category, string Label, bool On, string Email, string Message);

    private const string AlwaysSent =
        "Codes, and notices about your account itself (a new email or password, deletion), are always mailed, and so is what you ask for (a receipt's copy, a statement).";

    public static void MapMailPreferencesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/auth/me/mail", GetAsync).RequireAuthorization().WithTags("Accounts")
            .WithSummary("Which mail the signed-in rider or driver gets (each category on or off)");
        app.MapPut("/api/auth/me/mail", SetAsync).RequireAuthorization().WithTags("Accounts")
            .WithSummary("Turn categories of mail on or off: {\"receipts\": false, …}");
        var link = app.MapGroup("/api/mail").WithTags("Accounts").AllowAnonymous();
        link.MapGet("/unsubscribe", ReadLinkAsync).WithSummary("What a mail's unsubscribe link would turn off (changes nothing)");
        link.MapPost("/unsubscribe", (string? t, AccountService accounts, UnsubscribeLinks links, CancellationToken ct) => FollowLinkAsync(t, on: false, accounts, links, ct))
            .DisableAntiforgery().WithSummary("One click (RFC 8058): turn off the mail a link names, without signing in");
        link.MapPost("/resubscribe", (string? t, AccountService accounts, UnsubscribeLinks links, CancellationToken ct) => FollowLinkAsync(t, on: true, accounts, links, ct))
            .DisableAntiforgery().WithSummary("Undo an unsubscribe: turn the mail a link names on again");
    }

    private static async Task<Results<Ok<MailPreferences>, ProblemHttpResult>> GetAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        return await accounts.GetAsync(caller.UserId, ct) is { DeletedAt: null } account ? TypedResults.Ok(Preferences(account)) : Gone();
    }

    private static async Task<Results<Ok<MailPreferences>, ValidationProblem, ProblemHttpResult>> SetAsync(
        Dictionary<string, bool>? request, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        var mine = MailCategories.For(caller.Role);
        var errors = new Dictionary<string, string[]>();
        if (request is null || request.Count == 0)
        {
            errors["body"] = [mine.Count == 0 ? "Support accounts have no mail to turn off." : $"Name a category to turn on or off: {string.Join(", ", mine.Select(c => c.Id))}."];
        }
        foreach (var id in request?.Keys.ToList() ?? [])
        {
            if (mine.All(c => c.Id != id))
            {
                errors[id] = [mine.Count == 0 ? "Support accounts have no mail to turn off." : $"'{id}' is not a kind of mail you get; yours: {string.Join(", ", mine.Select(c => c.Id))}."];
            }
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await accounts.SetMailAsync(caller.UserId, request!, ct) is { } account ? TypedResults.Ok(Preferences(account)) : Gone();
    }

    private static async Task<Results<Ok<MailLinkState>, ProblemHttpResult>> ReadLinkAsync(string? t, AccountService accounts, UnsubscribeLinks links, CancellationToken ct)
    {
        if (links.Read(t) is not var (accountId, category)) return BadLink();
        if (await accounts.GetAsync(accountId, ct) is not { DeletedAt: null } account) return Gone();
        var on = account.Receives(category);
        return TypedResults.Ok(new MailLinkState(category.Id, category.Label, on, QueuedMail.Masked(account.Email),
            on ? $"Stop mailing \"{category.Label}\" to {QueuedMail.Masked(account.Email)}?" : $"\"{category.Label}\" are not mailed to {QueuedMail.Masked(account.Email)} any more."));
    }

    private static async Task<Results<Ok<MailLinkState>, ProblemHttpResult>> FollowLinkAsync(string? t, bool on, AccountService accounts, UnsubscribeLinks links, CancellationToken ct)
    {
        if (links.Read(t) is not var (accountId, category)) return BadLink();
        if (await accounts.SetMailAsync(accountId, new Dictionary<string, bool> { [category.Id] = on }, ct) is not { } account) return Gone();
        var email = QueuedMail.Masked(account.Email);
        return TypedResults.Ok(new MailLinkState(category.Id, category.Label, on, email, on
            ? $"\"{category.Label}\" are mailed to {email} again."
            : $"Done: \"{category.Label}\" are not mailed to {email} any more. Account settings turn them on again."));
    }

    private static MailPreferences Preferences(Account account) => new(account.Email, account.EmailVerifiedAt is not null,
        MailCategories.For(account.Role).Select(c => new MailCategoryState(c.Id, c.Label, c.Description, account.Receives(c))).ToList(), AlwaysSent);

    private static ProblemHttpResult BadLink() => TypedResults.Problem(
        "This unsubscribe link is not valid (cut short, or altered). Sign in and choose which mail you get in Account settings.",
        statusCode: 400, type: Problems.Problems.Type("invalid-link"));

    private static ProblemHttpResult Gone() => TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
}
