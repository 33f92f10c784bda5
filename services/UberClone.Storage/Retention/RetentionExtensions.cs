using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UberClone.Storage.Retention;

namespace Microsoft.Extensions.Hosting;

public static class RetentionExtensions
{
    /// <summary>
    /// Adds a retention rule, made from the service's own stores once they exist (null when it does not apply, e.g. a
    /// library's rule in a service without a database), and, once per service, the <see cref="RetentionSweeper"/> that
    /// applies every rule (settings <c>Storage:Retention</c>).
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, RetentionRule?> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        services.AddSingleton(new RetentionRuleSource(rule));
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section));
        services.TryAddSingleton<RetentionSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RetentionSweeper>(sp => sp.GetRequiredService<RetentionSweeper>()));
        return services;
    }
}
