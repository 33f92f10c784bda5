using Aspire.Hosting.MailPit;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using System.Net.Http.Json;
using Microsoft.Playwright;
using UberClone.Contracts;
using UberClone.Stack.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(UberClone.Browser.Tests.WebStackFixture))]

namespace UberClone.Browser.Tests;

/// <summary>
/// The AppHost's model with the Next.js web app, on random ports, and Debian's Chromium driven by Playwright
/// (never a downloaded browser). Without /usr/bin/chromium every test is skipped with the reason.
/// </summary>
public sealed class WebStackFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IDistributedApplicationTestingBuilder? _builder;
    private IPlaywright? _playwright;

    /// <summary>How long a rider may cancel for free after a driver is assigned: long enough for a test's steps on a loaded machine.</summary>
    public static readonly TimeSpan FreeCancellationWindow = TimeSpan.FromSeconds(20);

    /// <summary>How long five wrong PINs lock a ride's start (ADR 0044; Trips:PinLockout, 60 s in a real run): a test waits it out.</summary>
    public static readonly TimeSpan PinLockout = TimeSpan.FromSeconds(15);

    /// <summary>How long a driver waits at the pickup before they may cancel for a rider who did not come.</summary>
    public static readonly TimeSpan NoShowWait = TimeSpan.FromSeconds(8);
    /// <summary>
    /// RideCheck (ADR 0033): a ride standing still this long asks "Is everything OK?" (4 minutes in a real run). Longer than
    /// the simulated car (about 19 m a ping, every 3 s) takes to leave 150 m behind on a loaded machine, so a car driving
    /// in another test is never asked.
    /// </summary>
    public static readonly TimeSpan LongStopAfter = TimeSpan.FromSeconds(45);

    /// <summary>A driver whose phone sends no location this long is taken offline: the shortest the drivers service allows
    /// (its LocationFreshness, 30 s), ten times the web app's ping interval.</summary>
    public static readonly TimeSpan OfflineAfterSilence = TimeSpan.FromSeconds(30);
    /// <summary>How long a driver has to answer an offer (15 s in the product).</summary>
    public static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(60);
    /// <summary>
    /// An airport's terminal in Valencia (ADR 0036; no other test drives there) and its queue's lot, about 1 km north: a
    /// circle of 300 m. The pickups within 1,050 m of the terminal go to the queue first: the area reaches the lot's
    /// kerb (<see cref="AirportKerb"/>), where the browser test's rider is picked up so that the driver waiting in the lot
    /// arrives at once (a simulated car takes minutes to drive a kilometre). A trip from the queue of at most 30 km is
    /// short (VLC's <c>ShortTrip:MaxKm</c>): the test's ride, across Valencia, earns the pass back.
    /// </summary>
    public static readonly (double Lat, double Lng) AirportTerminal = (39.4893, -0.4816);
    public static readonly (double Lat, double Lng) AirportLot = (39.4983, -0.4816);
    public static readonly (double Lat, double Lng) AirportKerb = (39.4979, -0.4816);
    /// <summary>Geneva's airport (no other test drives in Geneva), whose fee (ADR 0037) rides to or from it within 1 km pay: $4.00 either way.</summary>
    public static readonly (double Lat, double Lng) GenevaAirport = (46.2381, 6.1090);

    /// <summary>
    /// How long before a reserved pickup its driver is reminded (ADR 0050; Reservations:RemindBefore, an hour in a real run):
    /// a ride booked for an hour from now (the rider's suggested time, to the minute) is reminded of one to two minutes
    /// after it was booked; the other tests' reserved rides are hours away, and released long before.
    /// </summary>
    public static readonly TimeSpan ReservedRideReminder = TimeSpan.FromMinutes(58);

    /// <summary>What one support account may waive alone (ADR 0053; 5000 = $50.00 in a real run): any fare is above it.</summary>
    public const long WaiverApprovalAboveMinor = 300;

    /// <summary>What a driver may owe from cash rides before they are offered none (ADR 0042; 5000 = $50.00 in a real run): one cash ride's platform part passes it.</summary>
    public const long CashOwedLimitMinor = 200;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Where the gateway's mail arrives: the AppHost's mail resource (a local SMTP server).</summary>
    public FakeMailbox Mailbox { get; private set; } = null!;

    /// <summary>The support desk's account, as the AppHost asks the gateway to make it.</summary>
    public string OperatorEmail => Resources.OperatorEmail;
    public string OperatorPassword { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public Uri WebUrl => App.GetEndpoint(Resources.Web);

    /// <summary>Screenshots of each step, kept as test artifacts.</summary>
    public string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "screenshots");

    public static string? SkipReason => File.Exists(ChromiumPath) ? null : $"{ChromiumPath} is missing: install Debian's chromium (scripts/test-all.sh does) to run browser tests.";

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is not null) return;
        Directory.CreateDirectory(ArtifactsDirectory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        // The web app as it ships (the container image's `next build` + `next start`; the AppHost builds it before
        // `npm run start`), not the dev server: every page is compiled before the first test, nothing recompiles or
        // hot-reloads under a loaded machine (a dev server once took over 60 s to serve a page it had just served), and a
        // build that does not compile fails here.
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(["--Testing:WebApps=true", "--Web:Script=start"], deadline.Token);
        Service(Resources.Trips).WithEnvironment("Trips__FreeCancellationWindow", FreeCancellationWindow.ToString("c"))
            .WithEnvironment("Trips__NoShowWait", NoShowWait.ToString("c"))
            .WithEnvironment("Trips__PinLockout", PinLockout.ToString("c"))
            .WithEnvironment("Safety__LongStopAfter", LongStopAfter.ToString("c"))
            .WithEnvironment("Reservations__RemindBefore", ReservedRideReminder.ToString("c"))
            // A rider's standing (ADR 0056) is judged over their last 3 rated trips from the 2nd on (500 and 20 in a real
            // run), a driver's (ADR 0055) the same (500 and 50): RatingStandingInTheBrowserTests' rider is rated three
            // times and its driver twice; every other test rates a rider or a driver once at most (RideInTheBrowserTests,
            // 5 stars each way: "not judged yet" still). The lines stay the product's.
            .WithEnvironment("Ratings__Window", "3").WithEnvironment("Ratings__MinimumRated", "2")
            .WithEnvironment("Ratings__Riders__Window", "3").WithEnvironment("Ratings__Riders__MinimumRated", "2")
            // A repeating ride's first ride (due at once: a day ahead) is booked within a second, not the minute.
            .WithEnvironment("RideSchedules__PollInterval", "00:00:01")
            // Above $3.00 a waiver needs a colleague's approval (ADR 0053; $50.00 in a real run): Aarhus's fare is above it.
            .WithEnvironment("Waivers__ApprovalAboveMinor", WaiverApprovalAboveMinor.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // A city priced in yen (economy only), far from the other tests' cities.
            .WithEnvironment("Pricing__Areas__0__Name", "yen-city").WithEnvironment("Pricing__Areas__0__Lat", "70").WithEnvironment("Pricing__Areas__0__Lng", "20")
            .WithEnvironment("Pricing__Areas__0__RadiusKm", "50").WithEnvironment("Pricing__Areas__0__Currency", "JPY")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__BaseMinor", "500").WithEnvironment("Pricing__Areas__0__Tariffs__economy__PerKmMinor", "300")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__PerMinuteMinor", "60").WithEnvironment("Pricing__Areas__0__Tariffs__economy__MinimumMinor", "800")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__BookingFeeMinor", "100")
            // Index 1: the trips service's own appsettings has BER's fee at 0.
            .WithEnvironment("Pricing__PlaceFees__1__Name", "GVA Airport fee")
            .WithEnvironment("Pricing__PlaceFees__1__Lat", Invariant(GenevaAirport.Lat)).WithEnvironment("Pricing__PlaceFees__1__Lng", Invariant(GenevaAirport.Lng))
            .WithEnvironment("Pricing__PlaceFees__1__RadiusKm", "1")
            .WithEnvironment("Pricing__PlaceFees__1__PickupMinor", "400").WithEnvironment("Pricing__PlaceFees__1__DropoffMinor", "400");
        // A person answers an offer in 15 s; a test on a loaded 2-core machine may take longer between seeing the offer and
        // pressing Accept (one did, after reloading another screen: the offer expired first). No browser test waits for an
        // offer to expire.
        Service(Resources.Drivers).WithEnvironment("Dispatch__OfflineAfterSilence", OfflineAfterSilence.ToString("c"))
            .WithEnvironment("Dispatch__OfferTimeout", OfferTimeout.ToString("c"))
            // Index 1: the drivers service's own appsettings has BER at 0.
            .WithEnvironment("Airports__AnnounceInterval", "00:00:00.500")
            .WithEnvironment("Airports__Queues__1__Id", "vlc").WithEnvironment("Airports__Queues__1__Name", "VLC Airport")
            .WithEnvironment("Airports__Queues__1__Lot__Lat", Invariant(AirportLot.Lat)).WithEnvironment("Airports__Queues__1__Lot__Lng", Invariant(AirportLot.Lng))
            .WithEnvironment("Airports__Queues__1__Lot__RadiusMeters", "300")
            .WithEnvironment("Airports__Queues__1__Pickup__Lat", Invariant(AirportTerminal.Lat)).WithEnvironment("Airports__Queues__1__Pickup__Lng", Invariant(AirportTerminal.Lng))
            .WithEnvironment("Airports__Queues__1__Pickup__RadiusMeters", "1050")
            .WithEnvironment("Airports__Queues__1__ShortTrip__MaxKm", "30");
        Service(Resources.Payments).WithEnvironment("PAYMENTS_OPERATOR_KEY", _operatorKey)
            .WithEnvironment("Payouts__CashOwedLimitMinor", CashOwedLimitMinor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The gateway's mail goes over SMTP to the AppHost's mail resource (as in a local run); tests read what it caught.
        var mail = _builder.Resources.OfType<MailPitResource>().Single();
        Mailbox = FakeMailbox.Of(() => mail.Mailbox ?? throw new InvalidOperationException("The mail resource has not started."));
        OperatorPassword = _builder.Resources.OfType<ParameterResource>().Single(p => p.Name == Resources.OperatorPassword).Value;
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Web, deadline.Token);
        await WarmUpAsync(deadline.Token);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Console.WriteLine($"Browser test screenshots: {ArtifactsDirectory}");
    }

    private readonly string _operatorKey = "op_" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// What the riders' and drivers' apps do over REST, through this stack's gateway: for rides a test needs behind it,
    /// where the browser adds nothing. The drivers it signs up are approved by the desk's operator.
    /// </summary>
    public PlatformClient Api() => new(App.GetEndpoint(Resources.Gateway), OperatorPassword);

    /// <summary>What a support script does for a rider: refunds part of a trip's payment through the API with the operator key.</summary>
    public async Task RefundAsync(string tripId, long amountMinor, string kind)
    {
        using var http = new HttpClient { BaseAddress = App.GetEndpoint(Resources.Gateway) };
        var signUp = await http.PostAsJsonAsync("/api/auth/signup", new
        {
            email = $"support-{Guid.NewGuid():N}@example.test", password = "correct horse battery staple", role = "rider", name = "Support desk",
        });
        signUp.EnsureSuccessStatusCode();
        var token = (await signUp.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["accessToken"]!.GetValue<string>();
        using var refund = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds")
        {
            Content = JsonContent.Create(new { amountMinor, kind, reason = "the route was longer than it should have been" }),
        };
        refund.Headers.Authorization = new("Bearer", token);
        refund.Headers.Add("x-operator-key", _operatorKey);
        var response = await http.SendAsync(refund);
        Assert.True(response.IsSuccessStatusCode, $"Refund answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private readonly SemaphoreSlim _operatorSignIn = new(1, 1);
    private (string Token, DateTimeOffset RenewAfter)? _operatorToken;

    /// <summary>
    /// What support does for a driver who sent their documents: finds the account by its email and approves it for
    /// <paramref name="classes"/>, through the gateway's REST API as the desk's operator.
    /// </summary>
    public async Task ApproveDriverAsync(string email, params string[] classes)
    {
        using var http = new HttpClient { BaseAddress = App.GetEndpoint(Resources.Gateway) };
        using var found = await AsOperatorAsync(http, HttpMethod.Get, $"/api/ops/users?email={Uri.EscapeDataString(email)}");
        Assert.True(found.IsSuccessStatusCode, $"Finding {email} answered {(int)found.StatusCode}: {await found.Content.ReadAsStringAsync()}");
        var userId = (await found.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["userId"]!.GetValue<string>();
        using var approved = await AsOperatorAsync(http, HttpMethod.Post, $"/api/ops/users/{userId}/driver-approval/approve", new { classes });
        Assert.True(approved.IsSuccessStatusCode, $"Approving {email} answered {(int)approved.StatusCode}: {await approved.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A colleague's own support account named <paramref name="name"/>, added by the desk's operator through the gateway's
    /// REST API (what "Add a colleague" on the desk does): its new email; it signs in with <see cref="People.SignUpPassword"/>.
    /// </summary>
    public async Task<string> AddColleagueAsync(string name)
    {
        var email = $"support-{Guid.NewGuid():N}@example.test";
        using var http = new HttpClient { BaseAddress = App.GetEndpoint(Resources.Gateway) };
        using var added = await AsOperatorAsync(http, HttpMethod.Post, "/api/ops/operators", new { email, password = People.SignUpPassword, name });
        Assert.True(added.IsSuccessStatusCode, $"Adding {name} answered {(int)added.StatusCode}: {await added.Content.ReadAsStringAsync()}");
        return email;
    }

    /// <summary>What the desk's "Suspend" does to the account <paramref name="userId"/> (a colleague's too), through the gateway's REST API.</summary>
    public async Task SuspendAsync(string userId, string reason)
    {
        using var http = new HttpClient { BaseAddress = App.GetEndpoint(Resources.Gateway) };
        using var suspended = await AsOperatorAsync(http, HttpMethod.Post, $"/api/ops/users/{userId}/suspend", new { reason });
        Assert.True(suspended.IsSuccessStatusCode, $"Suspending {userId} answered {(int)suspended.StatusCode}: {await suspended.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A request as the desk's operator. Its access token is kept while it lasts: the gateway allows 10 sign-ins of an
    /// account a minute, and a test signs up several drivers. A token refused anyway (401) is replaced once.
    /// </summary>
    private async Task<HttpResponseMessage> AsOperatorAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await OperatorTokenAsync(http, renew: attempt > 1);
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", token);
            var response = await http.SendAsync(request);
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || attempt > 1) return response;
            response.Dispose();
        }
    }

    private async Task<string> OperatorTokenAsync(HttpClient http, bool renew)
    {
        await _operatorSignIn.WaitAsync();
        try
        {
            if (!renew && _operatorToken is { } kept && kept.RenewAfter > DateTimeOffset.UtcNow) return kept.Token;
            using var signIn = await http.PostAsJsonAsync("/api/auth/signin", new { email = OperatorEmail, password = OperatorPassword });
            Assert.True(signIn.IsSuccessStatusCode, $"The operator's sign-in answered {(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}");
            var tokens = (await signIn.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
            var lifetime = TimeSpan.FromSeconds(tokens["expiresIn"]?.GetValue<int>() ?? 60);
            _operatorToken = (tokens["accessToken"]!.GetValue<string>(), DateTimeOffset.UtcNow + lifetime / 2);
            return _operatorToken.Value.Token;
        }
        finally
        {
            _operatorSignIn.Release();
        }
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private IResourceBuilder<ProjectResource> Service(string name) =>
        _builder!.CreateResourceBuilder(_builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    /// <summary>
    /// Every page and route handler answers once before the tests do (the API proxy 401 without a token, the checkout
    /// and connect proxies 404 for an unknown session or link), so the first test does not pay for the server's start.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromMinutes(3) };
        foreach (var page in new[] { "/", "/rider", "/driver", "/account", "/reset-password", "/unsubscribe", "/share/warm-up", "/ops", "/runtime-config", "/api/auth/me", "/checkout/warm-up", "/connect/warm-up" })
        {
            using var response = await http.GetAsync(page, ct);
            Console.WriteLine($"Warm-up GET {page}: {(int)response.StatusCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
        if (Mailbox is not null) await Mailbox.DisposeAsync();
        _operatorSignIn.Dispose();
    }
}
