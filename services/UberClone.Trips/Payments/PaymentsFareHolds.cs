using Grpc.Core;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Payments;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Payments;

/// <summary>
/// <see cref="IFareHolds"/> over payments' gRPC service, called as the rider who books. A booking waits at most
/// <see cref="Deadline"/> for the bank: payments or the provider not answering books the trip without a hold.
/// </summary>
public sealed class PaymentsFareHolds(PaymentService.PaymentServiceClient payments, ILogger<PaymentsFareHolds> logger) : IFareHolds
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    /// <summary>How long checking a card may take: a read in payments, no bank, so a slow answer means a loaded payments.</summary>
    public static readonly TimeSpan CheckDeadline = TimeSpan.FromSeconds(10);

    public async Task<FareHoldAnswer?> HoldAsync(string riderId, string tripId, long amountMinor, string currency, string? cardId, bool riderPresent, CancellationToken ct)
    {
        try
        {
            var hold = await payments.HoldFareAsync(new HoldFareRequest
                {
                    TripId = tripId, Amount = new Money { AmountMinor = amountMinor, Currency = currency }, CardId = cardId ?? "", RiderPresent = riderPresent,
                },
                new Caller(riderId, Roles.Rider).ToMetadata(), DateTime.UtcNow + Deadline, ct);
            return Answer(hold, amountMinor, currency);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // The card the rider chose cannot be used (removed, expired): payments says why.
            throw new TripRuleException(ex.Status.Detail);
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("No hold for trip {TripId}: payments answered {Status} ({Detail}); booking without one.", tripId, ex.StatusCode, ex.Status.Detail);
            return null;
        }
    }

    private static FareHoldAnswer Answer(FareHold hold, long amountMinor, string currency) =>
        new(hold.Status, hold.CardLabel is { Length: > 0 } label ? label : null, hold.DeclineCode is { Length: > 0 } code ? code : null,
            hold.Amount?.AmountMinor ?? amountMinor, hold.Amount?.Currency is { Length: > 0 } c ? c : currency,
            hold.AuthenticationUrl is { Length: > 0 } url ? url : null, hold.RaiseDeclineCode is { Length: > 0 } raise ? raise : null, hold.Version,
            hold.CardId is { Length: > 0 } card ? card : null);

    public async Task<FareHoldAnswer?> RaiseAsync(string riderId, string tripId, long amountMinor, string currency, CancellationToken ct)
    {
        try
        {
            var hold = await payments.RaiseFareHoldAsync(new RaiseFareHoldRequest { TripId = tripId, Amount = new Money { AmountMinor = amountMinor, Currency = currency } },
                new Caller(riderId, Roles.Rider).ToMetadata(), DateTime.UtcNow + Deadline, ct);
            return hold.Status == "none" ? null : Answer(hold, amountMinor, currency);
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The hold of trip {TripId} was not raised to {Amount} {Currency}: payments answered {Status} ({Detail}).", tripId, amountMinor, currency,
                ex.StatusCode, ex.Status.Detail);
            return null;
        }
    }

    public async Task<FareHoldMove> MoveAsync(string riderId, string tripId, string cardId, long amountMinor, string currency, CancellationToken ct)
    {
        try
        {
            var moved = await payments.MoveFareHoldAsync(new MoveFareHoldRequest { TripId = tripId, CardId = cardId, Amount = new Money { AmountMinor = amountMinor, Currency = currency } },
                new Caller(riderId, Roles.Rider).ToMetadata(), DateTime.UtcNow + Deadline, ct);
            return new FareHoldMove(moved.Hold is { Status: not "none" } hold ? Answer(hold, amountMinor, currency) : null, moved.CardLabel,
                moved.DeclineCode is { Length: > 0 } code ? code : null);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            throw new TripRuleException(ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
        {
            throw new CardHoldBusyException();
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The hold of trip {TripId} was not moved to card {CardId}: payments answered {Status} ({Detail}).", tripId, cardId, ex.StatusCode, ex.Status.Detail);
            throw new PaymentsUnavailableException();
        }
    }

    public async Task CheckCardAsync(string riderId, string cardId, CancellationToken ct)
    {
        try
        {
            await payments.CheckCardAsync(new CheckCardRequest { CardId = cardId }, new Caller(riderId, Roles.Rider).ToMetadata(), DateTime.UtcNow + CheckDeadline, ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            throw new TripRuleException(ex.Status.Detail);
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            // Not taken unchecked: a card that is not the rider's (or expired) would be written to the ride and fail only
            // when its search starts, with nobody there to choose again. Nothing is written yet; the rider tries again.
            logger.LogWarning("Could not check card {CardId} of rider {RiderId}: payments answered {Status} ({Detail}); refused for now.", cardId, riderId,
                ex.StatusCode, ex.Status.Detail);
            throw new PaymentsUnavailableException("Payments did not answer in time to check that card; nothing was changed. Try again in a moment.");
        }
    }

    public async Task ReleaseAsync(string riderId, string tripId, CancellationToken ct)
    {
        try
        {
            await payments.ReleaseFareHoldAsync(new ReleaseFareHoldRequest { TripId = tripId }, new Caller(riderId, Roles.Rider).ToMetadata(),
                DateTime.UtcNow + Deadline, ct);
        }
        catch (RpcException ex)
        {
            // Payments' sweeper releases it after a day.
            logger.LogWarning("Could not release the hold of unbooked trip {TripId}: {Status}", tripId, ex.StatusCode);
        }
    }
}
