/**
 * The readings of a FindReachable answer the reach view draws: the default deadline ("by
 * Friday"), and each terminal's arrival band (the day after the ready time it arrives on) with
 * its colour. Pure, unit-tested.
 */
import { wallTime, zonedWallTimeToDate } from "./format.js";

const DAY_MS = 86_400_000;
const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * The next Friday at 18:00 on the origin's clock after `ready` (a week later when `ready` is
 * Friday evening or the weekend): what a planner means by "by Friday".
 */
export function nextFridayEvening(ready: Date, timeZone: string): Date {
  for (let days = 0; days <= 7; days++) {
    const w = wallTime(new Date(ready.getTime() + days * DAY_MS), timeZone);
    if (w.weekday !== "Fri") continue;
    const evening = zonedWallTimeToDate(`${w.year}-${pad2(w.month)}-${pad2(w.day)}T18:00`, timeZone);
    if (evening && evening.getTime() > ready.getTime()) return evening;
  }
  return new Date(ready.getTime() + 7 * DAY_MS);
}

/** The arrival band of a terminal: 0 within a day of the ready time, 1 on the second day, … */
export function arrivalBand(readyMs: number, arrivalMs: number): number {
  return Math.max(0, Math.floor((arrivalMs - readyMs) / DAY_MS));
}

/** Early arrivals dark, late ones light: a sequential scale, readable on the base map. */
const BAND_COLOURS = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"];

/** The colour of a band; bands past the scale share its last colour. */
export function bandColour(band: number): string {
  return BAND_COLOURS[Math.min(Math.max(0, band), BAND_COLOURS.length - 1)];
}

/** The legend: one entry per band that occurs, "day 1", "day 2", …, the last "day 7 or later". */
export function bandLegend(bands: readonly number[]): { band: number; label: string; colour: string }[] {
  const last = BAND_COLOURS.length - 1;
  const seen = [...new Set(bands.map((b) => Math.min(b, last)))].sort((a, b) => a - b);
  return seen.map((b) => ({ band: b, label: b === last ? `day ${b + 1} or later` : `day ${b + 1}`, colour: bandColour(b) }));
}
