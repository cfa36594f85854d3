/**
 * View 4, reach: "where can cargo ready in Dalian on Monday be by Friday?". A FindReachable
 * form (origin, ready time and deadline at the origin's clock, a budget, the shipment, modes,
 * exploratory lines, a scenario) and its answer twice: a map of every terminal in reach,
 * coloured by the day after the ready time it is reached on (terminals out of reach small and
 * grey), and a table, earliest first, with each terminal's earliest arrival at its own clock and
 * the least door-to-door time, cost and CO2e there. The earliest arrival and the least cost may
 * come from different routes; the planner finds the routes themselves.
 */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { routing } from "../api.js";
import { errorBox, fill, h } from "../dom.js";
import { describeError } from "../fielderror.js";
import { check, checked, createShipmentFields, field, fillScenarioChoice, num, text, ticked } from "../formfields.js";
import { formatCo2, formatHours, formatLocalTime, formatUsd, toDate, toDateTimeLocalValue, zonedWallTimeToDate } from "../format.js";
import { TransportMode, type Terminal } from "../gen/freight/v1/network_pb.js";
import type { FindReachableResponse, ReachableTerminal } from "../gen/freight/v1/routing_pb.js";
import { createMap, fit, L, modeColour, point } from "../map.js";
import { createPicker } from "../picker.js";
import { arrivalBand, bandColour, bandLegend, nextFridayEvening } from "../reach.js";
import { MODE_CHOICES, TERMINAL_KIND_NAMES } from "../words.js";
import type { AppContext, View } from "./context.js";



