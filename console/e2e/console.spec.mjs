// End-to-end test of the console in Debian's Chromium, driven by playwright-core (no browser
// download, no test runner): the four views against a running `freight serve`.
//
//   FREIGHT_CONSOLE_URL    the server (default http://127.0.0.1:50051/)
//   FREIGHT_CONSOLE_TOKEN  a planner token the server accepts (FREIGHT_PLANNER_TOKENS)
//   CHROMIUM               the browser (default /usr/bin/chromium)
//
// Run by e2e/run.sh, which starts a release server on a free port with a temporary scenario
// database. Screenshots go to e2e/artifacts/. Timings measured with the browser's performance
// API are logged, never asserted (they depend on the machine). Every check below can fail: the
// script exits 1 on the first one that does.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.FREIGHT_CONSOLE_URL ?? "http://127.0.0.1:50051/").replace(/\/?$/, "/");
const plannerToken = process.env.FREIGHT_CONSOLE_TOKEN ?? "";
const artifacts = join(here, "artifacts");
const exampleToml = join(here, "..", "..", "examples", "scenarios", "dalian-niigata-roro.toml");
mkdirSync(artifacts, { recursive: true });

if (!plannerToken) {
  console.error("FREIGHT_CONSOLE_TOKEN is not set: the scenario checks need a planner token");
  process.exit(2);
}

let checks = 0;
function check(condition, what) {
  checks++;
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`  ok  ${what}`);
}
const timings = {};
function timing(name, ms) {
  timings[name] = Math.round(ms);
  console.log(`  time ${name}: ${Math.round(ms)} ms`);
}

/**
 * The example scenario file, read with the little TOML its form needs: `key = value` lines
 * (strings, numbers, booleans, arrays of strings), `[[service]]` and `[service.rate]`.
 */
function readScenarioToml(text) {
  const out = { top: {}, services: [] };
  let table = out.top;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    if (line === "[[service]]") {
      table = { fields: {}, rate: {} };
      out.services.push(table);
      table = table.fields;
      continue;
    }
    if (line === "[service.rate]") {
      table = out.services.at(-1).rate;
      continue;
    }
    if (line.startsWith("[")) throw new Error(`the e2e's TOML reader does not know table ${line}`);
    const m = /^([A-Za-z0-9_]+)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new Error(`unreadable TOML line: ${line}`);
    table[m[1]] = JSON.parse(m[2]);
  }
  return out;
}

/** Fills one form input named by its definition path from a TOML value. */
async function fillField(page, path, value) {
  if (Array.isArray(value)) {
    const boxes = page.locator(`input[type=checkbox][name="${path}"]`);
    check((await boxes.count()) > 0, `the form has a day picker for ${path}`);
    for (const day of value) await page.locator(`input[type=checkbox][name="${path}"][value="${day}"]`).check();
    return;
  }
  const el = page.locator(`[name="${path}"]`).first();
  check((await el.count()) === 1, `the form has an input for ${path}`);
  const tag = await el.evaluate((e) => e.tagName.toLowerCase());
  const type = await el.getAttribute("type");
  if (tag === "select") await el.selectOption({ label: String(value) });
  else if (type === "checkbox") await el.setChecked(Boolean(value));
  else await el.fill(String(value));
}

