import { describe, expect, it } from "vitest";
import {
  formatCo2,
  formatDuration,
  formatLocalTime,
  formatOffset,
  formatSeason,
  formatSignedCo2,
  formatSignedHours,
  formatSignedUsd,
  formatUsd,
  labelName,
  modeName,
  rfc3339,
  toDate,
  toDateTimeLocalValue,
  toSeconds,
  validZone,
  zonedWallTimeToDate,
  zoneOffsetMinutes,
} from "../src/format.js";
import { TransportMode } from "../src/gen/freight/v1/network_pb.js";
import { RouteLabel } from "../src/gen/freight/v1/routing_pb.js";

describe("durations", () => {
  it("uses minutes, then hours and minutes, then days", () => {
    expect(formatDuration(45 * 60)).toBe("45 min");
    expect(formatDuration(15 * 3600 + 2 * 60)).toBe("15 h 02 min");
    expect(formatDuration(71 * 3600 + 59 * 60)).toBe("71 h 59 min");
    expect(formatDuration(4.1 * 86400)).toBe("4 d 2 h");
    expect(formatDuration(3 * 86400 + 23.7 * 3600)).toBe("4 d");
  });
  it("says unknown for unset and keeps the sign", () => {
    expect(formatDuration(undefined)).toBe("–");
    expect(formatDuration(-90 * 60)).toBe("−1 h 30 min");
  });
  it("reads protobuf durations and timestamps (bigint seconds + nanos)", () => {
    expect(toSeconds({ seconds: 90n, nanos: 500_000_000 })).toBe(90.5);
    expect(toSeconds(undefined)).toBeUndefined();
    expect(toDate({ seconds: 1_800_000_000n, nanos: 0 })?.toISOString()).toBe("2027-01-15T08:00:00.000Z");
  });
});

describe("money and CO2", () => {
  it("writes whole dollars from 100, cents below", () => {
    expect(formatUsd(1092.4)).toBe("$1,092");
    expect(formatUsd(181)).toBe("$181");
    expect(formatUsd(0.85)).toBe("$0.85");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(-35)).toBe("−$35.00");
    expect(formatUsd(Number.NaN)).toBe("–");
  });
  it("signs deltas", () => {
    expect(formatSignedUsd(120)).toBe("+$120");
    expect(formatSignedUsd(-350)).toBe("−$350");
    expect(formatSignedUsd(0.001)).toBe("±$0");
    expect(formatSignedHours(-12.34)).toBe("−12.3 h");
    expect(formatSignedHours(5)).toBe("+5.0 h");
    expect(formatSignedCo2(-1500)).toBe("−1.50 t");
  });
  it("writes kg below a tonne and tonnes above", () => {
    expect(formatCo2(9.14)).toBe("9.1 kg");
    expect(formatCo2(541.4)).toBe("541 kg");
    expect(formatCo2(1082.9)).toBe("1.08 t");
    expect(formatCo2(25_400)).toBe("25.4 t");
  });
});

describe("local times", () => {
  const departure = new Date("2026-11-27T10:00:00Z");
  it("formats at the terminal's clock with its offset", () => {
    expect(formatLocalTime(departure, "Asia/Shanghai")).toBe("Fri 2026-11-27 18:00 +08:00");
    expect(formatLocalTime(departure, "Asia/Tokyo")).toBe("Fri 2026-11-27 19:00 +09:00");
    expect(formatLocalTime(departure, "Europe/Moscow")).toBe("Fri 2026-11-27 13:00 +03:00");
  });
  it("follows daylight saving time", () => {
    expect(formatLocalTime(new Date("2026-07-01T10:00:00Z"), "Europe/Amsterdam")).toBe("Wed 2026-07-01 12:00 +02:00");
    expect(formatLocalTime(new Date("2026-12-01T10:00:00Z"), "Europe/Amsterdam")).toBe("Tue 2026-12-01 11:00 +01:00");
  });
  it("falls back to UTC for an unknown or empty zone", () => {
    expect(validZone("Mars/Olympus")).toBe("UTC");
    expect(validZone("")).toBe("UTC");
    expect(formatLocalTime(departure, "Mars/Olympus")).toBe("Fri 2026-11-27 10:00 +00:00");
    expect(formatLocalTime(undefined, "UTC")).toBe("–");
  });
  it("computes offsets", () => {
    expect(zoneOffsetMinutes(departure, "Asia/Shanghai")).toBe(480);
    expect(zoneOffsetMinutes(departure, "Asia/Kolkata")).toBe(330);
    expect(formatOffset(330)).toBe("+05:30");
    expect(formatOffset(-210)).toBe("-03:30");
  });
  it("reads a typed wall time in the origin's zone", () => {
    expect(zonedWallTimeToDate("2026-11-27T18:00", "Asia/Shanghai")?.toISOString()).toBe("2026-11-27T10:00:00.000Z");
    expect(zonedWallTimeToDate("2026-07-01T12:00", "Europe/Amsterdam")?.toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(zonedWallTimeToDate("", "UTC")).toBeUndefined();
    expect(zonedWallTimeToDate("27/11/2026", "UTC")).toBeUndefined();
  });
  it("reads a time in a daylight-saving gap as the clock moved forward", () => {
    // Amsterdam skips 02:00-03:00 on 2026-03-29: 02:30 does not exist; 03:30 CEST is 01:30 UTC.
    expect(zonedWallTimeToDate("2026-03-29T02:30", "Europe/Amsterdam")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });
  it("round-trips through the datetime-local value", () => {
    const d = new Date("2026-11-27T10:00:00Z");
    expect(toDateTimeLocalValue(d, "Asia/Tokyo")).toBe("2026-11-27T19:00");
    expect(zonedWallTimeToDate(toDateTimeLocalValue(d, "Asia/Tokyo"), "Asia/Tokyo")?.getTime()).toBe(d.getTime());
  });
  it("writes RFC 3339 like the CLI (whole seconds, Z)", () => {
    expect(rfc3339(new Date("2026-11-27T10:00:00Z"))).toBe("2026-11-27T10:00:00Z");
    expect(rfc3339(undefined)).toBeNull();
  });
});

describe("codes in words", () => {
  it("names modes and labels as the CLI does", () => {
    expect(modeName(TransportMode.SEA)).toBe("sea");
    expect(modeName(TransportMode.ROAD)).toBe("road");
    expect(modeName(99)).toBe("?");
    expect(labelName(RouteLabel.LOWEST_CO2)).toBe("lowest CO2");
  });
  it("writes seasons as dates", () => {
    expect(formatSeason("06-20..10-31")).toBe("20 Jun – 31 Oct");
    expect(formatSeason("")).toBe("year-round");
    expect(formatSeason("summer")).toBe("summer");
  });
});
