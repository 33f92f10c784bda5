using System.Diagnostics;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// What one dependent memory access costs on this machine at a given working-set size: a pointer chase through a
/// random cycle of cache lines (each load's address comes from the previous load, so nothing overlaps). It bounds
/// what an update of a random driver can cost at 1k drivers (working set in L1/L2) and at 1M (working set far
/// beyond L3), whatever the index's layout.
/// </summary>
public static class MemoryLatency
{
    private const int LineLongs = 8; // 64-byte lines

    public static void Run(TextWriter output)
    {
        output.WriteLine("| working set | ns per dependent load (best of 5) |");
        output.WriteLine("|---:|---:|");
        foreach (var bytes in new long[] { 32 << 10, 256 << 10, 4 << 20, 64 << 20, 256 << 20 })
        {
            output.WriteLine($"| {Format(bytes)} | {NanosecondsPerLoad(bytes):F1} |");
        }
    }

    private static double NanosecondsPerLoad(long bytes)
    {
        var lines = (int)(bytes / 64);
        var memory = new long[lines * LineLongs];
        var order = Enumerable.Range(0, lines).ToArray();
        new Random(42).Shuffle(order);
        for (var i = 0; i < lines; i++) memory[order[i] * LineLongs] = order[(i + 1) % lines] * LineLongs;

        var steps = Math.Max(2_000_000, lines * 2);
        var best = double.MaxValue;
        long next = 0;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++) next = memory[next];
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / steps);
        }
        GC.KeepAlive(next);
        return best;
    }

    private static string Format(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MB" : $"{bytes >> 10} KB";
}
