import { gatewayUrl } from "./gateway";

/** user-agent: the gateway names a session's device by it ("Chrome on Linux", ADR 0048). */
const forwardedRequestHeaders = ["authorization", "content-type", "accept", "idempotency-key", "user-agent"];
const forwardedResponseHeaders = ["content-type", "retry-after", "location", "www-authenticate"];

/**
 * Same-origin REST for the browser: /api/* and /checkout/* go to the gateway unchanged. The gateway stays the
 * only backend the web app talks to; no CORS, no gateway address in the client bundle.
 */
export async function proxyToGateway(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const target = gatewayUrl() + url.pathname + url.search;
  const headers = new Headers();
  for (const name of forwardedRequestHeaders) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  try {
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    const response = await fetch(target, { method: request.method, headers, body, redirect: "manual", cache: "no-store" });
    const out = new Headers();
    for (const name of forwardedResponseHeaders) {
      const value = response.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(response.body, { status: response.status, headers: out });
  } catch {
    return Response.json(
      { type: "https://uberclone.dev/problems/service-unavailable", title: "Service Unavailable", status: 503, detail: "The gateway is not reachable right now." },
      { status: 503, headers: { "content-type": "application/problem+json" } },
    );
  }
}
