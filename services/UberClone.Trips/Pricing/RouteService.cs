using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// Route distance and time for a quote: from an OSRM-compatible routing endpoint when one is configured
/// (Pricing:RoutingUrl), bounded by Pricing:RoutingTimeout, and the great-circle estimate whenever there is none,
/// it is slow, or it answers with anything but a route.
/// </summary>
public sealed class RouteService(HttpClient http, IOptions<PricingOptions> options, ILogger<RouteService> logger)
{
    public async Task<RouteEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken ct)
    {
        var settings = options.Value;
        var fallback = RouteEstimator.Estimate(from, to, settings);
        if (string.IsNullOrWhiteSpace(settings.RoutingUrl)) return fallback;

        // OSRM takes lon,lat pairs.
        var url = string.Create(CultureInfo.InvariantCulture,
            $"{settings.RoutingUrl.TrimEnd('/')}/route/v1/driving/{from.Lng},{from.Lat};{to.Lng},{to.Lat}?overview=false");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(settings.RoutingTimeout);
        try
        {
            using var response = await http.GetAsync(url, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Routing answered {Status}; using the great-circle estimate", (int)response.StatusCode);
                return fallback;
            }
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(deadline.Token), cancellationToken: deadline.Token);
            var root = json.RootElement;
            if (root.TryGetProperty("code", out var code) && code.GetString() == "Ok"
                && root.TryGetProperty("routes", out var routes) && routes.GetArrayLength() > 0
                && routes[0].TryGetProperty("distance", out var meters) && routes[0].TryGetProperty("duration", out var seconds)
                && meters.GetDouble() >= 0 && seconds.GetDouble() >= 0)
            {
                return new RouteEstimate((int)Math.Round(meters.GetDouble()), (int)Math.Round(seconds.GetDouble()));
            }
            logger.LogWarning("Routing found no route; using the great-circle estimate");
            return fallback;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Routing took longer than {Timeout}; using the great-circle estimate", settings.RoutingTimeout);
            return fallback;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or FormatException)
        {
            logger.LogWarning(ex, "Routing failed; using the great-circle estimate");
            return fallback;
        }
    }
}
