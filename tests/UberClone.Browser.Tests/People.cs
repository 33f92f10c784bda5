using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The screens one test opens: each person's phone, and the support desk's screen, each a browser context of its own
/// (own storage, own session). When the test fails or times out it keeps what every screen showed (a screenshot, its
/// address and its last console lines, on the run's standard output), and closing them never holds the run up.
/// </summary>
internal sealed class People : IAsyncDisposable
{
    /// <summary>
    /// A browser test that has not finished after this long fails: a step that waits for ever must not hold up the
    /// whole run. The longest test takes about three minutes on a loaded CI machine.
    /// </summary>
    public const int TestTimeout = 10 * 60 * 1000;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);
    private const int ConsoleLinesKept = 30;
    private readonly WebStackFixture _stack;
    private readonly string _test = TestContext.Current.TestMethod?.MethodName ?? "test";
    private readonly List<Screen> _screens = [];
    private CancellationTokenRegistration? _whenTimedOut;
    private Task? _closed;

    private sealed record Screen(string Name, IBrowserContext Context, IPage Page, Queue<string> Console);

    public People(WebStackFixture stack) => _stack = stack;

    /// <summary>A phone-sized screen.</summary>
    public Task<IPage> PhoneAsync() => OpenAsync("phone", new() { Width = 390, Height = 844 });

    /// <summary>A phone-sized screen whose browser says it is <paramref name="userAgent"/> (another device, for the gateway).</summary>
    public Task<IPage> PhoneAsync(string userAgent) => OpenAsync("phone", new() { Width = 390, Height = 844 }, userAgent);

    /// <summary>
    /// A rider (signed up on a phone of their own) and a driver online about 60 m from <paramref name="pickup"/> (on
    /// another phone): the start of every ride a browser test books.
    /// </summary>
    public async Task<(IPage Rider, IPage Driver)> RiderAndDriverNearAsync((double Lat, double Lng) pickup, string driverName, string riderName)
    {
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, driverName, (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", riderName);
        return (rider, driver);
    }

    /// <summary>The support desk's screen, desktop-sized.</summary>
    public Task<IPage> DeskAsync() => OpenAsync("desk", new() { Width = 1280, Height = 900 });

    /// <summary>The password <see cref="RideInTheBrowserTests.SignUpAsync"/> gives every account.</summary>
    public const string SignUpPassword = "correct horse battery staple";

    /// <summary>
    /// The rider's "Later" (a ride booked for later), chosen until it holds: on a loaded machine the click once landed as
    /// the page was still settling and the radio was "Now" again when Playwright looked (CI62), which fails a check.
    /// </summary>
    public static async Task ChooseLaterAsync(IPage rider)
    {
        var later = rider.GetByRole(AriaRole.Radio, new() { Name = "Later" });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await later.CheckAsync();
                return;
            }
            catch (PlaywrightException e) when (attempt < 3 && e.Message.Contains("did not change its state", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Signs in on the landing page (from wherever the page is); the caller waits for what follows.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        if (new Uri(page.Url).AbsolutePath != "/") await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>The support desk's account signs in where everyone does and lands on the desk.</summary>
    public async Task SignInAtTheDeskAsync(IPage desk)
    {
        await desk.GotoAsync("/");
        await SignInAsync(desk, _stack.OperatorEmail, _stack.OperatorPassword);
        await Assertions.Expect(desk).ToHaveURLAsync(new Regex("/ops$"));
        // The address changes before the desk has rendered: a test typing into it then could lose what it typed when the
        // page arrives (a CI run's promotion form was found empty). Wait until it is there, connected, and done loading.
        await Assertions.Expect(desk.GetByTestId("connection")).ToHaveTextAsync("● live");
        await desk.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>The support desk on a desk-sized screen, signed in, showing the trip <paramref name="tripId"/>.</summary>
    public async Task<IPage> DeskOnTheTripAsync(string? tripId)
    {
        var desk = await DeskAsync();
        await SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?trip={tripId}");
        return desk;
    }

    private async Task<IPage> OpenAsync(string kind, ViewportSize viewport, string? userAgent = null)
    {
        var context = await _stack.Browser.NewContextAsync(new() { BaseURL = _stack.WebUrl.ToString(), ViewportSize = viewport, UserAgent = userAgent });
        // Generous waits: on a loaded 2-core CI machine the dev server, the stack and other test runs share the CPU. Set
        // on the context, so pages it opens later (a checkout tab) wait as long: one paying waited only Playwright's 30 s
        // for the sandbox checkout's form post to navigate, and a CI run failed on it.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        var console = new Queue<string>();
        void Keep(string line)
        {
            lock (console)
            {
                console.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
                if (console.Count > ConsoleLinesKept) console.Dequeue();
            }
        }
        page.Console += (_, message) => Keep($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => Keep($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) Keep($"answered {response.Status}: {response.Request.Method} {response.Url}");
        };
        page.RequestFailed += (_, request) => Keep($"request failed: {request.Method} {request.Url} ({request.Failure})");
        lock (_screens) _screens.Add(new Screen($"{kind}-{_screens.Count + 1}", context, page, console));
        // A timed-out test is failed while its step still waits (xunit does not wait for it, and disposes its class
        // only when it ends): what the screens showed is kept at once, and closing them ends the step. The test's
        // token (cancelled at its timeout) is the one current while the test method runs.
        _whenTimedOut ??= TestContext.Current.CancellationToken.Register(() => CloseAsync(keepWhatTheyShowed: true));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_whenTimedOut is { } registration) await registration.DisposeAsync();
        await CloseAsync(keepWhatTheyShowed: TestContext.Current.TestState?.Result is TestResult.Failed);
    }

    /// <summary>Closes every screen, once, first keeping what each showed when asked to.</summary>
    private Task CloseAsync(bool keepWhatTheyShowed)
    {
        lock (_screens) return _closed ??= CloseOnceAsync([.. _screens], keepWhatTheyShowed);
    }

    private async Task CloseOnceAsync(Screen[] screens, bool keepWhatTheyShowed)
    {
        await Task.Yield(); // never on the thread that cancelled the test
        if (keepWhatTheyShowed) await KeepWhatEachScreenShowedAsync(screens);
        foreach (var screen in screens)
        {
            try
            {
                await screen.Context.CloseAsync().WaitAsync(CloseTimeout);
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
            {
                Console.WriteLine($"{_test}, {screen.Name}: its browser context did not close ({ex.Message}).");
            }
        }
    }

    private async Task KeepWhatEachScreenShowedAsync(Screen[] screens)
    {
        foreach (var screen in screens)
        {
            var path = Path.Combine(_stack.ArtifactsDirectory, $"failed-{_test}-{screen.Name}.png");
            string shot;
            try
            {
                await screen.Page.ScreenshotAsync(new() { Path = path, FullPage = true, Timeout = 20_000 }).WaitAsync(CloseTimeout);
                shot = path;
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
            {
                shot = $"no screenshot ({ex.Message.Split('\n')[0]})";
            }
            string[] lines;
            lock (screen.Console) lines = [.. screen.Console];
            // The test's own output is closed by now; the process's standard output is shown with a failed run.
            Console.WriteLine($"{_test}, {screen.Name} at {screen.Page.Url}: {shot}");
            foreach (var line in lines) Console.WriteLine($"  {line}");
        }
    }
}
