"use client";

/**
 * "Don't ask again on this browser" (ADR 0052): the token a 2-step sign-in gave, kept in this browser per account email
 * and sent with the next sign-ins of that account, which then skip the code while the gateway still trusts it.
 */
const prefix = "uberclone.trusted-device.";

const keyOf = (email: string) => prefix + email.trim().toLowerCase();

export function rememberedBrowser(email: string): string | undefined {
  if (typeof window === "undefined") return undefined;
  return window.localStorage.getItem(keyOf(email)) ?? undefined;
}

export function rememberBrowser(email: string, token: string): void {
  window.localStorage.setItem(keyOf(email), token);
}

/** The gateway no longer trusts it (forgotten, expired, a new password): asked for the code, the browser drops it. */
export function forgetBrowser(email: string): void {
  window.localStorage.removeItem(keyOf(email));
}
