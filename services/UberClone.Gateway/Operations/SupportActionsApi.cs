using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// <c>GET /api/ops/audit?tripId=|userId=|operatorId=</c> (operators only): the support actions on a trip, on an account
/// (its own, and those on trips it rode or drove), or by one operator; newest first, at most 100.
/// </summary>
public static class SupportActionsApi
{
    public const int Limit = 100;

    public sealed record SupportActionView(
        string Id, DateTimeOffset At, string OperatorId, string? OperatorName, bool ByOperatorKey, string Action, string Method, string Path, int Status,
        string? UserId, string? TripId, string? RiderId, string? DriverId, string? HelpRequestId, string? Reason, long? AmountMinor, string? Currency, string? Kind, string? TraceId);

    public sealed record SupportActionList(IReadOnlyList<SupportActionView> Actions);

    public static void MapSupportActionsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/ops/audit", ListAsync).RequireAuthorization();

    private static async Task<Results<Ok<SupportActionList>, ProblemHttpResult>> ListAsync(string? tripId, string? userId, string? operatorId,
        HttpContext http, AccountStore store, AccountService accounts, CancellationToken ct)
    {
        if (CurrentUser.From(http.User)?.IsOperator != true) return Problem(403, "Only the support desk can read its audit trail.");
        (string Field, string? Value)[] queries = [("tripId", tripId), ("userId", userId), ("operatorId", operatorId)];
        var given = queries.Where(q => q.Value is not null).ToArray();
        if (given.Length != 1 || given[0].Value!.Trim() is not { Length: > 0 and <= 64 } id)
        {
            return Problem(400, "Give one of tripId, userId or operatorId (an id of at most 64 characters): /api/ops/audit?tripId=….");
        }
        // An account's trail: actions on it, and on the trips it rode or drove.
        var fields = given[0].Field == "userId" ? new[] { "userId", "riderId", "driverId" } : [given[0].Field];
        var found = new List<Storage.Versioned<SupportAction>>();
        foreach (var field in fields) found.AddRange(await store.SupportActions.QueryAsync(field, id, Limit, ct));
        var newest = found.DistinctBy(a => a.Id).OrderByDescending(a => a.Document.At).ThenByDescending(a => a.Id, StringComparer.Ordinal).Take(Limit).ToList();

        var names = new Dictionary<string, string?>();
        foreach (var operatorIdSeen in newest.Select(a => a.Document.OperatorId).Distinct())
        {
            names[operatorIdSeen] = (await accounts.GetAsync(operatorIdSeen, ct))?.Name;
        }
        return TypedResults.Ok(new SupportActionList(newest.Select(a =>
        {
            var d = a.Document;
            return new SupportActionView(a.Id, d.At, d.OperatorId, names[d.OperatorId], d.ByOperatorKey, d.Action, d.Method, d.Path, d.Status,
                d.UserId, d.TripId, d.RiderId, d.DriverId, d.HelpRequestId, d.Reason, d.AmountMinor, d.Currency, d.Kind, d.TraceId);
        }).ToList()));
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
