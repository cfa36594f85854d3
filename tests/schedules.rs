//! Carriers' schedules in the DCSA Commercial Schedules format: the bundled example imports
//! into services that a real server routes over, and every broken variant fails with the
//! file, the record and the reason.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use freight_router::data::{self, DataError, ScheduleImport};
use freight_router::proto::{self, routing_service_client::RoutingServiceClient, Objective};
use serde_json::Value;

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/schedules/dcsa-example-point-to-point.json")
}

fn options() -> ScheduleImport {
    ScheduleImport {
        tariff: "sea-near-sea".into(),
        capacity_teu: 800.0,
        source: "E-dcsa-example".into(),
    }
}

/// Every date-time of the example moved by whole weeks (weekdays and local times unchanged)
/// so that its first sailing is two to three weeks from now: the server plans a year ahead.
fn example_shifted_to_now() -> Value {
    let text = std::fs::read_to_string(example_path()).unwrap();
    let mut json: Value = serde_json::from_str(&text).unwrap();
    let first: jiff::Timestamp = json[0]["legs"][0]["departure"]["dateTime"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let target = jiff::Timestamp::now().as_second() + 14 * 86_400;
    let weeks = (target - first.as_second()).div_euclid(7 * 86_400) + 1;
    shift(&mut json, weeks);
    json
}

fn shift(value: &mut Value, weeks: i64) {
    match value {
        Value::String(s) if s.len() == 25 && s.as_bytes()[10] == b'T' => {
            let at: jiff::Timestamp = s.parse().unwrap();
            let offset_hours: i8 = s[19..22].parse().unwrap();
            let moved = at
                .checked_add(jiff::SignedDuration::from_hours(weeks * 7 * 24))
                .unwrap()
                .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(offset_hours)));
            *s = moved.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift(v, weeks)),
        Value::Object(map) => map.values_mut().for_each(|v| shift(v, weeks)),
        _ => {}
    }
}

fn write_json(dir: &Path, name: &str, json: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(json).unwrap()).unwrap();
    path
}

fn import(path: &Path) -> Result<Vec<data::ServiceRecord>, Vec<DataError>> {
    let network = data::load_network(&data_dir()).unwrap();
    data::import_point_to_point(path, &network, &options())
}

#[test]
fn the_example_maps_to_weekly_services_with_its_blank_sailing() {
    let records = import(&example_path()).expect("the example imports");
    assert_eq!(records.len(), 2, "{records:#?}");
    let dbx = records
        .iter()
        .find(|r| r.from == "CNDLC-PORT" && r.to == "KRPUS-PORT")
        .expect("Dalian-Busan");
    assert_eq!(dbx.days, ["wed"]);
    assert_eq!(dbx.departure_time, "20:00");
    // Wednesday 20:00 +08:00 to Friday 08:00 +09:00.
    assert_eq!(dbx.transit_hours, Some(35.0));
    // The FCL cut-off (FCO) is 17:00 the day before.
    assert_eq!(dbx.cutoff_hours, 27.0);
    assert_eq!(
        dbx.closed,
        [["2027-02-10".to_string(), "2027-02-10".to_string()]]
    );
    assert_eq!(dbx.first_date.as_deref(), Some("2027-01-06"));
    assert_eq!(dbx.last_date.as_deref(), Some("2027-02-17"));
    let feeder = records
        .iter()
        .find(|r| r.to == "JPKIJ-PORT")
        .expect("Busan-Niigata");
    assert_eq!(
        (feeder.from.as_str(), feeder.days.as_slice()),
        ("KRPUS-PORT", &["sun".to_string()][..])
    );
    // The records are services.toml text that parses back to the same records.
    let text = data::services_toml(&records);
    assert!(
        text.contains("[[service]]") && text.contains("transit_hours = 35.0"),
        "{text}"
    );
}

