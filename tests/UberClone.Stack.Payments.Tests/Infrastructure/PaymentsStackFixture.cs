using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Stack.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(UberClone.Stack.Payments.Tests.Infrastructure.PaymentsStackFixture))]

namespace UberClone.Stack.Payments.Tests.Infrastructure;

/// <summary>
/// The whole platform (the AppHost's model, random ports, temporary data) with the payments secrets a deployment
/// would set: a webhook secret the test can sign with, and an operator key for refunds. It sends payment commands the
/// way trips does (the same envelope and headers), and records every payment event, so the run can check at the end
/// that no trip was charged twice.
/// </summary>
public sealed class PaymentsStackFixture : PaymentsStack;

/// <summary>A stack whose payments service is configured by <see cref="ConfigurePayments"/> (the sandbox by default).</summary>
public abstract class PaymentsStack : IAsyncLifetime
{
    public string WebhookSecret { get; } = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    public string OperatorKey { get; } = "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private readonly ConcurrentQueue<(string Topic, JsonObject Data)> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private IDistributedApplicationTestingBuilder? _builder;
    private IProducer<string, byte[]>? _producer;
    private Task _consumer = Task.CompletedTask;

    public DistributedApplication App { get; private set; } = null!;

    public Uri GatewayUrl => App.GetEndpoint(Resources.Gateway);

    public PlatformClient Client() => new(GatewayUrl);

    public IReadOnlyList<(string Topic, JsonObject Data)> PaymentEvents => [.. _events];

    /// <summary>Extra payments settings (environment variables) for this stack.</summary>
    protected virtual ValueTask<IReadOnlyDictionary<string, string>> ConfigurePayments() => ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public virtual async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(deadline.Token);
        var payments = (ProjectResource)_builder.Resources.Single(r => r.Name == Resources.Payments);
        var paymentsBuilder = _builder.CreateResourceBuilder(payments)
            .WithEnvironment("STRIPE_WEBHOOK_SECRET", WebhookSecret)
            .WithEnvironment("PAYMENTS_OPERATOR_KEY", OperatorKey);
        foreach (var (name, value) in await ConfigurePayments()) paymentsBuilder.WithEnvironment(name, value);
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Gateway, deadline.Token);

        var bootstrap = await App.GetConnectionStringAsync(Resources.Kafka, deadline.Token);
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true }).Build();
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-payments-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe([Topics.PaymentSessionCreated, Topics.PaymentSucceeded, Topics.PaymentFailed, Topics.PaymentRefunded]);
        _consumer = Task.Factory.StartNew(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                    if (result?.Message?.Value is { } value)
                    {
                        _events.Enqueue((result.Topic, JsonNode.Parse(value)!["data"]!.AsObject()));
                    }
                }
            }
            finally
            {
                consumer.Close();
                consumer.Dispose();
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>What trips sends when a trip completes or a cancellation fee is due.</summary>
    public async Task SendCreateSessionAsync(PaymentCreateSessionCommand command)
    {
        var message = OutboxMessages.Create(Topics.PaymentCreateSession, command.TripId, command);
        var headers = new Headers
        {
            { "message-id", Encoding.UTF8.GetBytes(message.Id) },
            { "type", Encoding.UTF8.GetBytes(message.Type) },
        };
        await _producer!.ProduceAsync(message.Topic, new Message<string, byte[]> { Key = message.Key, Value = Encoding.UTF8.GetBytes(message.Value), Headers = headers });
    }

    /// <summary>The first payment event on the topic matching the predicate, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<JsonObject> WaitForEventAsync(string topic, Func<JsonObject, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (t, data) in _events)
            {
                if (t == topic && predicate(data)) return data;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No {topic} event matched within {timeout ?? TimeSpan.FromSeconds(20)}.");
    }

    /// <summary>Every trip has at most one payment.event.succeeded, over everything this run saw.</summary>
    public void AssertNoTripChargedTwice()
    {
        var twice = PaymentEvents.Where(e => e.Topic == Topics.PaymentSucceeded)
            .GroupBy(e => e.Data["tripId"]!.GetValue<string>())
            // A relayed event may arrive twice (at-least-once); two different sessions paid is a double charge.
            .Where(g => g.Select(e => e.Data["sessionId"]!.GetValue<string>()).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToList();
        if (twice.Count > 0) throw new Xunit.Sdk.XunitException($"Trips charged more than once: {string.Join(", ", twice)}");
    }

    /// <summary>Ends with the run-wide check: over every payment event this stack published, no trip was charged twice.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        try
        {
            // Let the last relayed events arrive before the final check.
            await Task.Delay(TimeSpan.FromSeconds(1));
            AssertNoTripChargedTwice();
        }
        finally
        {
            await _stop.CancelAsync();
            await _consumer;
            _producer?.Dispose();
            if (App is not null) await App.DisposeAsync();
            if (_builder is not null) await _builder.DisposeAsync();
        }
    }
}
