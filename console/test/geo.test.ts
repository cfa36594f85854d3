import { describe, expect, it } from "vitest";
import { arc, boundsOf, normalizeLongitude, unwrapPath } from "../src/geo.js";
import { camel, getPath, setPath } from "../src/scenarioform.js";

describe("paths on the map", () => {
  it("keeps Europe and Asia as they are", () => {
    expect(unwrapPath([{ latitude: 51.9, longitude: 4.0 }, { latitude: 39, longitude: 121.9 }])).toEqual([
      [51.9, 4.0],
      [39, 121.9],
    ]);
  });
  it("unwraps a path across the antimeridian (Bering Strait)", () => {
    const p = unwrapPath([
      { latitude: 60, longitude: 175 },
      { latitude: 65, longitude: -169 },
      { latitude: 70, longitude: -175 },
      { latitude: 72, longitude: 170 },
    ]);
    expect(p.map(([, lon]) => lon)).toEqual([175, 191, 185, 170]);
  });
  it("moves a place west of the map's edge one turn east", () => {
    expect(normalizeLongitude(-150)).toBe(210);
    expect(normalizeLongitude(-20)).toBe(-20);
    expect(normalizeLongitude(400)).toBe(40);
  });
  it("skips non-finite points", () => {
    expect(unwrapPath([{ latitude: Number.NaN, longitude: 0 }, { latitude: 1, longitude: 2 }])).toEqual([[1, 2]]);
  });
  it("bounds paths", () => {
    expect(boundsOf([[[1, 2], [3, -4]], [[0, 10]]])).toEqual([[0, -4], [3, 10]]);
    expect(boundsOf([])).toBeUndefined();
  });
  it("bows flows so both ends are exact and the middle is off the chord", () => {
    const a = arc([39, 121.9], [37.9, 139.1], 10);
    expect(a[0]).toEqual([39, 121.9]);
    expect(a[10][0]).toBeCloseTo(37.9);
    expect(a[10][1]).toBeCloseTo(139.1);
    expect(a[5][0]).toBeGreaterThan(39); // eastward travel bows north
  });
});

describe("scenario form paths", () => {
  it("turns proto field names into protobuf-es property names", () => {
    expect(camel("per_20ft_km")).toBe("per20ftKm");
    expect(camel("as_of")).toBe("asOf");
    expect(camel("both_directions")).toBe("bothDirections");
  });
  it("reads and writes dotted paths, creating the rate table", () => {
    const svc: Record<string, unknown> = { speedKn: 18 };
    expect(getPath(svc, "speed_kn")).toBe(18);
    expect(getPath(svc, "rate.as_of")).toBeUndefined();
    setPath(svc, "rate.base_per_20ft", 320, () => ({ kind: "rate" }));
    expect(svc.rate).toEqual({ kind: "rate", basePer20ft: 320 });
  });
});
