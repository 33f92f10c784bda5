using Grpc.Core;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Payments;
using UberClone.Payments.Application;
using UberClone.Payments.Cards;

namespace UberClone.Payments.Grpc;

public sealed class PaymentGrpcService(PaymentsApplication payments, CardsApplication cards, TimeProvider clock) : PaymentService.PaymentServiceBase
{
    public override async Task<CardList> ListMyCards(ListMyCardsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        caller.RequireRole(Roles.Rider);
        // The list the rider's own GET /api/payments/cards gives, in its order.
        var view = CardsApi.View(await cards.WalletAsync(caller.UserId, context.CancellationToken), clock.GetUtcNow());
        var list = new CardList();
        list.Cards.AddRange(view.Cards.Select(c => new SavedCard
        {
            Id = c.Id, Brand = c.Brand, Last4 = c.Last4, ExpMonth = c.ExpMonth, ExpYear = c.ExpYear, Label = c.Label,
            IsDefault = c.IsDefault, AddedAt = c.AddedAt.ToString("O"),
        }));
        return list;
    }

    public override async Task<PaymentSession> GetTripPayment(GetTripPaymentRequest request, ServerCallContext context)
    {
        // A trip's payment is the rider's business (and support's): drivers see their earnings in trips, not the rider's payment.
        var caller = Caller.From(context);
        if (!caller.IsOperator) caller.RequireRole(Roles.Rider);
        if (string.IsNullOrWhiteSpace(request.TripId) || request.TripId.Length > 64)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tripId is not a valid id."));
        }
        var session = await payments.LatestForTripAsync(request.TripId, context.CancellationToken);
        if (session is null || (!caller.IsOperator && session.RiderId != caller.UserId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No payment for trip {request.TripId}."));
        }
        return new PaymentSession
        {
            SessionId = session.Id,
            TripId = session.TripId,
            RiderId = session.RiderId,
            Amount = new Money { AmountMinor = session.AmountMinor, Currency = session.Currency },
            Status = session.Status,
            CheckoutUrl = session.CheckoutUrl,
            CreatedAt = session.CreatedAt.ToString("O"),
            RefundedMinor = session.RefundedMinor,
            Attempt = session.Attempt,
            FailureReason = session.FailureReason ?? "",
            Purpose = session.Purpose,
            Method = session.Method,
            CardLabel = session.CardLabel ?? "",
        };
    }
}
