using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Storage.Retention;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.IntegrationEvents.EventHandling;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A refusal that says more than its message carries a google.rpc.ErrorInfo (a bank asking the rider to authenticate,
        // ADR 0028); transcoding writes it into the JSON error only if it knows the type.
        builder.Services.AddGrpc().AddJsonTranscoding(o => o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor));
        builder.Services.AddOptions<PricingOptions>().Bind(builder.Configuration.GetSection("Pricing"))
            .Validate(o => o.QuoteRetention > TimeSpan.Zero, "Pricing:QuoteRetention must be positive.").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PricingOptions>, PricingAreasValidation>();
        builder.Services.AddOptions<TripRules>().Bind(builder.Configuration.GetSection("Trips"))
            .Validate(r => r.ServiceFeePercent is >= 0 and <= 100, "Trips:ServiceFeePercent must be from 0 to 100.")
            .Validate(r => r.MaxTipMinor >= 1, "Trips:MaxTipMinor must be at least 1.")
            .Validate(r => r.TipWindow >= TimeSpan.Zero, "Trips:TipWindow must not be negative (00:00:00 allows tips before paying only).")
            .Validate(r => r.MinScheduleAhead > r.ScheduledDispatchLead && r.ScheduledDispatchLead >= TimeSpan.Zero && r.MaxScheduleAhead > r.MinScheduleAhead,
                "Trips:MinScheduleAhead must be longer than Trips:ScheduledDispatchLead (not negative), and Trips:MaxScheduleAhead longer than both.")
            .Validate(r => r.ReservationReminderLead == TimeSpan.Zero || r.ReservationReminderLead > r.ScheduledDispatchLead,
                "Trips:ReservationReminderLead must be longer than Trips:ScheduledDispatchLead (a reminder comes before the search), or 00:00:00 for none.")
            .Validate(r => r.FreeWait >= TimeSpan.Zero, "Trips:FreeWait must not be negative.")
            .Validate(r => r.WheelchairExtraFreeWait >= TimeSpan.Zero, "Trips:WheelchairExtraFreeWait must not be negative.")
            .Validate(r => r.MaxScheduledRides >= 1, "Trips:MaxScheduledRides must be at least 1.")
            .Validate(r => r.PinLockout > TimeSpan.Zero, "Trips:PinLockout must be positive (ADR 0044: wrong PINs cannot be tried without end).")
            .Validate(r => r.SharedTripAfterEnd >= TimeSpan.Zero && r.SharedTripAfterEnd <= TripShareLink.LongestAfterEnd,
                $"Trips:SharedTripAfterEnd must be from 00:00:00 to {TripShareLink.LongestAfterEnd:c}.").ValidateOnStart();
        builder.Services.AddOptions<ReservationRules>().Bind(builder.Configuration.GetSection("Reservations"))
            .Validate(r => r.RadiusMeters > 0 && r.MaxPerDriver >= 1 && r.MinGap >= TimeSpan.Zero && r.ReleaseUntil >= TimeSpan.Zero && r.RemindBefore >= TimeSpan.Zero
                    && r.LateReleaseWindow >= TimeSpan.Zero && r.MaxStrikes >= 1 && r.StrikeWindow > TimeSpan.Zero && r.StrikePause >= TimeSpan.Zero,
                "Reservations:RadiusMeters must be positive, Reservations:MaxPerDriver and Reservations:MaxStrikes at least 1, Reservations:StrikeWindow positive, "
                + "Reservations:MinGap, Reservations:ReleaseUntil, Reservations:RemindBefore, Reservations:LateReleaseWindow and Reservations:StrikePause not negative.")
            .ValidateOnStart();
        builder.Services.AddOptions<SafetyRules>().Bind(builder.Configuration.GetSection("Safety"))
            .Validate(r => r.LongStopAfter > TimeSpan.Zero && r.UnansweredAfter > TimeSpan.Zero && r.PollInterval > TimeSpan.Zero && r.SilentAfter > TimeSpan.Zero,
                "Safety:LongStopAfter, Safety:SilentAfter, Safety:UnansweredAfter and Safety:PollInterval must be positive.")
            // Less than the course's own step would ask on GPS wander.
            .Validate(r => r.DetourMeters >= 500, "Safety:DetourMeters must be at least 500 (metres).")
            // A standing car's phone is kept as heard once a minute: a shorter silence would ask about phones that work.
            .Validate(r => r.SilentAfter >= 2 * SafetyRules.HeardEvery, $"Safety:SilentAfter must be at least {2 * SafetyRules.HeardEvery:c}.")
            .Validate(r => r.AtStopAllowance >= TimeSpan.Zero, "Safety:AtStopAllowance must not be negative.")
            .Validate(r => r.MaxPerTrip >= 0, "Safety:MaxPerTrip must not be negative (0 turns RideCheck off).").ValidateOnStart();
        builder.Services.AddOptions<LostItemRules>().Bind(builder.Configuration.GetSection("LostItems"))
            .Validate(r => r.DriverAnswerWithin > TimeSpan.Zero && r.PollInterval > TimeSpan.Zero, "LostItems:DriverAnswerWithin and LostItems:PollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<UnpaidReminderRules>().Bind(builder.Configuration.GetSection("UnpaidReminders"))
            .Validate(r => UnpaidReminderRules.Parse(r.After) is not null,
                $"UnpaidReminders:After must list up to {UnpaidReminderRules.MaxReminders} positive times (d.hh:mm:ss), comma-separated and increasing, or be empty for none.")
            .Validate(r => r.PollInterval > TimeSpan.Zero, "UnpaidReminders:PollInterval must be positive.").ValidateOnStart();
        builder.Services.AddOptions<RatingRules>().Bind(builder.Configuration.GetSection("Ratings"))
            .Validate(r => r.IsValid, "Ratings:Window and Ratings:MinimumRated must be at least 1 (the minimum at most the window), Ratings:WarnBelow and "
                + "Ratings:DeactivateBelow from 1 to 5 (DeactivateBelow at most WarnBelow).").ValidateOnStart();
        builder.Services.AddOptions<RiderRatingRules>().Bind(builder.Configuration.GetSection("Ratings:Riders"))
            .Validate(r => r.IsValid, "Ratings:Riders:Window and Ratings:Riders:MinimumRated must be at least 1 (the minimum at most the window), "
                + "Ratings:Riders:WarnBelow and Ratings:Riders:RestrictBelow from 1 to 5 (RestrictBelow at most WarnBelow).").ValidateOnStart();
        builder.Services.AddOptions<WaiverRules>().Bind(builder.Configuration.GetSection("Waivers"))
            .Validate(r => r.ApprovalAboveMinor >= 0, "Waivers:ApprovalAboveMinor must not be negative (0: every waiver needs a colleague's approval).")
            .Validate(r => r.ApprovalAbove.Values.All(limit => limit >= 0), "Waivers:ApprovalAbove:{CURRENCY} must not be negative (0: every waiver in that currency needs a colleague's approval).")
            .Validate(r => r.RequestLapse > TimeSpan.Zero, "Waivers:RequestLapse must be positive.").ValidateOnStart();
        builder.Services.AddOptions<RideScheduleRules>().Bind(builder.Configuration.GetSection("RideSchedules"))
            .Validate(r => r.PollInterval > TimeSpan.Zero, "RideSchedules:PollInterval must be positive.")
            .Validate(r => r.MaxPerRider >= 1, "RideSchedules:MaxPerRider must be at least 1.").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RideScheduleRules>, RideScheduleRulesValidation>();
        builder.Services.AddOptions<ReferralOptions>().Bind(builder.Configuration.GetSection("Promotions:Referral")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReferralOptions>, ReferralOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TripsMetrics>();
        builder.Services.AddHttpClient<RouteService>();
        builder.Services.AddSingleton(sp => new DemandSupplyWindow(sp.GetRequiredService<IOptions<PricingOptions>>().Value.Surge));
        builder.Services.AddSingleton<TripRepository>();
        builder.Services.AddSingleton<Ratings>();
        builder.Services.AddGrpcClient<UberClone.Contracts.Payments.PaymentService.PaymentServiceClient>(
            o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Payments}"));
        builder.Services.AddSingleton<IFareHolds, Payments.PaymentsFareHolds>();
        // The listing of rides to reserve reads where a driver is and what their car takes (ADR 0047).
        builder.Services.AddGrpcClient<UberClone.Contracts.Drivers.DriverService.DriverServiceClient>(
            o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Drivers}"));
        builder.Services.AddSingleton<IDriverLookup, Drivers.DriversServiceLookup>();
        builder.Services.AddScoped<DriverReservations>();
        builder.Services.AddScoped<TripsApplication>();
        builder.Services.AddScoped<HelpDesk>();
        builder.Services.AddScoped<PromotionDesk>();
        builder.Services.AddScoped<QuestDesk>();
        builder.Services.AddScoped<RideCheck>();
        builder.Services.AddScoped<SilentPhones>();
        builder.Services.AddScoped<LostItems>();
        builder.Services.AddScoped<UnpaidTrips>();
        builder.Services.AddScoped<SplitFares>();
        builder.Services.AddScoped<RideSchedules>();
        builder.Services.AddHostedService<ReservationDispatcher>();
        builder.Services.AddHostedService<SafetyCheckAlerts>();
        builder.Services.AddHostedService<LostItemAlerts>();
        builder.Services.AddHostedService<UnpaidReminderPoller>();
        builder.Services.AddHostedService<RideScheduleBooker>();
        builder.Services.AddHostedService<QuestIndexing>();

        builder.AddDocumentDatabase(Resources.TripsDb);
        builder.AddMessaging();
        builder.AddOutboxRelay();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<TripRepository>().Quotes, "quotes", Quote.ExpiresAtField, sp.GetRequiredService<IOptions<PricingOptions>>().Value.QuoteRetention));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<TripRepository>().TripShares, "trip_shares", TripShareLink.CreatedAtField, TripShareLink.KeptFor));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<TripRepository>().TripMessages, "trip_messages", TripMessage.AtField, TripMessage.KeptFor));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<TripRepository>().HelpRequests, "help_requests", HelpRequest.ClosedAtField, HelpRequest.KeptAfterClosing));
        builder.AddMessageHandler<DriverTripAcceptCommand, DriverTripAcceptCommandHandler>(Topics.DriverTripAccept);
        builder.AddMessageHandler<TripNoDriversFoundIntegrationEvent, TripNoDriversFoundHandler>(Topics.TripNoDriversFound);
        builder.AddMessageHandler<DriverLocationsUpdatedIntegrationEvent, DriverLocationsUpdatedHandler>(Topics.DriverLocationsUpdated, idempotent: false);
        builder.AddMessageHandler<PaymentSucceededIntegrationEvent, PaymentSucceededHandler>(Topics.PaymentSucceeded);
        builder.AddMessageHandler<PaymentFailedIntegrationEvent, PaymentFailedHandler>(Topics.PaymentFailed);
        builder.AddMessageHandler<PaymentRefundedIntegrationEvent, PaymentRefundedHandler>(Topics.PaymentRefunded);
        builder.AddMessageHandler<PaymentSplitShareChargedIntegrationEvent, PaymentSplitShareChargedHandler>(Topics.PaymentSplitShareCharged);
        // Versioned (an older answer changes nothing): no processed-id bookkeeping.
        builder.AddMessageHandler<PaymentHoldChangedIntegrationEvent, PaymentHoldChangedHandler>(Topics.PaymentHoldChanged, idempotent: false);
        builder.AddMessageHandler<TripRatedIntegrationEvent, TripRatedHandler>(Topics.TripRated);
        builder.AddMessageHandler<DriverApprovalChangedIntegrationEvent, DriverReinstatedHandler>(Topics.AccountDriverApproval);
        builder.AddMessageHandler<TripCancelledIntegrationEvent, PromotionReleaseHandler>(Topics.TripCancelled);
        builder.AddMessageHandler<TripReservationReleasedIntegrationEvent, LateReleaseStrikeHandler>(Topics.TripReservationReleased);
        builder.Services.AddScoped<ReferralRewardHandler>();
        builder.Services.AddScoped<QuestCompletionHandler>();
        builder.AddMessageHandler<TripCompletedIntegrationEvent, TripCompletedHandler>(Topics.TripCompleted);
        builder.AddMessageHandler<TripDriverCancelledIntegrationEvent, DriverGaveUpHandler>(Topics.TripDriverCancelled);
        builder.AddMessageHandler<AccountDeletedIntegrationEvent, AccountDeletedHandler>(Topics.AccountDeleted);
        builder.AddMessageHandler<AccountClosingIntegrationEvent, AccountClosingHandler>(Topics.AccountClosing);
        builder.AddSurgeFeed();
        return builder;
    }

    /// <summary>Surge demand and supply from every trip and driver event, read by each replica (see <see cref="SurgeFeed"/>).</summary>
    private static void AddSurgeFeed(this IHostApplicationBuilder builder)
    {
        var surge = builder.Configuration.GetSection("Pricing:Surge").Get<SurgeOptions>() ?? new SurgeOptions();
        surge.Validate();
        var window = surge.Window;
        builder.AddInstanceMessageHandler<TripCreatedIntegrationEvent, SurgeFeed>(Topics.TripCreated, window);
        builder.AddInstanceMessageHandler<TripDriverAssignedIntegrationEvent, SurgeFeed>(Topics.TripDriverAssigned, window);
        builder.AddInstanceMessageHandler<TripCancelledIntegrationEvent, SurgeFeed>(Topics.TripCancelled, window);
        builder.AddInstanceMessageHandler<TripNoDriversFoundIntegrationEvent, SurgeFeed>(Topics.TripNoDriversFound, window);
        builder.AddInstanceMessageHandler<TripDriverCancelledIntegrationEvent, SurgeFeed>(Topics.TripDriverCancelled, window);
        builder.AddInstanceMessageHandler<DriverSupplyReportedIntegrationEvent, SurgeFeed>(Topics.DriverSupply, window);
    }
}
