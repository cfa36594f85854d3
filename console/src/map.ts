/**
 * The Leaflet maps of the three views. No tile layer: the page may load nothing from the
 * internet (the server's content-security policy allows its own origin only), so the map is
 * the bundled Natural Earth land (src/assets/land.json, made by scripts/basemap.mjs) as a
 * GeoJSON layer over a sea-coloured background. Paths are drawn as SVG (Leaflet's default
 * renderer), which the end-to-end test counts.
 */
import * as L from "leaflet";
import "leaflet/dist/leaflet.css";
import { TransportMode } from "./gen/freight/v1/network_pb.js";
import { normalizeLongitude } from "./geo.js";

/** Colours by mode, shared by the map, the chart and the legends. */
export const MODE_COLOURS: Record<number, string> = {
  [TransportMode.SEA]: "#1c6cb0",
  [TransportMode.AIR]: "#d9480f",
  [TransportMode.RAIL]: "#7b3fa0",
  [TransportMode.ROAD]: "#2b8a3e",
  [TransportMode.UNSPECIFIED]: "#6b7280",
};
export const DRAYAGE_COLOUR = "#6b7280";

export function modeColour(mode: number, drayage = false): string {
  return drayage ? DRAYAGE_COLOUR : (MODE_COLOURS[mode] ?? MODE_COLOURS[0]);
}

/** Dash pattern of exploratory lines (pilots, the Northern Sea Route, DPRK links). */
export const EXPLORATORY_DASH = "8 6";

let landOnce: Promise<GeoJSON.GeoJsonObject> | undefined;

/** The base map's land, loaded as its own chunk so the page is usable before it arrives. */
function land(): Promise<GeoJSON.GeoJsonObject> {
  landOnce ??= import("./assets/land.json").then((m) => m.default as unknown as GeoJSON.GeoJsonObject);
  return landOnce;
}

/** From the Atlantic to the Pacific: Rotterdam to Sakhalin. */
const HOME: L.LatLngBoundsExpression = [
  [20, -12],
  [72, 150],
];

/** A map in `el` with the base map; resolves once the land is drawn. */
export function createMap(el: HTMLElement): { map: L.Map; ready: Promise<void> } {
  const map = L.map(el, {
    worldCopyJump: false,
    minZoom: 1,
    maxZoom: 12,
    zoomSnap: 0.25,
    maxBounds: [
      [-60, -120],
      [88, 300],
    ],
    attributionControl: true,
  });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Land: Natural Earth (public domain)");
  map.fitBounds(HOME);
  // The land arrives after the page's own layers may have been drawn: its own pane, below
  // Leaflet's overlay pane (z-index 400), keeps it underneath them whenever it comes.
  map.createPane("land").style.zIndex = "250";
  const ready = land().then((data) => {
    L.geoJSON(data, {
      pane: "land",
      interactive: false,
      style: { color: "#b9b39f", weight: 0.6, fillColor: "#efeadb", fillOpacity: 1, className: "land" },
    }).addTo(map);
  });
  return { map, ready };
}

/** A [lat, lng] for a terminal position, in the map's longitude window. */
export function point(p: { latitude: number; longitude: number }): [number, number] {
  return [p.latitude, normalizeLongitude(p.longitude)];
}

/** Fits the map to the bounds with some margin, unless they are empty. */
export function fit(map: L.Map, bounds: [[number, number], [number, number]] | undefined, maxZoom = 6): void {
  if (!bounds) return;
  map.fitBounds(bounds, { padding: [24, 24], maxZoom, animate: false });
}

export { L };
