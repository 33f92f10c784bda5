using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using UberClone.Gateway.Accounts.TwoStep;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The authenticator app's secret at rest (ADR 0052): AES-GCM under a key kept outside the database, bound to its
/// account, naming the key it is under so keys can be rotated; a secret stored in the clear before still reads.
/// </summary>
public sealed class TwoStepSecretsTests
{
    private static readonly TwoStepSecrets Secrets = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_secret_is_stored_encrypted_and_reads_back_for_its_account()
    {
        var secret = Totp.NewSecret();

        var stored = Secrets.Encrypt("r1", secret);

        Assert.Matches("^v2:[0-9a-f]{8}:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+$", stored);
        Assert.DoesNotContain(Base32.Encode(secret), stored);
        Assert.DoesNotContain(Convert.ToBase64String(secret), stored);
        Assert.True(TwoStepSecrets.IsEncrypted(stored));
        Assert.Equal(secret, Secrets.Decrypt("r1", stored));
        Assert.NotEqual(stored, Secrets.Encrypt("r1", secret)); // a new nonce each time
    }

    [Fact]
    public void A_secret_copied_to_another_account_does_not_decrypt()
    {
        var stored = Secrets.Encrypt("r1", Totp.NewSecret());

        Assert.ThrowsAny<CryptographicException>(() => Secrets.Decrypt("r2", stored));
    }

