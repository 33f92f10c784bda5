using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UberClone.Gateway.Mail;
using UberClone.Storage.Sqlite;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The gateway's mail outbox (ADR 0016): queued mail is in the database, so it outlives the process and an SMTP server
/// that is down; each mail is sent once by one of several senders; retries follow <see cref="MailRetry"/>; what is
/// kept once it left holds no body and no code.
/// </summary>
public sealed class MailOutboxTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"uberclone-mail-outbox-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public MailOutboxTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; temp is cleaned by the OS
        }
    }

    /// <summary>Records each attempt; fails while <see cref="Down"/>.</summary>
    private sealed class Transport : IMailTransport
    {
        public bool Down { get; set; }
        public ConcurrentQueue<OutgoingMail> Attempts { get; } = new();
        public ConcurrentQueue<OutgoingMail> Sent { get; } = new();

        public Task SendAsync(OutgoingMail mail, CancellationToken ct)
        {
            Attempts.Enqueue(mail);
            if (Down) throw new IOException("Connection refused (smtp://mail:1025)");
            Sent.Enqueue(mail);
            return Task.CompletedTask;
        }
    }

    private MailOutbox Outbox(IMailTransport transport, string file = "gateway.db") =>
        new(new SqliteDocumentDatabase(Path.Combine(_directory, file)), transport, MailSettings.Parse(null), _clock, _meters, NullLogger<MailOutbox>.Instance);

    private static OutgoingMail Receipt(string to = "rita@example.com") => new(to, "Rita", "Your UberClone receipt", "Fare $12.40", "receipt");

    [Fact]
    public async Task A_mail_that_fails_is_tried_again_later_with_the_same_message_id_and_sent_once()
    {
        var transport = new Transport { Down = true };
        var outbox = Outbox(transport);
        const string id = "m1";
        Assert.True(await outbox.EnqueueAsync(Receipt(), "u1", id, Ct));

        Assert.Equal(1, await outbox.SendDueAsync(20, Ct)); // fails: next attempt in 1 s
        Assert.Equal(0, await outbox.SendDueAsync(20, Ct)); // nothing due yet
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await outbox.SendDueAsync(20, Ct)); // fails: next in 5 s
        var waiting = (await outbox.Mails.GetAsync(id, Ct))!.Document;
        Assert.Equal((MailState.Queued, 2, (T0 + TimeSpan.FromSeconds(6)).ToUnixTimeMilliseconds()), (waiting.State, waiting.Attempts, waiting.DueAtMs));
        Assert.Equal("IOException: Connection refused (smtp://mail:1025)", waiting.LastError);
        Assert.Equal("rita@example.com", waiting.To); // the whole mail, until it left

        transport.Down = false;
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await outbox.SendDueAsync(20, Ct));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await outbox.SendDueAsync(20, Ct));
        Assert.Equal(0, await outbox.SendDueAsync(20, Ct));

        Assert.Single(transport.Sent);
        Assert.Equal(3, transport.Attempts.Count);
        Assert.Single(transport.Attempts.Select(a => a.MessageId).Distinct());
        Assert.Equal($"{id}@uberclone.local", transport.Sent.Single().MessageId);
        var sent = (await outbox.Mails.GetAsync(id, Ct))!.Document;
        Assert.Equal((MailState.Sent, 3, T0 + TimeSpan.FromSeconds(6), null), (sent.State, sent.Attempts, sent.SentAt, sent.LastError));
        // What is kept once it left: no body, the address masked, no name.
        Assert.Equal(("r***@example.com", "", "", "Your UberClone receipt"), (sent.To, sent.ToName, sent.Body, sent.Subject));
        Assert.Null(sent.DueAtMs);
    }

    [Fact]
    public async Task Mail_queued_while_the_mail_server_is_down_is_sent_by_the_next_process()
    {
        var down = new Transport { Down = true };
        const string id = "m1";
        await Outbox(down).EnqueueAsync(Receipt(), "u1", id, Ct);
        await Outbox(down).SendDueAsync(20, Ct);
        Assert.Empty(down.Sent);

        // The gateway restarts (a new database connection, a new sender) with the server back.
        var up = new Transport();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Outbox(up).SendDueAsync(20, Ct));
        Assert.Equal("Your UberClone receipt", Assert.Single(up.Sent).Subject);
        Assert.Equal(MailState.Sent, (await Outbox(up).Mails.GetAsync(id, Ct))!.Document.State);
    }

    [Fact]
    public async Task Two_senders_on_one_database_send_each_mail_once()
    {
        var transport = new Transport();
        var (first, second) = (Outbox(transport), Outbox(transport));
        for (var i = 0; i < 40; i++) await (i % 2 == 0 ? first : second).EnqueueAsync(Receipt($"rider{i}@example.com"), $"u{i}", ct: Ct);

        async Task DrainAsync(MailOutbox outbox)
        {
            while (await outbox.SendDueAsync(5, Ct) > 0) { }
        }
        await Task.WhenAll(Task.Run(() => DrainAsync(first), Ct), Task.Run(() => DrainAsync(second), Ct));

        Assert.Equal(40, transport.Sent.Count);
        Assert.Equal(40, transport.Sent.Select(m => m.To).Distinct().Count());
        Assert.Equal(40, transport.Attempts.Count); // a mail claimed by one sender was never tried by the other
    }

    [Fact]
    public async Task The_same_mail_queued_twice_under_one_id_is_sent_once()
    {
        var transport = new Transport();
        var outbox = Outbox(transport);
        Assert.True(await outbox.EnqueueAsync(Receipt(), "u1", "rider-mail-m1", Ct));
        Assert.False(await outbox.EnqueueAsync(Receipt(), "u1", "rider-mail-m1", Ct));
        await outbox.SendDueAsync(20, Ct);
        Assert.Single(transport.Sent);
    }

    [Fact]
    public async Task A_code_that_expired_before_it_could_leave_is_given_up_unsent_and_kept_without_the_code()
    {
        var transport = new Transport { Down = true };
        var outbox = Outbox(transport);
        var code = new OutgoingMail("rita@example.com", "Rita", "Your UberClone code: 123456", "Your code is 123456.", "password-reset-code")
        {
            Secret = true,
            SendBefore = T0 + TimeSpan.FromMinutes(15),
        };
        const string id = "code-1";
        await outbox.EnqueueAsync(code, "u1", id, Ct);
        await outbox.SendDueAsync(20, Ct); // fails; tried again at 1 s, 5 s, 15 s, 1 min, 5 min, ...
        _clock.Advance(TimeSpan.FromMinutes(20));
        transport.Down = false;
        await outbox.SendDueAsync(20, Ct);

        Assert.Empty(transport.Sent);
        Assert.Single(transport.Attempts);
        var failed = (await outbox.Mails.GetAsync(id, Ct))!.Document;
        Assert.Equal(MailState.Failed, failed.State);
        Assert.Equal("Your UberClone code: ······", failed.Subject);
        Assert.Equal("", failed.Body);
        Assert.Equal("Not sent in time; last error: IOException: Connection refused (smtp://mail:1025)", failed.LastError);
        Assert.DoesNotContain("123456", System.Text.Json.JsonSerializer.Serialize(failed));
    }

    [Fact]
    public void Retries_come_further_apart_at_most_an_hour_and_stop_after_a_day_or_once_useless()
    {
        var delays = Enumerable.Range(1, 10).Select(n => MailRetry.NextAttempt(n, T0, null, T0) - T0).ToList();
        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
             TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            delays);
        Assert.Equal(T0 + TimeSpan.FromDays(1), MailRetry.NextAttempt(9, T0, null, T0 + TimeSpan.FromHours(23)));
        Assert.Null(MailRetry.NextAttempt(9, T0, null, T0 + TimeSpan.FromHours(23) + TimeSpan.FromSeconds(1)));
        Assert.Null(MailRetry.NextAttempt(4, T0, T0 + TimeSpan.FromSeconds(30), T0 + TimeSpan.FromSeconds(10))); // the code expires first
        Assert.Throws<ArgumentOutOfRangeException>(() => MailRetry.NextAttempt(0, T0, null, T0));
    }

    [Fact]
    public async Task Health_is_degraded_while_a_mail_has_waited_more_than_ten_minutes()
    {
        var transport = new Transport { Down = true };
        var outbox = Outbox(transport);
        var health = new MailHealthCheck(outbox, _clock);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);

        await outbox.EnqueueAsync(Receipt(), "u1", ct: Ct);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var degraded = await health.CheckHealthAsync(new HealthCheckContext(), Ct);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("waited 11 minutes", degraded.Description);

        transport.Down = false;
        await outbox.SendDueAsync(20, Ct);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
    }

    [Fact]
    public async Task Support_sees_what_was_mailed_to_an_account_but_never_a_code_and_nobody_else_does()
    {
        await using var gateway = new SupportAccountTests.Gateway(SupportAccountTests.NewDataDirectory(), SupportAccountTests.Email, "support password");
        var (_, support) = await SupportAccountTests.SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var email = GatewayFactory.NewEmail();
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp(email))).Body;
        var riderId = rider["userId"]!.GetValue<string>();

        // The sign-up's confirmation code leaves in the background (here to the log: no SMTP server is configured).
        System.Text.Json.Nodes.JsonObject mail;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var listed = await gateway.GetAsync($"/api/ops/users/{riderId}/mails", token);
            Assert.Equal(HttpStatusCode.OK, listed.Status);
            mail = Assert.Single(listed.Body["mails"]!.AsArray())!.AsObject();
            if (mail["state"]!.GetValue<string>() == "sent" || DateTime.UtcNow > deadline) break;
            await Task.Delay(100, Ct);
        }
        Assert.Equal("sent", mail["state"]!.GetValue<string>());
        Assert.Equal("email-confirmation-code", mail["kind"]!.GetValue<string>());
        Assert.Equal("Confirm your UberClone email: ······", mail["subject"]!.GetValue<string>());
        Assert.Equal($"{email[0]}***@example.com", mail["to"]!.GetValue<string>());
        Assert.Equal(1, mail["attempts"]!.GetValue<int>());
        Assert.DoesNotContain("body", mail.Select(p => p.Key));

        var asRider = await gateway.GetAsync($"/api/ops/users/{riderId}/mails", rider["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, asRider.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync($"/api/ops/users/{riderId}/mails")).Status);
        Assert.Empty((await gateway.GetAsync("/api/ops/users/nobody/mails", token)).Body["mails"]!.AsArray());
    }
}
