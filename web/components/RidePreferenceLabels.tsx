import { preferenceLabels } from "@/lib/preferences";
import type { RidePreferences } from "@/lib/types";

/**
 * The rider's wishes for the ride as the driver and support read them (ADR 0049): one badge each, nothing when none.
 * testId names the list; each badge is `${testId}-item`.
 */
export function RidePreferenceLabels({ preferences, testId }: { preferences: RidePreferences | null | undefined; testId: string }) {
  const labels = preferenceLabels(preferences);
  if (labels.length === 0) return null;
  return (
    <ul className="mb-2 flex flex-wrap gap-1.5 text-xs" aria-label="Ride preferences" data-testid={testId}>
      {labels.map((label) => (
        <li key={label} className="rounded bg-violet-100 px-1.5 py-0.5 font-medium text-violet-900" data-testid={`${testId}-item`}>
          {label}
        </li>
      ))}
    </ul>
  );
}
