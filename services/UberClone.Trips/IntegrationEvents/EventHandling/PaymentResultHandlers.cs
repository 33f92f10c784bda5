using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// The rider paid what the trip was owed, a tip added after paying, or a lost item's return fee (ADR 0035; its report
/// tells the apps it is paid too): the trip (or its tip, or the fee) is paid and <c>trip.event.paid</c> tells its driver
/// (a redelivery changes nothing and publishes nothing). A tip the paid amount did not include is asked of payments on
/// its own, in the same write.
/// </summary>
public sealed class PaymentSucceededHandler(TripRepository repository, IOptions<UnpaidReminderRules> reminders, TimeProvider clock, ILogger<PaymentSucceededHandler> logger)
    : IMessageHandler<PaymentSucceededIntegrationEvent>
{
    public async Task HandleAsync(PaymentSucceededIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        var isTip = payment.Purpose == PaymentPurposes.Tip;
        var isReturnFee = payment.Purpose == PaymentPurposes.ItemReturn;
        var now = clock.GetUtcNow();
        var trip = await repository.Trips.UpdateAsync(payment.TripId,
            t => (isTip ? t.MarkTipPaid(payment.Attempt, now)
                : isReturnFee ? t.MarkReturnFeePaid(payment.Attempt, now)
                // A split fare (ADR 0040) is paid by the rider's payment and the invitees' cards together, and ride credit
                // may have paid part of it first (ADR 0051).
                : t.MarkPaid(payment.AmountMinor + payment.SplitPaidMinor + payment.CreditPaidMinor, now, payment.SessionId, payment.CardLabel, payment.CreditPaidMinor))
                .FollowUnpaid(reminders.Value.Times, now, out _),
            t => isReturnFee
                ? [OutboxMessages.Create(Topics.TripPaid, t.Id, new TripPaidIntegrationEvent(
                        t.Id, t.RiderId, t.DriverId, payment.AmountMinor, 0, t.Currency, payment.PaidAt, PaymentPurposes.ItemReturn, payment.CardLabel)),
                    LostItems.Event(t, now)]
                : [OutboxMessages.Create(Topics.TripPaid, t.Id, new TripPaidIntegrationEvent(
                        t.Id, t.RiderId, t.DriverId, isTip ? payment.AmountMinor : t.ChargeDueMinor, isTip ? payment.AmountMinor : t.Tip is { IsSeparate: false } withFare ? withFare.AmountMinor : 0,
                        t.Currency, payment.PaidAt, isTip ? PaymentPurposes.Tip : PaymentPurposes.Fare, payment.CardLabel, isTip ? 0 : payment.SplitPaidMinor,
                        isTip ? 0 : payment.CreditPaidMinor)),
                    .. !isTip && t.TipPaymentRequested ? [TripsApplication.PaymentRequest(t)] : Array.Empty<OutboxMessage>()],
            ct);
        if (trip is null) logger.LogWarning("Payment {SessionId} for unknown trip {TripId} ignored", payment.SessionId, payment.TripId);
    }
}

/// <summary>
/// The payment failed: the trip shows payment_failed and the rider may retry (never overrides paid). The first failure of
/// what the rider owes starts its reminders (ADR 0039), and <c>trip.event.payment_due</c> tells the rider in the same write.
/// </summary>
public sealed class PaymentFailedHandler(TripRepository repository, IOptions<UnpaidReminderRules> reminders, TimeProvider clock, ILogger<PaymentFailedHandler> logger)
    : IMessageHandler<PaymentFailedIntegrationEvent>
{
    public async Task HandleAsync(PaymentFailedIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var started = false;
        var trip = await repository.Trips.UpdateAsync(payment.TripId, t =>
        {
            var next = t.MarkPaymentFailed(payment.Attempt, now, payment.CreditPaidMinor).FollowUnpaid(reminders.Value.Times, now, out var first);
            started = first;
            return next;
        }, t => started ? [UnpaidTrips.Event(t, 0, payment.Reason, now)] : [], ct);
        if (trip is null) logger.LogWarning("Failed payment {SessionId} for unknown trip {TripId} ignored", payment.SessionId, payment.TripId);
    }
}

/// <summary>
/// Money went back to the rider: the trip's receipt shows it (a lost item's return fee given back: its report, and the
/// event's total is the fee's), a fare adjustment, a tip or a return fee given back lowers the driver's earnings, and
/// <c>trip.event.refunded</c> tells them (recorded and published once per refund id; a duplicate payment given back is
/// not the trip's and publishes nothing). A split fare's refund comes as a refund of each rider's payment (ADR 0040): an
/// invitee's part is told to them (<see cref="TripRefundedIntegrationEvent.InviteeId"/>).
/// </summary>
public sealed class PaymentRefundedHandler(TripRepository repository, TimeProvider clock, ILogger<PaymentRefundedHandler> logger)
    : IMessageHandler<PaymentRefundedIntegrationEvent>
{
    public async Task HandleAsync(PaymentRefundedIntegrationEvent refund, MessageContext context, CancellationToken ct)
    {
        var trip = await repository.Trips.UpdateAsync(refund.TripId,
            t => t.RecordRefund(refund.SessionId, refund.RefundId, refund.AmountMinor, refund.RefundedTotalMinor, refund.Kind, clock.GetUtcNow(), refund.RiderId, refund.CreditMinor),
            t => t.Refunds.FirstOrDefault(r => r.Id == refund.RefundId)?.InviteeId is { } invitee
                // An invitee's part of a split fare's refund (ADR 0040): theirs to be told, with what came back to them.
                ? [OutboxMessages.Create(Topics.TripRefunded, t.Id, new TripRefundedIntegrationEvent(
                    t.Id, t.RiderId, t.DriverId, refund.RefundId, refund.AmountMinor, t.RefundedToInviteeMinor(invitee), refund.Kind, t.Currency,
                    t.DriverEarnings?.EarningsMinor, t.UpdatedAt, invitee, refund.CreditMinor))]
                : [OutboxMessages.Create(Topics.TripRefunded, t.Id, new TripRefundedIntegrationEvent(
                    t.Id, t.RiderId, t.DriverId, refund.RefundId, refund.AmountMinor,
                    refund.Kind == RefundKinds.ItemReturn ? t.ReturnFeeRefundedMinor : t.RefundedToRiderMinor, refund.Kind, t.Currency,
                    t.DriverEarnings?.EarningsMinor, t.UpdatedAt, CreditMinor: refund.CreditMinor))],
            ct);
        if (trip is null) logger.LogWarning("Refund {RefundId} for unknown trip {TripId} ignored", refund.RefundId, refund.TripId);
    }
}

/// <summary>
/// An invitee's share of a split fare was charged, or their card declined it and the rider paid it (ADR 0040): the trip
/// records it (the first answer stands) and <c>trip.event.split_changed</c> tells both.
/// </summary>
public sealed class PaymentSplitShareChargedHandler(SplitFares splits) : IMessageHandler<PaymentSplitShareChargedIntegrationEvent>
{
    public Task HandleAsync(PaymentSplitShareChargedIntegrationEvent charged, MessageContext context, CancellationToken ct) =>
        splits.ShareChargedAsync(charged, ct);
}
