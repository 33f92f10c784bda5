import { proxyToGateway } from "@/lib/proxy";

export const dynamic = "force-dynamic";

export const GET = proxyToGateway;
export const POST = proxyToGateway;
export const PUT = proxyToGateway;
export const DELETE = proxyToGateway;
export const PATCH = proxyToGateway;
