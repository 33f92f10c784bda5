using System.Text.Json;
using System.Text.RegularExpressions;

namespace UberClone.Gateway.Operations;

/// <summary>
/// One change the support desk made (an entry of the audit trail): who, when, what, to which account or trip, why,
/// and how the API answered. Written by the gateway, the one door every support action comes through; never changed.
/// </summary>
public sealed record SupportAction(
    string OperatorId,
    DateTimeOffset At,
    string Action,
    string Method,
    string Path,
    int Status,
    string? UserId = null,
    string? TripId = null,
    string? RiderId = null,
    string? DriverId = null,
    string? HelpRequestId = null,
    string? Reason = null,
    long? AmountMinor = null,
    string? Currency = null,
    string? Kind = null,
    bool ByOperatorKey = false,
    string? TraceId = null)
{
    /// <summary>Unix milliseconds of <see cref="At"/>: the retention rule's field.</summary>
    public long AtMs => At.ToUnixTimeMilliseconds();

    public const string AtMsField = "atMs";

    /// <summary>Kept two years: long enough for a chargeback, a complaint or an internal review to look back.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(730);
}

/// <summary>What a request of the support desk does, in words the audit trail keeps (no I/O: from its method, path and body).</summary>
public static partial class SupportActions
{
    public const string Other = "other";

    /// <summary>What a matched route changes, and where in its path the account, trip or help request is.</summary>
    private sealed record Route(string Method, Regex Pattern, string Action, string? Subject);

    // Help requests first: /api/trips/help/{id}/… would otherwise read "help" as a trip id.
    private static readonly Route[] Routes =
    [
        new("POST", HelpMessages(), "help.answered", "help"),
        new("POST", HelpClose(), "help.closed", "help"),
        new("POST", TripCancel(), "trip.cancelled", "trip"),
        new("POST", TripComplete(), "trip.completed", "trip"),
        new("POST", Refunds(), "payment.refunded", "trip"),
        new("POST", PaymentWaive(), "payment.waived", "trip"),
        new("POST", PaymentWaiveApprove(), "payment.waiver_approved", "trip"),
        new("POST", PaymentWaiveDecline(), "payment.waiver_declined", "trip"),
        new("POST", UserSignOut(), "user.signed_out_everywhere", "user"),
        new("POST", UserSuspend(), "user.suspended", "user"),
        new("POST", UserReinstate(), "user.reinstated", "user"),
        new("POST", UserPasswordReset(), "user.password_reset_sent", "user"),
        new("POST", UserDelete(), "user.deletion_requested", "user"),
        new("POST", UserKeep(), "user.kept", "user"),
        new("POST", UserTwoStepOff(), "user.two_step_turned_off", "user"),
        new("POST", OperatorAdd(), "operator.added", null),
        new("POST", PromotionCreate(), "promotion.created", null),
        new("POST", PromotionEnd(), "promotion.ended", "promotion"),
        new("POST", PromotionGive(), "promotion.given", "user"),
        new("POST", QuestCreate(), "quest.created", null),
        new("POST", QuestEnd(), "quest.ended", "quest"),
        new("POST", DriverApprove(), "driver.approved", "user"),
        new("POST", DriverReject(), "driver.rejected", "user"),
        new("POST", DriverRestrict(), "driver.restricted", "user"),
        new("POST", CardRemove(), "card.removed", "user"),
        new("POST", CreditGive(), "credit.granted", "user"),
        // The driver's account, and the ride the strike was for (from the body).
        new("POST", ReservationStrikeRemove(), "reservation.strike_removed", "user"),
        new("POST", RiderRatingReinstate(), "rider.rating_reinstated", "user"),
    ];

    /// <summary>
    /// Whether a request of an operator changes something support answers for: every write to the API but their own
    /// session's (signing in, renewing, signing out).
    /// </summary>
    public static bool IsAudited(string method, string path) =>
        method is "POST" or "PUT" or "PATCH" or "DELETE"
        && path.StartsWith("/api/", StringComparison.Ordinal)
        && !path.StartsWith("/api/auth/", StringComparison.Ordinal);

    /// <summary>
    /// The entry for a request that went through (<paramref name="status"/> 2xx): its action and subject from the
    /// route, the reason, amount and kind from its JSON body when it has them. An unknown route is kept as
    /// <see cref="Other"/> with its method and path, so nothing support changes goes unrecorded.
    /// </summary>
    public static SupportAction Describe(string operatorId, bool byOperatorKey, string method, string path, ReadOnlySpan<byte> body, int status,
        DateTimeOffset at, string? traceId)
    {
        var entry = new SupportAction(operatorId, at, Other, method, path, status, ByOperatorKey: byOperatorKey, TraceId: traceId);
        foreach (var route in Routes)
        {
            if (route.Method != method || route.Pattern.Match(path) is not { Success: true } match) continue;
            var id = match.Groups["id"].Success ? Uri.UnescapeDataString(match.Groups["id"].Value) : null;
            entry = route.Subject switch
            {
                "trip" => entry with { Action = route.Action, TripId = id },
                "user" => entry with { Action = route.Action, UserId = id },
                "help" => entry with { Action = route.Action, HelpRequestId = id },
                "promotion" => entry with { Action = route.Action, Reason = $"code {id?.ToUpperInvariant()}" },
                "quest" => entry with { Action = route.Action, Reason = $"quest {id}" },
                _ => entry with { Action = route.Action },
            };
            break;
        }
        // A waiver above the limit one account may waive alone: trips answers 202, it awaits a colleague's approval (ADR 0053).
        if (entry.Action == "payment.waived" && status == 202) entry = entry with { Action = "payment.waiver_requested" };
        return WithBody(entry, body);
    }

