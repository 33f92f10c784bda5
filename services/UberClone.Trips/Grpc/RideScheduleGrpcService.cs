using System.Globalization;
using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Schedules;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Schedules;
using static UberClone.Trips.Grpc.DomainErrors;
using DomainBooking = UberClone.Trips.Schedules.ScheduledBooking;
using DomainSchedule = UberClone.Trips.Schedules.RideSchedule;
using RideSchedule = UberClone.Contracts.Schedules.RideSchedule;
using ScheduledBooking = UberClone.Contracts.Schedules.ScheduledBooking;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of repeating rides (ADR 0043): a rider's own schedules only.</summary>
public sealed class RideScheduleGrpcService(RideSchedules schedules) : RideScheduleService.RideScheduleServiceBase
{
    public override async Task<RideScheduleList> ListRideSchedules(ListRideSchedulesRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var list = new RideScheduleList();
        foreach (var schedule in await schedules.OfRiderAsync(rider.UserId, context.CancellationToken))
        {
            list.Schedules.Add(await WithBookedPastEndAsync(schedule, context.CancellationToken));
        }
        return list;
    }

    public override async Task<RideScheduleList> ListRiderSchedules(ListRiderSchedulesRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var riderId = Validate.Id(request.RiderId, "riderId");
        var list = new RideScheduleList();
        list.Schedules.AddRange((await schedules.OfRiderAsync(riderId, context.CancellationToken)).Select(ToContract));
        return list;
    }

    public override async Task<RideSchedule> CreateRideSchedule(CreateRideScheduleRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var days = request.Days.Select(d => Enum.TryParse<DayOfWeek>(d, ignoreCase: true, out var day) && !int.TryParse(d, out _)
            ? day : throw Validate.Invalid($"days: '{d}' is not a weekday (monday … sunday).")).ToList();
        if (!TimeOnly.TryParseExact(request.PickupTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var pickupTime))
        {
            throw Validate.Invalid("pickupTime is required as HH:mm (e.g. 08:15).");
        }
        var pickup = Validate.Point(request.Pickup, "pickup");
        var dropoff = Validate.Point(request.Dropoff, "dropoff");
        if (!VehicleClasses.IsKnown(request.VehicleClass)) throw Validate.Invalid($"vehicleClass must be one of: {string.Join(", ", VehicleClasses.All)}.");
        var cardId = request.CardId.Length == 0 ? null : Validate.CardId(request.CardId);
        var note = Validate.PickupNote(request.PickupNote, "pickupNote");
        var profile = Validate.RideProfile(request.Profile, request.ExpenseMemo);
        var endsOn = EndsOn(request.EndsOn);
        try
        {
            var schedule = await Run(() => schedules.CreateAsync(rider.UserId, days, pickupTime, request.TimeZone, pickup, dropoff, request.PickupLabel,
                request.DropoffLabel, request.VehicleClass, cardId, note, request.WithPet, profile, request.WheelchairAccessible,
                context.CancellationToken, endsOn));
            return ToContract(schedule);
        }
        catch (RideScheduleInvalidException ex)
        {
            throw Validate.Invalid(ex.Message);
        }
    }

    public override async Task<RideSchedule> PauseRideSchedule(RideScheduleRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var id = Validate.Id(request.ScheduleId, "scheduleId");
        return ToContract(await Run(() => schedules.PauseAsync(rider.UserId, id, context.CancellationToken)));
    }

    public override async Task<RideSchedule> ResumeRideSchedule(RideScheduleRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var id = Validate.Id(request.ScheduleId, "scheduleId");
        return ToContract(await Run(() => schedules.ResumeAsync(rider.UserId, id, context.CancellationToken)));
    }

    public override async Task<RideSchedule> SkipRideSchedule(SkipRideScheduleRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var id = Validate.Id(request.ScheduleId, "scheduleId");
        if (!DateTimeOffset.TryParse(request.PickupAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var pickupAt))
        {
            throw Validate.Invalid("pickupAt is required: the next ride's pickup time as ISO 8601 (the schedule's nextPickupAt).");
        }
        return ToContract(await Run(() => schedules.SkipAsync(rider.UserId, id, pickupAt, context.CancellationToken)));
    }

    public override async Task<RideSchedule> SetRideScheduleEnd(SetRideScheduleEndRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var id = Validate.Id(request.ScheduleId, "scheduleId");
        var endsOn = EndsOn(request.EndsOn);
        try
        {
            return await WithBookedPastEndAsync(await Run(() => schedules.SetEndAsync(rider.UserId, id, endsOn, context.CancellationToken)), context.CancellationToken);
        }
        catch (RideScheduleInvalidException ex)
        {
            throw Validate.Invalid(ex.Message);
        }
    }

    /// <summary>yyyy-MM-dd, or empty for no end.</summary>
    private static DateOnly? EndsOn(string value) =>
        value.Length == 0 ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw Validate.Invalid($"endsOn must be a day as yyyy-MM-dd (e.g. 2026-12-19), or empty for no end; '{value}' is not.");

    public override async Task<DeleteRideScheduleResponse> DeleteRideSchedule(RideScheduleRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var id = Validate.Id(request.ScheduleId, "scheduleId");
        return await Run(async () =>
        {
            await schedules.DeleteAsync(rider.UserId, id, context.CancellationToken);
            return new DeleteRideScheduleResponse();
        });
    }

    /// <summary>The rider's own view: with the rides booked for after the schedule's end, which stay booked.</summary>
    private async Task<RideSchedule> WithBookedPastEndAsync(DomainSchedule s, CancellationToken ct)
    {
        var schedule = ToContract(s);
        schedule.BookedPastEnd.AddRange((await schedules.BookedPastEndAsync(s, ct)).Select(ToContract));
        return schedule;
    }

    private static ScheduledBooking ToContract(DomainBooking booking) => new()
    {
        PickupAt = booking.PickupAt.ToString("O"), TripId = booking.TripId ?? "", Refusal = booking.Refusal ?? "", At = booking.At.ToString("O"),
    };

    private static RideSchedule ToContract(DomainSchedule s)
    {
        var schedule = new RideSchedule
        {
            Id = s.Id,
            PickupTime = s.PickupTime.ToString("HH:mm", CultureInfo.InvariantCulture),
            TimeZone = s.TimeZone,
            Pickup = new LatLng { Lat = s.Pickup.Lat, Lng = s.Pickup.Lng },
            Dropoff = new LatLng { Lat = s.Dropoff.Lat, Lng = s.Dropoff.Lng },
            PickupLabel = s.PickupLabel ?? "",
            DropoffLabel = s.DropoffLabel ?? "",
            VehicleClass = s.VehicleClass,
            CardId = s.CardId ?? "",
            PickupNote = s.PickupNote ?? "",
            WithPet = s.WithPet,
            WheelchairAccessible = s.WheelchairAccessible,
            Paused = s.Paused,
            NextPickupAt = s.Paused || s.Ended ? "" : s.NextPickupAt.ToString("O"),
            BooksAt = s.Paused || s.Ended ? "" : s.BookAt.ToString("O"),
            EndsOn = s.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Ended = s.Ended,
            CreatedAt = s.CreatedAt.ToString("O"),
            Profile = s.Profile.Profile,
            ExpenseMemo = s.Profile.ExpenseMemo ?? "",
        };
        schedule.Days.AddRange(s.Days.Select(d => d.ToString().ToLowerInvariant()));
        if (s.LastBooking is { } last) schedule.LastBooking = ToContract(last);
        return schedule;
    }
}
