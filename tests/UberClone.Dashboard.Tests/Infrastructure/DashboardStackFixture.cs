using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using UberClone.AppHost.Dashboard;
using ResourceNames = UberClone.Contracts.Resources;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests.Infrastructure;

/// <summary>
/// The whole platform from the AppHost's own Program.cs, on random ports, with the dashboard turned on (the testing
/// harness leaves it off): every service exports OTLP to it exactly as under F5. One trip is booked and accepted,
/// once, for the tests that look at its telemetry.
/// </summary>
public sealed class DashboardStackFixture : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder? _builder;
    private readonly Lazy<Task<BookedTrip>> _trip;

    public DashboardStackFixture() => _trip = new(BookAndAcceptTripAsync);

    public DistributedApplication App { get; private set; } = null!;
    public DashboardHost Dashboard { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(["--Dashboard:Enabled=true"], deadline.Token);
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Gateway, deadline.Token);
        Dashboard = App.Services.GetRequiredService<DashboardService>().Host
            ?? throw new InvalidOperationException("The dashboard did not start.");
    }

    public DashboardClient Api() => DashboardClient.For(Dashboard);

    /// <summary>A rider books, the nearest driver gets the offer over the gateway's WebSocket and accepts.</summary>
    public Task<BookedTrip> TripAsync() => _trip.Value;

    private async Task<BookedTrip> BookAndAcceptTripAsync()
    {
        var client = new PlatformClient(App.GetEndpoint(ResourceNames.Gateway));
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver", "Dana");
        var rider = await client.SignInAsync("rider", "Rita");
        await using var driverSocket = await driver.ConnectAsync();
        await using var riderSocket = await rider.ConnectAsync();
        await driver.GoOnlineAsync(city.Offset(300, 0));

        var tripId = (await rider.RequestTripAsync(city, city.Offset(-3_000, 2_000))).Str("tripId");
        await driverSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
        await driverSocket.SendAsync(new { type = "offer.accept", id = "a1", tripId });
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        return new BookedTrip(tripId, driver.UserId);
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
    }
}

public sealed record BookedTrip(string TripId, string DriverId);

[CollectionDefinition(Name)]
public sealed class DashboardStackCollection : ICollectionFixture<DashboardStackFixture>
{
    public const string Name = "whole stack with dashboard";
}
