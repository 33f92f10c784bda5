using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.DriverMail;

/// <summary>
/// <c>POST /api/drivers/me/statement/email {weekOf?}</c>: a driver mails themselves the earnings statement of the week
/// (Monday to Sunday in their time zone) containing <c>weekOf</c> (YYYY-MM-DD; default today: this week so far), for
/// their records or their accountant; one a minute per week. The weekly one comes by itself on Monday mornings.
/// </summary>
public static class StatementApi
{
    public sealed record StatementRequest(string? WeekOf);

    public sealed record StatementMailed(string Message, bool Mailed);

    public static void MapStatementApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/drivers/me/statement/email", MailAsync).RequireAuthorization();

    private static async Task<Results<Accepted<StatementMailed>, ProblemHttpResult>> MailAsync(StatementRequest? request, HttpContext http,
        AccountService accounts, DriverStatements statements, TimeProvider clock, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role != Roles.Driver) return Problem(403, "Earnings statements are for drivers.");
        if (await accounts.GetAsync(caller.UserId, ct) is not { } driver) return Problem(404, "The account no longer exists.");
        var today = StatementWeek.LocalDay(clock.GetUtcNow(), driver.Zone);
        var day = today;
        if (request?.WeekOf is { Length: > 0 } weekOf && !DateOnly.TryParseExact(weekOf, "yyyy-MM-dd", out day))
        {
            return Problem(400, "weekOf must be a date (YYYY-MM-DD) in the week to send.");
        }
        if (day > today) return Problem(400, "That week has not started yet.");
        if (day < today.AddDays(-366)) return Problem(400, "Statements go back a year at most.");
        if (driver.EmailVerifiedAt is null)
        {
            return TypedResults.Problem("Confirm your email first (Account settings, \"Your email\"): statements are mailed only to a confirmed address.",
                statusCode: 409, type: Problems.Problems.Type("email-not-confirmed"));
        }
        try
        {
            var (mailed, duplicate) = await statements.MailWeekAsync(driver, day, ct);
            var week = StatementWeek.Containing(day, driver.Zone);
            var which = week.Monday == StatementWeek.Containing(today, driver.Zone).Monday ? "this week so far" : $"the week of {week.Monday:d MMM yyyy}";
            return TypedResults.Accepted((string?)null, mailed
                ? new StatementMailed($"Your statement for {which} is on its way to {driver.Email}.", true)
                : duplicate
                    ? new StatementMailed($"Your statement for {which} went to {driver.Email} less than a minute ago.", false)
                    : new StatementMailed($"You earned nothing {which}: there is no statement to send.", false));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "Your earnings cannot be read right now (the trips service is not reachable); try again shortly.");
        }
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
