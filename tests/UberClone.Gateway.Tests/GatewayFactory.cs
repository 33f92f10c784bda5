using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The gateway with its own SQLite file in a temporary folder, a test signing key, and every service (and Kafka)
/// pointed at a closed port, so proxied routes exercise the "service down" path.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1mb3ItdGhlLWdhdGV3YXktdGVzdHMhIQ==";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"uberclone-gateway-test-{Guid.NewGuid():N}");

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public static string ClosedPortUrl { get; } = $"http://127.0.0.1:{ClosedPort()}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var settings = new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["Storage:DataDirectory"] = _data,
            ["ConnectionStrings:kafka"] = ClosedPortUrl["http://".Length..],
            ["services:trips:http:0"] = ClosedPortUrl,
            ["services:trips:grpc:0"] = ClosedPortUrl,
            ["services:drivers:http:0"] = ClosedPortUrl,
            ["services:drivers:grpc:0"] = ClosedPortUrl,
            ["services:payments:http:0"] = ClosedPortUrl,
            // Support accounts are not made to use 2-step verification unless a test turns it on (TwoStepForSupportTests).
            ["TwoStep:RequiredForSupport"] = "false",
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try
        {
            if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans temp.
        }
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> PostAsync(string path, object body, string? token = null)
    {
        using var client = CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response), response);
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object body, string? token = null)
    {
        using var client = CreateClient();
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response), response);
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> GetAsync(string path, string? token = null)
    {
        using var client = CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response), response);
    }

    public static object RiderSignUp(string? email = null, string password = "correct horse battery") =>
        new { email = email ?? NewEmail(), password, role = "rider", name = "Rita" };

    public static object DriverSignUp(string? email = null, string password = "correct horse battery") =>
        new { email = email ?? NewEmail(), password, role = "driver", name = "Dan", vehicle = new { make = "Toyota", model = "Prius", plate = "ab-123", colour = "blue", @class = "comfort" } };

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    /// <summary>A driver signed up with a confirmed email (mail goes only to confirmed addresses): their id.</summary>
    public async Task<string> ConfirmedDriverAsync(CancellationToken ct) => (await ConfirmedAsync(DriverSignUp(), ct)).Id;

    /// <summary>An account signed up with <paramref name="signUp"/> whose email is confirmed (mail goes only to confirmed addresses): its id and access token.</summary>
    public async Task<(string Id, string Token)> ConfirmedAsync(object signUp, CancellationToken ct)
    {
        var body = (await PostAsync("/api/auth/signup", signUp)).Body;
        var id = body["userId"]!.GetValue<string>();
        await Services.GetRequiredService<UberClone.Gateway.Accounts.AccountStore>().Accounts.UpdateAsync(id, a => a with { EmailVerifiedAt = DateTimeOffset.UtcNow }, ct: ct);
        return (id, body["accessToken"]!.GetValue<string>());
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["raw"] = text };
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same gateway with tiny limits, for the rate-limit tests.</summary>
public sealed class LowLimitsGatewayFactory : GatewayFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerAccount"] = "3",
        ["RateLimits:SignInPerIp"] = "8",
        ["RateLimits:LocationPerUser"] = "2",
        ["RateLimits:NearbyPerUser"] = "2",
        ["RateLimits:SocketMessagesPerSecond"] = "2",
    };
}

/// <summary>A low per-account sign-in limit with a per-IP limit no test reaches, so the account limit is what answers.</summary>
public sealed class AccountSignInLimitGatewayFactory : GatewayFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerAccount"] = "3",
        ["RateLimits:SignInPerIp"] = "1000",
    };
}

/// <summary>
/// Access tokens that live 10 seconds and no clock skew, for the tests of a socket's lifetime (the snapshot, read from
/// services that are down here, takes its 5-second deadline before a socket reads what its client sends).
/// </summary>
public sealed class ShortTokensGatewayFactory : GatewayFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Short enough to outlive in a test, long enough that a loaded machine's slowest step (a sign-up, a refresh) fits in it.
        ["Jwt:AccessTokenLifetime"] = "00:00:20",
        ["Jwt:ClockSkew"] = "00:00:00",
    };
}

/// <summary>The gateway sending its mail over SMTP to a local mailbox the tests read.</summary>
public sealed class MailGatewayFactory : GatewayFactory
{
    public UberClone.Stack.Tests.Infrastructure.FakeMailbox Mailbox { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:mail"] = Mailbox.ConnectionString,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Mailbox.DisposeAsync();
    }
}
