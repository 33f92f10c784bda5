using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Realtime;
using UberClone.Messaging;

namespace UberClone.Gateway.Identity;

/// <summary>
/// A user's sessions were ended everywhere, or one of them was (<see cref="AccountSessionsRevokedIntegrationEvent.SessionId"/>,
/// ADR 0048), by any replica: this replica refuses those tokens from now on and closes the sockets opened with them.
/// </summary>
public sealed class SessionsRevokedHandler(RevokedSessions revoked, ConnectionRegistry connections, ILogger<SessionsRevokedHandler> logger)
    : IMessageHandler<AccountSessionsRevokedIntegrationEvent>
{
    public Task HandleAsync(AccountSessionsRevokedIntegrationEvent message, MessageContext context, CancellationToken ct)
    {
        var closed = message.SessionId is { } sessionId
            ? ApplyEnded(revoked, connections, message.UserId, sessionId, message.RevokedAt)
            : Apply(revoked, connections, message.UserId, message.RevokedAt);
        if (closed > 0) logger.LogInformation("Closed {Count} sockets of {UserId}: signed out ({Scope})", closed, message.UserId, message.SessionId is null ? "everywhere" : "one session");
        return Task.CompletedTask;
    }

    /// <summary>What the replica that ended the sessions does at once, before the event comes back through Kafka.</summary>
    public static int Apply(RevokedSessions revoked, ConnectionRegistry connections, string userId, DateTimeOffset at)
    {
        revoked.Revoke(userId, at);
        return connections.CloseRevoked(userId, revoked);
    }

    /// <summary>What the replica that ended one session does at once, before the event comes back through Kafka.</summary>
    public static int ApplyEnded(RevokedSessions revoked, ConnectionRegistry connections, string userId, string sessionId, DateTimeOffset at)
    {
        revoked.End(sessionId, at);
        return connections.CloseRevoked(userId, revoked);
    }
}
