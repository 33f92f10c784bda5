using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.Operations;

/// <summary>
/// <c>GET /api/ops/users/{userId}/mails</c> (operators only): what was mailed about an account, newest first, at most
/// <see cref="Limit"/> of the last <see cref="MailOutbox.KeepDoneFor"/>: "I never got my receipt / my code" is answered by
/// whether it left, when, after how many attempts, or why it did not. Never a body, and the address masked: support
/// sees that a code went out, not the code.
/// </summary>
public static class UserMailsApi
{
    public const int Limit = 50;

    public sealed record MailView(string Id, string Kind, string Subject, string To, string State, DateTimeOffset QueuedAt, DateTimeOffset? SentAt,
        int Attempts, DateTimeOffset? NextAttemptAt, string? LastError);

    public sealed record MailList(IReadOnlyList<MailView> Mails);

    public static void MapUserMailsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/ops/users/{userId}/mails", ListAsync).RequireAuthorization();

    private static async Task<Results<Ok<MailList>, ProblemHttpResult>> ListAsync(string userId, HttpContext http, MailOutbox outbox, CancellationToken ct)
    {
        if (CurrentUser.From(http.User)?.IsOperator != true) return Problem(403, "Only the support desk can see what was mailed to an account.");
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var mails = await outbox.ForAccountAsync(userId, Limit, ct);
        return TypedResults.Ok(new MailList(mails.Select(m => View(m.Id, m.Document)).ToList()));
    }

    internal static MailView View(string id, QueuedMail mail)
    {
        var queued = mail.State == MailState.Queued;
        return new MailView(id, mail.Kind, mail.SafeSubject, queued ? QueuedMail.Masked(mail.To) : mail.To, mail.State.ToString().ToLowerInvariant(), mail.CreatedAt,
            mail.SentAt, mail.Attempts, queued && mail.DueAtMs is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null, mail.LastError);
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
