/**
 * A route as an RFC 7946 GeoJSON FeatureCollection, for the planner's "Download GeoJSON":
 * one LineString per leg along the leg's path, positions as [longitude, latitude] (GeoJSON's
 * order, the reverse of Leaflet's), with the same properties `freight route --geojson` writes
 * (src/client.rs `route_geojson`), so a file from the page and one from the CLI agree.
 * Pure and unit-tested.
 */
import type { Route } from "./gen/freight/v1/routing_pb.js";
import { modeName, rfc3339, toDate } from "./format.js";

export interface LineStringFeature {
  type: "Feature";
  geometry: { type: "LineString"; coordinates: [number, number][] };
  properties: {
    leg: number;
    mode: string;
    service_id: string;
    service_name: string;
    from: string;
    to: string;
    departure_time: string | null;
    arrival_time: string | null;
    departure_time_zone: string;
    arrival_time_zone: string;
    distance_km: number;
    cost_usd: number;
    co2e_wtw_kg: number;
    exploratory: boolean;
  };
}

export interface FeatureCollection {
  type: "FeatureCollection";
  features: LineStringFeature[];
}

/**
 * Builds the collection. A leg without a path (older servers) falls back to the straight line
 * between its terminals; RFC 7946 positions keep the server's longitudes in [-180, 180].
 */
export function routeToGeoJson(route: Route): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: route.legs.map((leg, i) => {
      let coordinates: [number, number][] = leg.path.map((p) => [p.longitude, p.latitude]);
      if (coordinates.length < 2) {
        const a = leg.from?.position;
        const b = leg.to?.position;
        coordinates = a && b ? [[a.longitude, a.latitude], [b.longitude, b.latitude]] : coordinates;
      }
      return {
        type: "Feature",
        geometry: { type: "LineString", coordinates },
        properties: {
          leg: i + 1,
          mode: modeName(leg.mode),
          service_id: leg.serviceId,
          service_name: leg.serviceName,
          from: leg.from?.id ?? "?",
          to: leg.to?.id ?? "?",
          departure_time: rfc3339(toDate(leg.departureTime)),
          arrival_time: rfc3339(toDate(leg.arrivalTime)),
          departure_time_zone: leg.departureTimeZone,
          arrival_time_zone: leg.arrivalTimeZone,
          distance_km: leg.distanceKm,
          cost_usd: leg.cost?.totalUsd ?? 0,
          co2e_wtw_kg: leg.co2eWtwKg,
          exploratory: leg.exploratory,
        },
      };
    }),
  };
}

/** A file name for the download: `route-1-CNDLC-KRPUS.geojson`. */
export function geoJsonFileName(index: number, origin: string, destination: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "").slice(0, 20) || "x";
  return `route-${index + 1}-${clean(origin)}-${clean(destination)}.geojson`;
}
