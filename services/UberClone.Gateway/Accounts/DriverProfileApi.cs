using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// The driver card a rider sees once a driver is assigned: name and vehicle from the driver's account. Only the trip's
/// own people get it (trips answers NotFound to anyone else, and so does this endpoint).
/// </summary>
public static class DriverProfileApi
{
    /// <summary>RatingAverage is null until riders have rated the driver.</summary>
    public sealed record DriverProfile(string DriverId, string Name, Vehicle? Vehicle, double? RatingAverage, int RatingCount);

    public static RouteHandlerBuilder MapDriverProfileApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trips/{tripId}/driver", GetAsync).RequireAuthorization();

    private static async Task<Results<Ok<DriverProfile>, ProblemHttpResult>> GetAsync(
        string tripId, HttpContext http, TripService.TripServiceClient trips, AccountStore accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        Trip trip;
        try
        {
            trip = await trips.GetTripAsync(new GetTripRequest { TripId = tripId }, caller.ToMetadata(), cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return Problem(ex.StatusCode == StatusCode.NotFound ? 404 : 400, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "The trips service is not reachable right now; try again shortly.");
        }
        if (trip.Driver is null || string.IsNullOrEmpty(trip.Driver.DriverId))
        {
            return Problem(404, "No driver is assigned to this trip yet.");
        }
        var account = (await accounts.Accounts.GetAsync(trip.Driver.DriverId, ct))?.Document;
        return account is null
            ? Problem(404, "The assigned driver's profile was not found.")
            : TypedResults.Ok(new DriverProfile(account.Id, account.Name, account.Vehicle,
                trip.Driver.RatingCount > 0 ? trip.Driver.RatingAverage : null, trip.Driver.RatingCount));
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
