import { describe, expect, it } from "vitest";
import { layoutChart, type ChartPoint } from "../src/chart.js";
import { extent, linearScale, niceDomain, sqrtScale, ticks, tickStep } from "../src/scale.js";

describe("scales", () => {
  it("maps linearly, inverted ranges included (SVG y grows downwards)", () => {
    const y = linearScale([0, 1000], [300, 20]);
    expect(y(0)).toBe(300);
    expect(y(1000)).toBe(20);
    expect(y(500)).toBe(160);
    expect(linearScale([5, 5], [0, 100])(5)).toBe(50);
  });
  it("grows radii with the square root so areas are true", () => {
    const r = sqrtScale([0, 400], [0, 20]);
    expect(r(100)).toBe(10);
    expect(r(400)).toBe(20);
    expect(r(-5)).toBe(0);
    expect(r(900)).toBe(20); // clamped
    expect(sqrtScale([0, 0], [5, 15])(0)).toBe(10);
  });
  it("steps by 1, 2 or 5 times a power of ten", () => {
    expect(tickStep(0, 100, 5)).toBe(20);
    expect(tickStep(0, 1092, 5)).toBe(200);
    expect(tickStep(0, 15, 6)).toBe(2);
    expect(tickStep(0, 0.7, 5)).toBe(0.1);
    expect(tickStep(3, 3, 5)).toBe(1);
  });
  it("widens domains to whole ticks, and a single value around itself", () => {
    expect(niceDomain(181, 1092, 5)).toEqual([0, 1200]);
    expect(niceDomain(0, 101.2, 6)).toEqual([0, 120]);
    expect(niceDomain(500, 500, 5)).toEqual([440, 560]);
    expect(niceDomain(0, 0)).toEqual([-1, 1]);
    expect(niceDomain(Number.NaN, 3)).toEqual([0, 1]);
  });
  it("gives ticks without floating-point crumbs", () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 1200, 5)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(ticks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
  });
  it("finds extents of finite values", () => {
    expect(extent([3, 1, Number.NaN, 7])).toEqual([1, 7]);
    expect(extent([])).toEqual([0, 0]);
  });
});

describe("Pareto chart layout", () => {
  const pts: ChartPoint[] = [
    { index: 0, hours: 100.5, costUsd: 181, co2Kg: 9.1, colour: "blue", labels: ["cheapest"], title: "sea" },
    { index: 1, hours: 15, costUsd: 1092, co2Kg: 541, colour: "red", labels: ["fastest"], title: "air" },
  ];
  it("puts faster left, dearer higher, more CO2 bigger", () => {
    const L = layoutChart(pts, 640, 300);
    const [sea, air] = L.points;
    expect(air.x).toBeLessThan(sea.x);
    expect(air.y).toBeLessThan(sea.y); // higher on screen
    expect(air.r).toBeGreaterThan(sea.r);
    for (const p of L.points) {
      expect(p.x).toBeGreaterThanOrEqual(L.plot.left);
      expect(p.x).toBeLessThanOrEqual(L.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(L.plot.top);
      expect(p.y).toBeLessThanOrEqual(L.plot.bottom);
    }
  });
  it("counts in days when a route takes more than four days", () => {
    expect(layoutChart(pts).xTitle).toContain("days");
    expect(layoutChart(pts).xTicks.at(-1)?.text).toMatch(/ d$/);
    expect(layoutChart([pts[1]]).xTitle).toContain("hours");
  });
  it("labels the y axis in dollars", () => {
    expect(layoutChart(pts).yTicks.map((t) => t.text)).toContain("$1,000");
  });
});
