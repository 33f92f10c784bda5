using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace UberClone.Simulator;

/// <summary>A signed-in simulated user. Access tokens live 15 minutes: a refused one is renewed with the refresh token.</summary>
public sealed class UserSession(string userId, string role, string accessToken, string refreshToken)
{
    private readonly SemaphoreSlim _renewing = new(1, 1);

    public string UserId { get; } = userId;
    public string Role { get; } = role;
    public string AccessToken { get; private set; } = accessToken;
    private string RefreshToken { get; set; } = refreshToken;

    /// <summary>Renews the tokens unless another request of this user already replaced <paramref name="refused"/>.</summary>
    internal async Task RenewAsync(string refused, Func<string, Task<JsonObject>> refresh, CancellationToken ct)
    {
        await _renewing.WaitAsync(ct);
        try
        {
            if (AccessToken != refused) return;
            var tokens = await refresh(RefreshToken);
            AccessToken = tokens["accessToken"]!.GetValue<string>();
            RefreshToken = tokens["refreshToken"]!.GetValue<string>();
        }
        finally
        {
            _renewing.Release();
        }
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
                return new UserSession(body["userId"]!.GetValue<string>(), role, body["accessToken"]!.GetValue<string>(), body["refreshToken"]!.GetValue<string>());
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

    public Task<JsonObject> PostAsync(UserSession user, string path, object body, CancellationToken ct, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, user, body, ct, idempotencyKey);

    public Task<JsonObject> GetAsync(UserSession user, string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, user, null, ct);

    /// <summary>The sandbox checkout's Pay button (a form POST on the checkout page the link points to).</summary>
    public async Task PayInSandboxAsync(string checkoutUrl, CancellationToken ct)
    {
        using var response = await AnsweredAsync(() => _http.PostAsync(checkoutUrl.TrimEnd('/') + "/pay", new FormUrlEncodedContent([]), ct), "sandbox payment", ct);
        if ((int)response.StatusCode >= 400) throw new SimulationException($"sandbox payment failed: {(int)response.StatusCode}");
    }

    public async Task<Socket> ConnectAsync(UserSession user, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = "/ws", Query = "access_token=" + user.AccessToken }.Uri;
        await socket.ConnectAsync(uri, ct);
        return new Socket(socket, ct);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, UserSession? user, object? body, CancellationToken ct, string? idempotencyKey = null)
    {
        var token = user?.AccessToken;
        try
        {
            return await SendOnceAsync(method, path, token, body, ct, idempotencyKey);
        }
        catch (SimulationException ex) when (ex.Status == 401 && user is not null)
        {
            // The access token expired (runs longer than its 15 minutes): renew it, and send the request once more.
            await user.RenewAsync(token!, refreshToken => SendOnceAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken }, ct, null), ct);
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

    /// <summary>A user's socket: messages arrive in a channel; sends are serialized.</summary>
    public sealed class Socket : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly Channel<JsonObject> _incoming = Channel.CreateUnbounded<JsonObject>();
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly Task _receiver;

        internal Socket(ClientWebSocket socket, CancellationToken ct)
        {
            _socket = socket;
            _receiver = ReceiveAsync(ct);
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
                    await _incoming.Writer.WriteAsync(JsonNode.Parse(text.ToString())!.AsObject(), ct);
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
            await _receiver;
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
