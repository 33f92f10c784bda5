using Microsoft.Extensions.Configuration;

namespace UberClone.Messaging;

/// <summary>Which process of a service this is: several replicas of one service run side by side.</summary>
public static class ServiceInstance
{
    /// <summary>This process's id when configuration names none: the same for every caller in the process.</summary>
    private static readonly string Random = Guid.NewGuid().ToString("N")[..8];

    /// <summary>service.instance.id from OTEL_RESOURCE_ATTRIBUTES (set per replica by the AppHost), else a random id fixed for the process.</summary>
    public static string IdFrom(IConfiguration configuration)
    {
        var attributes = configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "";
        foreach (var pair in attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts is ["service.instance.id", { Length: > 0 } id]) return id;
        }
        return Random;
    }
}
