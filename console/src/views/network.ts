/**
 * View 2, the network: every terminal as a circle marker and every service along its path
 * (ListServices with include_path), filterable by mode, operator and exploratory status.
 * Exploratory lines are dashed and say why they are exploratory; seasonal lines (the Northern
 * Sea Route) say when they run — on the map's popups and in the side list.
 */
import { loadServices } from "../api.js";
import { errorBox, fill, h } from "../dom.js";
import { describeError } from "../fielderror.js";
import { formatKm, formatSeason, modeName } from "../format.js";
import { TerminalKind, type Service, type Terminal } from "../gen/freight/v1/network_pb.js";
import { unwrapPath } from "../geo.js";
import { operatorChoices, passes, type NetworkFilter } from "../netfilter.js";
import { createMap, EXPLORATORY_DASH, L, modeColour, point } from "../map.js";
import { MODE_CHOICES, TERMINAL_KIND_NAMES } from "../words.js";
import type { AppContext, View } from "./context.js";

const KIND_COLOURS: Record<number, string> = {
  [TerminalKind.SEAPORT]: "#1c6cb0",
  [TerminalKind.AIRPORT]: "#d9480f",
  [TerminalKind.RAIL_TERMINAL]: "#7b3fa0",
  [TerminalKind.ROAD_TERMINAL]: "#2b8a3e",
};


function serviceSummary(s: Service): HTMLElement {
  return h(
    "div",
    { class: "popup" },
    h("b", null, s.name || s.id),
    h("div", { class: "muted" }, s.id),
    h("div", null, `${modeName(s.mode)} · ${s.operator || "operator unknown"} · ${s.departuresPerWeek}×/week · ${formatKm(s.distanceKm)} · ${Math.round(s.speedKmh)} km/h`),
    h("div", { class: "season" }, `Runs: ${formatSeason(s.season)}`),
    s.exploratory ? h("div", { class: "warn" }, `Exploratory: ${s.exploratoryReason || "pilot or hypothetical line"}`) : null,
    s.passages.length ? h("div", null, `Passages: ${s.passages.join(", ")}`) : null,
    s.crossesBorder ? h("div", null, "Crosses a land border") : null,
  );
}

