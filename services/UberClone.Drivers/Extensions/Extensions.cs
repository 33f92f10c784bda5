using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.IntegrationEvents.EventHandling;
using Microsoft.Extensions.Options;
using UberClone.Storage.Retention;

namespace UberClone.Drivers.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc().AddJsonTranscoding();
        builder.Services.Configure<DispatchOptions>(builder.Configuration.GetSection("Dispatch"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<AirportOptions>(builder.Configuration.GetSection("Airports"));
        var airports = builder.Configuration.GetSection("Airports").Get<AirportOptions>() ?? new AirportOptions();
        airports.Validate();
        builder.Services.AddSingleton(sp => new AirportQueues(sp.GetRequiredService<IOptions<AirportOptions>>().Value.Queues));
        builder.Services.AddHostedService<AirportQueueAnnouncer>();
        builder.Services.AddSingleton<DriverRepository>();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(sp.GetRequiredService<DriverRepository>().Dispatches,
            "dispatches", TripDispatch.ClosedStartedAtField, sp.GetRequiredService<IOptions<DispatchOptions>>().Value.ClosedSearchRetention));
        builder.Services.AddSingleton<DriverPresencePublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriverPresencePublisher>());
        builder.Services.AddSingleton<DriverPositionPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriverPositionPublisher>());
        builder.Services.AddSingleton<DriverLocationPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriverLocationPublisher>());
        builder.Services.AddSingleton<DriverSupplyPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriverSupplyPublisher>());
        builder.Services.AddSingleton<WaitingSearches>();
        builder.Services.AddSingleton(sp => new DriverRegistry(
            sp.GetRequiredService<DriverPresencePublisher>().Announce, sp.GetRequiredService<DriverPositionPublisher>().Announce,
            sp.GetRequiredService<DriverSupplyPublisher>().Announce,
            WakeSearchesNear(sp.GetRequiredService<WaitingSearches>())));
        builder.Services.AddSingleton<DriversMetrics>();
        builder.Services.AddSingleton<KeyedLock>();
        builder.Services.AddSingleton<Dispatcher>();
        builder.Services.AddSingleton<StoredPositionWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoredPositionWriter>());
        builder.Services.AddScoped<DriversApplication>();
        builder.Services.AddHostedService<DriverRegistryLoader>();
        builder.Services.AddHostedService<DispatchSweeper>();
        builder.Services.AddHostedService<SearchWaker>();
        builder.Services.AddHostedService<SilentDriverSweeper>();
        builder.Services.AddHostedService<DrivingLimitSweeper>();

        builder.AddDocumentDatabase(Resources.DriversDb);
        builder.AddMessaging();
        builder.AddOutboxRelay();
        builder.AddMessageHandler<TripCreatedIntegrationEvent, TripCreatedIntegrationEventHandler>(Topics.TripCreated);
        builder.AddMessageHandler<TripCancelledIntegrationEvent, TripCancelledIntegrationEventHandler>(Topics.TripCancelled);
        builder.AddMessageHandler<TripDriverCancelledIntegrationEvent, TripDriverCancelledIntegrationEventHandler>(Topics.TripDriverCancelled);
        builder.AddMessageHandler<TripStartedIntegrationEvent, TripStartedIntegrationEventHandler>(Topics.TripStarted);
        builder.AddMessageHandler<TripCompletedIntegrationEvent, TripCompletedIntegrationEventHandler>(Topics.TripCompleted);
        builder.AddMessageHandler<TripDestinationChangedIntegrationEvent, TripDestinationChangedIntegrationEventHandler>(Topics.TripDestinationChanged);
        builder.AddMessageHandler<TripPickupMovedIntegrationEvent, TripPickupMovedIntegrationEventHandler>(Topics.TripPickupMoved);
        builder.AddMessageHandler<TripPickupNoteChangedIntegrationEvent, TripPickupNoteChangedIntegrationEventHandler>(Topics.TripPickupNoteChanged);
        builder.AddMessageHandler<TripPreferencesChangedIntegrationEvent, TripPreferencesChangedIntegrationEventHandler>(Topics.TripPreferencesChanged);
        builder.AddMessageHandler<TripStopReachedIntegrationEvent, TripStopReachedIntegrationEventHandler>(Topics.TripStopReached);
        builder.AddMessageHandler<DriverTripDeclineCommand, DriverTripDeclineCommandHandler>(Topics.DriverTripDecline);
        builder.AddMessageHandler<AccountSuspendedIntegrationEvent, AccountSuspendedIntegrationEventHandler>(Topics.AccountSuspended);
        builder.AddMessageHandler<DriverApprovalChangedIntegrationEvent, DriverApprovalChangedIntegrationEventHandler>(Topics.AccountDriverApproval);
        builder.AddMessageHandler<AccountDeletedIntegrationEvent, AccountDeletedIntegrationEventHandler>(Topics.AccountDeleted);
        builder.AddMessageHandler<AccountClosingIntegrationEvent, AccountClosingIntegrationEventHandler>(Topics.AccountClosing);
        builder.AddMessageHandler<DriverCashLimitIntegrationEvent, DriverCashLimitIntegrationEventHandler>(Topics.PaymentDriverCashLimit);
        // Every replica's view holds every driver; a replica that starts first re-reads the positions still fresh.
        // Its own announcements are skipped: it kept them before announcing them (DriverRegistry).
        var dispatch = builder.Configuration.GetSection("Dispatch").Get<DispatchOptions>() ?? new DispatchOptions();
        dispatch.Validate();
        builder.AddInstanceMessageHandler<Driver, DriverPresenceHandler>(Topics.DriverPresence, dispatch.LocationFreshness, skipOwn: true);
        builder.AddInstanceMessageHandler<DriverFixBatch, DriverPositionsHandler>(Topics.DriverPositions, dispatch.LocationFreshness, skipOwn: true);
        return builder;
    }

    /// <summary>A driver who became available wakes a search waiting near them (run by <see cref="SearchWaker"/>).</summary>
    public static Action<Driver, GeoPoint> WakeSearchesNear(WaitingSearches waiting) =>
        (driver, location) => waiting.DriverAvailable(driver.Id, driver.VehicleClass, location, driver.Takes);
}
