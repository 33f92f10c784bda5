import { SharedTripView } from "@/components/SharedTripView";

/** A trip a rider shared: anyone with the link follows it, without signing in. */
export default async function SharedTripPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharedTripView token={token} />;
}
