import type { Weekday } from "./types";

export const weekdays: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const short = (d: Weekday) => d.charAt(0).toUpperCase() + d.slice(1, 3);

/** "Mon–Fri", "Every day", or "Mon, Wed, Fri" (Monday first). */
export function daysLabel(days: Weekday[]): string {
  const chosen = weekdays.filter((d) => days.includes(d));
  if (chosen.length === 7) return "Every day";
  const indexes = chosen.map((d) => weekdays.indexOf(d));
  const consecutive = indexes.length >= 3 && indexes.every((d, i) => i === 0 || d === (indexes[i - 1] ?? -2) + 1);
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  return consecutive && first && last ? `${short(first)}–${short(last)}` : chosen.map(short).join(", ");
}

/** The weekday of a datetime-local value ("2026-12-07T08:15"), in the phone's time zone. */
export function weekdayOf(localTime: string): Weekday | null {
  const at = new Date(localTime);
  return Number.isNaN(at.getTime()) ? null : (weekdays[(at.getDay() + 6) % 7] ?? null);
}
