using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.MailPit;

namespace UberClone.AppHost.Tests;

/// <summary>The mail resource's SMTP catcher shows a mail as a mail client would: subjects unfolded and decoded (RFC 2047).</summary>
public sealed class MailCatcherTests
{
    [Fact]
    public async Task A_folded_subject_of_encoded_words_is_shown_decoded()
    {
        await using var mailbox = new SmtpMailbox();
        var arrived = new TaskCompletionSource<SmtpMailbox.ReceivedMail>(TaskCreationOptions.RunContinuationsAsynchronously);
        mailbox.MailReceived += mail => arrived.TrySetResult(mail);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", mailbox.Port, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        async Task SayAsync(string line)
        {
            await writer.WriteLineAsync(line);
            await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        }
        await reader.ReadLineAsync(TestContext.Current.CancellationToken); // 220
        await SayAsync("HELO test");
        await SayAsync("MAIL FROM:<no-reply@uberclone.test>");
        await SayAsync("RCPT TO:<ana@example.com>");
        await SayAsync("DATA");
        // What MailKit sends for "Visa •••• 0341 was removed from your UberClone account": the bullets base64-encoded, folded.
        var bullets = Convert.ToBase64String(Encoding.UTF8.GetBytes("••••"));
        await writer.WriteAsync($"From: UberClone <no-reply@uberclone.test>\r\nTo: ana@example.com\r\nSubject: Visa =?utf-8?b?{bullets}?=\r\n =?utf-8?q?_0341?= was removed\r\n from your UberClone account\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n");
        await SayAsync(".");
        await SayAsync("QUIT");

        var mail = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("Visa •••• 0341 was removed from your UberClone account", mail.Subject);
        Assert.Equal("Hello\r\n", mail.Text);
    }
}
