using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Http;

namespace UberClone.Payments.Payouts;

/// <summary>
/// <paramref name="TimeZone"/>: the driver's IANA zone weekly payouts follow (Monday 00:00 there), "UTC" when none is known.
/// <paramref name="BankRefusal"/>: the bank refused the provider's last payout to it (the driver is to update the bank account).
/// </summary>
public sealed record PayoutAccountView(string Status, string? Destination, DateTimeOffset? NextPayoutAt, string TimeZone, BankRefusalView? BankRefusal = null);

/// <summary><paramref name="Message"/>: what the driver is told, "the account is closed"; <paramref name="PaidOn"/>: the day the payout was to arrive.</summary>
public sealed record BankRefusalView(string ProviderPayoutId, long AmountMinor, string Currency, string Code, string Message, DateTimeOffset PaidOn, DateTimeOffset At);

public sealed record OwedView(string Currency, long AmountMinor);

public sealed record PayoutView(string Id, long AmountMinor, string Currency, string Trigger, string Status, string? Destination,
    DateTimeOffset EarningsBefore, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, string? FailureReason);

public sealed record CashOutView(long MinimumMinor, int PerDay, int UsedLastDay, string? Refusal);

/// <summary>What the driver owes from cash rides in a currency (ADR 0042), the limit, and whether cash rides are paused for it.</summary>
public sealed record CashLimitView(string Currency, long OwedMinor, long LimitMinor, bool Paused);

public sealed record DriverPayoutsView(PayoutAccountView? Account, IReadOnlyList<OwedView> Owed, CashOutView CashOut, IReadOnlyList<PayoutView> Payouts,
    IReadOnlyList<CashLimitView> CashLimits);

public sealed record OnboardingView(string Url);

/// <summary>
/// A driver's payouts (ADR 0025), through the gateway (which says who calls in <c>x-user-id</c> / <c>x-user-role</c>):
/// GET /api/payments/payouts (what is owed, the account, recent payouts); POST /api/payments/payouts/account (the
/// provider's page to give the bank account); POST /api/payments/payouts (cash out now). Drivers only. Support reads a
/// driver's (GET /api/payments/drivers/{driverId}/payouts) to answer "where is my money?".
/// </summary>
public static class PayoutsApi
{
    public static RouteGroupBuilder MapPayouts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/payments/payouts");
        group.MapGet("", GetAsync);
        group.MapPost("/account", OnboardAsync).DisableAntiforgery();
        group.MapPost("", CashOutAsync).DisableAntiforgery();
        app.MapGet("/api/payments/drivers/{driverId}/payouts", DriversPayoutsAsync);
        return group;
    }

    private static async Task<Results<Ok<DriverPayoutsView>, ProblemHttpResult>> GetAsync(HttpRequest request, PayoutsApplication payouts, CancellationToken ct) =>
        Driver(request) is not { } driver ? Forbidden() : TypedResults.Ok(View(await payouts.OfDriverAsync(driver, ct)));

    private static async Task<Results<Created<OnboardingView>, ProblemHttpResult>> OnboardAsync(HttpRequest request, PayoutsApplication payouts, CancellationToken ct)
    {
        if (Driver(request) is not { } driver) return Forbidden();
        try
        {
            return TypedResults.Created((string?)null, new OnboardingView(await payouts.StartOnboardingAsync(driver, ct)));
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<Ok<DriverPayoutsView>, ProblemHttpResult>> CashOutAsync(HttpRequest request, PayoutsApplication payouts, CancellationToken ct)
    {
        if (Driver(request) is not { } driver) return Forbidden();
        try
        {
            await payouts.CashOutAsync(driver, ct);
            return TypedResults.Ok(View(await payouts.OfDriverAsync(driver, ct)));
        }
        catch (PayoutRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (PaymentProviderException ex)
        {
            // The transfer is resumed by the payout job with the same key; the driver sees it pending.
            return TypedResults.Problem($"The payout was started but the provider has not answered yet; it is retried. {ex.Message}",
                statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<Ok<DriverPayoutsView>, ProblemHttpResult>> DriversPayoutsAsync(string driverId, HttpRequest request, PayoutsApplication payouts,
        CancellationToken ct)
    {
        if (!request.IsSupport())
        {
            return TypedResults.Problem("Only support reads another driver's payouts.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (driverId.Length is 0 or > 64) return TypedResults.Problem("driverId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        return TypedResults.Ok(View(await payouts.OfDriverAsync(driverId, ct)));
    }

    public static DriverPayoutsView View(DriverPayouts state) => new(
        state.Account is { } a ? new PayoutAccountView(a.Status, a.Destination, a.IsEnabled ? a.NextPayoutAt : null, a.Zone().Id,
            a.BankRefusal is { } r ? new BankRefusalView(r.ProviderPayoutId, r.AmountMinor, r.Currency, r.Code, r.Message, r.PaidOn, r.At) : null) : null,
        state.Owed.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new OwedView(o.Key, o.Value)).ToList(),
        new CashOutView(PayoutSchedule.MinimumCashOutMinor, PayoutSchedule.CashOutsPerDay, state.CashOutsLastDay,
            PayoutSchedule.CashOutRefusal(state.Account, state.Owed, state.CashOutsLastDay)),
        state.Recent.Select(p => new PayoutView(p.Id, p.AmountMinor, p.Currency, p.Trigger, p.Status, p.Destination, p.EarningsBefore, p.CreatedAt, p.PaidAt,
            p.FailureReason)).ToList(),
        (state.CashBalances ?? []).Select(c => new CashLimitView(c.Currency, c.OwedMinor, c.LimitMinor, c.Paused)).ToList());

    private static string? Driver(HttpRequest request) => request.UserIn(Roles.Driver);

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("Only drivers are paid out: riders pay, they are not paid.", statusCode: StatusCodes.Status403Forbidden);
}
