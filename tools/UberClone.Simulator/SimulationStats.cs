using System.Collections.Concurrent;

namespace UberClone.Simulator;

/// <summary>Live counts of the simulation, and time from request to driver assigned.</summary>
public sealed class SimulationStats
{
    private readonly ConcurrentBag<double> _matchSeconds = [];
    private long _requested, _assigned, _completed, _paid, _paidByCard, _tipped, _tippedLater, _noDrivers, _cancelled, _offers, _declined, _errors, _driversOnline;
    private readonly DateTime _started = DateTime.UtcNow;

    public long Completed => Interlocked.Read(ref _completed);
    public long Errors => Interlocked.Read(ref _errors);

    public void Requested() => Interlocked.Increment(ref _requested);
    public void Assigned(TimeSpan afterRequest)
    {
        Interlocked.Increment(ref _assigned);
        _matchSeconds.Add(afterRequest.TotalSeconds);
    }
    public void CompletedTrip() => Interlocked.Increment(ref _completed);
    public void Paid(bool byCard)
    {
        Interlocked.Increment(ref _paid);
        if (byCard) Interlocked.Increment(ref _paidByCard);
    }
    public void Tipped() => Interlocked.Increment(ref _tipped);
    public void TippedLater() => Interlocked.Increment(ref _tippedLater);
    public void NoDrivers() => Interlocked.Increment(ref _noDrivers);
    public void Cancelled() => Interlocked.Increment(ref _cancelled);
    public void Offered() => Interlocked.Increment(ref _offers);
    public void Declined() => Interlocked.Increment(ref _declined);
    public void DriverOnline() => Interlocked.Increment(ref _driversOnline);

    public void Error(string who, Exception error)
    {
        if (Interlocked.Increment(ref _errors) <= 20) Console.Error.WriteLine($"{who}: {error.Message}");
    }

    public async Task ReportEveryAsync(TimeSpan interval, TextWriter output, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) Report(output, final: false);
        }
        catch (OperationCanceledException)
        {
            // Simulation over.
        }
    }

    public void Report(TextWriter output, bool final)
    {
        var samples = _matchSeconds.ToArray();
        Array.Sort(samples);
        string P(double q) => samples.Length == 0 ? "-" : $"{samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)]:0.00}s";
        output.WriteLine(
            $"{(final ? "final" : $"{(DateTime.UtcNow - _started).TotalSeconds,5:0}s")} | drivers online {_driversOnline} | requested {_requested} assigned {_assigned} completed {_completed} paid {_paid} ({_paidByCard} by saved card) tipped {_tipped} (+{_tippedLater} after paying) " +
            $"| no drivers {_noDrivers} cancelled {_cancelled} | offers {_offers} declined {_declined} | time to match p50 {P(0.5)} p99 {P(0.99)} | errors {_errors}");
    }
}
