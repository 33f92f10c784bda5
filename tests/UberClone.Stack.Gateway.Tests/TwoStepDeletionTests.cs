using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// 2-step verification across the whole stack (ADR 0052): asking to delete the account (trips confirms nothing is
/// owed) forgets every browser remembered at sign-in, so signing in to keep the account asks for a code again,
/// on either gateway replica. The challenge says for how many days a browser would be remembered.
/// </summary>
public sealed class TwoStepDeletionTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task Asking_to_delete_the_account_forgets_the_remembered_browsers_and_keeping_it_takes_a_code()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Remembered");
        var secret = (await PostAsync(client, "/api/auth/me/two-step/setup", new { password = rider.Password }, rider.Token)).Body.Str("secret");
        var (enabled, recovery) = await PostAsync(client, "/api/auth/me/two-step/enable", new { code = AuthenticatorApp.CodeOf(secret, 0) }, rider.Token);
        Assert.Equal(HttpStatusCode.OK, enabled);

        var challenge = await ChallengeAsync(client, rider, trustedDevice: null);
        Assert.Equal(30, challenge["rememberDays"]!.GetValue<int>()); // the AppHost leaves TwoStep:TrustedDeviceDays at 30
        var (remembered, session) = await PostAsync(client, "/api/auth/signin/two-step", new { challenge = challenge.Str("challenge"), code = AuthenticatorApp.CodeOf(secret, 1), rememberBrowser = true });
        Assert.Equal(HttpStatusCode.OK, remembered);
        var trustedDevice = session.Str("trustedDevice");
        var (skipped, skippedSession) = await PostAsync(client, "/api/auth/signin", new { email = rider.Email, password = rider.Password, trustedDevice });
        Assert.Equal(HttpStatusCode.OK, skipped);

        var (deleting, _) = await PostAsync(client, "/api/auth/me/delete", new { password = rider.Password }, skippedSession.Str("accessToken"));
        Assert.Equal(HttpStatusCode.Accepted, deleting);

        // The browser is forgotten: the password and the same token now answer a challenge, on each replica.
        var again = await ChallengeAsync(client, rider, trustedDevice);
        await ChallengeAsync(client, rider, trustedDevice);
        // The app's codes of now were both used (turning it on, the remembered sign-in): a recovery code answers.
        var (kept, keptSession) = await PostAsync(client, "/api/auth/signin/two-step", new { challenge = again.Str("challenge"), code = recovery["codes"]![0]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.True(keptSession["restored"]!.GetValue<bool>());
    }

    private static async Task<JsonObject> ChallengeAsync(PlatformClient client, UserSession rider, string? trustedDevice)
    {
        var (status, body) = await PostAsync(client, "/api/auth/signin", new { email = rider.Email, password = rider.Password, trustedDevice });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.EndsWith("/two-step-required", body.Str("type"));
        Assert.Null(body["accessToken"]);
        return body;
    }

    /// <summary>On a connection of its own: the AppHost's proxy hands each new connection to the next replica.</summary>
    internal static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(PlatformClient client, string path, object body, string? token = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = client.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : []);
    }
}