#[tokio::test]
async fn imported_schedules_route_on_a_real_server() {
    let dir = temp_dir("dcsa");
    let network_dir = dir.join("network-data");
    std::fs::create_dir_all(&network_dir).unwrap();
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, network_dir.join(path.file_name().unwrap())).unwrap();
    }
    let file = write_json(&dir, "schedule.json", &example_shifted_to_now());
    let records = import(&file).expect("the shifted example imports");
    let mut services = std::fs::read_to_string(network_dir.join("services.toml")).unwrap();
    services.push('\n');
    services.push_str(&data::services_toml(&records));
    std::fs::write(network_dir.join("services.toml"), services).unwrap();

    let config = freight_router::server::ServerConfig {
        data_dir: network_dir,
        ..config(dir.join("scenarios.db"))
    };
    let server = start_server(config);
    // A scenario without the bundled Dalian-Busan shuttle, so that the imported service is the
    // only direct sailing.
    let scenario = create_scenario(
        channel_to(server.addr).await,
        proto::ScenarioDefinition {
            name: "only the imported schedule".into(),
            suspensions: vec![suspended("SEA-DLC-PUS")],
            ..Default::default()
        },
    )
    .await;
    let mut routing = RoutingServiceClient::new(channel_to(server.addr).await);
    let dbx = records.iter().find(|r| r.to == "KRPUS-PORT").unwrap();
    let first: jiff::civil::Date = dbx.first_date.as_deref().unwrap().parse().unwrap();
    let blank: jiff::civil::Date = dbx.closed[0][0].parse().unwrap();
    // Ready on the Tuesday before the first sailing, and before the blank one.
    for (sailing, expect_days_later) in [(first, 0), (blank, 7)] {
        let tuesday = sailing.yesterday().unwrap();
        let ready = tuesday
            .at(8, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .unwrap();
        let mut req = request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Cost);
        req.ready_at = Some(prost_types::Timestamp {
            seconds: ready.timestamp().as_second(),
            nanos: 0,
        });
        req.max_routes = Some(20);
        req.scenario_id = scenario.id.clone();
        let resp = routing.find_routes(req).await.unwrap().into_inner();
        let leg = resp
            .routes
            .iter()
            .flat_map(|r| &r.legs)
            .find(|l| l.service_id == dbx.id)
            .unwrap_or_else(|| panic!("the imported service is not used: {:?}", resp.routes));
        let departs = leg.departure_time.unwrap().seconds;
        let expected = sailing
            .checked_add(jiff::Span::new().days(expect_days_later))
            .unwrap()
            .at(20, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
            .unwrap()
            .timestamp()
            .as_second();
        assert_eq!(departs, expected, "ready {tuesday}");
        let in_motion = leg
            .time
            .as_ref()
            .unwrap()
            .in_motion
            .as_ref()
            .unwrap()
            .seconds;
        assert_eq!(in_motion, 35 * 3600, "the published transit time");
    }
    server.stop().await;
}

/// One broken variant of the example: an edit of its JSON, the record it must name and what
/// the reason must say.
struct Broken {
    edit: fn(&mut Value),
    record: &'static str,
    reason: &'static str,
}

#[test]
fn every_broken_variant_fails_with_file_record_and_reason() {
    let cases = [
        Broken {
            edit: |j| j[1]["legs"][1]["arrival"]["location"]["UNLocationCode"] = "JPXXX".into(),
            record: "routing #2 leg #2",
            reason: "UN/LOCODE 'JPXXX' has no sea terminal",
        },
        Broken {
            edit: |j| {
                j[0]["legs"][0]["departure"]["location"]
                    .as_object_mut()
                    .unwrap()
                    .remove("UNLocationCode");
            },
            record: "routing #1 leg #1",
            reason: "departure.location.UNLocationCode is missing",
        },
        Broken {
            edit: |j| {
                j[2]["legs"][0]["departure"]
                    .as_object_mut()
                    .unwrap()
                    .remove("dateTime");
            },
            record: "routing #3",
            reason: "dateTime",
        },
        Broken {
            edit: |j| j[0]["legs"][0]["arrival"]["dateTime"] = "2027-01-05T08:00:00+09:00".into(),
            record: "routing #1 leg #1",
            reason: "is not after departure",
        },
        Broken {
            edit: |j| j[3]["legs"][1]["departure"]["dateTime"] = "next Sunday".into(),
            record: "routing #4 leg #2",
            reason: "departure.dateTime: 'next Sunday' is not a date-time",
        },
        Broken {
            edit: |j| j[0]["legs"][0]["transport"]["modeOfTransport"] = "MULTIMODAL".into(),
            record: "routing #1 leg #1",
            reason: "modeOfTransport 'MULTIMODAL'",
        },
        Broken {
            edit: |j| {
                j[0]["legs"][0]["transport"]["servicePartners"] = Value::Array(Vec::new());
            },
            record: "routing #1 leg #1",
            reason: "carrierServiceCode is missing",
        },
        Broken {
            edit: |j| *j = serde_json::json!({"routings": []}),
            record: "line 1",
            reason: "not a JSON array",
        },
    ];
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(example_path()).unwrap()).unwrap();
    let dir = temp_dir("dcsa-broken");
    for (i, case) in cases.iter().enumerate() {
        let mut json = original.clone();
        (case.edit)(&mut json);
        let file = write_json(&dir, &format!("broken-{i}.json"), &json);
        let errors = import(&file).expect_err("a broken file must not import");
        let hit = errors
            .iter()
            .find(|e| e.record == case.record || e.record.starts_with(case.record));
        let e =
            hit.unwrap_or_else(|| panic!("case {i}: no error names {}: {errors:?}", case.record));
        assert!(
            Path::new(&e.file).ends_with(format!("broken-{i}.json")),
            "{e}"
        );
        assert!(
            e.reason.contains(case.reason),
            "case {i}: '{}' should say '{}'",
            e.reason,
            case.reason
        );
    }
}

#[test]
fn an_unknown_tariff_is_refused_before_any_record() {
    let network = data::load_network(&data_dir()).unwrap();
    let errors = data::import_point_to_point(
        &example_path(),
        &network,
        &ScheduleImport {
            tariff: "no-such-tariff".into(),
            ..options()
        },
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].reason.contains("no-such-tariff"), "{}", errors[0]);
}
