using System.Net;

namespace UberClone.Gateway.Tests;

public sealed class RateLimitTests(LowLimitsGatewayFactory gateway) : IClassFixture<LowLimitsGatewayFactory>
{
    [Fact]
    public async Task Sign_ins_from_one_ip_are_limited_across_accounts()
    {
        HttpStatusCode status = default;
        HttpResponseMessage? response = null;
        for (var i = 0; i < 12 && status != HttpStatusCode.TooManyRequests; i++)
        {
            (status, _, response) = await gateway.PostAsync("/api/auth/signin", new { email = GatewayFactory.NewEmail(), password = "whatever123" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("application/problem+json", response!.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

/// <summary>Asking for reset codes for many emails from one IP (mailing strangers) is limited like signing in.</summary>
public sealed class PasswordResetLimitTests(LowLimitsGatewayFactory gateway) : IClassFixture<LowLimitsGatewayFactory>
{
    [Fact]
    public async Task Reset_codes_asked_from_one_ip_for_many_emails_are_limited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await gateway.PostAsync("/api/auth/password-reset", new { email = GatewayFactory.NewEmail() })).Status);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 8), statuses.Take(8)); // RateLimits:SignInPerIp = 8
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[8]);
    }
}

public sealed class NearbyLimitTests(LowLimitsGatewayFactory gateway) : IClassFixture<LowLimitsGatewayFactory>
{
    [Fact]
    public async Task A_riders_nearby_drivers_are_limited_per_user()
    {
        var token = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();
        var other = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await gateway.GetAsync("/api/drivers/nearby?lat=52.5&lng=13.4", token)).Status);
        var otherStatus = (await gateway.GetAsync("/api/drivers/nearby?lat=52.5&lng=13.4", other)).Status;
        var tripsStatus = (await gateway.GetAsync("/api/trips/active", token)).Status;

        // drivers is down behind this gateway: the first two get that far (503), the third is stopped by the limit of 2;
        // another rider and other GETs of the same rider are not.
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, otherStatus);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, tripsStatus);
    }
}

/// <summary>Its own gateway: the per-IP sign-in budget that other tests spend must not answer for the account limit.</summary>
public sealed class AccountSignInLimitTests(AccountSignInLimitGatewayFactory gateway) : IClassFixture<AccountSignInLimitGatewayFactory>
{
    [Fact]
    public async Task Sign_in_attempts_on_one_account_are_limited_with_retry_after()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email));

        var statuses = new List<HttpStatusCode>();
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response) last = default;
        for (var i = 0; i < 4; i++)
        {
            last = await gateway.PostAsync("/api/auth/signin", new { email, password = "wrong password" });
            statuses.Add(last.Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("https://uberclone.dev/problems/rate-limited", last.Body?["type"]?.GetValue<string>());
        Assert.True(last.Response?.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}

public sealed class SocketCommandTests(LowLimitsGatewayFactory gateway) : IClassFixture<LowLimitsGatewayFactory>
{
    [Fact]
    public async Task Socket_locations_share_the_per_user_limit_and_riders_cannot_send_driver_messages()
    {
        var driver = await ConnectAsync(GatewayFactory.DriverSignUp());
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(driver, $$"""{"type":"location","id":"l{{i}}","lat":52.5,"lng":13.4}""");
            codes.Add((await ReceiveAsync(driver))["data"]!["code"]!.GetValue<string>());
        }
        // drivers is down behind this gateway: the first two get that far, the third is stopped by the limit of 2.
        Assert.Equal(["service_unavailable", "service_unavailable", "rate_limited"], codes);

        var rider = await ConnectAsync(GatewayFactory.RiderSignUp());
        await SendAsync(rider, """{"type":"offer.accept","id":"a1","tripId":"t1"}""");
        var refused = await ReceiveAsync(rider);
        Assert.Equal("error", refused["type"]!.GetValue<string>());
        Assert.Equal("forbidden", refused["data"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_socket_that_floods_messages_gets_rate_limited_errors_beyond_its_budget_and_recovers()
    {
        var rider = await ConnectAsync(GatewayFactory.RiderSignUp());
        for (var i = 0; i < 10; i++) await SendAsync(rider, $$"""{"type":"ping","id":"p{{i}}"}""");
        var replies = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 10; i++) replies.Add(await ReceiveAsync(rider));

        // 2 a second with a burst of 4: the first four are answered, the rest (but one refilled meanwhile) refused.
        Assert.Equal(["p0", "p1", "p2", "p3"], replies.Take(4).Select(r => r["data"]!["id"]!.GetValue<string>()));
        Assert.All(replies.Take(4), r => Assert.Equal("pong", r["type"]!.GetValue<string>()));
        var refused = replies.Where(r => r["type"]!.GetValue<string>() == "error").ToList();
        Assert.InRange(refused.Count, 5, 6);
        Assert.All(refused, r => Assert.Equal("rate_limited", r["data"]!["code"]!.GetValue<string>()));
        Assert.All(refused, r => Assert.Matches("^p[4-9]$", r["data"]!["id"]!.GetValue<string>()));

        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        await SendAsync(rider, """{"type":"ping","id":"later"}""");
        var later = await ReceiveAsync(rider);
        Assert.Equal("pong", later["type"]!.GetValue<string>());
        Assert.Equal("later", later["data"]!["id"]!.GetValue<string>());
    }

    private async Task<System.Net.WebSockets.WebSocket> ConnectAsync(object signUp)
    {
        var token = (await gateway.PostAsync("/api/auth/signup", signUp)).Body["accessToken"]!.GetValue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var socket = await gateway.Server.CreateWebSocketClient().ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws?access_token=" + token), deadline.Token);
        Assert.Equal("snapshot", (await ReceiveAsync(socket))["type"]!.GetValue<string>());
        return socket;
    }

    private static Task SendAsync(System.Net.WebSockets.WebSocket socket, string json) =>
        socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<System.Text.Json.Nodes.JsonObject> ReceiveAsync(System.Net.WebSockets.WebSocket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        var length = 0;
        System.Net.WebSockets.WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), deadline.Token);
            length += result.Count;
        } while (!result.EndOfMessage);
        return System.Text.Json.Nodes.JsonNode.Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, length))!.AsObject();
    }
}
