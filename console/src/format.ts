/**
 * How the console writes numbers, times and codes. Pure functions (no DOM), unit-tested in
 * test/format.test.ts, so the planner, network and scenario views all say things the same way
 * and the same way as the CLI (`freight route`): local times with their UTC offset, money in
 * USD, CO2e in kg or tonnes.
 */
import { RouteLabel } from "./gen/freight/v1/routing_pb.js";
import { TransportMode } from "./gen/freight/v1/network_pb.js";

/** A protobuf Timestamp or Duration as protobuf-es v2 gives it. */
export interface Seconds {
  seconds: bigint;
  nanos: number;
}

/** Seconds of a Duration or Timestamp (undefined stays undefined: unset fields are not zero). */
export function toSeconds(v: Seconds | undefined): number | undefined {
  return v === undefined ? undefined : Number(v.seconds) + v.nanos / 1e9;
}

/** A Timestamp as a Date; undefined when unset. */
export function toDate(v: Seconds | undefined): Date | undefined {
  const s = toSeconds(v);
  return s === undefined ? undefined : new Date(s * 1000);
}

/**
 * A duration for people: "45 min", "15 h 05 min", "4 d 3 h". Days from 72 h on, since a
 * shipment that takes a week is planned in days, a flight in hours and minutes.
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "–";
  const sign = seconds < 0 ? "−" : "";
  const totalMinutes = Math.round(Math.abs(seconds) / 60);
  if (totalMinutes < 60) return `${sign}${totalMinutes} min`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours < 72) return `${sign}${hours} h ${String(minutes).padStart(2, "0")} min`;
  const days = Math.floor(hours / 24);
  const restHours = Math.round((totalMinutes - days * 24 * 60) / 60);
  return restHours === 24 ? `${sign}${days + 1} d` : `${sign}${days} d ${restHours} h`;
}

/** Hours with one decimal, for tables of averages ("101.5 h"). */
export function formatHours(hours: number): string {
  return `${hours.toFixed(1)} h`;
}

const usdWhole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * US dollars: whole dollars from 100 on (a quote's scale), cents below, where a bunker or a
 * document fee would otherwise read as 0.
 */
export function formatUsd(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const sign = v < 0 ? "−" : "";
  const a = Math.abs(v);
  return `${sign}$${a >= 100 || a === 0 ? usdWhole.format(a) : usdCents.format(a)}`;
}

/** A difference: always signed ("+$120", "−$35", "±$0"), for scenario deltas. */
export function formatSignedUsd(v: number): string {
  if (Math.abs(v) < 0.005) return "±$0";
  return v > 0 ? `+${formatUsd(v)}` : formatUsd(v);
}

/** CO2e: kilograms below a tonne ("9.1 kg"), tonnes above ("1.08 t"). */
export function formatCo2(kg: number): string {
  if (!Number.isFinite(kg)) return "–";
  const sign = kg < 0 ? "−" : "";
  const a = Math.abs(kg);
  if (a < 1000) return `${sign}${a.toFixed(a < 10 ? 1 : 0)} kg`;
  return `${sign}${(a / 1000).toFixed(a < 10000 ? 2 : 1)} t`;
}

export function formatSignedCo2(kg: number): string {
  if (Math.abs(kg) < 0.05) return "±0 kg";
  return kg > 0 ? `+${formatCo2(kg)}` : formatCo2(kg);
}

export function formatSignedHours(h: number): string {
  if (Math.abs(h) < 0.05) return "±0 h";
  return `${h > 0 ? "+" : "−"}${Math.abs(h).toFixed(1)} h`;
}

/** A share 0..1 as a percentage ("42 %"). */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

export function formatNumber(v: number, digits = 0): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(v);
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a time zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
}

/** The zone as given when the runtime knows it, else UTC (a terminal with no zone data). */
export function validZone(timeZone: string | undefined): string {
  if (!timeZone) return "UTC";
  try {
    wallFormat(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

export function wallTime(date: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of wallFormat(validZone(timeZone)).formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday,
  };
}

/** Minutes the zone is ahead of UTC at that instant (+480 for Asia/Shanghai). */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const w = wallTime(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const instant = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((asUtc - instant) / 60000);
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * An instant as local time where it happens, with the offset: "Fri 2026-11-27 18:00 +08:00".
 * Departures and arrivals are read at the terminal's clock, as a timetable prints them.
 */
export function formatLocalTime(date: Date | undefined, timeZone: string | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return "–";
  const zone = validZone(timeZone);
  const w = wallTime(date, zone);
  const offset = formatOffset(zoneOffsetMinutes(date, zone));
  return `${w.weekday} ${w.year}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)} ${offset}`;
}

/** The value of an `<input type="datetime-local">` for an instant in a zone. */
export function toDateTimeLocalValue(date: Date, timeZone: string): string {
  const w = wallTime(date, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}`;
}

/**
 * The instant a wall-clock time ("2026-11-27T18:00", as a datetime-local input gives it) names
 * in a zone. The ready time is typed at the origin's clock and deliver-by at the destination's,
 * not at the browser's. Undefined for an empty or malformed value. A time inside a
 * daylight-saving gap is read as a clock moved forward would show it.
 */
export function zonedWallTimeToDate(value: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const zone = validZone(timeZone);
  // The offset at the guess, and at the instant that offset gives, differ only near a change.
  const first = guess - zoneOffsetMinutes(new Date(guess), zone) * 60000;
  const second = guess - zoneOffsetMinutes(new Date(first), zone) * 60000;
  const candidates = [...new Set([first, second])];
  const reads = (t: number) => {
    const w = wallTime(new Date(t), zone);
    return w.hour === h && w.minute === mi && w.day === d;
  };
  const valid = candidates.filter(reads);
  // Two valid instants (clocks back): the earlier. None (a gap): the later.
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}

/** RFC 3339 in UTC with whole seconds, as the CLI's JSON writes instants. */
export function rfc3339(date: Date | undefined): string | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A service's season `MM-DD..MM-DD` in words ("20 Jun – 31 Oct"); "year-round" when empty;
 * the raw text when it is not of that form (shown rather than hidden).
 */
export function formatSeason(season: string | undefined): string {
  if (!season) return "year-round";
  const m = /^(\d{2})-(\d{2})\.\.(\d{2})-(\d{2})$/.exec(season.trim());
  if (!m) return season;
  const [fm, fd, tm, td] = m.slice(1).map(Number);
  if (fm < 1 || fm > 12 || tm < 1 || tm > 12) return season;
  return `${fd} ${MONTHS[fm - 1]} – ${td} ${MONTHS[tm - 1]}`;
}

const MODE_NAMES: Record<number, string> = {
  [TransportMode.SEA]: "sea",
  [TransportMode.AIR]: "air",
  [TransportMode.RAIL]: "rail",
  [TransportMode.ROAD]: "road",
};

/** The mode as the CLI and the GeoJSON write it: `sea`, `air`, `rail`, `road` (`?` unknown). */
export function modeName(mode: TransportMode | number): string {
  return MODE_NAMES[mode] ?? "?";
}

const LABEL_NAMES: Record<number, string> = {
  [RouteLabel.FASTEST]: "fastest",
  [RouteLabel.CHEAPEST]: "cheapest",
  [RouteLabel.LOWEST_CO2]: "lowest CO2",
  [RouteLabel.BALANCED]: "balanced",
};

export function labelName(label: RouteLabel | number): string {
  return LABEL_NAMES[label] ?? "?";
}

/** Distance: "1,009 km". */
export function formatKm(km: number): string {
  return `${formatNumber(km)} km`;
}
