"use client";

import type { ServerMessage } from "./types";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

/**
 * The user's socket to the gateway. Reconnects by itself with capped, jittered backoff; after every
 * (re)connect the gateway sends a snapshot first, so the screen is rebuilt from it and nothing is lost.
 */
export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** A current access token (renewed when about to expire); null once the session has ended. */
    private readonly token: () => Promise<string | null>,
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
      const config = (await (await fetch("/runtime-config", { cache: "no-store" })).json()) as { wsUrl: string };
      const token = await this.token();
      if (this.stopped) return;
      if (token === null) {
        this.onStatus("closed");
        return;
      }
      // The token travels as a subprotocol, so it never appears in a URL (or in a proxy's access log).
      const socket = new WebSocket(config.wsUrl, ["uberclone", `access_token.${token}`]);
      this.socket = socket;
      socket.onopen = () => {
        this.attempt = 0;
        this.onStatus("open");
      };
      socket.onmessage = (event) => this.onMessage(JSON.parse(String(event.data)) as ServerMessage);
      socket.onclose = () => this.scheduleReconnect();
    } catch {
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.socket = null;
    this.attempt += 1;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(this.attempt, 5)) * (0.75 + Math.random() * 0.5);
    this.onStatus("reconnecting");
    this.timer = setTimeout(() => void this.open(), delay);
  }
}
