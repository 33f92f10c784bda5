using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Realtime;
using UberClone.Messaging;

namespace UberClone.Gateway.Identity;

/// <summary>
/// A user's sessions were ended everywhere (by any replica): this replica refuses their older tokens from now on and
/// closes the sockets opened with them.
/// </summary>
public sealed class SessionsRevokedHandler(RevokedSessions revoked, ConnectionRegistry connections, ILogger<SessionsRevokedHandler> logger)
    : IMessageHandler<AccountSessionsRevokedIntegrationEvent>
{
    public Task HandleAsync(AccountSessionsRevokedIntegrationEvent message, MessageContext context, CancellationToken ct)
    {
        var closed = Apply(revoked, connections, message.UserId, message.RevokedAt);
        if (closed > 0) logger.LogInformation("Closed {Count} sockets of {UserId}: signed out everywhere", closed, message.UserId);
        return Task.CompletedTask;
    }

    /// <summary>What the replica that ended the sessions does at once, before the event comes back through Kafka.</summary>
    public static int Apply(RevokedSessions revoked, ConnectionRegistry connections, string userId, DateTimeOffset at)
    {
        revoked.Revoke(userId, at);
        return connections.CloseRevoked(userId, revoked);
    }
}
