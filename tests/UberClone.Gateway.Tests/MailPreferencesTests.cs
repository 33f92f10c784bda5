using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Mail;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Which mail a rider or driver gets: the categories in account settings, and the link in each such mail that turns
/// its category off without signing in (RFC 8058's one-click List-Unsubscribe header included), and back on.
/// </summary>
public sealed class MailPreferencesTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private async Task<(string UserId, string Token, string Email)> SignUpAsync(bool driver = false)
    {
        var email = GatewayFactory.NewEmail();
        var body = (await gateway.PostAsync("/api/auth/signup", driver ? GatewayFactory.DriverSignUp(email) : GatewayFactory.RiderSignUp(email))).Body;
        return (body["userId"]!.GetValue<string>(), body["accessToken"]!.GetValue<string>(), email);
    }

    private static Dictionary<string, bool> States(System.Text.Json.Nodes.JsonObject body) =>
        body["categories"]!.AsArray().ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!["on"]!.GetValue<bool>());

    [Fact]
    public async Task A_rider_turns_receipts_off_and_on_in_settings_and_only_their_roles_categories_are_accepted()
    {
        var (_, token, email) = await SignUpAsync();
        var read = await gateway.GetAsync("/api/auth/me/mail", token);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(new Dictionary<string, bool> { ["receipts"] = true, ["rides"] = true, ["offers"] = true, ["split_fare"] = true }, States(read.Body));
        Assert.Equal((email, false), (read.Body["email"]!.GetValue<string>(), read.Body["emailConfirmed"]!.GetValue<bool>()));
        Assert.Contains("always mailed", read.Body["alwaysSent"]!.GetValue<string>());

        var off = await gateway.SendAsync(HttpMethod.Put, "/api/auth/me/mail", new { receipts = false }, token);
        Assert.Equal(HttpStatusCode.OK, off.Status);
        Assert.Equal(new Dictionary<string, bool> { ["receipts"] = false, ["rides"] = true, ["offers"] = true, ["split_fare"] = true }, States(off.Body));
        Assert.Equal(new Dictionary<string, bool> { ["receipts"] = false, ["rides"] = true, ["offers"] = true, ["split_fare"] = true }, States((await gateway.GetAsync("/api/auth/me/mail", token)).Body));

        // A driver's category, an unknown one, or nothing at all: 400 naming what is wrong; nothing changes.
        var wrong = await gateway.SendAsync(HttpMethod.Put, "/api/auth/me/mail", new { statements = false, rides = false }, token);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("not a kind of mail you get", wrong.Body["errors"]!["statements"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Put, "/api/auth/me/mail", new { }, token)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Put, "/api/auth/me/mail", new { rides = "no" }, token)).Status);
        Assert.True(States((await gateway.GetAsync("/api/auth/me/mail", token)).Body)["rides"]);

        var on = await gateway.SendAsync(HttpMethod.Put, "/api/auth/me/mail", new { receipts = true }, token);
        Assert.Equal(new Dictionary<string, bool> { ["receipts"] = true, ["rides"] = true, ["offers"] = true, ["split_fare"] = true }, States(on.Body));

        var (_, driverToken, _) = await SignUpAsync(driver: true);
        Assert.Equal(new Dictionary<string, bool> { ["statements"] = true, ["reserved_rides"] = true }, States((await gateway.GetAsync("/api/auth/me/mail", driverToken)).Body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/auth/me/mail")).Status);
    }

    [Fact]
    public async Task A_mail_of_a_category_carries_a_one_click_link_that_turns_it_off_without_signing_in_and_can_be_undone()
    {
        var (userId, token, email) = await SignUpAsync();
        var links = gateway.Services.GetRequiredService<UnsubscribeLinks>();
        var receipt = links.Stamp(new OutgoingMail(email, "Rita", "Your UberClone receipt", "Hello Rita,\n\nThanks for riding.\n", "receipt"), userId, MailCategories.Receipts);
        await gateway.Services.GetRequiredService<MailOutbox>().EnqueueAsync(receipt, userId, ct: TestContext.Current.CancellationToken);

        var mail = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone receipt");
        Assert.Contains("You get this mail because \"Receipts and refunds\" is on in your account settings. To stop these mails: http://localhost:3000/unsubscribe?t=", mail.Text);
        var page = Regex.Match(mail.Text, @"http://localhost:3000/unsubscribe\?t=(\S+)").Groups[1].Value;
        Assert.Contains($"<a href=\"http://localhost:3000/unsubscribe?t={page}\"", mail.Html);
        var headers = Regex.Replace(mail.Raw[..mail.Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], @"\r\n[ \t]+", " ");
        var oneClick = Regex.Match(headers, @"^List-Unsubscribe: <http://localhost:3000(/api/mail/unsubscribe\?t=\S+)>\r?$", RegexOptions.Multiline).Groups[1].Value;
        Assert.Equal($"/api/mail/unsubscribe?t={page}", oneClick);
        Assert.Matches(@"(?m)^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$", headers);

        // Opening the link changes nothing (mail scanners open links); it says what it would do.
        var asked = await gateway.GetAsync(oneClick);
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.True(asked.Body["on"]!.GetValue<bool>());
        Assert.Equal($"Stop mailing \"Receipts and refunds\" to {email[0]}***@example.com?", asked.Body["message"]!.GetValue<string>());

        // The provider's one click: a form POST with no session.
        using var client = gateway.CreateClient();
        var clicked = await client.PostAsync(oneClick, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        var settings = States((await gateway.GetAsync("/api/auth/me/mail", token)).Body);
        Assert.Equal((false, true), (settings["receipts"], settings["rides"]));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(oneClick, null, TestContext.Current.CancellationToken)).StatusCode); // again: still off

        var undone = await gateway.PostAsync(oneClick.Replace("/unsubscribe", "/resubscribe"), new { });
        Assert.True(undone.Body["on"]!.GetValue<bool>());
        Assert.True(States((await gateway.GetAsync("/api/auth/me/mail", token)).Body)["receipts"]);
    }

    [Fact]
    public async Task A_link_cut_short_altered_made_for_another_account_or_with_another_key_is_refused_and_changes_nothing()
    {
        var (userId, token, _) = await SignUpAsync();
        var (otherId, _, _) = await SignUpAsync();
        var links = gateway.Services.GetRequiredService<UnsubscribeLinks>();
        var good = links.Token(userId, MailCategories.Rides);
        var mac = good.Split('.')[2];
        var otherKey = new UnsubscribeLinks(Options.Create(new JwtOptions { SigningKey = Convert.ToBase64String(new byte[32]) }), MailSettings.Parse(null));
        string[] bad =
        [
            "", "nope", good[..^3], good[..^1] + (good[^1] == 'A' ? 'B' : 'A'), // the last character's unused bits too
            $"{userId}.rides.{(mac[0] == 'A' ? 'B' : 'A')}{mac[1..]}",
            $"{otherId}.rides.{mac}", $"{userId}.receipts.{mac}", $"{userId}.statements.{mac}", otherKey.Token(userId, MailCategories.Rides),
        ];
        foreach (var t in bad)
        {
            var refused = await gateway.PostAsync($"/api/mail/unsubscribe?t={Uri.EscapeDataString(t)}", new { });
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("not valid", refused.Body["detail"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.GetAsync("/api/mail/unsubscribe")).Status);
        Assert.All(States((await gateway.GetAsync("/api/auth/me/mail", token)).Body).Values, Assert.True);
        // The good one still works; a deleted account's link answers 404.
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/mail/unsubscribe?t={Uri.EscapeDataString(good)}", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync($"/api/mail/unsubscribe?t={Uri.EscapeDataString(links.Token("r-no-such-account", MailCategories.Rides))}")).Status);
    }
}
