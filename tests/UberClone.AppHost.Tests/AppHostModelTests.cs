using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Kafka;
using Aspire.Hosting.Testing;
using UberClone.Contracts;

namespace UberClone.AppHost.Tests;

/// <summary>
/// The product's model (UberClone.AppHost/Program.cs) through the testing harness. Built but not started: these tests
/// pin the model, not the services (whole-stack tests start it).
/// </summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task Program_declares_every_resource_with_its_endpoints_references_and_waits()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(["--Testing:WebApps=true"], TestModel.Deadline());
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        string[] expected =
        [
            Resources.Kafka, Resources.Mongo, Resources.TripsDb, Resources.DriversDb, Resources.PaymentsDb, Resources.AccountsDb,
            Resources.Trips, Resources.Drivers, Resources.Payments, Resources.Gateway, Resources.Web, Resources.JwtSigningKey,
            Resources.OperatorPassword,
        ];
        Assert.Equal(expected.Order(), builder.Resources.Select(r => r.Name).Order());
        foreach (var service in new[] { Resources.Trips, Resources.Drivers, Resources.Payments })
        {
            var resource = builder.Resources.Single(r => r.Name == service);
            var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
            Assert.Equal("http", endpoints[Resources.HttpEndpoint].Transport);
            Assert.Equal("http2", endpoints[Resources.GrpcEndpoint].Transport);
            Assert.Equal([Resources.Kafka], resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));
        }
        var gateway = builder.Resources.Single(r => r.Name == Resources.Gateway);
        Assert.True(gateway.Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
        Assert.Equal(8080, gateway.Annotations.OfType<EndpointAnnotation>().Single().Port);
        Assert.Equal(
            [Resources.Drivers, Resources.Kafka, Resources.Payments, Resources.Trips],
            gateway.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order());
        var kafka = Assert.IsType<KafkaServerResource>(builder.Resources.Single(r => r.Name == Resources.Kafka));
        Assert.True(kafka.IsEmbedded);
        Assert.Equal(Topics.AllWithDeadLetters, kafka.Topics);
    }

    [Fact]
    public async Task Embedded_default_gives_services_no_database_connection_string_and_a_temporary_data_directory()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(TestModel.Deadline());
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        Assert.Null(await app.GetConnectionStringAsync(Resources.TripsDb, TestModel.Deadline()));
        Assert.DoesNotContain(builder.Resources, r => r.Name == Resources.Web); // web apps only when a test asks (--Testing:WebApps=true)
        var mongo = Assert.IsType<Aspire.Hosting.MongoDB.MongoDBServerResource>(builder.Resources.Single(r => r.Name == Resources.Mongo));
        Assert.StartsWith(Path.GetTempPath(), mongo.DataDirectory);
    }

    [Fact]
    public async Task Configured_servers_replace_the_embedded_ones()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(
            ["--ConnectionStrings:kafka=broker:9092", "--ConnectionStrings:mongo=mongodb://admin:secret@db:27017/?authSource=admin"],
            TestModel.Deadline());
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        Assert.Equal("broker:9092", await app.GetConnectionStringAsync(Resources.Kafka, TestModel.Deadline()));
        Assert.Equal("mongodb://admin:secret@db:27017/tripsdb?authSource=admin", await app.GetConnectionStringAsync(Resources.TripsDb, TestModel.Deadline()));
        Assert.Equal("mongodb://admin:secret@db:27017/accountsdb?authSource=admin", await app.GetConnectionStringAsync(Resources.AccountsDb, TestModel.Deadline()));
    }
}
