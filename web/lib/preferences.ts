import type { RidePreferences } from "./types";

/**
 * What the driver reads of the rider's ride preferences (ADR 0049), in the order Uber shows them: "Quiet ride
 * preferred", "Help with bags", "Cooler, please". None: nothing to show.
 */
export function preferenceLabels(preferences: RidePreferences | null | undefined): string[] {
  if (!preferences) return [];
  const labels: string[] = [];
  if (preferences.conversation === "quiet") labels.push("Quiet ride preferred");
  if (preferences.conversation === "chat") labels.push("Happy to chat");
  if (preferences.helpWithBags) labels.push("Help with bags");
  if (preferences.temperature === "cooler") labels.push("Cooler, please");
  if (preferences.temperature === "warmer") labels.push("Warmer, please");
  return labels;
}

/** The whole set as the API takes it (proto JSON leaves "none" and false out of what it sends back). */
export function fullPreferences(preferences: RidePreferences | null | undefined): Required<RidePreferences> {
  return {
    conversation: preferences?.conversation ?? "none",
    helpWithBags: preferences?.helpWithBags ?? false,
    temperature: preferences?.temperature ?? "none",
  };
}
