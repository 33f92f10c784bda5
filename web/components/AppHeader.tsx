import type { ConnectionStatus } from "@/lib/realtime";
import { ConnectionBanner } from "./ConnectionBanner";
import { Button } from "./ui";

/** The top bar of the apps: title, live-connection status (the apps with a socket), who is signed in, sign out. */
export function AppHeader(props: { title: string; status?: ConnectionStatus; name: string; onSignOut: () => void }) {
  return (
    <header className="flex items-center justify-between">
      <h1 className="text-2xl font-bold">{props.title}</h1>
      <div className="flex items-center gap-3">
        {props.status && <ConnectionBanner status={props.status} />}
        <span className="text-sm text-slate-600">{props.name}</span>
        <Button variant="secondary" onClick={props.onSignOut}>
          Sign out
        </Button>
      </div>
    </header>
  );
}
