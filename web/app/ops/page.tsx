import { Suspense } from "react";
import { OpsConsole } from "@/components/ops/OpsConsole";

/** The support desk: an operator finds a rider's or a driver's trips, and refunds or cancels them. */
export default function OpsPage() {
  // The console reads ?trip= / ?user= (useSearchParams): rendered in the browser only, below a Suspense boundary.
  return (
    <Suspense fallback={<p className="p-4 text-sm text-slate-600">Loading…</p>}>
      <OpsConsole />
    </Suspense>
  );
}
