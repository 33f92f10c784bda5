using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UberClone.Gateway.Accounts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Confirming the email an account signed up with: a code is mailed at sign-up over SMTP, the signed-in owner types it
/// in; wrong codes are counted, a new code at most once a minute, and a password reset by mailed code confirms too.
/// </summary>
public sealed class EmailConfirmationTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private const string Password = "correct horse battery";

    private async Task<(string Email, string UserId, string AccessToken)> SignUpAsync()
    {
        var email = GatewayFactory.NewEmail();
        var body = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Body;
        return (email, body["userId"]!.GetValue<string>(), body["accessToken"]!.GetValue<string>());
    }

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> VerifyAsync(string code, string token) =>
        gateway.PostAsync("/api/auth/me/email/verify", new { code }, token);

    [Fact]
    public async Task Sign_up_mails_a_code_that_confirms_the_email_once_after_wrong_ones_are_counted()
    {
        var (email, _, token) = await SignUpAsync();
        Assert.False((await gateway.GetAsync("/api/auth/me", token)).Body["emailVerified"]!.GetValue<bool>());

        var mail = await gateway.Mailbox.WaitForAsync(email, FakeMailbox.IsEmailConfirmation);
        var code = await gateway.Mailbox.ConfirmationCodeForAsync(email);
        Assert.Contains($"To confirm that this email is yours, enter {code} in the app", mail.Text);
        var wrongCode = code == "000000" ? "000001" : "000000";

        var wrong = await VerifyAsync(wrongCode, token);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("https://uberclone.dev/problems/email-code-refused", wrong.Body["type"]!.GetValue<string>());
        Assert.Equal("The code is wrong (4 tries left).", wrong.Body["detail"]!.GetValue<string>());

        var right = await VerifyAsync(code, token);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.True(right.Body["emailVerified"]!.GetValue<bool>());
        Assert.True((await gateway.GetAsync("/api/auth/me", token)).Body["emailVerified"]!.GetValue<bool>());

        // Confirmed: neither the code nor a new one is of any use.
        Assert.Equal(HttpStatusCode.Conflict, (await VerifyAsync(code, token)).Status);
        var resend = await gateway.PostAsync("/api/auth/me/email/code", new { }, token);
        Assert.Equal(HttpStatusCode.Conflict, resend.Status);
        Assert.Equal("Your email is confirmed already.", resend.Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_code_goes_at_most_once_a_minute_and_replaces_the_last()
    {
        var (email, userId, token) = await SignUpAsync();
        var first = await gateway.Mailbox.ConfirmationCodeForAsync(email);

        var soon = await gateway.PostAsync("/api/auth/me/email/code", new { }, token);
        Assert.Equal(HttpStatusCode.Accepted, soon.Status);
        Assert.False(soon.Body["mailed"]!.GetValue<bool>());
        Assert.Equal(86_400, soon.Body["codeLifetimeSeconds"]!.GetValue<int>());

        // A minute on (a clock of its own), a new code is mailed and the first stops working.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var verifications = ActivatorUtilities.CreateInstance<EmailVerifications>(gateway.Services, clock);
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        Assert.True(await verifications.SendAsync((await accounts.GetAsync(userId, ct))!, ct));
        var second = (await gateway.Mailbox.WaitForAsync(email, m => FakeMailbox.IsEmailConfirmation(m) && !m.Subject.EndsWith(first))).Subject[^6..];

        if (second != first) Assert.Equal(HttpStatusCode.BadRequest, (await VerifyAsync(first, token)).Status);
        Assert.True((await VerifyAsync(second, token)).Body["emailVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Resetting_the_password_with_a_mailed_code_confirms_the_email_too()
    {
        var (email, _, _) = await SignUpAsync();
        await gateway.PostAsync("/api/auth/password-reset", new { email });
        var code = await gateway.Mailbox.CodeForAsync(email);

        var signedIn = await gateway.PostAsync("/api/auth/password-reset/confirm", new { email, code, newPassword = "a brand new passphrase" });

        var me = await gateway.GetAsync("/api/auth/me", signedIn.Body["accessToken"]!.GetValue<string>());
        Assert.True(me.Body["emailVerified"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12a456")]
    [InlineData("")]
    public async Task A_code_that_is_not_six_digits_is_refused_naming_the_field(string code)
    {
        var (_, _, token) = await SignUpAsync();
        var refused = await VerifyAsync(code, token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.Body["errors"]!["code"]);
    }

    [Fact]
    public async Task Only_the_signed_in_owner_confirms()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email/verify", new { code = "123456" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email/code", new { })).Status);
    }
}
