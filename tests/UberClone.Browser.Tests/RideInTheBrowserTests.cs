using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>A rider and a driver, each in their own browser context, complete a whole trip through the web app.</summary>
public sealed class RideInTheBrowserTests(WebStackFixture stack)
{
    private static readonly (double Lat, double Lng) City = (52.52, 13.405);
    private int _step;

    [Fact]
    public async Task Rider_and_driver_complete_a_paid_and_rated_trip_and_a_reload_keeps_the_trip_on_screen()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        await using var riderContext = await stack.Browser.NewContextAsync(new() { BaseURL = stack.WebUrl.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        await using var driverContext = await stack.Browser.NewContextAsync(new() { BaseURL = stack.WebUrl.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var rider = await riderContext.NewPageAsync();
        var driver = await driverContext.NewPageAsync();
        // Generous waits: on a loaded 2-core CI machine the dev server, the stack and other test runs share the CPU.
        rider.SetDefaultTimeout(60_000);
        driver.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);

        try
        {
            await SignUpAsync(driver, "driver", "Dana Driver");
            // Start the simulated car 60 m north of the rider's pickup, so "arrived" is true at once.
            await driver.GotoAsync($"/driver?start={City.Lat + 0.00054},{City.Lng}");
            await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
            await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
            await ShotAsync(driver, "driver-online");

            await SignUpAsync(rider, "rider", "Rita Rider");
            await rider.GetByRole(AriaRole.Button, new() { Name = "Sample route" }).ClickAsync();
            await rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync();
            // Each class says how soon a car could be there: the online driver is 60 m away; nobody drives comfort.
            await Expect(rider.GetByTestId("eta-economy")).ToHaveTextAsync("1 min away");
            await Expect(rider.GetByTestId("eta-comfort")).ToHaveTextAsync("no cars nearby");
            await ShotAsync(rider, "rider-prices");
            await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
            await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
            await ShotAsync(rider, "rider-searching");

            await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
            await ShotAsync(driver, "driver-offer");
            await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

            await Expect(rider.GetByTestId("driver-card")).ToBeVisibleAsync();
            await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Dana Driver");
            await Expect(rider.GetByTestId("vehicle")).ToContainTextAsync("white Toyota Prius · B-UC 1234");
            var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();
            Assert.Matches("^[0-9]{4}$", pin);
            await ShotAsync(rider, "rider-driver-assigned");

            // A reload (or a reconnect) rebuilds the screen from the gateway: the trip and its PIN are still there.
            await rider.ReloadAsync();
            await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(pin);
            await ShotAsync(rider, "rider-after-reload");

            await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
            await Expect(rider.GetByText("Your driver has arrived.")).ToBeVisibleAsync();
            await driver.GetByLabel("Rider's PIN").FillAsync(pin);
            await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
            await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
            await ShotAsync(driver, "driver-in-progress");

            await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
            await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
            await Expect(rider.GetByTestId("fare-total")).ToBeVisibleAsync();
            await ShotAsync(rider, "rider-completed");

            var checkout = await riderContext.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
            await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
            await ShotAsync(checkout, "sandbox-checkout-paid");
            await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");

            await rider.GetByRole(AriaRole.Button, new() { Name = "Submit rating" }).ClickAsync();
            await Expect(rider.GetByText("You rated your driver 5★.")).ToBeVisibleAsync();
            await driver.GetByRole(AriaRole.Button, new() { Name = "Submit rating" }).ClickAsync();
            await Expect(driver.GetByText("You rated the rider 5★.")).ToBeVisibleAsync();
            await ShotAsync(rider, "rider-paid-and-rated");
            await ShotAsync(driver, "driver-done");
        }
        catch
        {
            // What both screens showed when a step failed (the step's own message says what it waited for).
            await ShotAsync(rider, "failed-rider");
            await ShotAsync(driver, "failed-driver");
            throw;
        }
    }

    private static async Task SignUpAsync(IPage page, string role, string name)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = role == "driver" ? "Drive" : "Ride" }).CheckAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync($"{role}-{Guid.NewGuid():N}@example.test");
        await page.GetByLabel("Password").FillAsync("correct horse battery staple");
        if (role == "driver")
        {
            await page.GetByLabel("Make").FillAsync("Toyota");
            await page.GetByLabel("Model").FillAsync("Prius");
            await page.GetByLabel("Plate").FillAsync("B-UC 1234");
            await page.GetByLabel("Colour").FillAsync("white");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync(role == "driver" ? "**/driver" : "**/rider");
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
