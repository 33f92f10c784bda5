"use client";

import { day, money } from "@/lib/format";
import type { PromotionRewarded } from "@/lib/types";
import { Notice } from "../ui";

/**
 * promotion.rewarded: a friend the rider invited took their first ride with the rider's invite code, so the rider has a
 * ride off (a promotion of their own, which the next quote offers). Shown until dismissed.
 */
export function PromotionRewardedNotice({ reward, onDismiss }: { reward: PromotionRewarded; onDismiss: () => void }) {
  return (
    <Notice kind="success" testId="promotion-rewarded">
      A friend you invited took their first ride: {money({ amountMinor: reward.amountOffMinor, currency: reward.currency })} off your next ride (until{" "}
      {day(reward.expiresAt)}).{" "}
      <button type="button" className="font-medium underline" onClick={onDismiss} data-testid="promotion-rewarded-dismiss">
        Dismiss
      </button>
    </Notice>
  );
}
