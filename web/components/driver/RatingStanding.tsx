"use client";

import type { RatingSummary } from "@/lib/types";
import { Notice } from "../ui";

/** "Rating 4.55 over 120 rated trips — warned" (the desk's driver card says the same). */
export function standingText(rating: RatingSummary): string | null {
  const rated = rating.rated ?? 0;
  if (rated === 0) return null;
  const standing = rating.standing ?? "good";
  const judged = rated >= (rating.minimumRated ?? 0) ? standing : "not judged yet";
  return `Rating ${(rating.windowAverage ?? 0).toFixed(2)} over ${rated} rated ${rated === 1 ? "trip" : "trips"} — ${judged}`;
}

/**
 * The driver's standing over their recent rated trips (ADR 0055), under the header's rating (the same read): a warning
 * with the numbers while it is below the warning line; nothing while it is good. Taken off the road, the approval card
 * says why.
 */
export function RatingStandingNotice({ rating }: { rating: RatingSummary | undefined }) {
  if (rating?.standing !== "warned") return null;
  const line = (value?: number) => (value ?? 0).toFixed(2);
  return (
    <Notice kind="error" testId="rating-standing">
      Your rating is {line(rating.windowAverage)} over your last {rating.rated ?? 0} rated trips, below {line(rating.warnBelow)}. Below {line(rating.deactivateBelow)} your
      account is paused until support reviews it.
    </Notice>
  );
}
