"use client";

import type { RatingSummary } from "@/lib/types";
import { Notice } from "../ui";

/**
 * The rider's standing over their recent rated trips (ADR 0056), under the header's rating (the same read): a warning
 * with the numbers while it is below the warning line, and while restricted that new rides cannot be booked (a booking
 * is refused saying the same); nothing while it is good.
 */
export function RiderRatingStandingNotice({ rating }: { rating: RatingSummary | undefined }) {
  const line = (value?: number) => (value ?? 0).toFixed(2);
  if (rating?.standing === "warned") {
    return (
      <Notice kind="error" testId="rating-standing">
        Your rating is {line(rating.windowAverage)} over your last {rating.rated ?? 0} rated trips, below {line(rating.warnBelow)}. Below{" "}
        {line(rating.restrictBelow)} you could not book rides until support reviews your account.
      </Notice>
    );
  }
  if (rating?.standing === "restricted") {
    return (
      <Notice kind="error" testId="rating-standing">
        Your rating {line(rating.windowAverage)} over your last {rating.rated ?? 0} rated trips is below {line(rating.restrictBelow)}: you cannot book rides
        for now. Contact support (Help) to have your account reviewed.
      </Notice>
    );
  }
  return null;
}
