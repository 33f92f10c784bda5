using Grpc.Core;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Payments;
using UberClone.Payments.Application;
using UberClone.Payments.Cards;
using UberClone.Payments.Credit;
using UberClone.Payments.Holds;
using UberClone.Payments.Providers;

namespace UberClone.Payments.Grpc;

public sealed class PaymentGrpcService(PaymentsApplication payments, CardsApplication cards, FareHolds holds, CreditApplication credit, TimeProvider clock) : PaymentService.PaymentServiceBase
{
    /// <summary>
    /// Trips books as the rider: the hold is the rider's own (ADR 0027). Once asked, it is placed and answered whatever
    /// happens to the call (trips books without it after 3 s): the answer reaches the trip as payment.event.hold_changed
    /// (ADR 0030), where a hold abandoned half-way would leave the card unheld and the trip never told.
    /// </summary>
    public override async Task<FareHold> HoldFare(HoldFareRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireRole(Roles.Rider);
        ValidTripId(request.TripId);
        if (request.CardId.Length > 64) throw new RpcException(new Status(StatusCode.InvalidArgument, "cardId is not a valid id."));
        var amount = ValidAmount(request.Amount);
        try
        {
            var hold = await holds.PlaceAsync(request.TripId, caller.UserId, amount.AmountMinor, amount.Currency.ToUpperInvariant(), CancellationToken.None,
                request.CardId is { Length: > 0 } cardId ? cardId : null, request.RiderPresent);
            return View(request.TripId, hold);
        }
        catch (Domain.WalletException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (HoldNotYoursException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (PaymentProviderException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The payment provider did not answer: {ex.Message}"));
        }
    }

    public override async Task<FareHold> ReleaseFareHold(ReleaseFareHoldRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireRole(Roles.Rider);
        ValidTripId(request.TripId);
        if (await holds.GetAsync(request.TripId, context.CancellationToken) is not { } hold || hold.RiderId != caller.UserId)
        {
            return View(request.TripId, null);
        }
        try
        {
            return View(request.TripId, await holds.ReleaseAsync(request.TripId, "booking_failed", context.CancellationToken));
        }
        catch (PaymentProviderException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The payment provider did not answer: {ex.Message}"));
        }
    }

    /// <summary>
    /// Trips, as the rider whose new destination costs more (ADR 0029): the hold raised to the new price, finished whatever
    /// happens to the call, as <see cref="HoldFare"/> is.
    /// </summary>
    public override async Task<FareHold> RaiseFareHold(RaiseFareHoldRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireRole(Roles.Rider);
        ValidTripId(request.TripId);
        var amount = ValidAmount(request.Amount);
        try
        {
            return View(request.TripId, await holds.RaiseAsync(request.TripId, caller.UserId, amount.AmountMinor, amount.Currency.ToUpperInvariant(), CancellationToken.None));
        }
        catch (HoldNotYoursException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (PaymentProviderException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The payment provider did not answer: {ex.Message}"));
        }
    }

    /// <summary>
    /// Trips, as the rider moving a ride to another of their cards (ADR 0032): the hold moved to it, or kept with the
    /// bank's decline; finished whatever happens to the call, as <see cref="HoldFare"/> is.
    /// </summary>
    public override async Task<MoveFareHoldResponse> MoveFareHold(MoveFareHoldRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireRole(Roles.Rider);
        ValidTripId(request.TripId);
        if (request.CardId.Length is 0 or > 64) throw new RpcException(new Status(StatusCode.InvalidArgument, "cardId is not a valid id."));
        var amount = ValidAmount(request.Amount);
        try
        {
            var move = await holds.MoveAsync(request.TripId, caller.UserId, request.CardId, amount.AmountMinor, amount.Currency.ToUpperInvariant(), CancellationToken.None);
            return new MoveFareHoldResponse
            {
                Hold = View(request.TripId, move.Hold), CardLabel = move.CardLabel, DeclineCode = move.DeclineCode ?? "",
                CardId = move.DeclineCode is null ? request.CardId : "",
            };
        }
        catch (Domain.WalletException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (HoldNotYoursException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (HoldBusyException ex)
        {
            throw new RpcException(new Status(StatusCode.Aborted, ex.Message));
        }
        catch (PaymentProviderException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The payment provider did not answer: {ex.Message}"));
        }
    }

    private static Money ValidAmount(Money? amount) => amount is { AmountMinor: > 0 and <= 100_000_000 } valid && valid.Currency is { Length: 3 } && valid.Currency.All(char.IsAsciiLetter)
        ? valid
        : throw new RpcException(new Status(StatusCode.InvalidArgument, "amount must be a positive amount in minor units with a 3-letter currency."));

    private static FareHold View(string tripId, Domain.FareHold? hold) => hold is null
        ? new FareHold { TripId = tripId, Status = "none" }
        : new FareHold
        {
            TripId = tripId, Status = hold.Status, CardLabel = hold.CardLabel, DeclineCode = hold.DeclineCode ?? "", AuthenticationUrl = hold.AuthenticationUrl ?? "",
            RaiseDeclineCode = hold.RaiseDeclineCode ?? "", Amount = new Money { AmountMinor = hold.AmountMinor, Currency = hold.Currency },
            Version = hold.UpdatedAt.ToUnixTimeMilliseconds(), CardId = hold.CardId,
        };

    private static void ValidTripId(string tripId)
    {
        if (string.IsNullOrWhiteSpace(tripId) || tripId.Length > 64)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tripId is not a valid id."));
        }
    }

    public override async Task<CheckCardResponse> CheckCard(CheckCardRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireRole(Roles.Rider);
        if (request.CardId.Length is 0 or > 64) throw new RpcException(new Status(StatusCode.InvalidArgument, "cardId is not a valid id."));
        try
        {
            // The same rule as the hold's (CardsApplication.ChosenCardAsync), so a booking for later is refused as one for now is.
            var card = await cards.ChosenCardAsync(caller.UserId, request.CardId, context.CancellationToken);
            return new CheckCardResponse { CardLabel = card!.Card.Label };
        }
        catch (Domain.WalletException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
    }

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

    public override async Task<RideCredit> GetMyRideCredit(GetMyRideCreditRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        caller.RequireRole(Roles.Rider);
        var accounts = await credit.OfRiderAsync(caller.UserId, context.CancellationToken);
        var result = new RideCredit();
        result.Balances.AddRange(accounts.Select(a => new Money { AmountMinor = a.BalanceMinor, Currency = a.Currency }));
        result.Lines.AddRange(accounts.SelectMany(a => a.Entries.Select(e => (a.Currency, Entry: e))).OrderBy(x => x.Entry.At).Select(x => new RideCreditLine
        {
            Id = x.Entry.Id, Kind = x.Entry.Kind, Amount = new Money { AmountMinor = x.Entry.AmountMinor, Currency = x.Currency }, Reason = x.Entry.Reason,
            TripId = x.Entry.TripId ?? "", At = x.Entry.At.ToString("O"),
        }));
        return result;
    }

    public override async Task<PaymentSession> GetTripPayment(GetTripPaymentRequest request, ServerCallContext context)
    {
        // A trip's payment is the rider's business (and support's): drivers see their earnings in trips, not the rider's payment.
        var caller = Caller.From(context);
        if (!caller.IsOperator) caller.RequireRole(Roles.Rider);
        ValidTripId(request.TripId);
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
