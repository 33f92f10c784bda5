using UberClone.Payments.Application;

namespace UberClone.Payments.Payouts;

/// <summary>
/// Every <c>Payouts:Poll</c> (a minute): finishes payouts left unfinished, then makes the weekly payouts that are due.
/// Runs on every replica: a payout claims its lines before paying them, and its transfer's key is its id.
/// </summary>
public sealed class PayoutJob(PayoutsApplication payouts, IConfiguration configuration, ILogger<PayoutJob> logger)
    : PeriodicJob(configuration, "Payouts:Poll", TimeSpan.FromMinutes(1), logger)
{
    private const int Batch = 100;

    protected override string What => "Payouts";

    protected override async Task RunAsync(CancellationToken ct)
    {
        await payouts.ResumeOpenAsync(Batch, ct);
        while (await payouts.PayOutDueAsync(Batch, ct) == Batch && !ct.IsCancellationRequested)
        {
            // More accounts are due than one batch: go on.
        }
    }
}
