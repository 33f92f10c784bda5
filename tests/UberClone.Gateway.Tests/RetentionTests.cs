using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UberClone.Storage.Retention;

namespace UberClone.Gateway.Tests;

/// <summary>The gateway's own retention rules, applied by a sweeper whose clock is moved ahead of the gateway's.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Refresh_tokens_go_a_day_after_they_expire_and_not_before()
    {
        await using var gateway = new GatewayFactory();
        var signUp = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var now = DateTimeOffset.UtcNow;
        RetentionSweeper SweeperAt(DateTimeOffset at) => ActivatorUtilities.CreateInstance<RetentionSweeper>(gateway.Services, new FakeTimeProvider(at));

        var rules = SweeperAt(now).Rules.Select(r => r.Collection).ToList();
        Assert.Contains("processed_messages", rules);
        Assert.Contains("refresh_tokens", rules);
        Assert.Contains("idempotency_keys", rules);
        Assert.Contains("mail_outbox", rules);

        // Expired 14 days from now, kept one more day: 14 days and 23 hours from now, nothing goes.
        var early = await SweeperAt(now + TimeSpan.FromDays(15) - TimeSpan.FromHours(1)).SweepAsync(CancellationToken.None);
        Assert.Equal(0, early["refresh_tokens"]);
        var rotated = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = signUp.Body["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, rotated.Status);

        var late = await SweeperAt(now + TimeSpan.FromDays(16)).SweepAsync(CancellationToken.None);
        Assert.Equal(2, late["refresh_tokens"]); // the first token, replaced, and the one that replaced it
        var afterwards = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = rotated.Body["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.Status);
    }
}
