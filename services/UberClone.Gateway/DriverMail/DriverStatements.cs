using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Gateway.DriverMail;

/// <summary>Which driver's week has been dealt with (id = <c>{driverId}-{monday}</c>): mailed, or nothing earned.</summary>
public sealed record StatementRecord(string DriverId, DateOnly Monday, bool Mailed, DateTimeOffset At)
{
    public const string AtMsField = "atMs";

    public long AtMs => At.ToUnixTimeMilliseconds();
}

/// <summary>
/// Drivers' weekly earnings statements by mail (<see cref="StatementMails"/>): every Monday morning in each driver's
/// time zone, last week's, to drivers who earned something, confirmed their email and did not turn statements off (<see cref="SendDueAsync"/>, run
/// by <see cref="WeeklyStatementJob"/> on every replica: a week is recorded per driver and mailed under its own id, so
/// two replicas send it once); and on demand, a week so far (<see cref="MailWeekAsync"/>).
/// </summary>
public sealed class DriverStatements(AccountStore accounts, IDocumentDatabase database, TripService.TripServiceClient trips, MailOutbox outbox, UnsubscribeLinks links, TimeProvider clock,
    ILogger<DriverStatements> logger)
{
    public const string CollectionName = "driver_statements";
    /// <summary>A week dealt with is remembered this long: well past the week after, when it could come due again.</summary>
    public static readonly TimeSpan KeepRecordsFor = TimeSpan.FromDays(35);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public IDocumentStore<StatementRecord> Records { get; } = database.Collection<StatementRecord>(CollectionName, StatementRecord.AtMsField);

    public RetentionRule RetentionRule() => Storage.Retention.RetentionRule.For(Records, CollectionName, StatementRecord.AtMsField, KeepRecordsFor);

    /// <summary>Sends every driver's last week's statement that is due and not dealt with yet; how many were mailed.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var mailed = 0;
        await foreach (var found in accounts.Accounts.QueryAllAsync("role", Roles.Driver, ct))
        {
            var driver = found.Document;
            if (driver.DeletedAt is not null || driver.EmailVerifiedAt is null || driver.Email.Length == 0 || !driver.Receives(MailCategories.Statements)) continue;
            var now = clock.GetUtcNow();
            var week = StatementWeek.LastDue(now, driver.Zone);
            var key = $"{driver.Id}-{week.Monday:yyyy-MM-dd}";
            if (await Records.GetAsync(key, ct) is not null) continue;
            try
            {
                var sent = await QueueAsync(driver, week, until: null, $"driver-statement-{key}", ct, weekly: true) is not null;
                await Records.InsertAsync(key, new StatementRecord(driver.Id, week.Monday, sent, now), ct: ct);
                if (!sent) continue;
                mailed++;
                logger.LogInformation("Weekly statement of driver {DriverId} for the week of {Monday} queued", driver.Id, week.Monday);
            }
            catch (DuplicateDocumentException)
            {
                // Another replica dealt with it meanwhile.
            }
            catch (Grpc.Core.RpcException ex)
            {
                logger.LogWarning("Weekly statement of driver {DriverId} not sent now (trips answered {Status}); tried again next round", driver.Id, ex.StatusCode);
            }
        }
        return mailed;
    }

    /// <summary>
    /// Mails the driver the statement of the week containing <paramref name="day"/> (this week: so far), at most once a
    /// minute per week. Mailed false: nothing earned that week, or (Duplicate) one went less than a minute ago.
    /// </summary>
    public async Task<(bool Mailed, bool Duplicate)> MailWeekAsync(Account driver, DateOnly day, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var week = StatementWeek.Containing(day, driver.Zone);
        var until = now < week.To ? now : (DateTimeOffset?)null;
        var minute = now.ToUnixTimeSeconds() / 60;
        var queued = await QueueAsync(driver, week, until, $"driver-statement-copy-{driver.Id}-{week.Monday:yyyy-MM-dd}-{minute}", ct);
        return (queued == true, queued == false);
    }

    /// <summary>
    /// Queues the week's statement under <paramref name="mailId"/>: null when nothing was earned (no mail), false when
    /// a mail with that id was queued before.
    /// </summary>
    private async Task<bool?> QueueAsync(Account driver, StatementWeek week, DateTimeOffset? until, string mailId, CancellationToken ct, bool weekly = false)
    {
        var earned = await EarningsAsync(driver.Id, week, until, ct);
        if (StatementMails.Weekly(driver.Email, driver.Name, week, earned, until) is not { } mail) return null;
        // The Monday mail can be turned off (its link says how); one asked for now is just sent.
        if (weekly) mail = links.Stamp(mail, driver.Id, MailCategories.Statements);
        return await outbox.EnqueueAsync(mail, driver.Id, mailId, ct);
    }

    /// <summary>What trips says the driver earned in the week (until <paramref name="until"/>); nothing in its very first instant.</summary>
    private async Task<EarningsSummary> EarningsAsync(string driverId, StatementWeek week, DateTimeOffset? until, CancellationToken ct)
    {
        var to = until ?? week.To;
        if (to <= week.From) return new EarningsSummary(); // trips refuses an empty range
        return await trips.GetEarningsAsync(
            new EarningsRequest { From = week.From.ToString("O"), To = to.ToString("O") },
            new Caller(driverId, Roles.Driver).ToMetadata(), DateTime.UtcNow + Deadline, ct);
    }
}
