using System.Security.Cryptography;
using System.Text;
using UberClone.Gateway.Identity;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Gateway.Idempotency;

/// <summary>The first outcome of a request made with an Idempotency-Key, kept per user, method, path and key.</summary>
public sealed record IdempotentRequest(
    string State,
    string RequestHash,
    DateTimeOffset StartedAt,
    int Status = 0,
    string? ContentType = null,
    string? Body = null)
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";

    public const string CollectionName = "idempotency_keys";
    public const string StartedAtField = "startedAtMs";

    /// <summary>As Stripe's: a key is honoured for 24 hours; a retry later than that is a new request.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Indexed, so records past <see cref="Retention"/> can be deleted in order.</summary>
    public long StartedAtMs => StartedAt.ToUnixTimeMilliseconds();
}

/// <summary>
/// Idempotency-Key on trip creation and payment actions (POST /api/payments/**, POST /api/trips/{id}/payment/retry, and
/// support's POST /api/trips/{id}/payment/waive, whose part of what is owed would otherwise be waived again): the first request runs; a repeat with the same key
/// gets the first response again (header Idempotent-Replayed: true) and never reaches the service a second time. The
/// record lives in the gateway's database, so a retry that lands on another replica is answered the same way.
/// A repeat while the first is still running gets 409; the same key with a different body gets 422.
/// Server errors (5xx) are not remembered, so the client can retry with the same key.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 128;
    private const int MaxStoredBodyBytes = 64 * 1024;
    /// <summary>A pending record older than this belongs to a request that died with its replica: it may be taken over.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(60);

    public static void AddIdempotency(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IDocumentDatabase>()
            .Collection<IdempotentRequest>(IdempotentRequest.CollectionName, IdempotentRequest.StartedAtField));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<IDocumentStore<IdempotentRequest>>(), IdempotentRequest.CollectionName,
            IdempotentRequest.StartedAtField, IdempotentRequest.Retention));
    }

    public static bool Applies(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Headers.ContainsKey(Header)
        && (request.Path.Equals("/api/trips", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/api/payments", StringComparison.OrdinalIgnoreCase)
            || (request.Path.StartsWithSegments("/api/trips", StringComparison.OrdinalIgnoreCase)
                && (request.Path.Value!.EndsWith("/payment/retry", StringComparison.OrdinalIgnoreCase)
                    || request.Path.Value.EndsWith("/payment/waive", StringComparison.OrdinalIgnoreCase))));

    public static IReverseProxyApplicationBuilder UseIdempotencyKeys(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            if (!Applies(context.Request) || CurrentUser.From(context.User) is not { } caller)
            {
                await next();
                return;
            }
            await RunAsync(context, caller.UserId, next);
        });
        return proxy;
    }

    private static async Task RunAsync(HttpContext context, string userId, Func<Task> next)
    {
        var key = context.Request.Headers[Header].ToString();
        if (key.Length is 0 or > MaxKeyLength || !key.All(c => c is > ' ' and < (char)127))
        {
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(400,
                $"{Header} must be 1-{MaxKeyLength} visible ASCII characters.", type: Problems.Problems.Type("invalid-idempotency-key")));
            return;
        }
        var store = context.RequestServices.GetRequiredService<IDocumentStore<IdempotentRequest>>();
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        var ct = context.RequestAborted;
        var id = Sha256($"{userId}\n{context.Request.Method}\n{context.Request.Path.Value!.ToLowerInvariant()}\n{key}");
        var requestHash = await HashBodyAsync(context.Request, ct);
        var started = new IdempotentRequest(IdempotentRequest.Pending, requestHash, clock.GetUtcNow());

        Versioned<IdempotentRequest> mine;
        try
        {
            mine = await store.InsertAsync(id, started, ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            var existing = await store.GetAsync(id, ct);
            if (existing is null || await AnswerFromExistingAsync(context, existing.Document, requestHash, clock)) return;
            try
            {
                mine = await store.ReplaceAsync(id, started, existing.Version, ct: ct);
            }
            catch (ConcurrencyConflictException)
            {
                await InProgressAsync(context);
                return;
            }
        }

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var outcome = started with { State = IdempotentRequest.Failed };
        try
        {
            await next();
            var status = context.Response.StatusCode;
            if (status < 500 && status != StatusCodes.Status429TooManyRequests && captured.Length <= MaxStoredBodyBytes)
            {
                outcome = started with
                {
                    State = IdempotentRequest.Done,
                    Status = status,
                    ContentType = context.Response.ContentType,
                    Body = Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length),
                };
            }
        }
        finally
        {
            context.Response.Body = original;
            captured.Position = 0;
            await captured.CopyToAsync(original, CancellationToken.None);
            try
            {
                await store.ReplaceAsync(id, outcome, mine.Version, ct: CancellationToken.None);
            }
            catch (ConcurrencyConflictException)
            {
                // Taken over as abandoned by another request meanwhile: its outcome stands.
            }
        }
    }

    /// <summary>True when the request was answered from the stored record; false when the record may be retried.</summary>
    private static async Task<bool> AnswerFromExistingAsync(HttpContext context, IdempotentRequest existing, string requestHash, TimeProvider clock)
    {
        if (existing.RequestHash != requestHash && existing.State != IdempotentRequest.Failed)
        {
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(422,
                $"This {Header} was already used with a different request body.", type: Problems.Problems.Type("idempotency-key-reused")));
            return true;
        }
        switch (existing.State)
        {
            case IdempotentRequest.Done:
                context.Response.StatusCode = existing.Status;
                context.Response.ContentType = existing.ContentType;
                context.Response.Headers[ReplayedHeader] = "true";
                await context.Response.WriteAsync(existing.Body ?? "", context.RequestAborted);
                return true;
            case IdempotentRequest.Pending when clock.GetUtcNow() - existing.StartedAt < AbandonedAfter:
                await InProgressAsync(context);
                return true;
            default:
                return false;
        }
    }

    private static async Task InProgressAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(409,
            $"A request with this {Header} is still being processed; retry shortly.", type: Problems.Problems.Type("idempotency-key-in-progress")));
    }

    private static async Task<string> HashBodyAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    internal static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
