namespace UberClone.Trips.Domain;

/// <summary>Where an invitation to split a fare stands (ADR 0040).</summary>
public static class SplitInvitationStatus
{
    public const string Invited = "invited";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    /// <summary>The requester took it back before it was accepted.</summary>
    public const string Withdrawn = "withdrawn";
    /// <summary>Not answered when the ride ended (or the trip ended without a ride).</summary>
    public const string Lapsed = "lapsed";
}

/// <summary>What came of charging an accepted share when the ride ended (ADR 0040).</summary>
public static class SplitShareStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    /// <summary>The invitee's card declined it: the requester paid it.</summary>
    public const string Declined = "declined";
}

/// <summary>
/// One rider asked to split the fare: <paramref name="Name"/> as their account gives it. Once accepted,
/// <paramref name="CardId"/> is the saved card their share is charged to; once the ride ended, <paramref name="ShareMinor"/>
/// is their share and <paramref name="ShareStatus"/> what came of charging it (<see cref="SplitShareStatus"/>).
/// </summary>
public sealed record SplitInvitation(string RiderId, string Name, DateTimeOffset InvitedAt, string Status = SplitInvitationStatus.Invited,
    DateTimeOffset? AnsweredAt = null, string? CardId = null, long ShareMinor = 0, string ShareStatus = "", string? CardLabel = null, string? DeclineCode = null)
{
    public bool IsOpen => Status == SplitInvitationStatus.Invited;

    /// <summary>Counts toward <see cref="SplitFare.MaxInvitees"/>, and keeps its rider from being invited again.</summary>
    public bool IsStanding => Status is SplitInvitationStatus.Invited or SplitInvitationStatus.Accepted or SplitInvitationStatus.Declined;
}

/// <summary>
/// The requester's split of a ride's fare (ADR 0040): up to <see cref="MaxInvitees"/> other riders asked to share it.
/// When the ride ends the fare (<see cref="FareMinor"/>, what the ride cost the requester but a tip) is divided equally
/// among the requester and those who accepted, the remainder of minor units the requester's; the others lapse.
/// </summary>
public sealed record SplitFare(string RequesterName, IReadOnlyList<SplitInvitation> Invitations, long FareMinor = 0, bool Settled = false)
{
    public const int MaxInvitees = 3;

    public static readonly SplitFare None = new("", []);

    public SplitInvitation? Of(string riderId) => Invitations.FirstOrDefault(i => i.RiderId == riderId && i.Status != SplitInvitationStatus.Withdrawn)
        ?? Invitations.LastOrDefault(i => i.RiderId == riderId);

    public IReadOnlyList<SplitInvitation> Accepted => [.. Invitations.Where(i => i.Status == SplitInvitationStatus.Accepted)];

    /// <summary>What the invitees' cards paid.</summary>
    public long PaidByOthersMinor => Invitations.Where(i => i.ShareStatus == SplitShareStatus.Paid).Sum(i => i.ShareMinor);

    /// <summary>What the requester pays of the fare once settled: their share and every share an invitee's card declined.</summary>
    public long RequesterPaysMinor => FareMinor - PaidByOthersMinor;

    /// <summary>The requester's own share once settled (the remainder of the division is theirs).</summary>
    public long RequesterShareMinor => FareMinor - Accepted.Sum(i => i.ShareMinor);

    /// <summary>
    /// Asks <paramref name="inviteeId"/>; asking one whose invitation is still open or accepted again (a retried request)
    /// changes nothing. One who declined is not asked again.
    /// </summary>
    public SplitFare Invite(string inviteeId, string inviteeName, string requesterId, string requesterName, DateTimeOffset now)
    {
        if (inviteeId == requesterId) throw new SplitFareInvalidException("email", "email: that is your own account; ask another rider to split the fare.");
        if (Invitations.Any(i => i.RiderId == inviteeId && i.Status is SplitInvitationStatus.Invited or SplitInvitationStatus.Accepted)) return this;
        if (Invitations.Any(i => i.RiderId == inviteeId && i.IsStanding))
        {
            throw new SplitFareInvalidException("email", $"email: {inviteeName} was already asked to split this fare.");
        }
        if (Invitations.Count(i => i.IsStanding) >= MaxInvitees)
        {
            throw new SplitFareInvalidException("email", $"email: a fare is split with at most {MaxInvitees} other riders.");
        }
        return this with
        {
            RequesterName = requesterName,
            Invitations = [.. Invitations.Where(i => i.RiderId != inviteeId), new SplitInvitation(inviteeId, inviteeName, now)],
        };
    }

    public SplitFare Withdraw(string tripId, string inviteeId, DateTimeOffset now)
    {
        var invitation = Invitations.FirstOrDefault(i => i.RiderId == inviteeId) ?? throw new SplitInvitationNotFoundException(tripId);
        if (invitation.Status == SplitInvitationStatus.Withdrawn) return this;
        if (!invitation.IsOpen) throw new SplitFareClosedException($"The invitation to {invitation.Name} is {invitation.Status}; only one not answered yet can be withdrawn.");
        return With(invitation with { Status = SplitInvitationStatus.Withdrawn, AnsweredAt = now });
    }

