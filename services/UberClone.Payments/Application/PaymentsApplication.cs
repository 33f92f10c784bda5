using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Cards;
using UberClone.Payments.Credit;
using UberClone.Payments.Domain;
using UberClone.Payments.Holds;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Application;

/// <summary>One payment a refund gave back from, and its refund there.</summary>
public sealed record RefundedPayment(PaymentSession Session, PaymentRefund Refund);

public sealed class PaymentsApplication(IDocumentDatabase database, IPaymentProvider provider, CardsApplication cards, FareHolds holds, CreditApplication credit, TimeProvider clock,
    PaymentsMetrics metrics, ILogger<PaymentsApplication> logger)
{
    private static readonly TimeSpan SessionValidity = TimeSpan.FromMinutes(30);
    private const int MaxAttemptsPerTrip = 100;

    public IDocumentStore<PaymentSession> Sessions { get; } =
        database.Collection<PaymentSession>("sessions", "tripId", "providerSessionId", "paymentIntentId", PaymentSession.OpenCardSinceField);

    /// <summary>A card session still open this long after it was written is charged again (its command's retries ran out).</summary>
    public static readonly TimeSpan CardChargeRetryAfter = TimeSpan.FromMinutes(1);

    public string ProviderName => provider.Name;

    /// <summary>
    /// Opens the checkout for a trip's attempt, at most once: a redelivered command finds the session it created, the
    /// provider sees one idempotency key per trip and attempt, and a charge that is already paid gets no new checkout.
    /// A newer attempt makes the older open checkouts of the same charge unpayable, so one charge cannot be paid twice.
    /// (A trip has three charges at most: its fare or cancellation fee, a tip added after paying the fare, and a lost item's return fee.)
    /// When the rider saved a card that was not declined for this charge yet, the card is charged instead (ADR 0024);
    /// when the money was held on the card at booking and the hold covers the charge, it is taken from the hold (ADR 0027).
    /// </summary>
    public async Task<PaymentSession?> CreateSessionAsync(PaymentCreateSessionCommand command, CancellationToken ct)
    {
        var id = PaymentSession.IdFor(command.TripId, command.Attempt);
        if (await Sessions.GetAsync(id, ct) is { } existing)
        {
            // A card session written but not charged (the process stopped in between): charged now, with the same key.
            return existing.Document is { IsCard: true, Status: PaymentStatus.Open } uncharged ? await ChargeAsync(uncharged, ct) : existing.Document;
        }

        var others = (await Sessions.QueryAsync("tripId", command.TripId, MaxAttemptsPerTrip, ct))
            .Where(s => PaymentPurposes.SameCharge(s.Document.Purpose, command.Purpose)).ToList();
        if (others.FirstOrDefault(s => s.Document.IsPaid) is { } paid)
        {
            logger.LogWarning("Trip {TripId} is already paid by {SessionId}: no checkout for attempt {Attempt}.", command.TripId, paid.Id, command.Attempt);
            return null;
        }
        if (command.Method == PaymentCollection.Cash) return await RecordCashAsync(command, id, ct);
        var splitPaid = 0L;
        if (command.Splits is { Count: > 0 } shares && command.Purpose == PaymentPurposes.Fare)
        {
            splitPaid = await ChargeSharesAsync(command, shares, ct);
            command = command with { AmountMinor = command.AmountMinor - splitPaid };
        }
        // Ride credit pays first (ADR 0051), once per trip's charge: every attempt of it takes only the rest elsewhere.
        // Not a business ride's (the employer's expense, ADR 0034: SpendCredit false).
        var creditPaid = 0L;
        if (PaymentPurposes.IsTripCharge(command.Purpose) && command.SpendCredit)
        {
            creditPaid = await credit.SpendAsync(command.RiderId, command.Currency, CreditSpendId(command), command.AmountMinor, command.TripId, ct);
            command = command with { AmountMinor = command.AmountMinor - creditPaid };
            if (command.AmountMinor == 0 && creditPaid > 0) return await RecordCreditAsync(command, id, splitPaid, creditPaid, ct);
        }
        if (PaymentPurposes.IsTripCharge(command.Purpose) && await holds.ForChargeAsync(command.TripId, command.AmountMinor, command.Currency, ct) is { } hold)
        {
            return await ChargeCardAsync(command, id, hold.CardId, hold.CardLabel, hold.PaymentIntentId, others, ct, splitPaid, creditPaid);
        }
        // The card the rider chose for the ride, else the default; one already declined for this charge is not charged
        // again (the retry goes to the default if that is another card, else to a checkout).
        bool DeclinedHere(ChargeableCard c) => others.Any(s => s.Document is { IsCard: true, Status: PaymentStatus.Failed } declined && declined.CardId == c.Card.Id);
        var card = await cards.ChargeableCardAsync(command.RiderId, ct, command.CardId);
        if (card is not null && DeclinedHere(card) && command.CardId is not null) card = await cards.ChargeableCardAsync(command.RiderId, ct);
        if (card is not null && !DeclinedHere(card))
        {
            return await ChargeCardAsync(command, id, card.Card.Id, card.Card.Label, null, others, ct, splitPaid, creditPaid);
        }

        var checkout = await provider.CreateCheckoutAsync(
            new CheckoutRequest(id, command.TripId, command.RiderId, command.AmountMinor, command.Currency, command.Attempt, command.Purpose), ct);
        var session = NewSession(command, id, checkout.ProviderSessionId, checkout.Url, checkout.ExpiresAt) with { SplitPaidMinor = splitPaid, CreditPaidMinor = creditPaid };
        try
        {
            await Sessions.InsertAsync(id, session, [OutboxMessages.Create(Topics.PaymentSessionCreated, command.TripId,
                new PaymentSessionCreatedIntegrationEvent(id, session.TripId, session.RiderId, session.AmountMinor, session.Currency, session.CheckoutUrl, session.ExpiresAt, session.Purpose))], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await Sessions.GetAsync(id, ct))!.Document;
        }

        foreach (var older in others.Where(s => s.Document.Status is PaymentStatus.Open && s.Document.Attempt < command.Attempt))
        {
            await SupersedeAsync(older.Document, ct);
        }
        return session;
    }

    /// <summary>
    /// The card session is written first (telling the rider's app which card is charged), then the card charged: a
    /// redelivered command finds the session open and charges it with the same idempotency key, never twice. A session
    /// taking its money from the booking's hold (<paramref name="holdIntentId"/>) names the hold's PaymentIntent from the
    /// start, so the provider's webhook finds it even if the capture's answer is lost.
    /// </summary>
    private async Task<PaymentSession?> ChargeCardAsync(PaymentCreateSessionCommand command, string id, string cardId, string cardLabel, string? holdIntentId,
        IReadOnlyList<Versioned<PaymentSession>> others, CancellationToken ct, long splitPaid = 0, long creditPaid = 0)
    {
        var session = NewSession(command, id, "card_" + id, "", null) with
        {
            Method = PaymentMethods.Card, CardId = cardId, CardLabel = cardLabel, FromHold = holdIntentId is not null, PaymentIntentId = holdIntentId,
            SplitPaidMinor = splitPaid, CreditPaidMinor = creditPaid,
        };
        try
        {
            await Sessions.InsertAsync(id, session, [OutboxMessages.Create(Topics.PaymentSessionCreated, command.TripId,
                new PaymentSessionCreatedIntegrationEvent(id, session.TripId, session.RiderId, session.AmountMinor, session.Currency, "", session.ExpiresAt,
                    session.Purpose, PaymentMethods.Card, cardLabel))], ct);
        }
        catch (DuplicateDocumentException)
        {
            session = (await Sessions.GetAsync(id, ct))!.Document;
        }
        foreach (var older in others.Where(s => s.Document.Status is PaymentStatus.Open && s.Document.Attempt < command.Attempt))
        {
            await SupersedeAsync(older.Document, ct);
        }
        return session.Status == PaymentStatus.Open ? await ChargeAsync(session, ct) : session;
    }

    /// <summary>
    /// The rider paid the driver in cash (ADR 0042): a session of method cash, paid when written, without asking the
    /// provider anything, published as any payment that went through (<c>payment.event.succeeded</c>, "cash" for the card
    /// label), so the trip is paid. The driver's ledger owes the platform its part through trips' earnings change.
    /// </summary>
    private async Task<PaymentSession> RecordCashAsync(PaymentCreateSessionCommand command, string id, CancellationToken ct)
    {
        var session = NewSession(command, id, "cash_" + id, "", null) with { Method = PaymentMethods.Cash, Provider = PaymentMethods.Cash, Status = PaymentStatus.Succeeded };
        try
        {
            await Sessions.InsertAsync(id, session, [OutboxMessages.Create(Topics.PaymentSucceeded, session.TripId, new PaymentSucceededIntegrationEvent(
                session.Id, session.TripId, session.RiderId, session.AmountMinor, session.Currency, session.CreatedAt, session.Purpose, session.Attempt, PaymentCollection.Cash))], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await Sessions.GetAsync(id, ct))!.Document;
        }
        metrics.Succeeded(session.Purpose);
        return session;
    }

    /// <summary>
    /// Ride credit paid all of the charge (ADR 0051): a session of method credit, paid when written, published as any
    /// payment that went through ("ride credit" for the card label), with nothing asked of the provider. A hold placed at
    /// booking is let go: nothing is taken from it.
    /// </summary>
    private async Task<PaymentSession> RecordCreditAsync(PaymentCreateSessionCommand command, string id, long splitPaid, long creditPaid, CancellationToken ct)
    {
        var session = NewSession(command, id, "credit_" + id, "", null) with
        {
            Method = PaymentMethods.Credit, Provider = PaymentMethods.Credit, Status = PaymentStatus.Succeeded, CardLabel = PaymentCollection.RideCredit,
            SplitPaidMinor = splitPaid, CreditPaidMinor = creditPaid,
        };
        try
        {
            await Sessions.InsertAsync(id, session, [OutboxMessages.Create(Topics.PaymentSucceeded, session.TripId, new PaymentSucceededIntegrationEvent(
                session.Id, session.TripId, session.RiderId, 0, session.Currency, session.CreatedAt, session.Purpose, session.Attempt, PaymentCollection.RideCredit,
                splitPaid, creditPaid))], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await Sessions.GetAsync(id, ct))!.Document;
        }
        metrics.Succeeded(session.Purpose);
        if (await holds.GetAsync(command.TripId, ct) is not null) await holds.ReleaseAsync(command.TripId, "paid_with_credit", ct);
        return session;
    }

    /// <summary>Which credit entry pays a trip's charge: one per trip and charge, whatever the attempt.</summary>
    private static string CreditSpendId(PaymentCreateSessionCommand command) => $"spend:{command.TripId}:{command.Purpose}";

    /// <summary>
    /// A split fare's shares (ADR 0040), each charged to its invitee's card before the rider's payment: a card session of its
    /// own per invitee (<see cref="PaymentSession.ShareIdFor"/>), written first and charged with a key of its own, so a
    /// redelivered command or a retried attempt of the fare finds it and never charges it twice. A share the card declined
    /// (or whose card was removed) is the rider's to pay. A provider error leaves the share open and fails the command
    /// (redelivered). What the invitees' cards paid.
    /// </summary>
    private async Task<long> ChargeSharesAsync(PaymentCreateSessionCommand command, IReadOnlyList<SplitShare> shares, CancellationToken ct)
    {
        var paid = 0L;
        foreach (var share in shares)
        {
            var id = PaymentSession.ShareIdFor(command.TripId, share.RiderId);
            var session = (await Sessions.GetAsync(id, ct))?.Document;
            if (session is null)
            {
                var label = (await cards.WalletAsync(share.RiderId, ct))?.Find(share.CardId)?.Label;
                var written = NewSession(command with { RiderId = share.RiderId, AmountMinor = share.AmountMinor, Purpose = PaymentPurposes.SplitShare, Splits = null },
                    id, "card_" + id, "", null) with { Method = PaymentMethods.Card, CardId = share.CardId, CardLabel = label };
                try
                {
                    await Sessions.InsertAsync(id, written, ct: ct);
                    session = written;
                }
                catch (DuplicateDocumentException)
                {
                    session = (await Sessions.GetAsync(id, ct))!.Document;
                }
            }
            if (session.Status == PaymentStatus.Open) session = await ChargeAsync(session, ct);
            if (session is { IsPaid: true }) paid += session.AmountMinor;
        }
        return paid;
    }

    /// <summary>
    /// Charges an open card session off-session. A decline (or a bank asking for authentication) fails the session
    /// with its code, so the rider pays another way; a provider error leaves it open, to be charged on redelivery.
    /// A card removed before it was charged is not charged. A session taking its money from the booking's hold captures
    /// it; a hold the provider no longer has (expired) is replaced by charging the card.
    /// </summary>
    private async Task<PaymentSession?> ChargeAsync(PaymentSession session, CancellationToken ct)
    {
        if (session.FromHold && await holds.CaptureAsync(session.TripId, session.AmountMinor, ct) is { Succeeded: true } captured)
        {
            logger.LogInformation("Card charge of {SessionId}: taken from the booking's hold", session.Id);
            return await CompleteAsync(session.Id, captured.PaymentIntentId, $"capture_{captured.PaymentIntentId}", ct);
        }
        var wallet = await cards.WalletAsync(session.RiderId, ct);
        if (wallet?.Find(session.CardId ?? "") is not { } card)
        {
            return await FailAsync(session.Id, "card_removed", null, $"charge_{session.Id}_card_removed", ct);
        }
        var charge = await provider.ChargeCardAsync(new CardChargeRequest(session.Id, session.TripId, session.RiderId, session.AmountMinor,
            session.Currency, session.Attempt, session.Purpose, wallet.CustomerId, card.ProviderPaymentMethodId), ct);
        var intent = charge.PaymentIntentId is { Length: > 0 } pi ? pi : null;
        logger.LogInformation("Card charge of {SessionId}: {Outcome}", session.Id, charge.Succeeded ? "paid" : charge.DeclineCode);
        return charge.Succeeded
            ? await CompleteAsync(session.Id, intent, $"charge_{intent ?? session.Id}", ct)
            : await FailAsync(session.Id, charge.DeclineCode ?? "card_declined", intent, $"charge_{intent ?? session.Id}_declined", ct);
    }

    /// <summary>
    /// Card sessions the provider did not answer for (an outage outlasting the command's few retries) are charged again,
    /// with the same idempotency key; one still unanswered when it expires (30 minutes) fails as
    /// <c>provider_unavailable</c>, so the rider can pay another way (a charge that did go through still completes it,
    /// by Stripe's <c>payment_intent.succeeded</c>). How many were found.
    /// </summary>
    public async Task<int> RetryOpenCardChargesAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await Sessions.QueryUpToAsync(PaymentSession.OpenCardSinceField, (now - CardChargeRetryAfter).ToUnixTimeMilliseconds(), limit, ct);
        foreach (var session in open.Select(s => s.Document))
        {
            try
            {
                await ChargeAsync(session, ct);
            }
            catch (PaymentProviderException ex) when (now > session.ExpiresAt)
            {
                logger.LogWarning(ex, "The provider never answered for card session {SessionId}: failing it.", session.Id);
                await FailAsync(session.Id, ProviderUnavailable, null, $"charge_{session.Id}_unavailable", ct);
            }
            catch (PaymentProviderException ex)
            {
                logger.LogWarning(ex, "Card session {SessionId} is still not charged; trying again later.", session.Id);
            }
        }
        return open.Count;
    }

    /// <summary>
    /// The provider could not open the checkout on the command's last attempt (an outage): the attempt is recorded as
    /// failed (<c>provider_unavailable</c>) with <c>payment.event.failed</c>, so the trip says its payment failed and the
    /// rider can retry, instead of waiting for a checkout that never comes. A session already written (a card session
    /// being charged, which <see cref="RetryOpenCardChargesAsync"/> finishes) is left as it is.
    /// </summary>
    public async Task<PaymentSession> GiveUpOpeningAsync(PaymentCreateSessionCommand command, CancellationToken ct)
    {
        var id = PaymentSession.IdFor(command.TripId, command.Attempt);
        if (await Sessions.GetAsync(id, ct) is { } existing) return existing.Document;
        var failed = NewSession(command, id, "unopened_" + id, "", null) with { Status = PaymentStatus.Failed, FailureReason = ProviderUnavailable };
        try
        {
            await Sessions.InsertAsync(id, failed, [FailedMessage(failed)], ct);
        }
        catch (DuplicateDocumentException)
        {
            return (await Sessions.GetAsync(id, ct))!.Document;
        }
        metrics.Failed(ProviderUnavailable);
        logger.LogWarning("The provider could not open a checkout for {SessionId}: recorded as failed, the rider may retry.", id);
        return failed;
    }

    public const string ProviderUnavailable = "provider_unavailable";

    private PaymentSession NewSession(PaymentCreateSessionCommand command, string id, string providerSessionId, string checkoutUrl, DateTimeOffset? expiresAt)
    {
        var now = clock.GetUtcNow();
        return new PaymentSession
        {
            Id = id,
            TripId = command.TripId,
            RiderId = command.RiderId,
            AmountMinor = command.AmountMinor,
            Currency = command.Currency.ToUpperInvariant(),
            Attempt = command.Attempt,
            Purpose = command.Purpose,
            Status = PaymentStatus.Open,
            Provider = provider.Name,
            ProviderSessionId = providerSessionId,
            CheckoutUrl = checkoutUrl,
            CreatedAt = now,
            ExpiresAt = expiresAt ?? now + SessionValidity,
            UpdatedAt = now,
        };
    }

    private Task SupersedeAsync(PaymentSession older, CancellationToken ct) => CloseAsync(older, "superseded", ct);

    /// <summary>
    /// Support waived what the rider owed on <paramref name="tripId"/> (ADR 0053): the failed checkouts of what was waived
    /// (<paramref name="fare"/>: the trip's charge; <paramref name="returnFee"/>: a lost item's return fee) can no longer be
    /// paid. One paid in that moment still counts: its success reaches trips, which records the trip paid.
    /// </summary>
    public async Task CloseWaivedAsync(string tripId, bool fare, bool returnFee, CancellationToken ct)
    {
        var waived = (await Sessions.QueryAsync("tripId", tripId, MaxAttemptsPerTrip, ct)).Select(s => s.Document)
            .Where(s => s.Status is PaymentStatus.Open or PaymentStatus.Failed
                && ((fare && PaymentPurposes.IsTripCharge(s.Purpose)) || (returnFee && s.Purpose == PaymentPurposes.ItemReturn)));
        foreach (var session in waived) await CloseAsync(session, WaivedReason, ct);
    }

    public const string WaivedReason = "waived";

    /// <summary>The session can no longer be paid (<paramref name="reason"/>): its checkout expired at the provider first.</summary>
    private async Task CloseAsync(PaymentSession older, string reason, CancellationToken ct)
    {
        if (older.IsCard)
        {
            // Nothing to expire at the provider: a charge in flight that goes through is refunded as a duplicate.
            await Sessions.UpdateAsync(older.Id, s => s.Expire(reason, null, clock.GetUtcNow()), ct: ct);
            return;
        }
        try
        {
            await provider.ExpireCheckoutAsync(older.ProviderSessionId, ct);
        }
        catch (PaymentProviderException ex)
        {
            // Already completed or expired at the provider: its webhook settles the session.
            logger.LogWarning(ex, "Could not expire checkout {SessionId} ({Reason}).", older.Id, reason);
        }
        await Sessions.UpdateAsync(older.Id, s => s.Expire(reason, null, clock.GetUtcNow()), ct: ct);
    }

    public async Task<PaymentSession?> GetAsync(string sessionId, CancellationToken ct) => (await Sessions.GetAsync(sessionId, ct))?.Document;

    public async Task<PaymentSession?> FindByProviderSessionAsync(string providerSessionId, CancellationToken ct) =>
        (await Sessions.QueryAsync("providerSessionId", providerSessionId, 1, ct)).FirstOrDefault()?.Document;

    public async Task<PaymentSession?> FindByPaymentIntentAsync(string paymentIntentId, CancellationToken ct) =>
        (await Sessions.QueryAsync("paymentIntentId", paymentIntentId, 1, ct)).FirstOrDefault()?.Document;

    public async Task<PaymentSession?> LatestForTripAsync(string tripId, CancellationToken ct) =>
        (await Sessions.QueryAsync("tripId", tripId, 1, ct)).FirstOrDefault()?.Document;

    /// <summary>
    /// The paid session of a trip's charge (its fare or cancellation fee; one, unless a duplicate payment was refunded:
    /// see <see cref="CompleteAsync"/>), not of a tip paid on its own or a lost item's return fee.
    /// </summary>
    public async Task<PaymentSession?> PaidForTripAsync(string tripId, CancellationToken ct) =>
        (await Sessions.QueryAsync("tripId", tripId, MaxAttemptsPerTrip, ct)).Select(s => s.Document)
            .Where(s => PaymentPurposes.IsTripCharge(s.Purpose))
            .OrderByDescending(s => s.RefundableMinor > 0).FirstOrDefault(s => s.IsPaid);

    /// <summary>
    /// The provider took the money. If another attempt of the same trip was paid already (a replaced Stripe checkout
    /// paid in the moment it was being expired), this payment publishes no second success and is refunded at once.
    /// </summary>
    public async Task<PaymentSession?> CompleteAsync(string sessionId, string? paymentIntentId, string eventId, CancellationToken ct)
    {
        var current = await GetAsync(sessionId, ct);
        if (current is null) return null;
        // A split fare's shares (ADR 0040) are each their invitee's own charge.
        var paidElsewhere = (await Sessions.QueryAsync("tripId", current.TripId, MaxAttemptsPerTrip, ct))
            .FirstOrDefault(s => s.Id != sessionId && s.Document.IsPaid && PaymentPurposes.SameCharge(s.Document.Purpose, current.Purpose)
                && s.Document.RiderId == current.RiderId)?.Document;
        // A duplicate's ride credit is the paid payment's (credit is spent once per charge): not given back with it.
        var completed = await Sessions.UpdateAsync(sessionId, s => paidElsewhere is null || s.IsPaid
                ? s.Complete(paymentIntentId, eventId, clock.GetUtcNow())
                : s.Complete(paymentIntentId, eventId, clock.GetUtcNow()) with { CreditPaidMinor = 0 },
            s => paidElsewhere is not null ? []
                : s.Purpose == PaymentPurposes.SplitShare ? [ShareChargedMessage(s)]
                : [OutboxMessages.Create(Topics.PaymentSucceeded, s.TripId,
                    new PaymentSucceededIntegrationEvent(s.Id, s.TripId, s.RiderId, s.AmountMinor, s.Currency, s.UpdatedAt, s.Purpose, s.Attempt, s.CardLabel, s.SplitPaidMinor,
                        s.CreditPaidMinor))],
            ct);
        if (paidElsewhere is null && !current.IsPaid && completed is { IsPaid: true }) metrics.Succeeded(completed.Purpose);
        if (paidElsewhere is not null && completed is { IsPaid: true, RefundedMinor: 0 })
        {
            logger.LogWarning("Trip {TripId} was paid twice ({Paid} and {Duplicate}): refunding the duplicate.", completed.TripId, paidElsewhere.Id, completed.Id);
            completed = await RefundSessionAsync(completed, $"duplicate-{completed.Id}", completed.CardRefundableMinor, DuplicatePaymentReason, RefundKinds.DuplicatePayment,
                "payments", ct);
        }
        return completed;
    }

    public const string DuplicatePaymentReason = "duplicate_payment";

    public Task<PaymentSession?> FailAsync(string sessionId, string reason, string? paymentIntentId, string eventId, CancellationToken ct) =>
        EndWithoutPaymentAsync(sessionId, s => s.Fail(reason, paymentIntentId, eventId, clock.GetUtcNow()), ct);

    public Task<PaymentSession?> ExpireAsync(string sessionId, string eventId, CancellationToken ct) =>
        EndWithoutPaymentAsync(sessionId, s => s.Expire("expired", eventId, clock.GetUtcNow()), ct);

    private async Task<PaymentSession?> EndWithoutPaymentAsync(string sessionId, Func<PaymentSession, PaymentSession> transition, CancellationToken ct)
    {
        var changed = false;
        var ended = await Sessions.UpdateAsync(sessionId, s =>
        {
            var next = transition(s);
            changed = !ReferenceEquals(next, s);
            return next;
        }, s => [s.Purpose == PaymentPurposes.SplitShare ? ShareChargedMessage(s) : FailedMessage(s)], ct);
        if (changed && ended is not null) metrics.Failed(ended.FailureReason ?? ended.Status);
        return ended;
    }

    /// <summary>
    /// The provider's running total of refunds went up. The part that refunds in flight here (reserved, not yet
    /// confirmed: the provider's webhook can overtake its own answer) do not explain was made at the provider and is
    /// published as such; the refunds in flight publish their own amount, with their kind, once confirmed.
    /// </summary>
    public async Task<PaymentSession?> RecordRefundedTotalAsync(string sessionId, long refundedTotalMinor, string? providerRefundId, string eventId, CancellationToken ct)
    {
        long before = 0;
        return await Sessions.UpdateAsync(sessionId, s =>
        {
            before = s.RefundedMinor;
            return s.RecordRefundedTotal(refundedTotalMinor, eventId, clock.GetUtcNow());
        }, s =>
        {
            var inFlight = s.Refunds.Where(r => !r.Completed).Sum(r => r.ToCardMinor);
            var unexplained = s.RefundedMinor - before - inFlight;
            return unexplained > 0 ? [RefundedMessage(s, providerRefundId ?? eventId, unexplained, "provider", RefundKinds.Provider)] : [];
        }, ct);
    }

    /// <summary>
    /// Refunds part or all of a trip's payment. The amount is reserved on the session first (so concurrent refunds
    /// cannot exceed what was paid), then the provider is asked with the refund id as idempotency key; repeating a
    /// request with the same refund id resumes it instead of refunding again. <paramref name="kind"/>: who bears it
    /// (<see cref="RefundKinds"/>); a resumed refund keeps the kind it was reserved with. The session answered is the
    /// rider's (of a split fare, the first payment refunded: see <see cref="RefundTripAsync"/>).
    /// </summary>
    public async Task<PaymentSession> RefundAsync(string tripId, string refundId, long? amountMinor, string reason, string kind, string requestedBy, CancellationToken ct) =>
        (await RefundTripAsync(tripId, refundId, amountMinor, reason, kind, requestedBy, ct))[0].Session;

    /// <summary>
    /// <see cref="RefundAsync"/>, answering every payment refunded: one, or of a split fare's fare refund (ADR 0040, kind
    /// goodwill or fare adjustment) the requester's and each invitee's share, the amount shared among them by
    /// <see cref="SplitFareRefund"/>. Each part is a refund of its own payment (the requester's with
    /// <paramref name="refundId"/>, an invitee's with <see cref="SplitPartId"/>), published on its own, so each rider is
    /// told what came back to them; the driver's fare adjustment is their sum. A retried request finds the parts it
    /// reserved already and resumes them.
    /// </summary>
    public async Task<IReadOnlyList<RefundedPayment>> RefundTripAsync(string tripId, string refundId, long? amountMinor, string reason, string kind, string requestedBy,
        CancellationToken ct)
    {
        var paid = kind switch
        {
            RefundKinds.Tip => await PaidOnItsOwnAsync(tripId, PaymentPurposes.Tip, ct)
                ?? throw new RefundRejectedException($"Trip {tripId} has no tip paid on its own to refund."),
            RefundKinds.ItemReturn => await PaidOnItsOwnAsync(tripId, PaymentPurposes.ItemReturn, ct)
                ?? throw new RefundRejectedException($"Trip {tripId} has no lost item's return fee paid to refund."),
            _ => await PaidForTripAsync(tripId, ct) ?? throw new RefundRejectedException($"Trip {tripId} has no paid payment to refund."),
        };
        // ADR 0042: the money is with the driver; what support gives back is ride credit (ADR 0051).
        if (paid.Method == PaymentMethods.Cash && kind != RefundKinds.Credit)
        {
            throw new RefundRejectedException($"Trip {tripId} was paid in cash: it can be refunded only as ride credit (kind {RefundKinds.Credit}).");
        }
        // Credit goes to the rider whose payment it is: a split fare's invitees keep their shares (ADR 0051).
        var shares = kind is RefundKinds.Tip or RefundKinds.ItemReturn or RefundKinds.Credit
            ? []
            : (await Sessions.QueryAsync("tripId", tripId, MaxAttemptsPerTrip, ct)).Select(s => s.Document)
                .Where(s => s is { Purpose: PaymentPurposes.SplitShare, IsPaid: true }).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToList();
        if (shares.Count == 0)
        {
            var refunded = await RefundSessionAsync(paid, refundId, amountMinor, reason, kind, requestedBy, ct);
            return [new RefundedPayment(refunded, refunded.Refunds.First(r => r.Id == refundId))];
        }

        // A retried request shares the amount as the first did: what its own parts took is counted as still there.
        var payments = shares.Prepend(paid).ToList();
        string PartId(PaymentSession s) => s == paid ? refundId : SplitPartId(refundId, s.RiderId);
        var plan = SplitFareRefund.Share(amountMinor,
            [.. payments.Select(s => new SplitFarePayment(s.Id, s == paid, s.PaidTotalMinor,
                s.RefundableMinor + (s.Refunds.FirstOrDefault(r => r.Id == PartId(s))?.AmountMinor ?? 0)))], paid.Currency);
        var parts = new List<RefundedPayment>();
        foreach (var part in plan)
        {
            var session = payments.First(s => s.Id == part.SessionId);
            var refunded = await RefundSessionAsync(session, PartId(session), part.AmountMinor, reason, kind, requestedBy, ct);
            parts.Add(new RefundedPayment(refunded, refunded.Refunds.First(r => r.Id == PartId(session))));
        }
        return parts.Count > 0 ? parts : throw new RefundRejectedException($"Trip {tripId}'s payments were refunded in full already.");
    }

    /// <summary>The id of an invitee's part of a split fare's refund <paramref name="refundId"/> (ADR 0040): the refund's own on their payment.</summary>
    public static string SplitPartId(string refundId, string riderId) => $"{refundId}_split_{riderId}";

    /// <summary>The paid session of a charge of its own after the fare (<paramref name="purpose"/>: a tip, a lost item's return fee), one with something left to refund first.</summary>
    private async Task<PaymentSession?> PaidOnItsOwnAsync(string tripId, string purpose, CancellationToken ct) =>
        (await Sessions.QueryAsync("tripId", tripId, MaxAttemptsPerTrip, ct)).Select(s => s.Document)
            .Where(s => s.Purpose == purpose).OrderByDescending(s => s.RefundableMinor > 0).FirstOrDefault(s => s.IsPaid);

    /// <summary>Every payment of a trip (each attempt, the fare's and a tip's), newest first: what support looks at.</summary>
    public async Task<IReadOnlyList<PaymentSession>> AllForTripAsync(string tripId, CancellationToken ct) =>
        (await Sessions.QueryAsync("tripId", tripId, 100, ct)).Select(s => s.Document).OrderByDescending(s => s.CreatedAt).ToList();

    private async Task<PaymentSession> RefundSessionAsync(PaymentSession paid, string refundId, long? amountMinor, string reason, string kind, string requestedBy, CancellationToken ct)
    {
        var tripId = paid.TripId;
        var existing = paid.Refunds.FirstOrDefault(r => r.Id == refundId);
        if (existing is { Completed: true }) return paid;
        var amount = existing?.AmountMinor ?? amountMinor ?? paid.RefundableMinor;

        var reserved = await Sessions.UpdateAsync(paid.Id, s => s.ReserveRefund(refundId, amount, reason, clock.GetUtcNow(), kind, requestedBy), ct: ct)
            ?? throw new RefundRejectedException($"Payment {paid.Id} no longer exists.");
        // The card's part from the provider (asked first: a refusal there releases all of it), then ride credit's (ADR 0051).
        var reservedRefund = reserved.Refunds.First(r => r.Id == refundId);
        ProviderRefund refund;
        try
        {
            refund = reservedRefund.ToCardMinor > 0
                ? await provider.RefundAsync(new RefundRequest(refundId, reserved.Id, tripId, reserved.PaymentIntentId ?? "", reservedRefund.ToCardMinor, reason), ct)
                : new ProviderRefund($"credit_{refundId}", "succeeded");
        }
        catch (PaymentProviderException)
        {
            await Sessions.UpdateAsync(paid.Id, s => s.ReleaseRefund(refundId, clock.GetUtcNow()), ct: ct);
            throw;
        }
        if (refund.Status is "failed" or "canceled")
        {
            await Sessions.UpdateAsync(paid.Id, s => s.ReleaseRefund(refundId, clock.GetUtcNow()), ct: ct);
            throw new PaymentProviderException($"The provider answered {refund.Status} for refund {refundId}.", null);
        }

        if (reservedRefund.ToCreditMinor > 0) await RefundAsCreditAsync(reserved, reservedRefund, ct);

        // Published when this refund is confirmed, even if the provider's webhook already raised the total.
        var confirmedNow = false;
        var refunded = (await Sessions.UpdateAsync(paid.Id, s =>
        {
            confirmedNow = s.Refunds.Any(r => r.Id == refundId && !r.Completed);
            return s.CompleteRefund(refundId, refund.ProviderRefundId, clock.GetUtcNow());
        }, s => confirmedNow ? [RefundedMessage(s, s.Refunds.First(r => r.Id == refundId))] : [], ct))!;
        if (confirmedNow) metrics.Refunded(amount, refunded.Currency);
        return refunded;
    }

    /// <summary>
    /// A refund's ride credit part (ADR 0051): all of a refund of kind credit (instead of the card, or the driver for a fare
    /// paid in cash), or what ride credit had paid of a refund of another kind. The credit entry is keyed by the refund's
    /// id, so a resumed refund adds it once; no provider is asked for it.
    /// </summary>
    private Task RefundAsCreditAsync(PaymentSession paid, PaymentRefund refund, CancellationToken ct) =>
        credit.AddAsync(paid.RiderId, refund.Id, PaymentCreditAddedIntegrationEvent.Refund, refund.ToCreditMinor, paid.Currency, refund.RequestedBy ?? "support",
            refund.Reason, paid.TripId, ct);

    private static OutboxMessage ShareChargedMessage(PaymentSession s) => OutboxMessages.Create(Topics.PaymentSplitShareCharged, s.TripId,
        new PaymentSplitShareChargedIntegrationEvent(s.Id, s.TripId, s.RiderId, s.AmountMinor, s.Currency, s.IsPaid, s.CardLabel, s.IsPaid ? null : s.FailureReason, s.UpdatedAt));

    private static OutboxMessage FailedMessage(PaymentSession s) => OutboxMessages.Create(Topics.PaymentFailed, s.TripId,
        new PaymentFailedIntegrationEvent(s.Id, s.TripId, s.RiderId, s.FailureReason ?? "failed", s.UpdatedAt, s.Attempt, s.Purpose, s.CreditPaidMinor));

    private static OutboxMessage RefundedMessage(PaymentSession s, PaymentRefund refund) =>
        RefundedMessage(s, refund.Id, refund.AmountMinor, refund.Reason, refund.Kind, refund.ToCreditMinor);

    private static OutboxMessage RefundedMessage(PaymentSession s, string refundId, long amount, string reason, string kind, long creditMinor = 0) =>
        OutboxMessages.Create(Topics.PaymentRefunded, s.TripId, new PaymentRefundedIntegrationEvent(
            s.Id, s.TripId, s.RiderId, refundId, amount, s.RefundedMinor, s.Currency, reason, s.Status == PaymentStatus.Refunded, s.UpdatedAt, kind, creditMinor));
}