    [Fact]
    public void A_secret_tampered_with_or_under_another_key_does_not_decrypt()
    {
        var stored = Secrets.Encrypt("r1", Totp.NewSecret());
        var parts = stored.Split(':');
        var sealedBytes = Convert.FromBase64String(parts[3]);
        sealedBytes[0] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => Secrets.Decrypt("r1", $"v2:{parts[1]}:{parts[2]}:{Convert.ToBase64String(sealedBytes)}"));
        Assert.ThrowsAny<CryptographicException>(() => Secrets.Decrypt("r1", $"v2:{parts[1]}:{parts[2]}"));
        Assert.ThrowsAny<CryptographicException>(() => new TwoStepSecrets(RandomNumberGenerator.GetBytes(32)).Decrypt("r1", stored));
    }

    [Fact]
    public void A_secret_stored_in_the_clear_before_still_reads()
    {
        var secret = Totp.NewSecret();

        Assert.False(TwoStepSecrets.IsEncrypted(Base32.Encode(secret)));
        Assert.Equal(secret, Secrets.Decrypt("r1", Base32.Encode(secret)));
    }

    [Fact]
    public void The_key_is_32_bytes_in_base64_or_hex_or_a_long_text_and_required_outside_development()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(key, TwoStepSecrets.KeyFrom(Configuration(Convert.ToBase64String(key)), Environment("Production")));
        Assert.Equal(key, TwoStepSecrets.KeyFrom(Configuration(Convert.ToHexStringLower(key)), Environment("Production")));
        // A deployment tool's generated password (the manifest asks for 32 characters, no special ones): stretched, the same each time.
        var generated = TwoStepSecrets.KeyFrom(Configuration("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"), Environment("Production"));
        Assert.Equal(32, generated!.Length);
        Assert.Equal(generated, TwoStepSecrets.KeyFrom(Configuration("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"), Environment("Production")));
        Assert.Null(TwoStepSecrets.KeyFrom(Configuration(null), Environment("Development")));

        var missing = Assert.Throws<InvalidOperationException>(() => TwoStepSecrets.KeyFrom(Configuration(null), Environment("Production")));
        Assert.Contains("TwoStep:SecretKey is not set", missing.Message);
        var tooShort = Assert.Throws<InvalidOperationException>(() => TwoStepSecrets.KeyFrom(Configuration("short-key"), Environment("Development")));
        Assert.Contains("must be 32 bytes", tooShort.Message);
    }

    [Fact]
    public void Rotated_a_secret_sealed_with_the_previous_key_opens_and_the_next_write_seals_it_with_the_current_one()
    {
        var (a, b) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var secret = Totp.NewSecret();
        var underA = new TwoStepSecrets(a).Encrypt("r1", secret);
        Assert.StartsWith($"v2:{TwoStepSecrets.KeyId(a)}:", underA);

        var rotated = new TwoStepSecrets(b, [a]);

        Assert.Equal(secret, rotated.Decrypt("r1", underA));
        Assert.False(rotated.IsUnderCurrentKey(underA));
        var resealed = rotated.Encrypt("r1", secret);
        Assert.True(rotated.IsUnderCurrentKey(resealed));
        Assert.StartsWith($"v2:{TwoStepSecrets.KeyId(b)}:", resealed);
        Assert.Equal(secret, new TwoStepSecrets(b).Decrypt("r1", resealed)); // A can now be dropped
    }

    [Fact]
    public void A_secret_sealed_before_keys_were_named_is_tried_with_each_key_in_turn()
    {
        var (a, b, c) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var secret = Totp.NewSecret();
        var parts = new TwoStepSecrets(b).Encrypt("r1", secret).Split(':');
        var unnamed = $"v1:{parts[2]}:{parts[3]}"; // how v1 stored it: the same AES-GCM, no key id

        Assert.Equal(secret, new TwoStepSecrets(c, [a, b]).Decrypt("r1", unnamed));
        Assert.False(new TwoStepSecrets(c, [a, b]).IsUnderCurrentKey(unnamed));
        Assert.False(new TwoStepSecrets(b).IsUnderCurrentKey(unnamed));
        Assert.ThrowsAny<CryptographicException>(() => new TwoStepSecrets(c, [a]).Decrypt("r1", unnamed));
    }

    [Fact]
    public void A_secret_under_a_key_neither_current_nor_previous_does_not_open_and_says_which_settings_lack_it()
    {
        var (a, b, c) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var underA = new TwoStepSecrets(a).Encrypt("r1", Totp.NewSecret());

        var refused = Assert.ThrowsAny<CryptographicException>(() => new TwoStepSecrets(b, [c]).Decrypt("r1", underA));
        Assert.Contains("TwoStep:PreviousSecretKeys", refused.Message);
        Assert.Contains(TwoStepSecrets.KeyId(a), refused.Message);
    }

    [Fact]
    public void Previous_keys_are_a_comma_separated_list_each_as_the_key_is_given_and_a_bad_one_stops_the_start()
    {
        var (a, b) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        Assert.Empty(TwoStepSecrets.PreviousKeysFrom(Previous(null)));
        var keys = TwoStepSecrets.PreviousKeysFrom(Previous($"{Convert.ToBase64String(a)}, {Convert.ToHexStringLower(b)}"));
        Assert.Equal([a, b], keys);

        var bad = Assert.Throws<InvalidOperationException>(() => TwoStepSecrets.PreviousKeysFrom(Previous($"{Convert.ToBase64String(a)},short-key")));
        Assert.Contains("TwoStep:PreviousSecretKeys: key 2", bad.Message);
        Assert.Contains("must be 32 bytes", bad.Message);
    }

    private static IConfiguration Previous(string? keys) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TwoStepSecrets.PreviousKeysSetting] = keys }).Build();

    private static IConfiguration Configuration(string? key) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TwoStepSecrets.KeySetting] = key }).Build();

    private static IHostEnvironment Environment(string name) => new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = name };
}

/// <summary>Outside Development the gateway does not start without the key its 2-step secrets are encrypted under.</summary>
public sealed class TwoStepSecretKeyStartupTests
{
    private sealed class ProductionWithoutKey : GatewayFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(builder, "Production");
        }
    }

    [Fact]
    public async Task A_gateway_outside_development_without_the_key_does_not_start_and_says_why()
    {
        await using var gateway = new ProductionWithoutKey();

        var refused = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        Assert.Contains("TwoStep:SecretKey is not set", refused.ToString());
    }
}
