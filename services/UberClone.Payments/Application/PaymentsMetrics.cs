using System.Diagnostics.Metrics;

namespace UberClone.Payments.Application;

/// <summary>Business metrics for the dashboard: payments that succeeded, failed (declined or expired) and refunds.</summary>
public sealed class PaymentsMetrics
{
    public const string MeterName = "UberClone.Payments";
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _refundedMinor;
    private readonly Counter<long> _holds;

    public PaymentsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _succeeded = meter.CreateCounter<long>("uberclone.payments.succeeded", unit: "{payment}", description: "Payments the provider confirmed.");
        _failed = meter.CreateCounter<long>("uberclone.payments.failed", unit: "{payment}", description: "Payments declined or expired.");
        _holds = meter.CreateCounter<long>("uberclone.payments.holds", unit: "{hold}", description: "Card holds placed at booking, by outcome (held, declined, captured, released, lost; raised, raise_declined for a new destination; moved, move_declined for another card).");
        _refundedMinor = meter.CreateCounter<long>("uberclone.payments.refunded", unit: "{minor_unit}", description: "Money refunded, in minor units.");
    }

    public void Succeeded(string purpose) => _succeeded.Add(1, new KeyValuePair<string, object?>("purpose", purpose));

    public void Failed(string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Hold(string outcome) => _holds.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Refunded(long amountMinor, string currency) => _refundedMinor.Add(amountMinor, new KeyValuePair<string, object?>("currency", currency));
}
