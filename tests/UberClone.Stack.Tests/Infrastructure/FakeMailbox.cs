using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>
/// A local SMTP server for tests (what MailPit is to an Aspire app): the gateway is given
/// <see cref="ConnectionString"/> and sends its mail here for real, over SMTP; tests read what arrived. Speaks just
/// enough SMTP for a client (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS offered, no authentication).
/// </summary>
public sealed partial class FakeMailbox : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly Task _accepting;

    /// <summary>A mail as it arrived (<see cref="Raw"/>: headers and encoded body); <see cref="Text"/>: its plain-text body, decoded.</summary>
    public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Subject, string Raw)
    {
        public string Text { get; } = Decode(Raw);
    }

    public FakeMailbox()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>In the form the gateway reads (ConnectionStrings:mail), as Aspire's MailKit client does.</summary>
    public string ConnectionString => $"Endpoint=smtp://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>The first mail to <paramref name="to"/> matching <paramref name="predicate"/>, waiting for it to arrive.</summary>
    public async Task<ReceivedMail> WaitForAsync(string to, Func<ReceivedMail, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = _received.FirstOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (predicate?.Invoke(m) ?? true));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No mail to {to} arrived; received: {string.Join(", ", _received.Select(m => $"{string.Join(";", m.To)}: {m.Subject}"))}");
            await Task.Delay(50);
        }
    }

    /// <summary>The first six-digit code mailed to <paramref name="to"/> (a password reset) that is not in <paramref name="seen"/>, waiting for one.</summary>
    public async Task<string> CodeForAsync(string to, params string[] seen)
    {
        var mail = await WaitForAsync(to, m => CodeIn(m) is { } code && !seen.Contains(code));
        return CodeIn(mail)!;
    }

    private static string? CodeIn(ReceivedMail mail) => Code().Match(mail.Subject) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"code: (\d{6})")]
    private static partial Regex Code();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake-mailbox ESMTP");
            string from = "";
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake-mailbox");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RSET":
                        (from, to) = ("", []);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var raw = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                            raw.Append(data.StartsWith("..", StringComparison.Ordinal) ? data[1..] : data).Append("\r\n");
                        }
                        var text = raw.ToString();
                        var subject = Regex.Match(text, @"^Subject: (.*)$", RegexOptions.Multiline).Groups[1].Value.TrimEnd('\r');
                        _received.Enqueue(new ReceivedMail(from, [.. to], subject, text));
                        (from, to) = ("", []);
                        await writer.WriteLineAsync("250 OK: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    /// <summary>The body of a single-part mail, undoing quoted-printable (long or non-ASCII lines) or base64.</summary>
    private static string Decode(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return raw;
        var (headers, body) = (raw[..split], raw[(split + 4)..]);
        var encoding = Regex.Match(headers, @"^Content-Transfer-Encoding:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.ToLowerInvariant();
        if (encoding == "base64") return Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "")));
        if (encoding != "quoted-printable") return body;
        var unfolded = body.Replace("=\r\n", "");
        var bytes = new List<byte>(unfolded.Length);
        for (var i = 0; i < unfolded.Length; i++)
        {
            if (unfolded[i] == '=' && i + 2 < unfolded.Length && Uri.IsHexDigit(unfolded[i + 1]) && Uri.IsHexDigit(unfolded[i + 2]))
            {
                bytes.Add(Convert.ToByte(unfolded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)unfolded[i]);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string Address(string line) => Regex.Match(line, "<([^>]*)>").Groups[1].Value;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
