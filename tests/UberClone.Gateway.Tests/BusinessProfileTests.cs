using System.Net;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Gateway.Accounts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Gateway.Tests;

/// <summary>
/// A rider's business profile (ADR 0034): a work email given under Account settings is confirmed by a code mailed to
/// it, wrong codes are counted as for the account's own email, the account shows it, and removing it forgets it.
/// Riders only.
/// </summary>
public sealed class BusinessProfileTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private async Task<string> SignUpAsync(object signUp) => (await gateway.PostAsync("/api/auth/signup", signUp)).Body["accessToken"]!.GetValue<string>();

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> SetAsync(string workEmail, string token) =>
        gateway.SendAsync(HttpMethod.Put, "/api/auth/me/business-profile", new { workEmail }, token);

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> ConfirmAsync(string code, string token) =>
        gateway.PostAsync("/api/auth/me/business-profile/confirm", new { code }, token);

    [Fact]
    public async Task A_work_email_is_confirmed_by_the_code_mailed_to_it_after_wrong_ones_are_counted()
    {
        var token = await SignUpAsync(GatewayFactory.RiderSignUp());
        var work = GatewayFactory.NewEmail();

        var set = await SetAsync(work, token);
        Assert.Equal(HttpStatusCode.Accepted, set.Status);
        Assert.True(set.Body["mailed"]!.GetValue<bool>());
        Assert.Equal(work, set.Body["businessProfile"]!["workEmail"]!.GetValue<string>());
        Assert.False(set.Body["businessProfile"]!["confirmed"]!.GetValue<bool>());
        var me = (await gateway.GetAsync("/api/auth/me", token)).Body;
        Assert.False(me["businessProfile"]!["confirmed"]!.GetValue<bool>());

        var code = await gateway.Mailbox.WorkEmailCodeForAsync(work);
        var mail = await gateway.Mailbox.WaitForAsync(work);
        Assert.Contains($"enter {code} in the app (Account settings, \"Business profile\")", mail.Text);

        // At most one code a minute: asking again mails nothing, and the first still works.
        var again = await SetAsync(work, token);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.False(again.Body["mailed"]!.GetValue<bool>());

        var wrong = await ConfirmAsync(code == "000000" ? "000001" : "000000", token);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("https://uberclone.dev/problems/email-code-refused", wrong.Body["type"]!.GetValue<string>());
        Assert.Equal("The code is wrong (4 tries left).", wrong.Body["detail"]!.GetValue<string>());

        var right = await ConfirmAsync(code, token);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.True(right.Body["businessProfile"]!["confirmed"]!.GetValue<bool>());
        Assert.True((await gateway.GetAsync("/api/auth/me", token)).Body["businessProfile"]!["confirmed"]!.GetValue<bool>());
        // Used: it confirms nothing again.
        Assert.Equal(HttpStatusCode.BadRequest, (await ConfirmAsync(code, token)).Status);
        // The same address again is refused, naming the field.
        Assert.Equal("workEmail", Assert.Single((await SetAsync(work, token)).Body["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task Five_wrong_codes_use_the_code_up()
    {
        var token = await SignUpAsync(GatewayFactory.RiderSignUp());
        var work = GatewayFactory.NewEmail();
        await SetAsync(work, token);
        var code = await gateway.Mailbox.WorkEmailCodeForAsync(work);
        var wrongCode = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++) await ConfirmAsync(wrongCode, token);

        var refused = await ConfirmAsync(code, token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.StartsWith("Too many wrong codes", refused.Body["detail"]!.GetValue<string>());
        Assert.False((await gateway.GetAsync("/api/auth/me", token)).Body["businessProfile"]!["confirmed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_code_mailed_before_the_work_email_was_removed_confirms_nothing()
    {
        var token = await SignUpAsync(GatewayFactory.RiderSignUp());
        var work = GatewayFactory.NewEmail();
        await SetAsync(work, token);
        var code = await gateway.Mailbox.WorkEmailCodeForAsync(work);

        var removed = await gateway.SendAsync(HttpMethod.Delete, "/api/auth/me/business-profile", new { }, token);
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Null(removed.Body["businessProfile"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await ConfirmAsync(code, token)).Status);
        Assert.Null((await gateway.GetAsync("/api/auth/me", token)).Body["businessProfile"]);
    }

    [Fact]
    public async Task Erasing_the_account_forgets_the_work_email_and_its_code()
    {
        var signedUp = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        var (userId, token) = (signedUp["userId"]!.GetValue<string>(), signedUp["accessToken"]!.GetValue<string>());
        var work = GatewayFactory.NewEmail();
        await SetAsync(work, token);
        await gateway.Mailbox.WorkEmailCodeForAsync(work);
        var ct = TestContext.Current.CancellationToken;
        var store = gateway.Services.GetRequiredService<AccountStore>();
        Assert.NotNull(await store.WorkEmailCodes.GetAsync(userId, ct));

        await gateway.Services.GetRequiredService<AccountService>().DeleteAsync(userId, ct);

        Assert.Null((await store.Accounts.GetAsync(userId, ct))!.Document.Business);
        Assert.Null(await store.WorkEmailCodes.GetAsync(userId, ct));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    public async Task A_bad_work_email_is_400_naming_the_field(string workEmail)
    {
        var token = await SignUpAsync(GatewayFactory.RiderSignUp());
        var bad = await SetAsync(workEmail, token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("workEmail", Assert.Single(bad.Body["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task The_accounts_own_email_is_not_a_work_email()
    {
        var email = GatewayFactory.NewEmail();
        var token = await SignUpAsync(GatewayFactory.RiderSignUp(email));
        var bad = await SetAsync(email, token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("workEmail", Assert.Single(bad.Body["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task A_code_that_is_not_six_digits_is_400_naming_the_field()
    {
        var token = await SignUpAsync(GatewayFactory.RiderSignUp());
        var bad = await ConfirmAsync("12ab", token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("code", Assert.Single(bad.Body["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task Drivers_have_no_business_profile()
    {
        var token = await SignUpAsync(GatewayFactory.DriverSignUp());
        Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync(GatewayFactory.NewEmail(), token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ConfirmAsync("123456", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Delete, "/api/auth/me/business-profile", new { }, token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/api/trips/business-report", token)).Status);
    }
}
