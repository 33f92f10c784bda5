using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Gateway.Tests;

/// <summary>
/// "Forgot your password?": a six-digit code mailed (over SMTP, to a local mailbox) to the account's email, then the
/// code and a new password sign in and end every earlier session. Asking tells nobody whether the email has an account.
/// </summary>
public sealed class PasswordResetTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "a brand new passphrase";

    private async Task<(string Email, string UserId, string AccessToken)> SignUpAsync()
    {
        var email = GatewayFactory.NewEmail();
        var body = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Body;
        return (email, body["userId"]!.GetValue<string>(), body["accessToken"]!.GetValue<string>());
    }

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> ConfirmAsync(string email, string code, string newPassword = NewPassword) =>
        gateway.PostAsync("/api/auth/password-reset/confirm", new { email, code, newPassword });

    [Fact]
    public async Task A_request_stored_by_a_replica_that_stopped_before_handling_it_is_handled_by_another_and_a_stale_one_is_dropped()
    {
        var (email, _, _) = await SignUpAsync();
        var (staleEmail, _, _) = await SignUpAsync();
        var requests = gateway.Services.GetRequiredService<PasswordResetRequests>();
        var now = DateTimeOffset.UtcNow;
        var ct = TestContext.Current.CancellationToken;

        // What the endpoint stores, as another replica left it (it stopped before handling it; nothing woke this one).
        await requests.Requests.InsertAsync("stored-elsewhere-" + Guid.NewGuid().ToString("N"), new PasswordResetRequested(email, now.ToUnixTimeMilliseconds()), ct: ct);
        await requests.Requests.InsertAsync("stale-" + Guid.NewGuid().ToString("N"),
            new PasswordResetRequested(staleEmail, (now - PasswordResetRequests.GiveUpAfter - TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds()), ct: ct);

        // This replica's poll finds it: the code goes (once, however many replicas read it).
        await gateway.Mailbox.WaitForAsync(email, FakeMailbox.IsResetCode, PasswordResetRequests.Poll * 5);
        // Handled requests are deleted, the stale one too.
        for (var i = 0; i < 50 && (await requests.Requests.QueryUpToAsync(PasswordResetRequested.AtField, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 10, ct)).Count > 0; i++)
        {
            await Task.Delay(100, ct);
        }
        Assert.Empty(await requests.Requests.QueryUpToAsync(PasswordResetRequested.AtField, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 10, ct));
        Assert.DoesNotContain(gateway.Mailbox.Received, m => m.To.Contains(staleEmail) && FakeMailbox.IsResetCode(m));
    }

    [Fact]
    public async Task A_mailed_code_and_a_new_password_sign_in_and_end_every_earlier_session_once()
    {
        var (email, userId, oldToken) = await SignUpAsync();

        var asked = await gateway.PostAsync("/api/auth/password-reset", new { email = email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Accepted, asked.Status);
        Assert.Equal(900, asked.Body["codeLifetimeSeconds"]!.GetValue<int>());
        var mail = await gateway.Mailbox.WaitForAsync(email, FakeMailbox.IsResetCode);
        var code = await gateway.Mailbox.CodeForAsync(email);
        Assert.Contains($"Your code is {code}. It works for 15 minutes, once.", mail.Raw);
        Assert.Equal("no-reply@uberclone.local", mail.From);

        var signedIn = await ConfirmAsync(email, code);

        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(userId, signedIn.Body["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", signedIn.Body["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", oldToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = NewPassword })).Status);
        // Its owner is told, in case it was not them.
        var notice = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone password was changed");
        Assert.Contains("every device signed in with it was signed out", notice.Raw);
        // A code works once.
        var again = await ConfirmAsync(email, code, "yet another passphrase");
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("https://uberclone.dev/problems/reset-code-refused", again.Body["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = NewPassword })).Status);
    }

    [Fact]
    public async Task Changing_the_password_mails_its_owner_a_notice()
    {
        var (email, _, token) = await SignUpAsync();

        var changed = await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = NewPassword }, token);

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        var notice = await gateway.Mailbox.WaitForAsync(email, m => !FakeMailbox.IsEmailConfirmation(m));
        Assert.Equal("Your UberClone password was changed", notice.Subject);
        Assert.Contains("If it was not you, reset your password at once", notice.Raw);
    }

    [Fact]
    public async Task Support_mails_a_caller_a_code_to_their_own_address_and_the_trail_keeps_who_did()
    {
        var ct = TestContext.Current.CancellationToken;
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var (email, userId, riderToken) = await SignUpAsync();
        var operatorEmail = GatewayFactory.NewEmail();
        await accounts.AddOperatorAsync(operatorEmail, Password, "Desk", ct);
        var desk = (await gateway.PostAsync("/api/auth/signin", new { email = operatorEmail, password = Password })).Body["accessToken"]!.GetValue<string>();

        var sent = await gateway.PostAsync($"/api/ops/users/{userId}/password-reset", new { }, desk);
        var again = await gateway.PostAsync($"/api/ops/users/{userId}/password-reset", new { }, desk);

        Assert.Equal((HttpStatusCode.Accepted, true), (sent.Status, sent.Body["mailed"]!.GetValue<bool>()));
        Assert.Contains($"A code is on its way to {email}", sent.Body["message"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.Accepted, false), (again.Status, again.Body["mailed"]!.GetValue<bool>()));
        var code = await gateway.Mailbox.CodeForAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(email, code)).Status);
        var trail = await gateway.GetAsync($"/api/ops/audit?userId={userId}", desk);
        Assert.Contains(trail.Body["actions"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "user.password_reset_sent");
        // Only support may; an account that is gone or suspended gets nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync($"/api/ops/users/{userId}/password-reset", new { }, riderToken)).Status); // ended by the reset
        var (_, _, someRider) = await SignUpAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostAsync($"/api/ops/users/{userId}/password-reset", new { }, someRider)).Status);
        var (_, deletedId, _) = await SignUpAsync();
        await accounts.DeleteAsync(deletedId, ct);
        var gone = await gateway.PostAsync($"/api/ops/users/{deletedId}/password-reset", new { }, desk);
        Assert.Equal(HttpStatusCode.BadRequest, gone.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.PostAsync("/api/ops/users/r0000/password-reset", new { }, desk)).Status);
    }

    [Fact]
    public async Task An_email_without_an_account_gets_the_same_answer_and_no_mail()
    {
        var (email, _, _) = await SignUpAsync();
        var nobody = GatewayFactory.NewEmail();

        var forNobody = await gateway.PostAsync("/api/auth/password-reset", new { email = nobody });
        var forSomeone = await gateway.PostAsync("/api/auth/password-reset", new { email });

        Assert.Equal((forSomeone.Status, forSomeone.Body.ToJsonString()), (forNobody.Status, forNobody.Body.ToJsonString()));
        await gateway.Mailbox.WaitForAsync(email, FakeMailbox.IsResetCode); // mailed after the other was asked for: the queue is in order
        Assert.DoesNotContain(gateway.Mailbox.Received, m => m.To.Contains(nobody));
        var refused = await ConfirmAsync(nobody, "123456");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("No code was asked for, or it was used", refused.Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Five_wrong_codes_use_the_code_up_and_a_second_request_within_a_minute_mails_nothing_new()
    {
        var (email, _, _) = await SignUpAsync();
        await gateway.PostAsync("/api/auth/password-reset", new { email });
        var code = await gateway.Mailbox.CodeForAsync(email);
        await gateway.PostAsync("/api/auth/password-reset", new { email });
        var wrongCode = code == "000000" ? "000001" : "000000";

        var details = new List<string>();
        for (var i = 0; i < MailedCode.MaxAttempts; i++)
        {
            var wrong = await ConfirmAsync(email, wrongCode);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
            details.Add(wrong.Body["detail"]!.GetValue<string>());
        }
        var right = await ConfirmAsync(email, code);

        Assert.Equal(["The code is wrong (4 tries left).", "The code is wrong (3 tries left).", "The code is wrong (2 tries left).", "The code is wrong (1 try left).",
            "The code is wrong, and that was the last try; ask for a new code."], details);
        Assert.Equal(HttpStatusCode.BadRequest, right.Status);
        Assert.Equal("Too many wrong codes; ask for a new code.", right.Body["detail"]!.GetValue<string>());
        Assert.Single(gateway.Mailbox.Received, m => m.To.Contains(email) && FakeMailbox.IsResetCode(m)); // the second request within a minute mailed nothing
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
    }

    [Fact]
    public async Task A_code_expires_after_fifteen_minutes_and_a_new_one_may_then_be_mailed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (email, _, _) = await SignUpAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var resets = ActivatorUtilities.CreateInstance<PasswordResets>(gateway.Services, clock);
        await resets.RequestAsync(email, ct);
        var first = await gateway.Mailbox.CodeForAsync(email);

        clock.Advance(PasswordReset.Lifetime);
        var expired = await Assert.ThrowsAsync<PasswordResetRefusedException>(() => resets.ConfirmAsync(email, first, NewPassword, ct));
        Assert.Equal("The code has expired; ask for a new code.", expired.Message);
        await resets.RequestAsync(email, ct);
        var second = await gateway.Mailbox.CodeForAsync(email, first);
        var (session, _) = await resets.ConfirmAsync(email, second, NewPassword, ct);

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", session.AccessToken)).Status);
    }

    [Fact]
    public async Task A_suspended_account_gets_no_code_and_a_deleted_one_none_either()
    {
        var ct = TestContext.Current.CancellationToken;
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var (suspended, suspendedId, _) = await SignUpAsync();
        var (deleted, deletedId, _) = await SignUpAsync();
        var (someone, _, _) = await SignUpAsync();
        await accounts.SuspendAsync(suspendedId, "fraud", "o-test", ct);
        await accounts.DeleteAsync(deletedId, ct);

        foreach (var email in new[] { suspended, deleted, someone })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await gateway.PostAsync("/api/auth/password-reset", new { email })).Status);
        }

        await gateway.Mailbox.WaitForAsync(someone, FakeMailbox.IsResetCode);
        Assert.DoesNotContain(gateway.Mailbox.Received, m => (m.To.Contains(suspended) || m.To.Contains(deleted)) && FakeMailbox.IsResetCode(m));
    }

    [Fact]
    public async Task A_reset_by_mailed_code_keeps_an_account_whose_owner_had_asked_to_delete_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var (email, userId, _) = await SignUpAsync();
        await accounts.ScheduleDeletionAsync(userId, ct);

        // They forgot the password too: a code still goes to the account (it exists until erased), and using it keeps it.
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.PostAsync("/api/auth/password-reset", new { email })).Status);
        var reset = await ConfirmAsync(email, await gateway.Mailbox.CodeForAsync(email));

        Assert.Equal(HttpStatusCode.OK, reset.Status);
        Assert.True(reset.Body["restored"]!.GetValue<bool>());
        Assert.Null((await accounts.GetAsync(userId, ct))!.DeletionRequestedAt);
        var welcome = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Welcome back: your UberClone account is kept");
        Assert.Contains("your UberClone account will not be deleted after all", welcome.Text);
    }

    [Theory]
    [InlineData("not-an-email", "123456", NewPassword, "email")]
    [InlineData("a@example.com", "12345", NewPassword, "code")]
    [InlineData("a@example.com", "12a456", NewPassword, "code")]
    [InlineData("a@example.com", "123456", "short", "newPassword")]
    public async Task Bad_input_is_400_naming_the_field(string email, string code, string newPassword, string field)
    {
        var refused = await ConfirmAsync(email, code, newPassword);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.Body["errors"]![field]);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync("/api/auth/password-reset", new { email = "nope" })).Status);
    }

    [Fact]
    public void The_mail_connection_string_is_read_as_aspire_writes_it_and_a_wrong_one_is_refused_saying_how()
    {
        var settings = MailSettings.Parse("Endpoint=smtp://mail.internal:2525;Username=app;Password=secret");
        Assert.Equal(("mail.internal", 2525, "app", "secret"), (settings.Endpoint!.Host, settings.Endpoint.Port, settings.Username, settings.Password));
        Assert.Equal(1025, MailSettings.Parse("smtp://localhost:1025").Endpoint!.Port);
        Assert.Null(MailSettings.Parse(null).Endpoint);
        Assert.Contains("smtp://", Assert.Throws<FormatException>(() => MailSettings.Parse("Endpoint=http://localhost:1025")).Message);
    }

    [Fact]
    public void A_code_is_right_only_before_it_expires_and_before_five_wrong_guesses()
    {
        var now = DateTimeOffset.UtcNow;
        var (reset, code) = MailedCode.New("r1", now, PasswordReset.Lifetime);
        var wrong = code == "999999" ? "999998" : "999999";

        Assert.Matches("^[0-9]{6}$", code);
        Assert.DoesNotContain(code, reset.CodeHash);
        Assert.Equal(MailedCodeCheck.Right, reset.Check(code, now.AddMinutes(14)));
        Assert.Equal(MailedCodeCheck.Wrong, reset.Check(wrong, now));
        Assert.Equal(MailedCodeCheck.Expired, reset.Check(code, now.AddMinutes(15)));
        Assert.Equal(MailedCodeCheck.TooManyAttempts, (reset with { WrongAttempts = 5 }).Check(code, now));
        Assert.Equal(MailedCodeCheck.Wrong, (reset with { UserId = "r2" }).Check(code, now)); // the hash binds the code to its account
        Assert.False(reset.MayBeReplaced(now.AddSeconds(59)));
        Assert.True(reset.MayBeReplaced(now.AddMinutes(1)));
    }
}
