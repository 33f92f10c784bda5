using System.Text.Json;
using UberClone.Contracts;
using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>
/// Trip lifecycle events (arrived, started, completed, cancelled, rated) and withdrawn offers, pushed as they are to
/// the rider and the driver they name ("riderId", "driverId"). Read as JSON so that the gateway forwards whatever the
/// trips and drivers services put in them; the socket message type is the topic without its "trip.event." or
/// "driver.event." prefix, e.g. "trip.completed", "offer.withdrawn".
/// </summary>
public sealed class TripLifecycleForwarder(ConnectionRegistry sockets) : IMessageHandler<JsonElement>
{
    public static readonly IReadOnlyDictionary<string, string> TypeByTopic = new Dictionary<string, string>
    {
        [Topics.TripDriverArrived] = "trip.driver_arrived",
        [Topics.TripStarted] = "trip.started",
        [Topics.TripCompleted] = "trip.completed",
        [Topics.TripCancelled] = "trip.cancelled",
        [Topics.TripRated] = "trip.rated",
        [Topics.DriverOfferWithdrawn] = "offer.withdrawn",
        [Topics.PaymentRefunded] = "payment.refunded",
    };

    public Task HandleAsync(JsonElement data, MessageContext context, CancellationToken ct)
    {
        if (data.ValueKind != JsonValueKind.Object || !TypeByTopic.TryGetValue(context.Topic, out var type)) return Task.CompletedTask;
        foreach (var property in new[] { "riderId", "driverId" })
        {
            if (data.TryGetProperty(property, out var user) && user.ValueKind == JsonValueKind.String && user.GetString() is { Length: > 0 } userId)
            {
                sockets.SendToUser(userId, type, data);
            }
        }
        return Task.CompletedTask;
    }
}