    private const int MaxReasonLength = 500;

    private static SupportAction WithBody(SupportAction entry, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return entry;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return entry;
            var root = document.RootElement;
            var reason = Text(root, "reason");
            // A colleague added by email: who it was (never the password).
            if (entry.Action == "operator.added") reason = Text(root, "email") is { } email ? $"added {email}" : reason;
            if (entry.Action is "promotion.created" or "promotion.given") reason = Text(root, "code") is { } code ? $"code {code.Trim().ToUpperInvariant()}" : reason;
            if (entry.Action == "quest.created") reason = Text(root, "name") is { } name ? $"quest {name}" : reason;
            if (entry.Action is "promotion.ended" or "quest.ended") reason = reason is null ? entry.Reason : $"{entry.Reason}: {reason}";
            var tripId = entry.Action == "reservation.strike_removed" ? Text(root, "tripId") : null;
            return entry with
            {
                Reason = reason is { Length: > MaxReasonLength } ? reason[..MaxReasonLength] : reason,
                AmountMinor = root.TryGetProperty("amountMinor", out var amount) && amount.TryGetInt64(out var minor) ? minor : null,
                Currency = Text(root, "currency")?.ToUpperInvariant(),
                Kind = Text(root, "kind"),
                TripId = tripId ?? entry.TripId,
            };
        }
        catch (JsonException)
        {
            return entry; // the request went through all the same: its route says what it was
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    [GeneratedRegex("^/api/trips/ops/promotions$")]
    private static partial Regex PromotionCreate();

    [GeneratedRegex("^/api/trips/ops/quests$")]
    private static partial Regex QuestCreate();

    [GeneratedRegex("^/api/trips/ops/quests/(?<id>[^/]+)/end$")]
    private static partial Regex QuestEnd();

    [GeneratedRegex("^/api/payments/riders/(?<id>[^/]+)/cards/[^/]+/remove$")]
    private static partial Regex CardRemove();

    [GeneratedRegex("^/api/payments/riders/(?<id>[^/]+)/credit$")]
    private static partial Regex CreditGive();

    [GeneratedRegex("^/api/trips/ops/drivers/(?<id>[^/]+)/reservations/strikes/remove$")]
    private static partial Regex ReservationStrikeRemove();

    [GeneratedRegex("^/api/trips/ops/riders/(?<id>[^/]+)/rating/reinstate$")]
    private static partial Regex RiderRatingReinstate();

    [GeneratedRegex("^/api/trips/ops/promotions/(?<id>[^/]+)/end$")]
    private static partial Regex PromotionEnd();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/promotions$")]
    private static partial Regex PromotionGive();

    [GeneratedRegex("^/api/trips/help/(?<id>[^/]+)/messages$")]
    private static partial Regex HelpMessages();

    [GeneratedRegex("^/api/trips/help/(?<id>[^/]+)/close$")]
    private static partial Regex HelpClose();

    [GeneratedRegex("^/api/trips/(?<id>[^/]+)/cancel$")]
    private static partial Regex TripCancel();

    [GeneratedRegex("^/api/trips/(?<id>[^/]+)/complete$")]
    private static partial Regex TripComplete();

    [GeneratedRegex("^/api/trips/(?<id>[^/]+)/payment/waive$")]
    private static partial Regex PaymentWaive();

    [GeneratedRegex("^/api/trips/(?<id>[^/]+)/payment/waive/approve$")]
    private static partial Regex PaymentWaiveApprove();

    [GeneratedRegex("^/api/trips/(?<id>[^/]+)/payment/waive/decline$")]
    private static partial Regex PaymentWaiveDecline();

    [GeneratedRegex("^/api/payments/trips/(?<id>[^/]+)/refunds$")]
    private static partial Regex Refunds();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/signout-everywhere$")]
    private static partial Regex UserSignOut();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/suspend$")]
    private static partial Regex UserSuspend();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/reinstate$")]
    private static partial Regex UserReinstate();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/password-reset$")]
    private static partial Regex UserPasswordReset();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/delete$")]
    private static partial Regex UserDelete();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/keep$")]
    private static partial Regex UserKeep();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/two-step/turn-off$")]
    private static partial Regex UserTwoStepOff();

    [GeneratedRegex("^/api/ops/operators$")]
    private static partial Regex OperatorAdd();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/driver-approval/approve$")]
    private static partial Regex DriverApprove();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/driver-approval/reject$")]
    private static partial Regex DriverReject();

    [GeneratedRegex("^/api/ops/users/(?<id>[^/]+)/driver-approval/restrict$")]
    private static partial Regex DriverRestrict();
}
