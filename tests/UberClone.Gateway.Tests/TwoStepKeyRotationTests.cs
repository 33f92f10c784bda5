using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Accounts.TwoStep;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The key 2-step secrets are sealed under, across deploys (ADR 0052): gateways one after another over the same
/// accounts database. Rotated (a new <c>TwoStep__SecretKey</c>, the old one in <c>TwoStep__PreviousSecretKeys</c>), a
/// secret under the old key still signs in and is sealed under the new one by that sign-in's write. Deployed without
/// the key (a bad deploy), the app's codes cannot be checked: a clear 409, an error naming the account, and the
/// recovery codes still work, so nobody is locked out.
/// </summary>
public sealed class TwoStepKeyRotationTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"uberclone-two-step-keys-{Guid.NewGuid():N}");
    private readonly byte[] _keyA = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _keyB = RandomNumberGenerator.GetBytes(32);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A gateway over <paramref name="data"/> with the given keys, keeping what it logs.</summary>
    private sealed class KeyedGateway(string data, byte[] key, params byte[][] previous) : GatewayFactory
    {
        public ListLogger Logs { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            [TwoStepSecrets.KeySetting] = Convert.ToBase64String(key),
            [TwoStepSecrets.PreviousKeysSetting] = previous.Length == 0 ? null : string.Join(',', previous.Select(Convert.ToBase64String)),
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        }
    }

    public sealed class ListLogger : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }

    private static string CodeOf(string secret, int stepsAhead = 0) => Totp.Code(Base32.Decode(secret)!, Totp.StepAt(DateTimeOffset.UtcNow) + stepsAhead);

    private static string Type(JsonObject problem) => problem["type"]!.GetValue<string>().Split('/')[^1];

    /// <summary>On a gateway with key A: a rider who turns 2-step verification on. The secret, the recovery codes.</summary>
    private async Task<(string Email, string UserId, string Secret, IReadOnlyList<string> Recovery)> RiderWithTwoStepUnderKeyAAsync()
    {
        await using var gateway = new KeyedGateway(_data, _keyA);
        var email = GatewayFactory.NewEmail();
        var signedUp = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Body;
        var token = signedUp["accessToken"]!.GetValue<string>();
        var secret = (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token)).Body["secret"]!.GetValue<string>();
        var enabled = await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, token);
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        var userId = signedUp["userId"]!.GetValue<string>();
        Assert.StartsWith($"v2:{TwoStepSecrets.KeyId(_keyA)}:", (await StoredSecretAsync(gateway, userId)));
        return (email, userId, secret, enabled.Body["codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList());
    }

    private static async Task<string> StoredSecretAsync(GatewayFactory gateway, string userId) =>
        (await gateway.Services.GetRequiredService<AccountStore>().Accounts.GetAsync(userId, Ct))!.Document.TwoStep!.Secret;

    private static async Task<string> ChallengeAsync(GatewayFactory gateway, string email)
    {
        var signIn = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });
        Assert.Equal("two-step-required", Type(signIn.Body));
        return signIn.Body["challenge"]!.GetValue<string>();
    }

    [Fact]
    public async Task Rotated_a_secret_under_the_previous_key_signs_in_and_that_sign_in_seals_it_under_the_new_key()
    {
        var (email, userId, secret, _) = await RiderWithTwoStepUnderKeyAAsync();

        await using (var rotated = new KeyedGateway(_data, _keyB, _keyA))
        {
            var signedIn = await rotated.PostAsync("/api/auth/signin/two-step", new { challenge = await ChallengeAsync(rotated, email), code = CodeOf(secret, 1) });
            Assert.Equal(HttpStatusCode.OK, signedIn.Status);
            Assert.StartsWith($"v2:{TwoStepSecrets.KeyId(_keyB)}:", await StoredSecretAsync(rotated, userId));
        }

        // Key A retired: the secret, sealed under B by that sign-in, still opens (and gives the app's codes).
        await using var afterRotation = new KeyedGateway(_data, _keyB);
        Assert.Equal(Base32.Decode(secret), afterRotation.Services.GetRequiredService<TwoStepSecrets>().Decrypt(userId, await StoredSecretAsync(afterRotation, userId)));
    }

    [Fact]
    public async Task Without_the_key_the_apps_code_is_a_clear_409_and_a_recovery_code_still_signs_in_and_turns_it_off()
    {
        var (email, userId, secret, recovery) = await RiderWithTwoStepUnderKeyAAsync();
        await using var badDeploy = new KeyedGateway(_data, _keyB);

        var refused = await badDeploy.PostAsync("/api/auth/signin/two-step", new { challenge = await ChallengeAsync(badDeploy, email), code = CodeOf(secret, 1) });

        Assert.Equal((HttpStatusCode.Conflict, "two-step-codes-unavailable"), (refused.Status, Type(refused.Body)));
        Assert.Contains("sign in with one of your recovery codes", refused.Body["detail"]!.GetValue<string>());
        var logged = Assert.Single(badDeploy.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2-step secret"));
        Assert.Contains(userId, logged.Message);
        Assert.DoesNotContain(secret.Replace(" ", ""), logged.Message);

        var signedIn = await badDeploy.PostAsync("/api/auth/signin/two-step", new { challenge = await ChallengeAsync(badDeploy, email), code = recovery[0] });
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        var token = signedIn.Body["accessToken"]!.GetValue<string>();
        Assert.StartsWith($"v2:{TwoStepSecrets.KeyId(_keyA)}:", await StoredSecretAsync(badDeploy, userId)); // kept as it is: it may open once the key is back

        var newCodes = await badDeploy.PostAsync("/api/auth/me/two-step/recovery-codes", new { password = Password, code = CodeOf(secret, 2) }, token);
        Assert.Equal((HttpStatusCode.Conflict, "two-step-codes-unavailable"), (newCodes.Status, Type(newCodes.Body)));
        var offWithTheApp = await badDeploy.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = CodeOf(secret, 2) }, token);
        Assert.Equal((HttpStatusCode.Conflict, "two-step-codes-unavailable"), (offWithTheApp.Status, Type(offWithTheApp.Body)));
        Assert.Contains("use one of your recovery codes", offWithTheApp.Body["detail"]!.GetValue<string>());
        Assert.Equal("two-step-code-wrong", Type((await badDeploy.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = "abcd-efgh" }, token)).Body));

        var off = await badDeploy.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = recovery[1] }, token);
        Assert.Equal(HttpStatusCode.NoContent, off.Status);
        Assert.Equal(HttpStatusCode.OK, (await badDeploy.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans temp.
        }
        return ValueTask.CompletedTask;
    }
}
