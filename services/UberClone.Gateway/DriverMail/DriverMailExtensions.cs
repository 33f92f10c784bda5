using UberClone.Messaging;
namespace UberClone.Gateway.DriverMail;

public static class DriverMailExtensions
{
    /// <summary>Drivers' weekly earnings statements: the sender, its Monday job, and how long dealt-with weeks are remembered.</summary>
    public static IHostApplicationBuilder AddDriverMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DriverStatements>();
        builder.Services.AddHostedService<WeeklyStatementJob>();
        builder.Services.AddRetention(builder.Configuration, sp => sp.GetRequiredService<DriverStatements>().RetentionRule());
        return builder;
    }

    /// <summary>Payout notices (ADR 0025; a bank's refusal too), quest bonuses (ADR 0038), reserved rides' reminders, drivers excused from one and strikes support removed (ADR 0050), in the mail group every replica shares (one replica mails each); after messaging.</summary>
    public static IHostApplicationBuilder AddPayoutMail(this IHostApplicationBuilder builder)
    {
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.PayoutPaidIntegrationEvent, PayoutPaidMailHandler>(Contracts.Topics.PayoutPaid, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.PayoutFailedIntegrationEvent, PayoutFailedMailHandler>(Contracts.Topics.PayoutFailed, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.PayoutBankRefusedIntegrationEvent, PayoutBankRefusedMailHandler>(Contracts.Topics.PayoutBankRefused, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.QuestBonusEarnedIntegrationEvent, QuestBonusMailHandler>(Contracts.Topics.QuestBonusEarned, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.TripReservationDriverReminderIntegrationEvent, ReservedRideReminderMailHandler>(
            Contracts.Topics.TripReservationDriverReminder, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.TripReservationStrikeRemovedIntegrationEvent, ReservationStrikeRemovedMailHandler>(
            Contracts.Topics.TripReservationStrikeRemoved, RiderMail.RiderMailHandlers.Group);
        builder.AddGroupMessageHandler<Contracts.IntegrationEvents.TripReservationReleasedIntegrationEvent, ReservationExcusedMailHandler>(
            Contracts.Topics.TripReservationReleased, RiderMail.RiderMailHandlers.Group);
        return builder;
    }
}
