using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings bound like Aspire.Confluent.Kafka's KafkaProducerSettings.</summary>
public sealed class KafkaProducerSettings
{
    public string? ConnectionString { get; set; }
    public ProducerConfig Config { get; set; } = new();
    public bool DisableHealthChecks { get; set; }
}

/// <summary>Settings bound like Aspire.Confluent.Kafka's KafkaConsumerSettings.</summary>
public sealed class KafkaConsumerSettings
{
    public string? ConnectionString { get; set; }
    public ConsumerConfig Config { get; set; } = new();
    public bool DisableHealthChecks { get; set; }
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
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Producer"), settings, s => s.Config);
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Producer:{connectionName}"), settings, s => s.Config);
        settings.ConnectionString ??= configuration.GetConnectionString(connectionName);
        return settings;
    }

    public static KafkaConsumerSettings BindConsumerSettings(IConfiguration configuration, string connectionName)
    {
        var settings = new KafkaConsumerSettings();
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Consumer"), settings, s => s.Config);
        Bind(configuration.GetSection($"{DefaultConfigSectionName}:Consumer:{connectionName}"), settings, s => s.Config);
        settings.ConnectionString ??= configuration.GetConnectionString(connectionName);
        return settings;
    }

    // Confluent's config classes are dictionaries behind typed properties; the binder sets the typed properties.
    private static void Bind<TSettings>(IConfigurationSection section, TSettings settings, Func<TSettings, ClientConfig> config)
        where TSettings : class
    {
        if (section["ConnectionString"] is { } cs && settings is KafkaProducerSettings p) p.ConnectionString = cs;
        if (section["ConnectionString"] is { } cs2 && settings is KafkaConsumerSettings c) c.ConnectionString = cs2;
        if (section.GetValue<bool?>("DisableHealthChecks") is { } disable)
        {
            if (settings is KafkaProducerSettings p2) p2.DisableHealthChecks = disable;
            if (settings is KafkaConsumerSettings c2) c2.DisableHealthChecks = disable;
        }
        section.GetSection("Config").Bind(config(settings));
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
