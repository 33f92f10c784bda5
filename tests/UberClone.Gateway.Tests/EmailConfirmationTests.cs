using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UberClone.Gateway.Accounts;
using UberClone.Storage;
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
        // The same in HTML beside it (multipart/alternative), for clients that show that.
        Assert.StartsWith("<!DOCTYPE html>", mail.Html);
        Assert.Contains($"enter {code} in the app", mail.Html);
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
    public async Task Moving_to_a_new_email_takes_the_password_and_a_code_mailed_there_and_tells_the_old_address()
    {
        var (oldEmail, userId, token) = await SignUpAsync();
        var newEmail = GatewayFactory.NewEmail();

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email-change", new { newEmail, password = "not the password" }, token)).Status);
        var asked = await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = newEmail.ToUpperInvariant(), password = Password }, token);
        Assert.Equal(HttpStatusCode.Accepted, asked.Status);
        Assert.True(asked.Body["mailed"]!.GetValue<bool>());
        var mail = await gateway.Mailbox.WaitForAsync(newEmail, m => m.Subject.StartsWith("Confirm your new UberClone email: "));
        var code = mail.Subject[^6..];
        // Until the code is entered, nothing changed.
        Assert.Equal(oldEmail, (await gateway.GetAsync("/api/auth/me", token)).Body["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email = oldEmail, password = Password })).Status);

        var moved = await gateway.PostAsync("/api/auth/me/email-change/confirm", new { code }, token);

        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal((newEmail, true), (moved.Body["email"]!.GetValue<string>(), moved.Body["emailVerified"]!.GetValue<bool>()));
        var signedIn = await gateway.PostAsync("/api/auth/signin", new { email = newEmail, password = Password });
        Assert.Equal(userId, signedIn.Body["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email = oldEmail, password = Password })).Status);
        var told = await gateway.Mailbox.WaitForAsync(oldEmail, m => m.Subject == "Your UberClone email was changed");
        Assert.Contains($"now signs in with {newEmail[0]}***@", told.Text);
        Assert.Contains(userId, told.Text);
        // The code works once, and the old email is free for anyone.
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync("/api/auth/me/email-change/confirm", new { code }, token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(oldEmail, Password))).Status);
    }

    [Fact]
    public async Task An_email_another_account_holds_or_the_accounts_own_is_refused_and_so_is_a_support_account()
    {
        var (email, _, token) = await SignUpAsync();
        var (taken, _, _) = await SignUpAsync();

        var takenAnswer = await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = taken, password = Password }, token);
        Assert.Equal(HttpStatusCode.Conflict, takenAnswer.Status);
        Assert.Equal("https://uberclone.dev/problems/email-taken", takenAnswer.Body["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = email, password = Password }, token)).Status);
        var invalid = await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = "not-an-email", password = "" }, token);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.NotNull(invalid.Body["errors"]!["newEmail"]);
        Assert.NotNull(invalid.Body["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync("/api/auth/me/email-change/confirm", new { code = "123456" }, token)).Status); // none asked

        var deskEmail = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(deskEmail, Password, "Desk", TestContext.Current.CancellationToken);
        var support = (await gateway.PostAsync("/api/auth/signin", new { email = deskEmail, password = Password })).Body["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden,
            (await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = GatewayFactory.NewEmail(), password = Password }, support)).Status);
    }

    [Fact]
    public async Task A_move_that_stopped_before_freeing_the_old_claim_leaves_the_old_email_free_and_the_new_one_signing_in()
    {
        var ct = TestContext.Current.CancellationToken;
        var (oldEmail, userId, _) = await SignUpAsync();
        var newEmail = GatewayFactory.NewEmail();
        var store = gateway.Services.GetRequiredService<AccountStore>();
        // What a crash after the account changed but before the old claim was removed leaves: both claims, the account on the new email.
        await store.Emails.InsertAsync(newEmail, new EmailClaim(userId), ct: ct);
        await store.Accounts.UpdateAsync(userId, a => a with { Email = newEmail }, ct: ct);

        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email = newEmail, password = Password })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email = oldEmail, password = Password })).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(oldEmail, Password))).Status);
    }

    [Fact]
    public async Task An_email_an_account_is_moving_to_is_not_taken_by_a_sign_up_meanwhile()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, userId, _) = await SignUpAsync();
        var newEmail = GatewayFactory.NewEmail();
        // The move has claimed the new address but not yet changed the account.
        await gateway.Services.GetRequiredService<AccountStore>().Emails.InsertAsync(newEmail, new EmailClaim(userId, DateTimeOffset.UtcNow), ct: ct);

        var signUp = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(newEmail, Password));

        Assert.Equal(HttpStatusCode.Conflict, signUp.Status);
    }

    [Fact]
    public async Task Only_the_signed_in_owner_confirms()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email/verify", new { code = "123456" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email/code", new { })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email-change", new { newEmail = "a@example.com", password = "x" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/email-change/confirm", new { code = "123456" })).Status);
    }
}
