"use client";

import { useEffect, useState } from "react";
import { api, failureText } from "@/lib/api";
import { useClientMessageId } from "@/lib/clientMessageId";
import type { LatLng, Session, Trip } from "@/lib/types";
import { Button } from "./ui";

/** How long after the ride ended the button is still offered (trips accepts an alert for as long). */
const afterEndMs = 60 * 60 * 1000;

/** Whether a trip's rider or driver may raise an alert now: the driver on the way, waiting or riding, or the ride ended within the hour. */
export function mayAlert(trip: Trip, now: number): boolean {
  if (trip.status === "driver_assigned" || trip.status === "driver_arrived" || trip.status === "in_progress") return true;
  return trip.status === "completed" && !!trip.completedAt && now - Date.parse(trip.completedAt) <= afterEndMs;
}

/** The id's key: one alert is pressed again after a failure (sent once), a new one after an alert went through. */
const alertKey = "emergency";

/**
 * The phone's position for an alert, where the browser may already tell it: never asks for permission (a prompt in an
 * emergency is in the way) and never waits for it; null until (unless) it is known.
 */
function usePhonePosition(wanted: boolean): LatLng | null {
  const [position, setPosition] = useState<LatLng | null>(null);
  useEffect(() => {
    if (!wanted || typeof navigator === "undefined" || !navigator.permissions || !navigator.geolocation) return;
    let current = true;
    navigator.permissions
      .query({ name: "geolocation" })
      .then((permission) => {
        if (!current || permission.state !== "granted") return;
        navigator.geolocation.getCurrentPosition(
          (p) => {
            if (current) setPosition({ lat: p.coords.latitude, lng: p.coords.longitude });
          },
          () => undefined,
          { maximumAge: 60_000, timeout: 15_000 },
        );
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [wanted]);
  return position;
}

/**
 * The red "Emergency" button of a trip under way, for its rider and its driver: it opens a panel to call the emergency
 * services (the trip's area's number) or to alert support, who see the trip and where the phone was (<paramref name="position"/> when the app
 * knows it, like the driver's; else the browser's when it is already allowed to say; else none) at the top of their queue.
 */
export function EmergencyButton(props: { session: Session; tripId: string; number?: string; position?: LatLng }) {
  const { session, tripId } = props;
  const number = props.number || "112";
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = useClientMessageId();
  const phone = usePhonePosition(open && !props.position);

  async function alertSupport() {
    setBusy(true);
    setError(null);
    const where = props.position ?? phone ?? undefined;
    try {
      await api.emergency(session, tripId, ids.idFor(alertKey), where && { lat: where.lat, lng: where.lng });
      ids.sent();
      setSent(true);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setOpen(false);
    setSent(false);
    setError(null);
  }

  if (!open) {
    return (
      <Button variant="danger" className="mb-3" onClick={() => setOpen(true)} data-testid="emergency">
        Emergency
      </Button>
    );
  }
  return (
    <div className="mb-3 flex flex-col gap-2 rounded-md border-2 border-red-600 bg-red-50 p-3 text-sm" role="group" aria-label="Emergency" data-testid="emergency-panel">
      <a href={`tel:${number}`} className="rounded-md bg-red-600 px-4 py-2 text-center font-medium text-white hover:bg-red-500" data-testid="emergency-call">
        Call emergency services ({number})
      </a>
      {sent ? (
        <p role="status" className="text-green-900" data-testid="emergency-sent">
          Support has been alerted and sees your trip and location.
        </p>
      ) : (
        <Button variant="danger" disabled={busy} onClick={() => void alertSupport()} data-testid="emergency-alert">
          Alert UberClone support
        </Button>
      )}
      {error && (
        <p role="alert" className="text-red-900" data-testid="emergency-error">
          {error}
        </p>
      )}
      <Button variant="secondary" disabled={busy} onClick={close}>
        {sent ? "Close" : "Cancel"}
      </Button>
    </div>
  );
}
