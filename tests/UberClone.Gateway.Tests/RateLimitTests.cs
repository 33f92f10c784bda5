using System.Net;

namespace UberClone.Gateway.Tests;

public sealed class RateLimitTests(LowLimitsGatewayFactory gateway) : IClassFixture<LowLimitsGatewayFactory>
{
    [Fact]
    public async Task Sign_ins_from_one_ip_are_limited_across_accounts()
    {
        HttpStatusCode status = default;
        HttpResponseMessage? response = null;
        for (var i = 0; i < 12 && status != HttpStatusCode.TooManyRequests; i++)
        {
            (status, _, response) = await gateway.PostAsync("/api/auth/signin", new { email = GatewayFactory.NewEmail(), password = "whatever123" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("application/problem+json", response!.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

/// <summary>Its own gateway: the per-IP sign-in budget that other tests spend must not answer for the account limit.</summary>
public sealed class AccountSignInLimitTests(AccountSignInLimitGatewayFactory gateway) : IClassFixture<AccountSignInLimitGatewayFactory>
{
    [Fact]
    public async Task Sign_in_attempts_on_one_account_are_limited_with_retry_after()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email));

        var statuses = new List<HttpStatusCode>();
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response) last = default;
        for (var i = 0; i < 4; i++)
        {
            last = await gateway.PostAsync("/api/auth/signin", new { email, password = "wrong password" });
            statuses.Add(last.Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("https://uberclone.dev/problems/rate-limited", last.Body?["type"]?.GetValue<string>());
        Assert.True(last.Response?.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
