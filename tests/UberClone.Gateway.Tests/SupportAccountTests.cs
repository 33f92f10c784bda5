using System.Net;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The support desk's account: made from configuration (Operators:Bootstrap) at start, never by signing up; its
/// password follows the configuration; a rider's or driver's email is never turned into it; only it looks up accounts.
/// </summary>
public sealed class SupportAccountTests
{
    internal const string Email = "ops@uberclone.test";

    /// <summary>A gateway whose data folder the test chooses, so a second gateway can find what the first one wrote.</summary>
    internal sealed class Gateway(string data, string? email, string? password) : GatewayFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            ["Operators:Bootstrap:Email"] = email,
            ["Operators:Bootstrap:Password"] = password,
        };
    }

    internal static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), $"uberclone-support-test-{Guid.NewGuid():N}");

    /// <summary>Signs in, retrying while the background bootstrap has not written the account yet.</summary>
    internal static async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body)> SignInAsync(GatewayFactory gateway, string password, HttpStatusCode until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var (status, body, _) = await gateway.PostAsync("/api/auth/signin", new { email = Email, password });
            if (status == until || DateTime.UtcNow > deadline) return (status, body);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_configured_account_signs_in_as_support_and_a_restart_with_another_password_replaces_the_old_one()
    {
        var data = NewDataDirectory();
        string userId;
        await using (var first = new Gateway(data, Email, "first password 1"))
        {
            var (status, body) = await SignInAsync(first, "first password 1", HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("operator", body["role"]!.GetValue<string>());
            Assert.Equal("Support desk", body["name"]!.GetValue<string>());
            userId = body["userId"]!.GetValue<string>();
            Assert.StartsWith("o", userId);
        }
        await using (var second = new Gateway(data, Email, "second password 2"))
        {
            var (status, body) = await SignInAsync(second, "second password 2", HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(userId, body["userId"]!.GetValue<string>()); // the same account, not a second one
            Assert.Equal(HttpStatusCode.Unauthorized, (await second.PostAsync("/api/auth/signin", new { email = Email, password = "first password 1" })).Status);
            // Started again with the same configuration: nothing to change.
            var accounts = second.Services.GetRequiredService<AccountService>();
            Assert.Equal(OperatorAccountOutcome.Unchanged, await accounts.EnsureOperatorAsync(Email, "second password 2", "Support desk", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Nobody_signs_up_as_support_and_a_riders_email_is_never_made_the_support_account()
    {
        await using var gateway = new Gateway(NewDataDirectory(), email: null, password: null);
        var signUp = await gateway.PostAsync("/api/auth/signup", new { email = GatewayFactory.NewEmail(), password = "correct horse battery", role = "operator", name = "Mallory" });
        Assert.Equal(HttpStatusCode.BadRequest, signUp.Status);
        Assert.NotNull(signUp.Body["errors"]!["role"]);

        var riderEmail = GatewayFactory.NewEmail();
        var rider = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(riderEmail, "the riders password"));
        var accounts = gateway.Services.GetRequiredService<AccountService>();
        var outcome = await accounts.EnsureOperatorAsync(riderEmail, "a configured password", "Support desk", TestContext.Current.CancellationToken);

        Assert.Equal(OperatorAccountOutcome.EmailTakenByUser, outcome);
        var signIn = await gateway.PostAsync("/api/auth/signin", new { email = riderEmail, password = "the riders password" });
        Assert.Equal("rider", signIn.Body["role"]!.GetValue<string>());
        Assert.Equal(rider.Body["userId"]!.GetValue<string>(), signIn.Body["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/signin", new { email = riderEmail, password = "a configured password" })).Status);
    }

    [Fact]
    public async Task A_support_password_that_cannot_be_used_stops_the_gateway_saying_why()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "short");
        var failure = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());
        Assert.Contains("Operators:Bootstrap:Password must be 8 to 128 characters", failure.ToString());
    }

    [Fact]
    public async Task Support_adds_a_colleague_who_signs_in_with_an_account_of_their_own_and_nobody_else_can()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "support password");
        var (_, support) = await SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var email = GatewayFactory.NewEmail();

        var (status, added, response) = await gateway.PostAsync("/api/ops/operators", new { email, password = "colleague password", name = "Olga" }, token);
        Assert.Equal(HttpStatusCode.Created, status);
        var id = added["userId"]!.GetValue<string>();
        Assert.Equal($"/api/ops/users/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("operator", "Olga"), (added["role"]!.GetValue<string>(), added["name"]!.GetValue<string>()));
        Assert.NotEqual(support["userId"]!.GetValue<string>(), id);
        var colleague = await gateway.PostAsync("/api/auth/signin", new { email, password = "colleague password" });
        Assert.Equal((id, "operator"), (colleague.Body["userId"]!.GetValue<string>(), colleague.Body["role"]!.GetValue<string>()));
        // The colleague is support too: they look accounts up.
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/ops/users/{id}", colleague.Body["accessToken"]!.GetValue<string>())).Status);

        Assert.Equal(HttpStatusCode.Conflict, (await gateway.PostAsync("/api/ops/operators", new { email, password = "another password", name = "Olga" }, token)).Status);
        var bad = await gateway.PostAsync("/api/ops/operators", new { email = "not-an-email", password = "short", name = "" }, token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(["email", "name", "password"], bad.Body["errors"]!.AsObject().Select(e => e.Key).Order());
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();
        var refused = await gateway.PostAsync("/api/ops/operators", new { email = GatewayFactory.NewEmail(), password = "rider's try 123", name = "Mallory" }, rider);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/ops/operators", new { email = GatewayFactory.NewEmail(), password = "anonymous 123", name = "Anon" })).Status);
    }

    [Fact]
    public async Task A_suspended_account_is_signed_out_and_told_why_when_it_signs_in_until_support_reinstates_it()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "support password");
        var (_, support) = await SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var email = GatewayFactory.NewEmail();
        var driver = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(email, "drivers password"))).Body;
        var driverId = driver["userId"]!.GetValue<string>();

        var noReason = await gateway.PostAsync($"/api/ops/users/{driverId}/suspend", new { reason = " " }, token);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostAsync($"/api/ops/users/{driverId}/suspend", new { reason = "x" }, driver["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.PostAsync("/api/ops/users/d0123/suspend", new { reason = "fraud" }, token)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync($"/api/ops/users/{support["userId"]!.GetValue<string>()}/suspend", new { reason = "x" }, token)).Status);

        var (status, suspended, _) = await gateway.PostAsync($"/api/ops/users/{driverId}/suspend", new { reason = "documents expired" }, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("documents expired", support["userId"]!.GetValue<string>()), (suspended["suspension"]!["reason"]!.GetValue<string>(), suspended["suspension"]!["by"]!.GetValue<string>()));
        // Signed out at once, and refused from now on: the right password hears why, a wrong one only that it is wrong.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", driver["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = driver["refreshToken"]!.GetValue<string>() })).Status);
        var refused = await gateway.PostAsync("/api/auth/signin", new { email, password = "drivers password" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("https://uberclone.dev/problems/account-suspended", refused.Body["type"]!.GetValue<string>());
        Assert.Contains("documents expired", refused.Body["detail"]!.GetValue<string>());
        var wrong = await gateway.PostAsync("/api/auth/signin", new { email, password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.DoesNotContain("suspended", wrong.Body.ToJsonString());

        var reinstated = await gateway.PostAsync($"/api/ops/users/{driverId}/reinstate", new { }, token);
        Assert.Equal(HttpStatusCode.OK, reinstated.Status);
        Assert.Null(reinstated.Body["suspension"]);
        // Tokens carry whole seconds: one issued in the second of the suspension would be void too.
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        var back = await gateway.PostAsync("/api/auth/signin", new { email, password = "drivers password" });
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", back.Body["accessToken"]!.GetValue<string>())).Status);
    }

    [Fact]
    public async Task A_colleague_who_left_is_suspended_by_another_but_nobody_suspends_themselves_or_the_desks_first_account()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "support password");
        var (_, support) = await SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var (token, firstId) = (support["accessToken"]!.GetValue<string>(), support["userId"]!.GetValue<string>());
        var olgaEmail = GatewayFactory.NewEmail();
        var olgaId = (await gateway.PostAsync("/api/ops/operators", new { email = olgaEmail, password = "colleague password", name = "Olga" }, token)).Body["userId"]!.GetValue<string>();
        var olga = (await gateway.PostAsync("/api/auth/signin", new { email = olgaEmail, password = "colleague password" })).Body["accessToken"]!.GetValue<string>();

        // Olga works: she suspends a rider. She cannot suspend herself, nor the desk's first account (configuration's).
        var riderId = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["userId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{riderId}/suspend", new { reason = "fake card" }, olga)).Status);
        var self = await gateway.PostAsync($"/api/ops/users/{olgaId}/suspend", new { reason = "x" }, olga);
        Assert.Equal(HttpStatusCode.BadRequest, self.Status);
        Assert.Contains("your own account", self.Body["detail"]!.GetValue<string>());
        var first = await gateway.PostAsync($"/api/ops/users/{firstId}/suspend", new { reason = "x" }, olga);
        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Contains("Operators:Bootstrap", first.Body["detail"]!.GetValue<string>());

        // She leaves the team: the first account suspends hers. Her token stops working, her password is refused with why.
        var (status, suspended, _) = await gateway.PostAsync($"/api/ops/users/{olgaId}/suspend", new { reason = "left the team" }, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("operator", "left the team"), (suspended["role"]!.GetValue<string>(), suspended["suspension"]!["reason"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync($"/api/ops/users/{riderId}", olga)).Status);
        var refused = await gateway.PostAsync("/api/auth/signin", new { email = olgaEmail, password = "colleague password" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("left the team", refused.Body["detail"]!.GetValue<string>());

        // What she did stays on record, by her; what was done to her account too.
        var hers = (await gateway.GetAsync($"/api/ops/audit?operatorId={olgaId}", token)).Body["actions"]!.AsArray();
        Assert.Equal(("user.suspended", riderId, "Olga"), (Assert.Single(hers)!["action"]!.GetValue<string>(), hers[0]!["userId"]!.GetValue<string>(), hers[0]!["operatorName"]!.GetValue<string>()));
        var onHer = (await gateway.GetAsync($"/api/ops/audit?userId={olgaId}", token)).Body["actions"]!.AsArray();
        Assert.Equal(("user.suspended", firstId, "left the team"), (Assert.Single(onHer)!["action"]!.GetValue<string>(), onHer[0]!["operatorId"]!.GetValue<string>(), onHer[0]!["reason"]!.GetValue<string>()));

        // She comes back.
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{olgaId}/reinstate", new { }, token)).Status);
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken); // tokens carry whole seconds
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/signin", new { email = olgaEmail, password = "colleague password" })).Status);
    }

    [Fact]
    public async Task Support_lists_every_colleague_by_name_a_suspended_one_marked_and_a_deleted_one_absent_and_nobody_else_lists_them()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "support password");
        var (_, support) = await SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var (token, firstId) = (support["accessToken"]!.GetValue<string>(), support["userId"]!.GetValue<string>());
        async Task<string> AddAsync(string name, string email) =>
            (await gateway.PostAsync("/api/ops/operators", new { email, password = "colleague password", name }, token)).Body["userId"]!.GetValue<string>();
        var zoeEmail = GatewayFactory.NewEmail();
        var zoe = await AddAsync("Zoe", zoeEmail);
        var anna = await AddAsync("anna", GatewayFactory.NewEmail());
        var gone = await AddAsync("Mads", GatewayFactory.NewEmail());
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        var driver = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body;
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{zoe}/suspend", new { reason = "left the team" }, token)).Status);
        await gateway.Services.GetRequiredService<AccountService>().DeleteAsync(gone, TestContext.Current.CancellationToken);

        var (status, list, _) = await gateway.GetAsync("/api/ops/operators", token);

        Assert.Equal(HttpStatusCode.OK, status);
        var operators = list["operators"]!.AsArray().Select(o => o!.AsObject()).ToList();
        // By name, whatever its case; the erased colleague is gone (its tombstone keeps the role), riders and drivers never listed.
        Assert.Equal([(anna, "anna"), (zoe, "Zoe")], operators.Where(o => o["id"]!.GetValue<string>() != firstId).Select(o => (o["id"]!.GetValue<string>(), o["name"]!.GetValue<string>())));
        Assert.Equal(("Support desk", Email), (operators.Single(o => o["id"]!.GetValue<string>() == firstId)["name"]!.GetValue<string>(),
            operators.Single(o => o["id"]!.GetValue<string>() == firstId)["email"]!.GetValue<string>()));
        Assert.Equal(["anna", "Support desk", "Zoe"], operators.Select(o => o["name"]!.GetValue<string>()));
        var suspended = operators.Single(o => o["id"]!.GetValue<string>() == zoe);
        Assert.Equal((zoeEmail, true), (suspended["email"]!.GetValue<string>(), suspended["suspended"]!.GetValue<bool>()));
        Assert.All(operators.Where(o => o["id"]!.GetValue<string>() != zoe), o => Assert.Null(o["suspended"]));
        Assert.DoesNotContain("password", list.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var refused = await gateway.GetAsync("/api/ops/operators", rider["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/api/ops/operators", driver["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/ops/operators")).Status);
        var document = System.Text.Json.Nodes.JsonNode.Parse(await gateway.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        Assert.NotNull(document["paths"]!["/api/ops/operators"]!["get"]);
    }

    [Fact]
    public async Task Only_support_looks_up_accounts_by_email_or_id_and_never_sees_a_password_hash()
    {
        await using var gateway = new Gateway(NewDataDirectory(), Email, "support password");
        var (_, support) = await SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var driverEmail = GatewayFactory.NewEmail();
        var driver = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(driverEmail))).Body;
        var driverId = driver["userId"]!.GetValue<string>();

        var byEmail = await gateway.GetAsync($"/api/ops/users?email={Uri.EscapeDataString(driverEmail.ToUpperInvariant())}", token);
        Assert.Equal(HttpStatusCode.OK, byEmail.Status);
        Assert.Equal((driverId, driverEmail, "driver", "Dan"), (byEmail.Body["userId"]!.GetValue<string>(), byEmail.Body["email"]!.GetValue<string>(),
            byEmail.Body["role"]!.GetValue<string>(), byEmail.Body["name"]!.GetValue<string>()));
        Assert.Equal("AB-123", byEmail.Body["vehicle"]!["plate"]!.GetValue<string>());
        Assert.DoesNotContain("password", byEmail.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        var byId = await gateway.GetAsync($"/api/ops/users/{driverId}", token);
        Assert.Equal(byEmail.Body.ToJsonString(), byId.Body.ToJsonString());

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync($"/api/ops/users?email={GatewayFactory.NewEmail()}", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync("/api/ops/users/r0123", token)).Status);
        var noEmail = await gateway.GetAsync("/api/ops/users", token);
        Assert.Equal(HttpStatusCode.BadRequest, noEmail.Status);
        Assert.Equal("application/problem+json", noEmail.Response.Content.Headers.ContentType?.MediaType);

        var driverToken = driver["accessToken"]!.GetValue<string>();
        var refused = await gateway.GetAsync($"/api/ops/users?email={Uri.EscapeDataString(driverEmail)}", driverToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync($"/api/ops/users/{driverId}", driverToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync($"/api/ops/users/{driverId}")).Status);
    }
}
