using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace UberClone.Gateway.Identity;

/// <summary>
/// Users whose sessions were ended everywhere, and when: an access token of theirs issued until then is refused
/// (REST, socket, socket "auth"); and single sessions that were ended (ADR 0048): a token naming one in its <c>sid</c>
/// is refused whenever it was issued. Each kept only as long as such a token could still be valid (its lifetime plus
/// the clock skew); every replica learns them from <c>account.event.sessions_revoked</c>, replayed that far back when
/// it starts. Tokens carry their issue time in whole seconds, so one issued in the same second as the revocation is
/// refused too.
/// </summary>
public sealed class RevokedSessions(IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAt = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessionEndedAt = new();

    private TimeSpan KeptFor => options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    public void Revoke(string userId, DateTimeOffset at)
    {
        _revokedAt.AddOrUpdate(userId, at, (_, existing) => existing > at ? existing : at);
        Forget(_revokedAt);
    }

    /// <summary>One session ended at <paramref name="at"/>: every token naming it is refused from now on.</summary>
    public void End(string sessionId, DateTimeOffset at)
    {
        _sessionEndedAt.TryAdd(sessionId, at);
        Forget(_sessionEndedAt);
    }

    private void Forget(ConcurrentDictionary<string, DateTimeOffset> entries)
    {
        var horizon = clock.GetUtcNow() - KeptFor;
        foreach (var (key, at) in entries)
        {
            if (at < horizon) entries.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, at));
        }
    }

    /// <summary>
    /// Whether a token of <paramref name="userId"/> issued at <paramref name="issuedAt"/> for session
    /// <paramref name="sessionId"/> (null: a token from before tokens named one) was revoked.
    /// </summary>
    public bool IsRevoked(string userId, DateTimeOffset issuedAt, string? sessionId = null) =>
        (_revokedAt.TryGetValue(userId, out var revokedAt) && issuedAt.ToUnixTimeSeconds() <= revokedAt.ToUnixTimeSeconds())
        || (sessionId is not null && _sessionEndedAt.ContainsKey(sessionId));

    /// <summary>Whether the session itself was ended (not every session of its user).</summary>
    public bool IsEnded(string sessionId) => _sessionEndedAt.ContainsKey(sessionId);
}
