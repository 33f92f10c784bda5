using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.SplitFares;

/// <summary>
/// <c>POST /api/trips/{tripId}/split {email}</c> (ADR 0040): the rider asks another rider, by their account's email, to
/// split the fare. Accounts are the gateway's: it finds the rider of the email and asks trips' gRPC-only
/// <c>InviteToSplit</c> as the caller, with both names. Everything else of a split is trips' own REST, through the proxy.
/// </summary>
public static class SplitFareApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public sealed record InviteRequest(string? Email);

    public static void MapSplitFareApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/trips/{tripId}/split", InviteAsync).RequireAuthorization()
            .WithSummary("Riders: ask another rider, by their email, to split the fare of this ride (at most 3; while it is under way)");

    private static async Task<Results<Ok<Trip>, ValidationProblem, ProblemHttpResult>> InviteAsync(string tripId, InviteRequest? body, HttpContext http,
        AccountService accounts, TripService.TripServiceClient trips, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role != Roles.Rider) return Problem(403, "Only riders split a fare.");
        if (body?.Email is not { Length: > 0 and <= 254 } email || !email.Contains('@'))
        {
            return Invalid("Give the email of the rider to split the fare with.");
        }
        if (await accounts.GetAsync(caller.UserId, ct) is not { DeletedAt: null } requester) return Problem(404, "The account no longer exists.");
        if (await accounts.FindByEmailAsync(AccountService.NormalizeEmail(email), ct) is not { Role: Roles.Rider, Suspension: null } invitee)
        {
            return Invalid("No UberClone rider has this email; they need a rider account to split a fare.");
        }
        try
        {
            return TypedResults.Ok(await trips.InviteToSplitAsync(
                new InviteToSplitRequest { TripId = tripId, InviteeId = invitee.Id, InviteeName = invitee.Name, RequesterName = requester.Name },
                caller.ToMetadata(), DateTime.UtcNow + Deadline, ct));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            return Invalid(ex.Status.Detail.StartsWith("email: ", StringComparison.Ordinal) ? ex.Status.Detail["email: ".Length..] : ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Aborted or StatusCode.FailedPrecondition)
        {
            return Problem(ex.StatusCode switch { StatusCode.NotFound => 404, StatusCode.Aborted => 409, _ => 400 }, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "The trips service is not reachable right now; try again shortly.");
        }
    }

    private static ValidationProblem Invalid(string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = [detail] }, detail: detail, type: Problems.Problems.TypeFor(400));

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
