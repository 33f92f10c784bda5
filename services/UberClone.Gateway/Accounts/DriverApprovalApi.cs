using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Drivers are approved before they drive (ADR 0022). The driver's side: <c>GET /api/drivers/me/approval</c> and
/// <c>PUT /api/drivers/me/approval/documents</c>. Support's: <c>GET /api/ops/driver-approvals</c> (the queue, longest
/// waiting first), <c>POST /api/ops/users/{userId}/driver-approval/approve</c> <c>{classes, reason?, wheelchairAccessible?}</c> and
/// <c>…/reject</c> <c>{reason}</c>; a driver's card (<c>GET /api/ops/users/{userId}</c>) shows their approval too.
/// </summary>
public static class DriverApprovalApi
{
    /// <summary><paramref name="Vehicle"/>: another car than the account's (the driver changed cars), approved with the documents.</summary>
    public sealed record DocumentsRequest(string? LicenceNumber, string? LicenceExpiresOn, string? InsurancePolicy, string? InsuranceExpiresOn, int? VehicleYear,
        AccountsApi.VehicleRequest? Vehicle = null);

    /// <summary>
    /// <paramref name="WheelchairAccessible"/> (ADR 0045): approving, whether the vehicle is wheelchair accessible (false
    /// when absent); restricting, false takes it away (absent: left as it is).
    /// </summary>
    public sealed record ApproveRequest(IReadOnlyList<string>? Classes, string? Reason, bool? WheelchairAccessible = null);

    public sealed record RejectRequest(string? Reason);

    /// <summary><paramref name="WheelchairAccessible"/>: support approved the vehicle as wheelchair accessible (ADR 0045).</summary>
    public sealed record PermitView(IReadOnlyList<string> Classes, DateTimeOffset ValidUntil, bool WheelchairAccessible);

    /// <summary>Support's last decision; <paramref name="By"/> (the support account) only for support.</summary>
    public sealed record DecisionView(string Outcome, DateTimeOffset At, string? Reason, string? By);

    /// <summary>
    /// <paramref name="Status"/>: none, pending, approved, rejected or expired (<see cref="DriverApproval.StatusAt"/>);
    /// <paramref name="Permit"/>: what the driver may drive now (null: nothing). <paramref name="NewVehicle"/>: the car
    /// the documents waiting are for, when the driver changed cars (it becomes <paramref name="Vehicle"/> once approved).
    /// </summary>
    public sealed record ApprovalView(string Status, Vehicle? Vehicle, DriverDocuments? Documents, DateTimeOffset? SubmittedAt, PermitView? Permit, DecisionView? Decision,
        Vehicle? NewVehicle = null)
    {
        public static ApprovalView Of(Account account, DateTimeOffset now, bool forSupport)
        {
            var approval = account.Approval ?? new DriverApproval();
            return new(approval.StatusAt(now), account.Vehicle, approval.Documents, approval.SubmittedAt,
                approval.PermitAt(now) is { } permit ? new PermitView(permit.Classes, permit.ValidUntil, permit.WheelchairAccessible) : null,
                approval.Decision is { } d ? new DecisionView(d.Outcome, d.At, d.Reason, forSupport ? d.By : null) : null, approval.NewVehicle);
        }
    }

    public sealed record WaitingDriver(string UserId, string Name, string Email, Vehicle? Vehicle, ApprovalView Approval);

    public sealed record WaitingList(IReadOnlyList<WaitingDriver> Drivers);

