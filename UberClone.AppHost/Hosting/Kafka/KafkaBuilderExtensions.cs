using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Kafka;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class KafkaBuilderExtensions
{
    /// <summary>
    /// A Kafka broker. ConnectionStrings:{name} in the AppHost's configuration names an existing broker; otherwise
    /// the embedded broker listens on 127.0.0.1:{port} (null or randomized ports: a free one).
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> AddKafka(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var kafka = builder.AddResource(new KafkaServerResource(name, builder.Configuration.GetConnectionString(name)));
        if (kafka.Resource.IsEmbedded)
        {
            kafka.WithAnnotation(new EndpointAnnotation(KafkaServerResource.PrimaryEndpointName)
            {
                UriScheme = "tcp",
                Transport = "tcp",
                Port = port,
                TargetHost = "127.0.0.1",
            });
        }
        return kafka;
    }

    /// <summary>Topics the embedded broker creates at start (the mock supports no admin API).</summary>
    public static IResourceBuilder<KafkaServerResource> WithTopics(this IResourceBuilder<KafkaServerResource> builder, IEnumerable<string> topics)
    {
        builder.Resource.Topics.AddRange(topics);
        return builder;
    }
}
