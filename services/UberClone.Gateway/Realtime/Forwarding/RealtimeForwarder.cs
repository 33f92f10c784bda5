using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>Which socket message type an event becomes, and which users it concerns.</summary>
public sealed record RealtimeRoute<T>(string Type, Func<T, IEnumerable<string?>> Recipients);

/// <summary>
/// Pushes one topic's events to the users they concern. Every gateway instance consumes every event (its own consumer
/// group) and delivers to the sockets it holds; users connected elsewhere are served by their own instance.
/// </summary>
public sealed class RealtimeForwarder<T>(ConnectionRegistry sockets, RealtimeRoute<T> route) : IMessageHandler<T> where T : notnull
{
    public Task HandleAsync(T message, MessageContext context, CancellationToken ct)
    {
        foreach (var userId in route.Recipients(message).OfType<string>().Distinct())
        {
            sockets.SendToUser(userId, route.Type, message);
        }
        return Task.CompletedTask;
    }
}
