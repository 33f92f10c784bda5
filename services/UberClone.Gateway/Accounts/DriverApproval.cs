using System.Globalization;
using System.Text.Json.Serialization;
using UberClone.Contracts;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// What a driver sent to be allowed to drive (ADR 0022): their driving licence and the vehicle's insurance, each with
/// the day it expires, and the vehicle's year. Support checks them against the papers before approving.
/// </summary>
public sealed record DriverDocuments(string LicenceNumber, DateOnly LicenceExpiresOn, string InsurancePolicy, DateOnly InsuranceExpiresOn, int VehicleYear)
{
    public const int OldestVehicleYear = 1990;

    /// <summary>
    /// The documents as sent, or the errors by field (the JSON names). Numbers are kept upper case without spaces
    /// around; dates must be after <paramref name="today"/> (a document expiring today cannot start an approval).
    /// </summary>
    public static (DriverDocuments? Documents, Dictionary<string, string[]> Errors) Parse(string? licenceNumber, string? licenceExpiresOn,
        string? insurancePolicy, string? insuranceExpiresOn, int? vehicleYear, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var licence = Number(licenceNumber, 5, 20, "licenceNumber", "The driving licence number", errors);
        var policy = Number(insurancePolicy, 4, 30, "insurancePolicy", "The insurance policy number", errors);
        var licenceDate = Date(licenceExpiresOn, today, "licenceExpiresOn", "The driving licence", errors);
        var insuranceDate = Date(insuranceExpiresOn, today, "insuranceExpiresOn", "The insurance", errors);
        if (vehicleYear is not { } year || year < OldestVehicleYear || year > today.Year + 1)
        {
            errors["vehicleYear"] = [$"vehicleYear must be the year the vehicle was made, {OldestVehicleYear} to {today.Year + 1}."];
        }
        return errors.Count > 0 ? (null, errors) : (new DriverDocuments(licence!, licenceDate!.Value, policy!, insuranceDate!.Value, vehicleYear!.Value), errors);
    }

