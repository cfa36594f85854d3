//! A server process killed with SIGKILL in the middle of scenario writes leaves a readable
//! database holding every scenario whose creation was acknowledged, none half-written; and
//! its log never shows a token.

mod common;

use std::process::{Command, Stdio};

use common::*;
use freight_router::proto::{self, scenario_service_client::ScenarioServiceClient};
use freight_router::scenario::{ScenarioDefinition, SqliteStore};

/// Scenarios acknowledged before the kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 12;
const WRITERS: usize = 4;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn sigkill_mid_write_keeps_every_acknowledged_scenario_and_logs_no_token() {
    let dir = temp_dir("crash");
    let db = dir.join("scenarios.db");
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_freight"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir())
        .arg("--scenario-db")
        .arg(&db)
        .env("FREIGHT_PLANNER_TOKENS", PLANNER_TOKEN)
        .env("FREIGHT_READ_ONLY_TOKENS", READER_TOKEN)
        .env("RUST_LOG", "debug,h2=info,tower=info,hyper=info")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("start freight serve");

    let channel = connect_when_up(port, "server").await;

    // Several writers create scenarios as fast as they can; the kill lands while some are
    // in flight.
    let (acks_tx, mut acks) =
        tokio::sync::mpsc::unbounded_channel::<(String, proto::ScenarioDefinition)>();
    for writer in 0..WRITERS {
        let (channel, acks_tx) = (channel.clone(), acks_tx.clone());
        tokio::spawn(async move {
            let mut client = ScenarioServiceClient::new(channel);
            for i in 0.. {
                let definition = proto::ScenarioDefinition {
                    name: format!("crash-{writer}-{i}"),
                    description: "x".repeat(2000),
                    service_changes: vec![proto::ServiceChange {
                        service_id: "SEA-DLC-PUS".into(),
                        rate_factor: Some(1.0 + i as f64 / 100.0),
                        ..Default::default()
                    }],
                    ..Default::default()
                };
                let request = authorized(
                    proto::CreateScenarioRequest {
                        definition: Some(definition.clone()),
                        ..Default::default()
                    },
                    PLANNER_TOKEN,
                );
                match client.create_scenario(request).await {
                    Ok(r) => {
                        let _ = acks_tx.send((r.into_inner().scenario.unwrap().id, definition));
                    }
                    Err(_) => return, // the server is gone
                }
            }
        });
    }
    drop(acks_tx);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < ACKNOWLEDGED_BEFORE_KILL {
        acknowledged.push(acks.recv().await.expect("writes acknowledged"));
    }
    child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
    child.wait().unwrap();
    while let Ok(ack) = acks.try_recv() {
        acknowledged.push(ack);
    }

    let store = SqliteStore::open(&db).expect("the database opens after the kill");
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let stored: Vec<_> = store
        .list()
        .unwrap()
        .into_iter()
        .map(|row| row.expect("every row reads back"))
        .collect();
    for (id, definition) in &acknowledged {
        let row = stored
            .iter()
            .find(|s| &s.id == id)
            .unwrap_or_else(|| panic!("acknowledged scenario {id} lost"));
        let parsed = ScenarioDefinition::from_toml(&row.definition_toml).expect("complete row");
        assert_eq!(
            freight_router::api::definition_to_proto(&parsed),
            *definition
        );
    }
    for row in &stored {
        ScenarioDefinition::from_toml(&row.definition_toml)
            .unwrap_or_else(|e| panic!("half-written scenario {}: {e}", row.id));
    }

    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(
        log.contains("scenario created"),
        "the server logged its writes:\n{log}"
    );
    for token in [PLANNER_TOKEN, READER_TOKEN] {
        assert!(!log.contains(token), "a token appears in the log");
    }
}
