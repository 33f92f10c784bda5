using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Http;

namespace UberClone.Payments.Cards;

public sealed record CardView(string Id, string Brand, string Last4, int ExpMonth, int ExpYear, string Label, bool IsDefault, bool Expired, DateTimeOffset AddedAt);

public sealed record WalletView(IReadOnlyList<CardView> Cards, string? DefaultCardId, int MaxCards);

public sealed record CardSetupView(string SetupId, string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// A rider's saved cards (ADR 0024), through the gateway (which says who calls in <c>x-user-id</c> / <c>x-user-role</c>):
/// GET /api/payments/cards; POST /api/payments/cards/setup (the provider's page to add one); POST
/// /api/payments/cards/{cardId}/default; DELETE /api/payments/cards/{cardId}. Riders only (drivers do not pay). Support
/// reads a rider's (GET /api/payments/riders/{riderId}/cards) to answer "which card do you charge?", and removes one for
/// them (POST /api/payments/riders/{riderId}/cards/{cardId}/remove with a reason: a card reported stolen, a rider who
/// cannot sign in; the gateway's audit trail keeps who and why).
/// </summary>
public static class CardsApi
{
    public static RouteGroupBuilder MapCards(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/payments/cards");
        group.MapGet("", ListAsync);
        group.MapPost("/setup", SetupAsync).DisableAntiforgery();
        group.MapPost("/{cardId}/default", MakeDefaultAsync).DisableAntiforgery();
        group.MapDelete("/{cardId}", RemoveAsync);
        app.MapGet("/api/payments/riders/{riderId}/cards", RidersCardsAsync);
        app.MapPost("/api/payments/riders/{riderId}/cards/{cardId}/remove", SupportRemoveAsync).DisableAntiforgery();
        return group;
    }

    public sealed record SupportRemoval(string? Reason);

    private static async Task<Results<Ok<WalletView>, ProblemHttpResult>> SupportRemoveAsync(string riderId, string cardId, SupportRemoval? body,
        HttpRequest request, CardsApplication cards, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        if (!request.IsSupport()) return TypedResults.Problem("Only support removes another rider's card.", statusCode: StatusCodes.Status403Forbidden);
        if (riderId.Length is 0 or > 64) return TypedResults.Problem("riderId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        if (cardId.Length is 0 or > 64) return TypedResults.Problem("cardId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        if (body?.Reason?.Trim() is not { Length: > 0 and <= 500 } reason)
        {
            return TypedResults.Problem("Say why the card is removed (reason, at most 500 characters): the rider's trail keeps it.", statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            var wallet = await cards.RemoveAsync(riderId, cardId, ct, supportReason: reason);
            logs.CreateLogger(typeof(CardsApi)).LogInformation("Support removed card {CardId} of rider {RiderId}: {Reason}", cardId, riderId, reason);
            return TypedResults.Ok(View(wallet, clock.GetUtcNow()));
        }
        catch (CardNotFoundException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }

    private static async Task<Results<Ok<WalletView>, ProblemHttpResult>> RidersCardsAsync(string riderId, HttpRequest request, CardsApplication cards,
        TimeProvider clock, CancellationToken ct)
    {
        if (!request.IsSupport())
        {
            return TypedResults.Problem("Only support reads another rider's cards.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (riderId.Length is 0 or > 64) return TypedResults.Problem("riderId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        return TypedResults.Ok(View(await cards.WalletAsync(riderId, ct), clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<WalletView>, ProblemHttpResult>> ListAsync(HttpRequest request, CardsApplication cards, TimeProvider clock, CancellationToken ct) =>
        Rider(request) is not { } rider ? Forbidden() : TypedResults.Ok(View(await cards.WalletAsync(rider, ct), clock.GetUtcNow()));

    private static async Task<Results<Created<CardSetupView>, ProblemHttpResult>> SetupAsync(HttpRequest request, CardsApplication cards, CancellationToken ct)
    {
        if (Rider(request) is not { } rider) return Forbidden();
        try
        {
            var setup = await cards.StartSetupAsync(rider, ct);
            return TypedResults.Created((string?)null, new CardSetupView(setup.Id, setup.Url, setup.ExpiresAt));
        }
        catch (WalletException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static Task<Results<Ok<WalletView>, ProblemHttpResult>> MakeDefaultAsync(string cardId, HttpRequest request, CardsApplication cards, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(request, cardId, clock, (rider, id) => cards.MakeDefaultAsync(rider, id, ct));

    private static Task<Results<Ok<WalletView>, ProblemHttpResult>> RemoveAsync(string cardId, HttpRequest request, CardsApplication cards, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(request, cardId, clock, (rider, id) => cards.RemoveAsync(rider, id, ct));

    private static async Task<Results<Ok<WalletView>, ProblemHttpResult>> ChangeAsync(HttpRequest request, string cardId, TimeProvider clock, Func<string, string, Task<Wallet>> change)
    {
        if (Rider(request) is not { } rider) return Forbidden();
        if (cardId.Length is 0 or > 64) return TypedResults.Problem("cardId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        try
        {
            return TypedResults.Ok(View(await change(rider, cardId), clock.GetUtcNow()));
        }
        catch (CardNotFoundException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }

    public static WalletView View(Wallet? wallet, DateTimeOffset now) => new(
        (wallet?.Cards ?? []).OrderByDescending(c => c.AddedAt)
            .Select(c => new CardView(c.Id, c.Brand, c.Last4, c.ExpMonth, c.ExpYear, c.Label, c.Id == wallet!.DefaultCardId, c.IsExpired(now), c.AddedAt)).ToList(),
        wallet?.DefaultCardId, Wallet.MaxCards);

    private static string? Rider(HttpRequest request) => request.UserIn(Roles.Rider);

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("Only riders save cards: drivers are paid, not charged.", statusCode: StatusCodes.Status403Forbidden);
}
