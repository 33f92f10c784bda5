"use client";

import type { DriverState } from "@/lib/types";
import { Button } from "../ui";

/**
 * A driver on a trip who stopped new requests (the end of their shift) finishes it and is then offline: said under the
 * status, with the way back while it is their own choice. When the service decided it (the driving limit, a suspension)
 * its reason is said too (written for a driver already offline, hence the lead-in), and there is nothing to take back.
 */
export function OfflineAfterTrip({ driver, onKeep }: { driver: DriverState; onKeep: () => void }) {
  if (driver.state !== "on_trip" || !driver.offlineAfterTrip) return null;
  const reason = driver.offlineAfterTripReason;
  return (
    <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-amber-800" data-testid="offline-after-trip">
        {reason ? `You'll go offline when this trip ends: ${reason}` : "You'll go offline when this trip ends."}
      </p>
      {!reason && (
        <Button variant="secondary" data-testid="keep-receiving-requests" onClick={onKeep}>
          Keep receiving requests
        </Button>
      )}
    </div>
  );
}