export function createNetworkView(ctx: AppContext): View {
  const root = h("section", { class: "view network", id: "view-network" });
  const mapEl = h("div", { class: "map tall", "data-role": "network-map" });
  const count = h("span", { "data-role": "service-count" }, "0");
  const total = h("span", null, "0");
  const operatorSelect = h("select", { name: "operator", "data-role": "operator" }, h("option", { value: "" }, "all operators"));
  const exploratorySelect = h(
    "select",
    { name: "exploratory", "data-role": "exploratory-filter" },
    h("option", { value: "all" }, "all lines"),
    h("option", { value: "hide" }, "scheduled lines only"),
    h("option", { value: "only" }, "exploratory lines only"),
  );
  const modeBoxes = MODE_CHOICES.map(([m, n]) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "net_mode", value: String(m), checked: true }), " ", h("i", { class: "swatch", style: `background:${modeColour(m)}` }), ` ${n}`),
  );
  const status = h("div", { class: "status muted", role: "status" }, "loading the network…");
  const special = h("div", { class: "table-box", "data-role": "special-lines" });
  const filters = h(
    "form",
    { class: "panel filters", "aria-label": "Network filters" },
    h("h2", null, "Network"),
    h("div", { class: "row wrap", role: "group", "aria-label": "Modes" }, ...modeBoxes),
    h("div", { class: "field" }, h("label", null, "Operator"), operatorSelect),
    h("div", { class: "field" }, h("label", null, "Lines"), exploratorySelect),
    h("p", null, count, " of ", total, " services drawn"),
    h(
      "div",
      { class: "legend" },
      h("span", { class: "key" }, h("i", { class: "swatch line" }), "scheduled"),
      h("span", { class: "key" }, h("i", { class: "swatch dash" }), "exploratory (dashed; reason on click)"),
      ...Object.entries(TERMINAL_KIND_NAMES).map(([k, n]) => h("span", { class: "key" }, h("i", { class: "dot", style: `background:${KIND_COLOURS[Number(k)]}` }), n)),
    ),
    status,
    h("h3", null, "Exploratory and seasonal lines"),
    special,
  );
  root.append(h("div", { class: "network-layout" }, filters, h("div", { class: "panel" }, mapEl)));

  let map: L.Map | undefined;
  let services: Service[] = [];
  const lines = new Map<string, L.Polyline>();
  let serviceLayer: L.LayerGroup | undefined;

  function filter(): NetworkFilter {
    return {
      modes: new Set(modeBoxes.map((b) => b.querySelector("input")!).filter((i) => i.checked).map((i) => Number(i.value))),
      operator: operatorSelect.value,
      exploratory: exploratorySelect.value as NetworkFilter["exploratory"],
    };
  }

  function apply() {
    if (!serviceLayer) return;
    const f = filter();
    let n = 0;
    for (const s of services) {
      const line = lines.get(s.id);
      if (!line) continue;
      if (passes(s, f)) {
        n++;
        if (!serviceLayer.hasLayer(line)) serviceLayer.addLayer(line);
      } else if (serviceLayer.hasLayer(line)) serviceLayer.removeLayer(line);
    }
    count.textContent = String(n);
    performance.mark("freight:network-filtered");
  }
  filters.addEventListener("change", apply);

  function terminals(): Map<string, Terminal> {
    const out = new Map<string, Terminal>();
    for (const l of ctx.locations()) for (const t of l.terminals) out.set(t.id, t);
    return out;
  }

  function drawTerminals(byId: Map<string, Terminal>) {
    if (!map) return;
    const layer = L.layerGroup().addTo(map);
    for (const t of byId.values()) {
      if (!t.position) continue;
      L.circleMarker(point(t.position), {
        radius: 4.5,
        color: "#fff",
        weight: 1,
        fillColor: KIND_COLOURS[t.kind] ?? "#444",
        fillOpacity: 0.95,
        className: `terminal kind-${(TERMINAL_KIND_NAMES[t.kind] ?? "other").replace(" ", "-")}`,
      })
        .bindTooltip(`${t.name} (${t.id}) · ${TERMINAL_KIND_NAMES[t.kind] ?? "terminal"}${t.iataCode ? ` · IATA ${t.iataCode}` : ""}`)
        .addTo(layer);
    }
  }

  function drawServices(byId: Map<string, Terminal>) {
    if (!map) return;
    serviceLayer = L.layerGroup().addTo(map);
    for (const s of services) {
      let path = unwrapPath(s.path ?? []);
      if (path.length < 2) {
        // A server without Service.path: the straight line between the terminals.
        const a = byId.get(s.fromTerminalId)?.position;
        const b = byId.get(s.toTerminalId)?.position;
        if (!a || !b) continue;
        path = unwrapPath([a, b]);
      }
      // Several exploratory lines share a lane (the Northern Sea Route to Rotterdam, Hamburg and
      // Murmansk, each both ways). Drawn from their eastern end, their dashes start together
      // and stay in step along the shared part, instead of interleaving into a solid line.
      if (s.exploratory && path[0][1] < path[path.length - 1][1]) path = [...path].reverse();
      const line = L.polyline(path, {
        color: modeColour(s.mode),
        weight: s.exploratory ? 2.5 : 2,
        opacity: 0.7,
        dashArray: s.exploratory ? EXPLORATORY_DASH : undefined,
        className: `service mode-${modeName(s.mode)}${s.exploratory ? " exploratory" : ""}${s.season ? " seasonal" : ""}`,
      });
      line.bindTooltip(`${s.name || s.id}${s.season ? ` · ${formatSeason(s.season)}` : ""}${s.exploratory ? " · exploratory" : ""}`, { sticky: true });
      line.bindPopup(() => serviceSummary(s));
      lines.set(s.id, line);
    }
  }

  function renderSpecial() {
    // Seasonal lines first (the Northern Sea Route), then the other exploratory ones.
    const rows = services.filter((sv) => sv.exploratory || sv.season).sort((a, b) => Number(!a.season) - Number(!b.season) || a.name.localeCompare(b.name));
    fill(
      special,
      h(
        "ul",
        { class: "special" },
        ...rows.map((sv) =>
          h(
            "li",
            {
              "data-service-id": sv.id,
              class: sv.exploratory ? "exploratory" : "",
              tabindex: 0,
              onclick: () => {
                const line = lines.get(sv.id);
                if (line && map && serviceLayer?.hasLayer(line)) {
                  map.fitBounds(line.getBounds(), { padding: [20, 20], maxZoom: 6 });
                  line.openPopup(line.getCenter());
                }
              },
            },
            h("div", null, h("span", { class: `chip mode-${modeName(sv.mode)}`, style: `border-color:${modeColour(sv.mode)}` }, modeName(sv.mode)), " ", h("b", null, sv.name || sv.id), " ", h("code", { class: "muted" }, sv.id)),
            h("div", null, "runs ", h("span", { class: "season" }, formatSeason(sv.season))),
            h("div", { class: "reason muted" }, sv.exploratory ? sv.exploratoryReason || "pilot or hypothetical line" : "scheduled (not exploratory)"),
          ),
        ),
      ),
    );
  }

  async function load() {
    const started = performance.now();
    try {
      services = await loadServices(true);
      const byId = terminals();
      // Services first, terminals over them, so the markers stay hoverable.
      drawServices(byId);
      drawTerminals(byId);
      const operators = operatorChoices(services);
      fill(operatorSelect, h("option", { value: "" }, "all operators"), ...operators.map((o) => h("option", { value: o }, o)));
      total.textContent = String(services.length);
      renderSpecial();
      apply();
      if (map && serviceLayer) {
        const all = L.featureGroup([...lines.values()]);
        if (all.getLayers().length) map.fitBounds(all.getBounds(), { padding: [12, 12], animate: false });
      }
      status.textContent = `${byId.size} terminals, ${services.length} services (${Math.round(performance.now() - started)} ms)`;
      performance.mark("freight:network-drawn");
    } catch (err) {
      const e = describeError(err);
      fill(status, errorBox(e.code, e.message));
    }
  }

  let started = false;
  return {
    id: "network",
    title: "Network",
    element: root,
    show() {
      if (!started) {
        started = true;
        map = createMap(mapEl).map;
        void load();
      }
      map?.invalidateSize();
    },
  };
}
