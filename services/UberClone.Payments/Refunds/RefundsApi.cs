using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Http;

namespace UberClone.Payments.Refunds;

public sealed record RefundBody(long? AmountMinor, string? Reason, string? RefundId, string? Kind);

/// <summary>
/// A refund: of one payment, or of a split fare (ADR 0040) shared among its riders' payments, each in
/// <see cref="Parts"/> (the first's session the fields above name; <see cref="AmountMinor"/> is their sum).
/// <see cref="CreditMinor"/>: the part that went to ride credit (ADR 0051), the rest went back to the card.
/// </summary>
public sealed record RefundResponse(string RefundId, string TripId, string SessionId, long AmountMinor, long RefundedTotalMinor, string Currency, string Status, string Kind,
    IReadOnlyList<RefundPartResponse>? Parts = null, long CreditMinor = 0);

/// <summary>What one rider's payment of a split fare gave back of a refund.</summary>
public sealed record RefundPartResponse(string RefundId, string SessionId, string RiderId, long AmountMinor, long RefundedTotalMinor, string Status);

/// <summary>
/// POST /api/payments/trips/{tripId}/refunds {amountMinor?, reason, refundId?, kind?}: full (amount omitted) or partial
/// refunds; kind <c>goodwill</c> (default: the platform bears it) or <c>fare_adjustment</c> (the driver earns as if the
/// fare had been lower) refund the fare (or cancellation fee), a split fare's shared among the riders who paid it (ADR
/// 0040; each rider's part in <c>parts</c>); <c>tip</c> refunds a tip paid on its own; <c>credit</c> gives the fare back as the
/// rider's ride credit (ADR 0051), the only refund of a fare paid in cash. What ride credit paid of a fare is refundable
/// too: a refund goes back to the card as far as the card paid, the rest to ride credit (<c>creditMinor</c>).
/// Who may refund: a support account (role <c>operator</c>, as the gateway says in <c>x-user-role</c>), or whoever
/// presents the payments operator key (PAYMENTS_OPERATOR_KEY) in <c>x-operator-key</c> on top of the gateway's sign-in
/// (scripts). Riders and drivers cannot refund, the rider of the trip included. The refund records who asked. A
/// refundId makes a retried request resume the same refund instead of refunding twice.
/// </summary>
public static class RefundsApi
{
    public const string OperatorKeyHeader = "x-operator-key";

    public static RouteHandlerBuilder MapRefunds(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/payments/trips/{tripId}/refunds", RefundAsync).DisableAntiforgery();

    private static async Task<Results<Ok<RefundResponse>, ProblemHttpResult>> RefundAsync(
        string tripId, RefundBody? body, HttpRequest request, PaymentsApplication payments, PaymentsOptions options, CancellationToken ct)
    {
        if (RequestedBy(request, options) is not { } requestedBy)
        {
            return TypedResults.Problem("Only an operator can refund a payment.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (string.IsNullOrWhiteSpace(tripId) || tripId.Length > 64) return BadRequest("tripId is not a valid id.");
        if (body is null) return BadRequest("A JSON body {amountMinor?, reason, refundId?, kind?} is required.");
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500) return BadRequest("reason is required (at most 500 characters).");
        if (body.AmountMinor is <= 0) return BadRequest("amountMinor must be a positive integer in minor units (omit it for a full refund).");
        if (body.RefundId is { } given && (given.Length is 0 or > 64 || !given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return BadRequest("refundId must be 1-64 letters, digits, '-' or '_'.");
        }
        var kind = body.Kind ?? RefundKinds.Goodwill;
        if (!RefundKinds.IsOperatorKind(kind))
        {
            return BadRequest($"kind must be '{RefundKinds.Goodwill}' (the platform bears the refund; the default), '{RefundKinds.FareAdjustment}' (the driver earns as if the fare had been lower), '{RefundKinds.Tip}' (a tip paid on its own given back; the driver no longer earns it), '{RefundKinds.ItemReturn}' (a lost item's return fee given back; the driver no longer earns it) or '{RefundKinds.Credit}' (the fare given back as the rider's ride credit, not to the card; a fare paid in cash too).");
        }

        if (await payments.LatestForTripAsync(tripId, ct) is null)
        {
            return TypedResults.Problem($"No payment for trip {tripId}.", statusCode: StatusCodes.Status404NotFound);
        }
        var refundId = body.RefundId ?? Guid.NewGuid().ToString("N");
        try
        {
            var parts = await payments.RefundTripAsync(tripId, refundId, body.AmountMinor, body.Reason.Trim(), kind, requestedBy, ct);
            var (session, refund) = (parts[0].Session, parts[0].Refund);
            return TypedResults.Ok(new RefundResponse(refundId, session.TripId, session.Id, parts.Sum(p => p.Refund.AmountMinor), session.RefundedMinor, session.Currency,
                session.Status, refund.Kind, parts.Count > 1 || session.Purpose == PaymentPurposes.SplitShare
                    ? [.. parts.Select(p => new RefundPartResponse(p.Refund.Id, p.Session.Id, p.Session.RiderId, p.Refund.AmountMinor, p.Session.RefundedMinor, p.Session.Status))]
                    : null,
                parts.Sum(p => p.Refund.ToCreditMinor)));
        }
        catch (RefundRejectedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    /// <summary>Who is refunding: the support account's id, <c>operator-key</c>, or null when the caller may not refund.</summary>
    private static string? RequestedBy(HttpRequest request, PaymentsOptions options) =>
        request.UserIn(Roles.Operator)
            ?? (IsOperator(request.Headers[OperatorKeyHeader].ToString(), options.OperatorKey) ? "operator-key" : null);

    private static bool IsOperator(string presented, string? configured) =>
        configured is not null && presented.Length > 0 &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
