using Aspire.Hosting.MailPit;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using UberClone.Contracts;
using UberClone.Messaging;
using UberClone.Stack.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(UberClone.Stack.Lifecycle.Tests.Support.LifecycleStackFixture))]

namespace UberClone.Stack.Lifecycle.Tests.Support;

/// <summary>
/// The AppHost's real model on random ports, with dispatch and cancellation timers shortened through the services'
/// environment (Dispatch__*, Trips__*) so timeouts, searches that give up, the free cancellation window, silent drivers
/// going offline and rides booked for later play out in seconds.
/// </summary>
public sealed class LifecycleStackFixture : IAsyncLifetime
{
    public static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan FreeCancellationWindow = TimeSpan.FromSeconds(3);
    /// <summary>Longer than any test here keeps an available driver silent on purpose but one.</summary>
    public static readonly TimeSpan OfflineAfterSilence = TimeSpan.FromSeconds(45);
    public const long CancellationFeeMinor = 500;
    /// <summary>How long a shared trip's link still shows it after it ended.</summary>
    public static readonly TimeSpan SharedTripAfterEnd = TimeSpan.FromSeconds(3);
    /// <summary>Rides booked for later: at least this far ahead, dispatched this long before their pickup time.</summary>
    public static readonly TimeSpan MinScheduleAhead = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan ScheduledDispatchLead = TimeSpan.FromSeconds(4);
    /// <summary>Riders are reminded this long before a ride booked for later (booked at least twice as far ahead).</summary>
    public static readonly TimeSpan ReservationReminderLead = TimeSpan.FromSeconds(7);
    /// <summary>A driver who reserved a ride is reminded this long before its pickup (an hour in a real run; ADR 0050).</summary>
    public static readonly TimeSpan ReservedRideReminder = TimeSpan.FromSeconds(7);
    /// <summary>How long a driver waits at the pickup before reporting that the rider did not come.</summary>
    public static readonly TimeSpan NoShowWait = TimeSpan.FromSeconds(4);
    /// <summary>Waiting at the pickup is free this long after the driver arrived (2 minutes in a real run); longer than any other test waits there.</summary>
    public static readonly TimeSpan FreeWait = TimeSpan.FromSeconds(6);
    /// <summary>After five wrong PINs on a ride, no attempt is taken for this long after each (60 s in a real run; ADR 0044).</summary>
    public static readonly TimeSpan PinLockout = TimeSpan.FromSeconds(3);
    /// <summary>A city with prices of its own (yen, economy only), north of where Point.FreshCity puts other tests' cities.</summary>
    public static readonly Point YenCity = new(70.0, 20.0);
    public const long YenCancellationFee = 300;
    /// <summary>
    /// An airport's terminal (ADR 0036), north of every other test's city: its queue's lot is a circle of 300 m
    /// <see cref="AirportLotNorth"/> north of it, and the pickups it serves are within 1 km of it.
    /// </summary>
    public static readonly Point Airport = new(72.0, 40.0);
    public const double AirportLotNorth = 2_000;
    /// <summary>
    /// A trip from its queue at most this long earns a pass back to the old place, within <see cref="AirportReturnWithin"/>
    /// of completing it: short, so a test can see a pass lapse.
    /// </summary>
    public const double AirportShortTripKm = 5;
    public static readonly TimeSpan AirportReturnWithin = TimeSpan.FromSeconds(40);
    /// <summary>
    /// A place with a fee of its own (ADR 0037) for the default prices, north of every other test's city: rides picked up
    /// within 1 km of it pay <see cref="PlaceFeePickupMinor"/>, rides dropped off there <see cref="PlaceFeeDropoffMinor"/>.
    /// </summary>
    public static readonly Point FeePlace = new(74.0, 10.0);
    public const string PlaceFeeName = "TST Airport fee";
    public const long PlaceFeePickupMinor = 300;
    public const long PlaceFeeDropoffMinor = 500;
    /// <summary>How often drivers in a queue are told their place (2 s in a real run).</summary>
    public static readonly TimeSpan QueueAnnounceInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>How long an account whose owner asked to delete it is kept (30 days in a real run): long enough to sign in again on a loaded machine.</summary>
    public static readonly TimeSpan DeletionGrace = TimeSpan.FromSeconds(15);
    /// <summary>RideCheck (ADR 0033): a ride standing still this long asks "Is everything OK?" (4 minutes in a real run) ...</summary>
    public static readonly TimeSpan LongStopAfter = TimeSpan.FromSeconds(5);
    /// <summary>... and support is told when nobody answered this long after (5 minutes in a real run).</summary>
    public static readonly TimeSpan SafetyUnansweredAfter = TimeSpan.FromSeconds(4);
    /// <summary>A lost item the driver has not answered this long after it was reported goes to support (24 hours in a real run).</summary>
    public static readonly TimeSpan LostItemAnswerWithin = TimeSpan.FromSeconds(4);
    /// <summary>A rider who owes money on a trip is reminded this long after its payment first failed (1, 3 and 7 days in a real run; ADR 0039).</summary>
    /// <summary>A week: a schedule of one weekday has its next ride booked at once, and the one after a week later.</summary>
    public static readonly TimeSpan RideSchedulesBookAhead = TimeSpan.FromDays(7);
    /// <summary>What a driver may owe from cash rides before they are offered none (ADR 0042; 5000 = 50.00 in a real run): about two rides' platform part.</summary>
    public const long CashOwedLimitMinor = 500;
    public static readonly TimeSpan[] UnpaidReminders = [TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(12)];
    /// <summary>What an operator presents to refund (payments' PAYMENTS_OPERATOR_KEY).</summary>
    public string OperatorKey { get; } = "op_" + Guid.NewGuid().ToString("N");

