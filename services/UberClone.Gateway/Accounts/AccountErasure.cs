namespace UberClone.Gateway.Accounts;

/// <summary>
/// How long an account whose owner asked to delete it is kept before it is erased (<c>Accounts:DeletionGrace</c>, 30
/// days: signing in meanwhile keeps it), and how often due erasures are looked for (<c>Accounts:ErasurePoll</c>, a minute).
/// </summary>
public sealed record AccountDeletionOptions(TimeSpan Grace, TimeSpan Poll)
{
    public static AccountDeletionOptions From(IConfiguration configuration) => new(
        configuration.GetValue("Accounts:DeletionGrace", TimeSpan.FromDays(30)),
        configuration.GetValue("Accounts:ErasurePoll", TimeSpan.FromMinutes(1)));
}

/// <summary>
/// Erases the accounts whose deletion is due (<see cref="AccountService.EraseAsync"/>: the tombstone,
/// <c>account.event.deleted</c>, the email freed, saved places gone) and mails each owner that it is done. Runs on every
/// replica: an account erased by one is left alone by the others, and the mail has one id per account.
/// </summary>
public sealed class AccountErasure(AccountService accounts, AccountNotices notices, AccountDeletionOptions options, TimeProvider clock, ILogger<AccountErasure> logger)
    : BackgroundService
{
    private const int Batch = 100;

    /// <summary>Erases what is due now; how many accounts were erased.</summary>
    public async Task<int> EraseDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var erased = 0;
        foreach (var account in await accounts.DueForErasureAsync(now, Batch, ct))
        {
            if (await accounts.EraseAsync(account.Id, now, ct) is null) continue;
            erased++;
            await notices.AccountDeleted(account, CancellationToken.None); // to the address it had: the last thing UberClone sends it
        }
        return erased;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await EraseDueAsync(stoppingToken) == Batch) { }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Erasing accounts due for deletion failed; trying again in {Poll}", options.Poll);
            }
            try
            {
                await Task.Delay(options.Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
