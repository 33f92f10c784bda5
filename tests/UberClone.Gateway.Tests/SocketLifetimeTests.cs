using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

/// <summary>A socket lives as long as its token, like a REST call; a renewed token sent on it keeps it open.</summary>
public sealed class SocketLifetimeTests(ShortTokensGatewayFactory gateway) : IClassFixture<ShortTokensGatewayFactory>
{
    [Fact]
    public async Task A_socket_whose_token_expires_is_closed_with_a_code_the_client_can_act_on()
    {
        var tokens = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var opened = Stopwatch.StartNew();
        using var socket = await ConnectAsync(tokens["accessToken"]!.GetValue<string>(), deadline.Token);

        var close = await ReceiveUntilClosedAsync(socket, deadline.Token);

        Assert.Equal(ClientConnection.TokenExpired, close);
        Assert.Equal(ClientConnection.TokenExpiredReason, socket.CloseStatusDescription);
        Assert.InRange(opened.Elapsed, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_socket_given_renewed_tokens_stays_open_past_its_first_token_and_closes_when_they_stop()
    {
        var tokens = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var socket = await ConnectAsync(tokens["accessToken"]!.GetValue<string>(), deadline.Token);
        Assert.Equal("snapshot", (await ReceiveAsync(socket, deadline.Token))["type"]!.GetValue<string>());

        var opened = Stopwatch.StartNew();
        for (var i = 0; opened.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            tokens = (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() })).Body;
            await SendAsync(socket, new { type = "auth", id = $"a{i}", token = tokens["accessToken"]!.GetValue<string>() }, deadline.Token);
            var ack = await ReceiveAsync(socket, deadline.Token);
            Assert.Equal("ack", ack["type"]!.GetValue<string>());
            Assert.Equal($"a{i}", ack["data"]!["id"]!.GetValue<string>());
            Assert.True(ack["data"]!["result"]!["validUntil"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
        }
        await SendAsync(socket, new { type = "ping", id = "still-here" }, deadline.Token);
        Assert.Equal("pong", (await ReceiveAsync(socket, deadline.Token))["type"]!.GetValue<string>());

        Assert.Equal(ClientConnection.TokenExpired, await ReceiveUntilClosedAsync(socket, deadline.Token));
    }

    [Fact]
    public async Task An_auth_message_with_a_bad_or_someone_elses_token_is_refused_and_changes_nothing()
    {
        var other = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var opened = Stopwatch.StartNew();
        using var socket = await ConnectAsync(rider["accessToken"]!.GetValue<string>(), deadline.Token);
        await ReceiveAsync(socket, deadline.Token);

        var refusals = new List<(string Code, string Message)>();
        foreach (var message in new object[]
        {
            new { type = "auth", id = "x" },
            new { type = "auth", id = "x", token = "not.a.token" },
            new { type = "auth", id = "x", token = other["accessToken"]!.GetValue<string>() },
        })
        {
            await SendAsync(socket, message, deadline.Token);
            var error = await ReceiveAsync(socket, deadline.Token);
            Assert.Equal("error", error["type"]!.GetValue<string>());
            refusals.Add((error["data"]!["code"]!.GetValue<string>(), error["data"]!["message"]!.GetValue<string>()));
        }

        Assert.Equal(["invalid_message", "unauthorized", "forbidden"], refusals.Select(r => r.Code));
        Assert.Contains("token is required", refusals[0].Message);
        Assert.Contains("another user", refusals[2].Message);
        // Someone else's valid token did not extend this socket: it still closes with its own token.
        Assert.Equal(ClientConnection.TokenExpired, await ReceiveUntilClosedAsync(socket, deadline.Token));
        Assert.InRange(opened.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    private async Task<WebSocket> ConnectAsync(string token, CancellationToken ct)
    {
        var client = gateway.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws?access_token=" + token), ct);
    }

    private static Task SendAsync(WebSocket socket, object message, CancellationToken ct) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, ct);

    /// <summary>Reads (and drops) messages until the server closes the socket; returns its close code.</summary>
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
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), ct);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            length += result.Count;
        } while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length))!.AsObject();
    }
}
