using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Tests;

/// <summary>What a developer's local run of the AppHost (Development) allows that a deployment does not.</summary>
public sealed class LocalRunTests(StackFixture stack)
{
    /// <summary>Production allows 120 sign-ins a minute per IP (RateLimits:SignInPerIp).</summary>
    private const int ProductionSignInsPerIp = 120;

    [Fact]
    public async Task More_sign_ups_a_minute_than_one_IP_may_make_in_production_are_accepted_from_this_machine()
    {
        // Every client of a local stack is 127.0.0.1: the README's simulator signs up 550 users, the browser tests many.
        var client = stack.Client();
        using var parallel = new SemaphoreSlim(4);
        var signUps = Enumerable.Range(0, ProductionSignInsPerIp + 5).Select(async i =>
        {
            await parallel.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                return await client.SignInAsync(i % 10 == 0 ? "driver" : "rider");
            }
            finally
            {
                parallel.Release();
            }
        });

        var users = await Task.WhenAll(signUps);

        Assert.Equal(ProductionSignInsPerIp + 5, users.Select(u => u.UserId).Distinct().Count());
    }
}