export function createReachView(ctx: AppContext): View {
  const root = h("section", { class: "view reach", id: "view-reach" });
  const origin = createPicker("From", "reach_origin", ctx.index);
  const readyInput = h("input", { type: "datetime-local", name: "reach_ready", step: 60 });
  const byInput = h("input", { type: "datetime-local", name: "reach_by", step: 60 });
  const zoneNote = h("small", { class: "muted", "data-role": "reach-zone" });
  const scenarioSelect = h("select", { name: "reach_scenario_id" }, h("option", { value: "" }, "base network"));
  const shipment = createShipmentFields("reach_");
  const status = h("span", { class: "status muted", "data-role": "reach-status", role: "status" });
  const form = h(
    "form",
    { class: "panel form", "aria-label": "Reachability query", novalidate: true },
    h("h2", null, "Reach"),
    h("p", { class: "muted" }, "Every terminal cargo ready at the origin can reach by a deadline, or within a budget."),
    origin.element,
    h("div", { class: "grid2" }, field("Ready at (origin's local time)", readyInput), field("Reach by (origin's local time)", byInput)),
    zoneNote,
    h("div", { class: "grid2" }, field("Budget (USD)", h("input", { type: "number", name: "reach_budget", min: 0, step: "any" }), "optional with a deadline"), field("Route on scenario", scenarioSelect)),
    shipment.element,
    h("div", { class: "row", role: "group", "aria-label": "Allowed modes" }, h("span", { class: "muted" }, "Modes: "), ...MODE_CHOICES.map(([m, n]) => check("reach_mode", n, true, String(m)))),
    h("div", { class: "row" }, check("reach_include_exploratory", "include exploratory lines (NSR, pilots)")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", "data-role": "reach" }, "Show reach"), status),
  );
  const messages = h("div", { class: "messages", "data-role": "reach-messages" });
  const mapEl = h("div", { class: "map tall", "data-role": "reach-map" });
  const legend = h("div", { class: "legend", "data-role": "reach-legend" });
  const table = h("div", { class: "table-box", "data-role": "reach-table" });
  root.append(
    h("div", { class: "network-layout" }, h("div", null, form, messages), h("div", { class: "panel" }, mapEl, legend)),
    h(
      "div",
      { class: "panel" },
      h("h2", null, "Terminals in reach"),
      h("p", { class: "muted" }, "The earliest arrival and the least cost at a terminal may come from different routes, both within the deadline and the budget; the route planner finds the routes."),
      table,
    ),
  );

  let zone = "UTC";
  const updateZone = () => {
    zone = ctx.zoneOf(origin.selected()?.code);
    zoneNote.textContent = `Times read in ${zone}.`;
  };
  origin.onChange(updateZone);

  let map: L.Map | undefined;
  let layer: L.LayerGroup | undefined;
  let answer: { response: FindReachableResponse; readyMs: number; origin: string } | undefined;
  let abort: AbortController | undefined;

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    abort?.abort();
    abort = new AbortController();
    const ready = zonedWallTimeToDate(readyInput.value, zone) ?? new Date();
    const by = zonedWallTimeToDate(byInput.value, zone);
    const modes = ticked(form, "reach_mode").map(Number) as TransportMode[];
    const request = {
      origin: origin.value(),
      readyAt: timestampFromDate(ready),
      shipment: shipment.build(),
      scenarioId: text(form, "reach_scenario_id"),
      constraints: {
        deliverBy: by ? timestampFromDate(by) : undefined,
        maxCostUsd: num(form, "reach_budget"),
        // All four ticked is the same as none: send none, so drayage rules stay the server's.
        allowedModes: modes.length === MODE_CHOICES.length ? [] : modes,
        includeExploratory: checked(form, "reach_include_exploratory"),
      },
    };
    status.textContent = "searching…";
    fill(messages);
    const started = performance.now();
    try {
      const response = await routing.findReachable(request, { signal: abort.signal, timeoutMs: 60_000 });
      answer = { response, readyMs: ready.getTime(), origin: request.origin };
      draw();
      status.textContent = `${response.terminals.length} terminal${response.terminals.length === 1 ? "" : "s"} in reach, in ${Math.round(performance.now() - started)} ms`;
      performance.mark("freight:reach-drawn");
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = describeError(err);
      status.textContent = "";
      fill(messages, errorBox(e.code, e.message));
    }
  });

  function row(r: ReachableTerminal, readyMs: number): HTMLElement {
    const t = r.terminal!;
    const arrival = toDate(r.earliestArrivalTime);
    const band = arrivalBand(readyMs, arrival?.getTime() ?? readyMs);
    return h(
      "tr",
      { class: "reach-row", "data-terminal": t.id, "data-arrival-ms": String(arrival?.getTime() ?? ""), "data-band": String(band) },
      h("td", null, h("i", { class: "dot", style: `background:${bandColour(band)}` }), " ", h("b", null, t.name), h("div", { class: "muted" }, `${t.id} · ${TERMINAL_KIND_NAMES[t.kind] ?? "terminal"} · ${t.countryCode}`)),
      h("td", null, formatLocalTime(arrival, t.timeZone)),
      h("td", { class: "num" }, formatHours(r.leastDoorToDoorHours)),
      h("td", { class: "num" }, formatUsd(r.leastCostUsd)),
      h("td", { class: "num" }, formatCo2(r.leastCo2eKg)),
    );
  }

  function draw() {
    if (!answer) return;
    const { response, readyMs } = answer;
    const reached = new Map(response.terminals.map((r) => [r.terminal?.id ?? "", r]));
    const originIds = new Set(ctx.locationByCode(answer.origin)?.terminals.map((t) => t.id) ?? []);
    fill(
      table,
      response.terminals.length === 0
        ? h("p", { class: "muted" }, "Nothing is in reach: a later deadline, a larger budget or more modes may help.")
        : h(
            "table",
            { class: "reach" },
            h("thead", null, h("tr", null, h("th", null, "Terminal"), h("th", null, "Earliest arrival (local)"), h("th", null, "Door to door"), h("th", null, "Least cost"), h("th", null, "Least CO2e"))),
            h("tbody", null, ...response.terminals.map((r) => row(r, readyMs))),
          ),
    );
    const bands = response.terminals.map((r) => arrivalBand(readyMs, toDate(r.earliestArrivalTime)?.getTime() ?? readyMs));
    fill(
      legend,
      ...bandLegend(bands).map((e) => h("span", { class: "key" }, h("i", { class: "dot", style: `background:${e.colour}` }), e.label)),
      h("span", { class: "key" }, h("i", { class: "dot", style: `background:${modeColour(TransportMode.UNSPECIFIED)}` }), "out of reach"),
      h("span", { class: "key" }, h("i", { class: "dot origin" }), "origin"),
    );
    if (!map) return;
    layer?.remove();
    layer = L.layerGroup().addTo(map);
    const inReach: [number, number][] = [];
    const all: Terminal[] = ctx.locations().flatMap((l) => l.terminals);
    for (const t of all) {
      if (!t.position) continue;
      const r = reached.get(t.id);
      const isOrigin = originIds.has(t.id);
      const arrival = r ? toDate(r.earliestArrivalTime) : undefined;
      const band = arrival ? arrivalBand(readyMs, arrival.getTime()) : -1;
      const marker = L.circleMarker(point(t.position), {
        radius: isOrigin ? 8 : r ? 6 : 3,
        color: isOrigin ? "#111" : "#fff",
        weight: isOrigin ? 2.5 : 1,
        fillColor: r ? bandColour(band) : isOrigin ? "#fff" : modeColour(TransportMode.UNSPECIFIED),
        fillOpacity: r || isOrigin ? 0.95 : 0.5,
        className: isOrigin ? "reach-origin" : r ? `reachable band-${band}` : "unreachable",
      });
      marker.bindTooltip(
        r ? `${t.name} (${t.id}): by ${formatLocalTime(arrival, t.timeZone)}, from ${formatUsd(r.leastCostUsd)}` : isOrigin ? `${t.name} (${t.id}): origin` : `${t.name} (${t.id}): out of reach`,
      );
      marker.addTo(layer);
      if (r || isOrigin) inReach.push(point(t.position));
    }
    if (inReach.length > 0) {
      const lats = inReach.map((p) => p[0]);
      const lngs = inReach.map((p) => p[1]);
      fit(map, [
        [Math.min(...lats), Math.min(...lngs)],
        [Math.max(...lats), Math.max(...lngs)],
      ]);
    }
  }

  const setScenarios = (items: { id: string; name: string }[]) => fillScenarioChoice(scenarioSelect, items);

  let started = false;
  return {
    id: "reach",
    title: "Reach",
    element: root,
    show() {
      if (!started) {
        started = true;
        map = createMap(mapEl).map;
        // Defaults: Dalian, ready in an hour, by Friday evening, all at Dalian's clock.
        const dalian = ctx.index().find((e) => e.code === "CNDLC");
        if (dalian) origin.set(dalian);
        updateZone();
        const ready = new Date(Date.now() + 3600_000);
        readyInput.value = toDateTimeLocalValue(ready, zone);
        byInput.value = toDateTimeLocalValue(nextFridayEvening(ready, zone), zone);
        draw();
      }
      map?.invalidateSize();
    },
    setScenarios,
  };
}
