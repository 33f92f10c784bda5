using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Where you're signed in (ADR 0048), on one gateway: sessions listed by device, one of them ended (its refresh and
/// access tokens refused, its socket closed, the others untouched), others' sessions not found, and a sign-in from a
/// new device mailed. The whole-stack tests check that another replica ends it too.
/// </summary>
public sealed class SessionsApiTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Password = "correct horse battery";
    private const string Laptop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    private async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, string? userAgent = null)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    private async Task<JsonObject> SignInAsync(string email, string userAgent)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/auth/signin", new { email, password = Password }, userAgent: userAgent);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private static string Access(JsonObject session) => session["accessToken"]!.GetValue<string>();

    private async Task<JsonArray> ListAsync(JsonObject session)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/api/auth/me/sessions", token: Access(session));
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["sessions"]!.AsArray();
    }

    private async Task<List<string>> NewSignInMailsAsync(string userId) =>
        [.. (await gateway.Services.GetRequiredService<Mail.MailOutbox>().ForAccountAsync(userId, 50, TestContext.Current.CancellationToken))
            .Where(m => m.Document.Kind == "new-sign-in").Select(m => m.Document.Subject)];

    [Fact]
    public async Task Ending_one_session_signs_out_that_device_only_and_a_new_device_is_mailed()
    {
        var ct = TestContext.Current.CancellationToken;
        var email = GatewayFactory.NewEmail();
        var (signedUp, laptop) = await SendAsync(HttpMethod.Post, "/api/auth/signup", GatewayFactory.RiderSignUp(email, Password), userAgent: Laptop);
        Assert.Equal(HttpStatusCode.OK, signedUp);
        var userId = laptop!["userId"]!.GetValue<string>();
        Assert.Empty(await NewSignInMailsAsync(userId)); // the sign-up's own session is not news

        var phone = await SignInAsync(email, Phone);
        var laptopAgain = await SignInAsync(email, Laptop);

        var mails = await NewSignInMailsAsync(userId);
        var mail = Assert.Single(mails); // the phone's; the laptop had been used
        Assert.StartsWith("New sign-in to your UberClone account: Safari on iPhone", mail); // the body leaves with the mail: the stack test reads it

        var listed = await ListAsync(laptop);
        Assert.Equal(["Chrome on Linux", "Safari on iPhone", "Chrome on Linux"], listed.Select(s => s!["device"]!.GetValue<string>()));
        var current = Assert.Single(listed, s => s!["current"]!.GetValue<bool>());
        Assert.Equal(listed[^1]!["id"]!.GetValue<string>(), current!["id"]!.GetValue<string>()); // the sign-up's, the oldest
        var phoneId = listed[1]!["id"]!.GetValue<string>();
        Assert.Equal(phoneId, (await ListAsync(phone)).Single(s => s!["current"]!.GetValue<bool>())!["id"]!.GetValue<string>());

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        using var phoneSocket = await ConnectAsync(Access(phone), deadline.Token);
        using var laptopSocket = await ConnectAsync(Access(laptop), deadline.Token);
        await ReceiveAsync(phoneSocket, deadline.Token);
        await ReceiveAsync(laptopSocket, deadline.Token);

        // Someone else cannot end it, nor learn that it exists.
        var stranger = (await SendAsync(HttpMethod.Post, "/api/auth/signup", GatewayFactory.RiderSignUp(), userAgent: Laptop)).Body!;
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/auth/me/sessions/{phoneId}", token: Access(stranger))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/auth/me", token: Access(phone))).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/auth/me/sessions/{phoneId}", token: Access(laptop))).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/auth/me", token: Access(phone))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = phone["refreshToken"]!.GetValue<string>() })).Status);
        Assert.Equal(ClientConnection.TokenExpired, await ReceiveUntilClosedAsync(phoneSocket, deadline.Token));
        Assert.Equal(ConnectionRegistry.SessionEndedReason, phoneSocket.CloseStatusDescription);
        // The other devices go on.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/auth/me", token: Access(laptopAgain))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = laptop["refreshToken"]!.GetValue<string>() })).Status);
        await laptopSocket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "ping" }), WebSocketMessageType.Text, true, deadline.Token);
        Assert.Equal("pong", (await ReceiveAsync(laptopSocket, deadline.Token))["type"]!.GetValue<string>());

        Assert.DoesNotContain(await ListAsync(laptopAgain), s => s!["id"]!.GetValue<string>() == phoneId);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/auth/me/sessions/{phoneId}", token: Access(laptopAgain))).Status);
    }

    [Fact]
    public async Task Signing_out_on_the_device_or_everywhere_takes_sessions_off_the_list()
    {
        var email = GatewayFactory.NewEmail();
        var first = (await SendAsync(HttpMethod.Post, "/api/auth/signup", GatewayFactory.RiderSignUp(email, Password), userAgent: Laptop)).Body!;
        var phone = await SignInAsync(email, Phone);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/api/auth/signout", new { refreshToken = phone["refreshToken"]!.GetValue<string>() })).Status);
        Assert.Equal(["Chrome on Linux"], (await ListAsync(first)).Select(s => s!["device"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/api/auth/signout-everywhere", new { }, Access(first))).Status);
        var after = await SignInAsync(email, Laptop);
        var listed = await ListAsync(after);
        Assert.True(Assert.Single(listed)!["current"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Support_sees_where_a_caller_is_signed_in_and_nobody_else_does()
    {
        await using var desk = new SupportAccountTests.Gateway(SupportAccountTests.NewDataDirectory(), SupportAccountTests.Email, "support password");
        var (_, support) = await SupportAccountTests.SignInAsync(desk, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var (_, rider, _) = await desk.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var riderId = rider["userId"]!.GetValue<string>();

        var (status, listed, _) = await desk.GetAsync($"/api/ops/users/{riderId}/sessions", token);

        Assert.Equal(HttpStatusCode.OK, status);
        var only = Assert.Single(listed["sessions"]!.AsArray())!;
        Assert.Equal("Unknown device", only["device"]!.GetValue<string>()); // the test client names no browser
        Assert.False(only["current"]!.GetValue<bool>()); // not support's own
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/api/ops/users/{riderId}/sessions", rider["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync($"/api/ops/users/{riderId}/sessions")).Status);
        Assert.Empty((await desk.GetAsync("/api/ops/users/nobody/sessions", token)).Body["sessions"]!.AsArray());
    }

    private async Task<WebSocket> ConnectAsync(string token, CancellationToken ct) =>
        await gateway.Server.CreateWebSocketClient().ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws?access_token=" + token), ct);

    private static async Task<WebSocketCloseStatus?> ReceiveUntilClosedAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return result.CloseStatus;
        }
    }

    private static async Task<JsonObject> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
    }
}
