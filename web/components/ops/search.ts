/** What the support desk's search box was given: a trip id (t…), an email, or a rider's or driver's user id (r…, d…). */
export type SearchTarget = { kind: "trip"; tripId: string } | { kind: "user"; userId: string } | { kind: "email"; email: string };

export function searchTarget(typed: string): SearchTarget | null {
  const text = typed.trim();
  if (text.includes("@")) return { kind: "email", email: text };
  if (/^[rd][0-9a-f]+$/i.test(text)) return { kind: "user", userId: text };
  if (/^t[A-Za-z0-9_-]+$/.test(text)) return { kind: "trip", tripId: text };
  return null;
}

/** Where the console shows one trip, or one user: a link an operator can reload or paste to a colleague. */
export const opsTripUrl = (tripId: string) => `/ops?trip=${encodeURIComponent(tripId)}`;
export const opsUserUrl = (userId: string) => `/ops?user=${encodeURIComponent(userId)}`;
