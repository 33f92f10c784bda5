using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using UberClone.Contracts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// The AppHost's model with the gateway as deployed for support accounts (<c>TwoStep__RequiredForSupport=true</c>; the
/// local run and <see cref="TwoGatewaysFixture"/> leave it off, ADR 0052): one replica of each, a stack of its own.
/// </summary>
public sealed class TwoStepRequiredStackFixture : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;

    public string OperatorPassword { get; private set; } = "";

    public PlatformClient Client() => new(App.GetEndpoint(Resources.Gateway), OperatorPassword);

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(deadline.Token);
        var gateway = _builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Resources.Gateway);
        _builder.CreateResourceBuilder(gateway).WithEnvironment("TwoStep__RequiredForSupport", "true");
        OperatorPassword = _builder.Resources.OfType<ParameterResource>().Single(p => p.Name == Resources.OperatorPassword).Value;
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Gateway, deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
    }
}

/// <summary>
/// Support must use 2-step verification (ADR 0052): the desk's own account, without it, signs in but reaches no desk
/// route (403 <c>two-step-setup-required</c>, the gateway's own and those it forwards to trips) until it has set it up
/// and signed in with the app's code.
/// </summary>
/// <remarks>
/// Alone (<see cref="StackOfItsOwn"/>): its stack starts only after the other tests are done, so booting a second stack on
/// the machine's cores cannot make theirs miss a deadline (an offer walked after it expired).
/// </remarks>
[Collection(StackOfItsOwn.Name)]
public sealed class TwoStepForSupportTests(TwoStepRequiredStackFixture stack) : IClassFixture<TwoStepRequiredStackFixture>
{
    [Fact]
    public async Task Support_without_two_step_is_refused_every_desk_route_until_it_signs_in_with_the_apps_code()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Caller");
        var (signedIn, session) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/signin", new { email = Resources.OperatorEmail, password = stack.OperatorPassword });
        Assert.Equal(HttpStatusCode.OK, signedIn);
        Assert.True(session["twoStepSetupRequired"]!.GetValue<bool>());
        var token = session.Str("accessToken");

        foreach (var path in new[] { $"/api/ops/users/{rider.UserId}", "/api/trips/ops/promotions" })
        {
            var (status, problem) = await GetAsync(client, path, token);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.EndsWith("/two-step-setup-required", problem.Str("type"));
        }

        var secret = (await TwoStepDeletionTests.PostAsync(client, "/api/auth/me/two-step/setup", new { password = stack.OperatorPassword }, token)).Body.Str("secret");
        var (enabled, recovery) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/me/two-step/enable", new { code = AuthenticatorApp.CodeOf(secret, 0) }, token);
        Assert.Equal(HttpStatusCode.OK, enabled);
        var (asked, challenge) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/signin", new { email = Resources.OperatorEmail, password = stack.OperatorPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, asked);
        var (withCode, desk) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/signin/two-step", new { challenge = challenge.Str("challenge"), code = AuthenticatorApp.CodeOf(secret, 1) });
        Assert.Equal(HttpStatusCode.OK, withCode);

        foreach (var path in new[] { $"/api/ops/users/{rider.UserId}", "/api/trips/ops/promotions" })
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, path, desk.Str("accessToken"))).Status);
        }

        // Turning it off (a new phone, say) signs the desk out everywhere at once: its socket closes, its token is refused,
        // and the next sign-in is back to setting it up (ADR 0052, amended).
        await using var socket = await new UserSession(client, desk.Str("userId"), "operator", desk.Str("accessToken")).ConnectAsync();
        await socket.WaitForAsync("snapshot");
        var (off, _) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/me/two-step/disable",
            new { password = stack.OperatorPassword, code = recovery["codes"]![0]!.GetValue<string>() }, desk.Str("accessToken"));
        Assert.Equal(HttpStatusCode.NoContent, off);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4001, await socket.WaitForCloseAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, $"/api/ops/users/{rider.UserId}", desk.Str("accessToken"))).Status);
        var (again, restricted) = await TwoStepDeletionTests.PostAsync(client, "/api/auth/signin", new { email = Resources.OperatorEmail, password = stack.OperatorPassword });
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.True(restricted["twoStepSetupRequired"]!.GetValue<bool>());
        Assert.EndsWith("/two-step-setup-required", (await GetAsync(client, "/api/trips/ops/promotions", restricted.Str("accessToken"))).Body.Str("type"));
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(PlatformClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : []);
    }
}

/// <summary>Tests that start a stack of their own run alone, after the rest (xUnit runs non-parallel collections last).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StackOfItsOwn
{
    public const string Name = "A stack of its own";
}
