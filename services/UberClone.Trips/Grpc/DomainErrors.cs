using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ErrorInfo = Google.Rpc.ErrorInfo;
using Grpc.Core;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Promotions;
using UberClone.Trips.Schedules;

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
        catch (Exception ex) when (ex is TripNotFoundException or TripNotYoursException or HelpRequestNotFoundException or PromotionNotFoundException or SplitInvitationNotFoundException
            or ReservationStrikeNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (Exception ex) when (ex is TripRuleException or TripTransitionException or PromotionRuleException or CardDeclinedException or CardMoveDeclinedException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        // The bank wants the rider to confirm the hold (ADR 0028): 400 like a decline, with where to go in the status's
        // details (google.rpc.ErrorInfo), which transcoding puts in the body and the gateway turns into the problem's fields.
        catch (CardAuthenticationRequiredException ex)
        {
            throw Detailed(StatusCode.FailedPrecondition, ex.Message, CardAuthenticationRequiredException.Reason,
                ("authenticationUrl", ex.AuthenticationUrl), ("cardLabel", ex.CardLabel),
                ("amountMinor", ex.AmountMinor.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("currency", ex.Currency));
        }
        // A waiver request that lapsed before it was approved (ADR 0053): 409 with its own type (waiver-request-lapsed): ask again.
        catch (WaiverRequestLapsedException ex)
        {
            throw Detailed(StatusCode.Aborted, ex.Message, WaiverRequestLapsedException.Reason);
        }
        // What the rider owes changed since support saw it, or since the waiver to approve was asked (ADR 0053): 409
        // owed-changed, with what is owed now as fields; nothing was waived.
        catch (OwedChangedException ex)
        {
            throw Detailed(StatusCode.Aborted, ex.Message, OwedChangedException.Reason,
                ("owedMinor", ex.OwedMinor.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("currency", ex.Currency));
        }
        // Too many wrong PINs (ADR 0044): 429, with how long to wait in the details, which the gateway makes Retry-After.
        catch (PinAttemptsExceededException ex)
        {
            throw Detailed(StatusCode.ResourceExhausted, ex.Message, PinAttemptsExceededException.Reason,
                ("retryAfterSeconds", Math.Ceiling(ex.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        // A rider their rating restricted books nothing new (ADR 0056): 403 rider-rating-too-low, with the numbers as fields.
        catch (RiderRatingTooLowException ex)
        {
            throw Detailed(StatusCode.PermissionDenied, ex.Message, RiderRatingTooLowException.Reason,
                ("average", ex.Average.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
                ("rated", ex.Rated.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("restrictBelow", ex.RestrictBelow.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
        }
        // Bad input for a split fare (ADR 0040), a PIN setting that is not one, or a start without the PIN the ride
        // needs (ADR 0044), ride preferences that are not ones (ADR 0049): 400 naming the field, as the gRPC layer's own checks.
        // A part of what is owed to waive that is not one (ADR 0053) likewise.
        catch (Exception ex) when (ex is SplitFareInvalidException or PinVerificationInvalidException or PinMissingException or RidePreferencesInvalidException
            or WaiverAmountInvalidException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        // A waiver asked for by the account approving it (ADR 0053): a colleague must.
        catch (WaiverApprovalForbiddenException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (PromotionExistsException ex)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
        }
        // The price changed since the rider agreed to it: they confirm again (HTTP 409). Likewise a note for the driver
        // sent from a screen behind the trip (the ride started meanwhile), a safety check the other side answered first, a lost-item report in another state than the screen showed, or a card asked while the bank is still answering
        // for the ride's hold, a waiver to approve that no longer awaits it or another's already awaiting (ADR 0053), a rider to reinstate who is not restricted (ADR 0056): a conflict with
        // its state, not a bad request.
        catch (Exception ex) when (ex is CancellationFeeNotAcceptedException or FareNotAcceptedException or PickupNoteClosedException or SafetyCheckClosedException or CardHoldBusyException
            or RideProfileClosedException or LostItemClosedException or SplitFareClosedException or RideScheduleClosedException or PickupMoveClosedException
            or RidePreferencesClosedException or ReservationConflictException or WaiverRequestClosedException or WaiverRequestPendingException or RiderNotRestrictedException)
        {
            throw new RpcException(new Status(StatusCode.Aborted, ex.Message));
        }
        catch (PaymentsUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }

    /// <summary>
    /// A status with its own reason (google.rpc.ErrorInfo, domain uberclone.dev) and fields in the status's details, which
    /// transcoding puts in the body and the gateway turns into the problem's type and fields. A null value is left out.
    /// </summary>
    private static RpcException Detailed(StatusCode code, string message, string reason, params (string Key, string? Value)[] fields)
    {
        var info = new ErrorInfo { Reason = reason, Domain = "uberclone.dev" };
        foreach (var (key, value) in fields)
        {
            if (value is not null) info.Metadata.Add(key, value);
        }
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        return new RpcException(new Status(code, message), new Metadata { { "grpc-status-details-bin", status.ToByteArray() } });
    }
}
