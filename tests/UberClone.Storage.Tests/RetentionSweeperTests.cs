using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using UberClone.Storage.Retention;
using UberClone.Storage.Sqlite;

namespace UberClone.Storage.Tests;

/// <summary>The sweeper as a service registers it (AddRetention), against a real SQLite file and a clock the test moves.</summary>
public sealed class RetentionSweeperTests(TempDirectory directory) : IClassFixture<TempDirectory>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SqliteDocumentDatabase database = new(Path.Combine(directory.Path, $"{Guid.NewGuid():N}.db"));
    private readonly FakeTimeProvider clock = new(Start);

    private IDocumentStore<Stamp> Stamps => database.Collection<Stamp>("stamps", "atMs");
    private IDocumentStore<Stamp> Others => database.Collection<Stamp>("others", "atMs");

    public sealed record Stamp(long AtMs);

    public void Dispose() => database.Dispose();

    private ServiceProvider Services(Dictionary<string, string?>? settings = null, Func<IServiceProvider, RetentionRule?>? extra = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<TimeProvider>(clock);
        if (extra is not null) services.AddRetention(configuration, extra);
        services.AddRetention(configuration, _ => RetentionRule.For(Stamps, "stamps", "atMs", TimeSpan.FromHours(1)));
        services.AddRetention(configuration, _ => null);
        services.AddRetention(configuration, _ => RetentionRule.For(Others, "others", "atMs", TimeSpan.FromDays(1)));
        return services.BuildServiceProvider();
    }

    private async Task InsertAsync(IDocumentStore<Stamp> store, string prefix, int count, DateTimeOffset at)
    {
        for (var i = 0; i < count; i++) await store.InsertAsync($"{prefix}{i}", new Stamp(at.ToUnixTimeMilliseconds()), ct: Ct);
    }

    [Fact]
    public async Task A_sweep_deletes_in_batches_what_each_rule_no_longer_keeps_and_nothing_newer()
    {
        await InsertAsync(Stamps, "old", 7, Start.AddHours(-2));
        await InsertAsync(Stamps, "edge", 1, Start.AddHours(-1).AddMilliseconds(1));
        await InsertAsync(Others, "old", 2, Start.AddDays(-2));
        await InsertAsync(Others, "kept", 2, Start.AddHours(-2));
        using var services = Services(new() { ["Storage:Retention:BatchSize"] = "3", ["Storage:Retention:PauseBetweenBatches"] = "00:00:00" });
        var sweeper = services.GetRequiredService<RetentionSweeper>();

        var deleted = await sweeper.SweepAsync(Ct);

        Assert.Equal(["stamps", "others"], sweeper.Rules.Select(r => r.Collection));
        Assert.Equal(7, deleted["stamps"]);
        Assert.Equal(2, deleted["others"]);
        Assert.Equal(["edge0"], (await Stamps.QueryUpToAsync("atMs", long.MaxValue, ct: Ct)).Select(s => s.Id));
        Assert.Equal(["kept0", "kept1"], (await Others.QueryUpToAsync("atMs", long.MaxValue, ct: Ct)).Select(s => s.Id));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, (await sweeper.SweepAsync(Ct))["stamps"]);
    }

    [Fact]
    public async Task A_rule_that_fails_does_not_stop_the_others()
    {
        await InsertAsync(Stamps, "old", 2, Start.AddHours(-2));
        using var services = Services(extra: _ => new RetentionRule("broken", "atMs", TimeSpan.FromHours(1),
            (_, _, _) => throw new InvalidOperationException("disk on fire")));

        var deleted = await services.GetRequiredService<RetentionSweeper>().SweepAsync(Ct);

        Assert.Equal(0, deleted["broken"]);
        Assert.Equal(2, deleted["stamps"]);
    }

    [Fact]
    public async Task The_hosted_sweeper_runs_every_interval_on_its_own()
    {
        using var services = Services(new() { ["Storage:Retention:Interval"] = "00:10:00" });
        var hosted = services.GetServices<IHostedService>().ToList();
        Assert.Single(hosted);
        await hosted[0].StartAsync(Ct);
        try
        {
            // The sweeper starts on a thread of its own and may set its first timer after the test moves the clock:
            // the clock goes on moving an interval at a time until the documents are gone.
            await InsertAsync(Stamps, "a", 3, Start.AddHours(-2));
            await SweptAsync(TimeSpan.FromMinutes(10));

            await InsertAsync(Stamps, "b", 2, clock.GetUtcNow().AddMinutes(-30));
            await SweptAsync(TimeSpan.FromMinutes(10)); // over an hour old after 31 minutes more
            Assert.True(clock.GetUtcNow() - Start > TimeSpan.FromMinutes(30));
        }
        finally
        {
            await hosted[0].StopAsync(Ct);
        }
    }

    [Theory]
    [InlineData("Storage:Retention:Interval", "00:00:00", "Interval")]
    [InlineData("Storage:Retention:BatchSize", "0", "BatchSize")]
    [InlineData("Storage:Retention:PauseBetweenBatches", "-00:00:01", "PauseBetweenBatches")]
    public void A_setting_that_cannot_work_stops_the_service_naming_it(string key, string value, string name)
    {
        using var services = Services(new() { [key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<RetentionSweeper>());
        Assert.Contains($"Storage:Retention:{name}", error.Message);
    }

    [Fact]
    public void A_rule_must_keep_documents_for_some_time() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionRule.For(Stamps, "stamps", "atMs", TimeSpan.Zero));

    /// <summary>Moves the clock <paramref name="step"/> at a time (up to 20 steps) until no stamp is left.</summary>
    private async Task SweptAsync(TimeSpan step)
    {
        for (var steps = 0; (await Stamps.QueryUpToAsync("atMs", long.MaxValue, ct: Ct)).Count > 0; steps++)
        {
            Assert.True(steps < 20 * 50, "The sweeper did not delete the documents within 20 intervals.");
            if (steps % 50 == 0) clock.Advance(step);
            await Task.Delay(20, Ct);
        }
    }
}
