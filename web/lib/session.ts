"use client";

import type { Session, TokenPair } from "./types";

const key = "uberclone.session";
const renewalLock = "uberclone.session-renewal";
/** Renew an access token this long before it expires (the gateway's tokens live 15 minutes). */
const renewBeforeMs = 60_000;
/** Dispatched on window when the session can no longer be renewed: the app signs the user out. */
export const sessionEndedEvent = "uberclone:session-ended";

/** The signed-in user, kept in this tab's storage (never in the URL). */
export function loadSession(): Session | null {
  if (typeof window === "undefined") return null;
  const raw = window.sessionStorage.getItem(key) ?? window.localStorage.getItem(key);
  return raw ? (JSON.parse(raw) as Session) : null;
}

/**
 * The session a sign-in, sign-up or renewal answered with, its expiry counted on this device's clock from the token's
 * lifetime: a phone whose clock is off would otherwise renew on every call (clock ahead) or use expired tokens (behind).
 */
export function sessionFrom(pair: TokenPair, previous?: Session): Session {
  // A remembered browser's token is kept apart, per account (rememberedBrowser.ts), not in the session.
  const { expiresIn, trustedDevice, ...session } = pair;
  void trustedDevice;
  const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : session.expiresAt;
  // Whether a support account must still set up 2-step verification is the latest tokens' word, never an earlier one's.
  return { ...previous, ...session, twoStepSetupRequired: session.twoStepSetupRequired ?? null, expiresAt };
}

export function saveSession(session: Session): void {
  window.sessionStorage.setItem(key, JSON.stringify(session));
  window.localStorage.setItem(key, JSON.stringify(session));
}

export function clearSession(): void {
  window.sessionStorage.removeItem(key);
  window.localStorage.removeItem(key);
}

/**
 * Signs out: the refresh token is revoked at the gateway (it needs no access token, so an expired one does not stop
 * it; best effort: offline, it still ends here).
 */
export async function signOut(): Promise<void> {
  const session = loadSession();
  clearSession();
  if (!session?.refreshToken) return;
  try {
    await fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
      cache: "no-store",
    });
  } catch {
    // Offline: the refresh token expires by itself.
  }
}

/**
 * The user's new name (they changed it) in the stored session, which the apps' headers show; and a new access token,
 * which carries it (a renewal that fails, offline, is left to the next one: it brings the name all the same).
 */
export async function renameSession(userId: string, name: string): Promise<void> {
  const stored = loadSession();
  if (!stored || stored.userId !== userId) return;
  saveSession({ ...stored, name });
  await renewSession(userId, stored.accessToken).catch(() => null);
}

const expiresSoon = (s: Session) => s.expiresAt === undefined || Date.parse(s.expiresAt) - Date.now() < renewBeforeMs;

/**
 * The user's session with an access token that is good for a while yet: the stored one, or a renewed one when it is
 * about to expire. Null when the session has ended (signed out, or its refresh token expired or was revoked).
 */
export async function freshSession(userId: string): Promise<Session | null> {
  const stored = loadSession();
  if (!stored || stored.userId !== userId) return null;
  return expiresSoon(stored) ? renewSession(userId, stored.accessToken) : stored;
}

let renewing: Promise<Session | null> | null = null;

/**
 * A new access token for the stored session, because <paramref name="rejected"/> is about to expire or was refused.
 * One renewal at a time in this tab, and across this browser's tabs (the gateway rotates refresh tokens and treats a
 * spent one presented again as stolen, revoking the session): a tab that finds another tab's renewal adopts it.
 */
export function renewSession(userId: string, rejected: string): Promise<Session | null> {
  renewing ??= withLock(() => renew(userId, rejected)).finally(() => {
    renewing = null;
  });
  return renewing;
}

async function renew(userId: string, rejected: string): Promise<Session | null> {
  const own = loadSession();
  if (!own || own.userId !== userId) return null;
  const shared = window.localStorage.getItem(key);
  const other = shared ? (JSON.parse(shared) as Session) : null;
  if (other && other.userId === userId && other.accessToken !== rejected && !expiresSoon(other)) {
    saveSession(other); // renewed by another tab (or by this one, a moment ago)
    return other;
  }
  if (own.accessToken !== rejected && !expiresSoon(own)) return own;
  if (!own.refreshToken) return ended();
  const response = await fetch("/api/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken: own.refreshToken }),
    cache: "no-store",
  });
  if (response.status === 400 || response.status === 401) return ended();
  if (!response.ok) throw new Error(`Could not renew the session (${response.status}).`);
  const renewed = sessionFrom((await response.json()) as TokenPair, own);
  saveSession(renewed);
  return renewed;
}

function ended(): null {
  clearSession();
  window.dispatchEvent(new Event(sessionEndedEvent));
  return null;
}

async function withLock<T>(action: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? locks.request(renewalLock, action) : action();
}