async function fillScenario(page, scenario, name) {
  for (const [k, v] of Object.entries(scenario.top)) await fillField(page, k, k === "name" ? name : v);
  for (const [i, svc] of scenario.services.entries()) {
    if (i > 0) await page.click('[data-role="add-service"]');
    for (const [k, v] of Object.entries(svc.fields)) await fillField(page, `added_services[${i}].${k}`, v);
    for (const [k, v] of Object.entries(svc.rate)) await fillField(page, `added_services[${i}].rate.${k}`, v);
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true, timezoneId: "Europe/Berlin" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  // Anything the page asks of another origin (tiles, fonts) is a failure: the console is offline.
  const foreign = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["data:", "blob:"].includes(u.protocol) && u.origin !== new URL(base).origin) foreign.push(r.url());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  try {
    // --- 1. planner -------------------------------------------------------------------
    console.log("planner");
    await page.goto(`${base}#planner`);
    await page.waitForSelector("body[data-ready=true]");
    const load = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const usable = performance.getEntriesByName("freight:usable")[0];
      return { dcl: nav.domContentLoadedEventEnd, usable: usable?.startTime ?? NaN, transfer: nav.transferSize };
    });
    timing("page load: DOMContentLoaded", load.dcl);
    timing("page load: usable (locations loaded, planner drawn)", load.usable);
    check((await page.locator('[data-tab="planner"][aria-selected="true"]').count()) === 1, "the planner tab is shown");

    // Pickers: the origin by IATA code, the destination by name.
    const from = page.locator('input[name="origin"]');
    await from.fill("DLC");
    const fromOption = page.locator('#view-planner .picker:has(input[name="origin"]) li[data-code="CNDLC"]').first();
    await fromOption.waitFor();
    check((await fromOption.innerText()).includes("IATA DLC"), "typing the IATA code DLC offers Dalian (CNDLC), saying it matched the IATA code");
    await fromOption.click();
    const to = page.locator('input[name="destination"]');
    await to.fill("busa");
    const toOption = page.locator('#view-planner .picker:has(input[name="destination"]) li').first();
    await toOption.waitFor();
    check((await toOption.getAttribute("data-code")) === "KRPUS", "typing 'busa' offers Busan (KRPUS) first");
    await toOption.click();
    check((await to.inputValue()).includes("KRPUS"), "the destination reads Busan (KRPUS)");

    // Loose cargo small enough for air, large enough to be worth a sea LCL quote.
    await page.check('input[name="cargo"][value="loose"]');
    await page.fill('input[name="weight_kg"]', "500");
    await page.fill('input[name="volume_m3"]', "2");
    await page.click('[data-role="find"]');
    await page.waitForSelector("#view-planner tr.route-row");
    const findMs = await page.evaluate(() => {
      const start = performance.getEntriesByName("freight:find-start").at(-1);
      const drawn = performance.getEntriesByName("freight:routes-drawn").at(-1);
      return drawn.startTime - start.startTime;
    });
    timing("find routes: click to routes drawn (CNDLC-KRPUS, 500 kg / 2 m3)", findMs);

    const rows = page.locator("#view-planner tr.route-row");
    const routeCount = await rows.count();
    check(routeCount >= 2, `at least two routes are listed (${routeCount})`);
    const rowModes = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td.modes .chip")].map((c) => c.textContent)));
    check(rowModes.some((m) => m.includes("sea")), "a sea route is in the table");
    check(rowModes.some((m) => m.includes("air")), "an air route is in the table");
    const circles = page.locator("#view-planner svg.pareto circle.route-point");
    check((await circles.count()) === routeCount, `the chart has one circle per route (${await circles.count()} = ${routeCount})`);
    const labels = await page.locator("#view-planner svg.pareto text.route-label").allTextContents();
    check(labels.some((l) => l.includes("fastest")) && labels.some((l) => l.includes("cheapest")), "the chart labels the fastest and the cheapest routes");

    async function selectedLegs() {
      return page.locator("#view-planner table.legs tbody tr").count();
    }
    const legs0 = await selectedLegs();
    check(legs0 >= 1, `the first route is selected and its ${legs0} leg(s) listed`);
    check((await page.locator("#view-planner path.route-leg.route-0.selected").count()) >= legs0, "the selected route's legs are drawn highlighted on the map");

    // Select the air route in the table: chart and map follow.
    const airIndex = rowModes.findIndex((m) => m.includes("air"));
    const airRow = rows.nth(airIndex);
    await airRow.click();
    check((await airRow.getAttribute("class")).includes("selected"), `the air route (#${airIndex + 1}) is selected in the table`);
    check(
      (await page.locator(`#view-planner circle.route-point[data-route-index="${airIndex}"]`).getAttribute("class")).includes("selected"),
      "its circle is highlighted in the chart",
    );
    check((await page.locator("#view-planner circle.route-point.selected").count()) === 1, "only one circle is highlighted");
    const airLegs = await selectedLegs();
    const airPaths = await page.locator(`#view-planner path.route-leg.route-${airIndex}.selected`).count();
    check(airPaths >= airLegs, `its ${airLegs} leg(s) are highlighted on the map (${airPaths} paths)`);
    check((await page.locator("#view-planner path.route-leg.selected").count()) === airPaths, "no other route's legs are highlighted");
    check((await page.locator("#view-planner table.legs").innerText()).includes("air"), "the leg table shows the air leg");
    check(/[+-]\d{2}:\d{2}/.test(await page.locator("#view-planner table.legs").innerText()), "leg times are local, with their UTC offset");

    // Select from the chart: the table follows.
    const seaIndex = rowModes.findIndex((m) => m.includes("sea") && !m.includes("air"));
    await page.locator(`#view-planner circle.route-point[data-route-index="${seaIndex}"]`).click();
    check((await rows.nth(seaIndex).getAttribute("class")).includes("selected"), "clicking the sea route's circle selects its table row");

    // GeoJSON download of the selected route.
    const [download] = await Promise.all([page.waitForEvent("download"), rows.nth(seaIndex).locator('[data-role="geojson"]').click()]);
    const geo = JSON.parse(readFileSync(await download.path(), "utf8"));
    const seaLegs = await selectedLegs();
    check(geo.type === "FeatureCollection" && geo.features.length === seaLegs, `the GeoJSON download is a FeatureCollection of ${seaLegs} leg(s)`);
    const seaFeature = geo.features.find((f) => f.properties.mode === "sea");
    const [lon, lat] = seaFeature.geometry.coordinates[0];
    check(seaFeature.geometry.type === "LineString" && lon > 100 && lon < 140 && lat > 30 && lat < 45, `its positions are [lon, lat] ([${lon}, ${lat}] near Dalian)`);
    check(typeof seaFeature.properties.cost_usd === "number" && typeof seaFeature.properties.co2e_wtw_kg === "number" && seaFeature.properties.service_id, "its legs carry service, cost and CO2e");
    await page.screenshot({ path: join(artifacts, "planner.png"), fullPage: true });

    // --- 2. network -------------------------------------------------------------------
    console.log("network");
    const netStart = await page.evaluate(() => performance.now());
    await page.click('[data-tab="network"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-role="service-count"]')?.textContent) > 0);
    const netMs = await page.evaluate((t0) => performance.getEntriesByName("freight:network-drawn")[0].startTime - t0, netStart);
    timing("network: tab click to terminals and services drawn", netMs);
    const terminalsDrawn = await page.locator("#view-network path.terminal").count();
    check(terminalsDrawn > 20, `terminals are drawn as circle markers (${terminalsDrawn})`);
    const countAll = Number(await page.locator('[data-role="service-count"]').innerText());
    const drawnAll = await page.locator("#view-network path.service").count();
    check(drawnAll === countAll && drawnAll > 50, `every service is drawn along its path (${drawnAll})`);
    const airServices = await page.locator("#view-network path.service.mode-air").count();
    check(airServices > 0, `air services are among them (${airServices})`);
    await page.locator('#view-network input[name="net_mode"][value="2"]').uncheck();
    const countNoAir = Number(await page.locator('[data-role="service-count"]').innerText());
    const drawnNoAir = await page.locator("#view-network path.service").count();
    check(countNoAir === countAll - airServices && drawnNoAir === countNoAir, `unticking air leaves ${countNoAir} services drawn (was ${countAll})`);
    check((await page.locator("#view-network path.service.mode-air").count()) === 0, "no air service is drawn after unticking air");
    await page.locator('#view-network input[name="net_mode"][value="2"]').check();
    check((await page.locator("#view-network path.service").count()) === countAll, "ticking air again draws them again");

    const dashed = await page.locator("#view-network path.service.exploratory").evaluateAll((ps) => ps.map((p) => p.getAttribute("stroke-dasharray")));
    check(dashed.length > 0 && dashed.every((d) => d && d !== "none"), `exploratory lines are dashed (${dashed.length})`);
    const solid = await page.locator("#view-network path.service:not(.exploratory)").evaluateAll((ps) => ps.filter((p) => p.getAttribute("stroke-dasharray")).length);
    check(solid === 0, "scheduled lines are solid");
    const nsr = page.locator("#view-network [data-role='special-lines'] li", { hasText: "Northern Sea Route" }).first();
    check((await nsr.count()) === 1, "the Northern Sea Route is listed among exploratory and seasonal lines");
    const nsrSeason = await nsr.locator(".season").innerText();
    check(/^\d{1,2} [A-Z][a-z]{2} – \d{1,2} [A-Z][a-z]{2}$/.test(nsrSeason), `its season is shown (${nsrSeason})`);
    const nsrReason = await nsr.locator(".reason").innerText();
    check(nsrReason.includes("Northern Sea Route") && !nsrReason.includes("not exploratory"), `its exploratory reason is shown ("${nsrReason.slice(0, 60)}…")`);
    await nsr.click();
    const popup = page.locator("#view-network .leaflet-popup-content");
    await popup.waitFor();
    const popupText = await popup.innerText();
    check(popupText.includes("Exploratory:") && popupText.includes(nsrSeason), "its map popup gives the reason and the season");

    await page.selectOption('[data-role="exploratory-filter"]', "only");
    const countExploratory = Number(await page.locator('[data-role="service-count"]').innerText());
    check(countExploratory === dashed.length && countExploratory < countAll, `"exploratory lines only" draws the ${countExploratory} dashed lines`);
    await page.selectOption('[data-role="exploratory-filter"]', "all");
    const operators = await page.locator('[data-role="operator"] option').allInnerTexts();
    check(operators.length > 2, `operators can be filtered (${operators.length - 1} operators)`);
    await page.selectOption('[data-role="operator"]', { index: 1 });
    const countOperator = Number(await page.locator('[data-role="service-count"]').innerText());
    check(countOperator > 0 && countOperator < countAll, `one operator's services: ${countOperator} (${operators[1]})`);
    await page.selectOption('[data-role="operator"]', "");
    await page.screenshot({ path: join(artifacts, "network.png") });

    // --- 3. scenarios -----------------------------------------------------------------
    console.log("scenarios");
    await page.click('[data-tab="scenarios"]');
    await page.waitForSelector('#view-scenarios [data-role="scenario-list"] :is(table, p)');
    const scenario = readScenarioToml(readFileSync(exampleToml, "utf8"));
    const name = `${scenario.top.name} (e2e ${Date.now()})`;
    await fillScenario(page, scenario, name);

    // Without a token: the server's refusal, in its words.
    await page.fill('[data-role="token"]', "");
    await page.click('[data-role="save"]');
    const refusal = page.locator('#view-scenarios [data-role="form-result"] .error');
    await refusal.waitFor();
    const refusalText = await refusal.innerText();
    check(/UNAUTHENTICATED|PERMISSION_DENIED/.test(refusalText), `a write without a token shows the refusal: "${refusalText.trim()}"`);

    // With the token, but a speed no ship makes: the server names the service, and the
    // reason is shown on that service's block of the form.
    await page.fill('[data-role="token"]', plannerToken);
    check(!(await page.url()).includes(plannerToken), "the token is not in the URL");
    await page.fill('[name="added_services[0].speed_kn"]', "95");
    await page.click('[data-role="save"]');
    const blockError = page.locator('#view-scenarios fieldset.invalid[data-field="added_services[0]"] > .field-error');
    await blockError.waitFor();
    const invalidText = await page.locator('#view-scenarios [data-role="form-result"] .error').innerText();
    check(invalidText.includes("INVALID_ARGUMENT") && invalidText.includes("added_services[0]"), `the server's validation error names the service: "${invalidText.trim()}"`);
    check((await blockError.innerText()).includes("km/h"), `and its reason is shown on that service's block: "${(await blockError.innerText()).trim()}"`);
    await page.fill('[name="added_services[0].speed_kn"]', String(scenario.services[0].fields.speed_kn));

    // A suspension with a date that is no date: the reason lands next to that very input.
    await page.click('[data-role="add-suspension"]');
    await page.fill('[name="suspensions[0].service_id"]', "SEA-DLC-PUS");
    await page.fill('[name="suspensions[0].from_date"]', "2026-13-01");
    await page.click('[data-role="save"]');
    const dateError = page.locator('#view-scenarios .field.invalid:has([name="suspensions[0].from_date"]) .field-error');
    await dateError.waitFor();
    check((await dateError.innerText()).includes("2026-13-01"), `a field-level error is shown next to its input (suspensions[0].from_date): "${(await dateError.innerText()).trim()}"`);
    await page.locator('#view-scenarios fieldset[data-field="suspensions[0]"] legend button').click();
    check((await page.locator('[name="suspensions[0].from_date"]').count()) === 0, "the suspension is removed again");

    await page.click('[data-role="save"]');
    await page.waitForSelector('#view-scenarios [data-role="saved"]');
    check((await page.locator('#view-scenarios .field-error').count()) === 0, "the scenario is created and the field error is gone");
    const row = page.locator("#view-scenarios [data-role='scenario-list'] tr", { hasText: name });
    await row.waitFor();
    const scenarioId = await row.getAttribute("data-scenario-id");
    check((await row.locator('[data-state="ready"]').count()) === 1, `the new scenario ${scenarioId} is listed as ready`);
    check((await row.innerText()).includes(scenario.services[0].fields.id), "it lists the line it adds");

    // The comparison over the demand matrix.
    await page.selectOption('[data-role="compare-scenario"]', scenarioId);
    await page.click('[data-role="run-compare"]');
    await page.waitForSelector('[data-role="summary-pairs"]', { timeout: 180_000 });
    await page.waitForFunction(() => performance.getEntriesByName("freight:compare-done").length > 0, null, { timeout: 180_000 });
    timing(
      "comparison: click to summary (demand matrix, 7 ready days)",
      await page.evaluate(() => performance.getEntriesByName("freight:compare-done").at(-1).startTime - performance.getEntriesByName("freight:compare-start").at(-1).startTime),
    );
    const pairRows = page.locator('#view-scenarios [data-role="pairs"] tbody tr');
    const pairCount = await pairRows.count();
    check(pairCount > 10 && String(pairCount) === (await page.locator('[data-role="summary-pairs"]').innerText()), `every pair of the demand matrix has a row (${pairCount})`);
    const niigata = page.locator('#view-scenarios [data-role="pairs"] tr[data-destination="JPKIJ"]');
    const niigataCount = await niigata.count();
    const niigataSwitched = await page.locator('#view-scenarios [data-role="pairs"] tr[data-destination="JPKIJ"][data-switched="true"]').count();
    check(niigataCount > 0 && niigataSwitched > 0, `pairs to Niigata (JPKIJ) are marked switched to the new line (${niigataSwitched} of ${niigataCount})`);
    const dalianNiigata = page.locator('#view-scenarios [data-role="pairs"] tr[data-origin="CNDLC"][data-destination="JPKIJ"]').first();
    check((await dalianNiigata.getAttribute("data-switched")) === "true" && (await dalianNiigata.innerText()).includes(scenario.services[0].fields.id), "Dalian-Niigata switches to the new RoRo and names it");
    const switchedTotal = await page.locator('#view-scenarios [data-role="pairs"] tr[data-switched="true"]').count();
    check(String(switchedTotal) === (await page.locator('[data-role="summary-switched"]').innerText()), `the summary counts the ${switchedTotal} switched pairs`);
    const bar = page.locator(`#view-scenarios [data-role="line-loads"] .load-row[data-service-id="${scenario.services[0].fields.id}"] svg.load-bar rect.used`);
    check((await bar.count()) === 1 && Number(await bar.getAttribute("width")) > 0, "the new line's weekly load is drawn as a bar against its capacity");
    check((await page.locator("#view-scenarios path.flow.switched").count()) > 0, "the switched flows are drawn on the map");
    check((await page.locator("#view-scenarios path.new-line").count()) > 0, "the new line is drawn on the map");
    await page.screenshot({ path: join(artifacts, "scenarios.png"), fullPage: true });

    // The same scenario as its file: the server reads the TOML, and a broken file is refused
    // naming its line.
    await page.click('#view-scenarios button:has-text("cancel edit")');
    await page.click('#view-scenarios [data-role="scenario-file-panel"] summary');
    await page.fill('[data-role="scenario-file"]', 'name = "broken file"\n[[service]]\nid = 7\n');
    await page.click('[data-role="save-file"]');
    const fileResult = page.locator('[data-role="file-result"]');
    await page.waitForFunction(() => document.querySelector('[data-role="file-result"]').innerText.includes("INVALID_ARGUMENT"));
    const fileError = await fileResult.innerText();
    check(fileError.includes("definition_toml") && fileError.includes("line 3"), `a broken scenario file is refused naming its line: "${fileError.trim()}"`);
    await page.setInputFiles('[data-role="scenario-file-input"]', exampleToml);
    await page.waitForFunction((id) => document.querySelector('[data-role="scenario-file"]').value.includes(id), scenario.services[0].fields.id);
    await page.click('[data-role="save-file"]');
    await page.waitForSelector('[data-role="file-saved"]');
    const fileRow = page.locator(`#view-scenarios [data-role='scenario-list'] tr[data-scenario-id]:not([data-scenario-id="${scenarioId}"])`);
    await fileRow.first().waitFor();
    check(
      (await fileRow.count()) === 1 && (await fileRow.locator('[data-state="ready"]').count()) === 1 && (await fileRow.innerText()).includes(scenario.services[0].fields.id),
      `the example scenario file, uploaded, is created as ${await fileRow.first().getAttribute("data-scenario-id")} and ready`,
    );

    // --- 4. reach ----------------------------------------------------------------------
    console.log("reach");
    await page.click('[data-tab="reach"]');
    await page.waitForFunction(() => document.querySelector('#view-reach input[name="reach_by"]').value !== "");
    check((await page.locator("#view-reach [data-role='reach-zone']").innerText()).includes("Asia/Shanghai"), "the reach view starts from Dalian, at Dalian's clock");
    // From next Monday 08:00 to that Friday 18:00 at Dalian's clock (UTC+8 all year).
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
    const day = (d) => d.toISOString().slice(0, 10);
    const friday = new Date(monday.getTime() + 4 * 86_400_000);
    const readyMs = Date.parse(`${day(monday)}T08:00:00+08:00`);
    const reach = async (by) => {
      await page.fill('#view-reach input[name="reach_ready"]', `${day(monday)}T08:00`);
      await page.fill('#view-reach input[name="reach_by"]', by);
      await page.evaluate(() => performance.clearMarks("freight:reach-drawn"));
      await page.click('[data-role="reach"]');
      await page.waitForFunction(() => performance.getEntriesByName("freight:reach-drawn").length > 0);
      return page.locator("#view-reach tr.reach-row").evaluateAll((rows) => rows.map((r) => ({ id: r.dataset.terminal, arrival: Number(r.dataset.arrivalMs) })));
    };
    const byFriday = await reach(`${day(friday)}T18:00`);
    const fridayMs = Date.parse(`${day(friday)}T18:00:00+08:00`);
    check(byFriday.length > 0, `${byFriday.length} terminals are in reach from Dalian between Monday 08:00 and Friday 18:00`);
    check(byFriday.every((r) => r.arrival > readyMs && r.arrival <= fridayMs), "every arrival listed is after the ready time and by the deadline");
    check(byFriday.every((r, i) => i === 0 || byFriday[i - 1].arrival <= r.arrival), "the table lists the earliest arrivals first");
    check(!byFriday.some((r) => r.id.startsWith("CNDLC")), "the origin's own terminals are not listed as reached");
    check((await page.locator("#view-reach path.reachable").count()) === byFriday.length, "the map draws one coloured marker per terminal in reach");
    check((await page.locator("#view-reach path.reach-origin").count()) >= 1, "the map rings the origin");
    check(/[+-]\d{2}:\d{2}/.test(await page.locator("#view-reach table.reach").innerText()), "arrivals are in local time, with their UTC offset");
    const legendText = await page.locator("#view-reach [data-role='reach-legend']").innerText();
    check(legendText.includes("day ") && legendText.includes("out of reach"), `the legend names the arrival days (${legendText.replace(/\s+/g, " ").trim()})`);
    await page.screenshot({ path: join(artifacts, "reach.png"), fullPage: true });
    // A week more reaches at least as much, and the same terminals no later.
    const nextFriday = new Date(friday.getTime() + 7 * 86_400_000);
    const byNextFriday = await reach(`${day(nextFriday)}T18:00`);
    const later = new Map(byNextFriday.map((r) => [r.id, r.arrival]));
    check(byNextFriday.length >= byFriday.length, `a week later at least as many terminals are in reach (${byFriday.length} → ${byNextFriday.length})`);
    check(byFriday.every((r) => later.get(r.id) === r.arrival), "every terminal reached by Friday is still reached, at the same earliest arrival");
    // Neither a deadline nor a budget: the server's refusal, naming what is missing.
    await page.fill('#view-reach input[name="reach_by"]', "");
    await page.click('[data-role="reach"]');
    const reachError = page.locator("#view-reach [data-role='reach-messages'] .error");
    await reachError.waitFor();
    const reachErrorText = await reachError.innerText();
    check(reachErrorText.includes("INVALID_ARGUMENT") && reachErrorText.includes("deliver_by"), `a question with no deadline and no budget is refused: "${reachErrorText.trim()}"`);

    // --- the page as a whole -------------------------------------------------------------
    const csp = await page.evaluate(() => window.__cspViolations);
    check(csp.length === 0, `no content-security-policy violations (${csp.join("; ")})`);
    check(foreign.length === 0, `nothing was requested from another origin (${foreign.slice(0, 3).join(", ")})`);
    // gRPC-Web answers a refused or invalid call with HTTP 200 and a grpc-status, so even the
    // failures provoked above leave nothing in the browser's console.
    check(problems.length === 0, `no errors in the page or its console (${problems.join(" | ")})`);
  } catch (e) {
    await page.screenshot({ path: join(artifacts, "failure.png"), fullPage: true }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
  }
  console.log(`\n${checks} checks passed`);
  console.log(`timings (ms): ${JSON.stringify(timings)}`);
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