    /// <summary>The support desk account's password (the AppHost's operator-password parameter; its email is Resources.OperatorEmail).</summary>
    public string OperatorPassword { get; private set; } = "";

    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Where the gateway's mail arrives: the AppHost's mail resource (a local SMTP server).</summary>
    public FakeMailbox Mailbox { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(deadline.Token);
        Service(Resources.Drivers)
            .WithEnvironment("Dispatch__OfferTimeout", OfferTimeout.ToString("c"))
            .WithEnvironment("Dispatch__SearchTimeout", SearchTimeout.ToString("c"))
            .WithEnvironment("Dispatch__RetryInterval", "00:00:00.500")
            .WithEnvironment("Dispatch__SweepInterval", "00:00:00.250")
            .WithEnvironment("Dispatch__OfflineAfterSilence", OfflineAfterSilence.ToString("c"))
            // Index 1: the drivers service's own appsettings has BER at 0.
            .WithEnvironment("Airports__AnnounceInterval", QueueAnnounceInterval.ToString("c"))
            .WithEnvironment("Airports__Queues__1__Id", "tst")
            .WithEnvironment("Airports__Queues__1__Name", "TST Airport")
            .WithEnvironment("Airports__Queues__1__Lot__Lat", Airport.Offset(AirportLotNorth, 0).Lat.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Airports__Queues__1__Lot__Lng", Airport.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Airports__Queues__1__Lot__RadiusMeters", "300")
            .WithEnvironment("Airports__Queues__1__Pickup__Lat", Airport.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Airports__Queues__1__Pickup__Lng", Airport.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Airports__Queues__1__Pickup__RadiusMeters", "1000")
            .WithEnvironment("Airports__Queues__1__ShortTrip__MaxKm", AirportShortTripKm.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Airports__Queues__1__ShortTrip__ReturnWithin", AirportReturnWithin.ToString("c"));
        Service(Resources.Trips)
            // A driver's standing (ADR 0055) is judged over their last 3 rated trips from the 2nd on (500 and 50 in a real
            // run): RatingStandingTests' driver is rated three times; every other test rates a driver once at most. A
            // rider's (ADR 0056) the same (500 and 20): RatingStandingTests' rider is rated three times, every other once at most.
            .WithEnvironment("Ratings__Window", "3").WithEnvironment("Ratings__MinimumRated", "2")
            .WithEnvironment("Ratings__Riders__Window", "3").WithEnvironment("Ratings__Riders__MinimumRated", "2")
            .WithEnvironment("Trips__FreeCancellationWindow", FreeCancellationWindow.ToString("c"))
            .WithEnvironment("Trips__CancellationFeeMinor", CancellationFeeMinor.ToString())
            .WithEnvironment("Trips__SharedTripAfterEnd", SharedTripAfterEnd.ToString("c"))
            .WithEnvironment("Trips__MinScheduleAhead", MinScheduleAhead.ToString("c"))
            .WithEnvironment("Trips__ScheduledDispatchLead", ScheduledDispatchLead.ToString("c"))
            .WithEnvironment("Trips__ReservationReminderLead", ReservationReminderLead.ToString("c"))
            .WithEnvironment("Trips__ReservationPollInterval", "00:00:00.500")
            .WithEnvironment("Reservations__RemindBefore", ReservedRideReminder.ToString("c"))
            .WithEnvironment("Trips__NoShowWait", NoShowWait.ToString("c"))
            .WithEnvironment("Trips__FreeWait", FreeWait.ToString("c"))
            .WithEnvironment("Trips__PinLockout", PinLockout.ToString("c"))
            .WithEnvironment("Safety__LongStopAfter", LongStopAfter.ToString("c"))
            .WithEnvironment("Safety__UnansweredAfter", SafetyUnansweredAfter.ToString("c"))
            .WithEnvironment("Safety__PollInterval", "00:00:00.500")
            .WithEnvironment("LostItems__DriverAnswerWithin", LostItemAnswerWithin.ToString("c"))
            .WithEnvironment("LostItems__PollInterval", "00:00:00.500")
            .WithEnvironment("UnpaidReminders__After", string.Join(",", UnpaidReminders.Select(t => t.ToString("c"))))
            .WithEnvironment("UnpaidReminders__PollInterval", "00:00:00.500")
            .WithEnvironment("RideSchedules__BookAhead", RideSchedulesBookAhead.ToString("c"))
            .WithEnvironment("RideSchedules__PollInterval", "00:00:00.500")
            // Index 1: the trips service's own appsettings has BER's fee at 0.
            .WithEnvironment("Pricing__PlaceFees__1__Name", PlaceFeeName)
            .WithEnvironment("Pricing__PlaceFees__1__Lat", FeePlace.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Pricing__PlaceFees__1__Lng", FeePlace.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Pricing__PlaceFees__1__RadiusKm", "1")
            .WithEnvironment("Pricing__PlaceFees__1__PickupMinor", PlaceFeePickupMinor.ToString())
            .WithEnvironment("Pricing__PlaceFees__1__DropoffMinor", PlaceFeeDropoffMinor.ToString())
            .WithEnvironment("Pricing__Areas__0__Name", "yen-city")
            .WithEnvironment("Pricing__Areas__0__Lat", YenCity.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Pricing__Areas__0__Lng", YenCity.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Pricing__Areas__0__RadiusKm", "50")
            .WithEnvironment("Pricing__Areas__0__Currency", "JPY")
            .WithEnvironment("Pricing__Areas__0__CancellationFeeMinor", YenCancellationFee.ToString())
            .WithEnvironment("Pricing__Areas__0__EmergencyNumber", "110")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__BaseMinor", "500")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__PerKmMinor", "300")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__PerMinuteMinor", "60")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__MinimumMinor", "800")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__BookingFeeMinor", "100")
            .WithEnvironment("Pricing__Areas__0__Tariffs__economy__WaitPerMinuteMinor", "40");
        Service(Resources.Payments).WithEnvironment("PAYMENTS_OPERATOR_KEY", OperatorKey)
            .WithEnvironment("Payouts__CashOwedLimitMinor", CashOwedLimitMinor.ToString());
        Service(Resources.Gateway)
            .WithEnvironment("Accounts__DeletionGrace", DeletionGrace.ToString("c"))
            .WithEnvironment("Accounts__ErasurePoll", "00:00:00.500");
        // The gateway's mail goes over SMTP to the AppHost's mail resource (as in a local run); tests read what it caught.
        var mail = _builder.Resources.OfType<MailPitResource>().Single();
        Mailbox = FakeMailbox.Of(() => mail.Mailbox ?? throw new InvalidOperationException("The mail resource has not started."));
        OperatorPassword = _builder.Resources.OfType<ParameterResource>().Single(p => p.Name == Resources.OperatorPassword).Value;
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Gateway, deadline.Token);
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = await App.GetConnectionStringAsync(Resources.Kafka, deadline.Token), Acks = Acks.All, EnableIdempotence = true,
        }).Build();
    }

    private IProducer<string, byte[]>? _producer;

    /// <summary>
    /// Publishes <paramref name="data"/> on <paramref name="topic"/> as its publisher would, under a new message id: what
    /// a publisher that wrote its outbox message again (a crash before marking it sent) delivers, which the consumers'
    /// processed-id records do not catch, so only the handlers' own guards keep it from counting twice.
    /// </summary>
    public async Task RedeliverAsync<T>(string topic, string key, T data) where T : notnull
    {
        var message = OutboxMessages.Create(topic, key, data);
        var headers = new Headers { { "message-id", Encoding.UTF8.GetBytes(message.Id) }, { "type", Encoding.UTF8.GetBytes(message.Type) } };
        await _producer!.ProduceAsync(message.Topic, new Message<string, byte[]> { Key = message.Key, Value = Encoding.UTF8.GetBytes(message.Value), Headers = headers });
    }

    private IResourceBuilder<ProjectResource> Service(string name) =>
        _builder!.CreateResourceBuilder(_builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    public PlatformClient Client() => new(App.GetEndpoint(Resources.Gateway), OperatorPassword);

    private Task<UserSession>? _support;

    /// <summary>
    /// The support desk signed in, once for every test of the run: a dozen tests each signing in went past the gateway's
    /// ten sign-ins per account a minute, and one waited out its retries on 429s (the run's access tokens outlive it).
    /// </summary>
    public Task<UserSession> SupportAsync()
    {
        lock (this) return _support ??= SignInSupportAsync();
    }

    /// <summary>The gateway makes the desk's account just after it starts: retried, past a sign-in window if need be.</summary>
    private async Task<UserSession> SignInSupportAsync()
    {
        var client = Client();
        var body = await Http.EventuallyAsync(async () =>
        {
            using var response = await client.Http.PostAsJsonAsync("/api/auth/signin", new { email = Resources.OperatorEmail, password = OperatorPassword });
            return response.IsSuccessStatusCode ? await PlatformClient.ReadAsync(response) : new System.Text.Json.Nodes.JsonObject();
        }, b => b["accessToken"] is not null, TimeSpan.FromSeconds(70));
        return new UserSession(client, body.Str("userId"), body.Str("role"), body.Str("accessToken"));
    }

    public async ValueTask DisposeAsync()
    {
        _producer?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
        if (Mailbox is not null) await Mailbox.DisposeAsync();
    }
}
