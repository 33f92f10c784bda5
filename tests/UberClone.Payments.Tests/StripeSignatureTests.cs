using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_signature_tests";
    private const string Payload = """{"id":"evt_1","type":"checkout.session.completed","data":{"object":{}}}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    [Fact]
    public void Our_signature_is_accepted_by_Stripe_net()
    {
        var header = StripeSignature.Sign(Payload, Secret, Now);

        Stripe.EventUtility.ValidateSignature(Payload, header, Secret, 300, Now.ToUnixTimeSeconds());
    }

    [Fact]
    public void Stripe_net_signature_is_accepted_by_ours()
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var header = $"t={timestamp},v1={Stripe.EventUtility.ComputeSignature(Secret, timestamp, Payload)}";

        Assert.True(StripeSignature.Verify(Payload, header, Secret, Now, Tolerance).IsValid);
    }

    [Fact]
    public void Any_of_several_v1_signatures_may_match_while_a_secret_is_rolled()
    {
        var valid = StripeSignature.Sign(Payload, Secret, Now);
        var header = valid.Replace("v1=", "v1=" + new string('0', 64) + ",v0=abc,v1=");

        Assert.True(StripeSignature.Verify(Payload, header, Secret, Now, Tolerance).IsValid);
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("changed payload")]
    [InlineData("missing header")]
    [InlineData("no timestamp")]
    [InlineData("no v1")]
    [InlineData("garbage")]
    public void Forged_or_malformed_signatures_are_rejected(string forgery)
    {
        var good = StripeSignature.Sign(Payload, Secret, Now);
        var (payload, header) = forgery switch
        {
            "wrong secret" => (Payload, StripeSignature.Sign(Payload, "whsec_attacker", Now)),
            "changed payload" => (Payload.Replace("evt_1", "evt_2"), good),
            "missing header" => (Payload, (string?)null),
            "no timestamp" => (Payload, good[(good.IndexOf(',') + 1)..]),
            "no v1" => (Payload, good[..good.IndexOf(',')]),
            _ => (Payload, "t=abc,v1=zz"),
        };

        var check = StripeSignature.Verify(payload, header, Secret, Now, Tolerance);

        Assert.False(check.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(check.Error));
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public void Timestamps_outside_the_300_second_tolerance_are_rejected(int offsetSeconds, bool valid)
    {
        var header = StripeSignature.Sign(Payload, Secret, Now.AddSeconds(offsetSeconds));

        Assert.Equal(valid, StripeSignature.Verify(Payload, header, Secret, Now, Tolerance).IsValid);
    }
}
