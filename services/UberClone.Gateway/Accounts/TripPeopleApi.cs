using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Who is on the other side of a trip, from their account and their ratings: the driver card a rider sees once a
/// driver is assigned (name, vehicle), and the rider card the assigned driver sees (first name). Only the trip's own
/// people get a card (trips answers NotFound to anyone else, and so do these endpoints); only its driver the rider's.
/// </summary>
public static class TripPeopleApi
{
    /// <summary>RatingAverage is null until riders have rated the driver.</summary>
    public sealed record DriverProfile(string DriverId, string Name, Vehicle? Vehicle, double? RatingAverage, int RatingCount);

    /// <summary>The rider's first name only; RatingAverage is null until drivers have rated the rider.</summary>
    public sealed record RiderProfile(string RiderId, string Name, double? RatingAverage, int RatingCount);

    public static void MapTripPeopleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trips/{tripId}/driver", GetDriverAsync).RequireAuthorization();
        app.MapGet("/api/trips/{tripId}/rider", GetRiderAsync).RequireAuthorization();
    }

    private static async Task<Results<Ok<DriverProfile>, ProblemHttpResult>> GetDriverAsync(
        string tripId, HttpContext http, TripService.TripServiceClient trips, AccountStore accounts, CancellationToken ct)
    {
        var (trip, problem) = await ReadTripAsync(tripId, http, trips, ct);
        if (problem is not null) return problem;
        // A ride booked for later that a driver reserved (ADR 0047) shows who will come before anyone is assigned.
        var driverId = trip!.Driver is { DriverId.Length: > 0 } assigned ? assigned.DriverId : trip.Reservation?.DriverId;
        if (string.IsNullOrEmpty(driverId))
        {
            return Problem(404, "No driver is assigned to this trip yet.");
        }
        var account = (await accounts.Accounts.GetAsync(driverId, ct))?.Document;
        var rating = trip.Driver is { DriverId.Length: > 0 } ? trip.Driver : null;
        return account is null ? Problem(404, "The assigned driver's profile was not found.")
            : account.DeletedAt is not null ? Problem(404, "The driver deleted their account.")
            : TypedResults.Ok(new DriverProfile(account.Id, account.Name, account.Vehicle,
                rating is { RatingCount: > 0 } ? rating.RatingAverage : null, rating?.RatingCount ?? 0));
    }

    private static async Task<Results<Ok<RiderProfile>, ProblemHttpResult>> GetRiderAsync(
        string tripId, HttpContext http, TripService.TripServiceClient trips, AccountStore accounts, CancellationToken ct)
    {
        var (trip, problem) = await ReadTripAsync(tripId, http, trips, ct);
        if (problem is not null) return problem;
        // Trips adds the rider's rating only to the assigned driver's view: anyone else (the rider included) has no rider card.
        if (trip!.RiderRatingSummary is not { } rating || trip.Driver?.DriverId != CurrentUser.From(http.User)!.UserId)
        {
            return Problem(404, $"Trip {tripId} was not found.");
        }
        var account = (await accounts.Accounts.GetAsync(trip.RiderId, ct))?.Document;
        if (account?.DeletedAt is not null) return Problem(404, "The rider deleted their account.");
        return account is null
            ? Problem(404, "The rider's profile was not found.")
            : TypedResults.Ok(new RiderProfile(account.Id, Sharing.SharedTripApi.FirstName(account.Name), rating.Count > 0 ? rating.Average : null, rating.Count));
    }

    /// <summary>The trip as the caller may see it, or the problem to answer instead.</summary>
    internal static async Task<(Trip? Trip, ProblemHttpResult? Problem)> ReadTripAsync(string tripId, HttpContext http, TripService.TripServiceClient trips, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        try
        {
            return (await trips.GetTripAsync(new GetTripRequest { TripId = tripId }, caller.ToMetadata(), cancellationToken: ct), null);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return (null, Problem(ex.StatusCode == StatusCode.NotFound ? 404 : 400, ex.Status.Detail));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return (null, Problem(503, "The trips service is not reachable right now; try again shortly."));
        }
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
