"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { point } from "@/lib/format";
import type { DriverState, LatLng, Session } from "@/lib/types";
import { CoordinateInput } from "../rider/QuotePanel";
import { Button, Card } from "../ui";


/**
 * Heading home at the end of a shift: while online, the driver names a place and is offered only trips that take them
 * towards it (ending within 1 km of it, or a third of the way nearer), until they stop it, go offline, or a trip ends
 * there.
 */
export function HeadingTo({ session, driver, onChanged, onError }: { session: Session; driver: DriverState; onChanged: (d: DriverState) => void; onError: (message: string | null) => void }) {
  const [place, setPlace] = useState<LatLng | null>(null);
  const [busy, setBusy] = useState(false);

  async function change(action: () => Promise<DriverState>) {
    setBusy(true);
    onError(null);
    try {
      onChanged(await action());
      setPlace(null);
    } catch (e) {
      onError(e instanceof ApiError ? e.message : "Could not change your destination.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Heading somewhere?" testId="heading-to">
      {driver.headingTo ? (
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <p data-testid="heading-to-status">
            Only trips towards <span className="font-mono">{point(driver.headingTo)}</span> are offered to you.
          </p>
          <Button variant="secondary" disabled={busy} onClick={() => void change(() => api.clearDestination(session))}>
            Take any trip
          </Button>
        </div>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <div className="grow">
            <CoordinateInput label="Destination (lat, lng)" name="destination" value={place} placeholder="e.g. your home: 52.50, 13.45" onChange={setPlace} />
          </div>
          <Button disabled={busy || !place} onClick={() => place && void change(() => api.setDestination(session, place))}>
            Only trips towards it
          </Button>
        </div>
      )}
    </Card>
  );
}
