using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Accounts.TwoStep;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

/// <summary>The gateway as deployed: support accounts must use 2-step verification, and a browser is remembered 7 days.</summary>
public sealed class TwoStepRequiredGatewayFactory : GatewayFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [TwoStepOptions.RequiredForSupportSetting] = "true",
        ["TwoStep:TrustedDeviceDays"] = "7",
    };
}

/// <summary>
/// <c>TwoStep:RequiredForSupport</c> (ADR 0052): a support account without 2-step verification signs in, but its token
/// reaches only its account's 2-step routes, <c>/api/auth/me</c> and signing out; every desk route answers 403
/// <c>two-step-setup-required</c> until it is on and the operator signed in with the app's code. Riders and drivers are
/// not made to. "Don't ask again on this browser" lasts <c>TwoStep:TrustedDeviceDays</c>, which the challenge and the
/// status say.
/// </summary>
public sealed class TwoStepForSupportTests(TwoStepRequiredGatewayFactory gateway) : IClassFixture<TwoStepRequiredGatewayFactory>
{
    private const string Password = "correct horse battery";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Type(JsonObject problem) => problem["type"]!.GetValue<string>().Split('/')[^1];

    private static string CodeOf(string secret, int stepsAhead = 0) => Totp.Code(Base32.Decode(secret)!, Totp.StepAt(DateTimeOffset.UtcNow) + stepsAhead);

    private static string Token(JsonObject body) => body["accessToken"]!.GetValue<string>();

