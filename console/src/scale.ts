/**
 * Scales for the hand-written SVG charts (the Pareto chart of the planner, the load bars of a
 * comparison): a linear map from data to pixels with "nice" ticks (1, 2, 5 x 10^k), and a
 * square-root map for circle radii so that a circle's area, not its radius, grows with CO2.
 * Pure and unit-tested; no charting library, to keep the page small.
 */

export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** A linear map of `domain` onto `range`; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = (v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
  return Object.assign(f, { domain: [d0, d1] as const, range: [r0, r1] as const });
}

/**
 * A map whose output grows with the square root of the input: radius for an area-true
 * bubble. `domain` starts at 0 or above; values below the domain get the minimum radius.
 */
export function sqrtScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const s0 = Math.sqrt(Math.max(0, d0));
  const s1 = Math.sqrt(Math.max(0, d1));
  const f = (v: number) => {
    if (s1 === s0) return (r0 + r1) / 2;
    const t = (Math.sqrt(Math.max(0, v)) - s0) / (s1 - s0);
    return r0 + Math.min(1, Math.max(0, t)) * (r1 - r0);
  };
  return Object.assign(f, { domain: [d0, d1] as const, range: [r0, r1] as const });
}

/** The step of about `count` ticks over [min, max]: 1, 2 or 5 times a power of ten. */
export function tickStep(min: number, max: number, count: number): number {
  const span = Math.abs(max - min);
  if (span === 0 || !Number.isFinite(span) || count <= 0) return 1;
  const raw = span / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const error = raw / power;
  const factor = error >= 7.5 ? 10 : error >= 3.5 ? 5 : error >= 1.5 ? 2 : 1;
  return factor * power;
}

/**
 * The domain widened to whole ticks, so the axes start and end on a labelled value. A single
 * value (one route, or routes of one cost) is widened around it instead of collapsing.
 */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = tickStep(min, max, count);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

/** Tick values at whole steps within [min, max], without floating-point crumbs (0.30000004). */
export function ticks(min: number, max: number, count = 5): number[] {
  const step = tickStep(min, max, count);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let i = first; i <= last; i++) out.push(Number((i * step).toFixed(decimals)));
  return out;
}

/** Smallest and largest of the values; [0, 0] when there are none. */
export function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 0];
  return [Math.min(...finite), Math.max(...finite)];
}
