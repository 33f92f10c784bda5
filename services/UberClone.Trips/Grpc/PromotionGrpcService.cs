using Grpc.Core;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Promotions;
using Microsoft.Extensions.Options;
using UberClone.Trips.Application;
using ReferralOptions = UberClone.Trips.Promotions.ReferralOptions;
using DomainPromotion = UberClone.Trips.Promotions.Promotion;
using DomainRiderPromotions = UberClone.Trips.Promotions.RiderPromotions;
using DomainTerms = UberClone.Trips.Promotions.PromotionTerms;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of promotions: support creates and ends them, riders add them.</summary>
public sealed class PromotionGrpcService(PromotionDesk promotions, IOptions<ReferralOptions> referral, TimeProvider clock) : PromotionService.PromotionServiceBase
{
    public override async Task<RiderPromotionList> ListMyPromotions(ListMyPromotionsRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        return ToContract(await DomainErrors.Run(() => promotions.OfRiderAsync(rider.UserId, context.CancellationToken)));
    }

    public override async Task<RiderPromotionList> AddPromotion(AddPromotionRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        if (string.IsNullOrWhiteSpace(request.Code)) throw Validate.Invalid("code is required: the promotion code you were given.");
        if (request.Code.Length > 64) throw Validate.Invalid("code is at most 20 letters and digits.");
        return ToContract(await DomainErrors.Run(() => promotions.AddAsync(rider.UserId, request.Code, context.CancellationToken)));
    }

    public override async Task<RiderPromotionList> ListRiderPromotions(RiderPromotionsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var riderId = Validate.Id(request.RiderId, "riderId");
        return ToContract(await DomainErrors.Run(() => promotions.OfRiderAsync(riderId, context.CancellationToken)));
    }

    public override async Task<RiderPromotionList> GivePromotion(GivePromotionRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var riderId = Validate.Id(request.RiderId, "riderId");
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 64) throw Validate.Invalid("code is required: a promotion support created.");
        return ToContract(await DomainErrors.Run(() => promotions.AddAsync(riderId, request.Code, context.CancellationToken)));
    }

    public override async Task<Invite> GetMyInvite(GetMyInviteRequest request, ServerCallContext context)
    {
        var rider = Caller.From(context).RequireRole(Roles.Rider);
        var invite = await DomainErrors.Run(() => promotions.InviteAsync(rider.UserId, context.CancellationToken));
        var options = referral.Value;
        return new Invite
        {
            Code = invite.Code,
            Terms = ToContract(invite.Terms),
            Rides = invite.RidesPerRider,
            Reward = new Money { AmountMinor = options.RewardAmountOffMinor, Currency = options.Currency },
            RewardValidDays = (int)options.RewardValidity.TotalDays,
            FriendsAdded = invite.RidersAdded,
            ExpiresAt = invite.ExpiresAt.ToString("O"),
        };
    }

    public override async Task<Promotion> CreatePromotion(CreatePromotionRequest request, ServerCallContext context)
    {
        var support = Caller.From(context).RequireRole(Roles.Operator);
        var expiresAt = Validate.Instant(request.ExpiresAt, "expiresAt");
        try
        {
            return ToContract(await DomainErrors.Run(() => promotions.CreateAsync(support.UserId, request.Code, request.PercentOff, request.AmountOffMinor,
                request.MaxDiscountMinor != 0 ? request.MaxDiscountMinor : null,
                request.Currency, request.RidesPerRider, expiresAt, request.MaxRiders != 0 ? request.MaxRiders : null, request.NewRidersOnly, context.CancellationToken)));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // A promotion that cannot be created is bad input, not a state of the service.
            throw Validate.Invalid(ex.Status.Detail);
        }
    }

    public override async Task<PromotionList> ListPromotions(ListPromotionsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        var list = new PromotionList();
        list.Promotions.AddRange((await promotions.ListAsync(context.CancellationToken)).Select(ToContract));
        return list;
    }

    public override async Task<Promotion> EndPromotion(EndPromotionRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireRole(Roles.Operator);
        if (string.IsNullOrWhiteSpace(request.Code)) throw Validate.Invalid("code is required.");
        return ToContract(await DomainErrors.Run(() => promotions.EndAsync(request.Code, context.CancellationToken)));
    }

    private Promotion ToContract(DomainPromotion p)
    {
        var now = clock.GetUtcNow();
        return new Promotion
        {
            Code = p.Code,
            Terms = ToContract(p.Terms),
            RidesPerRider = p.RidesPerRider,
            ExpiresAt = p.ExpiresAt.ToString("O"),
            MaxRiders = p.MaxRiders ?? 0,
            NewRidersOnly = p.NewRidersOnly,
            RidersAdded = p.RidersAdded,
            CreatedBy = p.CreatedBy,
            CreatedAt = p.CreatedAt.ToString("O"),
            EndedAt = p.EndedAt?.ToString("O") ?? "",
            Status = p.EndedAt is not null ? "ended" : now >= p.ExpiresAt ? "expired" : p.RidersAdded >= p.MaxRiders ? "full" : "open",
        };
    }

    private RiderPromotionList ToContract(DomainRiderPromotions held)
    {
        var now = clock.GetUtcNow();
        var list = new RiderPromotionList();
        list.Promotions.AddRange(held.Items.Select(p => new RiderPromotion
        {
            Code = p.Code,
            Terms = ToContract(p.Terms),
            Rides = p.Rides,
            RidesLeft = p.RidesLeft,
            ExpiresAt = p.ExpiresAt.ToString("O"),
            AddedAt = p.AddedAt.ToString("O"),
            Usable = p.IsUsable(now),
        }));
        return list;
    }

    private static PromotionTerms ToContract(DomainTerms terms) => new()
    {
        PercentOff = terms.PercentOff,
        AmountOff = terms.AmountOffMinor > 0 ? new Money { AmountMinor = terms.AmountOffMinor, Currency = terms.Currency } : null,
        MaxDiscount = terms.MaxDiscountMinor is { } max ? new Money { AmountMinor = max, Currency = terms.Currency } : null,
        Currency = terms.Currency,
    };
}
