namespace UberClone.Payments.Application;

/// <summary>
/// Charges again the saved-card sessions the provider did not answer for (<see cref="PaymentsApplication.RetryOpenCardChargesAsync"/>),
/// every <c>Payments:CardChargeRetryPoll</c> (a minute). Runs on every replica: the provider's idempotency key charges a
/// session once, whoever asks.
/// </summary>
public sealed class CardChargeRetry(PaymentsApplication payments, IConfiguration configuration, ILogger<CardChargeRetry> logger)
    : PeriodicJob(configuration, "Payments:CardChargeRetryPoll", TimeSpan.FromMinutes(1), logger)
{
    private const int Batch = 100;

    protected override string What => "Charging open card sessions again";

    protected override Task RunAsync(CancellationToken ct) => payments.RetryOpenCardChargesAsync(Batch, ct);
}
