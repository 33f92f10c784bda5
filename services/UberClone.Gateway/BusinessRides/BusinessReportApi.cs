using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Earnings;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.BusinessRides;

/// <summary>
/// <c>GET /api/trips/business-report?month=YYYY-MM</c> (default: this month so far): a rider downloads the month's
/// business rides (<see cref="BusinessReportCsv"/>, ADR 0034), the month in their time zone, from trips'
/// <c>ListBusinessTrips</c> as the rider; up to two years back. As the drivers' earnings CSV (<c>EarningsExportApi</c>).
/// </summary>
public static class BusinessReportApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static void MapBusinessReportApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trips/business-report", ExportAsync).RequireAuthorization()
            .WithSummary("Riders: a month's business rides as a CSV for an expense report (?month=YYYY-MM, default this month; the rider's time zone)");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(string? month, HttpContext http, AccountService accounts,
        TripService.TripServiceClient trips, TimeProvider clock, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role != Roles.Rider) return Problem(403, "The business rides report is for riders.");
        if (await accounts.GetAsync(caller.UserId, ct) is not { DeletedAt: null } rider) return Problem(404, "The account no longer exists.");
        var zone = rider.Zone ?? TimeZoneInfo.Utc;
        var now = clock.GetUtcNow();
        var today = StatementWeek.LocalDay(now, zone);
        var (first, problem) = ExportMonths.Parse(month, today);
        if (problem is not null) return Problem(400, problem);
        var (from, to) = ExportMonths.Range(first, 1, zone, now);
        IEnumerable<Trip> rides;
        try
        {
            rides = to <= from
                ? [] // the month's very first instant: nothing yet (trips refuses an empty range)
                : (await trips.ListBusinessTripsAsync(new BusinessTripsRequest { From = from.ToString("O"), To = to.ToString("O") },
                    new Caller(rider.Id, Roles.Rider).ToMetadata(), DateTime.UtcNow + Deadline, ct)).Trips;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "Your business rides cannot be read right now (the trips service is not reachable); try again shortly.");
        }
        var csv = System.Text.Encoding.UTF8.GetBytes(BusinessReportCsv.Render(rides, zone));
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"uberclone-business-rides-{first:yyyy-MM}.csv");
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
