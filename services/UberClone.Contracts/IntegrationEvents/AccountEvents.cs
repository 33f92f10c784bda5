namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// Every session of <paramref name="UserId"/> was ended at <paramref name="RevokedAt"/> (the user signed out everywhere,
/// or support did it for them): access tokens issued until then are refused and their sockets closed, on every gateway
/// replica. <paramref name="By"/>: the user themselves or the support account that did it. <paramref name="SessionId"/>
/// (ADR 0048): only that one session of the user was ended (signed out from another device): the access tokens naming
/// it are refused and its sockets closed, whenever issued; null: every session.
/// </summary>
public sealed record AccountSessionsRevokedIntegrationEvent(string UserId, DateTimeOffset RevokedAt, string By, string? SessionId = null);

/// <summary>Support suspended the account of <paramref name="UserId"/> (role <paramref name="Role"/>): it can no longer sign in.</summary>
public sealed record AccountSuspendedIntegrationEvent(string UserId, string Role, string Reason, DateTimeOffset At, string By);

/// <summary>
/// <paramref name="UserId"/> (role <paramref name="Role"/>) asked at <paramref name="At"/> to delete their account; it is
/// erased at <paramref name="EraseAt"/> unless they sign in before (which keeps it). Meanwhile they are signed out
/// everywhere: what they booked ahead is cancelled, a driver goes offline (and may go online again if they come back).
/// </summary>
public sealed record AccountClosingIntegrationEvent(string UserId, string Role, DateTimeOffset At, DateTimeOffset EraseAt);

/// <summary>
/// The account of <paramref name="UserId"/> (role <paramref name="Role"/>) was erased at <paramref name="At"/>, as its owner
/// asked: their personal data is erased where it is kept, anything still booked ahead is cancelled, a driver goes
/// offline for good.
/// </summary>
public sealed record AccountDeletedIntegrationEvent(string UserId, string Role, DateTimeOffset At);

/// <summary>
/// The time zone of <paramref name="UserId"/>'s account (role <paramref name="Role"/>; published for drivers) is
/// <paramref name="TimeZone"/> (IANA) since <paramref name="At"/>: set at sign-up or changed by its owner. Payments pays
/// the driver's weekly payout at Monday 00:00 there, the end of the week their earnings statement covers (ADR 0025).
/// <paramref name="At"/> orders the changes: an older one arriving late is ignored.
/// </summary>
public sealed record AccountTimeZoneSetIntegrationEvent(string UserId, string Role, string TimeZone, DateTimeOffset At);

/// <summary>
/// A driver's approval changed (ADR 0022): they sent documents (<paramref name="Status"/> <c>pending</c>: for support's
/// queue; nothing else changes), support approved them (<c>approved</c>, with the vehicle classes and until when),
/// refused them (<c>rejected</c>: an approval given before stays as it was), or their approval lapsed because a
/// document expired (<c>expired</c>: nothing). <paramref name="Classes"/>
/// and <paramref name="ValidUntil"/> are what the driver may drive from now on (none: nothing); drivers takes a driver
/// who is online in a class outside them offline (after the trip under way), and the driver's app is told.
/// <paramref name="Outcome"/>: what happened — <c>submitted</c>, <c>approved</c>, <c>rejected</c>, <c>restricted</c>
/// (support narrowed the permit: status <c>approved</c>, fewer classes), <c>revoked</c> (support took it away) or
/// <c>expired</c>; null from older publishers. <paramref name="WheelchairAccessible"/> (ADR 0045): the vehicle the driver
/// may drive from now on is approved wheelchair accessible (false with no permit, and from older publishers).
/// </summary>
public sealed record DriverApprovalChangedIntegrationEvent(string UserId, string Status, IReadOnlyList<string> Classes, DateTimeOffset? ValidUntil,
    string? Reason, DateTimeOffset At, string? Outcome = null, bool WheelchairAccessible = false);
