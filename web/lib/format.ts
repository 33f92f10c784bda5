import type { Money } from "./types";

/** Proto JSON leaves a zero amount out of a Money: a missing amountMinor is 0. */
export function money(value: Partial<Money> | undefined): string {
  if (!value) return "—";
  return new Intl.NumberFormat("en", { style: "currency", currency: value.currency || "USD" }).format((value.amountMinor ?? 0) / 100);
}

export function distance(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}

export function duration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A time of day on this phone, hours and minutes ("14:32"). */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
