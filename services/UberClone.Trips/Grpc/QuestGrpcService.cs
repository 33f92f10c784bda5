using Grpc.Core;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Quests;
using UberClone.Trips.Application;
using DomainQuest = UberClone.Trips.Quests.Quest;
using DomainQuestArea = UberClone.Trips.Quests.QuestArea;
using QuestNotFoundException = UberClone.Trips.Quests.QuestNotFoundException;
using QuestRuleException = UberClone.Trips.Quests.QuestRuleException;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of driver quests (ADR 0038): support creates, lists and ends them; drivers read theirs.</summary>
public sealed class QuestGrpcService(QuestDesk quests, TimeProvider clock) : QuestService.QuestServiceBase
{
    public override async Task<DriverQuestList> ListMyQuests(ListMyQuestsRequest request, ServerCallContext context)
    {
        var driver = Caller.From(context).RequireRole(Roles.Driver);
        if (request.HasLat != request.HasLng) throw Validate.Invalid("lat and lng go together: where the driver is, or neither.");
        var near = request.HasLat ? Validate.Point(new UberClone.Contracts.Common.LatLng { Lat = request.Lat, Lng = request.Lng }, "lat, lng") : null;
        var list = new DriverQuestList();
        var approved = Caller.DriverClassesFrom(context);
        list.Quests.AddRange((await quests.OfDriverAsync(driver.UserId, near, approved, context.CancellationToken)).Select(v => new DriverQuest
        {
            Quest = ToContract(v.Quest, null),
            Done = v.Progress.Done,
            Target = v.Quest.Target,
            Earned = v.Progress.EarnedAt is not null,
            EarnedAt = v.Progress.EarnedAt?.ToString("O") ?? "",
        }));
        return list;
    }

    public override async Task<Quest> CreateQuest(CreateQuestRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var startsAt = Validate.Instant(request.StartsAt, "startsAt");
        var endsAt = Validate.Instant(request.EndsAt, "endsAt");
        var area = request.Area is { } a ? new DomainQuestArea(a.Lat, a.Lng, a.RadiusKm) : null;
        try
        {
            var quest = await quests.CreateAsync(support.UserId, request.Name, startsAt, endsAt, request.Target, request.BonusMinor, request.Currency, area,
                request.VehicleClasses, context.CancellationToken);
            return ToContract(quest, 0);
        }
        catch (QuestRuleException ex)
        {
            throw Validate.Invalid(ex.Message);
        }
    }

    public override async Task<QuestList> ListQuests(ListQuestsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var list = new QuestList();
        list.Quests.AddRange((await quests.ListAsync(context.CancellationToken)).Select(s => ToContract(s.Quest, s.DriversEarned)));
        return list;
    }

    public override async Task<Quest> EndQuest(EndQuestRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var questId = Validate.Id(request.QuestId, "questId");
        try
        {
            return ToContract(await quests.EndAsync(questId, context.CancellationToken), null);
        }
        catch (QuestNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
    }

    private Quest ToContract(DomainQuest q, int? driversEarned)
    {
        var now = clock.GetUtcNow();
        var quest = new Quest
        {
            Id = q.Id,
            Name = q.Name,
            StartsAt = q.StartsAt.ToString("O"),
            EndsAt = q.EndsAt.ToString("O"),
            Target = q.Target,
            Bonus = new Money { AmountMinor = q.BonusMinor, Currency = q.Currency },
            Area = q.Area is { } area ? new QuestArea { Lat = area.Lat, Lng = area.Lng, RadiusKm = area.RadiusKm } : null,
            CreatedBy = q.CreatedBy,
            CreatedAt = q.CreatedAt.ToString("O"),
            EndedAt = q.EndedAt?.ToString("O") ?? "",
            Status = now < q.StartsAt ? "upcoming" : q.IsActive(now) ? "active" : "ended",
            DriversEarned = driversEarned ?? 0,
        };
        quest.VehicleClasses.AddRange(q.VehicleClasses);
        return quest;
    }
}
