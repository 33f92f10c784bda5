using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace UberClone.Simulator;

/// <summary>
/// A signed-in simulated user. Access tokens live 15 minutes: one about to expire is renewed with the refresh token
/// before it is used (and a refused one after), and the user's socket is handed each renewed token.
/// </summary>
public sealed class UserSession
{
    /// <summary>Renew an access token this long before it expires.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _renewing = new(1, 1);

    internal UserSession(string role, JsonObject tokens)
    {
        UserId = tokens["userId"]!.GetValue<string>();
        Role = role;
        Take(tokens);
    }

    public string UserId { get; }
    public string Role { get; }
    public string AccessToken { get; private set; } = "";
    /// <summary>By this machine's clock, from the token's lifetime (expiresIn).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }
    private string RefreshToken { get; set; } = "";

    public bool ExpiresSoon => ExpiresAt - DateTimeOffset.UtcNow < RenewBefore;

    /// <summary>Renews the tokens unless another request of this user already replaced <paramref name="refused"/>.</summary>
    internal async Task RenewAsync(string refused, Func<string, Task<JsonObject>> refresh, CancellationToken ct)
    {
        await _renewing.WaitAsync(ct);
        try
        {
            if (AccessToken != refused) return;
            Take(await refresh(RefreshToken));
        }
        finally
        {
            _renewing.Release();
        }
    }

    private void Take(JsonObject tokens)
    {
        AccessToken = tokens["accessToken"]!.GetValue<string>();
        RefreshToken = tokens["refreshToken"]!.GetValue<string>();
        ExpiresAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(tokens["expiresIn"]?.GetValue<int>() ?? 15 * 60);
    }
}

