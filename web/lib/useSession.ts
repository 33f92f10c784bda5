"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "./api";
import { RealtimeConnection, type ConnectionStatus } from "./realtime";
import { freshSession, loadSession, renewSession, sessionEndedEvent, signOut as endSession } from "./session";
import type { Role, ServerMessage, Session } from "./types";

/** Where a signed-in user's app is: riders ride, drivers drive, the support desk's operators work at /ops. */
export function homeOf(role: Role): string {
  return role === "operator" ? "/ops" : role === "driver" ? "/driver" : "/rider";
}

/**
 * The signed-in user of one of the given roles, or a redirect: to sign-in when nobody is signed in (or a rider opens the
 * driver's app, and the other way round), to the support desk for an operator on a rider's or driver's page.
 */
export function useRequiredSession(...roles: Role[]): [Session | null, () => void] {
  const router = useRouter();
  const [session, setSession] = useState<Session | null>(null);
  const allowed = roles.join(",");
  useEffect(() => {
    const loaded = loadSession();
    if (!loaded) router.replace("/");
    else if (!allowed.split(",").includes(loaded.role)) router.replace(loaded.role === "operator" ? homeOf(loaded.role) : "/");
    else setSession(loaded);
    // A session that can no longer be renewed (signed out elsewhere, refresh token expired or revoked): sign in again.
    const ended = () => router.replace("/?ended=1");
    window.addEventListener(sessionEndedEvent, ended);
    return () => window.removeEventListener(sessionEndedEvent, ended);
  }, [allowed, router]);
  const signOut = () => {
    void endSession();
    router.replace("/");
  };
  return [session, signOut];
}

/**
 * Ends every session of the user on every device (a lost phone), then this one's as sign-out does. Failing to reach
 * the gateway signs out here only, and says so.
 */
export async function signOutEverywhere(session: Session, signOut: () => void): Promise<string | null> {
  try {
    await api.signOutEverywhere(session);
    signOut();
    return null;
  } catch (e) {
    return e instanceof ApiError ? e.message : "Could not reach UberClone: your other devices are still signed in. Try again.";
  }
}

/**
 * The signed-in operator (the support desk), or a redirect to sign-in when nobody is signed in. A rider or driver
 * stays on the page and is told it is not theirs (wrongRole: their role).
 */
export function useOperatorSession(): { session: Session | null; wrongRole: Role | null; signOut: () => void } {
  const router = useRouter();
  const [session, setSession] = useState<Session | null>(null);
  const [wrongRole, setWrongRole] = useState<Role | null>(null);
  useEffect(() => {
    const loaded = loadSession();
    if (!loaded) router.replace("/");
    else if (loaded.role !== "operator") setWrongRole(loaded.role);
    else setSession(loaded);
    const ended = () => router.replace("/?ended=1");
    window.addEventListener(sessionEndedEvent, ended);
    return () => window.removeEventListener(sessionEndedEvent, ended);
  }, [router]);
  const signOut = () => {
    void endSession();
    router.replace("/");
  };
  return { session, wrongRole, signOut };
}

/** The user's live socket; every message goes to the latest handler. */
export function useRealtime(session: Session | null, onMessage: (message: ServerMessage) => void) {
  const [status, setStatus] = useState<ConnectionStatus>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const connection = useRef<RealtimeConnection | null>(null);

  useEffect(() => {
    if (!session) return;
    const c = new RealtimeConnection(
      async (rejected) => {
        const fresh = rejected ? await renewSession(session.userId, rejected) : await freshSession(session.userId);
        return fresh && { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt };
      },
      (m) => handler.current(m),
      setStatus,
    );
    connection.current = c;
    c.start();
    return () => c.stop();
  }, [session]);

  return { status, send: (message: Record<string, unknown>) => connection.current?.send(message) ?? false };
}