    [Fact]
    public async Task Support_without_two_step_reaches_only_its_setup_until_it_signs_in_with_the_apps_code()
    {
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["userId"]!.GetValue<string>();
        var email = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(email, Password, "Desk", Ct);

        var signedIn = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.True(signedIn.Body["twoStepSetupRequired"]!.GetValue<bool>());
        var token = Token(signedIn.Body);
        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/api/ops/users/{rider}"), (HttpMethod.Get, $"/api/ops/audit?userId={rider}"),
            (HttpMethod.Get, "/api/trips/ops/promotions"), (HttpMethod.Post, $"/api/ops/users/{rider}/signout-everywhere"), (HttpMethod.Get, "/api/trips/active") })
        {
            var refused = method == HttpMethod.Get ? await gateway.GetAsync(path, token) : await gateway.PostAsync(path, new { }, token);
            Assert.Equal((HttpStatusCode.Forbidden, "two-step-setup-required"), (refused.Status, Type(refused.Body)));
            Assert.Contains("POST /api/auth/me/two-step/setup", refused.Body["detail"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me/two-step", token)).Status);
        var sockets = gateway.Services.GetRequiredService<SocketAuthenticator>();
        Assert.Null(await sockets.ValidateAsync(token)); // no desk feed either

        var secret = (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token)).Body["secret"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, token)).Status);
        // The token signed in with the password alone stays where it was.
        Assert.Equal("two-step-setup-required", Type((await gateway.GetAsync($"/api/ops/users/{rider}", token)).Body));

        var challenge = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });
        Assert.Equal("two-step-required", Type(challenge.Body));
        var withCode = await gateway.PostAsync("/api/auth/signin/two-step", new { challenge = challenge.Body["challenge"]!.GetValue<string>(), code = CodeOf(secret, 1) });

        Assert.Equal(HttpStatusCode.OK, withCode.Status);
        Assert.Null(withCode.Body["twoStepSetupRequired"]);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/ops/users/{rider}", Token(withCode.Body))).Status);
        Assert.NotNull(await sockets.ValidateAsync(Token(withCode.Body)));
    }

    /// <summary>A support account with 2-step verification on, signed in with the app's code: its id, full-access session and recovery codes.</summary>
    private async Task<(string Id, JsonObject Session, string[] RecoveryCodes)> OperatorWithTwoStepAsync()
    {
        var email = GatewayFactory.NewEmail();
        var id = (await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(email, Password, "Desk", Ct)).Id;
        var first = Token((await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body);
        var secret = (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, first)).Body["secret"]!.GetValue<string>();
        var codes = (await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, first)).Body["codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        var challenge = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });
        var session = (await gateway.PostAsync("/api/auth/signin/two-step", new { challenge = challenge.Body["challenge"]!.GetValue<string>(), code = CodeOf(secret, 1) })).Body;
        Assert.Null(session["twoStepSetupRequired"]);
        return (id, session, codes);
    }

    [Fact]
    public async Task A_support_account_that_turns_it_off_is_signed_out_everywhere_at_once_and_signs_in_again_to_set_it_up()
    {
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["userId"]!.GetValue<string>();
        var (id, session, codes) = await OperatorWithTwoStepAsync();
        var token = Token(session);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/ops/users/{rider}", token)).Status);
        Assert.True((await gateway.GetAsync("/api/auth/me/two-step", token)).Body["required"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = codes[0] }, token)).Status);

        // The token issued with the desk's full access is refused at once (not in up to 15 minutes), and cannot be renewed.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync($"/api/ops/users/{rider}", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = session["refreshToken"]!.GetValue<string>() })).Status);
        var account = (await gateway.Services.GetRequiredService<AccountStore>().Accounts.GetAsync(id, Ct))!.Document;
        Assert.Null(account.TwoStep);
        Assert.NotNull(account.SessionsRevokedAt);
        // Signing in again: the password alone, to a token that reaches only setting it up.
        var email = account.Email;
        var again = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });
        Assert.True(again.Body["twoStepSetupRequired"]!.GetValue<bool>());
        Assert.Equal("two-step-setup-required", Type((await gateway.GetAsync($"/api/ops/users/{rider}", Token(again.Body))).Body));
    }

    [Fact]
    public async Task A_colleague_turning_it_off_for_a_support_account_signs_it_out_everywhere_and_a_riders_stays_signed_in()
    {
        var (lostId, lostSession, _) = await OperatorWithTwoStepAsync();
        var (_, desk, _) = await OperatorWithTwoStepAsync();
        var riderEmail = GatewayFactory.NewEmail();
        var riderSession = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(riderEmail, Password))).Body;
        var riderId = riderSession["userId"]!.GetValue<string>();
        var riderSecret = (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, Token(riderSession))).Body["secret"]!.GetValue<string>();
        await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(riderSecret) }, Token(riderSession));

        var off = await gateway.PostAsync($"/api/ops/users/{lostId}/two-step/turn-off", new { reason = "lost phone; checked by video call" }, Token(desk));
        var riderOff = await gateway.PostAsync($"/api/ops/users/{riderId}/two-step/turn-off", new { reason = "lost phone; checked by the last three rides" }, Token(desk));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (off.Status, riderOff.Status));
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", Token(lostSession))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = lostSession["refreshToken"]!.GetValue<string>() })).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Token(riderSession))).Status);
        Assert.False((await gateway.GetAsync("/api/auth/me/two-step", Token(riderSession))).Body["required"]!.GetValue<bool>());
        // The colleague who turned it off keeps working.
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/ops/users/{lostId}", Token(desk))).Status);
    }

    [Fact]
    public async Task Riders_are_not_made_to_use_it()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password));

        var signedIn = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Null(signedIn.Body["twoStepSetupRequired"]);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/me/places", Token(signedIn.Body))).Status);
    }

    [Fact]
    public async Task The_challenge_and_the_status_say_for_how_many_days_a_browser_is_remembered()
    {
        var email = GatewayFactory.NewEmail();
        var signedUp = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Body;
        var token = Token(signedUp);
        var secret = (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token)).Body["secret"]!.GetValue<string>();
        await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, token);

        var challenge = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });

        Assert.Equal(7, challenge.Body["rememberDays"]!.GetValue<int>());
        Assert.Equal(7, (await gateway.GetAsync("/api/auth/me/two-step", token)).Body["rememberDays"]!.GetValue<int>());
        var remembered = await gateway.PostAsync("/api/auth/signin/two-step", new { challenge = challenge.Body["challenge"]!.GetValue<string>(), code = CodeOf(secret, 1), rememberBrowser = true });
        Assert.Equal(HttpStatusCode.OK, remembered.Status);
        var account = (await gateway.Services.GetRequiredService<AccountStore>().Accounts.GetAsync(signedUp["userId"]!.GetValue<string>(), Ct))!.Document;
        var device = Assert.Single(account.TwoStep!.TrustedDevices!);
        Assert.Equal(TimeSpan.FromDays(7), device.ExpiresAt - device.TrustedAt);
    }
}