    /// <summary>The invitee accepts (with <paramref name="cardId"/>) or declines; the same answer again changes nothing.</summary>
    public SplitFare Answer(string tripId, string inviteeId, bool accept, string? cardId, DateTimeOffset now)
    {
        if (Of(inviteeId) is not { Status: not SplitInvitationStatus.Withdrawn } invitation) throw new SplitInvitationNotFoundException(tripId);
        var status = accept ? SplitInvitationStatus.Accepted : SplitInvitationStatus.Declined;
        if (invitation.Status == status && (!accept || invitation.CardId == cardId)) return this;
        if (!invitation.IsOpen) throw new SplitFareClosedException($"You {invitation.Status} this invitation already.");
        if (accept && string.IsNullOrEmpty(cardId)) throw new SplitFareInvalidException("cardId", "cardId: choose the saved card your share is charged to.");
        return With(invitation with { Status = status, AnsweredAt = now, CardId = accept ? cardId : null });
    }

    /// <summary>
    /// The ride ended at <paramref name="fareMinor"/> (what it cost the requester, without a tip): shared equally among the
    /// requester and those who accepted, the remainder the requester's; unanswered invitations lapse. Once only.
    /// </summary>
    public SplitFare Settle(long fareMinor, DateTimeOffset now)
    {
        if (Settled) return this;
        var accepted = Invitations.Count(i => i.Status == SplitInvitationStatus.Accepted);
        var share = fareMinor / (accepted + 1);
        return this with
        {
            FareMinor = fareMinor,
            Settled = true,
            Invitations = [.. Invitations.Select(i => i.Status switch
            {
                SplitInvitationStatus.Accepted => i with { ShareMinor = share, ShareStatus = SplitShareStatus.Pending },
                SplitInvitationStatus.Invited => i with { Status = SplitInvitationStatus.Lapsed, AnsweredAt = now },
                _ => i,
            })],
        };
    }

    /// <summary>The trip ended without a ride (cancelled, no driver): nothing is split, open invitations lapse.</summary>
    public SplitFare Lapse(DateTimeOffset now) =>
        Invitations.Any(i => i.IsOpen || i.Status == SplitInvitationStatus.Accepted) && !Settled
            ? this with
            {
                Invitations = [.. Invitations.Select(i => i.IsOpen || i.Status == SplitInvitationStatus.Accepted
                    ? i with { Status = SplitInvitationStatus.Lapsed, AnsweredAt = i.IsOpen ? now : i.AnsweredAt } : i)],
            }
            : this;

    /// <summary>What came of charging an invitee's share; the first answer stands (redeliveries change nothing).</summary>
    public SplitFare ShareCharged(string inviteeId, bool paid, string? cardLabel, string? declineCode) =>
        Invitations.FirstOrDefault(i => i.RiderId == inviteeId && i.ShareStatus == SplitShareStatus.Pending) is { } invitation
            ? With(invitation with
            {
                ShareStatus = paid ? SplitShareStatus.Paid : SplitShareStatus.Declined, CardLabel = cardLabel, DeclineCode = paid ? null : declineCode,
            })
            : this;

    /// <summary>
    /// The invitee's account was erased: an invitation still open, or accepted on a ride not ended yet, is declined (no
    /// share is charged to an account that is gone; the rider pays it). Their name stays: the rider's receipt shows it.
    /// </summary>
    public SplitFare ForgetInvitee(string inviteeId, DateTimeOffset now) =>
        Invitations.FirstOrDefault(i => i.RiderId == inviteeId && (i.IsOpen || (i.Status == SplitInvitationStatus.Accepted && !Settled))) is { } standing
            ? With(standing with { Status = SplitInvitationStatus.Declined, AnsweredAt = now, CardId = null })
            : this;

    /// <summary>The requester's account was erased: of their name only the first stays, what the invitees were shown.</summary>
    public SplitFare ForgetRequester() =>
        RequesterName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, _] ? this with { RequesterName = first } : this;

    private SplitFare With(SplitInvitation changed) =>
        this with { Invitations = [.. Invitations.Select(i => i.RiderId == changed.RiderId ? changed : i)] };
}

/// <summary>Bad input for a split (INVALID_ARGUMENT, HTTP 400), naming the field.</summary>
public sealed class SplitFareInvalidException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The trip or the invitation is in a state that does not allow it (ABORTED, HTTP 409).</summary>
public sealed class SplitFareClosedException(string message) : Exception(message);

/// <summary>No invitation of this rider on the trip: to them the trip does not exist (NOT_FOUND).</summary>
public sealed class SplitInvitationNotFoundException(string tripId) : Exception($"No invitation to split trip {tripId} was found.");
