using Stripe;
using Stripe.Checkout;
using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Payments.Providers;

/// <summary>
/// Stripe Checkout through Stripe.net. The trip and payment session ids travel as metadata on the Checkout Session and on
/// its PaymentIntent, so every webhook (session completed/expired, payment failed) names the session it concerns.
/// </summary>
public sealed class StripePaymentProvider(IStripeClient stripe, PaymentsOptions options) : IPaymentProvider
{
    public const string ProviderName = "stripe";

    public string Name => ProviderName;

    public static string CheckoutIdempotencyKey(string tripId, int attempt) => $"checkout-{tripId}-{attempt}";

    public static string RefundIdempotencyKey(string refundId) => $"refund-{refundId}";

    public async Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct)
    {
        var metadata = Metadata(request.PaymentSessionId, request.TripId, request.Attempt, request.Purpose);
        var create = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = request.TripId,
            SuccessUrl = options.SuccessUrl,
            CancelUrl = options.CancelUrl,
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = request.Currency.ToLowerInvariant(),
                        UnitAmount = request.AmountMinor,
                        ProductData = new SessionLineItemPriceDataProductDataOptions
                        {
                            Name = request.Purpose switch
                            {
                                PaymentPurposes.CancellationFee => $"Cancellation fee, trip {request.TripId}",
                                PaymentPurposes.Tip => $"Tip for your driver, trip {request.TripId}",
                                PaymentPurposes.ItemReturn => $"Lost item returned by your driver, trip {request.TripId}",
                                _ => $"Trip {request.TripId}",
                            },
                        },
                    },
                },
            ],
        };
        try
        {
            var session = await new SessionService(stripe).CreateAsync(create,
                new RequestOptions { IdempotencyKey = CheckoutIdempotencyKey(request.TripId, request.Attempt) }, ct);
            return new ProviderCheckout(session.Id, session.Url, session.ExpiresAt == default ? null : new DateTimeOffset(session.ExpiresAt, TimeSpan.Zero));
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe refused the checkout session: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public async Task ExpireCheckoutAsync(string providerSessionId, CancellationToken ct)
    {
        try
        {
            await new SessionService(stripe).ExpireAsync(providerSessionId, cancellationToken: ct);
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not expire {providerSessionId}: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public async Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        var create = new RefundCreateOptions
        {
            PaymentIntent = request.PaymentIntentId,
            Amount = request.AmountMinor,
            // Stripe's reason is an enum; the operator's own words travel as metadata.
            Reason = "requested_by_customer",
            Metadata = new Dictionary<string, string>
            {
                ["trip_id"] = request.TripId,
                ["payment_session_id"] = request.PaymentSessionId,
                ["refund_id"] = request.RefundId,
                ["reason"] = request.Reason,
            },
        };
        try
        {
            var refund = await new RefundService(stripe).CreateAsync(create, new RequestOptions { IdempotencyKey = RefundIdempotencyKey(request.RefundId) }, ct);
            return new ProviderRefund(refund.Id, refund.Status);
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe refused the refund: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public static string CustomerIdempotencyKey(string riderId) => $"customer-{riderId}";

    public static string ChargeIdempotencyKey(string tripId, int attempt) => $"charge-{tripId}-{attempt}";

    public async Task<string> CustomerAsync(string riderId, CancellationToken ct) =>
        (await Call("create the customer", () => new CustomerService(stripe).CreateAsync(
            new CustomerCreateOptions { Metadata = new Dictionary<string, string> { ["rider_id"] = riderId } },
            new RequestOptions { IdempotencyKey = CustomerIdempotencyKey(riderId) }, ct))).Id;

    public async Task<ProviderCheckout> CreateCardSetupAsync(CardSetupRequest request, CancellationToken ct)
    {
        var metadata = new Dictionary<string, string> { ["rider_id"] = request.RiderId, ["card_setup_id"] = request.SetupId };
        var session = await Call("open the card setup", () => new SessionService(stripe).CreateAsync(new SessionCreateOptions
        {
            Mode = "setup",
            Customer = request.CustomerId,
            AllowedPaymentMethodTypes = ["card"],
            SuccessUrl = options.CardAddedUrl,
            CancelUrl = options.CardCancelledUrl,
            Metadata = metadata,
            SetupIntentData = new SessionSetupIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        }, new RequestOptions { IdempotencyKey = $"card-setup-{request.SetupId}" }, ct));
        return new ProviderCheckout(session.Id, session.Url, session.ExpiresAt == default ? null : new DateTimeOffset(session.ExpiresAt, TimeSpan.Zero));
    }

    public async Task<ProviderCard?> CardOfSetupAsync(string setupIntentId, CancellationToken ct)
    {
        var intent = await Call("read the setup intent", () => new SetupIntentService(stripe).GetAsync(setupIntentId,
            new SetupIntentGetOptions { Expand = ["payment_method"] }, cancellationToken: ct));
        return intent.PaymentMethod?.Card is { } card
            ? new ProviderCard(intent.PaymentMethod.Id, card.Brand ?? "card", card.Last4 ?? "????", (int)card.ExpMonth, (int)card.ExpYear)
            : null;
    }

    public Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct) =>
        ConfirmOffSessionAsync("charge the card", new PaymentIntentCreateOptions
        {
            Amount = request.AmountMinor,
            Currency = request.Currency.ToLowerInvariant(),
            Customer = request.CustomerId,
            PaymentMethod = request.PaymentMethodId,
            Metadata = Metadata(request.PaymentSessionId, request.TripId, request.Attempt, request.Purpose),
        }, request.IdempotencyKey, "succeeded", ct);

    /// <summary>A PaymentIntent confirmed off-session with <c>capture_method=manual</c>: <c>requires_capture</c> is the money held.</summary>
    public Task<ProviderCharge> HoldCardAsync(CardHoldRequest request, CancellationToken ct) =>
        ConfirmOffSessionAsync("hold the amount", new PaymentIntentCreateOptions
        {
            Amount = request.AmountMinor,
            Currency = request.Currency.ToLowerInvariant(),
            Customer = request.CustomerId,
            PaymentMethod = request.PaymentMethodId,
            CaptureMethod = "manual",
            Metadata = new Dictionary<string, string> { ["trip_id"] = request.TripId, ["rider_id"] = request.RiderId, ["purpose"] = "hold" },
        }, request.IdempotencyKey, "requires_capture", ct);

    /// <summary>
    /// Creates and confirms a PaymentIntent off-session (the rider is not there to authenticate). <paramref name="done"/>
    /// is the status that means it worked; a decline is the bank's answer (the PaymentIntent exists and failed), not an error.
    /// </summary>
    private async Task<ProviderCharge> ConfirmOffSessionAsync(string what, PaymentIntentCreateOptions create, string idempotencyKey, string done, CancellationToken ct)
    {
        create.OffSession = true;
        create.Confirm = true;
        try
        {
            var intent = await new PaymentIntentService(stripe).CreateAsync(create, new RequestOptions { IdempotencyKey = idempotencyKey }, ct);
            return intent.Status == done
                ? new ProviderCharge(intent.Id, true, null)
                : new ProviderCharge(intent.Id, false, intent.Status == "requires_action" ? "authentication_required" : intent.Status);
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "card_error")
        {
            return new ProviderCharge(ex.StripeError.PaymentIntent?.Id ?? "", false, ex.StripeError.DeclineCode ?? ex.StripeError.Code ?? "card_declined");
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not {what}: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    /// <summary>
    /// Confirms the PaymentIntent the off-session hold left in <c>requires_payment_method</c> again, on-session with a
    /// <c>return_url</c>: Stripe answers <c>requires_action</c> with the bank's page (<c>next_action.redirect_to_url</c>),
    /// or held / declined at once when the bank asks nothing more.
    /// </summary>
    public async Task<ProviderAuthentication> AuthenticateHoldAsync(HoldAuthenticationRequest request, CancellationToken ct)
    {
        try
        {
            var intent = await new PaymentIntentService(stripe).ConfirmAsync(request.PaymentIntentId, new PaymentIntentConfirmOptions
            {
                PaymentMethod = request.PaymentMethodId,
                ReturnUrl = request.ReturnUrl,
            }, new RequestOptions { IdempotencyKey = $"authenticate-{request.PaymentIntentId}" }, ct);
            return intent.Status switch
            {
                ProviderHoldState.AwaitingAuthentication when intent.NextAction?.RedirectToUrl?.Url is { Length: > 0 } url => new ProviderAuthentication(url, null),
                ProviderHoldState.Held => new ProviderAuthentication(null, new ProviderCharge(intent.Id, true, null)),
                _ => new ProviderAuthentication(null, new ProviderCharge(intent.Id, false, DeclineOf(intent) ?? "authentication_failed")),
            };
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "card_error")
        {
            return new ProviderAuthentication(null, new ProviderCharge(request.PaymentIntentId, false, ex.StripeError.DeclineCode ?? ex.StripeError.Code ?? "card_declined"));
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not ask the bank to authenticate the hold: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public async Task<ProviderHoldState> HoldStateAsync(string paymentIntentId, CancellationToken ct)
    {
        var intent = await Call("read the hold", () => new PaymentIntentService(stripe).GetAsync(paymentIntentId, cancellationToken: ct));
        return new ProviderHoldState(intent.Id, intent.Status, intent.Status is ProviderHoldState.Held or ProviderHoldState.AwaitingAuthentication
            ? null
            : DeclineOf(intent) ?? (intent.Status == "canceled" ? "authentication_abandoned" : "authentication_failed"));
    }

    /// <summary>Why the bank refused: its decline code, else Stripe's error code (a failed 3-D Secure is said the way the sandbox says it).</summary>
    private static string? DeclineOf(PaymentIntent intent) => intent.LastPaymentError is { } error
        ? error.Code == "payment_intent_authentication_failure" ? "authentication_failed" : error.DeclineCode ?? error.Code
        : null;

    public async Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct)
    {
        try
        {
            var intent = await new PaymentIntentService(stripe).CaptureAsync(request.PaymentIntentId,
                new PaymentIntentCaptureOptions { AmountToCapture = request.AmountMinor }, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, ct);
            return new ProviderCharge(intent.Id, intent.Status == "succeeded", intent.Status == "succeeded" ? null : intent.Status);
        }
        catch (StripeException ex) when (ex.StripeError?.Code == "payment_intent_unexpected_state")
        {
            // Canceled by Stripe after 7 days (or elsewhere): nothing is held any more.
            return new ProviderCharge(request.PaymentIntentId, false, "hold_expired");
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not capture the hold: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public async Task ReleaseHoldAsync(string paymentIntentId, CancellationToken ct)
    {
        try
        {
            await new PaymentIntentService(stripe).CancelAsync(paymentIntentId, new PaymentIntentCancelOptions { CancellationReason = "abandoned" }, cancellationToken: ct);
        }
        catch (StripeException ex) when (ex.StripeError?.Code == "payment_intent_unexpected_state")
        {
            // Already canceled (or captured): nothing is held.
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not release the hold: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    public Task DetachCardAsync(string paymentMethodId, CancellationToken ct) =>
        Call("detach the card", () => new PaymentMethodService(stripe).DetachAsync(paymentMethodId, cancellationToken: ct));

    public static string PayoutAccountIdempotencyKey(string driverId) => $"payout-account-{driverId}";

    public static string TransferIdempotencyKey(string payoutId) => $"payout-{payoutId}";

    /// <summary>An Express connected account: Stripe's own onboarding collects the driver's identity and bank account.</summary>
    public async Task<string> PayoutAccountAsync(string driverId, CancellationToken ct) =>
        (await Call("create the driver's account", () => new AccountService(stripe).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Metadata = new Dictionary<string, string> { ["driver_id"] = driverId },
            Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
        }, new RequestOptions { IdempotencyKey = PayoutAccountIdempotencyKey(driverId) }, ct))).Id;

    public async Task<string> PayoutOnboardingUrlAsync(string accountId, string driverId, CancellationToken ct) =>
        (await Call("open the driver's onboarding", () => new AccountLinkService(stripe).CreateAsync(new AccountLinkCreateOptions
        {
            Account = accountId,
            Type = "account_onboarding",
            RefreshUrl = options.PayoutsRefreshUrl,
            ReturnUrl = options.PayoutsReturnUrl,
        }, cancellationToken: ct))).Url;

    public async Task<string> PayoutBankAccountUrlAsync(string accountId, string driverId, CancellationToken ct) =>
        (await Call("open the driver's Express Dashboard", () => new AccountLoginLinkService(stripe).CreateAsync(accountId, cancellationToken: ct))).Url;

    public async Task<ProviderPayoutAccount> PayoutAccountStateAsync(string accountId, CancellationToken ct)
    {
        var account = await Call("read the driver's account", () => new AccountService(stripe).GetAsync(accountId, cancellationToken: ct));
        var destination = account.ExternalAccounts?.Data?.FirstOrDefault() switch
        {
            BankAccount bank => $"{bank.BankName ?? bank.Country ?? "Bank"} •••• {bank.Last4}",
            Card card => $"Card •••• {card.Last4}",
            _ => null,
        };
        return new ProviderPayoutAccount(account.Id, account.PayoutsEnabled, destination);
    }

    public async Task<ProviderTransfer> TransferAsync(TransferRequest request, CancellationToken ct)
    {
        try
        {
            var transfer = await new TransferService(stripe).CreateAsync(new TransferCreateOptions
            {
                Amount = request.AmountMinor,
                Currency = request.Currency.ToLowerInvariant(),
                Destination = request.AccountId,
                TransferGroup = request.PayoutId,
                Metadata = new Dictionary<string, string> { ["payout_id"] = request.PayoutId, ["driver_id"] = request.DriverId },
            }, new RequestOptions { IdempotencyKey = TransferIdempotencyKey(request.PayoutId) }, ct);
            return new ProviderTransfer(true, transfer.Id, null);
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "invalid_request_error" && (int)ex.HttpStatusCode is >= 400 and < 500 and not 429)
        {
            // Stripe's answer (the platform's balance is short, the account cannot receive transfers): refused.
            return new ProviderTransfer(false, null, ex.StripeError.Code ?? "transfer_refused");
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not make the transfer: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }

    /// <summary>What names our payment session on Stripe's objects, so every webhook about them finds it.</summary>
    private static Dictionary<string, string> Metadata(string paymentSessionId, string tripId, int attempt, string purpose) => new()
    {
        ["trip_id"] = tripId,
        ["payment_session_id"] = paymentSessionId,
        ["attempt"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["purpose"] = purpose,
    };

    private static async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe did not {what}: {ex.StripeError?.Message ?? ex.Message}", (int)ex.HttpStatusCode, ex);
        }
    }
}
