using UberClone.Contracts;
using Yarp.ReverseProxy.Configuration;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// The public REST surface: which path goes to which service. Destinations are resource names resolved by
/// service discovery (services__trips__http__0 locally, the Kubernetes Service name otherwise).
/// </summary>
public static class ServiceRoutes
{
    /// <summary>YARP's reserved names: the default policy (an authenticated user) and no authorization at all.</summary>
    public const string AuthenticatedPolicy = "default";
    public const string AnonymousPolicy = "anonymous";

    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        Route("trips", Resources.Trips, "/api/trips/{**rest}", AuthenticatedPolicy),
        Route("drivers", Resources.Drivers, "/api/drivers/{**rest}", AuthenticatedPolicy),
        Route("payments", Resources.Payments, "/api/payments/{**rest}", AuthenticatedPolicy),
        // Payment providers call the webhook without a user: the payments service verifies the provider's signature.
        Route("payments-webhooks", Resources.Payments, "/api/payments/webhooks/{**rest}", AnonymousPolicy),
        // The sandbox checkout page is opened by the rider's browser from a link; its unguessable id is the capability.
        Route("checkout", Resources.Payments, "/checkout/{**rest}", AnonymousPolicy),
        // The sandbox's payout onboarding page (Stripe Connect's hosted onboarding otherwise), opened from a link the same way.
        Route("connect", Resources.Payments, "/connect/{**rest}", AnonymousPolicy),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters { get; } =
        new[] { Resources.Trips, Resources.Drivers, Resources.Payments }.Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service] = new() { Address = $"http://{service}" },
            },
            HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
        }).ToList();

    private static RouteConfig Route(string id, string cluster, string path, string policy) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = policy,
    };
}
