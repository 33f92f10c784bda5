using System.Text;
using UberClone.Gateway.Accounts.TwoStep;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The codes authenticator apps show (RFC 6238, RFC 4226), and what an account's 2-step verification takes: the app's
/// code of now (never the same step twice), or a recovery code, once (ADR 0052).
/// </summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    // RFC 6238 appendix B (SHA-1), the last six of its eight digits.
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1111111111, "050471")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    [InlineData(20000000000, "353130")]
    public void Codes_are_those_of_the_RFC_test_vectors(long unixSeconds, string code) =>
        Assert.Equal(code, Totp.Code(RfcSecret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_is_RFC_4648s_without_padding_and_reads_back_typed_in_groups_in_any_case(string text, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant())!));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(string.Join(' ', encoded.Chunk(4).Select(c => new string(c))) + "==")!));
        Assert.Null(Base32.Decode("MZXW1")); // 1 is not a base 32 letter
    }

    [Fact]
    public void A_code_is_taken_a_step_either_side_of_now_and_never_for_a_step_already_used()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = Totp.StepAt(now);
        string At(long s) => Totp.Code(RfcSecret, s);

        Assert.Equal(step, Totp.Match(RfcSecret, At(step), now, lastUsedStep: 0));
        Assert.Equal(step - 1, Totp.Match(RfcSecret, At(step - 1), now, 0)); // typed as it turned
        Assert.Equal(step + 1, Totp.Match(RfcSecret, At(step + 1), now, 0)); // a phone 30 s ahead
        Assert.Null(Totp.Match(RfcSecret, At(step - 2), now, 0));
        Assert.Null(Totp.Match(RfcSecret, At(step + 2), now, 0));
        Assert.Null(Totp.Match(RfcSecret, At(step), now, lastUsedStep: step)); // seen once: someone reading over a shoulder is too late
        Assert.Null(Totp.Match(RfcSecret, "12345", now, 0));
        Assert.Null(Totp.Match(RfcSecret, "12345a", now, 0));
    }

    [Fact]
    public void The_setup_link_names_the_issuer_the_account_and_the_secret_as_authenticator_apps_read_it() =>
        Assert.Equal("otpauth://totp/UberClone:ana%40example.com?secret=MZXW6YTBOI&issuer=UberClone&algorithm=SHA1&digits=6&period=30",
            Totp.SetupUri("UberClone", "ana@example.com", Encoding.ASCII.GetBytes("foobar")));

    [Fact]
    public void Turning_it_on_takes_the_apps_code_and_gives_ten_recovery_codes_each_good_once()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var secret = Totp.NewSecret();
        var setUp = TwoStepVerification.SetUp("v1:stored", now);
        var code = Totp.Code(secret, Totp.StepAt(now));

        Assert.False(setUp.IsOn);
        Assert.Null(setUp.Enable("r1", secret, "000000" == code ? "111111" : "000000", now));
        var (on, recovery) = setUp.Enable("r1", secret, code, now)!.Value;

        Assert.True(on.IsOn);
        Assert.Equal("v1:stored", on.Secret);
        Assert.Equal(10, recovery.Count);
        Assert.Equal(10, recovery.Distinct().Count());
        Assert.All(recovery, r => Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}$", r));
        Assert.DoesNotContain(on.RecoveryCodeHashes!, h => recovery.Contains(h)); // kept as hashes only
        Assert.Null(on.Accept("r1", secret, code, now)); // the code that turned it on is spent

        var used = on.Accept("r1", secret, recovery[3].ToUpperInvariant().Replace("-", ""), now)!; // typed without the dash, in capitals
        Assert.True(used.UsedRecoveryCode);
        Assert.Equal(9, used.After.RecoveryCodesLeft);
        Assert.Null(used.After.Accept("r1", secret, recovery[3], now));
        Assert.Null(on.Accept("someone-else", secret, recovery[4], now)); // bound to the account
        var next = used.After.Accept("r1", secret, Totp.Code(secret, Totp.StepAt(now) + 1), now)!;
        Assert.False(next.UsedRecoveryCode);
        Assert.Equal(Totp.StepAt(now) + 1, next.After.LastStep);
    }

    [Fact]
    public void New_recovery_codes_replace_every_one_left()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var secret = Totp.NewSecret();
        var (on, old) = TwoStepVerification.SetUp("v1:stored", now).Enable("r1", secret, Totp.Code(secret, Totp.StepAt(now)), now)!.Value;
        var spent = on.Accept("r1", secret, old[0], now)!.After;

        var (renewed, codes) = spent.WithNewRecoveryCodes("r1");

        Assert.Equal(10, renewed.RecoveryCodesLeft);
        Assert.Empty(codes.Intersect(old));
        Assert.All(old, c => Assert.Null(renewed.Accept("r1", secret, c, now)));
        Assert.True(renewed.Accept("r1", secret, codes[9], now)!.UsedRecoveryCode);
    }

    [Fact]
    public void A_remembered_browser_skips_the_code_until_it_expires_at_most_ten_are_kept_and_all_are_forgotten_at_once()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var secret = Totp.NewSecret();
        var (on, _) = TwoStepVerification.SetUp("v1:stored", now).Enable("r1", secret, Totp.Code(secret, Totp.StepAt(now)), now)!.Value;
        var until = now.AddDays(30);

        var (trusted, token) = on.Trust("r1", now, until);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token); // 32 random bytes
        Assert.DoesNotContain(trusted.TrustedDevices!, d => d.Hash.Contains(token)); // kept as a hash only
        Assert.True(trusted.Trusts("r1", token, now.AddDays(29)));
        Assert.False(trusted.Trusts("r1", token, until)); // expired
        Assert.False(trusted.Trusts("r2", token, now)); // bound to the account
        Assert.False(trusted.Trusts("r1", token + "x", now));
        Assert.False(trusted.Trusts("r1", null, now));
        Assert.False(on.Trusts("r1", token, now));
        Assert.Equal((1, 0), (trusted.TrustedDevicesAt(now), trusted.TrustedDevicesAt(until)));

        var many = trusted;
        var tokens = new List<string>();
        for (var i = 1; i <= 10; i++)
        {
            (many, var t) = many.Trust("r1", now.AddMinutes(i), until.AddMinutes(i));
            tokens.Add(t);
        }
        Assert.Equal(TwoStepVerification.MaxTrustedDevices, many.TrustedDevicesAt(now));
        Assert.False(many.Trusts("r1", token, now.AddHours(1))); // the oldest was dropped for the eleventh
        Assert.All(tokens, t => Assert.True(many.Trusts("r1", t, now.AddHours(1))));

        var forgotten = many.WithoutTrustedDevices();
        Assert.All(tokens, t => Assert.False(forgotten.Trusts("r1", t, now.AddHours(1))));
        Assert.Equal(0, forgotten.TrustedDevicesAt(now));
    }
}
