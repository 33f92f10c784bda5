using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// Where you're signed in (ADR 0048), across both gateway replicas: a rider on a laptop and a phone lists both, ends
/// the phone's session from the laptop, and the phone is out everywhere (its refresh and access tokens refused on
/// both replicas, its sockets on both closed) while the laptop goes on; another user's id is 404; the phone's sign-in
/// was mailed as a new device.
/// </summary>
public sealed class WhereSignedInTests(TwoGatewaysFixture stack)
{
    private const string Password = "correct horse battery staple";
    private const string Laptop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task Ending_the_phones_session_from_the_laptop_signs_the_phone_out_on_every_replica_and_only_it()
    {
        var client = stack.Client();
        var email = $"devices-{Guid.NewGuid():N}@test.uberclone.dev";
        var laptop = await PostOkAsync(client, "/api/auth/signup", new { email, password = Password, role = "rider", name = "Ines", timeZone = "Europe/Vienna" }, Laptop);
        var phone = await PostOkAsync(client, "/api/auth/signin", new { email, password = Password }, Phone);

        var mail = await stack.Mailbox.WaitForAsync(email, m => m.Subject.StartsWith("New sign-in", StringComparison.Ordinal));
        Assert.Equal("New sign-in to your UberClone account: Safari on iPhone", mail.Subject);
        Assert.Matches(@"Safari on iPhone, at \d\d:\d\d \(your time zone\)", mail.Text);
        Assert.Contains("Not you? Change your password", mail.Text);

        var phoneUser = new UserSession(client, phone.Str("userId"), "rider", phone.Str("accessToken"));
        var laptopUser = new UserSession(client, laptop.Str("userId"), "rider", laptop.Str("accessToken"));
        var listed = (await laptopUser.GetOkAsync("/api/auth/me/sessions"))["sessions"]!.AsArray();
        Assert.Equal(["Safari on iPhone", "Chrome on Linux"], listed.Select(s => s.Str("device")));
        Assert.Equal([false, true], listed.Select(s => s!["current"]!.GetValue<bool>()));
        var phoneSessionId = listed[0].Str("id");

        await using var phoneFirst = await phoneUser.ConnectAsync();
        var firstReplica = (await phoneFirst.WaitForAsync("snapshot"))["data"].Str("gateway");
        await using var phoneSecond = await TwoGatewaysFixture.ConnectToAnotherReplicaAsync(phoneUser, firstReplica);
        await using var laptopSocket = await laptopUser.ConnectAsync();
        await laptopSocket.WaitForAsync("snapshot");

        var stranger = await client.SignInAsync("rider", "Mallory");
        using (var refused = await SignOutEverywhereTests.Send(client, HttpMethod.Delete, $"/api/auth/me/sessions/{phoneSessionId}", stranger.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using (var ended = await SignOutEverywhereTests.Send(client, HttpMethod.Delete, $"/api/auth/me/sessions/{phoneSessionId}", laptopUser.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        // Both of the phone's sockets close (one replica ended the session, the other learned it through Kafka).
        Assert.Equal((WebSocketCloseStatus)4001, await phoneFirst.WaitForCloseAsync());
        Assert.Equal((WebSocketCloseStatus)4001, await phoneSecond.WaitForCloseAsync());
        Assert.Contains("signed out of this device", phoneSecond.CloseReason);
        await SignOutEverywhereTests.RefusedOnEveryReplicaAsync(client, phoneUser.Token);
        using (var renewed = await client.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = phone.Str("refreshToken") }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, renewed.StatusCode);
        }

        // The laptop goes on, on both replicas, its socket open.
        for (var call = 0; call < 4; call++)
        {
            using var me = await SignOutEverywhereTests.Send(client, HttpMethod.Get, "/api/auth/me", laptopUser.Token);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        await laptopSocket.SendAsync(new { type = "ping", id = "still-here" });
        await laptopSocket.WaitForAsync("pong");
        Assert.Null(laptopSocket.CloseStatus);
        Assert.Equal(["Chrome on Linux"], (await laptopUser.GetOkAsync("/api/auth/me/sessions"))["sessions"]!.AsArray().Select(s => s.Str("device")));
        using (var renewed = await client.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = laptop.Str("refreshToken") }))
        {
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        }
    }

    private static async Task<JsonObject> PostOkAsync(PlatformClient client, string path, object body, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await PlatformClient.ReadAsync(await client.Http.SendAsync(request));
    }
}
