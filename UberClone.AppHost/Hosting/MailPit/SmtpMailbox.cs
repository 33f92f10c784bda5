using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Aspire.Hosting.MailPit;

/// <summary>
/// A local SMTP server that keeps what it is sent instead of delivering it (what MailPit is to an Aspire app): the
/// AppHost's <c>mail</c> resource, and the tests' mailbox. Speaks just enough SMTP for a client (EHLO, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT; no TLS offered, no authentication asked); keeps the newest <see cref="Capacity"/> mails.
/// </summary>
public sealed class SmtpMailbox : IAsyncDisposable
{
    public const int Capacity = 1_000;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly Task _accepting;

    /// <summary>
    /// A mail as it arrived (<see cref="Raw"/>: headers and encoded body); <see cref="Text"/>: its plain-text body,
    /// decoded (of a multipart/alternative mail, its text/plain part); <see cref="Html"/>: its text/html part, if any.
    /// </summary>
    public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Subject, string Raw, DateTimeOffset At)
    {
        private readonly (string Text, string? Html) _bodies = Bodies(Raw);

        public string Text => _bodies.Text;

        public string? Html => _bodies.Html;

        /// <summary>1, 2, 3, … in the order this mailbox received them.</summary>
        public long Id { get; init; }
    }

    private long _lastId;

    /// <summary>Listens at once on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    public SmtpMailbox(IPAddress? address = null, int port = 0)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>In the form the gateway reads (ConnectionStrings:mail), as Aspire's MailKit client does.</summary>
    public string ConnectionString => $"Endpoint=smtp://{((IPEndPoint)_listener.LocalEndpoint).Address}:{Port}";

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>Called for each mail as it arrives (on the connection's thread).</summary>
    public event Action<ReceivedMail>? MailReceived;

    private void Add(ReceivedMail mail)
    {
        mail = mail with { Id = Interlocked.Increment(ref _lastId) };
        _received.Enqueue(mail);
        while (_received.Count > Capacity && _received.TryDequeue(out _))
        {
        }
        MailReceived?.Invoke(mail);
    }

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
            // 8BITMIME is offered: a body may arrive as raw UTF-8 bytes (MimeKit sends mostly-ASCII text so), not only 7-bit.
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
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
                        Add(new ReceivedMail(from, [.. to], Subject(text), text, DateTimeOffset.UtcNow));
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

    /// <summary>
    /// The plain-text and HTML bodies: of a multipart mail its text/plain and text/html parts (the first of each), of a
    /// single-part one its body (as the text, or as both when it is HTML).
    /// </summary>
    private static (string Text, string? Html) Bodies(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return (raw, null);
        var headers = Regex.Replace(raw[..split], "\r\n[ \t]+", " "); // unfolded
        var boundary = Regex.Match(headers, @"^Content-Type:\s*multipart/[^\r\n]*?boundary=""?([^"";\r\n]+)""?", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        if (!boundary.Success) return IsHtml(headers) ? (Decode(raw), Decode(raw)) : (Decode(raw), null);
        string? text = null, html = null;
        foreach (var chunk in raw[(split + 4)..].Split("--" + boundary.Groups[1].Value).Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal)) break; // the closing delimiter
            var part = chunk.StartsWith("\r\n", StringComparison.Ordinal) ? chunk[2..] : chunk;
            if (part.EndsWith("\r\n", StringComparison.Ordinal)) part = part[..^2]; // the CRLF belongs to the next delimiter
            var partHeaders = part.IndexOf("\r\n\r\n", StringComparison.Ordinal) is >= 0 and var end ? part[..end] : "";
            if (IsHtml(partHeaders)) html ??= Decode(part);
            else if (Regex.IsMatch(partHeaders, @"^Content-Type:\s*text/plain", RegexOptions.Multiline | RegexOptions.IgnoreCase) || partHeaders.Length == 0) text ??= Decode(part);
        }
        return (text ?? html ?? "", html);
    }

    /// <summary>The Subject header as a mail client shows it: unfolded, RFC 2047 encoded words decoded ("Visa •••• 4242" is sent as =?utf-8?b?…?=).</summary>
    internal static string Subject(string raw)
    {
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = Regex.Replace(end < 0 ? raw : raw[..end], "\r\n[ \t]+", " ");
        return DecodeHeader(Regex.Match(headers, @"^Subject:[ \t]*(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.TrimEnd('\r'));
    }

    /// <summary>RFC 2047: each =?charset?B|Q?text?= decoded; whitespace between two encoded words is not part of the text.</summary>
    internal static string DecodeHeader(string value) =>
        Regex.Replace(Regex.Replace(value, @"(\?=)\s+(?==\?)", "$1"), @"=\?([^?]+)\?([bBqQ])\?([^?]*)\?=", word =>
        {
            Encoding charset;
            try
            {
                charset = Encoding.GetEncoding(word.Groups[1].Value.Split('*')[0]); // "utf-8*en": a language after the charset
            }
            catch (ArgumentException)
            {
                return word.Value;
            }
            var text = word.Groups[3].Value;
            try
            {
                return charset.GetString(word.Groups[2].Value is "b" or "B" ? Convert.FromBase64String(text) : QuotedBytes(text.Replace('_', ' ')));
            }
            catch (FormatException)
            {
                return word.Value;
            }
        });

    private static bool IsHtml(string headers) => Regex.IsMatch(headers, @"^Content-Type:\s*text/html", RegexOptions.Multiline | RegexOptions.IgnoreCase);

    /// <summary>The body of a single part (or a single-part mail), undoing quoted-printable (long or non-ASCII lines) or base64.</summary>
    private static string Decode(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return raw;
        var (headers, body) = (raw[..split], raw[(split + 4)..]);
        var encoding = Regex.Match(headers, @"^Content-Transfer-Encoding:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.ToLowerInvariant();
        if (encoding == "base64") return Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "")));
        if (encoding != "quoted-printable") return body;
        return Encoding.UTF8.GetString(QuotedBytes(body.Replace("=\r\n", "")));
    }

    /// <summary>Quoted-printable's bytes: =XX is the byte XX, anything else itself.</summary>
    private static byte[] QuotedBytes(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        return [.. bytes];
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
