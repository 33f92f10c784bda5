using Yarp.ReverseProxy.Forwarder;

namespace UberClone.Gateway.Proxy;

public static class ServiceUnavailableProblems
{
    /// <summary>
    /// When the service behind a route cannot be reached, the caller gets a quick 503/504 problem instead of an
    /// empty error; the gateway itself keeps running and recovers as soon as the service is back.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseServiceUnavailableProblems(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            if (context.GetForwarderErrorFeature() is not { } error || context.Response.HasStarted) return;
            var status = error.Error is ForwarderError.RequestTimedOut ? 504 : 503;
            var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
            await Problems.Problems.WriteAsync(context.Response,
                Problems.Problems.Create(status, $"The {service} service is not reachable right now; try again shortly."));
        });
        return proxy;
    }
}
