import type { ConnectionStatus } from "@/lib/realtime";

export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  if (status === "open") return <span className="text-xs text-green-700" data-testid="connection">● live</span>;
  return (
    <span role="status" className="text-xs text-amber-700" data-testid="connection">
      ● {status === "reconnecting" ? "reconnecting…" : "connecting…"}
    </span>
  );
}
