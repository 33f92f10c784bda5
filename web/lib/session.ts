"use client";

import type { Session } from "./types";

const key = "uberclone.session";

/** The signed-in user, kept in this tab's storage (never in the URL). */
export function loadSession(): Session | null {
  if (typeof window === "undefined") return null;
  const raw = window.sessionStorage.getItem(key) ?? window.localStorage.getItem(key);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function saveSession(session: Session): void {
  window.sessionStorage.setItem(key, JSON.stringify(session));
  window.localStorage.setItem(key, JSON.stringify(session));
}

export function clearSession(): void {
  window.sessionStorage.removeItem(key);
  window.localStorage.removeItem(key);
}
