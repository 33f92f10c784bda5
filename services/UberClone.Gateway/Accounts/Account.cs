namespace UberClone.Gateway.Accounts;

/// <summary>
/// A rider's, driver's or support account. The password is stored only as ASP.NET Core Identity's salted PBKDF2 hash.
/// <see cref="SessionsRevokedAt"/>: when every session was last ended at once (sign out everywhere); refresh tokens
/// issued until then are refused. <see cref="Suspension"/>: support suspended the account (it cannot sign in until
/// reinstated). <see cref="DeletedAt"/>: the owner deleted the account; what is left is this tombstone (id, role, dates),
/// so trips and payments that name the id still resolve to "a deleted account" and nothing personal.
/// <see cref="EmailVerifiedAt"/>: when its owner proved the email is theirs (a code mailed to it); until then nothing
/// but codes is mailed to it (anyone may sign up with anyone's address). <see cref="TimeZone"/>: the IANA time zone
/// its owner's app runs in (mails give times in it; none: UTC). <see cref="DeletionRequestedAt"/>: its owner asked to
/// delete it; it is erased at <see cref="EraseAtMs"/> (Unix ms, indexed) unless they sign in before, which keeps it.
/// <see cref="MailOptOuts"/>: the <see cref="Mail.MailCategories"/> its owner turned off (none: all on).
/// <see cref="Approval"/>: a driver's documents and what they may drive (ADR 0022); <see cref="ReviewSinceMs"/> (indexed)
/// while support has documents of theirs to look at, <see cref="PermitUntilMs"/> (indexed) until the lapse of their permit
/// has been handled and <see cref="PermitReminderMs"/> (indexed) until the driver was reminded of it (<see cref="DriverPermitExpiry"/>).
/// <see cref="ZoneTold"/>: a driver's time zone was told to payments (<c>account.event.time_zone_set</c>, ADR 0025);
/// accounts written before drivers' zones were told are told once by <see cref="DriverTimeZoneBackfill"/>.
/// <see cref="Business"/>: a rider's work email for the receipts of their business rides (ADR 0034).
/// <see cref="TwoStep"/>: 2-step verification, a code from an authenticator app after the password (ADR 0052).
/// </summary>
public sealed record Account(
    string Id,
    string Email,
    string Role,
    string Name,
    string PasswordHash,
    Vehicle? Vehicle,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SessionsRevokedAt = null,
    Suspension? Suspension = null,
    DateTimeOffset? DeletedAt = null,
    DateTimeOffset? EmailVerifiedAt = null,
    string? TimeZone = null,
    DateTimeOffset? DeletionRequestedAt = null,
    long? EraseAtMs = null,
    IReadOnlyList<string>? MailOptOuts = null,
    DriverApproval? Approval = null,
    long? ReviewSinceMs = null,
    long? PermitUntilMs = null,
    long? PermitReminderMs = null,
    bool ZoneTold = false,
    BusinessProfile? Business = null,
    TwoStep.TwoStepVerification? TwoStep = null)
{
    public const string EraseAtField = "eraseAtMs";
    public const string ReviewSinceField = "reviewSinceMs";
    public const string PermitUntilField = "permitUntilMs";
    public const string PermitReminderField = "permitReminderMs";

    /// <summary>
    /// Support approves the driver's documents waiting (<see cref="DriverApproval.Approve"/>); when they were for another
    /// car (<see cref="DriverApproval.NewVehicle"/>), it becomes the account's vehicle, the one riders are shown.
    /// </summary>
    public Account ApproveDriver(IReadOnlyCollection<string>? classes, string by, string? note, DateTimeOffset now, bool wheelchairAccessible = false)
    {
        var approval = Approval ?? new DriverApproval();
        return WithApproval(approval.Approve(classes, by, note, now, wheelchairAccessible)) with { Vehicle = approval.NewVehicle ?? Vehicle };
    }

    /// <summary>The driver's approval changed: the indexed fields follow it (the queue of reviews, the lapse of the permit).</summary>
    public Account WithApproval(DriverApproval approval) => this with
    {
        Approval = approval,
        ReviewSinceMs = approval.UnderReview ? approval.SubmittedAt?.ToUnixTimeMilliseconds() : null,
        PermitUntilMs = approval.Permit?.ValidUntil.ToUnixTimeMilliseconds(),
        // Armed again only for a new expiry (a narrowed permit keeps its day, and its reminder sent or not); none without a permit.
        PermitReminderMs = approval.Permit is not { } permit ? null
            : permit.ValidUntil != Approval?.Permit?.ValidUntil ? (permit.ValidUntil - DriverApprovals.ReminderAhead).ToUnixTimeMilliseconds() : PermitReminderMs,
    };

    /// <summary>When a deletion asked for takes effect (null: none asked for).</summary>
    public DateTimeOffset? EraseAt => EraseAtMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The account's time zone, when it names one this machine knows; else null (UTC).</summary>
    public TimeZoneInfo? Zone => TimeZones.Find(TimeZone);

    public const string DeletedName = "Deleted user";

    /// <summary>What is kept of a deleted account: no email, name, password or vehicle; every session ended at <paramref name="now"/>.</summary>
    public Account Erased(DateTimeOffset now) => DeletedAt is not null ? this : this with
    {
        Email = "", Name = DeletedName, PasswordHash = "", Vehicle = null, Suspension = null, SessionsRevokedAt = now, DeletedAt = now, EmailVerifiedAt = null,
        TimeZone = null, EraseAtMs = null, MailOptOuts = null, Approval = null, ReviewSinceMs = null, PermitUntilMs = null, PermitReminderMs = null,
        Business = null, TwoStep = null,
    };

    /// <summary>Whether mail of this category goes to the account (on unless its owner turned it off).</summary>
    public bool Receives(Mail.MailCategory category) => MailOptOuts?.Contains(category.Id) != true;

    /// <summary>The categories turned on or off (ids; the caller checked they are this role's); unchanged when they already are.</summary>
    public Account WithMail(IReadOnlyDictionary<string, bool> changes)
    {
        var off = (MailOptOuts ?? []).Where(id => !changes.TryGetValue(id, out var on) || !on)
            .Concat(changes.Where(c => !c.Value).Select(c => c.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        return off.SequenceEqual(MailOptOuts ?? []) ? this : this with { MailOptOuts = off.Count == 0 ? null : off };
    }

    /// <summary>
    /// Deletion asked for at <paramref name="now"/>, to take effect at <paramref name="eraseAt"/>; every session ends and every
    /// browser remembered at a 2-step sign-in is forgotten (signing in to keep the account asks for the code). A repeat keeps the first.
    /// </summary>
    public Account Closing(DateTimeOffset now, DateTimeOffset eraseAt) => DeletedAt is not null || DeletionRequestedAt is not null ? this : this with
    {
        DeletionRequestedAt = now, EraseAtMs = eraseAt.ToUnixTimeMilliseconds(), SessionsRevokedAt = now, TwoStep = TwoStep?.WithoutTrustedDevices(),
    };

    /// <summary>Its owner came back before the erasure: the deletion is called off.</summary>
    public Account Kept() => this with { DeletionRequestedAt = null, EraseAtMs = null };
}

/// <summary>
/// A rider's business profile (ADR 0034): the work email that gets a copy of each business ride's receipt, once its
/// owner proved it is theirs (<see cref="ConfirmedAt"/>, a code mailed to it); until then nothing but that code goes there.
/// </summary>
public sealed record BusinessProfile(string WorkEmail, DateTimeOffset? ConfirmedAt = null)
{
    public bool IsConfirmed => ConfirmedAt is not null;
}

/// <summary>Why and when support suspended an account, and which support account did.</summary>
public sealed record Suspension(string Reason, DateTimeOffset At, string By);

public sealed record Vehicle(string Make, string Model, string Plate, string Colour, string Class);

/// <summary>
/// Claims an email for one account: its id is the normalized email, so a second sign-up with it fails atomically.
/// <see cref="MovingSince"/>: set on a claim taken for an email change, which is honoured for <see cref="ChangeGrace"/>
/// before its account holds the email, so the move can finish.
/// </summary>
public sealed record EmailClaim(string AccountId, DateTimeOffset? MovingSince = null)
{
    public static readonly TimeSpan ChangeGrace = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A refresh token, stored by the SHA-256 of its value (the value itself is never stored). Tokens of one sign-in form a
/// family; each refresh replaces the token with the next, and presenting a replaced token again revokes the family.
/// </summary>
public sealed record RefreshToken(
    string UserId,
    string FamilyId,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? ReplacedBy,
    DateTimeOffset? IssuedAt = null)
{
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && ReplacedBy is null && now < ExpiresAt;

    public const string ExpiresAtField = "expiresAtMs";

    /// <summary>
    /// An expired token is refused whatever its record says, so the record is kept only a day past expiry (for a
    /// "why was I signed out" question), then deleted.
    /// </summary>
    public static readonly TimeSpan RetentionAfterExpiry = TimeSpan.FromDays(1);

    /// <summary>Indexed, so records past <see cref="RetentionAfterExpiry"/> can be deleted in order.</summary>
    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();
}

/// <summary>IANA time zone ids ("Europe/Berlin"), as a browser reports its own (Intl.DateTimeFormat().resolvedOptions()).</summary>
public static class TimeZones
{
    public const int MaxLength = 64;

    public static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 and <= MaxLength } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
