using System.Diagnostics;
using System.Text;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using UberClone.Contracts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Tests;

/// <summary>The broker as the services see it: dead-lettering of poison messages and what a Kafka CLI sees.</summary>
public sealed class KafkaTests(StackFixture stack)
{
    [Fact]
    public async Task Malformed_message_lands_in_the_dlq_and_the_consumer_goes_on_with_the_next()
    {
        var bootstrap = await stack.App.GetConnectionStringAsync(Resources.Kafka, TestContext.Current.CancellationToken);
        var key = "poison-" + Guid.NewGuid().ToString("N");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync(Topics.TripCreated, new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes("{not json") }, TestContext.Current.CancellationToken);
        }

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-dlq-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe(Topics.DeadLetter(Topics.TripCreated));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ConsumeResult<string, byte[]>? dead = null;
        while (dead is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message?.Key == key) dead = result;
        }
        consumer.Close();

        Assert.NotNull(dead);
        var headers = dead.Message.Headers.ToDictionary(h => h.Key, h => Encoding.UTF8.GetString(h.GetValueBytes()));
        Assert.Equal(Topics.TripCreated, headers["dlq-original-topic"]);
        Assert.False(string.IsNullOrWhiteSpace(headers["dlq-error-message"]));

        // The drivers consumer carried on: a real trip after the poison message is still dispatched.
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await using var socket = await driver.ConnectAsync();
        await driver.GoOnlineAsync(city.Offset(100, 100));
        var tripId = (await rider.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");
        await socket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
    }

    [Fact]
    public async Task Kcat_lists_the_platform_topics()
    {
        if (!File.Exists("/usr/bin/kcat")) Assert.Skip("kcat is not installed (scripts/test-all.sh installs Debian's kcat when run as root).");
        var bootstrap = await stack.App.GetConnectionStringAsync(Resources.Kafka, TestContext.Current.CancellationToken);
        using var kcat = Process.Start(new ProcessStartInfo("/usr/bin/kcat", ["-b", bootstrap!, "-L", "-m", "5"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await kcat.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await kcat.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal(0, kcat.ExitCode);
        foreach (var topic in Topics.AllWithDeadLetters) Assert.Contains($"topic \"{topic}\"", output);
    }
}
