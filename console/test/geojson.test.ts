import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { geoJsonFileName, routeToGeoJson } from "../src/geojson.js";
import { TransportMode } from "../src/gen/freight/v1/network_pb.js";
import { RouteSchema } from "../src/gen/freight/v1/routing_pb.js";

const route = create(RouteSchema, {
  legs: [
    {
      mode: TransportMode.ROAD,
      serviceId: "drayage:CNDLC-DLC:CNDLC-PORT",
      drayage: true,
      from: { id: "CNDLC-DLC", position: { latitude: 38.9657, longitude: 121.5386 } },
      to: { id: "CNDLC-PORT", position: { latitude: 39.0089, longitude: 121.8736 } },
      cost: { totalUsd: 80 },
      co2eWtwKg: 1.5,
    },
    {
      mode: TransportMode.SEA,
      serviceId: "SEA-DLC-PUS",
      serviceName: "Dalian - Busan",
      from: { id: "CNDLC-PORT" },
      to: { id: "KRPUS-PORT" },
      path: [
        { latitude: 39.0089, longitude: 121.8736 },
        { latitude: 36.5, longitude: 124.0 },
        { latitude: 35.08, longitude: 129.04 },
      ],
      departureTime: timestampFromDate(new Date("2026-11-27T10:00:00Z")),
      arrivalTime: timestampFromDate(new Date("2026-11-29T00:54:00Z")),
      departureTimeZone: "Asia/Shanghai",
      arrivalTimeZone: "Asia/Seoul",
      distanceKm: 1009,
      cost: { totalUsd: 181.2 },
      co2eWtwKg: 9.1,
      co2Kg: 9.1,
    },
  ],
});

describe("route GeoJSON", () => {
  const fc = routeToGeoJson(route);
  it("is an RFC 7946 FeatureCollection with one LineString per leg", () => {
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features).toHaveLength(2);
    for (const f of fc.features) {
      expect(f.type).toBe("Feature");
      expect(f.geometry.type).toBe("LineString");
      expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    }
  });
  it("writes positions as [longitude, latitude]", () => {
    expect(fc.features[1].geometry.coordinates[0]).toEqual([121.8736, 39.0089]);
    expect(fc.features[1].geometry.coordinates[2]).toEqual([129.04, 35.08]);
  });
  it("falls back to the terminals for a leg without a path", () => {
    expect(fc.features[0].geometry.coordinates).toEqual([
      [121.5386, 38.9657],
      [121.8736, 39.0089],
    ]);
  });
  it("carries the properties the CLI writes", () => {
    expect(fc.features[1].properties).toEqual({
      leg: 2,
      mode: "sea",
      service_id: "SEA-DLC-PUS",
      service_name: "Dalian - Busan",
      from: "CNDLC-PORT",
      to: "KRPUS-PORT",
      departure_time: "2026-11-27T10:00:00Z",
      arrival_time: "2026-11-29T00:54:00Z",
      departure_time_zone: "Asia/Shanghai",
      arrival_time_zone: "Asia/Seoul",
      distance_km: 1009,
      cost_usd: 181.2,
      co2e_wtw_kg: 9.1,
      exploratory: false,
    });
    expect(fc.features[0].properties.departure_time).toBeNull();
    expect(fc.features[0].properties.mode).toBe("road");
  });
  it("serialises to plain JSON (no bigint left)", () => {
    expect(() => JSON.stringify(fc)).not.toThrow();
  });
  it("names the file after the route and its ends", () => {
    expect(geoJsonFileName(0, "CNDLC", "KRPUS")).toBe("route-1-CNDLC-KRPUS.geojson");
    expect(geoJsonFileName(2, "../x", "")).toBe("route-3-x-x.geojson");
  });
});
