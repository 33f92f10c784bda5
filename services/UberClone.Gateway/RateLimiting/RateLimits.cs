using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.RateLimiting;

/// <summary>Bound from "RateLimits": requests per minute for each limited action, per user and per client IP.</summary>
public sealed class RateLimitOptions
{
    public int SignInPerIp { get; set; } = 120;
    public int SignInPerAccount { get; set; } = 10;
    public int TripCreationPerUser { get; set; } = 10;
    public int TripCreationPerIp { get; set; } = 300;
    public int LocationPerUser { get; set; } = 60;
    public int LocationPerIp { get; set; } = 3000;
    /// <summary>A rider's nearby drivers (the web app asks every 10 s and when the pickup moves): the drivers service
    /// examines up to every driver within 10 km per call, milliseconds at a large fleet (bench/README.md).</summary>
    public int NearbyPerUser { get; set; } = 30;
    public int NearbyPerIp { get; set; } = 3000;
    /// <summary>Reads of shared trips without signing in (the share page reads every 5 s: 12 a minute per viewer).</summary>
    public int SharedTripPerIp { get; set; } = 600;
    /// <summary>Messages between a trip's rider and driver, per sender.</summary>
    public int TripMessagePerUser { get; set; } = 30;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Messages a socket may send per second, whatever their type (a burst of twice as many is allowed); the app sends a
    /// location every few seconds. Over it a message is answered with a rate_limited error and not handled.
    /// </summary>
    public int SocketMessagesPerSecond { get; set; } = 20;
}

/// <summary>
/// Which requests are limited and how: sign-in/sign-up/refresh per IP (and sign-in per account, see
/// <see cref="SignInThrottle"/>), trip creation, driver location and a rider's nearby drivers per user and per IP. Over the limit → 429
/// problem+json with Retry-After. Socket location messages share the REST per-user location budget.
/// </summary>
public sealed class RateLimits
{
    private enum Category { None, SignIn, TripCreation, Location, Nearby, SharedTrip, TripMessage }

    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _locationPerUser;

    public RateLimits(RateLimitOptions options)
    {
        _options = options;
        _locationPerUser = PartitionedRateLimiter.Create<string, string>(user => Window("location-user:" + user, options.LocationPerUser));
        Global = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(PerUser),
            PartitionedRateLimiter.Create<HttpContext, string>(PerIp));
    }

    public PartitionedRateLimiter<HttpContext> Global { get; }

    /// <summary>Whether a socket may send one more message now (<see cref="RateLimitOptions.SocketMessagesPerSecond"/>).</summary>
    public bool TryTakeSocketMessage(ref MessageBudget budget, long nowTicks) =>
        budget.TryTake(nowTicks, _options.SocketMessagesPerSecond, 2.0 * _options.SocketMessagesPerSecond);

    /// <summary>For a location sent over the socket: null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquireLocation(string userId) => RetryAfterOrNull(_locationPerUser.AttemptAcquire(userId));

    public static TimeSpan? RetryAfterOrNull(RateLimitLease lease)
    {
        using (lease)
        {
            if (lease.IsAcquired) return null;
            return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        }
    }

    public static ProblemHttpResult Problem(HttpResponse response, TimeSpan retryAfter)
    {
        response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Too many requests; retry after {Seconds(retryAfter)} s.", statusCode: 429, type: Problems.Problems.TypeFor(429),
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = Seconds(retryAfter) });
    }

    public static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var value) ? value : TimeSpan.FromSeconds(1);
        var response = context.HttpContext.Response;
        response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        var problem = Problems.Problems.Create(429, $"Too many requests; retry after {Seconds(retryAfter)} s.");
        problem.Extensions["retryAfterSeconds"] = Seconds(retryAfter);
        await Problems.Problems.WriteAsync(response, problem);
    }

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    private RateLimitPartition<string> PerUser(HttpContext context)
    {
        var user = CurrentUser.From(context.User)?.UserId;
        return (Categorize(context.Request), user) switch
        {
            (Category.TripCreation, { } id) => Window("trip-user:" + id, _options.TripCreationPerUser),
            (Category.Location, { } id) => RateLimitPartition.Get("location-user:" + id, _ => new SharedLimiter(_locationPerUser, id)),
            (Category.Nearby, { } id) => Window("nearby-user:" + id, _options.NearbyPerUser),
            (Category.TripMessage, { } id) => Window("trip-message-user:" + id, _options.TripMessagePerUser),
            _ => RateLimitPartition.GetNoLimiter(""),
        };
    }

    private RateLimitPartition<string> PerIp(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return Categorize(context.Request) switch
        {
            Category.SignIn => Window("signin-ip:" + ip, _options.SignInPerIp),
            Category.TripCreation => Window("trip-ip:" + ip, _options.TripCreationPerIp),
            Category.Location => Window("location-ip:" + ip, _options.LocationPerIp),
            Category.Nearby => Window("nearby-ip:" + ip, _options.NearbyPerIp),
            Category.SharedTrip => Window("shared-trip-ip:" + ip, _options.SharedTripPerIp),
            _ => RateLimitPartition.GetNoLimiter(""),
        };
    }

    private static Category Categorize(HttpRequest request)
    {
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        if (HttpMethods.IsGet(request.Method))
        {
            return path.Equals("/api/drivers/nearby", StringComparison.OrdinalIgnoreCase) ? Category.Nearby
                : path.StartsWith("/api/shared-trips/", StringComparison.OrdinalIgnoreCase) ? Category.SharedTrip
                : Category.None;
        }
        if (!HttpMethods.IsPost(request.Method)) return Category.None;
        return path.ToLowerInvariant() switch
        {
            "/api/auth/signin" or "/api/auth/signup" or "/api/auth/refresh" or "/api/auth/signout"
                or "/api/auth/password-reset" or "/api/auth/password-reset/confirm" => Category.SignIn,
            "/api/trips" => Category.TripCreation,
            "/api/drivers/me/location" => Category.Location,
            var p when p.StartsWith("/api/trips/", StringComparison.Ordinal) && p.EndsWith("/messages", StringComparison.Ordinal) => Category.TripMessage,
            _ => Category.None,
        };
    }

    private RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = _options.Window,
            QueueLimit = 0,
        });

    /// <summary>Lets the REST route draw on the same per-user budget as socket messages.</summary>
    private sealed class SharedLimiter(PartitionedRateLimiter<string> inner, string key) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;
        public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics(key);
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(key, permitCount);
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            inner.AcquireAsync(key, permitCount, cancellationToken);
    }
}

/// <summary>Sign-in attempts per account (by normalized email), so one account cannot be guessed at from many IPs.</summary>
public sealed class SignInThrottle(RateLimitOptions options)
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(email =>
        RateLimitPartition.GetFixedWindowLimiter(email, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInPerAccount,
            Window = options.Window,
            QueueLimit = 0,
        }));

    /// <summary>Null when the attempt may proceed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string email) => RateLimits.RetryAfterOrNull(_limiter.AttemptAcquire(email));
}

/// <summary>
/// A socket's allowance of messages: a token bucket refilled at a steady rate. Used only by the socket's receive loop
/// (one reader), so it needs no lock; a struct inside the connection, so an idle socket holds no object for it.
/// </summary>
public struct MessageBudget
{
    private double _tokens;
    private long _atTicks;

    public bool TryTake(long nowTicks, double perSecond, double burst)
    {
        _tokens = _atTicks == 0 ? burst : Math.Min(burst, _tokens + (nowTicks - _atTicks) * perSecond / TimeSpan.TicksPerSecond);
        _atTicks = nowTicks;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
