using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Confluent.Kafka;

namespace UberClone.AppHost.Tests;

public sealed class KafkaTests
{
    [Fact]
    public async Task Embedded_broker_becomes_healthy_and_serves_clients_at_its_connection_string_with_topics_precreated()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddKafka("kafka").WithTopics(["test.event.created"]);
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("kafka", TestModel.Deadline());
        var bootstrapServers = await app.GetConnectionStringAsync("kafka", TestModel.Deadline());

        Assert.Matches(@"^127\.0\.0\.1:\d+$", bootstrapServers);
        Assert.NotEqual("127.0.0.1:9092", bootstrapServers);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        var delivered = await producer.ProduceAsync("test.event.created", new Message<string, string> { Key = "k", Value = "hello" }, TestModel.Deadline());
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata("test.event.created", TimeSpan.FromSeconds(5));
        Assert.Equal(4, metadata.Topics.Single().Partitions.Count);
    }

    [Fact]
    public async Task Kafka_restarted_by_command_keeps_its_address()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddKafka("kafka");
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("kafka", TestModel.Deadline());
        var before = await app.GetConnectionStringAsync("kafka", TestModel.Deadline());

        var restarted = await app.ResourceCommands.ExecuteCommandAsync("kafka", "resource-restart", TestModel.Deadline());

        Assert.True(restarted.Success, restarted.ErrorMessage);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("kafka", TestModel.Deadline());
        Assert.Equal(before, await app.GetConnectionStringAsync("kafka", TestModel.Deadline()));
    }
}
