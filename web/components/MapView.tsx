"use client";

import { useEffect, useRef } from "react";
import type { Map as LeafletMap, LayerGroup } from "leaflet";
import type { LatLng } from "@/lib/types";

/** badge: a short text drawn on the marker itself (a stop's number); label: its tooltip. */
export type MapMarker = { id: string; position: LatLng; label: string; kind: "pickup" | "newPickup" | "stop" | "dropoff" | "newDropoff" | "driver" | "me" | "car"; badge?: string };

/**
 * A shaded rectangle labelled at its centre (a surge area), drawn under the markers and without tiles too; attributes
 * are set on its SVG element (what it stands for, for tests and tools).
 */
export type MapArea = { id: string; south: number; west: number; north: number; east: number; label: string; colour: string; attributes?: Record<string, string> };

/**
 * A circle of a radius in metres around a point, drawn under the markers (how far a pickup may move, ADR 0046); not
 * interactive, so a click inside it still picks the point under it.
 */
export type MapCircle = { id: string; center: LatLng; radiusMeters: number };

const colours: Record<MapMarker["kind"], string> = { pickup: "#16a34a", newPickup: "#65a30d", stop: "#7c3aed", dropoff: "#dc2626", newDropoff: "#d97706", driver: "#111827", me: "#2563eb", car: "#64748b" };

/**
 * Leaflet map: OpenStreetMap tiles when online; without tiles the areas, markers and route still draw on a plain
 * background. Markers are circle markers (no image assets to load).
 */
export function MapView(props: { center: LatLng; markers: MapMarker[]; areas?: MapArea[]; circles?: MapCircle[]; route?: LatLng[]; onPick?: (point: LatLng) => void; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<LeafletMap | null>(null);
  const layer = useRef<LayerGroup | null>(null);
  const onPick = useRef(props.onPick);
  onPick.current = props.onPick;
  const framed = useRef("");

  useEffect(() => {
    let disposed = false;
    void import("leaflet").then((L) => {
      if (disposed || !element.current || map.current) return;
      const m = L.map(element.current, { zoomControl: true }).setView([props.center.lat, props.center.lng], 14);
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(m);
      m.on("click", (e) => onPick.current?.({ lat: e.latlng.lat, lng: e.latlng.lng }));
      layer.current = L.layerGroup().addTo(m);
      map.current = m;
      draw(L);
    });
    return () => {
      disposed = true;
      map.current?.remove();
      map.current = null;
    };
    // The map is created once; markers are redrawn by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void import("leaflet").then((L) => draw(L));
  });

  function draw(L: typeof import("leaflet")) {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    for (const area of props.areas ?? []) {
      // Not interactive: a click goes through to the map (a rider's pickup), as if the area were not there.
      const rectangle = L.rectangle(
        [
          [area.south, area.west],
          [area.north, area.east],
        ],
        { color: area.colour, weight: 1, fillColor: area.colour, fillOpacity: 0.2, interactive: false },
      )
        .bindTooltip(area.label, { permanent: true, direction: "center", className: "map-area-label" })
        .addTo(group);
      for (const [name, value] of Object.entries(area.attributes ?? {})) rectangle.getElement()?.setAttribute(name, value);
    }
    for (const circle of props.circles ?? []) {
      L.circle([circle.center.lat, circle.center.lng], {
        radius: circle.radiusMeters,
        color: "#65a30d",
        weight: 2,
        dashArray: "6 4",
        fillColor: "#65a30d",
        fillOpacity: 0.08,
        interactive: false,
        className: "map-circle", // for a test or a style, as the markers' kinds are
      }).addTo(group);
    }
    if (props.route && props.route.length > 1) {
      L.polyline(props.route.map((p) => [p.lat, p.lng] as [number, number]), { color: "#2563eb", weight: 4, opacity: 0.8 }).addTo(group);
    }
    // Frame the stops whenever they change (not on every driver ping), so the whole route is in view.
    const stops = props.markers.filter((m) => m.kind === "pickup" || m.kind === "newPickup" || m.kind === "stop" || m.kind === "dropoff" || m.kind === "newDropoff");
    const key = stops.map((m) => `${m.position.lat},${m.position.lng}`).join(";");
    if (map.current && key !== framed.current) {
      framed.current = key;
      if (stops.length > 1) map.current.fitBounds(L.latLngBounds(stops.map((m) => [m.position.lat, m.position.lng] as [number, number])), { padding: [40, 40] });
      else if (stops[0]) map.current.setView([stops[0].position.lat, stops[0].position.lng], 15);
    }
    for (const marker of props.markers) {
      if (marker.badge !== undefined) {
        // A numbered dot drawn in HTML (no image assets); a click on it still picks the point under it, as on a circle.
        L.marker([marker.position.lat, marker.position.lng], {
          icon: L.divIcon({ className: "map-badge", html: escape(marker.badge), iconSize: [20, 20] }),
          bubblingMouseEvents: true,
          keyboard: false,
        })
          .bindTooltip(marker.label)
          .addTo(group)
          .getElement()
          ?.style.setProperty("--badge-colour", colours[marker.kind]);
        continue;
      }
      L.circleMarker([marker.position.lat, marker.position.lng], {
        radius: marker.kind === "driver" || marker.kind === "me" ? 9 : marker.kind === "car" ? 5 : 7,
        color: "#fff",
        weight: 2,
        fillColor: colours[marker.kind],
        fillOpacity: 1,
        className: `map-${marker.kind}`, // what the marker is, for a test or a style: the path has nothing else to tell it by
      })
        .bindTooltip(marker.label)
        .addTo(group);
    }
  }

  return <div ref={element} role="application" aria-label={props.label} data-testid="map" className="h-72 w-full rounded-lg border border-slate-300 sm:h-96" />;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
