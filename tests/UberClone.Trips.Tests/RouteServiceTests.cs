using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

public class RouteServiceTests
{
    private static readonly GeoPoint From = new(52.52, 13.40);
    private static readonly GeoPoint To = new(52.50, 13.45);

    private sealed class Routing(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(request.RequestUri!);
            return answer(request, ct);
        }
    }

    /// <summary>The timeout is generous unless a test is about it: a first call (JIT, JSON) on a loaded machine can take a while.</summary>
    private static (RouteService Service, Routing Routing) Create(string? url, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer, TimeSpan? timeout = null)
    {
        var routing = new Routing(answer);
        var options = Options.Create(new PricingOptions { RoutingUrl = url, RoutingTimeout = timeout ?? TimeSpan.FromSeconds(20) });
        return (new RouteService(new HttpClient(routing), options, NullLogger<RouteService>.Instance), routing);
    }

    private static Task<HttpResponseMessage> Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });

    private static RouteEstimate GreatCircle => RouteEstimator.Estimate(From, To, new PricingOptions());

    [Fact]
    public async Task Without_a_routing_endpoint_the_great_circle_estimate_is_used()
    {
        var (service, routing) = Create(null, (_, _) => Json("{}"));
        Assert.Equal(GreatCircle, await service.EstimateAsync(From, To, TestContext.Current.CancellationToken));
        Assert.Empty(routing.Requests);
    }

    [Fact]
    public async Task Osrm_route_is_asked_with_lon_lat_pairs_and_read_as_metres_and_seconds()
    {
        var (service, routing) = Create("http://osrm.local/", (_, _) => Json("""{"code":"Ok","routes":[{"distance":5321.4,"duration":734.6}]}"""));
        var route = await service.EstimateAsync(From, To, TestContext.Current.CancellationToken);
        Assert.Equal(new RouteEstimate(5_321, 735), route);
        Assert.Equal("http://osrm.local/route/v1/driving/13.4,52.52;13.45,52.5?overview=false", Assert.Single(routing.Requests).ToString());
    }

    [Fact]
    public async Task A_slow_routing_endpoint_falls_back_within_the_timeout()
    {
        var (service, _) = Create("http://osrm.local", async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, timeout: TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;
        Assert.Equal(GreatCircle, await service.EstimateAsync(From, To, TestContext.Current.CancellationToken));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("""{"code":"NoRoute","routes":[]}""", HttpStatusCode.OK)]
    [InlineData("not json", HttpStatusCode.OK)]
    [InlineData("""{"message":"boom"}""", HttpStatusCode.InternalServerError)]
    public async Task Anything_but_a_route_falls_back_to_the_great_circle(string body, HttpStatusCode status)
    {
        var (service, _) = Create("http://osrm.local", (_, _) => Json(body, status));
        Assert.Equal(GreatCircle, await service.EstimateAsync(From, To, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unreachable_routing_endpoint_falls_back()
    {
        var (service, _) = Create("http://osrm.local", (_, _) => throw new HttpRequestException("connection refused"));
        Assert.Equal(GreatCircle, await service.EstimateAsync(From, To, TestContext.Current.CancellationToken));
    }
}
