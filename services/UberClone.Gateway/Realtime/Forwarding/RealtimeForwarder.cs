using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>
/// Which socket message type an event becomes, and what each user it concerns receives: usually the event itself,
/// for a batch (many drivers' positions in one message) each user's own item.
/// </summary>
/// <param name="Order">
/// For a type whose messages form ordered streams (each driver's positions): a delivery's stream and time, so a socket is
/// never given an older one after a newer one (they may overtake each other on their way). Null: sent as they come.
/// </param>
public sealed record RealtimeRoute<T>(
    string Type, Func<T, IEnumerable<(string? UserId, object Data)>> Deliveries, Func<object?, (string Stream, DateTimeOffset At)?>? Order = null);

/// <summary>Recipients that are not one user.</summary>
public static class RealtimeAudience
{
    /// <summary>Every support desk user with a socket (no user id looks like this).</summary>
    public const string Operators = "@operators";
}

/// <summary>
/// Pushes one topic's events to the users they concern. Every gateway instance consumes every event (its own consumer
/// group) and delivers to the sockets it holds; users connected elsewhere are served by their own instance.
/// </summary>
public sealed class RealtimeForwarder<T>(ConnectionRegistry sockets, RealtimeRoute<T> route) : IMessageHandler<T> where T : notnull
{
    public Task HandleAsync(T message, MessageContext context, CancellationToken ct)
    {
        foreach (var (userId, data) in route.Deliveries(message).DistinctBy(d => (d.UserId, d.Data)))
        {
            if (userId == RealtimeAudience.Operators) sockets.SendToOperators(route.Type, data);
            else if (userId is not null) sockets.SendToUser(userId, route.Type, data, route.Order);
        }
        return Task.CompletedTask;
    }
}
