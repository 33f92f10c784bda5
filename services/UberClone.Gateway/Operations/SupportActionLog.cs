using System.Diagnostics;
using Grpc.Core;
using UberClone.Contracts.Help;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Idempotency;
using UberClone.Gateway.Identity;
using UberClone.Storage;

namespace UberClone.Gateway.Operations;

/// <summary>
/// The support desk's audit trail: every write an operator makes through the gateway (its own account actions and
/// those it forwards to trips and payments) that went through (2xx) is kept as a <see cref="SupportAction"/>, and so
/// is a refund made with the payments operator key. A replayed request (Idempotency-Key) is not kept again.
/// </summary>
public static class SupportActionLog
{
    public const string OperatorKeyHeader = "x-operator-key";
    private const int MaxBodyBytes = 16 * 1024;

    public static IApplicationBuilder UseSupportActionLog(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var caller = CurrentUser.From(context.User);
        var byKey = request.Headers.ContainsKey(OperatorKeyHeader);
        if (caller is null || !(caller.IsOperator || byKey) || !SupportActions.IsAudited(request.Method, request.Path.Value ?? ""))
        {
            await next();
            return;
        }
        var body = await ReadBodyAsync(request, context.RequestAborted);
        await next();
        var response = context.Response;
        if (response.StatusCode is < 200 or >= 300 || response.Headers.ContainsKey(IdempotencyKeys.ReplayedHeader)) return;
        var entry = SupportActions.Describe(caller.UserId, byKey && !caller.IsOperator, request.Method, request.Path.Value!, body,
            response.StatusCode, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), Activity.Current?.TraceId.ToString());
        var key = request.Headers[IdempotencyKeys.Header].ToString();
        await context.RequestServices.GetRequiredService<SupportActionRecorder>().RecordAsync(entry, key.Length > 0 ? key : null);
    });

    /// <summary>The request's body (its first 16 KB: what says why), left to be read again by the endpoint or the proxy.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || !(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false)) return [];
        request.EnableBuffering();
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        request.Body.Position = 0;
        return read == buffer.Length ? [] : buffer[..read]; // a longer body is not a support action's: its route says what it was
    }
}

/// <summary>Stores support actions, with the rider and driver of the trip acted on, so each one's account shows it too.</summary>
public sealed class SupportActionRecorder(AccountStore store, TripService.TripServiceClient trips, HelpService.HelpServiceClient help,
    ILogger<SupportActionRecorder> logger)
{
    public async Task RecordAsync(SupportAction entry, string? idempotencyKey)
    {
        // The change was made: the trail is written even when the caller has gone (its own deadline, not theirs).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            entry = await WithTripPartiesAsync(entry, deadline.Token);
            // With an Idempotency-Key the same request (retried after its answer was lost) is one action, not two.
            var id = idempotencyKey is null
                ? Guid.NewGuid().ToString("N")
                : IdempotencyKeys.Sha256($"{entry.OperatorId}\n{entry.Method}\n{entry.Path.ToLowerInvariant()}\n{idempotencyKey}");
            await store.SupportActions.InsertAsync(id, entry, ct: deadline.Token);
        }
        catch (DuplicateDocumentException)
        {
            // already kept
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The action stands; the trail must not silently lose it: the log keeps every field.
            logger.LogError(ex, "Support action not recorded: {Action} by {OperatorId} ({Method} {Path}, {Status}) user {UserId} trip {TripId} help {HelpRequestId} reason {Reason} amount {AmountMinor} {Currency} {Kind}",
                entry.Action, entry.OperatorId, entry.Method, entry.Path, entry.Status, entry.UserId, entry.TripId, entry.HelpRequestId, entry.Reason, entry.AmountMinor, entry.Currency, entry.Kind);
        }
    }

    private async Task<SupportAction> WithTripPartiesAsync(SupportAction entry, CancellationToken ct)
    {
        if (entry.ByOperatorKey) return entry;
        var asOperator = new Caller(entry.OperatorId, Roles.Operator).ToMetadata();
        try
        {
            // A help request's answer or closing belongs to its trip's trail too.
            if (entry.HelpRequestId is not null)
            {
                entry = entry with { TripId = (await help.GetHelpRequestAsync(new GetHelpRequestRequest { RequestId = entry.HelpRequestId }, asOperator, cancellationToken: ct)).TripId };
            }
            if (entry.TripId is null) return entry;
            var trip = await trips.GetTripAsync(new GetTripRequest { TripId = entry.TripId }, asOperator, cancellationToken: ct);
            return entry with
            {
                RiderId = trip.RiderId,
                DriverId = string.IsNullOrEmpty(trip.Driver?.DriverId) ? null : trip.Driver.DriverId,
                Currency = entry.AmountMinor is null ? null : trip.Fare?.Currency, // a refund is in its trip's currency
            };
        }
        catch (RpcException ex)
        {
            logger.LogWarning(ex, "Support action on trip {TripId} (help request {HelpRequestId}) kept without its rider and driver", entry.TripId, entry.HelpRequestId);
            return entry;
        }
    }
}
