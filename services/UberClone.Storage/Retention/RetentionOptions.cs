namespace UberClone.Storage.Retention;

/// <summary><c>Storage:Retention</c>: how often the sweeper runs and how much it deletes per write.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Storage:Retention";

    /// <summary>Time between sweeps (the first comes after a random part of it, so replicas do not sweep together).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Documents deleted per write: each write holds SQLite's writer briefly, and the sweep pauses between them.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Pause between two full batches of one collection, so a large backlog does not starve the service's own writes.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(50);

    internal void Validate()
    {
        if (Interval <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:Interval must be positive (was {Interval}).");
        if (BatchSize is < 1 or > 100_000) throw new InvalidOperationException($"{Section}:BatchSize must be 1-100000 (was {BatchSize}).");
        if (PauseBetweenBatches < TimeSpan.Zero) throw new InvalidOperationException($"{Section}:PauseBetweenBatches must not be negative (was {PauseBetweenBatches}).");
    }
}
