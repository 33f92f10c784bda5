using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;
using UberClone.Storage;

namespace UberClone.Gateway.Places;

/// <summary>
/// /api/me/places: the signed-in user's saved places. GET lists them; PUT /api/me/places/{label} {lat, lng} saves one
/// (or moves it); DELETE removes one. Each answers the whole list, in the order the places were first saved.
/// </summary>
public static class SavedPlacesApi
{
    public sealed record PlaceBody(double? Lat, double? Lng);

    public static void MapSavedPlacesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/places").RequireAuthorization();
        group.MapGet("", ListAsync);
        group.MapPut("/{label}", SaveAsync);
        group.MapDelete("/{label}", RemoveAsync);
    }

    private static async Task<Ok<SavedPlaces>> ListAsync(HttpContext http, AccountStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Places.GetAsync(UserId(http), ct))?.Document ?? SavedPlaces.None);

    private static async Task<Results<Ok<SavedPlaces>, ProblemHttpResult>> SaveAsync(string label, PlaceBody? body, HttpContext http, AccountStore store, CancellationToken ct)
    {
        var clean = SavedPlaces.CleanLabel(label);
        if (clean is null) return Problem(400, $"A place's label is 1 to {SavedPlaces.MaxLabelLength} characters, e.g. Home.");
        if (body is not { Lat: { } lat, Lng: { } lng } || !double.IsFinite(lat) || !double.IsFinite(lng) || Math.Abs(lat) > 90 || Math.Abs(lng) > 180 || (lat == 0 && lng == 0))
        {
            return Problem(400, "A place needs lat in [-90, 90] and lng in [-180, 180] (not 0, 0).");
        }
        try
        {
            return TypedResults.Ok(await ChangeAsync(store, UserId(http), places => places.Save(new SavedPlace(clean, lat, lng)), ct));
        }
        catch (PlaceRuleException ex)
        {
            return Problem(409, ex.Message);
        }
    }

    private static async Task<Ok<SavedPlaces>> RemoveAsync(string label, HttpContext http, AccountStore store, CancellationToken ct) =>
        TypedResults.Ok(await ChangeAsync(store, UserId(http), places => places.Remove(label.Trim()), ct));

    /// <summary>Read-decide-write on the user's one document, made on first save; a concurrent first save is read again.</summary>
    private static async Task<SavedPlaces> ChangeAsync(AccountStore store, string userId, Func<SavedPlaces, SavedPlaces> change, CancellationToken ct)
    {
        while (true)
        {
            if (await store.Places.UpdateAsync(userId, change, ct: ct) is { } updated) return updated;
            var first = change(SavedPlaces.None);
            if (ReferenceEquals(first, SavedPlaces.None)) return first;
            try
            {
                return (await store.Places.InsertAsync(userId, first, ct: ct)).Document;
            }
            catch (DuplicateDocumentException)
            {
                // Saved from another tab at the same moment: change what is there now.
            }
        }
    }

    private static string UserId(HttpContext http) => CurrentUser.From(http.User)!.UserId;

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
