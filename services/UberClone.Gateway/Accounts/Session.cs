namespace UberClone.Gateway.Accounts;

/// <summary>
/// One sign-in of a user on one device (ADR 0048): the refresh token family (its id is the family's), what the user
/// recognises it by (<see cref="Device"/>, <see cref="Ip"/>), when it signed in and was last renewed, when its refresh
/// token expires, and when it was ended (<see cref="EndedAt"/>: signed out on the device, or ended from another).
/// Access tokens name it in their <c>sid</c> claim.
/// </summary>
public sealed record Session(
    string UserId,
    string Device,
    string? Ip,
    DateTimeOffset SignedInAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt = null)
{
    public const string ExpiresAtField = "expiresAtMs";

    /// <summary>The newest sessions a user is shown (ADR 0048).</summary>
    public const int ListLimit = 50;

    /// <summary>Indexed, so sessions past <see cref="RefreshToken.RetentionAfterExpiry"/> can be deleted in order.</summary>
    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();

    /// <summary>
    /// Whether the session can still be used at <paramref name="now"/>: not ended, its refresh token not expired, and
    /// renewed after the account's sessions were last all ended (<paramref name="sessionsRevokedAt"/>): a session whose
    /// last token was issued until then cannot renew (ADR 0010). Tokens carry whole seconds, so the revocation's own
    /// second is ended too.
    /// </summary>
    public bool IsLive(DateTimeOffset now, DateTimeOffset? sessionsRevokedAt) =>
        EndedAt is null && now < ExpiresAt
        && (sessionsRevokedAt is not { } revoked || LastUsedAt.ToUnixTimeSeconds() > revoked.ToUnixTimeSeconds());

    /// <summary>Renewed at <paramref name="at"/> from <paramref name="ip"/> (null: unknown, the last one kept), its refresh token now expiring at <paramref name="expiresAt"/>.</summary>
    public Session Renewed(DateTimeOffset at, DateTimeOffset expiresAt, string? ip) =>
        EndedAt is not null ? this : this with { LastUsedAt = at, ExpiresAt = expiresAt, Ip = ip ?? Ip };

    /// <summary>Ended at <paramref name="at"/>; a repeat keeps the first.</summary>
    public Session Ended(DateTimeOffset at) => EndedAt is not null ? this : this with { EndedAt = at };

    /// <summary>The live sessions to show, newest sign-in first, at most <see cref="ListLimit"/>.</summary>
    public static IReadOnlyList<(string Id, Session Session)> Live(IEnumerable<(string Id, Session Session)> sessions, DateTimeOffset now, DateTimeOffset? sessionsRevokedAt) =>
        [.. sessions.Where(s => s.Session.IsLive(now, sessionsRevokedAt)).OrderByDescending(s => s.Session.SignedInAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).Take(ListLimit)];

    /// <summary>
    /// Whether a sign-in from <paramref name="device"/> is from a device new to the account: none of its kept sessions
    /// (live or ended, until a day past their expiry) was from it. A label, not a device id (ADR 0048).
    /// </summary>
    public static bool IsNewDevice(string device, IEnumerable<Session> kept) => !kept.Any(s => string.Equals(s.Device, device, StringComparison.Ordinal));
}

/// <summary>Where a sign-in or a renewal comes from: the device label (<see cref="Identity.DeviceLabel"/>) and the remote address.</summary>
public sealed record SessionOrigin(string Device, string? Ip)
{
    public static readonly SessionOrigin Unknown = new(Identity.DeviceLabel.Unknown, null);

    public static SessionOrigin Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return new SessionOrigin(Identity.DeviceLabel.From(http.Request.Headers.UserAgent.ToString()), address?.ToString());
    }
}
