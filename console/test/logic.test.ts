import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { loadBar, switchedTo } from "../src/compare.js";
import { TransportMode } from "../src/gen/freight/v1/network_pb.js";
import { RouteSchema } from "../src/gen/freight/v1/routing_pb.js";
import { PairComparisonSchema } from "../src/gen/freight/v1/scenario_pb.js";
import { operatorChoices, passes, type NetworkFilter } from "../src/netfilter.js";
import { mainMode, routeModes } from "../src/route.js";
import { exclusionWords } from "../src/words.js";

describe("routes", () => {
  const route = create(RouteSchema, {
    legs: [
      { mode: TransportMode.ROAD, drayage: true, distanceKm: 30 },
      { mode: TransportMode.RAIL, distanceKm: 1802 },
      { mode: TransportMode.RAIL, distanceKm: 6442 },
      { mode: TransportMode.SEA, distanceKm: 900 },
    ],
  });
  it("colours a route by the mode that carries it furthest, drayage aside", () => {
    expect(mainMode(route)).toBe(TransportMode.RAIL);
    expect(mainMode({ legs: [] })).toBe(TransportMode.UNSPECIFIED);
  });
  it("lists the main legs' modes", () => {
    expect(routeModes(route)).toBe("rail → rail → sea");
  });
});

describe("comparisons", () => {
  it("names the added lines a pair's scenario route uses", () => {
    const pair = create(PairComparisonSchema, { scenario: { serviceIds: ["DRAYAGE", "SEA-DLC-KIJ-RORO"] }, switchedShare: 0.57 });
    expect(switchedTo(pair, ["SEA-DLC-KIJ-RORO", "SEA-DLC-KIJ-RORO-R"])).toEqual(["SEA-DLC-KIJ-RORO"]);
    expect(switchedTo(create(PairComparisonSchema), ["X"])).toEqual([]);
  });
  it("draws a load bar against the capacity mark", () => {
    expect(loadBar({ weeklyTeu: 69.2, weeklyCapacityTeu: 150 }, 300)).toEqual({ used: 138.4, capacity: 300, over: false });
    const over = loadBar({ weeklyTeu: 300, weeklyCapacityTeu: 150 }, 300);
    expect(over).toEqual({ used: 300, capacity: 150, over: true });
    expect(loadBar({ weeklyTeu: 0, weeklyCapacityTeu: 0 }, 300)).toEqual({ used: 0, capacity: 300, over: false });
  });
});

describe("network filter", () => {
  const all: NetworkFilter = { modes: new Set([1, 2, 3, 4]), operator: "", exploratory: "all" };
  const nsr = { mode: TransportMode.SEA, operator: "NewNew Shipping", exploratory: true };
  const flight = { mode: TransportMode.AIR, operator: "", exploratory: false };
  it("filters by mode, operator and exploratory status", () => {
    expect(passes(nsr, all)).toBe(true);
    expect(passes(flight, { ...all, modes: new Set([1]) })).toBe(false);
    expect(passes(nsr, { ...all, operator: "NewNew Shipping" })).toBe(true);
    expect(passes(flight, { ...all, operator: "NewNew Shipping" })).toBe(false);
    expect(passes(flight, { ...all, operator: "(unknown)" })).toBe(true);
    expect(passes(nsr, { ...all, exploratory: "hide" })).toBe(false);
    expect(passes(flight, { ...all, exploratory: "only" })).toBe(false);
  });
  it("offers named operators first, the unknown ones last", () => {
    expect(operatorChoices([{ operator: "" }, { operator: "Sinokor" }, { operator: "COSCO" }, { operator: "Sinokor" }])).toEqual(["COSCO", "Sinokor", "(unknown)"]);
  });
});

describe("exclusions in words", () => {
  it("says why a candidate was removed, and names an unknown rule as it is", () => {
    expect(exclusionWords("include_exploratory")).toContain("include exploratory lines");
    expect(exclusionWords("season")).toBe("not running in this season");
    expect(exclusionWords("new_rule")).toBe("by new_rule");
  });
});