/// <summary>The public API as an app uses it: REST under /api with a bearer token, and the /ws socket.</summary>
public sealed class GatewayClient(Uri gateway)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 })
    {
        BaseAddress = gateway,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Uri Gateway => gateway;

    private int _toldAboutSignUpLimit;
    /// <summary>
    /// Sign-ups hash a password (deliberately slow CPU work in the gateway): hundreds at once only queue there until
    /// requests time out. A few at a time, the fleet comes online as fast as the gateway signs users up.
    /// </summary>
    private readonly SemaphoreSlim _signUps = new(4);

    /// <summary>
    /// Signs a new user up. Sign-ups are limited per client IP (the gateway's <c>RateLimits:SignInPerIp</c>), and every
    /// simulated user comes from this machine: over the limit the gateway answers 429 with Retry-After, and the sign-up
    /// waits that long and tries again (until the run ends), rather than leaving that user out of the simulation.
    /// </summary>
    public async Task<UserSession> SignUpAsync(string role, string name, object? vehicle, CancellationToken ct)
    {
        var account = new
        {
            email = $"sim-{role}-{Guid.NewGuid():N}@example.test",
            password = "simulated-" + Guid.NewGuid().ToString("N"),
            role,
            name,
            vehicle,
        };
        while (true)
        {
            TimeSpan wait;
            await _signUps.WaitAsync(ct);
            try
            {
                var body = await SendAsync(HttpMethod.Post, "/api/auth/signup", null, account, ct);
                return new UserSession(role, body);
            }
            catch (SimulationException ex) when (ex.Status == 429)
            {
                wait = ex.RetryAfter ?? TimeSpan.FromSeconds(5);
            }
            finally
            {
                _signUps.Release();
            }
            if (Interlocked.Exchange(ref _toldAboutSignUpLimit, 1) == 0)
            {
                Console.WriteLine($"The gateway limits sign-ups from one IP (RateLimits:SignInPerIp); the users over it wait {wait.TotalSeconds:0} s and try again.");
            }
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(1_000)), ct);
        }
    }

    private Task<UserSession>? _desk;
    private readonly Lock _deskLock = new();

    /// <summary>
    /// A new driver sends documents and the support desk approves them for <paramref name="vehicleClass"/> (ADR 0022: a
    /// driver goes online only once approved), signed in once as ops@uberclone.local for the whole run.
    /// </summary>
    public async Task ApproveDriverAsync(UserSession driver, string vehicleClass, string operatorPassword, CancellationToken ct)
    {
        await SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", driver, new
        {
            licenceNumber = $"SIM-{driver.UserId[..Math.Min(8, driver.UserId.Length)]}",
            licenceExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd"),
            insurancePolicy = "SIM-INSURANCE",
            insuranceExpiresOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
            vehicleYear = 2020,
        }, ct);
        Task<UserSession> desk;
        lock (_deskLock) desk = _desk ??= SignInDeskAsync(operatorPassword, ct);
        await SendAsync(HttpMethod.Post, $"/api/ops/users/{driver.UserId}/driver-approval/approve", await desk, new { classes = new[] { vehicleClass } }, ct);
    }

    private async Task<UserSession> SignInDeskAsync(string password, CancellationToken ct)
    {
        try
        {
            return new UserSession("operator", await SendAsync(HttpMethod.Post, "/api/auth/signin", null, new { email = "ops@uberclone.local", password }, ct));
        }
        catch (SimulationException ex)
        {
            throw new SimulationException($"The support desk could not sign in to approve the simulated drivers (--operator-password?): {ex.Message}", ex.Status);
        }
    }

    public Task<JsonObject> PostAsync(UserSession user, string path, object body, CancellationToken ct, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, user, body, ct, idempotencyKey);

    public Task<JsonObject> GetAsync(UserSession user, string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, user, null, ct);

    /// <summary>The sandbox checkout's Pay button (a form POST on the checkout page the link points to).</summary>
    public async Task PayInSandboxAsync(string checkoutUrl, CancellationToken ct)
    {
        using var response = await AnsweredAsync(() => _http.PostAsync(checkoutUrl.TrimEnd('/') + "/pay", new FormUrlEncodedContent([]), ct), "sandbox payment", ct);
        if ((int)response.StatusCode >= 400) throw new SimulationException($"sandbox payment failed: {(int)response.StatusCode}");
    }

    /// <summary>
    /// Saves the sandbox's test Visa as the rider's card: the setup page the API gives, and its form sent as a browser
    /// sends it (the page then sends the browser back to the web app's /account, which is not followed here).
    /// </summary>
    public async Task SaveCardAsync(UserSession user, CancellationToken ct)
    {
        var setup = await PostAsync(user, "/api/payments/cards/setup", new { }, ct);
        var url = setup["url"]!.GetValue<string>();
        using var response = await AnsweredAsync(() => _http.PostAsync(url.TrimEnd('/') + "/card", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["number"] = "4242424242424242", ["expiry"] = $"12/{DateTime.UtcNow.Year % 100 + 3}", ["cvc"] = "123",
        }), ct), "saving a card", ct);
        if ((int)response.StatusCode >= 400 && response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            throw new SimulationException($"saving a card failed: {(int)response.StatusCode}");
        }
    }

    public async Task<Socket> ConnectAsync(UserSession user, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = "/ws", Query = "access_token=" + await FreshTokenAsync(user, ct) }.Uri;
        await socket.ConnectAsync(uri, ct);
        return new Socket(socket, user, this, ct);
    }

    /// <summary>The user's access token, renewed first when it is about to expire.</summary>
    private async Task<string> FreshTokenAsync(UserSession user, CancellationToken ct)
    {
        if (user.ExpiresSoon) await RenewAsync(user, user.AccessToken, ct);
        return user.AccessToken;
    }

    private Task RenewAsync(UserSession user, string refused, CancellationToken ct) =>
        user.RenewAsync(refused, refreshToken => SendOnceAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken }, ct, null), ct);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, UserSession? user, object? body, CancellationToken ct, string? idempotencyKey = null)
    {
        var token = user is null ? null : await FreshTokenAsync(user, ct);
        try
        {
            return await SendOnceAsync(method, path, token, body, ct, idempotencyKey);
        }
        catch (SimulationException ex) when (ex.Status == 401 && user is not null)
        {
            // The gateway refused a token this machine thought good (the stack restarted with a new signing key, or
            // its clock differs): renew it, and send the request once more.
            await RenewAsync(user, token!, ct);
            return await SendOnceAsync(method, path, user.AccessToken, body, ct, idempotencyKey);
        }
    }

    private async Task<JsonObject> SendOnceAsync(HttpMethod method, string path, string? token, object? body, CancellationToken ct, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await AnsweredAsync(() => _http.SendAsync(request, ct), $"{method} {path}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new SimulationException($"{method} {path} → {(int)response.StatusCode}: {text}", (int)response.StatusCode)
            {
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A request the gateway did not answer in time is that user's error, not the end of the whole run.</summary>
    private async Task<HttpResponseMessage> AnsweredAsync(Func<Task<HttpResponseMessage>> send, string what, CancellationToken ct)
    {
        try
        {
            return await send();
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SimulationException($"{what}: no answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// A user's socket: messages arrive in a channel; sends are serialized. The gateway closes a socket whose token
    /// expired, so before that it is handed the user's renewed token ("auth"; the replies to it are not passed on).
    /// </summary>
    public sealed class Socket : IAsyncDisposable
    {
        private const string AuthId = "socket.auth";
        private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(45);
        private readonly ClientWebSocket _socket;
        private readonly Channel<JsonObject> _incoming = Channel.CreateUnbounded<JsonObject>();
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly CancellationTokenSource _closing;
        private readonly Task _receiver;
        private readonly Task _renewer;

        internal Socket(ClientWebSocket socket, UserSession user, GatewayClient api, CancellationToken ct)
        {
            _socket = socket;
            _closing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _receiver = ReceiveAsync(_closing.Token);
            _renewer = KeepTokenAsync(user, api, _closing.Token);
        }

        /// <summary>Hands the socket the user's renewed token shortly before the one it has expires; a failed renewal is tried again.</summary>
        private async Task KeepTokenAsync(UserSession user, GatewayClient api, CancellationToken ct)
        {
            try
            {
                var until = user.ExpiresAt;
                while (_socket.State == WebSocketState.Open)
                {
                    var wait = until - RenewBefore - DateTimeOffset.UtcNow;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                    try
                    {
                        var token = await api.FreshTokenAsync(user, ct);
                        await SendAsync(new { type = "auth", id = AuthId, token }, ct);
                        until = user.ExpiresAt;
                    }
                    catch (Exception ex) when (ex is SimulationException or HttpRequestException or WebSocketException)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(5), ct);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Simulation over, or the socket is being closed.
            }
        }

        public ChannelReader<JsonObject> Incoming => _incoming.Reader;

        public async Task SendAsync(object message, CancellationToken ct)
        {
            await _sending.WaitAsync(ct);
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, Json), WebSocketMessageType.Text, true, ct);
                }
            }
            finally
            {
                _sending.Release();
            }
        }

        private async Task ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var text = new StringBuilder();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer, ct);
                        if (result.MessageType == WebSocketMessageType.Close) return;
                        text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    } while (!result.EndOfMessage);
                    var message = JsonNode.Parse(text.ToString())!.AsObject();
                    if (message["data"] is JsonObject { } data && data["id"]?.GetValue<string>() == AuthId) continue;
                    await _incoming.Writer.WriteAsync(message, ct);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // Simulation over or connection lost.
            }
            finally
            {
                _incoming.Writer.TryComplete();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "simulation over", deadline.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
                {
                    // Already gone.
                }
            }
            await _closing.CancelAsync();
            await _receiver;
            await _renewer;
            _closing.Dispose();
            _socket.Dispose();
        }
    }
}

public sealed class SimulationException(string message, int status = 0) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The server's Retry-After, when it said when to try again (429).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
