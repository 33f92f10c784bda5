/** The gateway's address on the server side: Aspire's service discovery variable, or GATEWAY_URL. */
export function gatewayUrl(): string {
  const url = process.env.services__gateway__http__0 ?? process.env.GATEWAY_URL ?? "http://localhost:8080";
  return url.replace(/\/$/, "");
}

/** The gateway as the browser reaches it (the WebSocket goes there directly). */
export function publicGatewayUrl(): string {
  return (process.env.PUBLIC_GATEWAY_URL ?? gatewayUrl()).replace(/\/$/, "");
}
