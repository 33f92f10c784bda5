import { publicGatewayUrl } from "@/lib/gateway";

export const dynamic = "force-dynamic";

/** Where the browser opens its WebSocket (the gateway's /ws). */
export function GET(): Response {
  const gateway = publicGatewayUrl();
  return Response.json({ wsUrl: gateway.replace(/^http/, "ws") + "/ws" });
}