    /// <summary>The first day the documents no longer cover (the day after the earlier expiry), at 00:00 UTC.</summary>
    [JsonIgnore]
    public DateTimeOffset ValidUntil =>
        new(Min(LicenceExpiresOn, InsuranceExpiresOn).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Which document expires first, in words ("driving licence" or "insurance").</summary>
    [JsonIgnore]
    public string FirstToExpire => LicenceExpiresOn <= InsuranceExpiresOn ? "driving licence" : "insurance";

    private static DateOnly Min(DateOnly a, DateOnly b) => a <= b ? a : b;

    private static string? Number(string? value, int min, int max, string field, string what, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim().ToUpperInvariant() ?? "";
        if (trimmed.Length < min || trimmed.Length > max || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
        {
            errors[field] = [$"{what} must be {min} to {max} letters, digits, spaces or dashes."];
            return null;
        }
        return trimmed;
    }

    private static DateOnly? Date(string? value, DateOnly today, string field, string what, Dictionary<string, string[]> errors)
    {
        if (!DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors[field] = [$"{field} must be the day {what.ToLowerInvariant()} expires, as YYYY-MM-DD."];
            return null;
        }
        if (date <= today)
        {
            errors[field] = [$"{what} has expired (or expires today): send one that is still valid."];
            return null;
        }
        return date;
    }
}

/// <summary>
/// What a driver may drive: these vehicle classes until <see cref="ValidUntil"/> (their documents' first expiry).
/// <paramref name="WheelchairAccessible"/> (ADR 0045): support checked the vehicle has a ramp or a lift, so it is offered
/// wheelchair-accessible rides; permits stored before have not.
/// </summary>
public sealed record DriverPermit(IReadOnlyList<string> Classes, DateTimeOffset ValidUntil, bool WheelchairAccessible = false)
{
    public bool IsValidAt(DateTimeOffset now) => now < ValidUntil;

    public bool Covers(string vehicleClass, DateTimeOffset now) => IsValidAt(now) && Classes.Contains(vehicleClass);
}

/// <summary>Support's last answer to a driver's documents: who, when, and (always for a refusal) why.</summary>
public sealed record ApprovalDecision(string Outcome, DateTimeOffset At, string By, string? Reason);

/// <summary>The statuses a driver's approval is in (<see cref="DriverApproval.StatusAt"/>).</summary>
public static class ApprovalStatuses
{
    /// <summary>No documents sent yet.</summary>
    public const string None = "none";
    /// <summary>Documents sent, waiting for support (an earlier permit may still be valid meanwhile).</summary>
    public const string Pending = "pending";
    public const string Approved = "approved";
    /// <summary>The documents last sent were refused (an earlier permit may still be valid).</summary>
    public const string Rejected = "rejected";
    /// <summary>The permit lapsed: a document expired, and nothing new is waiting.</summary>
    public const string Expired = "expired";
    /// <summary>Support took the permit away, saying why; documents sent again go back to support's queue.</summary>
    public const string Revoked = "revoked";

    public const string ApprovedOutcome = "approved";
    public const string RejectedOutcome = "rejected";
    /// <summary>Support narrowed the permit to fewer vehicle classes (it stays until the same day).</summary>
    public const string RestrictedOutcome = "restricted";
    public const string RevokedOutcome = "revoked";
}

/// <summary>
/// A driver's approval to drive (ADR 0022), kept on their account: the documents they sent last, whether support still
/// has to look at them, what they may drive now (<see cref="Permit"/>), and support's last decision. Sending documents
/// puts them in support's queue without taking away a permit given before (a driver renewing an insurance keeps driving
/// on the old one until it expires); approving gives a permit for the classes support chose until the documents' first
/// expiry; refusing says why and leaves an earlier permit as it was. <see cref="NewVehicle"/>: documents sent for
/// another car than the account's (the driver changed cars): approving them makes it the account's vehicle, refusing
/// them keeps the one approved before. Pure: the caller stores it.
/// </summary>
public sealed record DriverApproval(
    DriverDocuments? Documents = null,
    DateTimeOffset? SubmittedAt = null,
    bool UnderReview = false,
    DriverPermit? Permit = null,
    ApprovalDecision? Decision = null,
    Vehicle? NewVehicle = null)
{
    public const int MaxReasonLength = 500;

    public string StatusAt(DateTimeOffset now) =>
        UnderReview ? ApprovalStatuses.Pending
        : Decision?.Outcome == ApprovalStatuses.RejectedOutcome ? ApprovalStatuses.Rejected
        : Permit?.IsValidAt(now) == true ? ApprovalStatuses.Approved
        : Permit is not null ? ApprovalStatuses.Expired
        : Decision?.Outcome == ApprovalStatuses.RevokedOutcome ? ApprovalStatuses.Revoked
        : ApprovalStatuses.None;

    /// <summary>The permit when it is still valid; null: the driver may drive nothing now.</summary>
    public DriverPermit? PermitAt(DateTimeOffset now) => Permit?.IsValidAt(now) == true ? Permit : null;

    /// <summary>New documents (for <paramref name="newVehicle"/> when the driver changed cars), waiting for support.</summary>
    public DriverApproval Submit(DriverDocuments documents, DateTimeOffset now, Vehicle? newVehicle = null) =>
        this with { Documents = documents, SubmittedAt = now, UnderReview = true, NewVehicle = newVehicle };

    /// <summary>
    /// Support approves the documents waiting: the driver may drive <paramref name="classes"/> until the documents' first
    /// expiry, a wheelchair-accessible vehicle when <paramref name="wheelchairAccessible"/> (ADR 0045: said again with
    /// every approval, so a new car is never accessible because the old one was). Refused (<see cref="ApprovalException"/>)
    /// when nothing waits, a class is unknown or none given, or a document expired while waiting.
    /// </summary>
    public DriverApproval Approve(IReadOnlyCollection<string>? classes, string by, string? note, DateTimeOffset now, bool wheelchairAccessible = false)
    {
        var documents = Waiting();
        var chosen = (classes ?? []).Select(c => c?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
        if (chosen.Count == 0) throw new ApprovalException($"classes: choose the vehicle classes this driver may drive ({string.Join(", ", VehicleClasses.All)}).");
        if (chosen.FirstOrDefault(c => !VehicleClasses.IsKnown(c)) is { } unknown)
        {
            throw new ApprovalException($"classes: '{unknown}' is not a vehicle class; one of {string.Join(", ", VehicleClasses.All)}.");
        }
        if (documents.ValidUntil <= now)
        {
            throw new ApprovalException($"The {documents.FirstToExpire} expired while it waited: reject it, asking for a valid one.");
        }
        var ordered = VehicleClasses.All.Where(chosen.Contains).ToList();
        return this with
        {
            UnderReview = false,
            NewVehicle = null,
            Permit = new DriverPermit(ordered, documents.ValidUntil, wheelchairAccessible),
            Decision = new ApprovalDecision(ApprovalStatuses.ApprovedOutcome, now, by, Reason(note)),
        };
    }

    /// <summary>Support refuses the documents waiting, saying why; a permit given before stays as it was.</summary>
    public DriverApproval Reject(string? reason, string by, DateTimeOffset now)
    {
        Waiting();
        if (Reason(reason) is not { } why) throw new ApprovalException("reason: say what is wrong with the documents, so the driver can send the right ones.");
        return this with { UnderReview = false, Decision = new ApprovalDecision(ApprovalStatuses.RejectedOutcome, now, by, why), NewVehicle = null };
    }

    /// <summary>
    /// Support narrows what the driver may drive to <paramref name="keep"/> (fewer classes than the permit has), or takes
    /// the permit away (none kept), saying why: a complaint, a car no longer fit for a class. Documents waiting for review
    /// stay in the queue. Refused when there is no permit now, no reason, or <paramref name="keep"/> is not a smaller part
    /// of the permit. <paramref name="wheelchairAccessible"/> false takes wheelchair-accessible rides away (ADR 0045: the
    /// ramp broke), which is a restriction on its own, the classes kept as they are; null leaves it; true never adds it.
    /// </summary>
    public DriverApproval Restrict(IReadOnlyCollection<string>? keep, string? reason, string by, DateTimeOffset now, bool? wheelchairAccessible = null)
    {
        if (PermitAt(now) is not { } permit) throw new ApprovalException("This driver is not approved to drive now: there is nothing to take away.");
        // Said, never assumed: a request that forgot the list must not take the whole approval away.
        if (keep is null) throw new ApprovalException("classes: list the classes the driver keeps ([] takes the approval away).");
        var kept = keep.Select(c => c?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
        if (kept.FirstOrDefault(c => !permit.Classes.Contains(c)) is { } other)
        {
            throw new ApprovalException($"classes: '{other}' is not in this driver's approval ({string.Join(", ", permit.Classes)}); only classes they may drive now can be kept.");
        }
        if (wheelchairAccessible == true && !permit.WheelchairAccessible)
        {
            throw new ApprovalException("wheelchairAccessible: restricting never adds it; approve the vehicle's documents as wheelchair accessible instead.");
        }
        var accessible = permit.WheelchairAccessible && wheelchairAccessible != false;
        if (kept.Count == permit.Classes.Count && accessible == permit.WheelchairAccessible)
        {
            throw new ApprovalException("classes: keep fewer classes than the driver may drive now, or none to take their approval away"
                + (permit.WheelchairAccessible ? ", or take wheelchair-accessible rides away (wheelchairAccessible: false)." : "."));
        }
        if (Reason(reason) is not { } why) throw new ApprovalException("reason: say why, so the driver knows (it is mailed to them).");
        return kept.Count == 0
            ? this with { Permit = null, Decision = new ApprovalDecision(ApprovalStatuses.RevokedOutcome, now, by, why) }
            : this with
            {
                Permit = permit with { Classes = [.. permit.Classes.Where(kept.Contains)], WheelchairAccessible = accessible },
                Decision = new ApprovalDecision(ApprovalStatuses.RestrictedOutcome, now, by, why),
            };
    }

    private DriverDocuments Waiting() =>
        UnderReview && Documents is { } documents ? documents : throw new ApprovalException("No documents of this driver wait for review.");

    private static string? Reason(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length > MaxReasonLength) throw new ApprovalException($"reason: at most {MaxReasonLength} characters.");
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>
    /// Why a driver may not go online in <paramref name="vehicleClass"/> now, in the words the app shows; null when they may.
    /// </summary>
    public static string? RefusalToDrive(DriverApproval? approval, string vehicleClass, DateTimeOffset now)
    {
        var permit = approval?.PermitAt(now);
        if (permit is not null)
        {
            return permit.Classes.Contains(vehicleClass) ? null
                : $"Your vehicle is approved for {string.Join(", ", permit.Classes)}: go online in one of those.";
        }
        return (approval?.StatusAt(now) ?? ApprovalStatuses.None) switch
        {
            ApprovalStatuses.Pending => $"Your documents are being reviewed (sent {approval!.SubmittedAt:yyyy-MM-dd HH:mm} UTC): you can drive once support approves them.",
            ApprovalStatuses.Rejected => $"Support could not approve your documents: {approval!.Decision!.Reason} Send corrected documents to drive.",
            ApprovalStatuses.Expired => $"Your approval to drive ended on {approval!.Permit!.ValidUntil.AddDays(-1):yyyy-MM-dd} (a document expired): send new documents.",
            ApprovalStatuses.Revoked => $"Support took away your approval to drive: {approval!.Decision!.Reason} Send your documents again to be reviewed.",
            _ => "Your driver account is not approved yet: send your driving licence and insurance, and support will review them.",
        };
    }
}

/// <summary>A decision support cannot make on these documents now, with what to do instead.</summary>
public sealed class ApprovalException(string message) : Exception(message);
