"use client";

import Link from "next/link";
import type { ConnectionStatus } from "@/lib/realtime";
import { ConnectionBanner } from "./ConnectionBanner";
import { useState, type ReactNode } from "react";
import { Button, Notice } from "./ui";

/**
 * The top bar of the apps: title, live-connection status (the apps with a socket), who is signed in, sign out; and,
 * behind "⋯" (the apps that pass onSignOutEverywhere), their account's settings and signing out on every device (a lost phone).
 */
export function AppHeader(props: {
  title: string;
  status?: ConnectionStatus;
  name: string;
  /** Shown beside the name (the user's own rating). */
  badge?: ReactNode;
  onSignOut: () => void;
  onSignOutEverywhere?: () => Promise<string | null>;
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <header className="flex flex-col gap-2">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">{props.title}</h1>
        <div className="flex items-center gap-3">
          {props.status && <ConnectionBanner status={props.status} />}
          {props.badge}
          <span className="text-sm text-slate-600">{props.name}</span>
          <Button variant="secondary" onClick={props.onSignOut}>
            Sign out
          </Button>
          {props.onSignOutEverywhere && (
            <details className="relative">
              <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100" aria-label="More account options">
                ⋯
              </summary>
              <div className="absolute right-0 z-10 mt-1 flex w-56 flex-col gap-2 rounded-md border border-slate-200 bg-white p-2 shadow">
                <Link
                  href="/account"
                  className="rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                  data-testid="account-settings"
                >
                  Account settings
                </Link>
                <Button
                  variant="secondary"
                  className="w-full"
                  data-testid="signout-everywhere"
                  onClick={async () => setError(await props.onSignOutEverywhere!())}
                >
                  Sign out on every device
                </Button>
              </div>
            </details>
          )}
        </div>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </header>
  );
}
