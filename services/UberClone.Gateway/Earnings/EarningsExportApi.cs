using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Earnings;

/// <summary>
/// <c>GET /api/drivers/me/earnings.csv?month=YYYY-MM</c> (default: this month so far), or <c>?year=YYYY</c> (a whole
/// calendar year so far: what a driver's tax return asks for): a driver downloads the period's earnings
/// (<see cref="EarningsCsv"/>), the period in their time zone, from trips' <c>GetEarnings</c> as the driver; up to two
/// years back.
/// </summary>
public static class EarningsExportApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static void MapEarningsExportApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/drivers/me/earnings.csv", ExportAsync).RequireAuthorization();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(string? month, string? year, HttpContext http, AccountService accounts,
        TripService.TripServiceClient trips, TimeProvider clock, CancellationToken ct)
    {
        if (month is { Length: > 0 } && year is { Length: > 0 }) return Problem(400, "Ask for a month or a year, not both.");
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role != Roles.Driver) return Problem(403, "Earnings are for drivers.");
        if (await accounts.GetAsync(caller.UserId, ct) is not { DeletedAt: null } driver) return Problem(404, "The account no longer exists.");
        var zone = driver.Zone ?? TimeZoneInfo.Utc;
        var now = clock.GetUtcNow();
        var today = StatementWeek.LocalDay(now, zone);
        var (first, problem) = ExportMonths.Parse(month, today);
        if (problem is not null) return Problem(400, problem);
        var months = 1;
        if (year is { Length: > 0 })
        {
            if (year.Length != 4 || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) || whole < 1) return Problem(400, "year must be a year like 2026.");
            if (whole > today.Year) return Problem(400, "That year has not started yet.");
            if (whole < today.Year - ExportMonths.YearsBack) return Problem(400, "Downloads go back two years at most.");
            (first, months) = (new DateOnly(whole, 1, 1), 12);
        }
        var (from, to) = ExportMonths.Range(first, months, zone, now);
        EarningsSummary summary;
        try
        {
            summary = to <= from
                ? new EarningsSummary() // the period's very first instant: nothing yet (trips refuses an empty range)
                : await trips.GetEarningsAsync(new EarningsRequest { From = from.ToString("O"), To = to.ToString("O") },
                    new Caller(driver.Id, Roles.Driver).ToMetadata(), DateTime.UtcNow + Deadline, ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "Your earnings cannot be read right now (the trips service is not reachable); try again shortly.");
        }
        var csv = System.Text.Encoding.UTF8.GetBytes(EarningsCsv.Render(summary, zone));
        return TypedResults.File(csv, "text/csv; charset=utf-8", months == 12 ? $"uberclone-earnings-{first:yyyy}.csv" : $"uberclone-earnings-{first:yyyy-MM}.csv");
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
