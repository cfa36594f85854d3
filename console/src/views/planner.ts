/**
 * View 1, the route planner: a FindRoutes form (origin and destination pickers, the shipment,
 * the ready time at the origin's clock, every constraint the request offers) and the answer
 * three ways: the Pareto chart, the table of routes with their legs in local times, and the map
 * with each leg's path coloured by mode. One selection drives all three. An empty answer says
 * why (no_route_reason, earliest arrival), and `explain` lists what was excluded, in words.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { routing } from "../api.js";
import { drawChart, type Chart, type ChartPoint } from "../chart.js";
import { errorBox, fill, h } from "../dom.js";
import { describeError } from "../fielderror.js";
import { check, checked, createShipmentFields, field, fillScenarioChoice, num, text } from "../formfields.js";
import {
  formatCo2,
  formatDuration,
  formatKm,
  formatLocalTime,
  formatUsd,
  labelName,
  modeName,
  toDate,
  toDateTimeLocalValue,
  toSeconds,
  zonedWallTimeToDate,
} from "../format.js";
import { TransportMode } from "../gen/freight/v1/network_pb.js";
import {
  Co2Basis,
  FindRoutesRequestSchema,
  Objective,
  type CostBreakdown,
  type FindRoutesResponse,
  type Leg,
  type Route,
} from "../gen/freight/v1/routing_pb.js";
import { boundsOf, unwrapPath } from "../geo.js";
import { geoJsonFileName, routeToGeoJson } from "../geojson.js";
import { createMap, EXPLORATORY_DASH, fit, L, modeColour, point } from "../map.js";
import { createPicker, type Picker } from "../picker.js";
import { mainMode, routeModes } from "../route.js";
import type { LocationEntry } from "../search.js";
import { exclusionWords, MODE_CHOICES, PASSAGES } from "../words.js";
import type { AppContext, View } from "./context.js";


function list(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export function createPlannerView(ctx: AppContext): View {
  const root = h("section", { class: "view planner", id: "view-planner" });
  const origin: Picker = createPicker("From", "origin", ctx.index);
  const destination: Picker = createPicker("To", "destination", ctx.index);

  // --- the form -------------------------------------------------------------------------
  const readyZone = h("small", { class: "muted", "data-role": "ready-zone" });
  const readyInput = h("input", { type: "datetime-local", name: "ready_at", step: 60 });
  const deliverInput = h("input", { type: "datetime-local", name: "deliver_by", step: 60 });
  const scenarioSelect = h("select", { name: "scenario_id" }, h("option", { value: "" }, "base network"));

  const shipment = createShipmentFields();

  const form = h(
    "form",
    { class: "panel form", "aria-label": "Route query", novalidate: true },
    h("h2", null, "Find routes"),
    h("div", { class: "grid2" }, origin.element, destination.element),
    shipment.element,
    h(
      "div",
      { class: "grid3" },
      field("Ready at (origin's local time)", readyInput),
      field(
        "Optimise",
        h(
          "select",
          { name: "objective" },
          h("option", { value: String(Objective.COST) }, "cost"),
          h("option", { value: String(Objective.TIME) }, "arrival time"),
          h("option", { value: String(Objective.CO2) }, "CO2e"),
          h("option", { value: String(Objective.GENERALIZED_COST) }, "generalised cost"),
        ),
      ),
      field("Routes (1–20)", h("input", { type: "number", name: "max_routes", min: 1, max: 20, value: "8" })),
    ),
    readyZone,
    h(
      "details",
      { class: "constraints" },
      h("summary", null, "Constraints and options"),
      h("div", { class: "row", role: "group", "aria-label": "Allowed modes" }, h("span", { class: "muted" }, "Modes: "), ...MODE_CHOICES.map(([m, n]) => check("mode", n, true, String(m)))),
      h("div", { class: "row wrap", role: "group", "aria-label": "Passages to avoid" }, h("span", { class: "muted" }, "Avoid passages: "), ...PASSAGES.map(([k, n]) => check("avoid_passage", n, false, k))),
      h(
        "div",
        { class: "grid3" },
        field("Avoid locations", h("input", { type: "text", name: "avoid_locations", placeholder: "RUVVO, CNSHA-PORT" })),
        field("Avoid countries", h("input", { type: "text", name: "avoid_countries", placeholder: "RU BY" })),
        field("Max transfers", h("input", { type: "number", name: "max_transfers", min: 0, max: 10 })),
        field("Deliver by (destination's time)", deliverInput),
        field("Budget (USD)", h("input", { type: "number", name: "max_cost_usd", min: 0, step: "any" })),
        field("Route on scenario", scenarioSelect),
        field("Value of time (USD/TEU·h)", h("input", { type: "number", name: "value_of_time", min: 0, step: "any" }), "generalised cost"),
        field("Carbon price (USD/t)", h("input", { type: "number", name: "carbon_price", min: 0, step: "any" }), "generalised cost"),
        field(
          "CO2e basis",
          h("select", { name: "co2_basis" }, h("option", { value: String(Co2Basis.WELL_TO_WAKE) }, "well-to-wake"), h("option", { value: String(Co2Basis.TANK_TO_WAKE) }, "tank-to-wake")),
        ),
      ),
      h(
        "div",
        { class: "row wrap" },
        check("include_exploratory", "include exploratory lines (NSR, pilots)"),
        check("ignore_passage_advisories", "sail through passages carriers avoid"),
        check("explain", "explain exclusions", true),
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", "data-role": "find" }, "Find routes"), h("span", { class: "status muted", "data-role": "status", role: "status" })),
  );

  // --- results --------------------------------------------------------------------------
  const messages = h("div", { class: "messages", "data-role": "messages" });
  const chartBox = h("div", { class: "chart-box", "data-role": "chart" }, h("p", { class: "muted placeholder" }, "The routes found appear here: time against cost, circle area CO2e."));
  const mapEl = h("div", { class: "map", "data-role": "planner-map" });
  const legend = h("div", { class: "legend" }, ...MODE_CHOICES.map(([m, n]) => h("span", { class: "key" }, h("i", { class: "swatch", style: `background:${modeColour(m)}` }), n)), h("span", { class: "key" }, h("i", { class: "swatch dash" }), "exploratory"));
  const table = h("div", { class: "table-box", "data-role": "routes" });
  const detail = h("div", { class: "detail", "data-role": "route-detail" });
  root.append(
    h("div", { class: "planner-top" }, form, h("div", { class: "panel chart-panel" }, h("h2", null, "Pareto set"), chartBox, messages)),
    h("div", { class: "panel" }, h("h2", null, "Map"), mapEl, legend),
    h("div", { class: "panel" }, h("h2", null, "Routes"), table, detail),
  );

  const status = form.querySelector('[data-role="status"]') as HTMLElement;
  // The ready time is read at the origin's clock and deliver-by at the destination's: the
  // typed wall time stays, the zone it is read in follows the chosen place.
  const zoneOf = (entry: LocationEntry | undefined) => ctx.zoneOf(entry?.code);
  let readyZoneName = "UTC";
  let deliverZoneName = "UTC";
  const updateZones = () => {
    readyZoneName = zoneOf(origin.selected());
    deliverZoneName = zoneOf(destination.selected());
    readyZone.textContent = `Ready time read in ${readyZoneName}; deliver-by in ${deliverZoneName}.`;
  };
  origin.onChange(updateZones);
  destination.onChange(updateZones);

  // --- the map --------------------------------------------------------------------------
  let map: L.Map | undefined;
  let routeLayer: L.LayerGroup | undefined;
  let legLayers: { route: number; layer: L.Polyline; leg: Leg }[] = [];
  let stopLayer: L.LayerGroup | undefined;

  // --- state ----------------------------------------------------------------------------
  let answer: FindRoutesResponse | undefined;
  let selected = -1;
  let chart: Chart | undefined;
  let query = { origin: "", destination: "" };
  let abort: AbortController | undefined;

  function buildRequest() {
    const modes = [...form.querySelectorAll<HTMLInputElement>('input[name="mode"]')];
    const allowed = modes.filter((m) => m.checked).map((m) => Number(m.value) as TransportMode);
    const passages = [...form.querySelectorAll<HTMLInputElement>('input[name="avoid_passage"]:checked')].map((p) => p.value);
    const ready = zonedWallTimeToDate(readyInput.value, readyZoneName);
    const deliver = zonedWallTimeToDate(deliverInput.value, deliverZoneName);
    const maxTransfers = num(form, "max_transfers");
    const maxCost = num(form, "max_cost_usd");
    const vot = num(form, "value_of_time");
    const carbon = num(form, "carbon_price");
    return create(FindRoutesRequestSchema, {
      origin: origin.value(),
      destination: destination.value(),
      shipment: shipment.build(),
      objective: Number(text(form, "objective")) as Objective,
      maxRoutes: num(form, "max_routes"),
      readyAt: ready ? timestampFromDate(ready) : undefined,
      explain: checked(form, "explain"),
      scenarioId: text(form, "scenario_id"),
      co2Basis: Number(text(form, "co2_basis")) as Co2Basis,
      weights: { valueOfTimeUsdPerTeuHour: vot, carbonPriceUsdPerTonne: carbon },
      constraints: {
        // All four ticked is the same as none: send none, so drayage rules stay the server's.
        allowedModes: allowed.length === modes.length ? [] : allowed,
        avoidLocations: list(text(form, "avoid_locations")),
        avoidCountries: list(text(form, "avoid_countries")).map((c) => c.toUpperCase()),
        maxTransfers: maxTransfers === undefined ? undefined : Math.trunc(maxTransfers),
        includeExploratory: checked(form, "include_exploratory"),
        avoidPassages: passages,
        deliverBy: deliver ? timestampFromDate(deliver) : undefined,
        maxCostUsd: maxCost,
        ignorePassageAdvisories: checked(form, "ignore_passage_advisories"),
      },
    });
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    abort?.abort();
    abort = new AbortController();
    const request = buildRequest();
    query = { origin: request.origin, destination: request.destination };
    performance.clearMarks("freight:find-start");
    performance.mark("freight:find-start");
    const started = performance.now();
    status.textContent = "searching…";
    fill(messages);
    try {
      const response = await routing.findRoutes(request, { signal: abort.signal, timeoutMs: 60_000 });
      const took = performance.now() - started;
      show(response);
      performance.mark("freight:routes-drawn");
      status.textContent = `${response.routes.length} route${response.routes.length === 1 ? "" : "s"} in ${Math.round(took)} ms`;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = describeError(err);
      status.textContent = "";
      fill(messages, errorBox(e.code, e.message));
    }
  });

  function show(response: FindRoutesResponse) {
    answer = response;
    selected = -1;
    renderMessages(response);
    const points: ChartPoint[] = response.routes.map((r, i) => ({
      index: i,
      hours: (toSeconds(r.doorToDoor) ?? 0) / 3600,
      costUsd: r.cost?.totalUsd ?? 0,
      co2Kg: r.co2eWtwKg || r.co2Kg,
      colour: modeColour(mainMode(r)),
      labels: r.labels.map(labelName),
      title: `#${i + 1} ${routeModes(r)}`,
    }));
    if (points.length) chart = drawChart(chartBox, points, select);
    else {
      chart = undefined;
      fill(chartBox, h("p", { class: "muted placeholder" }, "No route to chart."));
    }
    renderTable(response);
    drawRoutes(response);
    if (response.routes.length) select(0);
    else fill(detail);
  }

  function renderMessages(r: FindRoutesResponse) {
    const parts: HTMLElement[] = [];
    if (r.routes.length === 0) {
      const why = h("div", { class: "no-route", role: "alert", "data-role": "no-route" }, h("strong", null, "No route. "), r.noRouteReason || "The server gave no reason.");
      const earliest = toDate(r.earliestArrival);
      if (earliest) {
        why.append(h("p", null, `The earliest arrival that does exist: ${formatLocalTime(earliest, deliverZoneName)} — move the deliver-by time past it.`));
      }
      parts.push(why);
    }
    if (r.exclusions.length) {
      const groups = new Map<string, typeof r.exclusions>();
      for (const e of r.exclusions) groups.set(e.constraint, [...(groups.get(e.constraint) ?? []), e]);
      parts.push(
        h(
          "details",
          { class: "exclusions", "data-role": "exclusions", open: r.routes.length === 0 },
          h("summary", null, `Excluded candidates (${r.exclusions.length})`),
          h(
            "ul",
            null,
            ...[...groups].map(([constraint, items]) =>
              h(
                "li",
                null,
                h("b", null, `${items.length} ${items.length === 1 ? "candidate" : "candidates"} excluded: ${exclusionWords(constraint)}`),
                h("ul", null, ...items.slice(0, 12).map((e) => h("li", null, e.serviceId ? h("code", null, e.serviceId) : null, e.serviceId ? ": " : "", e.detail))),
                items.length > 12 ? h("small", { class: "muted" }, `… and ${items.length - 12} more`) : null,
              ),
            ),
          ),
        ),
      );
    }
    fill(messages, ...parts);
  }

  function renderTable(r: FindRoutesResponse) {
    if (r.routes.length === 0) {
      fill(table);
      return;
    }
    const rows = r.routes.map((route, i) => {
      const first = route.legs[0];
      const last = route.legs[route.legs.length - 1];
      const tr = h(
        "tr",
        { "data-route-index": i, tabindex: 0, class: "route-row", onclick: () => select(i), onkeydown: (ev: KeyboardEvent) => ev.key === "Enter" && select(i) },
        h("td", null, `#${i + 1}`),
        h("td", null, ...route.labels.map((l) => h("span", { class: `badge label-${labelName(l).replace(/\s+/g, "-").toLowerCase()}` }, labelName(l)))),
        h("td", { class: "modes" }, ...route.legs.filter((l) => !l.drayage).map((l) => h("span", { class: `chip mode-${modeName(l.mode)}`, style: `border-color:${modeColour(l.mode)}` }, modeName(l.mode)))),
        h("td", null, first ? formatLocalTime(toDate(first.departureTime), first.departureTimeZone) : "–"),
        h("td", null, last ? formatLocalTime(toDate(route.arrivalTime), last.arrivalTimeZone) : "–"),
        h("td", { class: "num" }, formatDuration(toSeconds(route.doorToDoor))),
        h("td", { class: "num" }, formatUsd(route.cost?.totalUsd ?? 0)),
        h("td", { class: "num" }, formatCo2(route.co2eWtwKg || route.co2Kg)),
        h("td", { class: "num" }, String(route.transfers)),
        h(
          "td",
          null,
          route.exploratory ? h("span", { class: "badge warn", title: "uses an exploratory line" }, "exploratory") : null,
          route.complianceFlags.length ? h("span", { class: "badge warn", title: route.complianceFlags.map((f) => f.reason).join("\n") }, "compliance") : null,
        ),
        h(
          "td",
          null,
          h(
            "button",
            {
              type: "button",
              class: "small",
              "data-role": "geojson",
              onclick: (ev: Event) => {
                ev.stopPropagation();
                download(route, i);
              },
            },
            "Download GeoJSON",
          ),
        ),
      );
      return tr;
    });
    fill(
      table,
      h(
        "table",
        { class: "routes" },
        h("thead", null, h("tr", null, ...["", "best at", "modes", "departs (local)", "available (local)", "door to door", "cost", "CO2e (WTW)", "transfers", "", ""].map((t) => h("th", null, t)))),
        h("tbody", null, ...rows),
      ),
    );
  }

  function download(route: Route, i: number) {
    const blob = new Blob([JSON.stringify(routeToGeoJson(route), null, 2) + "\n"], { type: "application/geo+json" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: geoJsonFileName(i, query.origin, query.destination) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function costRows(c: CostBreakdown | undefined): [string, number][] {
    if (!c) return [];
    const rows: [string, number][] = [
      ["freight", c.freightUsd],
      ["handling", c.handlingUsd],
      ["border", c.borderUsd],
      ["bunker (BAF)", c.bunkerUsd],
      ["EU ETS", c.euEtsUsd],
      ["reefer", c.reeferUsd],
      ["dangerous goods", c.dangerousGoodsUsd],
      ["ice class / icebreaker", c.iceUsd],
      ["documentation", c.documentationUsd],
    ];
    return rows.filter(([, v]) => v !== 0);
  }

  function renderDetail(route: Route, i: number) {
    const legRows = route.legs.map((leg) => {
      const t = leg.time;
      const notes: (HTMLElement | string)[] = [];
      if (leg.exploratory) notes.push(h("div", { class: "warn" }, `Exploratory: ${leg.exploratoryReason || "pilot or hypothetical line"}`));
      if (leg.repathed) notes.push(h("div", null, "Re-pathed round an avoided passage."));
      if (leg.advisedAround.length) notes.push(h("div", null, `Goes round ${leg.advisedAround.join(", ")}: ${leg.advisory}`));
      if (leg.departures > 1) notes.push(h("div", null, `Spread over ${leg.departures} departures.`));
      // The flags' texts are long and repeat from leg to leg: a badge here, the text once below.
      for (const f of leg.complianceFlags) notes.push(h("span", { class: "badge warn", title: f.reason }, `screen ${f.countryCodes.join("/")}`));
      if (leg.passages.length) notes.push(h("div", { class: "muted" }, `Passages: ${leg.passages.join(", ")}`));
      return h(
        "tr",
        { class: "leg-row" },
        h("td", null, h("span", { class: `chip mode-${modeName(leg.mode)}`, style: `border-color:${modeColour(leg.mode, leg.drayage)}` }, leg.drayage ? "drayage" : modeName(leg.mode))),
        h("td", null, h("div", null, leg.serviceName || leg.serviceId), h("small", { class: "muted" }, leg.serviceId)),
        h("td", null, h("div", null, leg.from?.name ?? "?"), h("small", { class: "muted" }, leg.from?.id ?? "")),
        h("td", null, h("div", null, leg.to?.name ?? "?"), h("small", { class: "muted" }, leg.to?.id ?? "")),
        h("td", null, formatLocalTime(toDate(leg.departureTime), leg.departureTimeZone), h("br"), h("small", { class: "muted" }, leg.departureTimeZone)),
        h("td", null, formatLocalTime(toDate(leg.arrivalTime), leg.arrivalTimeZone), h("br"), h("small", { class: "muted" }, leg.arrivalTimeZone)),
        h(
          "td",
          { class: "num" },
          formatDuration(toSeconds(t?.total)),
          h("br"),
          h("small", { class: "muted" }, `moving ${formatDuration(toSeconds(t?.inMotion))}, waiting ${formatDuration(toSeconds(t?.waiting))}`),
        ),
        h("td", { class: "num" }, formatKm(leg.distanceKm), leg.distanceNm ? h("small", { class: "muted" }, ` (${Math.round(leg.distanceNm)} nm)`) : null),
        h("td", { class: "num" }, formatUsd(leg.cost?.totalUsd ?? 0), h("br"), h("small", { class: "muted" }, costRows(leg.cost).map(([k, v]) => `${k} ${formatUsd(v)}`).join(", "))),
        h("td", { class: "num" }, formatCo2(leg.co2eWtwKg || leg.co2Kg), h("br"), h("small", { class: "muted" }, `TTW ${formatCo2(leg.co2eTtwKg)}`)),
        h("td", { class: "notes" }, ...notes),
      );
    });
    const t = route.time;
    fill(
      detail,
      h("h3", null, `Route #${i + 1}: ${routeModes(route)}`),
      h(
        "table",
        { class: "legs" },
        h("thead", null, h("tr", null, ...["mode", "service", "from", "to", "departs", "arrives", "time", "distance", "cost", "CO2e", "notes"].map((x) => h("th", null, x)))),
        h("tbody", null, ...legRows),
      ),
      h(
        "div",
        { class: "breakdowns" },
        h(
          "dl",
          null,
          h("dt", null, "Cost"),
          h("dd", null, formatUsd(route.cost?.totalUsd ?? 0)),
          ...costRows(route.cost).flatMap(([k, v]) => [h("dt", { class: "sub" }, k), h("dd", null, formatUsd(v))]),
        ),
        h(
          "dl",
          null,
          h("dt", null, "Time"),
          h("dd", null, formatDuration(toSeconds(route.doorToDoor))),
          h("dt", { class: "sub" }, "moving"),
          h("dd", null, formatDuration(toSeconds(t?.inMotion))),
          h("dt", { class: "sub" }, "waiting"),
          h("dd", null, formatDuration(toSeconds(t?.waiting))),
          h("dt", { class: "sub" }, "handling"),
          h("dd", null, formatDuration(toSeconds(t?.handling))),
          h("dt", { class: "sub" }, "border"),
          h("dd", null, formatDuration(toSeconds(t?.border))),
        ),
        h(
          "dl",
          null,
          h("dt", null, "CO2e well-to-wake"),
          h("dd", null, formatCo2(route.co2eWtwKg || route.co2Kg)),
          h("dt", { class: "sub" }, "tank-to-wake"),
          h("dd", null, formatCo2(route.co2eTtwKg)),
          h("dt", { class: "sub" }, "terminal moves"),
          h("dd", null, formatCo2(route.hubCo2eKg)),
          h("dt", { class: "sub" }, "in ECAs / EU ETS"),
          h("dd", null, `${formatKm(route.ecaKm)} / ${formatKm(route.euEtsKm)}`),
        ),
        h("p", { class: "muted" }, `${formatKm(route.distanceKm)} · rates as of ${route.ratesAsOf || "?"}`),
      ),
      route.complianceFlags.length
        ? h(
            "div",
            { class: "flags", "data-role": "compliance" },
            h("b", null, "Compliance: screen the shipment for"),
            h("ul", null, ...route.complianceFlags.map((f) => h("li", null, h("b", null, f.countryCodes.join(", ")), ` (${f.id}): ${f.reason}`))),
          )
        : null,
    );
  }

  function drawRoutes(r: FindRoutesResponse) {
    if (!map) return;
    routeLayer?.remove();
    stopLayer?.remove();
    const group = L.layerGroup().addTo(map);
    routeLayer = group;
    stopLayer = L.layerGroup().addTo(map);
    legLayers = [];
    r.routes.forEach((route, ri) => {
      for (const leg of route.legs) {
        let path = unwrapPath(leg.path);
        if (path.length < 2 && leg.from?.position && leg.to?.position) path = [point(leg.from.position), point(leg.to.position)];
        const line = L.polyline(path, {
          color: modeColour(leg.mode, leg.drayage),
          weight: 3,
          opacity: 0.35,
          dashArray: leg.exploratory ? EXPLORATORY_DASH : undefined,
          className: `route-leg route-${ri} mode-${modeName(leg.mode)}`,
        });
        line.bindTooltip(`#${ri + 1} ${leg.drayage ? "drayage" : modeName(leg.mode)}: ${leg.serviceName || leg.serviceId}`, { sticky: true });
        line.on("click", () => select(ri));
        line.addTo(group);
        legLayers.push({ route: ri, layer: line, leg });
      }
    });
  }

  function highlightMap() {
    if (!map || !stopLayer) return;
    stopLayer.clearLayers();
    const paths: [number, number][][] = [];
    for (const { route, layer, leg } of legLayers) {
      const on = route === selected;
      layer.setStyle({ weight: on ? 5 : 2.5, opacity: on ? 0.95 : 0.3 });
      layer.getElement()?.classList.toggle("selected", on);
      if (on) {
        layer.bringToFront();
        paths.push(layer.getLatLngs().map((p) => [(p as L.LatLng).lat, (p as L.LatLng).lng]));
        for (const t of [leg.from, leg.to]) {
          if (!t?.position) continue;
          L.circleMarker(point(t.position), { radius: 5, color: "#1f2937", weight: 1.5, fillColor: "#fff", fillOpacity: 1, className: "stop" })
            .bindTooltip(`${t.name} (${t.id})`)
            .addTo(stopLayer);
        }
      }
    }
    fit(map, boundsOf(paths));
  }

  function select(i: number) {
    if (!answer || i < 0 || i >= answer.routes.length) return;
    selected = i;
    chart?.select(i);
    table.querySelectorAll("tr.route-row").forEach((tr) => {
      const on = Number((tr as HTMLElement).dataset.routeIndex) === i;
      tr.classList.toggle("selected", on);
      tr.setAttribute("aria-selected", String(on));
    });
    highlightMap();
    renderDetail(answer.routes[i], i);
  }

  /** Fills the scenario choice with the ready scenarios (called when the list changes). */
  const setScenarios = (items: { id: string; name: string }[]) => fillScenarioChoice(scenarioSelect, items);

  let started = false;
  return {
    id: "planner",
    title: "Route planner",
    element: root,
    show() {
      if (!started) {
        started = true;
        const m = createMap(mapEl);
        map = m.map;
        // Defaults: Dalian to Busan, ready in an hour at Dalian's clock.
        const dalian = ctx.index().find((e) => e.code === "CNDLC");
        if (dalian) origin.set(dalian);
        readyZoneName = zoneOf(origin.selected());
        readyInput.value = toDateTimeLocalValue(new Date(Date.now() + 3600_000), readyZoneName);
        updateZones();
        if (answer) drawRoutes(answer);
      }
      map?.invalidateSize();
    },
    setScenarios,
  };
}
