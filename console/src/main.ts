/**
 * The console's entry: four tabs (route planner, network, scenarios, reach) over one set of
 * locations, loaded once (every page of ListLocations) because the pickers, the network map,
 * the comparison's flows and the reach map all place things by location code.
 *
 * The tab is kept in the URL's hash (#planner, #network, #scenarios, #reach) so a link opens
 * the right view; nothing else goes in the URL (never the planner token).
 */
import "./style.css";
import { loadLocations, loadScenarios } from "./api.js";
import { errorBox, h } from "./dom.js";
import { describeError } from "./fielderror.js";
import { validZone } from "./format.js";
import type { Location } from "./gen/freight/v1/network_pb.js";
import { ScenarioState } from "./gen/freight/v1/scenario_pb.js";
import { buildIndex, type LocationEntry } from "./search.js";
import type { AppContext, View } from "./views/context.js";
import { createNetworkView } from "./views/network.js";
import { createPlannerView } from "./views/planner.js";
import { createReachView } from "./views/reach.js";
import { createScenariosView } from "./views/scenarios.js";

let locations: Location[] = [];
let index: LocationEntry[] = [];
const byCode = new Map<string, Location>();

const views: View[] = [];
const ctx: AppContext = {
  index: () => index,
  locations: () => locations,
  locationByCode: (code) => byCode.get(code.trim().toUpperCase()),
  zoneOf: (code) => validZone((code ? ctx.locationByCode(code) : undefined)?.terminals.find((t) => t.timeZone)?.timeZone),
  scenariosChanged: (items) => views.forEach((v) => v.setScenarios?.(items)),
};

function setLocations(list: Location[]) {
  locations = list;
  index = buildIndex(list);
  byCode.clear();
  for (const e of index) {
    const loc = list.find((l) => l.locode === e.code)!;
    for (const c of e.codes) if (!byCode.has(c)) byCode.set(c, loc);
  }
}

async function start() {
  const app = document.getElementById("app")!;
  const nav = h("nav", { class: "tabs", role: "tablist", "aria-label": "Views" });
  const main = h("main");
  const header = h("header", null, h("h1", null, "freight-router console"), h("span", { class: "muted" }, "Dalian multimodal routes · sea · air · rail · road"), nav);
  app.replaceChildren(header, main);

  try {
    setLocations(await loadLocations());
  } catch (err) {
    const e = describeError(err);
    main.append(errorBox(e.code, `could not load the network's locations: ${e.message}`));
    return;
  }

  views.push(createPlannerView(ctx), createNetworkView(ctx), createScenariosView(ctx), createReachView(ctx));
  const buttons = new Map<string, HTMLButtonElement>();
  for (const v of views) {
    v.element.hidden = true;
    v.element.setAttribute("role", "tabpanel");
    main.append(v.element);
    const b = h("button", { type: "button", role: "tab", id: `tab-${v.id}`, "aria-controls": v.element.id, "data-tab": v.id, onclick: () => (location.hash = v.id) }, v.title);
    buttons.set(v.id, b);
    nav.append(b);
  }
  const showTab = () => {
    const id = location.hash.replace(/^#/, "");
    const current = views.find((v) => v.id === id) ?? views[0];
    for (const v of views) {
      const on = v === current;
      v.element.hidden = !on;
      buttons.get(v.id)!.setAttribute("aria-selected", String(on));
    }
    current.show();
  };
  window.addEventListener("hashchange", showTab);
  showTab();
  document.body.dataset.ready = "true";
  performance.mark("freight:usable");

  // The planner offers the ready scenarios without the scenarios tab being opened.
  loadScenarios()
    .then((list) => ctx.scenariosChanged(list.filter((s) => s.state === ScenarioState.READY).map((s) => ({ id: s.id, name: s.definition?.name ?? s.id }))))
    .catch(() => undefined);
}

void start();
