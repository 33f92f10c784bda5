using System.Net;
using System.Net.Http.Json;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A driver who forgot their password on the whole stack: the gateway mails a code over SMTP (to the fixture's
/// mailbox), the code and a new password sign them in, and the phone still signed in with the old session is cut off:
/// its socket closes and its token is refused.
/// </summary>
public sealed class PasswordResetTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_mailed_code_resets_a_forgotten_password_and_the_old_sessions_socket_is_closed()
    {
        var client = stack.Client();
        var driver = await client.SignInAsync("driver", "Dora");
        await using var oldPhone = await driver.ConnectAsync();

        using (var asked = await client.Http.PostAsJsonAsync("/api/auth/password-reset", new { email = driver.Email }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }
        var mail = await stack.Mailbox.WaitForAsync(driver.Email, FakeMailbox.IsResetCode);
        Assert.Contains("Hello Dora,", mail.Raw);
        var code = await stack.Mailbox.CodeForAsync(driver.Email);

        using var confirmed = await client.Http.PostAsJsonAsync("/api/auth/password-reset/confirm",
            new { email = driver.Email, code, newPassword = "a brand new passphrase" }, TestContext.Current.CancellationToken);
        var session = await PlatformClient.ReadAsync(confirmed);

        Assert.Equal(driver.UserId, session.Str("userId"));
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, await oldPhone.WaitForCloseAsync()); // signed out everywhere
        using var old = await driver.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var renewed = new UserSession(client, driver.UserId, "driver", session.Str("accessToken"));
        Assert.Equal("Dora", (await renewed.GetOkAsync("/api/auth/me")).Str("name"));
        using var oldPassword = await client.Http.PostAsJsonAsync("/api/auth/signin", new { email = driver.Email, password = driver.Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
    }
}
