import type { LatLng } from "./types";

const earthRadiusMeters = 6_371_008.8;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

export function distanceMeters(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `meters` along the straight line from `from` to `to` (or `to` when closer than that). */
export function moveToward(from: LatLng, to: LatLng, meters: number): LatLng {
  const total = distanceMeters(from, to);
  if (total <= meters || total === 0) return to;
  const f = meters / total;
  return { lat: from.lat + (to.lat - from.lat) * f, lng: from.lng + (to.lng - from.lng) * f };
}

/** City driving: ~30 km/h on roads ~1.3× longer than the straight line, so ~6.4 m/s along the line. */
export const simulatedSpeedMetersPerSecond = 8.33 / 1.3;

export const defaultCity: LatLng = { lat: 52.52, lng: 13.405 };
