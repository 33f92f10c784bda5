using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts.Payments;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Payments;

namespace UberClone.Trips.Tests;

/// <summary>How trips reads payments' answers to checking a card chosen for a ride booked for later.</summary>
public class PaymentsFareHoldsTests
{
    /// <summary>Payments answering every call with <paramref name="status"/> (null: CheckCard answers the card's label).</summary>
    private sealed class Payments(Status? status) : CallInvoker
    {
        public DateTime? Deadline { get; private set; }

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            Deadline = options.Deadline;
            var answer = status is { } s
                ? Task.FromException<TResponse>(new RpcException(s))
                : Task.FromResult((TResponse)(object)new CheckCardResponse { CardLabel = "Visa •••• 4242" });
            return new AsyncUnaryCall<TResponse>(answer, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }

    private static (PaymentsFareHolds Holds, Payments Payments) Create(Status? status)
    {
        var payments = new Payments(status);
        return (new PaymentsFareHolds(new PaymentService.PaymentServiceClient(payments), NullLogger<PaymentsFareHolds>.Instance), payments);
    }

    [Fact]
    public async Task A_card_payments_accepts_passes_and_is_asked_with_the_checks_own_deadline()
    {
        var (holds, payments) = Create(null);
        var before = DateTime.UtcNow;
        await holds.CheckCardAsync("rider-1", "card_1", TestContext.Current.CancellationToken);
        Assert.InRange(payments.Deadline!.Value, before + PaymentsFareHolds.CheckDeadline, DateTime.UtcNow + PaymentsFareHolds.CheckDeadline);
    }

    [Fact]
    public async Task A_card_payments_refuses_is_a_rule_the_rider_is_told()
    {
        var (holds, _) = Create(new Status(StatusCode.FailedPrecondition, "That card is not one of your saved cards."));
        var refused = await Assert.ThrowsAsync<TripRuleException>(() => holds.CheckCardAsync("rider-1", "card_1", TestContext.Current.CancellationToken));
        Assert.Equal("That card is not one of your saved cards.", refused.Message);
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    public async Task A_card_payments_cannot_check_is_not_taken_unchecked_but_refused_for_now(StatusCode code)
    {
        var (holds, _) = Create(new Status(code, "payments is busy"));
        var refused = await Assert.ThrowsAsync<PaymentsUnavailableException>(() => holds.CheckCardAsync("rider-1", "card_1", TestContext.Current.CancellationToken));
        Assert.Contains("to check that card; nothing was changed", refused.Message);
    }
}
