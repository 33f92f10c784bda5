using UberClone.Trips.Promotions;

namespace UberClone.Trips.Tests;

/// <summary>
/// Inviting friends: a rider's invite code is theirs alone and stable, a welcome only for riders who have not ridden and
/// never for its own rider; the inviter's reward comes once per friend.
/// </summary>
public sealed class ReferralTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly ReferralOptions Options = new();

    [Fact]
    public void A_riders_invite_code_is_stable_theirs_alone_and_a_code_riders_can_type()
    {
        var code = Referrals.CodeFor("r1");
        Assert.Equal(code, Referrals.CodeFor("r1"));
        Assert.NotEqual(code, Referrals.CodeFor("r2"));
        Assert.True(Promotion.IsCode(code) && Referrals.IsReserved(code), code);
        Assert.False(Referrals.IsReserved("SPRING26"));
    }

    [Fact]
    public void An_invite_welcomes_only_riders_who_have_not_ridden_and_not_its_own_rider()
    {
        var invite = Referrals.Invite("r1", Options, Now);
        Assert.Equal(("r1", true, "invite"), (invite.ReferrerId, invite.NewRidersOnly, invite.Listed));
        Assert.Equal(new PromotionTerms(50, 0, 1_000, "USD"), invite.Terms);
        Assert.Contains("your own invite", Assert.Throws<PromotionRuleException>(() => invite.AddRider(Now, hasRidden: false, riderId: "r1")).Message);
        Assert.Contains("not taken a ride", Assert.Throws<PromotionRuleException>(() => invite.AddRider(Now, hasRidden: true, riderId: "r2")).Message);
        Assert.Equal(1, invite.AddRider(Now, hasRidden: false, riderId: "r2").RidersAdded);
    }

    [Fact]
    public void The_inviter_is_rewarded_once_per_friend()
    {
        var code = Referrals.CodeFor("r1");
        var first = Referrals.Reward(code, "r2", Options, Now);
        Assert.Equal((0, 500L, 1, Now.AddDays(90)), (first.Terms.PercentOff, first.Terms.AmountOffMinor, first.RidesPerRider, first.ExpiresAt));
        var held = RiderPromotions.Empty("r1").Add(first, Now);
        Assert.Same(held, held.Add(Referrals.Reward(code, "r2", Options, Now.AddHours(1)), Now.AddHours(1))); // the friend's next ride
        Assert.Equal(2, held.Add(Referrals.Reward(code, "r3", Options, Now), Now).Items.Count);
    }

    [Theory]
    [InlineData(0, 1_000, 1, 500, "USD", "PercentOff")]
    [InlineData(50, 0, 1, 500, "USD", "MaxDiscountMinor")]
    [InlineData(50, 1_000, 0, 500, "USD", "Rides")]
    [InlineData(50, 1_000, 1, 0, "USD", "RewardAmountOffMinor")]
    [InlineData(50, 1_000, 1, 500, "usd", "Currency")]
    public void Referral_settings_that_cannot_work_are_named(int percent, long max, int rides, long reward, string currency, string setting)
    {
        var options = new ReferralOptions { PercentOff = percent, MaxDiscountMinor = max, Rides = rides, RewardAmountOffMinor = reward, Currency = currency };
        Assert.Contains($"Promotions:Referral:{setting}", options.Problem());
        Assert.Null(Options.Problem());
    }
}

