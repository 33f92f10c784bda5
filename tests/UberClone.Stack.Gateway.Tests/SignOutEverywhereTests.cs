using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// Signing out everywhere (a lost phone; or support, for a rider who calls): every session of the user ends at once on
/// both gateway replicas: access tokens are refused, sockets are closed, refresh tokens are spent. A new sign-in works.
/// </summary>
public sealed class SignOutEverywhereTests(TwoGatewaysFixture stack)
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_user_who_signs_out_everywhere_ends_every_session_on_every_replica_and_can_sign_in_again()
    {
        var client = stack.Client();
        var email = $"everywhere-{Guid.NewGuid():N}@test.uberclone.dev";
        var phone = await PostOkAsync(client, "/api/auth/signup", new { email, password = Password, role = "rider", name = "Rosa" });
        var laptop = await PostOkAsync(client, "/api/auth/signin", new { email, password = Password });
        var laptopUser = new UserSession(client, laptop.Str("userId"), "rider", laptop.Str("accessToken"));
        await using var first = await laptopUser.ConnectAsync();
        var firstReplica = (await first.WaitForAsync("snapshot"))["data"].Str("gateway");
        await using var second = await TwoGatewaysFixture.ConnectToAnotherReplicaAsync(laptopUser, firstReplica);

        using (var ended = await Send(client, HttpMethod.Post, "/api/auth/signout-everywhere", phone.Str("accessToken")))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        // Both of the laptop's sockets close (one replica ended the sessions, the other learned it through Kafka).
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, await first.WaitForCloseAsync());
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, await second.WaitForCloseAsync());
        Assert.Contains("signed out everywhere", second.CloseReason);
        // Neither device's access token works on either replica (the proxy hands calls to the replicas in turn).
        foreach (var token in new[] { laptop.Str("accessToken"), phone.Str("accessToken") })
        {
            for (var call = 0; call < 4; call++)
            {
                using var me = await Send(client, HttpMethod.Get, "/api/auth/me", token);
                Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
            }
        }
        foreach (var refresh in new[] { laptop.Str("refreshToken"), phone.Str("refreshToken") })
        {
            using var renewed = await client.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh });
            Assert.Equal(HttpStatusCode.Unauthorized, renewed.StatusCode);
        }

        // A token's issue time has whole seconds: a sign-in a second later is a new session that works everywhere.
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        var again = await PostOkAsync(client, "/api/auth/signin", new { email, password = Password });
        for (var call = 0; call < 4; call++)
        {
            using var me = await Send(client, HttpMethod.Get, "/api/auth/me", again.Str("accessToken"));
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    [Fact]
    public async Task Support_signs_a_rider_out_everywhere_and_nobody_else_can()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Stolen phone");
        var other = await client.SignInAsync("rider", "Mallory");
        await using var socket = await rider.ConnectAsync();
        await socket.WaitForAsync("snapshot");
        var support = await PostOkAsync(client, "/api/auth/signin", new { email = Resources.OperatorEmail, password = stack.OperatorPassword });

        using (var refused = await Send(client, HttpMethod.Post, $"/api/ops/users/{rider.UserId}/signout-everywhere", other.Token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var me = await Send(client, HttpMethod.Get, "/api/auth/me", rider.Token))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        using (var unknown = await Send(client, HttpMethod.Post, $"/api/ops/users/r{Guid.NewGuid():N}/signout-everywhere", support.Str("accessToken")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var ended = await Send(client, HttpMethod.Post, $"/api/ops/users/{rider.UserId}/signout-everywhere", support.Str("accessToken")))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, await socket.WaitForCloseAsync());
        // The replica that ended the sessions refuses at once; the other one as soon as the event reaches it (Kafka).
        await RefusedOnEveryReplicaAsync(client, rider.Token);
        // Only that rider: the other one, and support, go on.
        using (var me = await Send(client, HttpMethod.Get, "/api/auth/me", other.Token))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    /// <summary>Until four calls in a row, on connections of their own (so both replicas), are 401; at most 10 s.</summary>
    internal static async Task RefusedOnEveryReplicaAsync(PlatformClient client, string token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var refusedInARow = 0; refusedInARow < 4;)
        {
            using var me = await Send(client, HttpMethod.Get, "/api/auth/me", token);
            refusedInARow = me.StatusCode == HttpStatusCode.Unauthorized ? refusedInARow + 1 : 0;
            Assert.True(DateTime.UtcNow < deadline, "A replica still accepted the token 10 s after the sessions ended.");
        }
    }

    private static async Task<JsonObject> PostOkAsync(PlatformClient client, string path, object body) =>
        await PlatformClient.ReadAsync(await client.Http.PostAsJsonAsync(path, body));

    /// <summary>On a connection of its own: the AppHost's proxy hands each new connection to the next replica.</summary>
    internal static async Task<HttpResponseMessage> Send(PlatformClient client, HttpMethod method, string path, string token)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = client.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
