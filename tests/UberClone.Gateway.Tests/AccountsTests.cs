using System.Net;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Tests;

public sealed class AccountsTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string ProblemType = "https://uberclone.dev/problems/";

    [Fact]
    public async Task Sign_up_returns_tokens_and_me_shows_the_account()
    {
        var email = GatewayFactory.NewEmail();
        var (status, body, _) = await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(email));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("d", body["userId"]!.GetValue<string>());
        Assert.Equal("driver", body["role"]!.GetValue<string>());
        Assert.Equal("Bearer", body["tokenType"]!.GetValue<string>());
        Assert.Equal(15 * 60, body["expiresIn"]!.GetValue<int>()); // a phone times its renewal by this, not by its own clock
        Assert.NotEmpty(body["refreshToken"]!.GetValue<string>());
        Assert.DoesNotContain("password", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var me = await gateway.GetAsync("/api/auth/me", body["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(email, me.Body["email"]!.GetValue<string>());
        Assert.Equal("AB-123", me.Body["vehicle"]!["plate"]!.GetValue<string>());
        Assert.Equal("comfort", me.Body["vehicle"]!["class"]!.GetValue<string>());
        Assert.Null(me.Body["passwordHash"]);
    }

    [Fact]
    public async Task Password_is_stored_only_as_a_salted_hash()
    {
        var first = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(password: "same password"));
        var second = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(password: "same password"));

        var store = gateway.Services.GetRequiredService<AccountStore>();
        var a = (await store.Accounts.GetAsync(first.Body["userId"]!.GetValue<string>()))!.Document;
        var b = (await store.Accounts.GetAsync(second.Body["userId"]!.GetValue<string>()))!.Document;
        Assert.DoesNotContain("same password", a.PasswordHash);
        Assert.NotEqual(a.PasswordHash, b.PasswordHash);
        Assert.True(Convert.FromBase64String(a.PasswordHash).Length > 40);
    }

    [Fact]
    public async Task Sign_in_with_the_right_password_works_and_a_wrong_one_is_401()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email, "s3cret password"));

        var ok = await gateway.PostAsync("/api/auth/signin", new { email = email.ToUpperInvariant(), password = "s3cret password" });
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("rider", ok.Body["role"]!.GetValue<string>());

        var wrong = await gateway.PostAsync("/api/auth/signin", new { email, password = "not the password" });
        var unknown = await gateway.PostAsync("/api/auth/signin", new { email = GatewayFactory.NewEmail(), password = "whatever123" });
        foreach (var failed in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failed.Status);
            Assert.Equal("application/problem+json", failed.Response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(ProblemType + "invalid-credentials", failed.Body["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_email_can_have_only_one_account()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email));

        var again = await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(email.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(ProblemType + "email-taken", again.Body["type"]!.GetValue<string>());
    }

    public static TheoryData<string, string> InvalidSignUps => new()
    {
        { """{"email":"not-an-email","password":"long enough","role":"rider","name":"A"}""", "email" },
        { """{"email":"a@example.com","password":"short","role":"rider","name":"A"}""", "password" },
        { """{"email":"a@example.com","password":"long enough","role":"admin","name":"A"}""", "role" },
        { """{"email":"a@example.com","password":"long enough","role":"rider","name":""}""", "name" },
        { """{"email":"a@example.com","password":"long enough","role":"rider","name":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "name" },
        { """{"email":"a@example.com","password":"long enough","role":"driver","name":"D"}""", "vehicle" },
        { """{"email":"a@example.com","password":"long enough","role":"driver","name":"D","vehicle":{"make":"VW","model":"Golf","plate":"X1","colour":"red","class":"spaceship"}}""", "vehicle.class" },
        { """{"email":"a@example.com","password":"long enough","role":"driver","name":"D","vehicle":{"make":"VW","model":"Golf","plate":"<script>","colour":"red","class":"xl"}}""", "vehicle.plate" },
    };

    [Theory]
    [MemberData(nameof(InvalidSignUps))]
    public async Task Invalid_sign_up_fields_are_400_naming_the_field(string json, string field)
    {
        using var client = gateway.CreateClient();
        var response = await client.PostAsync("/api/auth/signup", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ProblemType + "invalid-request", body["type"]!.GetValue<string>());
        Assert.NotNull(body["errors"]![field]);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_session()
    {
        var signUp = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var first = signUp.Body["refreshToken"]!.GetValue<string>();

        var rotated = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        var second = rotated.Body["refreshToken"]!.GetValue<string>();
        Assert.NotEqual(first, second);
        Assert.Equal(signUp.Body["userId"]!.GetValue<string>(), rotated.Body["userId"]!.GetValue<string>());
        // A new access token too, even within the second of the first (a client tells them apart, e.g. to retry a refused one).
        Assert.NotEqual(signUp.Body["accessToken"]!.GetValue<string>(), rotated.Body["accessToken"]!.GetValue<string>());

        var reuse = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.Status);
        Assert.Equal(ProblemType + "invalid-credentials", reuse.Body["type"]!.GetValue<string>());

        var successor = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = second });
        Assert.Equal(HttpStatusCode.Unauthorized, successor.Status);
    }

    [Fact]
    public async Task Sign_out_revokes_the_refresh_token()
    {
        var signUp = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var refresh = signUp.Body["refreshToken"]!.GetValue<string>();

        var signOut = await gateway.PostAsync("/api/auth/signout", new { refreshToken = refresh }, signUp.Body["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, signOut.Status);

        var after = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = refresh });
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
    }

    [Fact]
    public async Task Sign_out_needs_only_the_refresh_token_so_a_user_whose_access_token_expired_can_still_end_the_session()
    {
        var signUp = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var refresh = signUp.Body["refreshToken"]!.GetValue<string>();
        var renewed = await gateway.PostAsync("/api/auth/refresh", new { refreshToken = refresh });
        var current = renewed.Body["refreshToken"]!.GetValue<string>();

        var expired = ExpiredToken(signUp.Body["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me", expired)).Status);

        var signOut = await gateway.PostAsync("/api/auth/signout", new { refreshToken = current }, expired);

        Assert.Equal(HttpStatusCode.NoContent, signOut.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = current })).Status);
    }

    [Fact]
    public async Task Sign_out_with_an_unknown_refresh_token_answers_the_same_and_ends_no_one_elses_session()
    {
        var mine = await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp());
        var refresh = mine.Body["refreshToken"]!.GetValue<string>();

        var unknown = await gateway.PostAsync("/api/auth/signout", new { refreshToken = "not-a-refresh-token-of-anyone" });
        var missing = await gateway.PostAsync("/api/auth/signout", new { });

        Assert.Equal(HttpStatusCode.NoContent, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("application/problem+json", missing.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/auth/refresh", new { refreshToken = refresh })).Status);
    }

    /// <summary>The user's access token as the gateway issued it (its key, issuer, audience, claims), expired an hour ago.</summary>
    private static string ExpiredToken(string userId) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
    {
        Issuer = "uberclone-gateway",
        Audience = "uberclone",
        NotBefore = DateTime.UtcNow.AddHours(-2),
        IssuedAt = DateTime.UtcNow.AddHours(-2),
        Expires = DateTime.UtcNow.AddHours(-1),
        Claims = new Dictionary<string, object> { ["sub"] = userId, ["role"] = "rider", ["name"] = "Rita" },
        SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(GatewayFactory.SigningKey)), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
    });
}
