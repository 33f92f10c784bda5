using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// <c>GET /api/trips/waivers/awaiting</c> (support only, ADR 0053): the waivers above the limit one account may waive alone
/// that await a colleague's approval, oldest first, from trips' <c>ListAwaitingWaivers</c>, each with the rider's name and
/// the name of the account that asked (from their accounts, as the desk names people elsewhere; null once erased). The
/// desk's home lists them and reads them again on <c>support.waivers_changed</c>.
/// </summary>
public static class AwaitingWaiversApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public sealed record AwaitingWaiverView(string TripId, string RiderId, string? RiderName, long AmountMinor, string Currency,
        string AskedBy, string? AskedByName, string Reason, string AskedAt, string LapsesAt);

    public sealed record AwaitingWaiverList(IReadOnlyList<AwaitingWaiverView> Waivers);

    public static void MapAwaitingWaiversApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trips/waivers/awaiting", ListAsync).RequireAuthorization()
            .WithSummary("Support: the waivers awaiting a colleague's approval, oldest first: {waivers: [{tripId, riderId, riderName, amountMinor, currency, askedBy, askedByName, reason, askedAt, lapsesAt}]}; "
                + "one asked Waivers:RequestLapse ago lapsed and is not listed; the desks' sockets get support.waivers_changed when one is asked or no longer awaits (ADR 0053)");

    private static async Task<Results<Ok<AwaitingWaiverList>, ProblemHttpResult>> ListAsync(HttpContext http, TripService.TripServiceClient trips,
        AccountStore accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (!caller.IsOperator) return Problem(403, "Only the support desk sees the waivers awaiting approval.");
        IReadOnlyList<AwaitingWaiver> waivers;
        try
        {
            waivers = (await trips.ListAwaitingWaiversAsync(new ListAwaitingWaiversRequest(), new Caller(caller.UserId, Roles.Operator).ToMetadata(),
                DateTime.UtcNow + Deadline, ct)).Waivers;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "The waivers awaiting approval cannot be read right now (the trips service is not reachable); try again shortly.");
        }
        var ids = waivers.SelectMany(w => new[] { w.RiderId, w.AskedBy }).Distinct().ToList();
        var names = (await accounts.Accounts.GetManyAsync(ids, ct)).Select(a => a.Document).Where(a => a.DeletedAt is null).ToDictionary(a => a.Id, a => a.Name);
        return TypedResults.Ok(new AwaitingWaiverList([.. waivers.Select(w => new AwaitingWaiverView(
            w.TripId, w.RiderId, names.GetValueOrDefault(w.RiderId), w.Amount.AmountMinor, w.Amount.Currency,
            w.AskedBy, names.GetValueOrDefault(w.AskedBy), w.Reason, w.AskedAt, w.LapsesAt))]));
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
