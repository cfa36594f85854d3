import { describe, expect, it } from "vitest";
import { arrivalBand, bandColour, bandLegend, nextFridayEvening } from "../src/reach.js";

describe("nextFridayEvening", () => {
  it("is this week's Friday 18:00 on the origin's clock from a Monday", () => {
    // Monday 2027-03-01 08:00 in Dalian (UTC+8).
    const ready = new Date("2027-03-01T00:00:00Z");
    expect(nextFridayEvening(ready, "Asia/Shanghai").toISOString()).toBe("2027-03-05T10:00:00.000Z");
  });
  it("is the same Friday before 18:00 and the next one after", () => {
    expect(nextFridayEvening(new Date("2027-03-05T09:59:00Z"), "Asia/Shanghai").toISOString()).toBe("2027-03-05T10:00:00.000Z");
    expect(nextFridayEvening(new Date("2027-03-05T10:00:00Z"), "Asia/Shanghai").toISOString()).toBe("2027-03-12T10:00:00.000Z");
  });
  it("reads the weekday at the origin, not in UTC", () => {
    // Friday 23:00 UTC is already Saturday in Dalian: next week's Friday.
    expect(nextFridayEvening(new Date("2027-03-05T23:00:00Z"), "Asia/Shanghai").toISOString()).toBe("2027-03-12T10:00:00.000Z");
    // ... but still Friday afternoon in Rotterdam's summer time (UTC+2): the same evening.
    expect(nextFridayEvening(new Date("2027-07-02T12:00:00Z"), "Europe/Amsterdam").toISOString()).toBe("2027-07-02T16:00:00.000Z");
  });
});

describe("arrival bands", () => {
  const ready = Date.parse("2027-03-01T00:00:00Z");
  it("counts whole days after the ready time", () => {
    expect(arrivalBand(ready, ready + 3_600_000)).toBe(0);
    expect(arrivalBand(ready, ready + 86_400_000)).toBe(1);
    expect(arrivalBand(ready, ready + 4.5 * 86_400_000)).toBe(4);
    expect(arrivalBand(ready, ready - 1)).toBe(0);
  });
  it("colours early arrivals darker and caps the scale", () => {
    expect(bandColour(0)).not.toBe(bandColour(1));
    expect(bandColour(6)).toBe(bandColour(30));
  });
  it("lists each band that occurs once, in order, the last open-ended", () => {
    expect(bandLegend([3, 0, 3, 9, 12]).map((e) => e.label)).toEqual(["day 1", "day 4", "day 7 or later"]);
  });
});
