namespace UberClone.Dashboard.Telemetry;

/// <summary>Caps that keep the dashboard's memory bounded however long the stack runs: past a cap the oldest goes.</summary>
public sealed record TelemetryLimits
{
    /// <summary>Aspire's default (Dashboard:TelemetryLimits:MaxLogCount).</summary>
    public int LogsPerResource { get; init; } = 10_000;
    /// <summary>Aspire's default (Dashboard:TelemetryLimits:MaxTraceCount); counted per resource that has spans in the trace.</summary>
    public int TracesPerResource { get; init; } = 10_000;
    public int SpansPerTrace { get; init; } = 2_000;
    public int InstrumentsPerResource { get; init; } = 500;
    /// <summary>With one point kept per <see cref="MetricSampleInterval"/>, about 7 hours of one attribute set.</summary>
    public int PointsPerInstrument { get; init; } = 5_000;
    /// <summary>
    /// Services export every second in development; one point per attribute set is kept per interval (the newest is
    /// always shown). Cumulative sums and histograms lose only resolution by this, never counts.
    /// </summary>
    public TimeSpan MetricSampleInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int ConsoleLinesPerResource { get; init; } = 10_000;
}
