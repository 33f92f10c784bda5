using Grpc.Core;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Grpc;

/// <summary>The domain's refusals as gRPC statuses (and, through the gateway, HTTP problems).</summary>
internal static class DomainErrors
{
    public static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        // To anyone who is not part of a trip it does not exist (whichever path found that out).
        catch (Exception ex) when (ex is TripNotFoundException or TripNotYoursException or HelpRequestNotFoundException or PromotionNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (Exception ex) when (ex is TripRuleException or TripTransitionException or PromotionRuleException or CardDeclinedException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (PromotionExistsException ex)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
        }
        // The price changed since the rider agreed to it: they confirm again (HTTP 409).
        catch (Exception ex) when (ex is CancellationFeeNotAcceptedException or FareNotAcceptedException)
        {
            throw new RpcException(new Status(StatusCode.Aborted, ex.Message));
        }
    }
}
