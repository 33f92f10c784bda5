using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Tests;

/// <summary>The rules of a sign-in session (ADR 0048), without a host.</summary>
public sealed class SessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 21, 14, 30, TimeSpan.Zero);

    private static Session Signed(TimeSpan ago, string device = "Chrome on Linux") =>
        new("r1", device, "203.0.113.7", Now - ago, Now - ago, Now - ago + TimeSpan.FromDays(14));

    [Fact]
    public void A_session_is_live_until_it_ends_or_its_refresh_token_expires()
    {
        var session = Signed(TimeSpan.FromHours(1));

        Assert.True(session.IsLive(Now, sessionsRevokedAt: null));
        Assert.False(session.Ended(Now).IsLive(Now, null));
        Assert.False(session.IsLive(session.ExpiresAt, null));
    }

    [Fact]
    public void Signing_out_everywhere_ends_every_session_not_renewed_since_even_within_the_same_second()
    {
        var session = Signed(TimeSpan.FromHours(1));

        Assert.False(session.IsLive(Now, sessionsRevokedAt: Now - TimeSpan.FromMinutes(1)));
        var renewedInTheSameSecond = session.Renewed(Now.AddMilliseconds(-400), Now + TimeSpan.FromDays(14), null);
        Assert.False(renewedInTheSameSecond.IsLive(Now, sessionsRevokedAt: Now));
        var renewedTheSecondAfter = session.Renewed(Now.AddSeconds(1), Now + TimeSpan.FromDays(14), null);
        Assert.True(renewedTheSecondAfter.IsLive(Now.AddSeconds(1), sessionsRevokedAt: Now));
    }

    [Fact]
    public void A_renewal_moves_the_last_use_and_expiry_keeps_a_known_address_and_never_revives_an_ended_session()
    {
        var session = Signed(TimeSpan.FromHours(1));

        var renewed = session.Renewed(Now, Now + TimeSpan.FromDays(14), ip: null);
        Assert.Equal(Now, renewed.LastUsedAt);
        Assert.Equal("203.0.113.7", renewed.Ip);
        Assert.Equal(session.SignedInAt, renewed.SignedInAt);
        Assert.Equal("198.51.100.2", session.Renewed(Now, Now + TimeSpan.FromDays(14), "198.51.100.2").Ip);
        var ended = session.Ended(Now);
        Assert.Same(ended, ended.Renewed(Now.AddMinutes(1), Now + TimeSpan.FromDays(15), null));
        Assert.Equal(Now, ended.Ended(Now.AddMinutes(1)).EndedAt);
    }

    [Fact]
    public void The_list_is_the_newest_fifty_live_sessions()
    {
        var sessions = Enumerable.Range(0, 60).Select(i => ($"s{i:00}", Signed(TimeSpan.FromMinutes(i))))
            .Append(("ended", Signed(TimeSpan.FromSeconds(1)).Ended(Now)))
            .Append(("expired", Signed(TimeSpan.FromDays(15))));

        var live = Session.Live(sessions, Now, sessionsRevokedAt: null);

        Assert.Equal(Session.ListLimit, live.Count);
        Assert.Equal("s00", live[0].Id);
        Assert.Equal("s49", live[^1].Id);
        Assert.DoesNotContain(live, s => s.Id is "ended" or "expired");
    }

    [Fact]
    public void A_device_is_new_when_no_kept_session_came_from_it()
    {
        var kept = new[] { Signed(TimeSpan.FromDays(3), "Safari on iPhone").Ended(Now - TimeSpan.FromDays(2)), Signed(TimeSpan.FromHours(2), "Chrome on Linux") };

        Assert.True(Session.IsNewDevice("Firefox on Windows", kept));
        Assert.False(Session.IsNewDevice("Chrome on Linux", kept));
        Assert.False(Session.IsNewDevice("Safari on iPhone", kept)); // used before, signed out since: not new
        Assert.True(Session.IsNewDevice("Chrome on Linux", []));
    }
}

/// <summary>What every replica keeps of ended sessions (ADR 0048) beside users' sign-outs everywhere (ADR 0010).</summary>
public sealed class RevokedSessionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 21, 14, 30, TimeSpan.Zero);

    [Fact]
    public void An_ended_session_refuses_its_tokens_whenever_issued_and_no_other_session_of_the_user()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var revoked = new Identity.RevokedSessions(Microsoft.Extensions.Options.Options.Create(new Identity.JwtOptions()), clock);

        revoked.End("phone", Now);

        Assert.True(revoked.IsRevoked("r1", Now - TimeSpan.FromMinutes(10), "phone"));
        Assert.True(revoked.IsRevoked("r1", Now + TimeSpan.FromSeconds(5), "phone")); // a renewal racing the end
        Assert.False(revoked.IsRevoked("r1", Now - TimeSpan.FromMinutes(10), "laptop"));
        Assert.False(revoked.IsRevoked("r1", Now - TimeSpan.FromMinutes(10), sessionId: null));
        Assert.True(revoked.IsEnded("phone"));
    }

    [Fact]
    public void An_ended_session_is_forgotten_once_every_token_of_it_has_expired()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var jwt = new Identity.JwtOptions();
        var revoked = new Identity.RevokedSessions(Microsoft.Extensions.Options.Options.Create(jwt), clock);
        revoked.End("phone", Now);

        clock.Advance(jwt.AccessTokenLifetime + jwt.ClockSkew + TimeSpan.FromSeconds(1));
        revoked.End("tablet", clock.GetUtcNow()); // what prunes

        Assert.False(revoked.IsEnded("phone"));
        Assert.True(revoked.IsEnded("tablet"));
    }
}
