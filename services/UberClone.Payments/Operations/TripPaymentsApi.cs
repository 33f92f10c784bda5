using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Http;

namespace UberClone.Payments.Operations;

/// <summary>
/// GET /api/payments/trips/{tripId}/sessions: every payment of a trip with its refunds, newest first, for the support
/// desk (role <c>operator</c>, from the gateway's <c>x-user-role</c>). A rider reads their current one through
/// GetTripPayment instead.
/// </summary>
public static class TripPaymentsApi
{
    public sealed record RefundView(string RefundId, long AmountMinor, string Kind, string Reason, string Status, string? RequestedBy, DateTimeOffset CreatedAt);

    public sealed record SessionView(
        string SessionId, string Purpose, int Attempt, string Status, long AmountMinor, long RefundedMinor, string Currency,
        string Provider, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? FailureReason, IReadOnlyList<RefundView> Refunds,
        string Method, string? CardLabel)
    {
        public static SessionView Of(PaymentSession s) => new(
            s.Id, s.Purpose, s.Attempt, s.Status, s.AmountMinor, s.RefundedMinor, s.Currency, s.Provider, s.CreatedAt, s.UpdatedAt, s.FailureReason,
            s.Refunds.Select(r => new RefundView(r.Id, r.AmountMinor, r.Kind, r.Reason, r.Completed ? "succeeded" : "pending", r.RequestedBy, r.CreatedAt)).ToList(),
            s.Method, s.CardLabel);
    }

    public sealed record TripPayments(string TripId, IReadOnlyList<SessionView> Sessions);

    public static RouteHandlerBuilder MapTripPayments(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/payments/trips/{tripId}/sessions", ListAsync);

    private static async Task<Results<Ok<TripPayments>, ProblemHttpResult>> ListAsync(string tripId, HttpRequest request, PaymentsApplication payments, CancellationToken ct)
    {
        if (!request.IsSupport())
        {
            return TypedResults.Problem("Only support can list a trip's payments.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (string.IsNullOrWhiteSpace(tripId) || tripId.Length > 64) return TypedResults.Problem("tripId is not a valid id.", statusCode: StatusCodes.Status400BadRequest);
        var sessions = await payments.AllForTripAsync(tripId, ct);
        return sessions.Count == 0
            ? TypedResults.Problem($"No payment for trip {tripId}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(new TripPayments(tripId, sessions.Select(SessionView.Of).ToList()));
    }
}
