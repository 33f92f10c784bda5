using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace UberClone.Gateway.Identity;

/// <summary>
/// Users whose sessions were ended everywhere, and when: an access token of theirs issued until then is refused
/// (REST, socket, socket "auth"). Kept only as long as such a token could still be valid (its lifetime plus the clock
/// skew); every replica learns them from <c>account.event.sessions_revoked</c>, replayed that far back when it starts.
/// Tokens carry their issue time in whole seconds, so one issued in the same second as the revocation is refused too.
/// </summary>
public sealed class RevokedSessions(IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAt = new();

    private TimeSpan KeptFor => options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    public void Revoke(string userId, DateTimeOffset at)
    {
        _revokedAt.AddOrUpdate(userId, at, (_, existing) => existing > at ? existing : at);
        var horizon = clock.GetUtcNow() - KeptFor;
        foreach (var (user, revokedAt) in _revokedAt)
        {
            if (revokedAt < horizon) _revokedAt.TryRemove(new KeyValuePair<string, DateTimeOffset>(user, revokedAt));
        }
    }

    /// <summary>Whether a token of <paramref name="userId"/> issued at <paramref name="issuedAt"/> was revoked.</summary>
    public bool IsRevoked(string userId, DateTimeOffset issuedAt) =>
        _revokedAt.TryGetValue(userId, out var revokedAt) && issuedAt.ToUnixTimeSeconds() <= revokedAt.ToUnixTimeSeconds();
}
