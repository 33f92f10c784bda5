using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Accounts.TwoStep;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// 2-step verification through the gateway's API (ADR 0052): set up with an authenticator app, then a right password
/// answers 401 <c>two-step-required</c> with a challenge and no token, and the app's code (or a recovery code, once)
/// finishes the sign-in. Mails tell the owner each change; a password reset does not get around it; support turns it off
/// for an owner who lost the phone, in the audit trail.
/// </summary>
public sealed class TwoStepTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private const string Password = "correct horse battery";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The app's code <paramref name="stepsAhead"/> steps from now (a later step than the last one used is taken once).</summary>
    private static string CodeOf(string secret, int stepsAhead = 0) =>
        Totp.Code(Base32.Decode(secret)!, Totp.StepAt(DateTimeOffset.UtcNow) + stepsAhead);

    private async Task<(string Email, string UserId, string Token)> SignUpAsync()
    {
        var email = GatewayFactory.NewEmail();
        var body = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Body;
        return (email, body["userId"]!.GetValue<string>(), body["accessToken"]!.GetValue<string>());
    }

    /// <summary>A rider with 2-step verification on: the secret and the recovery codes.</summary>
    private async Task<(string Email, string UserId, string Token, string Secret, IReadOnlyList<string> Recovery)> WithTwoStepAsync()
    {
        var (email, userId, token) = await SignUpAsync();
        var setUp = await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token);
        Assert.Equal(HttpStatusCode.OK, setUp.Status);
        var secret = setUp.Body["secret"]!.GetValue<string>();
        var enabled = await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, token);
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        return (email, userId, token, secret, enabled.Body["codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList());
    }

    private async Task<string> ChallengeAsync(string email, string password = Password)
    {
        var signIn = await gateway.PostAsync("/api/auth/signin", new { email, password });
        Assert.Equal((HttpStatusCode.Unauthorized, "two-step-required"), (signIn.Status, Type(signIn.Body)));
        Assert.Null(signIn.Body["accessToken"]);
        return signIn.Body["challenge"]!.GetValue<string>();
    }

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> CodeAsync(string challenge, string code) =>
        gateway.PostAsync("/api/auth/signin/two-step", new { challenge, code });

    private static string Type(JsonObject problem) => problem["type"]!.GetValue<string>().Split('/')[^1];

    private async Task<string> DeskAsync()
    {
        var operatorEmail = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(operatorEmail, Password, "Desk", Ct);
        return (await gateway.PostAsync("/api/auth/signin", new { email = operatorEmail, password = Password })).Body["accessToken"]!.GetValue<string>();
    }

    private async Task<Account> AccountAsync(string userId) => (await gateway.Services.GetRequiredService<AccountStore>().Accounts.GetAsync(userId, Ct))!.Document;

    [Fact]
    public async Task Set_up_with_the_app_a_right_password_then_asks_for_its_code_which_signs_in_once()
    {
        var (email, userId, token) = await SignUpAsync();
        Assert.Equal("invalid-credentials", Type((await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = "not the password" }, token)).Body));
        var setUp = await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token);
        var secret = setUp.Body["secret"]!.GetValue<string>();
        Assert.Matches("^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$", secret); // 160 bits in groups of four
        Assert.Equal($"otpauth://totp/UberClone:{Uri.EscapeDataString(email)}?secret={secret.Replace(" ", "")}&issuer=UberClone&algorithm=SHA1&digits=6&period=30",
            setUp.Body["setupUri"]!.GetValue<string>());
        // Set up but not on: signing in still takes the password alone.
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);

        var wrong = await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret, 5) }, token);
        Assert.Equal((HttpStatusCode.BadRequest, "two-step-code-wrong"), (wrong.Status, Type(wrong.Body)));
        Assert.Equal("code", (await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = "12ab56" }, token)).Body["errors"]!.AsObject().Single().Key);
        var enabled = await gateway.PostAsync("/api/auth/me/two-step/enable", new { code = CodeOf(secret) }, token);
        Assert.Equal(10, enabled.Body["codes"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.PostAsync("/api/auth/me/two-step/setup", new { password = Password }, token)).Status);
        var status = (await gateway.GetAsync("/api/auth/me/two-step", token)).Body;
        Assert.Equal((true, 10), (status["enabled"]!.GetValue<bool>(), status["recoveryCodesLeft"]!.GetValue<int>()));
        Assert.Contains("authenticator app", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "2-step verification is on for your UberClone account")).Raw);

        Assert.Equal("invalid-credentials", Type((await gateway.PostAsync("/api/auth/signin", new { email, password = "not the password" })).Body));
        var challenge = await ChallengeAsync(email);
        var wrongCode = await CodeAsync(challenge, CodeOf(secret, 5));
        Assert.Equal((HttpStatusCode.Unauthorized, "two-step-code-wrong"), (wrongCode.Status, Type(wrongCode.Body)));
        Assert.Contains("4 tries left", wrongCode.Body["detail"]!.GetValue<string>());
        var code = CodeOf(secret, 1); // a later step than the one that turned it on
        var signedIn = await CodeAsync(challenge, code);
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(userId, signedIn.Body["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", signedIn.Body["accessToken"]!.GetValue<string>())).Status);

        // The challenge is spent, and the code too: read over a shoulder, it signs nobody in.
        Assert.Equal("two-step-expired", Type((await CodeAsync(challenge, code)).Body));
        Assert.Equal("two-step-code-wrong", Type((await CodeAsync(await ChallengeAsync(email), code)).Body));
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_its_owner_is_told_how_many_are_left()
    {
        var (email, _, _, _, recovery) = await WithTwoStepAsync();

        var signedIn = await CodeAsync(await ChallengeAsync(email), recovery[0].ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        var mail = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "A recovery code was used to sign in to UberClone");
        Assert.Contains("9 are left", mail.Raw);
        Assert.Equal(9, (await gateway.GetAsync("/api/auth/me/two-step", signedIn.Body["accessToken"]!.GetValue<string>())).Body["recoveryCodesLeft"]!.GetValue<int>());
        Assert.Equal("two-step-code-wrong", Type((await CodeAsync(await ChallengeAsync(email), recovery[0])).Body));
    }

    [Fact]
    public async Task Five_wrong_codes_end_the_sign_in_and_the_password_is_asked_again()
    {
        var (email, _, _, secret, _) = await WithTwoStepAsync();
        var challenge = await ChallengeAsync(email);

        for (var i = 0; i < 4; i++) Assert.Equal("two-step-code-wrong", Type((await CodeAsync(challenge, "000000" == CodeOf(secret, 1) ? "111111" : "000000")).Body));
        var fifth = await CodeAsync(challenge, "abcd-efgh");
        Assert.Equal("two-step-expired", Type(fifth.Body));
        Assert.Contains("sign in again", fifth.Body["detail"]!.GetValue<string>());
        Assert.Equal("two-step-expired", Type((await CodeAsync(challenge, CodeOf(secret, 1))).Body)); // even the right one now
        Assert.Equal("two-step-expired", Type((await CodeAsync("not-a-challenge", CodeOf(secret, 1))).Body));
        Assert.Equal(HttpStatusCode.OK, (await CodeAsync(await ChallengeAsync(email), CodeOf(secret, 1))).Status);
    }

    [Fact]
    public async Task A_password_reset_sets_the_new_password_but_signing_in_with_it_still_takes_the_apps_code()
    {
        var (email, _, oldToken, secret, _) = await WithTwoStepAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.PostAsync("/api/auth/password-reset", new { email })).Status);
        var mailed = await gateway.Mailbox.CodeForAsync(email);

        var reset = await gateway.PostAsync("/api/auth/password-reset/confirm", new { email, code = mailed, newPassword = "a brand new passphrase" });

        Assert.Equal((HttpStatusCode.Unauthorized, "two-step-required"), (reset.Status, Type(reset.Body)));
        Assert.Null(reset.Body["accessToken"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", oldToken)).Status); // every session ended all the same
        Assert.Equal(HttpStatusCode.OK, (await CodeAsync(reset.Body["challenge"]!.GetValue<string>(), CodeOf(secret, 1))).Status);
        await ChallengeAsync(email, "a brand new passphrase");
    }

    [Fact]
    public async Task Its_owner_turns_it_off_with_the_password_and_a_code_and_support_for_an_owner_who_lost_the_phone()
    {
        var (email, userId, token, secret, _) = await WithTwoStepAsync();
        Assert.Equal("code", (await gateway.PostAsync("/api/auth/me/two-step/disable", new { password = Password }, token)).Body["errors"]!.AsObject().Single().Key);
        Assert.Equal("two-step-code-wrong", Type((await gateway.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = "abcd-efgh" }, token)).Body));
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync("/api/auth/me/two-step/disable", new { password = Password, code = CodeOf(secret, 1) }, token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        Assert.Contains("asks for your password only", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "2-step verification is off for your UberClone account")).Raw);

        // Support, for a second rider who lost the phone and the codes.
        var (lostEmail, lostId, lostToken, _, _) = await WithTwoStepAsync();
        var operatorEmail = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(operatorEmail, Password, "Desk", Ct);
        var desk = (await gateway.PostAsync("/api/auth/signin", new { email = operatorEmail, password = Password })).Body["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostAsync($"/api/ops/users/{lostId}/two-step/turn-off", new { reason = "me" }, lostToken)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync($"/api/ops/users/{lostId}/two-step/turn-off", new { }, desk)).Status);
        Assert.NotNull((await gateway.GetAsync($"/api/ops/users/{lostId}", desk)).Body["twoStepSince"]);

        var off = await gateway.PostAsync($"/api/ops/users/{lostId}/two-step/turn-off", new { reason = "lost phone; identity checked by the last three rides" }, desk);

        Assert.Equal(HttpStatusCode.OK, off.Status);
        Assert.Null(off.Body["twoStepSince"]);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.PostAsync($"/api/ops/users/{lostId}/two-step/turn-off", new { reason = "again" }, desk)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email = lostEmail, password = Password })).Status);
        Assert.Contains("by support (lost phone; identity checked by the last three rides)",
            (await gateway.Mailbox.WaitForAsync(lostEmail, m => m.Subject == "2-step verification is off for your UberClone account")).Raw.ReplaceLineEndings(" "));
        var trail = await gateway.Services.GetRequiredService<AccountStore>().SupportActions.QueryAsync("userId", lostId, 10, Ct);
        Assert.Contains(trail, a => a.Document.Action == "user.two_step_turned_off" && a.Document.Reason == "lost phone; identity checked by the last three rides");
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.PostAsync($"/api/ops/users/{userId}x/two-step/turn-off", new { reason = "nobody" }, desk)).Status);
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted_and_one_stored_in_the_clear_before_still_signs_in_and_is_then_encrypted()
    {
        var (email, userId, _, secret, _) = await WithTwoStepAsync();
        var stored = (await AccountAsync(userId)).TwoStep!.Secret;
        Assert.StartsWith("v2:", stored);
        Assert.DoesNotContain(secret.Replace(" ", ""), stored);

        // An account whose secret was stored before encryption (base 32, in the clear).
        var accounts = gateway.Services.GetRequiredService<AccountStore>().Accounts;
        await accounts.UpdateAsync(userId, a => a with { TwoStep = a.TwoStep! with { Secret = secret.Replace(" ", "") } }, ct: Ct);

        Assert.Equal(HttpStatusCode.OK, (await CodeAsync(await ChallengeAsync(email), CodeOf(secret, 1))).Status);

        var upgraded = (await AccountAsync(userId)).TwoStep!;
        Assert.StartsWith("v2:", upgraded.Secret);
        Assert.Equal(Base32.Decode(secret), gateway.Services.GetRequiredService<TwoStepSecrets>().Decrypt(userId, upgraded.Secret));
    }

    [Fact]
    public async Task New_recovery_codes_take_the_password_and_a_code_and_every_old_one_dies()
    {
        var (email, userId, token, secret, old) = await WithTwoStepAsync();
        const string path = "/api/auth/me/two-step/recovery-codes";
        Assert.Equal(["code", "password"], (await gateway.PostAsync(path, new { }, token)).Body["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal("invalid-credentials", Type((await gateway.PostAsync(path, new { password = "not the password", code = CodeOf(secret, 1) }, token)).Body));
        var wrong = await gateway.PostAsync(path, new { password = Password, code = "abcd-efgh" }, token);
        Assert.Equal((HttpStatusCode.BadRequest, "two-step-code-wrong"), (wrong.Status, Type(wrong.Body)));
        Assert.Equal(HttpStatusCode.OK, (await CodeAsync(await ChallengeAsync(email), old[0])).Status);
        Assert.Equal(9, (await gateway.GetAsync("/api/auth/me/two-step", token)).Body["recoveryCodesLeft"]!.GetValue<int>());

        var renewed = await gateway.PostAsync(path, new { password = Password, code = CodeOf(secret, 1) }, token);

        Assert.Equal(HttpStatusCode.OK, renewed.Status);
        var codes = renewed.Body["codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Empty(codes.Intersect(old));
        Assert.Equal(10, (await gateway.GetAsync("/api/auth/me/two-step", token)).Body["recoveryCodesLeft"]!.GetValue<int>());
        Assert.Contains("no longer work", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "New recovery codes were made for your account")).Raw.ReplaceLineEndings(" "));
        Assert.Equal("two-step-code-wrong", Type((await CodeAsync(await ChallengeAsync(email), old[1])).Body));
        Assert.Equal(HttpStatusCode.OK, (await CodeAsync(await ChallengeAsync(email), codes[0])).Status);
        Assert.Equal(9, (await gateway.GetAsync($"/api/ops/users/{userId}", await DeskAsync())).Body["recoveryCodesLeft"]!.GetValue<int>());

        var (_, _, offToken) = await SignUpAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.PostAsync(path, new { password = Password, code = "123456" }, offToken)).Status);
    }

    [Fact]
    public async Task A_sign_in_waiting_for_the_code_when_support_turns_it_off_is_told_to_sign_in_with_the_password()
    {
        var (email, userId, _, secret, _) = await WithTwoStepAsync();
        var challenge = await ChallengeAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{userId}/two-step/turn-off", new { reason = "lost phone; identity checked" }, await DeskAsync())).Status);

        var answer = await CodeAsync(challenge, CodeOf(secret, 1));

        Assert.Equal((HttpStatusCode.Conflict, "two-step-turned-off"), (answer.Status, Type(answer.Body)));
        Assert.Equal("2-step verification was turned off for this account; sign in with your password.", answer.Body["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
    }

    [Fact]
    public async Task A_browser_remembered_at_sign_in_skips_the_code_until_forgotten()
    {
        var (email, userId, token, secret, recovery) = await WithTwoStepAsync();
        var once = await CodeAsync(await ChallengeAsync(email), CodeOf(secret, 1));
        Assert.Null(once.Body["trustedDevice"]); // not asked for

        var remembered = await gateway.PostAsync("/api/auth/signin/two-step", new { challenge = await ChallengeAsync(email), code = recovery[0], rememberBrowser = true });

        Assert.Equal(HttpStatusCode.OK, remembered.Status);
        var device = remembered.Body["trustedDevice"]!.GetValue<string>();
        var skipped = await gateway.PostAsync("/api/auth/signin", new { email, password = Password, trustedDevice = device });
        Assert.Equal(HttpStatusCode.OK, skipped.Status);
        Assert.Equal(userId, skipped.Body["userId"]!.GetValue<string>());
        Assert.Equal(1, (await gateway.GetAsync("/api/auth/me/two-step", token)).Body["rememberedBrowsers"]!.GetValue<int>());
        // The password is still asked, and only this account's browsers count.
        Assert.Equal("invalid-credentials", Type((await gateway.PostAsync("/api/auth/signin", new { email, password = "not the password", trustedDevice = device })).Body));
        var (otherEmail, _, _, _, _) = await WithTwoStepAsync();
        Assert.Equal("two-step-required", Type((await gateway.PostAsync("/api/auth/signin", new { email = otherEmail, password = Password, trustedDevice = device })).Body));
        Assert.Equal("trustedDevice", (await gateway.PostAsync("/api/auth/signin", new { email, password = Password, trustedDevice = new string('a', 101) })).Body["errors"]!.AsObject().Single().Key);

        var forgotten = await gateway.SendAsync(HttpMethod.Delete, "/api/auth/me/two-step/remembered-browsers", new { }, token);

        Assert.Equal((HttpStatusCode.OK, 0), (forgotten.Status, forgotten.Body["rememberedBrowsers"]!.GetValue<int>()));
        Assert.Equal("two-step-required", Type((await gateway.PostAsync("/api/auth/signin", new { email, password = Password, trustedDevice = device })).Body));
    }

    [Fact]
    public async Task A_new_password_or_signing_out_everywhere_forgets_every_remembered_browser()
    {
        var (email, _, _, secret, recovery) = await WithTwoStepAsync();
        async Task<string> RememberAsync(string code) => (await gateway.PostAsync("/api/auth/signin/two-step",
            new { challenge = await ChallengeAsync(email), code, rememberBrowser = true })).Body["trustedDevice"]!.GetValue<string>();
        Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SignInAsync(string device, string password = Password) =>
            gateway.PostAsync("/api/auth/signin", new { email, password, trustedDevice = device });

        var device = await RememberAsync(CodeOf(secret, 1));
        var signedIn = await SignInAsync(device);
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync("/api/auth/signout-everywhere", new { }, signedIn.Body["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal("two-step-required", Type((await SignInAsync(device)).Body));

        device = await RememberAsync(recovery[0]);
        var session = (await SignInAsync(device)).Body["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = "another long passphrase" }, session)).Status);
        Assert.Equal("two-step-required", Type((await SignInAsync(device, "another long passphrase")).Body));
    }
}
