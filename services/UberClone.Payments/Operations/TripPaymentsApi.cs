using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Http;

namespace UberClone.Payments.Operations;

/// <summary>
/// GET /api/payments/trips/{tripId}/sessions: every payment of a trip with its refunds, newest first, for the support
/// desk (role <c>operator</c>, from the gateway's <c>x-user-role</c>), and the hold placed on the rider's card at
/// booking (ADR 0027). Each payment names its rider: of a split fare (ADR 0040), an invitee's share is theirs. A rider reads their current one through GetTripPayment instead.
/// </summary>
public static class TripPaymentsApi
{
    public sealed record RefundView(string RefundId, long AmountMinor, string Kind, string Reason, string Status, string? RequestedBy, DateTimeOffset CreatedAt, long CreditMinor = 0);

    public sealed record SessionView(
        string SessionId, string Purpose, int Attempt, string Status, long AmountMinor, long RefundedMinor, string Currency,
        string Provider, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? FailureReason, IReadOnlyList<RefundView> Refunds,
        string Method, string? CardLabel, bool FromHold, string RiderId, long CreditPaidMinor = 0)
    {
        public static SessionView Of(PaymentSession s) => new(
            s.Id, s.Purpose, s.Attempt, s.Status, s.AmountMinor, s.RefundedMinor, s.Currency, s.Provider, s.CreatedAt, s.UpdatedAt, s.FailureReason,
            s.Refunds.Select(r => new RefundView(r.Id, r.AmountMinor, r.Kind, r.Reason, r.Completed ? "succeeded" : "pending", r.RequestedBy, r.CreatedAt, r.ToCreditMinor)).ToList(),
            s.Method, s.CardLabel, s.FromHold, s.RiderId, s.CreditPaidMinor);
    }

    /// <summary>
    /// The booking's hold: placing | authenticating | held | declined | capturing | captured | releasing | released, and why
    /// it ended; how many times a new destination raised it (ADR 0029) and the rider moved it to another card (ADR 0032),
    /// one in flight, and the last raise's decline.
    /// </summary>
    public sealed record HoldView(string Status, long AmountMinor, string Currency, string CardLabel, long CapturedMinor, string? DeclineCode, string? EndReason,
        int Attempt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Raises, long? RaisingToMinor, string? RaiseDeclineCode, int Moves)
    {
        public static HoldView Of(FareHold h) =>
            new(h.Status, h.AmountMinor, h.Currency, h.CardLabel, h.CapturedMinor, h.DeclineCode, h.EndReason, h.Attempt, h.CreatedAt, h.UpdatedAt,
                h.Raises - h.MovesAsked, h.RaisingCardId is null ? h.RaisingToMinor : null, h.RaiseDeclineCode, h.Moves);
    }

    public sealed record TripPayments(string TripId, IReadOnlyList<SessionView> Sessions, HoldView? Hold);

    public static RouteHandlerBuilder MapTripPayments(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/payments/trips/{tripId}/sessions", ListAsync);

    private static async Task<Results<Ok<TripPayments>, ProblemHttpResult>> ListAsync(string tripId, HttpRequest request, PaymentsApplication payments,
        Holds.FareHolds holds, CancellationToken ct)
    {
        if (!request.IsSupport())
        {
            return TypedResults.Problem("Only support can list a trip's payments.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (string.IsNullOrWhiteSpace(tripId) || tripId.Length > 64) return TypedResults.Problem("tripId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        var sessions = await payments.AllForTripAsync(tripId, ct);
        var hold = await holds.GetAsync(tripId, ct);
        return sessions.Count == 0 && hold is null
            ? TypedResults.Problem($"No payment for trip {tripId}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(new TripPayments(tripId, sessions.Select(SessionView.Of).ToList(), hold is null ? null : HoldView.Of(hold)));
    }
}
