using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class ParameterResourceBuilderExtensions
{
    /// <summary>A parameter read from configuration Parameters:{name}; with <paramref name="generate"/>, a random value when unset.</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, bool secret = false, bool generate = false) =>
        builder.AddResource(new ParameterResource(name, secret, generate, builder.Configuration[$"Parameters:{name}"]));

    /// <summary>
    /// A parameter with a value of its own (Aspire's overload): configuration Parameters:{name} when set, otherwise
    /// <paramref name="value"/>; with <paramref name="publishValueAsDefault"/>, a manifest gives that value as the input's
    /// default (an optional setting a deployment may leave as it is).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, string value, bool publishValueAsDefault = false, bool secret = false) =>
        builder.AddResource(new ParameterResource(name, secret, generate: false, builder.Configuration[$"Parameters:{name}"], value) { PublishDefault = publishValueAsDefault });

    /// <summary>Sets an environment variable to the parameter's value (in a manifest: {name.value}).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : IResourceWithEnvironment
    {
        builder.WithAnnotation(new EnvironmentParameterAnnotation(name, parameter.Resource));
        return builder.WithEnvironment(context => context.EnvironmentVariables[name] = parameter.Resource.Value);
    }
}