    public static void MapDriverApprovalApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/drivers/me/approval", GetOwnAsync).RequireAuthorization().WithTags("Drivers")
            .WithSummary("The driver's approval to drive: status, documents sent, what they may drive now, support's last decision");
        app.MapPut("/api/drivers/me/approval/documents", SubmitAsync).RequireAuthorization().WithTags("Drivers")
            .WithSummary("Send (new) documents for support to review: licence and insurance numbers and expiry days, the vehicle's year");
        app.MapGet("/api/ops/driver-approvals", WaitingAsync).RequireAuthorization();
        var decide = app.MapGroup("/api/ops/users/{userId}/driver-approval").RequireAuthorization();
        decide.MapPost("/approve", ApproveAsync);
        decide.MapPost("/reject", RejectAsync);
        decide.MapPost("/restrict", RestrictAsync);
    }

    private static async Task<Results<Ok<ApprovalView>, ProblemHttpResult>> GetOwnAsync(HttpContext http, DriverApprovals approvals, TimeProvider clock, CancellationToken ct)
    {
        if (CurrentUser.From(http.User) is not { Role: Roles.Driver } caller) return Problem(403, "Only drivers are approved to drive.");
        return await approvals.DriverAsync(caller.UserId, ct) is { } account ? TypedResults.Ok(ApprovalView.Of(account, clock.GetUtcNow(), forSupport: false))
            : Problem(404, "The account no longer exists.");
    }

    private static async Task<Results<Ok<ApprovalView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(DocumentsRequest? request, HttpContext http,
        DriverApprovals approvals, TimeProvider clock, CancellationToken ct)
    {
        if (CurrentUser.From(http.User) is not { Role: Roles.Driver } caller) return Problem(403, "Only drivers send documents to drive.");
        var now = clock.GetUtcNow();
        var (documents, errors) = DriverDocuments.Parse(request?.LicenceNumber, request?.LicenceExpiresOn, request?.InsurancePolicy, request?.InsuranceExpiresOn,
            request?.VehicleYear, DateOnly.FromDateTime(now.UtcDateTime));
        var newVehicle = request?.Vehicle is null ? null : AccountsApi.ValidateVehicle(request.Vehicle, errors);
        if (documents is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)), type: Problems.Problems.TypeFor(400));
        }
        try
        {
            return await approvals.SubmitAsync(caller.UserId, documents, newVehicle, ct) is { } account ? TypedResults.Ok(ApprovalView.Of(account, now, forSupport: false))
                : Problem(404, "The account no longer exists.");
        }
        catch (ApprovalException)
        {
            return Problem(404, "The account no longer exists.");
        }
    }

    private static async Task<Results<Ok<WaitingList>, ProblemHttpResult>> WaitingAsync(HttpContext http, DriverApprovals approvals, TimeProvider clock, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new WaitingList([.. (await approvals.WaitingAsync(ct))
            .Select(a => new WaitingDriver(a.Id, a.Name, a.Email, a.Vehicle, ApprovalView.Of(a, now, forSupport: true)))]));
    }

    private static Task<Results<Ok<ApprovalView>, ProblemHttpResult>> ApproveAsync(string userId, ApproveRequest? request, HttpContext http, DriverApprovals approvals,
        TimeProvider clock, CancellationToken ct) =>
        DecideAsync(userId, http, clock, by => approvals.ApproveAsync(userId, request?.Classes, request?.WheelchairAccessible ?? false, request?.Reason, by, ct));

    private static Task<Results<Ok<ApprovalView>, ProblemHttpResult>> RejectAsync(string userId, RejectRequest? request, HttpContext http, DriverApprovals approvals,
        TimeProvider clock, CancellationToken ct) =>
        DecideAsync(userId, http, clock, by => approvals.RejectAsync(userId, request?.Reason, by, ct));

    /// <summary>{classes: the classes kept (none: the approval is taken away), reason, wheelchairAccessible: false takes it away (ADR 0045)}.</summary>
    private static Task<Results<Ok<ApprovalView>, ProblemHttpResult>> RestrictAsync(string userId, ApproveRequest? request, HttpContext http, DriverApprovals approvals,
        TimeProvider clock, CancellationToken ct) =>
        DecideAsync(userId, http, clock, by => approvals.RestrictAsync(userId, request?.Classes, request?.WheelchairAccessible, request?.Reason, by, ct));

    private static async Task<Results<Ok<ApprovalView>, ProblemHttpResult>> DecideAsync(string userId, HttpContext http, TimeProvider clock, Func<string, Task<Account?>> decide)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        try
        {
            return await decide(CurrentUser.From(http.User)!.UserId) is { } account ? TypedResults.Ok(ApprovalView.Of(account, clock.GetUtcNow(), forSupport: true))
                : Problem(404, $"No account has the id {userId} (or it was erased).");
        }
        catch (ApprovalException ex)
        {
            return Problem(400, ex.Message);
        }
    }

    private static ProblemHttpResult? Refused(HttpContext http) =>
        CurrentUser.From(http.User)?.IsOperator == true ? null : Problem(403, "Only the support desk approves drivers.");

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
