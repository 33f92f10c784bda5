using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Gateway.RateLimiting;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// Client → server messages: {"type": "...", "id": "optional correlation id", ...}. Each gets an "ack" or an
/// "error" with the same id. Driver actions are forwarded to the drivers service as the socket's user; "auth" gives the
/// socket a renewed token of the same user, so it outlives the token it was opened with (<see cref="SocketExpiry"/>).
/// </summary>
public sealed class ClientCommands(
    DriverService.DriverServiceClient drivers, LocationBatcher locations, RateLimits limits, SocketAuthenticator authenticator, TimeProvider clock, ILogger<ClientCommands> logger)
{
    public const string Auth = "auth";
    public const string Location = "location";
    public const string AcceptOffer = "offer.accept";
    public const string DeclineOffer = "offer.decline";
    public const string Ping = "ping";

    private static readonly ActivitySource Source = new("UberClone.Gateway.Realtime");

    public async Task HandleAsync(ClientConnection connection, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        if (!limits.TryTakeSocketMessage(ref connection.Budget, clock.GetUtcNow().UtcTicks))
        {
            ConnectionRegistry.SendTo(connection, "error", new { id = IdOf(message), code = "rate_limited", message = "Too many messages on this socket; slow down." });
            return;
        }
        // Each socket message is a trace of its own, linked to the socket's request: otherwise everything a driver
        // does over a long-lived socket piles up under one ever-growing GET /ws trace.
        using var activity = StartMessageActivity(connection);
        string? id = null;
        try
        {
            using var json = JsonDocument.Parse(message);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ClientCommandException("A message must be a JSON object.");
            id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var type = root.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
            if (activity is not null && type is { Length: <= 40 }) activity.DisplayName = $"ws {type}";
            var result = type switch
            {
                Ping => new { pong = true } as object,
                Auth => await RenewAsync(connection, root),
                Location => await SendLocationAsync(connection, root, ct),
                AcceptOffer => await DecideAsync(connection, root, accept: true, ct),
                DeclineOffer => await DecideAsync(connection, root, accept: false, ct),
                _ => throw new ClientCommandException($"Unknown message type '{type}'. Known: {Ping}, {Auth}, {Location}, {AcceptOffer}, {DeclineOffer}."),
            };
            ConnectionRegistry.SendTo(connection, type == Ping ? "pong" : "ack", new { id, type, result });
        }
        catch (JsonException)
        {
            ConnectionRegistry.SendTo(connection, "error", new { id, code = "invalid_json", message = "The message is not valid JSON." });
        }
        catch (ClientCommandException ex)
        {
            ConnectionRegistry.SendTo(connection, "error", new { id, code = "invalid_message", message = ex.Message });
        }
        catch (RpcException ex)
        {
            logger.LogDebug("Socket command of {UserId} refused: {Status}", connection.UserId, ex.Status);
            ConnectionRegistry.SendTo(connection, "error", new { id, code = ToCode(ex.StatusCode), message = ex.Status.Detail });
        }
    }

    /// <summary>A renewed access token of the socket's own user: the socket stays open until it expires.</summary>
    private async Task<object> RenewAsync(ClientConnection connection, JsonElement root)
    {
        var token = root.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(token)) throw new ClientCommandException("token is required: a renewed access token.");
        var caller = await authenticator.ValidateAsync(token)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "The token is not valid (expired, or not issued by this service)."));
        if (caller.Caller.UserId != connection.UserId || caller.Caller.Role != connection.Role)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The token belongs to another user; open a socket of its own for it."));
        }
        connection.ValidUntil = caller.ValidUntil;
        connection.TokenIssuedAt = caller.IssuedAt;
        connection.SessionId = caller.SessionId;
        return new { validUntil = caller.ValidUntil };
    }

    private async Task<object> SendLocationAsync(ClientConnection connection, JsonElement root, CancellationToken ct)
    {
        RequireDriver(connection);
        if (limits.TryAcquireLocation(connection.UserId) is { } retryAfter)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Too many location updates; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s."));
        }
        var update = new LocationUpdate
        {
            Lat = Number(root, "lat"),
            Lng = Number(root, "lng"),
            AccuracyMeters = OptionalNumber(root, "accuracy") ?? 0,
            Heading = OptionalNumber(root, "heading") ?? -1,
            RecordedAt = root.TryGetProperty("recordedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : "",
        };
        var result = await locations.SendAsync(connection.UserId, update, ct);
        if (result.StatusCode != (int)StatusCode.OK) throw new RpcException(new Status((StatusCode)result.StatusCode, result.Message));
        return new { accepted = result.Accepted };
    }

    private async Task<object> DecideAsync(ClientConnection connection, JsonElement root, bool accept, CancellationToken ct)
    {
        RequireDriver(connection);
        var decision = new OfferDecision
        {
            TripId = root.TryGetProperty("tripId", out var trip) && trip.ValueKind == JsonValueKind.String ? trip.GetString() : throw new ClientCommandException("tripId is required."),
            Reason = root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : "",
        };
        var result = accept
            ? await drivers.AcceptOfferAsync(decision, Metadata(connection), cancellationToken: ct)
            : await drivers.DeclineOfferAsync(decision, Metadata(connection), cancellationToken: ct);
        return new { tripId = result.TripId, outcome = result.Outcome };
    }

    /// <summary>The message's id, when it is a JSON object with a string id (for the reply to a message not handled).</summary>
    private static string? IdOf(ReadOnlyMemory<byte> message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Activity? StartMessageActivity(ClientConnection connection)
    {
        var socket = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity("ws message", ActivityKind.Server, parentContext: default,
            tags: [new("enduser.role", connection.Role)],
            links: socket is null ? null : [new ActivityLink(socket.Context)]);
        if (activity is null) Activity.Current = socket;
        return activity;
    }

    private static void RequireDriver(ClientConnection connection)
    {
        if (connection.Role != Roles.Driver) throw new RpcException(new Status(StatusCode.PermissionDenied, "Only drivers can send this message."));
    }

    private static Metadata Metadata(ClientConnection connection) => new Caller(connection.UserId, connection.Role).ToMetadata();

    private static double Number(JsonElement root, string name) =>
        OptionalNumber(root, name) ?? throw new ClientCommandException($"{name} is required and must be a number.");

    private static double? OptionalNumber(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string ToCode(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => "invalid_argument",
        StatusCode.NotFound => "not_found",
        StatusCode.FailedPrecondition => "failed_precondition",
        StatusCode.PermissionDenied => "forbidden",
        StatusCode.Unauthenticated => "unauthorized",
        StatusCode.ResourceExhausted => "rate_limited",
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => "service_unavailable",
        _ => "internal",
    };
}

public sealed class ClientCommandException(string message) : Exception(message);
