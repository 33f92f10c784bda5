using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Http;

namespace UberClone.Payments.Credit;

public sealed record CreditBalanceView(string Currency, long BalanceMinor);

/// <summary>One line of the rider's credit; <see cref="By"/> (who added it) only in support's view.</summary>
public sealed record CreditEntryView(string Id, string Kind, long AmountMinor, string Currency, string Reason, string? TripId, DateTimeOffset At, string? By = null);

/// <summary>
/// The rider's ride credit: a balance per currency they had credit in, and the newest lines of all of them; the most one
/// grant gives, and in which currency a grant naming none is (<c>Credit:MaxGrantMinor</c>, <c>Credit:Currency</c>).
/// </summary>
public sealed record CreditView(IReadOnlyList<CreditBalanceView> Balances, IReadOnlyList<CreditEntryView> Entries, long MaxGrantMinor, string Currency);

/// <summary>
/// Ride credit (ADR 0051), through the gateway (which says who calls in <c>x-user-id</c> / <c>x-user-role</c>):
/// GET /api/payments/credit (the rider's own, under "Payment methods"); support reads a rider's with GET
/// /api/payments/riders/{riderId}/credit and gives credit with POST /api/payments/riders/{riderId}/credit {amountMinor,
/// currency?, reason, grantId?} (at most <c>Credit:MaxGrantMinor</c>; the gateway's audit trail keeps it as
/// <c>credit.granted</c>). A fare is refunded as credit by the refunds route's kind <c>credit</c>.
/// </summary>
public static class CreditApi
{
    /// <summary>How many of the newest lines a view lists.</summary>
    public const int ShownEntries = 20;

    public sealed record GrantBody(long? AmountMinor, string? Currency, string? Reason, string? GrantId);

    public static RouteHandlerBuilder MapCredit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/payments/credit", MineAsync);
        app.MapGet("/api/payments/riders/{riderId}/credit", RidersAsync);
        return app.MapPost("/api/payments/riders/{riderId}/credit", GrantAsync).DisableAntiforgery();
    }

    private static async Task<Results<Ok<CreditView>, ProblemHttpResult>> MineAsync(HttpRequest request, CreditApplication credit, CreditOptions options, CancellationToken ct) =>
        request.UserIn(Roles.Rider) is not { } rider
            ? TypedResults.Problem("Only riders have ride credit.", statusCode: StatusCodes.Status403Forbidden)
            : TypedResults.Ok(View(await credit.OfRiderAsync(rider, ct), options, forSupport: false));

    private static async Task<Results<Ok<CreditView>, ProblemHttpResult>> RidersAsync(string riderId, HttpRequest request, CreditApplication credit, CreditOptions options,
        CancellationToken ct)
    {
        if (!request.IsSupport()) return TypedResults.Problem("Only support reads another rider's credit.", statusCode: StatusCodes.Status403Forbidden);
        if (riderId.Length is 0 or > 64) return BadRequest("riderId is not a valid id.");
        return TypedResults.Ok(View(await credit.OfRiderAsync(riderId, ct), options, forSupport: true));
    }

    private static async Task<Results<Ok<CreditView>, ProblemHttpResult>> GrantAsync(string riderId, GrantBody? body, HttpRequest request, CreditApplication credit,
        CreditOptions options, CancellationToken ct)
    {
        if (request.UserIn(Roles.Operator) is not { } operatorId)
        {
            return TypedResults.Problem("Only support gives ride credit.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (riderId.Length is 0 or > 64) return BadRequest("riderId is not a valid id.");
        if (body is null) return BadRequest("A JSON body {amountMinor, currency?, reason, grantId?} is required.");
        var currency = body.Currency?.Trim().ToUpperInvariant() ?? options.Currency;
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter)) return BadRequest($"currency must be a 3-letter ISO code (omit it for {options.Currency}).");
        if (body.AmountMinor is not { } amount || amount <= 0 || amount > options.MaxGrantMinor)
        {
            return BadRequest($"amountMinor must be a positive integer in minor units, at most {options.MaxGrantMinor} ({Currencies.Display(options.MaxGrantMinor, currency)}).");
        }
        if (body.Reason?.Trim() is not { Length: > 0 and <= 500 } reason) return BadRequest("reason is required (at most 500 characters): the rider is told it.");
        if (body.GrantId is { } given && (given.Length is 0 or > 64 || !given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return BadRequest("grantId must be 1-64 letters, digits, '-' or '_'.");
        }
        var entryId = "grant_" + (body.GrantId ?? Guid.NewGuid().ToString("N"));
        await credit.AddAsync(riderId, entryId, PaymentCreditAddedIntegrationEvent.Grant, amount, currency, operatorId, reason, null, ct);
        return TypedResults.Ok(View(await credit.OfRiderAsync(riderId, ct), options, forSupport: true));
    }

    public static CreditView View(IReadOnlyList<CreditAccount> accounts, CreditOptions options, bool forSupport) => new(
        [.. accounts.Select(a => new CreditBalanceView(a.Currency, a.BalanceMinor))],
        [.. accounts.SelectMany(a => a.Entries.Select(e => new CreditEntryView(e.Id, e.Kind, e.AmountMinor, a.Currency, e.Reason, e.TripId, e.At, forSupport ? e.By : null)))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal).Take(ShownEntries)],
        options.MaxGrantMinor, options.Currency);

    private static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
