using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UberClone.Storage.Retention;

/// <summary>
/// Deletes what each <see cref="RetentionRule"/> no longer keeps, every <see cref="RetentionOptions.Interval"/>, in
/// batches. Every replica sweeps (deletes are idempotent, and a replica that stops does not leave the work undone);
/// a rule that fails is logged and tried again next time, without stopping the others.
/// </summary>
public sealed class RetentionSweeper(
    IEnumerable<RetentionRuleSource> rules, IServiceProvider services, IOptions<RetentionOptions> options, TimeProvider time, IMeterFactory meters, ILogger<RetentionSweeper> logger)
    : BackgroundService
{
    public const string MeterName = "UberClone.Storage";

    private readonly IReadOnlyList<RetentionRule> _rules = rules.Select(source => source.Create(services)).OfType<RetentionRule>().ToList();

    /// <summary>The rules this service applies, in the order they were added.</summary>
    public IReadOnlyList<RetentionRule> Rules => _rules;
    private readonly RetentionOptions _options = Validated(options.Value);
    private readonly Counter<long> _deleted = meters.Create(MeterName)
        .CreateCounter<long>("uberclone.storage.retention.deleted", "{document}", "Documents deleted because their collection's retention ended.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_rules.Count == 0) return;
        try
        {
            await Task.Delay(_options.Interval * Random.Shared.NextDouble(), time, stoppingToken);
            using var timer = new PeriodicTimer(_options.Interval, time);
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep of every rule: per collection, how many documents went.</summary>
    public async Task<IReadOnlyDictionary<string, int>> SweepAsync(CancellationToken ct)
    {
        var deleted = new Dictionary<string, int>();
        foreach (var rule in _rules)
        {
            var cutoff = rule.CutoffAt(time.GetUtcNow());
            var total = 0;
            try
            {
                int count;
                do
                {
                    count = await rule.DeleteUpTo(cutoff, _options.BatchSize, ct);
                    total += count;
                    if (count == _options.BatchSize) await Task.Delay(_options.PauseBetweenBatches, time, ct);
                }
                while (count == _options.BatchSize);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Retention of {Collection} failed after deleting {Count} documents; it is tried again at the next sweep.",
                    rule.Collection, total);
            }
            deleted[rule.Collection] = deleted.GetValueOrDefault(rule.Collection) + total;
            if (total > 0)
            {
                _deleted.Add(total, new KeyValuePair<string, object?>("collection", rule.Collection));
                logger.LogInformation("Retention: deleted {Count} documents of {Collection} older than {KeepFor}.", total, rule.Collection, rule.KeepFor);
            }
        }
        return deleted;
    }

    private static RetentionOptions Validated(RetentionOptions options)
    {
        options.Validate();
        return options;
    }
}
