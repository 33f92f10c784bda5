"use client";

import { confirmWithBank, type BookingRefusal } from "@/lib/bankConfirmation";
import { Button, Notice } from "../ui";

/**
 * Why a booking was refused (a card declined, a ride to pay first, …), or that the rider's bank wants them to confirm
 * the hold of the price on its page first (3-D Secure): then "Confirm with your bank" goes there, and the bank sends
 * them back to the app, which books the same ride again.
 */
export function BookingRefused({ refusal }: { refusal: BookingRefusal }) {
  const bank = refusal.bank;
  if (!bank) {
    return (
      <Notice kind="error" testId="booking-error">
        {refusal.detail}
      </Notice>
    );
  }
  return (
    <div className="flex flex-col items-start gap-2">
      <Notice testId="bank-confirmation">{refusal.detail}</Notice>
      <Button data-testid="confirm-with-bank" onClick={() => confirmWithBank(bank.booking, bank.url)}>
        Confirm with your bank
      </Button>
    </div>
  );
}
