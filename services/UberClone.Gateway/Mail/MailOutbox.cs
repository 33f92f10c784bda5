using System.Diagnostics.Metrics;
using System.Threading.Channels;
using UberClone.Storage;

namespace UberClone.Gateway.Mail;

/// <summary>
/// Mail leaves through an outbox in the gateway's database (ADR 0016): queuing one is a write, so a mail is not lost
/// when the gateway stops, restarts or the SMTP server is down for hours, and a request that sends one answers without
/// waiting for SMTP. <see cref="SendDueAsync"/> sends what is due: each replica claims a mail (an optimistic write)
/// before its attempt, so two replicas never try the same mail at once; one that stopped mid-attempt leaves its claim
/// to expire (<see cref="Lease"/>) and the mail is tried again, with the same Message-ID. Failures are retried on
/// <see cref="MailRetry"/>'s schedule, then given up and logged.
/// </summary>
public sealed class MailOutbox
{
    public const string MeterName = "UberClone.Gateway.Mail";
    public const string CollectionName = "mail_outbox";
    /// <summary>How long one attempt may hold a mail: well beyond SMTP's timeouts (connect, send, quit).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    /// <summary>How long what is kept of a sent (or given-up) mail stays for support: a month of "did you get my receipt?".</summary>
    public static readonly TimeSpan KeepDoneFor = TimeSpan.FromDays(30);

    private readonly IMailTransport _transport;
    private readonly TimeProvider _clock;
    private readonly ILogger<MailOutbox> _logger;
    private readonly string _domain;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failedAttempts;
    private readonly Counter<long> _givenUp;
    /// <summary>A mail was queued here: the sender looks at once instead of at its next poll.</summary>
    private readonly Channel<byte> _queued = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public MailOutbox(IDocumentDatabase database, IMailTransport transport, MailSettings settings, TimeProvider clock, IMeterFactory meters, ILogger<MailOutbox> logger)
    {
        Mails = database.Collection<QueuedMail>(CollectionName, QueuedMail.DueAtField, QueuedMail.WaitingSinceField, QueuedMail.DoneAtField, QueuedMail.AccountIdField);
        (_transport, _clock, _logger) = (transport, clock, logger);
        _domain = settings.From.LastIndexOf('@') is > 0 and var at ? settings.From[(at + 1)..].TrimEnd('>', ' ') : "uberclone.local";
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>("uberclone.mail.sent", "{mail}", "Mails the SMTP server accepted.");
        _failedAttempts = meter.CreateCounter<long>("uberclone.mail.failed_attempts", "{attempt}", "Attempts to send a mail that failed (it is tried again).");
        _givenUp = meter.CreateCounter<long>("uberclone.mail.given_up", "{mail}", "Mails given up: failing for a day, or useless by their next attempt.");
    }

    public IDocumentStore<QueuedMail> Mails { get; }

    public ChannelReader<byte> Queued => _queued.Reader;

    /// <summary>
    /// Queues a mail (about <paramref name="accountId"/>'s account, when it is about one). With an <paramref name="id"/>,
    /// queuing the same mail again (a redelivered event) does nothing: the id is its key. False when it was queued before.
    /// </summary>
    public async Task<bool> EnqueueAsync(OutgoingMail mail, string? accountId, string? id = null, CancellationToken ct = default)
    {
        id ??= Guid.NewGuid().ToString("N");
        try
        {
            await Mails.InsertAsync(id, QueuedMail.Of(mail, accountId, _clock.GetUtcNow()), ct: ct);
            _queued.Writer.TryWrite(0);
            return true;
        }
        catch (DuplicateDocumentException)
        {
            _logger.LogInformation("Mail {MailId} ({Kind}) was already queued; not queued again", id, mail.Kind);
            return false;
        }
    }

    /// <summary>Sends up to <paramref name="limit"/> mails that are due, oldest due first; how many it looked at.</summary>
    public async Task<int> SendDueAsync(int limit, CancellationToken ct)
    {
        var due = await Mails.QueryUpToAsync(QueuedMail.DueAtField, _clock.GetUtcNow().ToUnixTimeMilliseconds(), limit, ct);
        foreach (var found in due) await TryAsync(found, ct);
        return due.Count;
    }

    private async Task TryAsync(Versioned<QueuedMail> found, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var mail = found.Document;
        if (mail.State != MailState.Queued) return;
        if (!MailRetry.StillWorthSending(mail, now))
        {
            await GiveUpAsync(found.Id, mail, found.Version, now, mail.LastError is { } last ? $"Not sent in time; last error: {last}" : "Not sent in time.", ct);
            return;
        }
        Versioned<QueuedMail> claimed;
        try
        {
            claimed = await Mails.ReplaceAsync(found.Id, mail.Claimed(now + Lease), found.Version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            return; // another replica claimed it (or finished it) first
        }

        try
        {
            await _transport.SendAsync(mail.ToOutgoing(found.Id, _domain), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _failedAttempts.Add(1, new KeyValuePair<string, object?>("kind", mail.Kind));
            var error = $"{ex.GetType().Name}: {ex.Message}";
            var failedAt = _clock.GetUtcNow();
            if (MailRetry.NextAttempt(claimed.Document.Attempts, mail.CreatedAt, mail.SendBefore, failedAt) is { } next)
            {
                _logger.LogWarning(ex, "Mail {MailId} ({Kind}) could not be sent (attempt {Attempt}); trying again at {Next:u}", found.Id, mail.Kind, claimed.Document.Attempts, next);
                await RecordAsync(found.Id, claimed.Document.Retried(next, error), claimed.Version, ct);
            }
            else
            {
                await GiveUpAsync(found.Id, claimed.Document, claimed.Version, failedAt, error, ct);
            }
            return;
        }
        _sent.Add(1, new KeyValuePair<string, object?>("kind", mail.Kind));
        _logger.LogInformation("Mail {MailId} ({Kind}) sent after {Attempts} attempt(s)", found.Id, mail.Kind, claimed.Document.Attempts);
        await RecordAsync(found.Id, claimed.Document.Sent(_clock.GetUtcNow()), claimed.Version, ct);
    }

    private async Task GiveUpAsync(string id, QueuedMail mail, long version, DateTimeOffset now, string why, CancellationToken ct)
    {
        _givenUp.Add(1, new KeyValuePair<string, object?>("kind", mail.Kind));
        _logger.LogError("Mail {MailId} ({Kind}) given up after {Attempts} attempt(s): {Why}", id, mail.Kind, mail.Attempts, why);
        await RecordAsync(id, mail.GivenUp(now, why), version, ct);
    }

    private async Task RecordAsync(string id, QueuedMail mail, long version, CancellationToken ct)
    {
        try
        {
            await Mails.ReplaceAsync(id, mail, version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Only when an attempt outlived its lease and another replica took the mail: that one records the outcome.
            _logger.LogWarning("Mail {MailId}: its attempt outlived its claim; another sender has it now", id);
        }
    }

    /// <summary>Since when the oldest mail still queued has waited (null: none waits).</summary>
    public async Task<DateTimeOffset?> OldestWaitingSinceAsync(CancellationToken ct) =>
        (await Mails.QueryUpToAsync(QueuedMail.WaitingSinceField, long.MaxValue, 1, ct)) is [var oldest] ? oldest.Document.CreatedAt : null;

    /// <summary>The mails about an account, newest first, as support sees them (no bodies; addresses masked).</summary>
    public Task<IReadOnlyList<Versioned<QueuedMail>>> ForAccountAsync(string accountId, int limit, CancellationToken ct) =>
        Mails.QueryAsync(QueuedMail.AccountIdField, accountId, limit, ct);
}
