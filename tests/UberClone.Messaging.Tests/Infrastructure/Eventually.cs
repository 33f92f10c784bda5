namespace UberClone.Messaging.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds, failing the test at the deadline instead of hanging.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadlines.Message);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
