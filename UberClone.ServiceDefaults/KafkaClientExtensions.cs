using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>What Aspire.Confluent.Kafka's producer and consumer settings share.</summary>
public abstract class KafkaClientSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    internal abstract ClientConfig ClientConfig { get; }
}

/// <summary>Settings bound like Aspire.Confluent.Kafka's KafkaProducerSettings.</summary>
public sealed class KafkaProducerSettings : KafkaClientSettings
{
    public ProducerConfig Config { get; set; } = new();
    internal override ClientConfig ClientConfig => Config;
}

/// <summary>Settings bound like Aspire.Confluent.Kafka's KafkaConsumerSettings.</summary>
public sealed class KafkaConsumerSettings : KafkaClientSettings
{
    public ConsumerConfig Config { get; set; } = new();
    internal override ClientConfig ClientConfig => Config;
}

/// <summary>
/// Shims named and bound like the Aspire.Confluent.Kafka client integration (which cannot be restored here), so
/// that package can replace them without touching a service. Binding order: Aspire:Confluent:Kafka:{Producer|Consumer},
/// then …:{name}, then ConnectionStrings:{name} as BootstrapServers; the Config sub-section binds to Confluent's config.
/// </summary>
public static class KafkaClientExtensions
{
    private const string DefaultConfigSectionName = "Aspire:Confluent:Kafka";

    public static IHostApplicationBuilder AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = BindProducerSettings(builder.Configuration, connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers ??= settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(settings.Config.BootstrapServers))
        {
            throw new InvalidOperationException(
                $"Kafka producer '{connectionName}': no broker address. Set ConnectionStrings:{connectionName} or {DefaultConfigSectionName}:Producer:Config:BootstrapServers.");
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ =>
        {
            var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config);
            configureBuilder?.Invoke(producerBuilder);
            return producerBuilder.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "Aspire.Confluent.Kafka.Producer",
                sp => new KafkaHealthCheck(settings.Config.BootstrapServers!),
                failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        }
        return builder;
    }

    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = BindConsumerSettings(builder.Configuration, connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers ??= settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(settings.Config.BootstrapServers))
        {
            throw new InvalidOperationException(
                $"Kafka consumer '{connectionName}': no broker address. Set ConnectionStrings:{connectionName} or {DefaultConfigSectionName}:Consumer:Config:BootstrapServers.");
        }
        if (string.IsNullOrWhiteSpace(settings.Config.GroupId))
        {
            throw new InvalidOperationException(
                $"Kafka consumer '{connectionName}': a GroupId is required ({DefaultConfigSectionName}:Consumer:Config:GroupId).");
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ =>
        {
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(settings.Config);
            configureBuilder?.Invoke(consumerBuilder);
            return consumerBuilder.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "Aspire.Confluent.Kafka.Consumer",
                sp => new KafkaHealthCheck(settings.Config.BootstrapServers!),
                failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        }
        return builder;
    }

    public static KafkaProducerSettings BindProducerSettings(IConfiguration configuration, string connectionName)
    {
        var settings = new KafkaProducerSettings();
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Producer"), settings);
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Producer:{connectionName}"), settings);
        settings.ConnectionString ??= configuration.GetConnectionString(connectionName);
        return settings;
    }

    public static KafkaConsumerSettings BindConsumerSettings(IConfiguration configuration, string connectionName)
    {
        var settings = new KafkaConsumerSettings();
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Consumer"), settings);
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Consumer:{connectionName}"), settings);
        settings.ConnectionString ??= configuration.GetConnectionString(connectionName);
        return settings;
    }

    // Confluent's config classes are dictionaries behind typed properties: the binder sets the typed properties of
    // the Config sub-section; the plain settings are read by hand so the dictionary itself is never bound.
    private static void Bind(IConfigurationSection section, KafkaClientSettings settings)
    {
        if (section["ConnectionString"] is { } connectionString) settings.ConnectionString = connectionString;
        if (section.GetValue<bool?>("DisableHealthChecks") is { } disable) settings.DisableHealthChecks = disable;
        section.GetSection("Config").Bind(settings.ClientConfig);
    }
}

/// <summary>Healthy when the broker answers a metadata request (the Admin API's ListTopics-free path).</summary>
internal sealed class KafkaHealthCheck(string bootstrapServers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = bootstrapServers,
                SocketTimeoutMs = 3000,
            }).Build();
            // Metadata for all topics only: ListConsumerGroups and friends crash against the embedded broker.
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(3));
            return Task.FromResult(metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Kafka returned no brokers."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Kafka is not reachable.", ex));
        }
    }
}
