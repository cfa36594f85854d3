/**
 * View 3, the port office's scenarios: the list with each scenario's state (ready, or broken
 * with the problem the server found), the form to create or edit one (writes carry the planner
 * token typed on this page), and the comparison over the demand matrix, streamed: a row per
 * origin-destination pair as it finishes, then the summary, each new line's weekly load
 * against its capacity, and the flows that switch to the new lines on the map.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { loadScenarios, routing, scenarios as client, writeOptions } from "../api.js";
import { errorBox, fill, h, s } from "../dom.js";
import { describeError } from "../fielderror.js";
import {
  formatCo2,
  formatHours,
  formatNumber,
  formatPercent,
  formatSignedCo2,
  formatSignedHours,
  formatSignedUsd,
  formatUsd,
  toDate,
} from "../format.js";
import { Objective } from "../gen/freight/v1/routing_pb.js";
import {
  CompareScenarioRequestSchema,
  ScenarioState,
  type ComparisonSummary,
  type PairComparison,
  type PairOutcome,
  type Scenario,
} from "../gen/freight/v1/scenario_pb.js";
import { arc, boundsOf, unwrapPath } from "../geo.js";
import { createMap, fit, L, point } from "../map.js";
import { sqrtScale } from "../scale.js";
import { loadBar, switchedTo } from "../compare.js";
import { createScenarioForm } from "../scenarioform.js";
import { token } from "../token.js";
import type { AppContext, View } from "./context.js";

function outcome(o: PairOutcome | undefined): string {
  if (!o || o.samples === 0) return "no route";
  return `${formatUsd(o.costUsdPerTeu)} · ${formatHours(o.doorToDoorHours)} · ${formatCo2(o.co2KgPerTeu)}`;
}

function dateInput(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function createScenariosView(ctx: AppContext): View {
  const root = h("section", { class: "view scenarios", id: "view-scenarios" });

  // --- token ----------------------------------------------------------------------------
  const tokenInput = h("input", { type: "password", name: "planner_token", autocomplete: "off", spellcheck: "false", placeholder: "planner token", "data-role": "token" });
  const remember = h("input", { type: "checkbox", name: "remember_token", checked: token.remembered() });
  const tokenState = h("span", { class: "muted", "data-role": "token-state" });
  const showTokenState = () => (tokenState.textContent = token.get() ? "token set for writes" : "no token: writes will be refused");
  const setToken = () => {
    token.set(tokenInput.value, remember.checked);
    showTokenState();
  };
  tokenInput.addEventListener("input", setToken);
  remember.addEventListener("change", setToken);
  if (token.get()) tokenInput.value = token.get();
  showTokenState();

  // --- list -----------------------------------------------------------------------------
  const listBox = h("div", { class: "table-box", "data-role": "scenario-list" });
  const listStatus = h("div", { class: "status muted", role: "status" });
  let items: Scenario[] = [];

  // --- form -----------------------------------------------------------------------------
  const formTitle = h("h2", null, "New scenario");
  const formResult = h("div", { class: "messages", "data-role": "form-result" });
  const submit = h("button", { type: "submit", class: "primary", "data-role": "save" }, "Create scenario");
  const cancelEdit = h("button", { type: "button", class: "small", hidden: true, onclick: () => startNew() }, "cancel edit");
  let editing: Scenario | undefined;
  const terminalIds = () => ctx.locations().flatMap((l) => l.terminals.map((t) => t.id));
  const form = createScenarioForm(terminalIds, () => void save(), h("span", null, submit, " ", cancelEdit));

  // --- the same, as a scenario file ------------------------------------------------------
  // The server reads the TOML (`definition_toml`), so the page needs no reader of its own and
  // a syntax error comes back naming its line.
  const fileText = h("textarea", { name: "definition_toml", rows: 10, spellcheck: "false", "data-role": "scenario-file" });
  const fileInput = h("input", { type: "file", accept: ".toml,text/plain", "data-role": "scenario-file-input" });
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (file) fileText.value = await file.text();
  });
  const fileSubmit = h("button", { type: "button", class: "primary", "data-role": "save-file", onclick: () => void saveFile() }, "Create from file");
  const fileResult = h("div", { class: "messages", "data-role": "file-result" });
  const filePanel = h(
    "details",
    { class: "scenario-file", "data-role": "scenario-file-panel" },
    h("summary", null, "…or as a scenario file (TOML)"),
    h("p", { class: "muted" }, "The file `freight scenario create` reads; a listed scenario's TOML button downloads its own."),
    h("div", { class: "row" }, fileInput),
    fileText,
    h("div", { class: "row" }, fileSubmit),
    fileResult,
  );

  // --- comparison -----------------------------------------------------------------------
  const compareSelect = h("select", { name: "compare_scenario", "data-role": "compare-scenario" });
  const readyFrom = h("input", { type: "date", name: "ready_from", value: dateInput(new Date()) });
  const windowDays = h("input", { type: "number", name: "window_days", min: 1, max: 31, value: "7" });
  const objective = h(
    "select",
    { name: "compare_objective" },
    h("option", { value: String(Objective.GENERALIZED_COST) }, "generalised cost"),
    h("option", { value: String(Objective.COST) }, "cost"),
    h("option", { value: String(Objective.TIME) }, "time"),
    h("option", { value: String(Objective.CO2) }, "CO2e"),
  );
  const exploratory = h("input", { type: "checkbox", name: "compare_exploratory" });
  const runButton = h("button", { type: "submit", class: "primary", "data-role": "run-compare" }, "Run comparison");
  const stopButton = h("button", { type: "button", class: "small", hidden: true }, "stop");
  const compareStatus = h("span", { class: "status muted", role: "status", "data-role": "compare-status" });
  const pairsBox = h("div", { class: "table-box", "data-role": "pairs" });
  const summaryBox = h("div", { class: "summary", "data-role": "summary" });
  const loadsBox = h("div", { class: "loads", "data-role": "line-loads" });
  const mapEl = h("div", { class: "map", "data-role": "scenario-map" });
  const compareForm = h(
    "form",
    { class: "row wrap compare-form", "aria-label": "Comparison" },
    h("label", null, "Scenario ", compareSelect),
    h("label", null, "Ready from (UTC) ", readyFrom),
    h("label", null, "for ", windowDays, " days"),
    h("label", null, "best by ", objective),
    h("label", { class: "check" }, exploratory, " include exploratory"),
    runButton,
    stopButton,
    compareStatus,
  );

  root.append(
    h(
      "div",
      { class: "scenarios-top" },
      h(
        "div",
        { class: "panel" },
        h("h2", null, "Scenarios"),
        // A form of its own (never submitted): browsers expect password fields inside one.
        h(
          "form",
          { class: "row wrap token-row", onsubmit: (ev: Event) => ev.preventDefault(), "aria-label": "Planner token" },
          h("label", null, "Planner token ", tokenInput),
          h("label", { class: "check" }, remember, " remember for this tab"),
          tokenState,
        ),
        h("div", { class: "row" }, h("button", { type: "button", class: "small", onclick: () => void refresh() }, "Refresh"), listStatus),
        listBox,
      ),
      h("div", { class: "panel" }, formTitle, formResult, form.element, filePanel),
    ),
    h(
      "div",
      { class: "panel" },
      h("h2", null, "Compare with the base network"),
      h("p", { class: "muted" }, "Over the bundled demand matrix (illustrative volumes): one 20' box ready each day of the window, best route on each side."),
      compareForm,
      h("div", { class: "compare-layout" }, h("div", null, summaryBox, loadsBox), mapEl),
      pairsBox,
    ),
  );

  function stateCell(sc: Scenario): HTMLElement {
    if (sc.state === ScenarioState.BROKEN) {
      return h("td", null, h("span", { class: "badge bad", "data-state": "broken" }, "broken"), h("div", { class: "problem" }, sc.problem));
    }
    if (sc.state === ScenarioState.READY) return h("td", null, h("span", { class: "badge ok", "data-state": "ready" }, "ready"));
    return h("td", null, h("span", { class: "badge" }, "unknown"));
  }

  function renderList() {
    if (items.length === 0) {
      fill(listBox, h("p", { class: "muted" }, "No scenarios yet."));
      return;
    }
    fill(
      listBox,
      h(
        "table",
        { class: "scenario-list" },
        h("thead", null, h("tr", null, ...["id", "name", "state", "version", "updated", "adds", ""].map((t) => h("th", null, t)))),
        h(
          "tbody",
          null,
          ...items.map((sc) =>
            h(
              "tr",
              { "data-scenario-id": sc.id },
              h("td", null, h("code", null, sc.id)),
              h("td", null, sc.definition?.name ?? "", h("div", { class: "muted" }, sc.definition?.description ?? "")),
              stateCell(sc),
              h("td", { class: "num" }, String(sc.version)),
              h("td", null, toDate(sc.updateTime)?.toISOString().slice(0, 16).replace("T", " ") ?? ""),
              h("td", { class: "ids" }, ...sc.addedServiceIds.map((id) => h("div", null, h("code", null, id)))),
              h(
                "td",
                { class: "actions" },
                h("button", { type: "button", class: "small", onclick: () => startEdit(sc) }, "edit"),
                h(
                  "button",
                  {
                    type: "button",
                    class: "small",
                    onclick: () => {
                      compareSelect.value = sc.id;
                      compareForm.requestSubmit();
                    },
                  },
                  "compare",
                ),
                h("button", { type: "button", class: "small", onclick: () => downloadToml(sc) }, "TOML"),
                h("button", { type: "button", class: "small danger", onclick: () => void remove(sc) }, "delete"),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function downloadToml(sc: Scenario) {
    const blob = new Blob([sc.definitionToml], { type: "application/toml" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `${sc.id}.toml` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function refresh(selectId?: string) {
    listStatus.textContent = "loading…";
    try {
      items = await loadScenarios();
      listStatus.textContent = `${items.length} scenario${items.length === 1 ? "" : "s"}`;
      renderList();
      const keep = selectId ?? compareSelect.value;
      fill(compareSelect, ...items.map((sc) => h("option", { value: sc.id, disabled: sc.state !== ScenarioState.READY }, `${sc.definition?.name ?? sc.id} (${sc.id})`)));
      const ready = items.filter((sc) => sc.state === ScenarioState.READY);
      if (items.some((sc) => sc.id === keep)) compareSelect.value = keep;
      else if (ready.length) compareSelect.value = ready[ready.length - 1].id;
      ctx.scenariosChanged(ready.map((sc) => ({ id: sc.id, name: sc.definition?.name ?? sc.id })));
    } catch (err) {
      const e = describeError(err);
      fill(listStatus, errorBox(e.code, e.message));
    }
  }

  function startNew() {
    editing = undefined;
    formTitle.textContent = "New scenario";
    submit.textContent = "Create scenario";
    cancelEdit.hidden = true;
    form.load(undefined);
    fill(formResult);
    fileSubmit.textContent = "Create from file";
    fileText.value = "";
    fill(fileResult);
  }

  function startEdit(sc: Scenario) {
    editing = sc;
    formTitle.textContent = `Edit ${sc.id} (version ${sc.version})`;
    submit.textContent = "Save changes";
    cancelEdit.hidden = false;
    form.load(sc.definition);
    fill(formResult);
    fileSubmit.textContent = `Save ${sc.id} from file`;
    fileText.value = sc.definitionToml;
    fill(fileResult);
    form.element.scrollIntoView({ block: "start" });
  }

  async function save() {
    form.clearErrors();
    fill(formResult);
    const definition = form.read();
    submit.disabled = true;
    try {
      const saved = editing
        ? (await client.updateScenario({ scenarioId: editing.id, definition, expectedVersion: editing.version }, writeOptions())).scenario
        : (await client.createScenario({ definition }, writeOptions())).scenario;
      fill(formResult, h("div", { class: "ok", role: "status", "data-role": "saved" }, `${editing ? "Saved" : "Created"} ${saved?.id ?? ""} (version ${saved?.version ?? "?"}).`));
      await refresh(saved?.id);
      if (saved) startEdit(saved);
      fill(formResult, h("div", { class: "ok", role: "status", "data-role": "saved" }, `Saved ${saved?.id ?? ""} (version ${saved?.version ?? "?"}).`));
    } catch (err) {
      const e = describeError(err);
      const placed = e.code === "INVALID_ARGUMENT" || e.code === "ALREADY_EXISTS" ? form.showFieldError(e.message) : false;
      fill(formResult, errorBox(e.code, e.message), placed ? h("small", { class: "muted" }, " (marked on the form below)") : null);
    } finally {
      submit.disabled = false;
    }
  }

  async function saveFile() {
    fill(fileResult);
    const definitionToml = fileText.value;
    fileSubmit.disabled = true;
    try {
      const saved = editing
        ? (await client.updateScenario({ scenarioId: editing.id, definitionToml, expectedVersion: editing.version }, writeOptions())).scenario
        : (await client.createScenario({ definitionToml }, writeOptions())).scenario;
      await refresh(saved?.id);
      if (saved) startEdit(saved);
      fill(fileResult, h("div", { class: "ok", role: "status", "data-role": "file-saved" }, `Saved ${saved?.id ?? ""} (version ${saved?.version ?? "?"}) from the file.`));
    } catch (err) {
      const e = describeError(err);
      fill(fileResult, errorBox(e.code, e.message));
    } finally {
      fileSubmit.disabled = false;
    }
  }

  async function remove(sc: Scenario) {
    if (!window.confirm(`Delete scenario ${sc.id} (${sc.definition?.name ?? ""})?`)) return;
    try {
      await client.deleteScenario({ scenarioId: sc.id }, writeOptions());
      if (editing?.id === sc.id) startNew();
      await refresh();
    } catch (err) {
      const e = describeError(err);
      fill(listStatus, errorBox(e.code, e.message));
    }
  }

  // --- comparison -----------------------------------------------------------------------
  let map: L.Map | undefined;
  let flowLayer: L.LayerGroup | undefined;
  let running: AbortController | undefined;
  stopButton.addEventListener("click", () => running?.abort());

  compareForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void compare();
  });

  async function compare() {
    const scenario = items.find((sc) => sc.id === compareSelect.value);
    if (!scenario) {
      compareStatus.textContent = "choose a ready scenario";
      return;
    }
    running?.abort();
    const ac = (running = new AbortController());
    const from = readyFrom.value ? new Date(`${readyFrom.value}T00:00:00Z`) : new Date();
    const days = Math.min(31, Math.max(1, Number(windowDays.value) || 7));
    const request = create(CompareScenarioRequestSchema, {
      scenarioId: scenario.id,
      readyFrom: timestampFromDate(from),
      readyUntil: timestampFromDate(new Date(from.getTime() + days * 86400_000)),
      objective: Number(objective.value) as Objective,
      includeExploratory: exploratory.checked,
    });
    const tbody = h("tbody");
    fill(
      pairsBox,
      h(
        "table",
        { class: "pairs" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ...["origin", "destination", "TEU/yr", "base (per TEU)", "scenario (per TEU)", "Δ cost", "Δ time", "Δ CO2e", "switched", "attracted TEU/yr"].map((t) => h("th", null, t)),
          ),
        ),
        tbody,
      ),
    );
    fill(summaryBox);
    fill(loadsBox);
    flowLayer?.clearLayers();
    runButton.disabled = true;
    stopButton.hidden = false;
    compareStatus.textContent = "comparing…";
    performance.mark("freight:compare-start");
    const started = performance.now();
    const pairs: PairComparison[] = [];
    try {
      for await (const msg of client.compareScenario(request, { signal: ac.signal, timeoutMs: 300_000 })) {
        if (msg.result.case === "pair") {
          pairs.push(msg.result.value);
          tbody.append(pairRow(msg.result.value, scenario.addedServiceIds));
          compareStatus.textContent = `${pairs.length} pairs…`;
        } else if (msg.result.case === "summary") {
          renderSummary(msg.result.value);
          await drawFlows(pairs, scenario);
        }
      }
      compareStatus.textContent = `${pairs.length} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      performance.mark("freight:compare-done");
    } catch (err) {
      const e = describeError(err);
      compareStatus.textContent = "";
      fill(summaryBox, errorBox(e.code, e.message));
    } finally {
      runButton.disabled = false;
      stopButton.hidden = true;
    }
  }

  function pairRow(p: PairComparison, added: string[]): HTMLElement {
    const lines = switchedTo(p, added);
    const switched = p.switchedShare > 0;
    const delta = (v: number, text: string) => h("td", { class: `num ${v < 0 ? "better" : v > 0 ? "worse" : ""}` }, text);
    const bothSides = (p.base?.samples ?? 0) > 0 && (p.scenario?.samples ?? 0) > 0;
    return h(
      "tr",
      {
        class: switched ? "switched" : "",
        "data-origin": p.pair?.origin ?? "",
        "data-destination": p.pair?.destination ?? "",
        "data-switched": String(switched),
      },
      h("td", null, p.pair?.origin ?? ""),
      h("td", null, p.pair?.destination ?? "", p.pair?.reefer ? h("span", { class: "badge" }, "reefer") : null),
      h("td", { class: "num" }, formatNumber(p.pair?.annualTeu ?? 0)),
      h("td", null, outcome(p.base)),
      h("td", null, outcome(p.scenario)),
      bothSides ? delta(p.deltaCostUsdPerTeu, formatSignedUsd(p.deltaCostUsdPerTeu)) : h("td", { class: "muted" }, "–"),
      bothSides ? delta(p.deltaDoorToDoorHours, formatSignedHours(p.deltaDoorToDoorHours)) : h("td", { class: "muted" }, "–"),
      bothSides ? delta(p.deltaCo2KgPerTeu, formatSignedCo2(p.deltaCo2KgPerTeu)) : h("td", { class: "muted" }, "–"),
      h(
        "td",
        null,
        switched
          ? h("span", { class: "badge switched", "data-role": "switched", title: `best route uses ${lines.join(", ") || "an added service"} on ${formatPercent(p.switchedShare)} of ready days` }, `switched to new line ${formatPercent(p.switchedShare)}`)
          : h("span", { class: "muted" }, "stays"),
        lines.length ? h("div", { class: "muted" }, lines.join(", ")) : null,
      ),
      h("td", { class: "num" }, formatNumber(p.attractedTeuPerYear)),
    );
  }

  function renderSummary(sum: ComparisonSummary) {
    fill(
      summaryBox,
      h(
        "dl",
        { class: "summary-list" },
        h("dt", null, "pairs"),
        h("dd", { "data-role": "summary-pairs" }, String(sum.pairs)),
        h("dt", null, "pairs switching to a new line"),
        h("dd", { "data-role": "summary-switched" }, String(sum.pairsSwitched)),
        h("dt", null, "attracted"),
        h("dd", null, `${formatNumber(sum.attractedTeuPerYear)} TEU/yr`),
        // Positive is a saving; a negative saving reads better as what it is.
        h("dt", null, sum.costSavedUsdPerYear >= 0 ? "cost saved" : "extra cost"),
        h("dd", null, `${formatUsd(Math.abs(sum.costSavedUsdPerYear))}/yr`),
        h("dt", null, sum.teuHoursSavedPerYear >= 0 ? "time saved" : "extra time"),
        h("dd", null, `${formatNumber(Math.abs(sum.teuHoursSavedPerYear))} TEU·h/yr`),
      ),
      sum.switchedPairs.length ? h("p", { class: "muted" }, `Switched: ${sum.switchedPairs.map((p) => `${p.origin}→${p.destination}`).join(", ")}`) : null,
    );
    const width = 260;
    fill(
      loadsBox,
      h("h3", null, "New lines: weekly load against capacity"),
      ...sum.lineLoads.map((l) => {
        const bar = loadBar(l, width);
        return h(
          "div",
          { class: "load-row", "data-service-id": l.serviceId },
          h("div", null, h("code", null, l.serviceId)),
          s(
            "svg",
            { class: "load-bar", viewBox: `0 0 ${width} 14`, width, height: 14, role: "img", "aria-label": `${l.serviceId}: ${formatPercent(l.utilisation)} of capacity` },
            s("rect", { class: "track", x: 0, y: 2, width: bar.capacity, height: 10 }),
            s("rect", { class: bar.over ? "used over" : "used", x: 0, y: 2, width: Math.max(1, bar.used), height: 10 }),
            s("line", { class: "cap", x1: bar.capacity, x2: bar.capacity, y1: 0, y2: 14 }),
          ),
          h(
            "div",
            { class: "muted" },
            l.weeklyCapacityTeu > 0
              ? `${formatNumber(l.weeklyTeu, 1)} of ${formatNumber(l.weeklyCapacityTeu)} TEU/week (${formatPercent(l.utilisation)})`
              : `${formatNumber(l.weeklyTeu, 1)} TEU/week (takes no containers)`,
          ),
        );
      }),
    );
  }

  /** Where a pair's end is on the map: the location's first terminal with a position. */
  function place(code: string): [number, number] | undefined {
    const loc = ctx.locationByCode(code);
    const t = loc?.terminals.find((x) => x.position);
    return t?.position ? point(t.position) : undefined;
  }

  /**
   * The path of an added service, asked of the server: ListServices lists the base network
   * only, so a FindRoutes on the scenario between the line's own terminals gives a leg on it,
   * with its path. Undefined when no answer uses the line (it is then drawn straight).
   */
  async function addedLinePath(scenarioId: string, serviceId: string, from: string, to: string): Promise<[number, number][] | undefined> {
    try {
      const r = await routing.findRoutes(
        { origin: from, destination: to, scenarioId, maxRoutes: 20, constraints: { includeExploratory: true }, shipment: { cargo: { case: "containers", value: { count20ft: 1 } } } },
        { timeoutMs: 20_000 },
      );
      for (const route of r.routes) {
        const leg = route.legs.find((l) => l.serviceId === serviceId);
        if (leg && leg.path.length >= 2) return unwrapPath(leg.path);
      }
    } catch {
      // Drawn straight instead: the map is an illustration of the table, not its source.
    }
    return undefined;
  }

  async function drawFlows(pairs: PairComparison[], scenario: Scenario) {
    if (!map) return;
    flowLayer ??= L.layerGroup().addTo(map);
    flowLayer.clearLayers();
    const layer = flowLayer;
    const paths: [number, number][][] = [];
    const switched = pairs.filter((p) => p.switchedShare > 0);
    const maxTeu = Math.max(1, ...switched.map((p) => p.attractedTeuPerYear));
    const width = sqrtScale([0, maxTeu], [2, 8]);
    for (const p of switched) {
      const a = place(p.pair?.origin ?? "");
      const b = place(p.pair?.destination ?? "");
      if (!a || !b) continue;
      const line = arc(a, b);
      L.polyline(line, { color: "#c2410c", weight: width(p.attractedTeuPerYear), opacity: 0.55, className: "flow switched" })
        .bindTooltip(`${p.pair?.origin} → ${p.pair?.destination}: ${formatNumber(p.attractedTeuPerYear)} TEU/yr switch (${formatPercent(p.switchedShare)} of days)`, { sticky: true })
        .addTo(layer);
      for (const end of [a, b]) L.circleMarker(end, { radius: 4, color: "#7c2d12", weight: 1, fillColor: "#fff", fillOpacity: 1, className: "flow-end" }).addTo(layer);
      paths.push(line);
    }
    // The new lines, on top of the flows they attract.
    const terminals = new Map<string, [number, number]>();
    for (const l of ctx.locations()) for (const t of l.terminals) if (t.position) terminals.set(t.id, point(t.position));
    for (const t of scenario.definition?.addedTerminals ?? []) if (t.position) terminals.set(t.id, point(t.position));
    for (const sd of scenario.definition?.addedServices ?? []) {
      const a = terminals.get(sd.from);
      const b = terminals.get(sd.to);
      if (!a || !b) continue;
      const path = (await addedLinePath(scenario.id, sd.id, sd.from, sd.to)) ?? [a, b];
      L.polyline(path, { color: "#0f766e", weight: 5, opacity: 0.95, className: "new-line" })
        .bindTooltip(`new line ${sd.id}: ${sd.name}`)
        .addTo(layer);
      paths.push(path);
    }
    fit(map, boundsOf(paths), 6);
  }

  let started = false;
  return {
    id: "scenarios",
    title: "Scenarios",
    element: root,
    show() {
      if (!started) {
        started = true;
        map = createMap(mapEl).map;
        startNew();
        void refresh();
      }
      map?.invalidateSize();
    },
  };
}
