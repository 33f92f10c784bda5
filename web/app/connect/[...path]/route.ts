import { proxyToGateway } from "@/lib/proxy";

// The sandbox's payout onboarding page (what Stripe Connect's hosted onboarding is), served by payments.
export const dynamic = "force-dynamic";

export const GET = proxyToGateway;
export const POST = proxyToGateway;
