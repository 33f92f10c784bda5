"use client";

import { api } from "@/lib/api";
import type { RatingSummary, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";

/**
 * The signed-in rider's or driver's own rating, as the other side gave it ("★ 4.8 · 12 ratings"): read again when
 * <paramref name="version"/> changes (a trip ended or was rated). Nothing while it loads or if it cannot be read.
 */
export function MyRating({ session, version }: { session: Session; version: number }) {
  const { data } = useLoad(() => api.myRating(session), [session, version], "");
  return <RatingBadge rating={data} />;
}

/** A rating read already (the driver app reads it once for this badge and the standing's warning). */
export function RatingBadge({ rating }: { rating: RatingSummary | undefined }) {
  if (!rating) return null;
  const count = rating.count ?? 0;
  return (
    <span className="text-sm text-slate-600" data-testid="my-rating" title="The average of the stars you were given">
      {count === 0 ? "No ratings yet" : `★ ${(rating.average ?? 0).toFixed(2)} · ${count} ${count === 1 ? "rating" : "ratings"}`}
    </span>
  );
}
