using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Application;

/// <summary>The trips use cases: quote, book, the ride itself, ratings, payments, history. Input is validated by the caller (the gRPC layer).</summary>
public sealed class TripsApplication(
    TripRepository repository, IOptions<PricingOptions> pricing, IOptions<TripRules> rules, DemandSupplyWindow demand,
    RouteService routes, Ratings ratings, PromotionDesk promotions, IFareHolds holds, TimeProvider clock, TripsMetrics metrics,
    IOptions<WaiverRules> waivers)
{
    public Task<Quote> QuoteAsync(string riderId, GeoPoint pickup, GeoPoint dropoff, CancellationToken ct) => QuoteAsync(riderId, pickup, dropoff, [], ct);

    /// <summary>Prices for a ride through <paramref name="stops"/> (in order, at most <see cref="TripRules.MaxStops"/>; ADR 0023).</summary>
    public async Task<Quote> QuoteAsync(string riderId, GeoPoint pickup, GeoPoint dropoff, IReadOnlyList<GeoPoint> stops, CancellationToken ct)
    {
        var options = pricing.Value;
        var prices = options.At(pickup) ?? throw new TripRuleException("UberClone does not run at this pickup yet: rides are available only in the cities it serves.");
        if (stops.Count > rules.Value.MaxStops) throw new TripRuleException($"A ride has at most {rules.Value.MaxStops} stops on the way.");
        var now = clock.GetUtcNow();
        var route = await RouteAsync(Trip.Legs([pickup, .. stops, dropoff]), ct);
        var surge = demand.MultiplierAt(pickup, now);
        var held = await promotions.OfRiderAsync(riderId, ct);
        var placeFees = PlaceFee.Charges(prices.PlaceFees, pickup, dropoff);
        var quote = new Quote
        {
            Id = Guid.CreateVersion7().ToString("N"),
            RiderId = riderId,
            Pickup = pickup,
            Dropoff = dropoff,
            Stops = stops,
            CancellationFeeMinor = prices.CancellationFeeMinor,
            PetFeeMinor = prices.PetFeeMinor,
            CashAccepted = prices.CashAccepted,
            WheelchairAccessible = prices.WheelchairAccessible,
            DistanceMeters = route.DistanceMeters,
            DurationSeconds = route.DurationSeconds,
            Options = prices.Tariffs
                .Where(t => VehicleClasses.IsKnown(t.Key))
                .Select(t => FareCalculator.Breakdown(t.Value, route, surge, placeFees) is var fare
                    ? new QuoteOption(t.Key, fare.TotalMinor, prices.Currency, surge, fare, t.Value.WaitPerMinuteMinor,
                        held.BestFor(prices.Currency, fare.TotalMinor, fare.PassedOnMinor, now))
                    : throw new InvalidOperationException())
                .ToList(),
            CreatedAt = now,
            ExpiresAt = now + options.QuoteValidity,
        };
        await repository.Quotes.InsertAsync(quote.Id, quote, ct: ct);
        return quote;
    }

    /// <summary>
    /// Books a quote. A quote books at most one trip: the trip id derives from the quote id, so a retried
    /// request returns the trip already created instead of a second one.
    /// </summary>
    public async Task<Trip> BookAsync(string riderId, string quoteId, string vehicleClass, CancellationToken ct) =>
        await BookAsync(riderId, quoteId, vehicleClass, scheduledFor: null, cardId: null, pickupNote: null, passenger: null, RideProfile.PersonalRide, withPet: false, payInCash: false,
            wheelchairAccessible: false, ct);

    /// <summary>
    /// Books a quote now, or for later (<paramref name="scheduledFor"/>: the pickup time). A ride booked for later
    /// holds no booking claim until its dispatch starts, so the rider rides meanwhile; at most
    /// <see cref="TripRules.MaxScheduledRides"/> wait at once. <paramref name="cardId"/>: the saved card the rider chose to
    /// pay with (null: their default), held now for a ride now, when its search starts for one booked for later.
    /// <paramref name="pickupNote"/> and <paramref name="passenger"/> (ADR 0031): the rider's note for the driver, and
    /// who rides when it is not the rider; both go with the offers. <paramref name="profile"/> (ADR 0034): personal or
    /// business, with a business ride's expense memo. <paramref name="withPet"/> (ADR 0041): the rider brings a pet, the
    /// fare has the quote's pet fee (refused where pets are not taken) and only drivers who welcome pets are offered it.
    /// <paramref name="payInCash"/> (ADR 0042): the rider pays the driver in cash, where the quote's prices take cash and
    /// not for a business ride; nothing is held on a card, and only drivers who accept cash are offered it.
    /// <paramref name="wheelchairAccessible"/> (ADR 0045): the rider needs a wheelchair-accessible vehicle, where the
    /// quote's prices offer one, at the same price; only drivers whose vehicle is approved as such are offered it.
    /// </summary>
    public async Task<Trip> BookAsync(string riderId, string quoteId, string vehicleClass, DateTimeOffset? scheduledFor, string? cardId,
        string? pickupNote, TripPassenger? passenger, RideProfile profile, bool withPet, bool payInCash, bool wheelchairAccessible, CancellationToken ct)
    {
        var quote = (await repository.Quotes.GetAsync(quoteId, ct))?.Document;
        if (quote is null || quote.RiderId != riderId) throw new TripNotFoundException($"Quote {quoteId} was not found.");

        var tripId = "t" + quote.Id;
        if (await repository.Trips.GetAsync(tripId, ct) is { } existing) return existing.Document;
        // A rider their drivers' ratings restricted books nothing new until support reinstates them (ADR 0056).
        await ratings.EnsureRiderMayBookAsync(riderId, ct);

        var now = clock.GetUtcNow();
        if (quote.IsExpired(now)) throw new TripRuleException($"Quote {quoteId} expired at {quote.ExpiresAt:O}; ask for a new quote.");
        var option = quote.OptionFor(vehicleClass)
            ?? throw new TripRuleException($"Quote {quoteId} has no price for vehicle class '{vehicleClass}'.");
        // Before the promotion's ride and the booking claim are taken: nothing to give back.
        if (withPet && quote.PetFeeMinor <= 0) throw new TripRuleException(Trip.PetsNotTaken);
        if (Trip.CashRefusal(payInCash, quote, profile) is { } noCash) throw new TripRuleException(noCash);
        if (wheelchairAccessible && !quote.WheelchairAccessible) throw new TripRuleException(Trip.WheelchairNotOffered);
        if (payInCash) cardId = null;

        // The rider's setting when booking; the night window is the pickup's, a ride booked for later's included (ADR 0044).
        var pin = (await PinVerificationAsync(riderId, ct)).PinFor(scheduledFor ?? now);
        // The rider's preferences as they are now: the trip keeps its own copy (ADR 0049).
        var preferences = await RidePreferencesAsync(riderId, ct);
        // The promotion's ride is held before anything else: two bookings at once cannot both take its last one.
        if (option.Promotion is { } offer) await promotions.HoldAsync(riderId, offer.Code, tripId, ct);
        try
        {
            if (scheduledFor is { } pickupAt) return await ReserveAsync(riderId, tripId, quote, option, pin, pickupAt, cardId, pickupNote, passenger, profile, withPet, payInCash,
                wheelchairAccessible, preferences, now, ct);

            var previousClaim = await ClaimBookingAsync(riderId, tripId, now, ct);
            var trip = Trip.Request(tripId, riderId, quote, option, pin, now, withPet, payInCash, wheelchairAccessible) with
            {
                CardId = cardId, PickupNote = pickupNote, Passenger = passenger, Profile = profile, Preferences = preferences,
            };
            // The upfront price is held on the rider's card before the trip exists (ADR 0027): a card that cannot pay
            // books nothing, and the rider may book again at once with another card. A ride paid in cash holds nothing (ADR 0042).
            FareHoldAnswer? hold;
            try
            {
                hold = trip.UpfrontPriceMinor > 0 && !trip.PayInCash ? await holds.HoldAsync(riderId, tripId, trip.UpfrontPriceMinor, trip.Currency, cardId, riderPresent: true, ct) : null;
                if (hold is { IsDeclined: true })
                {
                    metrics.CardDeclinedAtBooking();
                    throw new CardDeclinedException(hold);
                }
                // The bank wants the rider to confirm it first (ADR 0028): they book again when back from its page.
                if (hold is { IsAuthenticating: true })
                {
                    metrics.CardAuthenticationAtBooking();
                    throw new CardAuthenticationRequiredException(hold);
                }
            }
            catch (Exception ex) when (ex is TripRuleException or CardDeclinedException or CardAuthenticationRequiredException)
            {
                // Refused (declined, the chosen card cannot pay, or the bank wants to be asked by the rider): nothing is booked.
                await GiveBackClaimAsync(riderId, tripId, previousClaim, CancellationToken.None);
                throw;
            }
            if (hold?.Shown is { } shown) trip = trip with { PaymentHold = shown, PaymentHoldVersion = hold.Version, CardId = shown.CardId ?? trip.CardId };
            try
            {
                await repository.Trips.InsertAsync(trip.Id, trip, [await CreatedAsync(trip, now, ct)], ct);
            }
            catch (Exception ex) when (hold is { IsHeld: true } && ex is not DuplicateDocumentException)
            {
                await ReleaseUnlessWrittenAsync(riderId, tripId, written: _ => true);
                throw;
            }
            demand.RequestOpened(trip.Id, trip.Pickup, now);
            metrics.TripRequested(trip.VehicleClass);
            return trip;
        }
        catch (DuplicateDocumentException)
        {
            return (await repository.Trips.GetAsync(tripId, ct))!.Document;
        }
        catch (Exception) when (option.Promotion is { } promotion && !ct.IsCancellationRequested)
        {
            // Refused (or failed) before the trip was written: the ride is the rider's again. A retry of this booking
            // that lost a race to the first one must not free the ride of the trip that one wrote.
            if (await repository.Trips.GetAsync(tripId, CancellationToken.None) is null)
            {
                await promotions.ReleaseAsync(riderId, promotion.Code, tripId, CancellationToken.None);
            }
            throw;
        }
    }

    /// <summary>trip.event.created: what dispatch offers, the rider's rating, and the drivers it never offers it to (<see cref="Pairing"/>).</summary>
    private async Task<OutboxMessage> CreatedAsync(Trip trip, DateTimeOffset now, CancellationToken ct)
    {
        var riderRating = await ratings.OfRiderAsync(trip.RiderId, ct);
        var ridersTrips = await repository.Trips.QueryAsync("riderId", trip.RiderId, Pairing.TripsLookedAt, ct);
        var avoid = Pairing.DriversToAvoid(ridersTrips.Select(t => t.Document));
        return OutboxMessages.Create(Topics.TripCreated, trip.Id, new TripCreatedIntegrationEvent(
            trip.Id, trip.RiderId, trip.VehicleClass, trip.Pickup, trip.Dropoff, trip.FareMinor, trip.Currency,
            trip.DistanceMeters, trip.DurationSeconds, now, riderRating?.Average ?? 0, riderRating?.Count ?? 0, avoid.Count > 0 ? avoid : null, trip.ScheduledFor,
            trip.Stops.Count > 0 ? [.. trip.Stops.Select(s => s.Location)] : null, trip.Passenger?.Name, trip.PickupNote, trip.WithPet, trip.PayInCash,
            trip.WheelchairAccessible, trip.Preferences == RidePreferences.None ? null : trip.Preferences.ToEvent(), trip.Reservation?.DriverId));
    }

    private async Task<Trip> ReserveAsync(string riderId, string tripId, Quote quote, QuoteOption option, string pin, DateTimeOffset scheduledFor,
        string? cardId, string? pickupNote, TripPassenger? passenger, RideProfile profile, bool withPet, bool payInCash, bool wheelchairAccessible, RidePreferences preferences,
        DateTimeOffset now, CancellationToken ct)
    {
        var trip = Trip.Reserve(tripId, riderId, quote, option, pin, scheduledFor, rules.Value, now, withPet, payInCash, wheelchairAccessible) with
        {
            CardId = cardId, PickupNote = pickupNote, Passenger = passenger, Profile = profile, Preferences = preferences,
        };
        if ((await ScheduledAsync(riderId, ct)).Count >= rules.Value.MaxScheduledRides)
        {
            throw new TripRuleException($"You already have {rules.Value.MaxScheduledRides} rides booked for later; cancel one to book another.");
        }
        // Held only when its search starts, but a card the rider cannot pay with is refused now, while they can choose.
        if (cardId is not null) await holds.CheckCardAsync(riderId, cardId, ct);
        try
        {
            // The rider's confirmation (a mail from the gateway) goes with the booking, in the same write.
            await repository.Trips.InsertAsync(trip.Id, trip, [OutboxMessages.Create(Topics.TripScheduled, trip.Id, new TripScheduledIntegrationEvent(
                trip.Id, riderId, trip.VehicleClass, trip.Pickup, trip.Dropoff, trip.FareMinor, trip.Currency, scheduledFor, trip.DispatchAt ?? now, now))], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await repository.Trips.GetAsync(tripId, ct))!.Document;
        }
        metrics.TripRequested(trip.VehicleClass);
        return trip;
    }

    /// <summary>
    /// The rider moves a ride booked for later to another pickup time (<see cref="Trip.Reschedule"/>): in the same write,
    /// trip.event.rescheduled for their confirmation. The same time again publishes nothing.
    /// </summary>
    public async Task<Trip> RescheduleAsync(string riderId, string tripId, DateTimeOffset scheduledFor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset previous = default; // of the version the change was made from
        return await Change(tripId, t =>
            {
                previous = t.ScheduledFor ?? scheduledFor;
                return t.Reschedule(riderId, scheduledFor, rules.Value, now);
            },
            t => [OutboxMessages.Create(Topics.TripRescheduled, t.Id, new TripRescheduledIntegrationEvent(
                t.Id, t.RiderId, previous, t.ScheduledFor!.Value, t.DispatchAt!.Value, t.FareMinor, t.Currency, now)), .. DriverReservations.Told(t, now)], ct);
    }

    /// <summary>The rider's rides booked for later that have not started their dispatch, soonest first.</summary>
    public async Task<IReadOnlyList<Trip>> ScheduledAsync(string riderId, CancellationToken ct) =>
        (await repository.Trips.QueryAsync("riderId", riderId, 200, ct)).Select(t => t.Document)
            .Where(t => t.Status == TripStatus.Scheduled).OrderBy(t => t.ScheduledFor).ToList();

    /// <summary>
    /// Starts the dispatch of the rides booked for later whose time came (at most <paramref name="limit"/>), soonest
    /// first: each takes its rider's booking claim and searches like a trip booked now (trip.event.created). One whose
    /// rider is on another trip, or has one to pay, is cancelled without a fee, saying why. Safe on every replica at
    /// once: the claim and the transition each hold once. Returns how many were handled.
    /// </summary>
    public async Task<int> DispatchDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.DispatchAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var reservation in due.Select(d => d.Document))
        {
            try
            {
                await ClaimBookingAsync(reservation.RiderId, reservation.Id, now, ct);
            }
            catch (TripRuleException refused)
            {
                var reason = $"Your ride booked for {reservation.ScheduledFor:u} could not start: {refused.Message}";
                await Change(reservation.Id, t => t.CancelReservation(reason, now), t => [Cancelled(t, reason, now), .. DriverReservations.Told(t, now)], ct);
                continue;
            }
            var answer = await HoldReservationAsync(reservation, ct);
            var held = answer?.Shown;
            Trip started;
            try
            {
                // The driver who reserved it is on another ride: it goes to the normal search, and they are told (ADR 0050).
                var reservedDriversTrips = reservation.Reservation is { } reserved ? await DrivingNowAsync(reserved.DriverId, ct) : [];
                var created = await CreatedAsync(reservation.ExcuseBusyReservedDriver(reservedDriversTrips, now), now, ct);
                started = await Change(reservation.Id, t => t.ExcuseBusyReservedDriver(reservedDriversTrips, now).StartDispatch(now, held, answer?.Version ?? 0),
                    t => [created, .. DriverReservations.Told(t, now)], ct);
            }
            catch (Exception) when (held is not null)
            {
                await ReleaseUnlessWrittenAsync(reservation.RiderId, reservation.Id, written: t => t.IsActive && t.Status != TripStatus.Scheduled && t.PaymentHold is not null);
                throw;
            }
            // Cancelled meanwhile (its event went before the hold was placed): nothing will take the money held.
            if (held is not null && started.Status != TripStatus.Searching) await holds.ReleaseAsync(reservation.RiderId, reservation.Id, CancellationToken.None);
            if (started.Status == TripStatus.Searching && started.UpdatedAt == now)
            {
                demand.RequestOpened(started.Id, started.Pickup, now);
            }
        }
        return due.Count;
    }

    /// <summary>
    /// A hold placed for a trip whose write then failed is let go, unless the trip holding it was written after all: by
    /// another request for the same trip (a retried booking of the quote, another replica starting the same reservation),
    /// whose trip shows the hold, or by this one before its failure was seen (a request cancelled after the write).
    /// The trip cannot be read: let go (a trip that exists then is charged on its card at the end; ADR 0027).
    /// </summary>
    private async Task ReleaseUnlessWrittenAsync(string riderId, string tripId, Func<Trip, bool> written)
    {
        Trip? trip;
        try
        {
            trip = (await repository.Trips.GetAsync(tripId, CancellationToken.None))?.Document;
        }
        catch (Exception)
        {
            trip = null; // the storage failing again: the write's own failure is what the caller reports
        }
        if (trip is not null && written(trip)) return;
        await holds.ReleaseAsync(riderId, tripId, CancellationToken.None);
    }

    /// <summary>
    /// A ride booked for later is held when its search starts, as a trip booked now is (ADR 0027), on the card chosen
    /// when booking, or the default if that one was removed or expired since. The rider is not there to choose another
    /// card, so a decline does not stop the ride they were promised: it is charged when it ends.
    /// </summary>
    private async Task<FareHoldAnswer?> HoldReservationAsync(Trip reservation, CancellationToken ct)
    {
        if (reservation.UpfrontPriceMinor <= 0 || reservation.PayInCash) return null;
        FareHoldAnswer? hold;
        try
        {
            hold = await holds.HoldAsync(reservation.RiderId, reservation.Id, reservation.UpfrontPriceMinor, reservation.Currency, reservation.CardId, riderPresent: false, ct);
        }
        catch (TripRuleException) when (reservation.CardId is not null)
        {
            hold = await holds.HoldAsync(reservation.RiderId, reservation.Id, reservation.UpfrontPriceMinor, reservation.Currency, null, riderPresent: false, ct);
        }
        return hold;
    }

    /// <summary>
    /// Reminds riders of their rides booked for later whose reminder time came (at most <paramref name="limit"/>):
    /// trip.event.reservation_reminder, written with the trip's <see cref="Trip.RemindedAt"/>, so each ride is reminded
    /// once whichever replica finds it. Returns how many were looked at.
    /// </summary>
    public async Task<int> RemindDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.RemindAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var reservation in due.Select(d => d.Document))
        {
            await Change(reservation.Id, t => t.Remind(now), t => [OutboxMessages.Create(Topics.TripReservationReminder, t.Id, new TripReservationReminderIntegrationEvent(
                t.Id, t.RiderId, t.VehicleClass, t.Pickup, t.Dropoff, t.FareMinor, t.Currency, t.ScheduledFor!.Value, t.DispatchAt!.Value, now))], ct);
        }
        return due.Count;
    }

    /// <summary>The booking claim's trip while the gateway deletes the rider's account: no trip has this id.</summary>
    private const string AccountDeletionClaim = "account-deletion";

    /// <summary>
    /// Whether the user may delete their account now: no trip under way (as rider, or as the assigned driver) and, for
    /// a rider, the last trip paid (TripRuleException says why not). A rider's booking claim moves to
    /// <see cref="AccountDeletionClaim"/>, so a booking made on another device meanwhile is refused for
    /// <see cref="UnwrittenClaimHold"/>: time for the gateway to delete the account and end every session. Safe to repeat.
    /// </summary>
    public async Task PrepareAccountDeletionAsync(string userId, bool asDriver, CancellationToken ct)
    {
        if (!asDriver)
        {
            await ClaimBookingAsync(userId, AccountDeletionClaim, clock.GetUtcNow(), ct, before: "deleting your account");
            return;
        }
        if (await FindActiveAsync(userId, asDriver: true, ct) is { } driving)
        {
            throw new TripRuleException($"You are on a trip ({driving.Id}, {driving.Status}); finish it before deleting your account.");
        }
    }

    /// <summary>
    /// The rider deleted their account: their rides booked for later are cancelled without a fee, and so is a trip that
    /// was booked on another device while the account was being deleted and has not started. Safe to repeat.
    /// </summary>
    public async Task<int> CancelForDeletedAccountAsync(string riderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cancelled = 0;
        foreach (var trip in (await repository.Trips.QueryAsync("riderId", riderId, 200, ct)).Select(t => t.Document))
        {
            if (trip.Status is not (TripStatus.Scheduled or TripStatus.Searching or TripStatus.DriverAssigned or TripStatus.DriverArrived)) continue;
            await Change(trip.Id, t => t.CancelBySupport(DeletedAccountReason, now, by: TripActors.System), t => [Cancelled(t, DeletedAccountReason, now), .. SplitFares.Told(t, now), .. DriverReservations.Told(t, now)], ct);
            demand.RequestClosed(trip.Id, now);
            cancelled++;
        }
        return cancelled;
    }

    public const string DeletedAccountReason = "The rider deleted their account.";

    /// <summary>
    /// The rider's account was erased: every trip they booked for someone else forgets that person's phone, and every lost
    /// item they reported the phone they left (<see cref="Trip.ForgetGuestPhone"/>). How many trips did. Safe to repeat.
    /// </summary>
    public async Task<int> ForgetGuestPhonesAsync(string riderId, CancellationToken ct)
    {
        var forgotten = new HashSet<string>();
        // A page at a time until none is left (each write takes its trip out of the index); one seen twice ends it.
        while ((await repository.Trips.QueryAsync(Trip.GuestPhoneOfField, riderId, 100, ct)).Where(t => forgotten.Add(t.Id)).ToList() is { Count: > 0 } page)
        {
            foreach (var trip in page) await repository.Trips.UpdateAsync(trip.Id, t => t.ForgetGuestPhone(clock.GetUtcNow()), ct: ct);
        }
        return forgotten.Count;
    }

    /// <summary>How long a claim whose trip does not exist (yet) holds: its booking is being written, or crashed before.</summary>
    private static readonly TimeSpan UnwrittenClaimHold = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One ride at a time, each paid before the next: a second trip would dispatch a second car to a rider who can take
    /// only one. The rider's booking claim (one document per rider, replaced only at the version read) makes it hold
    /// when bookings of two quotes race: the one that moves the claim books, the other finds it moved and reads it again.
    /// </summary>
    /// <returns>The claim this one replaced (null: none, or this booking's own, retried), for <see cref="GiveBackClaimAsync"/>.</returns>
    private async Task<RiderBooking?> ClaimBookingAsync(string riderId, string tripId, DateTimeOffset now, CancellationToken ct, string before = "booking another")
    {
        while (true)
        {
            var claim = await repository.RiderBookings.GetAsync(riderId, ct);
            if (claim?.Document.TripId == tripId) return null; // this booking, retried after it claimed
            if (claim?.Document.TripId == AccountDeletionClaim && now - claim.Document.ClaimedAt < UnwrittenClaimHold)
            {
                throw new TripRuleException("Your account is being deleted.");
            }
            var claimed = claim is null ? null : (await repository.Trips.GetAsync(claim.Document.TripId, ct))?.Document;
            // Trips booked before claims existed have none: the rider's newest unfinished trip stands for it.
            var active = claim is null ? await FindActiveAsync(riderId, asDriver: false, ct) : claimed is { IsActive: true } ? claimed : null;
            if (active is not null)
            {
                throw new TripRuleException($"You already have a trip in progress ({active.Id}, {active.Status}); finish or cancel it before {before}.");
            }
            // What the last trip cost (its fare, or a cancellation fee) is paid before the next one: a rider could
            // otherwise ride again and again without ever paying.
            if (claimed is { AmountDueMinor: > 0, PaymentStatus: PaymentStatus.Pending or PaymentStatus.Failed })
            {
                // What is due less a part support waived (ADR 0053): the rider owes only the rest.
                throw new TripRuleException(
                    $"Your trip {claimed.Id} is not paid yet ({Currencies.Display(claimed.ChargeDueMinor, claimed.Currency)} due, "
                    + $"{(claimed.PaymentStatus == PaymentStatus.Failed ? "its payment failed" : "its payment is being made")}); pay it before {before}.");
            }
            if (claim is not null && claimed is null && now - claim.Document.ClaimedAt < UnwrittenClaimHold)
            {
                throw new TripRuleException("Another booking of yours is being made; wait for it, or try again in a moment.");
            }
            try
            {
                var next = new RiderBooking(tripId, now);
                if (claim is null) await repository.RiderBookings.InsertAsync(riderId, next, ct: ct);
                else await repository.RiderBookings.ReplaceAsync(riderId, next, claim.Version, ct: ct);
                return claim?.Document;
            }
            catch (Exception ex) when (ex is DuplicateDocumentException or ConcurrencyConflictException)
            {
                // Another booking of this rider moved the claim first: read it again.
            }
        }
    }

    /// <summary>
    /// A booking refused after it claimed (the card declined): the claim goes back to what it was, so the rider books
    /// again at once instead of waiting out <see cref="UnwrittenClaimHold"/>. Left alone if another booking moved it.
    /// </summary>
    private async Task GiveBackClaimAsync(string riderId, string tripId, RiderBooking? previous, CancellationToken ct)
    {
        if (await repository.RiderBookings.GetAsync(riderId, ct) is not { } claim || claim.Document.TripId != tripId) return;
        try
        {
            if (previous is null) await repository.RiderBookings.DeleteAsync(riderId, claim.Version, ct);
            else await repository.RiderBookings.ReplaceAsync(riderId, previous, claim.Version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Moved meanwhile by another booking of this rider: theirs now.
        }
    }

    public Task<Trip> ArriveAsync(string driverId, string tripId, GeoPoint? location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.Arrive(driverId, location, rules.Value, now),
            t => [OutboxMessages.Create(Topics.TripDriverArrived, t.Id, new TripDriverArrivedIntegrationEvent(t.Id, t.RiderId, driverId, t.Driver?.Location, now))],
            ct);
    }

    /// <summary>The driver is at stop <paramref name="index"/> of the ride (ADR 0023): the rider's app and the drop-off ETA follow.</summary>
    public Task<Trip> ReachStopAsync(string driverId, string tripId, int index, GeoPoint? location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.ReachStop(driverId, index, location, rules.Value, now),
            t => [OutboxMessages.Create(Topics.TripStopReached, t.Id, new TripStopReachedIntegrationEvent(
                t.Id, t.RiderId, driverId, index, t.Stops[index].Location, t.NextStop is { } next ? t.Stops[next].Location : null, now))],
            ct);
    }

    public async Task<Trip> StartAsync(string driverId, string tripId, string pin, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var accepted = true;
        var trip = await Change(tripId, t => t.Start(driverId, pin, rules.Value, now, out accepted),
            t => t.Status == TripStatus.InProgress
                ? [OutboxMessages.Create(Topics.TripStarted, t.Id, new TripStartedIntegrationEvent(t.Id, t.RiderId, driverId, now))]
                : [],
            ct);
        if (!accepted)
        {
            metrics.WrongPin();
            throw new TripRuleException($"The PIN is wrong ({trip.WrongPinAttempts} wrong so far); ask the rider for the 4 digits shown in their app.");
        }
        return trip;
    }

    /// <summary>The rider's "Verify my rides with a PIN" (ADR 0044): <see cref="PinVerification.Default"/> until they chose.</summary>
    public async Task<PinVerification> PinVerificationAsync(string riderId, CancellationToken ct) =>
        (await repository.PinVerifications.GetAsync(riderId, ct))?.Document ?? PinVerification.Default;

    /// <summary>Sets the rider's PIN setting; rides already booked keep what they were booked with.</summary>
    public Task<PinVerification> SetPinVerificationAsync(string riderId, PinVerification setting, CancellationToken ct) =>
        repository.PinVerifications.PutAsync(riderId, setting, ct);

    /// <summary>The rider's ride preferences (ADR 0049): <see cref="RidePreferences.None"/> until they chose.</summary>
    public async Task<RidePreferences> RidePreferencesAsync(string riderId, CancellationToken ct) =>
        (await repository.RidePreferences.GetAsync(riderId, ct))?.Document ?? RidePreferences.None;

    /// <summary>Sets the rider's ride preferences; rides already booked keep their own copy (changed with <see cref="ChangePreferencesAsync"/>).</summary>
    public Task<RidePreferences> SetRidePreferencesAsync(string riderId, RidePreferences preferences, CancellationToken ct) =>
        repository.RidePreferences.PutAsync(riderId, preferences, ct);

    /// <summary>A deleted rider's ride preferences go with their account; their trips keep their copies.</summary>
    public async Task ForgetRidePreferencesAsync(string riderId, CancellationToken ct)
    {
        if (await repository.RidePreferences.GetAsync(riderId, ct) is { } stored) await repository.RidePreferences.DeleteAsync(riderId, stored.Version, ct);
    }

    /// <summary>A deleted rider's PIN setting goes with their account.</summary>
    public async Task ForgetPinVerificationAsync(string riderId, CancellationToken ct)
    {
        if (await repository.PinVerifications.GetAsync(riderId, ct) is { } stored) await repository.PinVerifications.DeleteAsync(riderId, stored.Version, ct);
    }

    public async Task<Trip> CompleteAsync(string driverId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Counted(await Change(tripId, t => t.Complete(driverId, rules.Value, now), t => Completed(t, now), ct), now);
    }

    /// <summary>Support ends a ride under way its driver cannot (<see cref="Trip.CompleteBySupport"/>): the same events as the driver's.</summary>
    public async Task<Trip> CompleteAsSupportAsync(string operatorId, string tripId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Counted(await Change(tripId, t => t.CompleteBySupport(operatorId, reason, rules.Value, now), t => Completed(t, now), ct), now);
    }

    /// <summary>
    /// Support waives what the rider owes on the trip (<see cref="Trip.AskToWaive"/>, ADR 0053): at or below the limit
    /// for the trip's currency (<see cref="WaiverRules.ApprovalAboveFor"/>) at once, and the same write carries <c>trip.event.payment_waived</c>
    /// (payments closes the failed attempt's checkout, the rider is told and mailed); above it the request awaits a
    /// colleague's approval (<see cref="Trip.PendingWaiver"/>) and nothing is published. <paramref name="owedMinor"/>: what
    /// support saw owed; another amount owed now refuses it (<see cref="OwedChangedException"/>).
    /// </summary>
    public Task<Trip> WaiveUnpaidAsync(string operatorId, string tripId, string reason, CancellationToken ct, long? amountMinor = null, long? owedMinor = null)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.AskToWaive(operatorId, reason, waivers.Value, now, amountMinor, owedMinor),
            t => t.WaiverRequest is null ? [Waived(t, t.Waivers[^1])] : [], ct);
    }

    /// <summary>
    /// A colleague approves a waiver awaiting approval (<see cref="Trip.ApproveWaiver"/>; <paramref name="askedAt"/>: the
    /// request they saw): waived, and published as one done at once.
    /// </summary>
    public Task<Trip> ApproveWaiverAsync(string operatorId, string tripId, CancellationToken ct, DateTimeOffset? askedAt = null)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.ApproveWaiver(operatorId, waivers.Value, now, askedAt), t => [Waived(t, t.Waivers[^1])], ct);
    }

    /// <summary>The waiver awaiting approval is withdrawn or declined (<see cref="Trip.DeclineWaiver"/>): nothing is waived, nothing published.</summary>
    public Task<Trip> DeclineWaiverAsync(string operatorId, string tripId, CancellationToken ct, DateTimeOffset? askedAt = null)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.DeclineWaiver(operatorId, now, askedAt), _ => [], ct);
    }

    /// <summary>
    /// Support's list of the waivers awaiting a colleague's approval (ADR 0053), oldest first, from the index of when they
    /// were asked: those asked within <see cref="WaiverRules.RequestLapse"/> (older ones lapsed), up to <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Trip>> AwaitingWaiversAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var awaiting = await repository.Trips.QueryBetweenAsync(Trip.WaiverAskedAtField, (now - waivers.Value.RequestLapse).ToUnixTimeMilliseconds() + 1, long.MaxValue, limit, ct);
        return [.. awaiting.Select(t => t.Document).Where(t => t.PendingWaiver is { } asked && !asked.LapsedAt(now, waivers.Value.RequestLapse))];
    }

    /// <summary>
    /// <c>trip.event.payment_waived</c> of <paramref name="waiver"/>: to the rider (with what they still owe after a part
    /// was waived), and the driver's open app reads the trip again.
    /// </summary>
    public static OutboxMessage Waived(Trip t, PaymentWaiver waiver) =>
        OutboxMessages.Create(Topics.TripPaymentWaived, t.Id, new TripPaymentWaivedIntegrationEvent(
            t.Id, t.RiderId, waiver.FareMinor, waiver.ReturnFeeMinor, t.Currency, waiver.Reason, waiver.OperatorId, waiver.At, t.DriverId,
            t.UnpaidFareMinor + t.UnpaidReturnFeeMinor));

    /// <summary>A promotion's discount is counted once: by the call that completed the trip (a repeat finds it completed earlier).</summary>
    private Trip Counted(Trip trip, DateTimeOffset now)
    {
        if (trip.CompletedAt == now && trip.Promotion is { } promotion) metrics.PromotionRedeemed(promotion.Code, trip.DiscountMinor, trip.Currency);
        return trip;
    }

    /// <summary>The ride is over: drivers frees the driver, payments asks the rider to pay.</summary>
    private OutboxMessage[] Completed(Trip t, DateTimeOffset now) =>
    [
        OutboxMessages.Create(Topics.TripCompleted, t.Id, new TripCompletedIntegrationEvent(t.Id, t.RiderId, t.DriverId!, t.FareMinor, t.Currency, now, t.Promotion?.Code, t.DistanceMeters)),
        PaymentRequest(t),
        .. SplitFares.Told(t, now),
    ];

    /// <param name="maxFeeMinor">The most the rider agreed to pay (see <see cref="Trip.CancelByRider"/>); null: any fee.</param>
    public async Task<Trip> CancelAsRiderAsync(string riderId, string tripId, string reason, long? maxFeeMinor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trip = await Change(tripId, t => t.CancelByRider(riderId, reason, rules.Value, now, maxFeeMinor),
            t => t.AmountDueMinor > 0
                ? [Cancelled(t, reason, now), PaymentRequest(t), .. SplitFares.Told(t, now)]
                : [Cancelled(t, reason, now), .. SplitFares.Told(t, now), .. DriverReservations.Told(t, now)],
            ct);
        demand.RequestClosed(trip.Id, now);
        return trip;
    }

    /// <summary>The driver waited and the rider did not come (<see cref="Trip.ReportNoShow"/>): the rider pays the cancellation fee.</summary>
    public async Task<Trip> ReportNoShowAsync(string driverId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trip = await Change(tripId, t => t.ReportNoShow(driverId, rules.Value, now),
            t => t.AmountDueMinor > 0 ? [Cancelled(t, Trip.NoShowReason, now), PaymentRequest(t), .. SplitFares.Told(t, now)] : [Cancelled(t, Trip.NoShowReason, now), .. SplitFares.Told(t, now)], ct);
        demand.RequestClosed(trip.Id, now);
        return trip;
    }

    /// <summary>Support cancels a trip before its ride starts, without a fee (<see cref="Trip.CancelBySupport"/>).</summary>
    public async Task<Trip> CancelAsSupportAsync(string tripId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trip = await Change(tripId, t => t.CancelBySupport(reason, now), t => [Cancelled(t, reason, now), .. SplitFares.Told(t, now), .. DriverReservations.Told(t, now)], ct);
        demand.RequestClosed(trip.Id, now);
        return trip;
    }

    public async Task<Trip> CancelAsDriverAsync(string driverId, string tripId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var trip = await Change(tripId, t => t.CancelByDriver(driverId, now),
            t => [OutboxMessages.Create(Topics.TripDriverCancelled, t.Id, new TripDriverCancelledIntegrationEvent(t.Id, t.RiderId, driverId, reason, now))],
            ct);
        // In the driver's history at once; the event's handler records it too, should this process stop before this write.
        await RecordGivenUpAsync(driverId, tripId, now, ct);
        demand.RequestReopened(trip.Id, now);
        return trip;
    }

    /// <summary>
    /// What the trip would cost ending at <paramref name="dropoff"/> (<see cref="Trip.DestinationChangeLegs"/>), priced
    /// with the trip's class and surge; nothing is written. The rider confirms it with <see cref="ChangeDestinationAsync"/>.
    /// </summary>
    public async Task<DestinationPrice> QuoteDestinationAsync(string riderId, string tripId, GeoPoint dropoff, CancellationToken ct)
    {
        var trip = await GetAsync(tripId, riderId, ct);
        var legs = trip.DestinationChangeLegs(riderId, dropoff, rules.Value);
        if (legs.Count == 0) throw new TripRuleException($"Trip {tripId} already ends there.");
        var (route, fare) = await PriceAsync(trip, legs, ct);
        return new DestinationPrice(trip, dropoff, route, fare);
    }

    /// <summary>
    /// The rider changes the drop-off (<see cref="Trip.ChangeDestination"/>), priced as <see cref="QuoteDestinationAsync"/>
    /// prices it now; refused, changing nothing, when that is more than <paramref name="maxFareMinor"/>.
    /// </summary>
    public async Task<Trip> ChangeDestinationAsync(string riderId, string tripId, GeoPoint dropoff, long maxFareMinor, CancellationToken ct)
    {
        var read = await GetAsync(tripId, riderId, ct);
        var legs = read.DestinationChangeLegs(riderId, dropoff, rules.Value);
        if (legs.Count == 0) return read;
        var (route, fare) = await PriceAsync(read, legs, ct);
        var now = clock.GetUtcNow();
        var changed = await Change(tripId, t => t.ChangeDestination(riderId, dropoff, route, fare, maxFareMinor, rules.Value, now),
            t => [OutboxMessages.Create(Topics.TripDestinationChanged, t.Id, new TripDestinationChangedIntegrationEvent(
                t.Id, t.RiderId, t.DriverId!, t.Dropoff, t.FareMinor, t.Currency, t.DistanceMeters, t.DurationSeconds, now))],
            ct);
        return await RaiseHoldAsync(changed, ct);
    }

    /// <summary>
    /// The rider changes their note for the driver (<see cref="Trip.ChangePickupNote"/>; null removes it): the driver's
    /// app, or the search and the driver it is offered to, are told with trip.event.pickup_note_changed, written with the note.
    /// </summary>
    public Task<Trip> ChangePickupNoteAsync(string riderId, string tripId, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.ChangePickupNote(riderId, note, now),
            t => [OutboxMessages.Create(Topics.TripPickupNoteChanged, t.Id, new TripPickupNoteChangedIntegrationEvent(t.Id, t.RiderId, t.DriverId, t.PickupNote, now))],
            ct);
    }

    /// <summary>
    /// The rider changes the ride's preferences (<see cref="Trip.ChangePreferences"/>, ADR 0049): the driver's app, or
    /// the search and the driver it is offered to, are told with trip.event.preferences_changed, written with the change.
    /// The same preferences again publish nothing.
    /// </summary>
    public Task<Trip> ChangePreferencesAsync(string riderId, string tripId, RidePreferences preferences, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.ChangePreferences(riderId, preferences, now),
            t => [OutboxMessages.Create(Topics.TripPreferencesChanged, t.Id, new TripPreferencesChangedIntegrationEvent(t.Id, t.RiderId, t.DriverId, t.Preferences.ToEvent(), now))],
            ct);
    }

    /// <summary>
    /// The rider moves the pickup a little (<see cref="Trip.MovePickup"/>, ADR 0046), as long as the prices there are the
    /// booked ones (the same area and place fees, <see cref="PricedAlike"/>): the driver's app and the drivers service are
    /// told with trip.event.pickup_moved, written with the move, and so is a driver holding the reservation of a ride
    /// booked for later.
    /// </summary>
    public Task<Trip> MovePickupAsync(string riderId, string tripId, GeoPoint pickup, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.MovePickup(riderId, pickup, PricedAlike(t, pickup), rules.Value, now),
            t => [OutboxMessages.Create(Topics.TripPickupMoved, t.Id, new TripPickupMovedIntegrationEvent(t.Id, t.RiderId, t.DriverId, t.Pickup, now, t.ReservedBy))],
            ct);
    }

    /// <summary>Whether a ride from <paramref name="pickup"/> is priced as <paramref name="trip"/> was: the same prices' area, the same place fees.</summary>
    private bool PricedAlike(Trip trip, GeoPoint pickup)
    {
        var booked = pricing.Value.At(trip.Pickup);
        var there = pricing.Value.At(pickup);
        if (booked is null || there is null || booked.Name != there.Name) return false;
        return PlaceFee.Charges(booked.PlaceFees, trip.Pickup, trip.Dropoff).SequenceEqual(PlaceFee.Charges(there.PlaceFees, pickup, trip.Dropoff));
    }

    /// <summary>
    /// The rider switches a completed ride between personal and business (<see cref="Trip.SwitchProfile"/>): the gateway
    /// is told with trip.event.profile_changed, written with the change, and mails the work copy of a paid receipt.
    /// </summary>
    public Task<Trip> SwitchProfileAsync(string riderId, string tripId, RideProfile profile, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.SwitchProfile(riderId, profile, now),
            t => [OutboxMessages.Create(Topics.TripProfileChanged, t.Id, new TripProfileChangedIntegrationEvent(t.Id, t.RiderId, t.Profile.Profile, t.Profile.ExpenseMemo, now))],
            ct);
    }

    /// <summary>
    /// The rider's business rides completed from <paramref name="from"/> until before <paramref name="to"/>, oldest first:
    /// their trips are read newest first (by booking) and the reading stops at trips booked longer before the period than
    /// a ride booked for later waits and a ride lasts.
    /// </summary>
    public async Task<IReadOnlyList<Trip>> BusinessRidesAsync(string riderId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rides = new List<Trip>();
        await foreach (var stored in repository.Trips.QueryAllAsync("riderId", riderId, ct))
        {
            var trip = stored.Document;
            if (trip.CreatedAt < from - rules.Value.MaxScheduleAhead - EarningsSummary.LongestTrip) break;
            if (trip.Profile.IsBusiness && trip.Status == TripStatus.Completed && trip.CompletedAt is { } at && at >= from && at < to) rides.Add(trip);
        }
        return [.. rides.OrderBy(t => t.CompletedAt)];
    }

    /// <summary>
    /// The hold follows the price (ADR 0029): a new destination that costs more than the rider's card holds asks payments
    /// to hold the new price instead (the rider is riding: nothing waits for them). Held: the trip says the new amount;
    /// declined: it keeps the old one and says the bank declined, the rest being charged when the ride ends; payments
    /// not answering: the trip is left as it was (payments asks again; the charge at the end takes whatever is held then).
    /// </summary>
    private async Task<Trip> RaiseHoldAsync(Trip trip, CancellationToken ct)
    {
        if (trip.PaymentHold is not { } hold || trip.UpfrontPriceMinor <= hold.AmountMinor) return trip;
        var answer = await holds.RaiseAsync(trip.RiderId, trip.Id, trip.UpfrontPriceMinor, trip.Currency, ct);
        if (answer is not { IsHeld: true }) return trip;
        return await Change(trip.Id, t => t.HoldAnswered(answer.Shown, answer.Version, clock.GetUtcNow()), _ => [], ct);
    }

    /// <summary>
    /// The rider pays the ride with another of their saved cards (ADR 0032). Under way: payments moves the hold to it first
    /// (what is held, or the price now if more), and only a card that holds it becomes the ride's; one the bank declines
    /// changes nothing (<see cref="CardMoveDeclinedException"/>). Booked for later: the card is checked, and its search
    /// holds the price on it. The rider's other screens hear of a hold that changed (trip.event.payment_hold_changed).
    /// </summary>
    public async Task<Trip> PayWithAsync(string riderId, string tripId, string cardId, CancellationToken ct)
    {
        var trip = await GetAsync(tripId, riderId, ct);
        trip.EnsureCardMayChange(riderId);
        if (trip.Status == TripStatus.Scheduled)
        {
            await holds.CheckCardAsync(riderId, cardId, ct);
            return await Change(tripId, t => t.Status == TripStatus.Scheduled ? t.PayWith(riderId, cardId, t.PaymentHold, 0, clock.GetUtcNow()) : throw new CardHoldBusyException(),
                _ => [], ct);
        }
        var move = await holds.MoveAsync(riderId, tripId, cardId, trip.UpfrontPriceMinor, trip.Currency, ct);
        if (move.DeclineCode is not null) throw new CardMoveDeclinedException(move, Math.Max(trip.UpfrontPriceMinor, trip.PaymentHold?.AmountMinor ?? 0), trip.Currency, trip.PaymentHold?.CardLabel);
        TripPaymentHold? before = null;
        return await Change(tripId,
            t =>
            {
                before = t.PaymentHold;
                return t.PayWith(riderId, cardId, move.Hold?.Shown, move.Hold?.Version ?? 0, clock.GetUtcNow());
            },
            t => Equals(t.PaymentHold, before)
                ? []
                : [OutboxMessages.Create(Topics.TripPaymentHoldChanged, t.Id, new TripPaymentHoldChangedIntegrationEvent(t.Id, t.RiderId, t.PaymentHold?.CardLabel,
                    t.PaymentHold?.AmountMinor ?? 0, t.Currency, t.PaymentHold?.RaiseDeclineCode, t.UpdatedAt))],
            ct);
    }

    /// <summary>
    /// A route of several legs and its fare with the trip's tariff and surge, in the trip's currency, with the place
    /// fees of the trip's pickup and the legs' last point (the new drop-off; ADR 0037).
    /// </summary>
    private async Task<(RouteEstimate Route, FareBreakdown Fare)> PriceAsync(Trip trip, IReadOnlyList<(GeoPoint From, GeoPoint To)> legs, CancellationToken ct)
    {
        if (pricing.Value.At(trip.Pickup) is not { } prices || !prices.Tariffs.TryGetValue(trip.VehicleClass, out var tariff) || prices.Currency != trip.Currency)
        {
            throw new TripRuleException($"Trip {trip.Id}'s class or currency is no longer priced here; its destination cannot change.");
        }
        var route = await RouteAsync(legs, ct);
        return (route, trip.Repriced(FareCalculator.Breakdown(tariff, route, trip.SurgeMultiplier, PlaceFee.Charges(prices.PlaceFees, trip.Pickup, legs[^1].To))));
    }

    /// <summary>A route of several legs: each estimated (at once), their distances and times added.</summary>
    private async Task<RouteEstimate> RouteAsync(IReadOnlyList<(GeoPoint From, GeoPoint To)> legs, CancellationToken ct)
    {
        var estimates = await Task.WhenAll(legs.Select(leg => routes.EstimateAsync(leg.From, leg.To, ct)));
        return new RouteEstimate(estimates.Sum(e => e.DistanceMeters), estimates.Sum(e => e.DurationSeconds));
    }

    public Task<Trip> RateAsync(string userId, string tripId, int stars, string? comment, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.Rate(userId, stars, comment, now),
            t => [OutboxMessages.Create(Topics.TripRated, t.Id, new TripRatedIntegrationEvent(
                t.Id, t.RiderId, t.DriverId!, userId == t.RiderId ? TripActors.Rider : TripActors.Driver, stars, now))],
            ct);
    }

    /// <summary>
    /// The rider tips the driver: before paying, a new payment attempt for the fare and the tip replaces the open one;
    /// after paying, the tip is a payment of its own.
    /// </summary>
    public Task<Trip> TipAsync(string riderId, string tripId, long amountMinor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.AddTip(riderId, amountMinor, rules.Value, now), t => [PaymentRequest(t)], ct);
    }

    public Task<Trip> RetryPaymentAsync(string riderId, string tripId, CancellationToken ct) =>
        Change(tripId, t => t.RetryPayment(riderId, clock.GetUtcNow()), t => [PaymentRequest(t)], ct);

    /// <summary>
    /// The rider shares the trip: a new unguessable token (128 random bits) pointing at it, or the one it is already
    /// shared with. The pointer is written first: a trip that failed to take the token leaves a pointer nothing accepts.
    /// </summary>
    public async Task<Trip> ShareAsync(string riderId, string tripId, CancellationToken ct)
    {
        var trip = await GetAsync(tripId, riderId, ct);
        if (trip.RiderId != riderId) throw new TripNotFoundException($"Trip {tripId} was not found.");
        var now = clock.GetUtcNow();
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        // The domain decides first (a trip that is over refuses; a shared one keeps its token), before anything is written.
        if (ReferenceEquals(trip.StartSharing(riderId, token, now), trip)) return trip;
        await repository.TripShares.InsertAsync(token, new TripShareLink(token, tripId, now), ct: ct);
        return await Change(tripId, t => t.StartSharing(riderId, token, now), _ => [], ct);
    }

    public Task<Trip> StopSharingAsync(string riderId, string tripId, CancellationToken ct) =>
        Change(tripId, t => t.StopSharing(riderId, clock.GetUtcNow()), _ => [], ct);

    /// <summary>
    /// The rider or the driver writes to the other (while the driver is on the way or riding): stored once per client
    /// id, with <c>trip.event.message_sent</c>, which the gateway delivers to both (the sender's other devices too).
    /// </summary>
    public async Task<TripMessage> SendMessageAsync(string userId, string tripId, string clientMessageId, string text, CancellationToken ct)
    {
        var trip = await GetAsync(tripId, userId, ct);
        var from = trip.MessageSenderRole(userId);
        var id = $"{tripId}:{clientMessageId}";
        if (await repository.TripMessages.GetAsync(id, ct) is { } sent) return Same(sent.Document, userId);
        if ((await repository.TripMessages.QueryAsync("tripId", tripId, TripMessage.MaxPerTrip, ct)).Count >= TripMessage.MaxPerTrip)
        {
            throw new TripRuleException($"Trip {tripId} has {TripMessage.MaxPerTrip} messages, the most a trip keeps.");
        }
        var message = new TripMessage(id, tripId, from, userId, text, clock.GetUtcNow());
        try
        {
            await repository.TripMessages.InsertAsync(id, message, [OutboxMessages.Create(Topics.TripMessageSent, tripId, new TripMessageSentIntegrationEvent(
                tripId, id, trip.RiderId, trip.DriverId!, from, text, message.At))], ct);
            return message;
        }
        catch (DuplicateDocumentException)
        {
            return Same((await repository.TripMessages.GetAsync(id, ct))!.Document, userId);
        }

        // A client id is the sender's own: someone else's is not a way to read their message.
        static TripMessage Same(TripMessage message, string userId) => message.SenderId == userId
            ? message
            : throw new TripRuleException("clientMessageId is already used in this trip; make a new one for each message.");
    }

    /// <summary>The trip's messages, oldest first, for its rider and assigned driver (at any time after, too) and support (<paramref name="userId"/> null).</summary>
    public async Task<IReadOnlyList<TripMessage>> MessagesAsync(string? userId, string tripId, CancellationToken ct)
    {
        await GetAsync(tripId, userId, ct);
        var newestFirst = await repository.TripMessages.QueryAsync("tripId", tripId, TripMessage.MaxPerTrip, ct);
        return newestFirst.Select(m => m.Document).OrderBy(m => m.At).ToList();
    }

    /// <summary>The trip shared with <paramref name="token"/>, while its link may show it; null otherwise (unknown, stopped, long over).</summary>
    public async Task<Trip?> SharedAsync(string token, CancellationToken ct)
    {
        if (await repository.TripShares.GetAsync(token, ct) is not { } link) return null;
        var trip = (await repository.Trips.GetAsync(link.Document.TripId, ct))?.Document;
        return trip is not null && trip.IsSharedWith(token, rules.Value.SharedTripAfterEnd, clock.GetUtcNow()) ? trip : null;
    }

    /// <summary>
    /// The caller's trips, newest first (by booking): as rider, or as the driver who drove them or gave them up (those
    /// no longer name the driver; <see cref="Trip.WasGivenUpBy"/> tells them apart).
    /// </summary>
    public async Task<IReadOnlyList<Trip>> HistoryAsync(string userId, bool asDriver, int limit, CancellationToken ct)
    {
        var trips = (await repository.Trips.QueryAsync(asDriver ? "driverId" : "riderId", userId, limit, ct)).Select(t => t.Document).ToList();
        if (!asDriver) return trips;
        var givenUp = (await repository.GivenUpTrips.QueryAsync("driverId", userId, limit, ct))
            .Select(g => g.Document.TripId).Except(trips.Select(t => t.Id)).ToList();
        if (givenUp.Count == 0) return trips;
        trips.AddRange((await repository.Trips.GetManyAsync(givenUp, ct)).Select(t => t.Document));
        return trips.OrderByDescending(t => t.CreatedAt).Take(limit).ToList();
    }

    /// <summary>
    /// Every trip of the user, for their "download my data": as rider, or as the driver who drove it, newest first, then
    /// those a driver gave up; each with the messages of it still kept (<see cref="TripMessage.KeptFor"/>). Read as the
    /// caller goes (no limit, one page of the store at a time).
    /// </summary>
    public async IAsyncEnumerable<(Trip Trip, IReadOnlyList<TripMessage> Messages)> ExportAsync(string userId, bool asDriver, [EnumeratorCancellation] CancellationToken ct)
    {
        var messagesSince = clock.GetUtcNow() - TripMessage.KeptFor - TimeSpan.FromDays(1);
        async Task<IReadOnlyList<TripMessage>> MessagesOf(Trip trip) => trip.CreatedAt < messagesSince ? []
            : (await repository.TripMessages.QueryAsync("tripId", trip.Id, TripMessage.MaxPerTrip, ct)).Select(m => m.Document).OrderBy(m => m.At).ToList();

        var seen = new HashSet<string>();
        await foreach (var trip in repository.Trips.QueryAllAsync(asDriver ? "driverId" : "riderId", userId, ct))
        {
            seen.Add(trip.Id);
            yield return (trip.Document, await MessagesOf(trip.Document));
        }
        if (!asDriver) yield break;
        var givenUp = new List<string>();
        await foreach (var record in repository.GivenUpTrips.QueryAllAsync("driverId", userId, ct))
        {
            if (seen.Add(record.Document.TripId)) givenUp.Add(record.Document.TripId);
        }
        foreach (var ids in givenUp.Chunk(DocumentBatches.MaxIdsPerGet))
        {
            // The messages of a trip they gave up are the rider's with whoever drove it after: not theirs to download.
            foreach (var trip in await repository.Trips.GetManyAsync(ids, ct)) yield return (trip.Document, []);
        }
    }

    /// <summary>The newest trips in a status (support: what is searching or under way now), newest first.</summary>
    public async Task<IReadOnlyList<Trip>> InStatusAsync(string status, int limit, CancellationToken ct) =>
        (await repository.Trips.QueryAsync("status", status, limit, ct)).Select(t => t.Document).ToList();

    /// <summary>Remembers that the driver gave the trip up, for their history (a repeat changes nothing).</summary>
    public async Task RecordGivenUpAsync(string driverId, string tripId, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await repository.GivenUpTrips.InsertAsync($"{driverId}:{tripId}", new GivenUpTrip(driverId, tripId, at), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
        }
    }

    /// <summary>
    /// What the driver earned from <paramref name="from"/> until before <paramref name="to"/>: their trips are read newest
    /// first and the reading stops at trips booked <see cref="EarningsSummary.LongestTrip"/> before the period.
    /// </summary>
    public async Task<EarningsSummary> EarningsAsync(string driverId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var trips = new List<Trip>();
        await foreach (var stored in repository.Trips.QueryAllAsync("driverId", driverId, ct))
        {
            if (stored.Document.CreatedAt < from - EarningsSummary.LongestTrip) break;
            trips.Add(stored.Document);
        }
        return EarningsSummary.Of(trips, from, to);
    }

    /// <summary>
    /// The checkout for the trip's current payment attempt: a tip paid on its own (the attempt is the tip's), a lost
    /// item's return fee (the attempt is the fee's, ADR 0035), else what is due, the fare (with any tip added before paying; a
    /// split fare's shares named, ADR 0040; paid in cash, ADR 0042) or a late cancellation's fee.
    /// </summary>
    public static OutboxMessage PaymentRequest(Trip trip) =>
        OutboxMessages.Create(Topics.PaymentCreateSession, trip.Id, trip.Tip is { IsSeparate: true } tip && tip.SeparateAttempt == trip.PaymentAttempt
            ? new PaymentCreateSessionCommand(trip.Id, trip.RiderId, tip.AmountMinor, trip.Currency, tip.SeparateAttempt, PaymentPurposes.Tip, trip.CardId)
            : trip.LostItem is { FeeAttempt: > 0 } lost && lost.FeeAttempt == trip.PaymentAttempt
            ? new PaymentCreateSessionCommand(trip.Id, trip.RiderId, lost.ReturnFeeMinor, trip.Currency, lost.FeeAttempt, PaymentPurposes.ItemReturn, trip.CardId)
            // What is due less a part support waived of it (ADR 0053): the rider pays the rest.
            : new PaymentCreateSessionCommand(trip.Id, trip.RiderId, trip.ChargeDueMinor, trip.Currency, trip.PaymentAttempt,
                trip.Cancellation is null ? PaymentPurposes.Fare : PaymentPurposes.CancellationFee, trip.CardId, SplitShares(trip),
                // The rider paid the driver in cash (ADR 0042): payments records it; a late cancellation's fee is charged as without a hold.
                trip.PayInCash && trip.Cancellation is null ? PaymentCollection.Cash : null,
                // A business ride (ADR 0034) is the employer's expense: the rider's own ride credit is not spent on it (ADR 0051).
                SpendCredit: !trip.Profile.IsBusiness));

    /// <summary>A split fare's accepted shares (ADR 0040), charged to the invitees' cards before the rider pays the rest.</summary>
    private static IReadOnlyList<SplitShare>? SplitShares(Trip trip) =>
        trip.Cancellation is null && trip.Split is { Settled: true } split && split.Accepted.Count > 0
            ? [.. split.Accepted.Select(i => new SplitShare(i.RiderId, i.CardId!, i.ShareMinor))]
            : null;

    private static OutboxMessage Cancelled(Trip trip, string reason, DateTimeOffset now) =>
        OutboxMessages.Create(Topics.TripCancelled, trip.Id, new TripCancelledIntegrationEvent(
            trip.Id, trip.RiderId, trip.DriverId, trip.Cancellation?.By ?? TripActors.Rider, reason, trip.AmountDueMinor, trip.Currency, now, trip.ScheduledFor,
            trip.Promotion?.Code));

    /// <summary>Applies a transition of an existing trip; to anyone who is not part of it the trip does not exist.</summary>
    private async Task<Trip> Change(string tripId, Func<Trip, Trip> transition, Func<Trip, IReadOnlyList<OutboxMessage>> outbox, CancellationToken ct)
    {
        try
        {
            return await repository.Trips.UpdateAsync(tripId, transition, outbox, ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        catch (TripNotYoursException ex)
        {
            throw new TripNotFoundException(ex.Message);
        }
    }

    /// <summary>
    /// A rider sees only their own trips; a driver only the trip assigned to them; support (<paramref name="userId"/>
    /// null) any. Anyone else: not found.
    /// </summary>
    public async Task<Trip> GetAsync(string tripId, string? userId, CancellationToken ct)
    {
        var trip = (await repository.Trips.GetAsync(tripId, ct))?.Document;
        if (trip is null || (userId is not null && trip.RiderId != userId && trip.Driver?.DriverId != userId))
        {
            throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        return trip;
    }

    /// <summary>The caller's unfinished trip (as rider, or as the assigned driver), newest first.</summary>
    public async Task<Trip> GetActiveAsync(string userId, bool asDriver, CancellationToken ct) =>
        await FindActiveAsync(userId, asDriver, ct) ?? throw new TripNotFoundException("You have no active trip.");

    /// <summary>
    /// The user's unfinished trip. A rider's is the trip of their booking claim (they book one at a time); a driver's, the
    /// one they are on (<see cref="DrivingNowAsync"/>); a rider's who booked before claims existed, the newest unfinished
    /// one of their 20 newest.
    /// </summary>
    private async Task<Trip?> FindActiveAsync(string userId, bool asDriver, CancellationToken ct)
    {
        if (!asDriver && await repository.RiderBookings.GetAsync(userId, ct) is { } claim)
        {
            return (await repository.Trips.GetAsync(claim.Document.TripId, ct))?.Document is { IsActive: true } claimed ? claimed : null;
        }
        if (asDriver) return (await DrivingNowAsync(userId, ct)).FirstOrDefault(t => t.IsActive);
        var trips = await repository.Trips.QueryAsync("riderId", userId, 20, ct);
        return trips.Select(t => t.Document).FirstOrDefault(t => t.IsActive);
    }

    /// <summary>
    /// The trips <paramref name="driverId"/> is on now (<see cref="Trip.DrivingDriverId"/>), whenever they were booked.
    /// A trip last written before that field existed carries it from its next write; until then, when the index finds
    /// none, the driver's 20 newest trips are read as before (callers keep the active ones).
    /// </summary>
    private async Task<IReadOnlyList<Trip>> DrivingNowAsync(string driverId, CancellationToken ct)
    {
        var driving = await repository.Trips.QueryAsync(Trip.DrivingDriverField, driverId, 5, ct);
        if (driving.Count == 0) driving = await repository.Trips.QueryAsync("driverId", driverId, 20, ct);
        return driving.Select(t => t.Document).ToList();
    }
}

/// <summary>What the trip would cost ending at <paramref name="Dropoff"/>: its route and fare (the trip as it was read).</summary>
public sealed record DestinationPrice(Trip Trip, GeoPoint Dropoff, RouteEstimate Route, FareBreakdown Fare);

public sealed class TripNotFoundException(string message) : Exception(message);
