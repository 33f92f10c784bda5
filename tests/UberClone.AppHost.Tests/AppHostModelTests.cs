using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Kafka;
using Aspire.Hosting.MailPit;
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
            Resources.OperatorPassword, Resources.TwoStepSecretKey, Resources.TwoStepPreviousSecretKeys, Resources.Mail,
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
        // Mail is caught locally (a MailPit-like SMTP server in the AppHost) and the gateway is given it.
        var mail = Assert.IsType<MailPitResource>(builder.Resources.Single(r => r.Name == Resources.Mail));
        Assert.True(mail.IsEmbedded);
        Assert.Equal(1025, mail.Annotations.OfType<EndpointAnnotation>().Single().Port);
        Assert.Contains(gateway.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == mail);
    }

    [Fact]
    public async Task The_mail_resource_catches_what_the_gateway_would_send_and_shows_it_in_its_console()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(TestModel.Deadline());
        var mail = builder.Resources.OfType<MailPitResource>().Single();
        var console = new List<string>();
        mail.WriteConsoleTo((line, _) => { lock (console) console.Add(line); });
        mail.Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint =
            new AllocatedEndpoint(mail.Annotations.OfType<EndpointAnnotation>().Single(), "127.0.0.1", FreePort());
        await mail.StartAsync(TestModel.Deadline());
        try
        {
            // The connection string in the form the gateway reads; any SMTP client will do.
            var endpoint = new Uri((await mail.GetConnectionStringAsync(TestModel.Deadline()))!["Endpoint=".Length..]);
            Assert.Equal("smtp", endpoint.Scheme);
            using (var client = new System.Net.Mail.SmtpClient(endpoint.Host, endpoint.Port))
            {
                await client.SendMailAsync(new System.Net.Mail.MailMessage("no-reply@uberclone.local", "ana@example.com",
                    "Your UberClone code: 123456", "Your code is 123456 — it works once."), TestModel.Deadline());
            }

            var caught = Assert.Single(mail.Mailbox!.Received);
            Assert.Equal("ana@example.com", Assert.Single(caught.To));
            Assert.Equal("Your UberClone code: 123456", caught.Subject);
            Assert.Contains("Your code is 123456 — it works once.", caught.Text);
            lock (console)
            {
                Assert.Contains(console, l => l.EndsWith("to ana@example.com: Your UberClone code: 123456"));
                Assert.Contains("  Your code is 123456 — it works once.", console);
            }

            // Plain text and HTML side by side (multipart/alternative, as the gateway sends): each part decoded.
            using (var client = new System.Net.Mail.SmtpClient(endpoint.Host, endpoint.Port))
            {
                var both = new System.Net.Mail.MailMessage("no-reply@uberclone.local", "bo@example.com") { Subject = "Your UberClone receipt" };
                both.AlternateViews.Add(System.Net.Mail.AlternateView.CreateAlternateViewFromString("Total charged  12.00 EUR — paid", System.Text.Encoding.UTF8, "text/plain"));
                both.AlternateViews.Add(System.Net.Mail.AlternateView.CreateAlternateViewFromString("<p>Total charged <b>12.00 EUR</b> — paid</p>", System.Text.Encoding.UTF8, "text/html"));
                await client.SendMailAsync(both, TestModel.Deadline());
            }
            var receipt = mail.Mailbox.Received.Single(m => m.To.Contains("bo@example.com"));
            Assert.Equal("Total charged  12.00 EUR — paid", receipt.Text.TrimEnd());
            Assert.Equal("<p>Total charged <b>12.00 EUR</b> — paid</p>", receipt.Html!.TrimEnd());
            Assert.Null(caught.Html);
        }
        finally
        {
            await mail.StopAsync(TestModel.Deadline());
        }
        Assert.Null(mail.Mailbox);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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

    [Fact]
    public async Task A_configured_smtp_server_replaces_the_mail_catcher()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(
            ["--ConnectionStrings:mail=Endpoint=smtp://smtp.example.com:587;Username=u;Password=p"], TestModel.Deadline());
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        var mail = builder.Resources.OfType<MailPitResource>().Single();
        Assert.False(mail.IsEmbedded);
        Assert.Empty(mail.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal("Endpoint=smtp://smtp.example.com:587;Username=u;Password=p", await app.GetConnectionStringAsync(Resources.Mail, TestModel.Deadline()));
    }
}
