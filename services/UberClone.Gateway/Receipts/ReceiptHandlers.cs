using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.Receipts;

/// <summary>
/// Mails riders their receipts. The gateway's main consumer group is each replica's own (realtime forwarding), so these
/// handlers run in a group shared by every replica, <see cref="Group"/>: one replica mails each receipt, and a redelivered
/// event (same message id) is not mailed again.
/// </summary>
public static class ReceiptHandlers
{
    public const string Group = Resources.Gateway + "-receipts";

    public static IHostApplicationBuilder AddReceipts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReceiptSender>();
        builder.AddGroupMessageHandler<TripPaidIntegrationEvent, TripPaidReceiptHandler>(Topics.TripPaid, Group);
        builder.AddGroupMessageHandler<TripRefundedIntegrationEvent, TripRefundedReceiptHandler>(Topics.TripRefunded, Group);
        return builder;
    }
}

/// <summary>The trip (or its fee, or a tip) was paid: the rider's receipt.</summary>
public sealed class TripPaidReceiptHandler(ReceiptSender sender) : IMessageHandler<TripPaidIntegrationEvent>
{
    public Task HandleAsync(TripPaidIntegrationEvent paid, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(paid.TripId, paid.RiderId, paid.DriverId, (to, trip) => ReceiptMails.Paid(to, trip, paid), ct);
}

/// <summary>Money went back to the rider: a refund notice.</summary>
public sealed class TripRefundedReceiptHandler(ReceiptSender sender) : IMessageHandler<TripRefundedIntegrationEvent>
{
    public Task HandleAsync(TripRefundedIntegrationEvent refund, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(refund.TripId, refund.RiderId, refund.DriverId, (to, trip) => ReceiptMails.Refunded(to, trip, refund), ct);
}

/// <summary>
/// Reads what a receipt needs (the rider's account, the trip as the rider sees it, the driver's first name) and queues
/// the mail. Nothing is sent to a deleted account. Trips not reachable: the handler fails and the message is retried
/// (then dead-lettered, like any message that cannot be handled).
/// </summary>
public sealed class ReceiptSender(AccountStore accounts, TripService.TripServiceClient trips, MailQueue mail, ILogger<ReceiptSender> logger)
{
    public async Task SendAsync(string tripId, string riderId, string? driverId, Func<ReceiptRecipient, Trip, OutgoingMail> compose, CancellationToken ct)
    {
        var rider = (await accounts.Accounts.GetAsync(riderId, ct))?.Document;
        if (rider is null || rider.DeletedAt is not null || rider.Email.Length == 0)
        {
            logger.LogInformation("No receipt for trip {TripId}: its rider {RiderId} has no account any more", tripId, riderId);
            return;
        }
        Trip trip;
        try
        {
            trip = await trips.GetTripAsync(new GetTripRequest { TripId = tripId }, new Caller(riderId, Roles.Rider).ToMetadata(), cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            logger.LogWarning("No receipt for trip {TripId}: trips answered {Status} ({Detail})", tripId, ex.StatusCode, ex.Status.Detail);
            return;
        }
        var driver = driverId is null ? null : (await accounts.Accounts.GetAsync(driverId, ct))?.Document;
        var driverName = driver is { DeletedAt: null } ? Sharing.SharedTripApi.FirstName(driver.Name) : null;
        mail.Enqueue(compose(new ReceiptRecipient(rider.Email, rider.Name, driverName), trip));
    }
}
