using Aspire.Hosting;
using Aspire.Hosting.MailPit;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using UberClone.Contracts;
using UberClone.Stack.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(UberClone.Stack.Gateway.Tests.TwoGatewaysFixture))]

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// The AppHost's own model on random ports, with the gateway, trips and drivers each run as two replicas behind one
/// address (the AppHost's per-connection round-robin proxy): every test here goes through both replicas of each,
/// and sockets land on either gateway.
/// </summary>
public sealed class TwoGatewaysFixture : IAsyncLifetime
{
    public const int GatewayReplicas = 2;
    public const int TripsReplicas = 2;
    public const int DriversReplicas = 2;
    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;

    public Uri GatewayUrl => App.GetEndpoint(Resources.Gateway);

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(deadline.Token);
        var gateway = _builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Resources.Gateway);
        _builder.CreateResourceBuilder(gateway).WithReplicas(GatewayReplicas);
        var trips = _builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Resources.Trips);
        _builder.CreateResourceBuilder(trips).WithReplicas(TripsReplicas);
        var drivers = _builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Resources.Drivers);
        // A search that finds nobody tries again only after this long, so a driver missed by the replica running the
        // search shows (DispatchAcrossReplicasTests) instead of being found by the other replica's sweep 2 s later.
        _builder.CreateResourceBuilder(drivers).WithReplicas(DriversReplicas).WithEnvironment("Dispatch__RetryInterval", "00:00:40");
        var mail = _builder.Resources.OfType<MailPitResource>().Single();
        Mailbox = FakeMailbox.Of(() => mail.Mailbox ?? throw new InvalidOperationException("The mail resource has not started."));
        OperatorPassword = _builder.Resources.OfType<ParameterResource>().Single(p => p.Name == Resources.OperatorPassword).Value;
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Gateway, deadline.Token);
    }

    public PlatformClient Client() => new(GatewayUrl, OperatorPassword);

    /// <summary>The AppHost's proxy hands connections to the replicas in turn: reconnect until the socket lands on another one.</summary>
    public static async Task<RealtimeClient> ConnectToAnotherReplicaAsync(UserSession user, string notThisReplica)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var socket = await user.ConnectAsync();
            var replica = (await socket.WaitForAsync("snapshot"))["data"].Str("gateway");
            if (replica != notThisReplica) return socket;
            await socket.DisposeAsync();
        }
        throw new InvalidOperationException($"Every connection landed on replica {notThisReplica}: is the gateway running {GatewayReplicas} replicas?");
    }

    /// <summary>Where the gateways' mail arrives: the AppHost's mail resource (a local SMTP server).</summary>
    public FakeMailbox Mailbox { get; private set; } = null!;

    /// <summary>The support desk account's password (its email is Resources.OperatorEmail).</summary>
    public string OperatorPassword { get; private set; } = "";

    /// <summary>The trips service's own address (REST), behind which its replicas take connections in turn.</summary>
    public Uri TripsUrl => App.GetEndpoint(Resources.Trips, Resources.HttpEndpoint);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
        if (Mailbox is not null) await Mailbox.DisposeAsync();
    }
}
