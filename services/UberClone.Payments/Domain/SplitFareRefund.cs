namespace UberClone.Payments.Domain;

/// <summary>
/// One payment of a split fare (ADR 0040) a refund can take from: the requester's (<see cref="IsRequester"/>; their
/// capture, which counts the shares whose card declined and they paid) or an invitee's share. <see cref="PaidMinor"/>
/// is what it took, <see cref="RefundableMinor"/> what is left of it after earlier refunds.
/// </summary>
public sealed record SplitFarePayment(string SessionId, bool IsRequester, long PaidMinor, long RefundableMinor);

/// <summary>What one payment of a split fare gives back of a refund.</summary>
public sealed record SplitFareRefundPart(string SessionId, long AmountMinor);

/// <summary>
/// How a support refund of a split fare is shared among the riders who paid it (ADR 0040): in proportion to what each
/// paid, the remainder of minor units the requester's; no payment gives back more than is left of it (a part that would
/// is taken from the others' room, the requester's first); a full refund gives back all that is left of each. No I/O.
/// </summary>
public static class SplitFareRefund
{
    /// <summary>
    /// The parts of a refund of <paramref name="amountMinor"/> (null: everything left), each payment in the order given,
    /// none of zero. More than all payments have left is refused, as it is of a single payment.
    /// </summary>
    public static IReadOnlyList<SplitFareRefundPart> Share(long? amountMinor, IReadOnlyList<SplitFarePayment> payments, string currency)
    {
        var left = payments.Sum(p => Math.Max(0, p.RefundableMinor));
        if (amountMinor is not { } amount)
        {
            return [.. payments.Where(p => p.RefundableMinor > 0).Select(p => new SplitFareRefundPart(p.SessionId, p.RefundableMinor))];
        }
        if (amount <= 0) throw new RefundRejectedException("A refund must be a positive amount in minor units.");
        if (amount > left) throw new RefundRejectedException($"Only {left} {currency} minor units of this split fare's payments can still be refunded.");

        var paid = payments.Sum(p => p.PaidMinor);
        var parts = payments.Select(p => p.IsRequester || paid <= 0 ? 0 : (long)((Int128)amount * p.PaidMinor / paid)).ToArray();
        var requester = payments.ToList().FindIndex(p => p.IsRequester);
        if (requester >= 0) parts[requester] = amount - parts.Sum();

        // Caps: a payment gives back at most what is left of it; the rest goes to whoever has room, the requester first.
        for (var i = 0; i < parts.Length; i++) parts[i] = Math.Min(parts[i], Math.Max(0, payments[i].RefundableMinor));
        var over = amount - parts.Sum();
        foreach (var i in Order(payments, requester))
        {
            if (over == 0) break;
            var more = Math.Min(over, Math.Max(0, payments[i].RefundableMinor) - parts[i]);
            parts[i] += more;
            over -= more;
        }
        return [.. parts.Select((a, i) => new SplitFareRefundPart(payments[i].SessionId, a)).Where(p => p.AmountMinor > 0)];
    }

    private static IEnumerable<int> Order(IReadOnlyList<SplitFarePayment> payments, int requester) =>
        Enumerable.Range(0, payments.Count).OrderBy(i => i == requester ? 0 : 1);
}
