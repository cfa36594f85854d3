/**
 * The planner's Pareto chart, hand-written SVG: each route a circle at (door-to-door time,
 * cost), its area growing with CO2e and its colour the route's main mode; the fastest,
 * cheapest, lowest-CO2 and balanced routes carry their labels. Clicking a circle selects the
 * route (the table and the map follow). The layout is a pure function (unit-tested), the
 * drawing a thin layer over it.
 */
import { s } from "./dom.js";
import { formatCo2, formatDuration, formatUsd } from "./format.js";
import { extent, linearScale, niceDomain, sqrtScale, ticks } from "./scale.js";

export interface ChartPoint {
  /** The route's index in the answer. */
  index: number;
  hours: number;
  costUsd: number;
  co2Kg: number;
  colour: string;
  labels: string[];
  title: string;
}

export interface PlacedPoint extends ChartPoint {
  x: number;
  y: number;
  r: number;
}

export interface Tick {
  value: number;
  position: number;
  text: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  points: PlacedPoint[];
  xTicks: Tick[];
  yTicks: Tick[];
  xTitle: string;
}

const MARGIN = { left: 64, right: 24, top: 22, bottom: 42 };
const R_MIN = 5;
const R_MAX = 18;

/**
 * Where everything goes. The time axis counts in days when the slowest route takes more than
 * four days (a rail or sea route to Europe), in hours otherwise (a flight next to a ferry).
 */
export function layoutChart(points: readonly ChartPoint[], width = 640, height = 300): ChartLayout {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const [hMin, hMax] = extent(points.map((p) => p.hours));
  const unit = hMax > 96 ? 24 : 1;
  const [x0, x1] = niceDomain(Math.min(0, hMin / unit), hMax / unit, 6);
  const [cMin, cMax] = extent(points.map((p) => p.costUsd));
  const [y0, y1] = niceDomain(Math.min(0, cMin), cMax, 5);
  const x = linearScale([x0, x1], [plot.left, plot.right]);
  const y = linearScale([y0, y1], [plot.bottom, plot.top]);
  const [, co2Max] = extent(points.map((p) => p.co2Kg));
  const r = sqrtScale([0, co2Max], [R_MIN, R_MAX]);
  return {
    width,
    height,
    plot,
    points: points.map((p) => ({ ...p, x: x(p.hours / unit), y: y(p.costUsd), r: r(p.co2Kg) })),
    xTicks: ticks(x0, x1, 6).map((v) => ({ value: v, position: x(v), text: unit === 24 ? `${v} d` : `${v} h` })),
    yTicks: ticks(y0, y1, 5).map((v) => ({ value: v, position: y(v), text: formatUsd(v) })),
    xTitle: unit === 24 ? "door to door (days)" : "door to door (hours)",
  };
}

export interface Chart {
  select(index: number): void;
}

/** Draws the chart into `container` (replacing what was there). */
export function drawChart(container: Element, points: readonly ChartPoint[], onSelect: (index: number) => void): Chart {
  const L = layoutChart(points);
  const svg = s("svg", {
    class: "pareto",
    viewBox: `0 0 ${L.width} ${L.height}`,
    role: "img",
    "aria-label": "Routes by door-to-door time and cost; circle area is CO2e",
  });
  const axes = s("g", { class: "axes" });
  for (const t of L.xTicks) {
    axes.append(
      s("line", { class: "grid", x1: t.position, x2: t.position, y1: L.plot.top, y2: L.plot.bottom }),
      s("text", { class: "tick", x: t.position, y: L.plot.bottom + 16, "text-anchor": "middle" }, t.text),
    );
  }
  for (const t of L.yTicks) {
    axes.append(
      s("line", { class: "grid", x1: L.plot.left, x2: L.plot.right, y1: t.position, y2: t.position }),
      s("text", { class: "tick", x: L.plot.left - 6, y: t.position + 4, "text-anchor": "end" }, t.text),
    );
  }
  axes.append(
    s("line", { class: "axis", x1: L.plot.left, x2: L.plot.right, y1: L.plot.bottom, y2: L.plot.bottom }),
    s("line", { class: "axis", x1: L.plot.left, x2: L.plot.left, y1: L.plot.top, y2: L.plot.bottom }),
    s("text", { class: "axis-title", x: (L.plot.left + L.plot.right) / 2, y: L.height - 6, "text-anchor": "middle" }, L.xTitle),
    s("text", { class: "axis-title", x: 12, y: L.plot.top - 8 }, "cost (USD) · circle area: CO2e"),
  );
  svg.append(axes);

  const circles = new Map<number, SVGCircleElement>();
  const layer = s("g", { class: "points" });
  // Largest first, so small circles stay clickable on top of big ones.
  for (const p of [...L.points].sort((a, b) => b.r - a.r)) {
    const c = s(
      "circle",
      {
        class: "route-point",
        cx: p.x.toFixed(1),
        cy: p.y.toFixed(1),
        r: p.r.toFixed(1),
        fill: p.colour,
        "data-route-index": p.index,
        tabindex: 0,
        onclick: () => onSelect(p.index),
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key === "Enter" || ev.key === " ") onSelect(p.index);
        },
      },
      s("title", null, `${p.title}\n${formatDuration(p.hours * 3600)} · ${formatUsd(p.costUsd)} · ${formatCo2(p.co2Kg)}`),
    );
    circles.set(p.index, c);
    layer.append(c);
  }
  svg.append(layer);
  const labels = s("g", { class: "labels" });
  for (const p of L.points) {
    if (p.labels.length === 0) continue;
    const right = p.x < (L.plot.left + L.plot.right) / 2;
    labels.append(
      s("text", { class: "route-label", x: p.x + (right ? p.r + 4 : -p.r - 4), y: p.y - p.r - 2, "text-anchor": right ? "start" : "end" }, `#${p.index + 1} ${p.labels.join(", ")}`),
    );
  }
  svg.append(labels);
  container.replaceChildren(svg);

  return {
    select(index: number) {
      for (const [i, c] of circles) {
        c.classList.toggle("selected", i === index);
        if (i === index) layer.append(c); // on top
      }
    },
  };
}
