using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Sharing;

/// <summary>
/// GET /api/shared-trips/{token}, without signing in: what someone the rider shared the trip with sees (the web app's
/// /share/{token} page reads it every few seconds). The token is the capability: 128 random bits, made by trips when
/// the rider shares. Trips says whether it still shows the trip; the gateway adds first names and the car.
/// </summary>
public static class SharedTripApi
{
    /// <summary>How long trips may take to answer: the page asks again a few seconds later, so a slow read is not waited on.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public sealed record Point(double Lat, double Lng);

    public sealed record SharedDriver(string Name, Vehicle? Vehicle, Point? Location, string? LocationAt);

    /// <summary>A stop on the way (ADR 0023) and whether the car has been there.</summary>
    public sealed record SharedStop(Point Location, bool Reached);

    /// <summary>
    /// EtaSeconds: about how long to the pickup (driver on the way) or to the drop-off through the stops ahead (riding);
    /// null otherwise. PassengerName: who rides when the rider booked for someone else (ADR 0031), and Pin, while the
    /// driver is on the way or waiting, what the driver asks them for: the rider sends them this link.
    /// </summary>
    public sealed record SharedTripView(
        string Status, string VehicleClass, Point Pickup, Point Dropoff, string RiderName, SharedDriver? Driver, int? EtaSeconds,
        string? StartedAt, string? EndedAt, string UpdatedAt, IReadOnlyList<SharedStop> Stops, string? PassengerName, string? Pin);

    /// <summary>Trips makes tokens as 16 random bytes in base64url: 22 letters, digits, '-' or '_'.</summary>
    public static bool IsToken(string token) => token.Length == 22 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static void MapSharedTripApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/shared-trips/{token}", GetAsync).AllowAnonymous();

    private static async Task<Results<Ok<SharedTripView>, ProblemHttpResult>> GetAsync(
        string token, HttpResponse response, TripService.TripServiceClient trips, AccountStore accounts, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        if (!IsToken(token)) return Problem(400, "That is not a shared trip's link: check that it was copied whole.");
        SharedTrip trip;
        try
        {
            trip = await trips.GetSharedTripAsync(new GetSharedTripRequest { Token = token }, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound)
        {
            return Problem(404, "This trip is no longer shared: the rider stopped sharing it, or it ended a while ago.");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "The trips service is not reachable right now; try again shortly.");
        }

        var rider = (await accounts.Accounts.GetAsync(trip.RiderId, ct))?.Document;
        var driver = string.IsNullOrEmpty(trip.DriverId) ? null : (await accounts.Accounts.GetAsync(trip.DriverId, ct))?.Document;
        return TypedResults.Ok(new SharedTripView(
            trip.Status, trip.VehicleClass, new Point(trip.Pickup.Lat, trip.Pickup.Lng), new Point(trip.Dropoff.Lat, trip.Dropoff.Lng),
            FirstName(rider?.Name ?? "The rider"),
            driver is null ? null : new SharedDriver(FirstName(driver.Name), driver.Vehicle is { } v ? v with { Class = trip.VehicleClass } : null,
                trip.DriverLocation is { } at ? new Point(at.Lat, at.Lng) : null, NullIfEmpty(trip.DriverLocationAt)),
            trip.EtaSeconds > 0 ? trip.EtaSeconds : null, NullIfEmpty(trip.StartedAt), NullIfEmpty(trip.EndedAt), trip.UpdatedAt,
            [.. trip.Stops.Select(s => new SharedStop(new Point(s.Location.Lat, s.Location.Lng), s.ReachedAt.Length > 0))],
            NullIfEmpty(trip.PassengerName), NullIfEmpty(trip.Pin)));
    }

    internal static string FirstName(string name) => name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : name;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
