"use client";

import { api } from "@/lib/api";
import type { RatingSummary, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
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
 * The driver's standing over their recent rated trips (ADR 0055), under the header's rating: a warning with the numbers
 * while it is below the warning line; nothing while it is good. Taken off the road, the approval card says why. Read
 * again when <paramref name="version"/> changes (a trip ended, driver.rating_standing came).
 */
export function RatingStandingNotice({ session, version }: { session: Session; version: number }) {
  const { data } = useLoad(() => api.myRating(session), [session, version], "");
  if (data?.standing !== "warned") return null;
  const line = (value?: number) => (value ?? 0).toFixed(2);
  return (
    <Notice kind="error" testId="rating-standing">
      Your rating is {line(data.windowAverage)} over your last {data.rated ?? 0} rated trips, below {line(data.warnBelow)}. Below {line(data.deactivateBelow)} your
      account is paused until support reviews it.
    </Notice>
  );
}
