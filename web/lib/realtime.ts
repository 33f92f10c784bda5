"use client";

import type { ServerMessage } from "./types";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

/** An access token and when it expires. */
export type AccessToken = { accessToken: string; expiresAt?: string };

/** The gateway closes a socket whose token expired with this code (its own, 4000-4999). */
const tokenExpiredCode = 4001;
/** Hand the socket a renewed token this long before its token expires (inside the session's renewal window). */
const renewBeforeMs = 45_000;
/** The id of the socket's own "auth" messages: their replies are the connection's, not the screen's. */
const authId = "socket.auth";
/** A request the socket needs that has not answered by then has failed (the next attempt follows). */
const requestTimeoutMs = 10_000;

/**
 * The user's socket to the gateway. Reconnects by itself with capped, jittered backoff; after every
 * (re)connect the gateway sends a snapshot first, so the screen is rebuilt from it and nothing is lost.
 * The gateway closes a socket when its token expires, so before that the socket is handed the renewed token (an
 * "auth" message); if it is closed for its token all the same (a sleeping laptop), it reconnects at once.
 */
export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  /** The token the gateway closed the last socket for (4001): the next one must be a renewed one, not the same. */
  private rejected: string | null = null;
  private current: string | null = null;
  /**
   * A socket that closed before it opened was refused, or never reached the gateway: the browser does not say which.
   * A refusal may be for its token (the session was ended on every device while the phone was between networks; a
   * stack restarted with new keys), so the next attempt renews it: a session that cannot be renewed then ends clearly
   * instead of the socket retrying a dead token for ever. Once per token: this is the one renewed after the last refusal.
   */
  private renewedAfterRefusal: string | null = null;
  private refused = false;

  constructor(
    /**
     * A current access token (renewed when about to expire); null once the session has ended. With a rejected token
     * (the gateway closed the socket for it: expired, or the session was ended on every device), a renewed one.
     */
    private readonly token: (rejected: string | null) => Promise<AccessToken | null>,
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onStatus: (status: ConnectionStatus) => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.socket?.close(1000, "bye");
    this.socket = null;
    this.onStatus("closed");
  }

  /** Sends when connected; returns false (and drops the message) otherwise. */
  send(message: Record<string, unknown>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private async open(): Promise<void> {
    this.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    try {
      const config = (await (await fetch("/runtime-config", { cache: "no-store", signal: AbortSignal.timeout(requestTimeoutMs) })).json()) as {
        wsUrl: string;
      };
      const token = await this.token(this.rejected);
      if (this.refused && token) this.renewedAfterRefusal = token.accessToken;
      this.rejected = null;
      this.refused = false;
      if (this.stopped) return;
      if (token === null) {
        this.onStatus("closed");
        return;
      }
      // The token travels as a subprotocol, so it never appears in a URL (or in a proxy's access log).
      const socket = new WebSocket(config.wsUrl, ["uberclone", `access_token.${token.accessToken}`]);
      this.socket = socket;
      this.current = token.accessToken;
      let opened = false;
      socket.onopen = () => {
        opened = true;
        this.attempt = 0;
        this.onStatus("open");
        this.scheduleRenewal(socket, token);
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as ServerMessage;
        if ((message.type === "ack" || message.type === "error") && (message.data as { id?: string } | undefined)?.id === authId) return;
        this.onMessage(message);
      };
      socket.onclose = (event) => {
        if (this.socket !== socket) return;
        if (this.renewTimer) clearTimeout(this.renewTimer);
        if (event.code === tokenExpiredCode) this.rejected = this.current;
        else if (!opened && this.current !== this.renewedAfterRefusal) {
          this.rejected = this.current;
          this.refused = true;
        }
        this.scheduleReconnect(event.code === tokenExpiredCode);
      };
    } catch {
      this.scheduleReconnect();
    }
  }

  /** Before the socket's token expires, hands it the session's renewed one (renewing the session if no one has yet). */
  private scheduleRenewal(socket: WebSocket, current: AccessToken): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const expiresAt = current.expiresAt ? Date.parse(current.expiresAt) : Date.now();
    const delay = Math.max(5_000, expiresAt - Date.now() - renewBeforeMs);
    this.renewTimer = setTimeout(() => void this.renew(socket, current), delay);
  }

  private async renew(socket: WebSocket, current: AccessToken): Promise<void> {
    let next: AccessToken | null;
    try {
      next = await this.token(null);
    } catch {
      next = current; // renewal failed for now (offline): try again in a few seconds
    }
    if (this.stopped || this.socket !== socket || socket.readyState !== WebSocket.OPEN) return;
    if (next === null) {
      this.stop(); // the session has ended
      return;
    }
    if (next.accessToken !== current.accessToken) socket.send(JSON.stringify({ type: "auth", id: authId, token: next.accessToken }));
    this.scheduleRenewal(socket, next);
  }

  private scheduleReconnect(tokenExpired = false): void {
    if (this.stopped) return;
    this.socket = null;
    this.attempt = tokenExpired ? 0 : this.attempt + 1;
    // A socket closed only because its token expired reconnects at once with a renewed one.
    const delay = tokenExpired ? 0 : Math.min(10_000, 500 * 2 ** Math.min(this.attempt, 5)) * (0.75 + Math.random() * 0.5);
    this.onStatus("reconnecting");
    this.timer = setTimeout(() => void this.open(), delay);
  }
}
