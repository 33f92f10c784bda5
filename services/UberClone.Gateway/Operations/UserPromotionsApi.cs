using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Promotions;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// <c>GET /api/ops/users/{userId}/promotions</c> and <c>POST … {code}</c> (operators only): "my promotion did not
/// apply" is answered by the rider's promotions (rides left, expiry); a rider owed goodwill is given a promotion support
/// created, as if they had added its code themselves. Here rather than straight to trips: the account must be a rider's.
/// </summary>
public static class UserPromotionsApi
{
    public sealed record Amount(long AmountMinor, string Currency);

    public sealed record TermsView(int PercentOff, Amount? AmountOff, Amount? MaxDiscount, string Currency);

    public sealed record PromotionView(string Code, TermsView Terms, int Rides, int RidesLeft, string ExpiresAt, string AddedAt, bool Usable);

    public sealed record PromotionList(IReadOnlyList<PromotionView> Promotions);

    public sealed record GiveRequest(string? Code);

    public static void MapUserPromotionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ops/users/{userId}/promotions").RequireAuthorization();
        group.MapGet("", ListAsync);
        group.MapPost("", GiveAsync);
    }

    private static async Task<Results<Ok<PromotionList>, ProblemHttpResult>> ListAsync(string userId, HttpContext http, AccountService accounts,
        PromotionService.PromotionServiceClient promotions, CancellationToken ct)
    {
        if (await RiderAsync(userId, http, accounts, ct) is { } refused) return refused;
        return await CallAsync(() => promotions.ListRiderPromotionsAsync(new RiderPromotionsRequest { RiderId = userId }, Operator(http), cancellationToken: ct));
    }

    private static async Task<Results<Ok<PromotionList>, ProblemHttpResult>> GiveAsync(string userId, GiveRequest? request, HttpContext http,
        AccountService accounts, PromotionService.PromotionServiceClient promotions, CancellationToken ct)
    {
        if (await RiderAsync(userId, http, accounts, ct) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(request?.Code)) return Problem(400, "code is required: a promotion support created (Promotions on the desk's start page).");
        return await CallAsync(() => promotions.GivePromotionAsync(new GivePromotionRequest { RiderId = userId, Code = request.Code }, Operator(http), cancellationToken: ct));
    }

    /// <summary>A problem unless the caller is support and the account a rider's that is not erased.</summary>
    private static async Task<ProblemHttpResult?> RiderAsync(string userId, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (CurrentUser.From(http.User)?.IsOperator != true) return Problem(403, "Only the support desk can see or give a rider's promotions.");
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        if (await accounts.GetAsync(userId, ct) is not { DeletedAt: null } account) return Problem(404, $"No account has the id {userId} (or it was erased).");
        return account.Role == Roles.Rider ? null : Problem(400, "Promotions are riders': this account is not a rider's.");
    }

    private static Grpc.Core.Metadata Operator(HttpContext http) => new Caller(CurrentUser.From(http.User)!.UserId, Roles.Operator).ToMetadata();

    private static async Task<Results<Ok<PromotionList>, ProblemHttpResult>> CallAsync(Func<AsyncUnaryCall<RiderPromotionList>> call)
    {
        try
        {
            return TypedResults.Ok(new PromotionList((await call()).Promotions.Select(View).ToList()));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound)
        {
            return Problem(404, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            return Problem(400, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "Promotions cannot be reached right now (the trips service is not answering); try again shortly.");
        }
    }

    private static PromotionView View(RiderPromotion p) => new(p.Code,
        new TermsView(p.Terms.PercentOff, Money(p.Terms.AmountOff), Money(p.Terms.MaxDiscount), p.Terms.Currency),
        p.Rides, p.RidesLeft, p.ExpiresAt, p.AddedAt, p.Usable);

    private static Amount? Money(Contracts.Common.Money? money) => money is null ? null : new Amount(money.AmountMinor, money.Currency);

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
