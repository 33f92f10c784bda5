using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Gateway.Accounts;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// A user's own account: their name, their password (asked again, every other session ended), and deleting the
/// account. Trips is not running here, so the deletion's check answers 503 and deletes nothing; the deletion itself is
/// driven through <see cref="AccountService.DeleteAsync"/> (the whole-stack tests drive it through the API).
/// </summary>
public sealed class AccountSettingsTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string ProblemType = "https://uberclone.dev/problems/";
    private const string Password = "correct horse battery";

    private async Task<(string Email, JsonObject Session)> SignUpAsync(bool driver = false)
    {
        var email = GatewayFactory.NewEmail();
        var (status, body, _) = await gateway.PostAsync("/api/auth/signup", driver ? GatewayFactory.DriverSignUp(email, Password) : GatewayFactory.RiderSignUp(email, Password));
        Assert.Equal(HttpStatusCode.OK, status);
        return (email, body);
    }

    private static string Access(JsonObject session) => session["accessToken"]!.GetValue<string>();

    private static string Refresh(JsonObject session) => session["refreshToken"]!.GetValue<string>();

    [Fact]
    public async Task A_user_renames_themselves_and_the_next_token_carries_the_new_name()
    {
        var (_, session) = await SignUpAsync();

        var renamed = await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { name = "  Rita Q. " }, Access(session));

        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.Equal("Rita Q.", renamed.Body["name"]!.GetValue<string>());
        Assert.Equal("Rita Q.", (await gateway.GetAsync("/api/auth/me", Access(session))).Body["name"]!.GetValue<string>());
        var next = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(session) });
        Assert.Equal("Rita Q.", next.Body["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_blank_or_missing_name_is_400_and_changes_nothing(string? name)
    {
        var (_, session) = await SignUpAsync();

        var refused = await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { name }, Access(session));
        var tooLong = await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { name = new string('a', 81) }, Access(session));

        foreach (var (status, body, _) in new[] { refused, tooLong })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.NotNull(body["errors"]!["name"]);
        }
        Assert.Equal("Rita", (await gateway.GetAsync("/api/auth/me", Access(session))).Body["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_and_gives_this_device_a_working_one()
    {
        var (email, session) = await SignUpAsync();
        var otherDevice = (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body;

        var changed = await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = "a new long secret" }, Access(session));

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        // The new session works at once (its tokens count from the next second, after the revocation)...
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Access(changed.Body))).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(changed.Body) })).Status);
        // ...and every session from before is over: this device's old tokens and the other device's.
        foreach (var old in new[] { session, otherDevice })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", Access(old))).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(old) })).Status);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = "a new long secret" })).Status);
    }

    [Fact]
    public async Task A_wrong_current_password_a_short_new_one_or_the_same_one_again_is_refused_and_changes_nothing()
    {
        var (email, session) = await SignUpAsync();

        var wrong = await gateway.PostAsync("/api/auth/me/password", new { currentPassword = "not the password", newPassword = "a new long secret" }, Access(session));
        var shortOne = await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = "short" }, Access(session));
        var same = await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = Password }, Access(session));
        var missing = await gateway.PostAsync("/api/auth/me/password", new { newPassword = "a new long secret" }, Access(session));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(ProblemType + "invalid-credentials", wrong.Body["type"]!.GetValue<string>());
        Assert.Equal("The password is wrong.", wrong.Body["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, shortOne.Status);
        Assert.NotNull(shortOne.Body["errors"]!["newPassword"]);
        Assert.Equal(HttpStatusCode.BadRequest, same.Status);
        Assert.Equal("The new password must differ from the current one.", same.Body["errors"]!["newPassword"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.NotNull(missing.Body["errors"]!["currentPassword"]);
        // Nothing changed: the session still works and the password is the old one.
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Access(session))).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
    }

    [Fact]
    public async Task Settings_need_a_signed_in_user()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { name = "X" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/password", new { currentPassword = Password, newPassword = "a new long secret" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/me/delete", new { password = Password })).Status);
    }

    [Fact]
    public async Task Deleting_asks_for_the_password_and_deletes_nothing_when_trips_cannot_confirm_nothing_is_under_way()
    {
        var (email, session) = await SignUpAsync();

        var noPassword = await gateway.PostAsync("/api/auth/me/delete", new { }, Access(session));
        var wrong = await gateway.PostAsync("/api/auth/me/delete", new { password = "not the password" }, Access(session));
        var tripsDown = await gateway.PostAsync("/api/auth/me/delete", new { password = Password }, Access(session));

        Assert.Equal(HttpStatusCode.BadRequest, noPassword.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tripsDown.Status);
        Assert.Contains("nothing was deleted", tripsDown.Body["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Access(session))).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
    }

    [Fact]
    public async Task Downloading_ones_data_needs_trips_and_says_so_when_it_cannot_be_reached()
    {
        var (_, session) = await SignUpAsync();

        var tripsDown = await gateway.GetAsync("/api/auth/me/export", Access(session));
        var anonymous = await gateway.GetAsync("/api/auth/me/export");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, tripsDown.Status);
        Assert.Contains("cannot be gathered right now", tripsDown.Body["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public async Task A_support_account_is_not_deleted_by_itself()
    {
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var email = GatewayFactory.NewEmail();
        await accounts.AddOperatorAsync(email, Password, "Colleague", TestContext.Current.CancellationToken);
        var session = (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body;

        var refused = await gateway.PostAsync("/api/auth/me/delete", new { password = Password }, Access(session));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("a colleague suspends", refused.Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deleted_account_keeps_nothing_personal_its_sessions_end_and_its_email_is_free_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var (email, session) = await SignUpAsync(driver: true);
        var userId = session["userId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Put, "/api/me/places/Home", new { lat = 52.52, lng = 13.40 }, Access(session))).Status);
        var store = gateway.Services.GetRequiredService<AccountStore>();
        var database = gateway.Services.GetRequiredService<IDocumentDatabase>();
        Assert.NotNull(await store.Places.GetAsync(userId, ct));

        await gateway.Services.GetRequiredService<AccountService>().DeleteAsync(userId, ct);

        var kept = (await store.Accounts.GetAsync(userId, ct))!.Document;
        Assert.Equal(("", Account.DeletedName, "", null), (kept.Email, kept.Name, kept.PasswordHash, kept.Vehicle));
        Assert.Equal("driver", kept.Role);
        Assert.NotNull(kept.DeletedAt);
        Assert.Null(await store.Emails.GetAsync(email, ct));
        Assert.Null(await store.Places.GetAsync(userId, ct));
        Assert.All(await store.RefreshTokens.QueryAsync("userId", userId, 100, ct), t => Assert.NotNull(t.Document.RevokedAt));
        var pending = await database.Outbox.GetPendingAsync(10_000, ct);
        Assert.Contains(pending, m => m.Topic == Topics.AccountDeleted && m.Key == userId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(session) })).Status);
        var again = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, "another password"));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotEqual(userId, again.Body["userId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Asking_to_delete_signs_out_everywhere_and_keeps_the_account_until_the_grace_ends_unless_its_owner_signs_in()
    {
        var ct = TestContext.Current.CancellationToken;
        var (email, session) = await SignUpAsync(driver: true);
        var userId = session["userId"]!.GetValue<string>();
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var database = gateway.Services.GetRequiredService<IDocumentDatabase>();
        var outbox = gateway.Services.GetRequiredService<Mail.MailOutbox>();
        async Task<List<string>> MailKindsAsync() => [.. (await outbox.ForAccountAsync(userId, 50, ct)).Select(m => m.Document.Kind)];

        var asked = DateTimeOffset.UtcNow;
        var closing = await accounts.ScheduleDeletionAsync(userId, ct);
        Assert.InRange(closing.EraseAt!.Value - asked, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        Assert.Equal(closing.EraseAt, (await accounts.ScheduleDeletionAsync(userId, ct)).EraseAt); // asked again: the first date
        var pending = await database.Outbox.GetPendingAsync(10_000, ct);
        Assert.Single(pending, m => m.Topic == Topics.AccountClosing && m.Key == userId);
        Assert.Contains(pending, m => m.Topic == Topics.AccountSessionsRevoked && m.Key == userId);

        // Signed out everywhere; the email stays taken (the account still exists); nothing is erased yet.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(session) })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Status);
        var erasure = (DateTimeOffset at) => ActivatorUtilities.CreateInstance<AccountErasure>(gateway.Services, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at));
        Assert.Equal(0, await erasure(closing.EraseAt!.Value - TimeSpan.FromMinutes(1)).EraseDueAsync(ct));

        // Signing in keeps it, as it was (the vehicle too), and says so.
        var back = await gateway.PostAsync("/api/auth/signin", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.True(back.Body["restored"]!.GetValue<bool>());
        var kept = (await accounts.GetAsync(userId, ct))!;
        Assert.Equal((null, null, "Toyota"), (kept.DeletionRequestedAt, kept.EraseAtMs, kept.Vehicle?.Make));
        Assert.Null((await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body["restored"]);
        Assert.Equal(0, await erasure(closing.EraseAt!.Value + TimeSpan.FromMinutes(1)).EraseDueAsync(ct));
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Access(back.Body))).Status);

        // Asked again, and not back in time: erased once the grace is over (by one replica, once), and told so.
        var again = await accounts.ScheduleDeletionAsync(userId, ct);
        Assert.Equal(1, await erasure(again.EraseAt!.Value + TimeSpan.FromSeconds(1)).EraseDueAsync(ct));
        Assert.Equal(0, await erasure(again.EraseAt!.Value + TimeSpan.FromSeconds(2)).EraseDueAsync(ct));
        var erased = (await accounts.GetAsync(userId, ct))!;
        Assert.Equal(("", Account.DeletedName), (erased.Email, erased.Name));
        Assert.NotNull(erased.DeletedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password))).Status);
        Assert.Contains((await database.Outbox.GetPendingAsync(10_000, ct)), m => m.Topic == Topics.AccountDeleted && m.Key == userId);
        // Where it was signed in (devices, addresses) is erased with it (ADR 0048).
        Assert.Empty(await gateway.Services.GetRequiredService<AccountStore>().Sessions.QueryAsync("userId", userId, 10, ct));
        var kinds = await MailKindsAsync(); // (the request's own notice is the endpoint's: not driven here)
        Assert.Single(kinds, k => k == "account-kept");
        Assert.Single(kinds, k => k == "account-deleted");
    }

    [Fact]
    public async Task Signing_in_straight_after_signing_out_everywhere_gives_a_session_that_works()
    {
        // Tokens carry their issue time in whole seconds and those issued until a revocation are refused: a session
        // issued within the second of one counts from the next, or it would be refused at once.
        var (email, session) = await SignUpAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync("/api/auth/signout-everywhere", new { }, Access(session))).Status);
            session = (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body;
            Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", Access(session))).Status);
            Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = Refresh(session) })).Status);
        }
    }

    [Fact]
    public async Task An_email_claim_a_stopped_deletion_left_behind_does_not_keep_the_email_taken()
    {
        var ct = TestContext.Current.CancellationToken;
        var (email, session) = await SignUpAsync();
        var userId = session["userId"]!.GetValue<string>();
        var store = gateway.Services.GetRequiredService<AccountStore>();
        // The account erased, but the deletion stopped before freeing the email.
        var stored = (await store.Accounts.GetAsync(userId, ct))!;
        await store.Accounts.ReplaceAsync(userId, stored.Document.Erased(DateTimeOffset.UtcNow), stored.Version, ct: ct);
        Assert.NotNull(await store.Emails.GetAsync(email, ct));

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Status);
        var again = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, Password));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(again.Body["userId"]!.GetValue<string>(), (await store.Emails.GetAsync(email, ct))!.Document.AccountId);
    }

    [Fact]
    public async Task The_time_zone_mails_use_is_set_at_sign_up_or_later_and_an_unknown_one_is_refused()
    {
        var email = GatewayFactory.NewEmail();
        var signedUp = await gateway.PostAsync("/api/auth/signup", new
        {
            email, password = "correct horse battery", role = "rider", name = "Zoe", timeZone = "Europe/Berlin",
        });
        var token = signedUp.Body["accessToken"]!.GetValue<string>();
        Assert.Equal("Europe/Berlin", (await gateway.GetAsync("/api/auth/me", token)).Body["timeZone"]!.GetValue<string>());

        var moved = await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "America/New_York" }, token);
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal(("America/New_York", "Zoe"), (moved.Body["timeZone"]!.GetValue<string>(), moved.Body["name"]!.GetValue<string>()));

        var unknown = await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "Mars/Olympus_Mons" }, token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.NotNull(unknown.Body["errors"]!["timeZone"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { }, token)).Status);
        Assert.Equal("America/New_York", (await gateway.GetAsync("/api/auth/me", token)).Body["timeZone"]!.GetValue<string>());

        // A browser's zone this server does not know does not stop a sign-up: mails use UTC then.
        var odd = await gateway.PostAsync("/api/auth/signup", new
        {
            email = GatewayFactory.NewEmail(), password = "correct horse battery", role = "rider", name = "Odd", timeZone = "Mars/Olympus_Mons",
        });
        Assert.Equal(HttpStatusCode.OK, odd.Status);
        Assert.Null((await gateway.GetAsync("/api/auth/me", odd.Body["accessToken"]!.GetValue<string>())).Body["timeZone"]);
    }

    [Fact]
    public async Task A_drivers_time_zone_is_told_to_payments_when_set_at_sign_up_and_each_time_it_changes_and_a_riders_is_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = gateway.Services.GetRequiredService<IDocumentDatabase>();
        async Task<List<(string TimeZone, string Role, DateTimeOffset At)>> ToldAsync(string userId) =>
            [.. (await database.Outbox.GetPendingAsync(10_000, ct)).Where(m => m.Topic == Topics.AccountTimeZoneSet && m.Key == userId)
                .Select(m => JsonNode.Parse(m.Value)!["data"]!)
                .Select(d => (d["timeZone"]!.GetValue<string>(), d["role"]!.GetValue<string>(), d["at"]!.GetValue<DateTimeOffset>()))];
        var driverSignUp = JsonSerializer.SerializeToNode(GatewayFactory.DriverSignUp())!.AsObject();
        driverSignUp["timeZone"] = "Asia/Tokyo";
        var driver = await gateway.PostAsync("/api/auth/signup", driverSignUp);
        var driverId = driver.Body["userId"]!.GetValue<string>();
        var token = Access(driver.Body);

        var atSignUp = Assert.Single(await ToldAsync(driverId));
        Assert.Equal(("Asia/Tokyo", "driver"), (atSignUp.TimeZone, atSignUp.Role));

        // A rename, or the same zone again (the app sends it at every sign-in), tells nothing; another zone does, later.
        await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { name = "Dan Q." }, Access(driver.Body));
        await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "Asia/Tokyo" }, token);
        Assert.Single(await ToldAsync(driverId));
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "America/Los_Angeles" }, token)).Status);
        var told = await ToldAsync(driverId);
        Assert.Equal(["Asia/Tokyo", "America/Los_Angeles"], told.Select(t => t.TimeZone));
        Assert.True(told[1].At > told[0].At);

        // A driver who signs up without a zone is told once they have one; riders' zones are nobody else's business.
        var (_, withoutZone) = await SignUpAsync(driver: true);
        Assert.Empty(await ToldAsync(withoutZone["userId"]!.GetValue<string>()));
        await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "Europe/Berlin" }, Access(withoutZone));
        Assert.Equal("Europe/Berlin", Assert.Single(await ToldAsync(withoutZone["userId"]!.GetValue<string>())).TimeZone);
        var rider = await gateway.PostAsync("/api/auth/signup", new { email = GatewayFactory.NewEmail(), password = Password, role = "rider", name = "Zoe", timeZone = "Europe/Berlin" });
        await gateway.SendAsync(HttpMethod.Patch, "/api/auth/me", new { timeZone = "Asia/Tokyo" }, Access(rider.Body));
        Assert.Empty(await ToldAsync(rider.Body["userId"]!.GetValue<string>()));

        // Accounts from before drivers' zones were told: each driver with a zone is told once, by the gateway's start.
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var store = gateway.Services.GetRequiredService<AccountStore>();
        async Task<string> OldAsync(string role, string? zone, bool deleted = false)
        {
            var id = $"{role[0]}old{Guid.NewGuid():N}";
            await store.Accounts.InsertAsync(id, new Account(id, GatewayFactory.NewEmail(), role, "Old", "", null, DateTimeOffset.UtcNow.AddYears(-1),
                TimeZone: zone, DeletedAt: deleted ? DateTimeOffset.UtcNow : null), ct: ct);
            return id;
        }
        var (old, oldWithoutZone, oldRider, oldDeleted) = (await OldAsync("driver", "Europe/Lisbon"), await OldAsync("driver", null),
            await OldAsync("rider", "Europe/Lisbon"), await OldAsync("driver", "Europe/Lisbon", deleted: true));
        await accounts.TellUntoldTimeZonesAsync(ct);
        Assert.Equal("Europe/Lisbon", Assert.Single(await ToldAsync(old)).TimeZone);
        Assert.True((await store.Accounts.GetAsync(old, ct))!.Document.ZoneTold);
        Assert.Empty(await ToldAsync(oldWithoutZone));
        Assert.Empty(await ToldAsync(oldRider));
        Assert.Empty(await ToldAsync(oldDeleted));
        // Told already (at sign-up, by a change, by an earlier start): not again.
        Assert.Equal(0, await accounts.TellUntoldTimeZonesAsync(ct));
        Assert.Equal(2, (await ToldAsync(driverId)).Count);
        Assert.Single(await ToldAsync(old));
    }
}
