namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// Every session of <paramref name="UserId"/> was ended at <paramref name="RevokedAt"/> (the user signed out everywhere,
/// or support did it for them): access tokens issued until then are refused and their sockets closed, on every gateway
/// replica. <paramref name="By"/>: the user themselves or the support account that did it.
/// </summary>
public sealed record AccountSessionsRevokedIntegrationEvent(string UserId, DateTimeOffset RevokedAt, string By);

/// <summary>Support suspended the account of <paramref name="UserId"/> (role <paramref name="Role"/>): it can no longer sign in.</summary>
public sealed record AccountSuspendedIntegrationEvent(string UserId, string Role, string Reason, DateTimeOffset At, string By);

/// <summary>
/// <paramref name="UserId"/> (role <paramref name="Role"/>) deleted their account at <paramref name="At"/>: their personal
/// data is erased where it is kept, what they booked ahead is cancelled, a driver goes offline for good.
/// </summary>
public sealed record AccountDeletedIntegrationEvent(string UserId, string Role, DateTimeOffset At);
