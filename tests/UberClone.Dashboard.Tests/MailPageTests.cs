using UberClone.Dashboard.Mail;
using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>The Mail page (MailPit's UI for the AppHost's mail resource): every caught mail, newest first, filterable, bodies escaped.</summary>
public sealed class MailPageTests
{
    private sealed class Caught(params MailView[] mails) : IMailSource
    {
        public IReadOnlyList<MailView> GetMail() => mails;
    }

    private static readonly MailView Reset = new(2, DateTimeOffset.UtcNow, "mail", "no-reply@uberclone.local", ["ana@example.com"], "Your UberClone code: 123456",
        "Hello Ana,\nYour code is 123456.");
    private static readonly MailView Receipt = new(1, DateTimeOffset.UtcNow.AddMinutes(-1), "mail", "no-reply@uberclone.local", ["bo@example.com"],
        "Your UberClone receipt: 12.50 EUR", "Total <charged> 12.50 EUR", "<p>Total <b>12.50 EUR</b></p><script>alert(1)</script>");

    [Fact]
    public async Task The_page_and_the_api_list_the_caught_mail_filtered_by_address_or_text_with_bodies_escaped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var dashboard = new DashboardHost(new DashboardOptions { UiPort = 0, ReceiveOtlp = false }, mail: new Caught(Reset, Receipt));
        await dashboard.StartAsync(ct);
        using var api = DashboardClient.For(dashboard);

        var all = await api.GetAsync<List<MailView>>("/api/mail");
        Assert.Equal([2L, 1L], all.Select(m => m.Id));
        Assert.Equal("Your UberClone code: 123456", Assert.Single(await api.GetAsync<List<MailView>>("/api/mail?to=ANA@")).Subject);
        Assert.Equal(1, Assert.Single(await api.GetAsync<List<MailView>>("/api/mail?q=charged")).Id);

        var page = await api.Http.GetStringAsync("/mail", ct);
        Assert.Contains("<a href=\"/mail\" class=\"active\">Mail</a>", page);
        Assert.Contains("Your UberClone code: 123456", page);
        Assert.Contains("Total &lt;charged&gt; 12.50 EUR", page);
        Assert.DoesNotContain("<charged>", page);
        // The HTML part in a sandboxed frame (no scripts run), given as escaped text, never as markup of the page.
        Assert.Contains("""<iframe class="mail-html" sandbox="" """, page);
        Assert.Contains("srcdoc=\"&lt;p&gt;Total &lt;b&gt;12.50 EUR&lt;/b&gt;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"", page);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.Single(page.Split("<iframe").Skip(1)); // the code mail has no HTML part
        Assert.Equal("<p>Total <b>12.50 EUR</b></p><script>alert(1)</script>", all.Single(m => m.Id == 1).Html);
        var filtered = await api.Http.GetStringAsync("/mail?to=bo%40", ct);
        Assert.Contains("Your UberClone receipt: 12.50 EUR", filtered);
        Assert.DoesNotContain("Your UberClone code", filtered);
    }

    [Fact]
    public async Task Without_a_mail_resource_the_page_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var dashboard = new DashboardHost(new DashboardOptions { UiPort = 0, ReceiveOtlp = false });
        await dashboard.StartAsync(ct);
        using var api = DashboardClient.For(dashboard);

        Assert.Contains("No mail-catching resource in this application", await api.Http.GetStringAsync("/mail", ct));
        Assert.Empty(await api.GetAsync<List<MailView>>("/api/mail"));
    }
}
