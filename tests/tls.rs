//! The listener over TLS (rustls): a client that trusts the CA gets answers; a plaintext
//! client does not.

mod common;

use std::path::PathBuf;

use common::*;
use freight_router::proto::{self, network_service_client::NetworkServiceClient};
use freight_router::server::TlsFiles;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

#[tokio::test]
async fn a_tls_server_answers_clients_that_trust_its_ca_and_refuses_plaintext() {
    let server = start_server(freight_router::server::ServerConfig {
        tls: Some(TlsFiles {
            cert: fixture("server.crt"),
            key: fixture("server.key"),
        }),
        ..config(temp_dir("tls").join("scenarios.db"))
    });
    let url = format!("https://localhost:{}", server.addr.port());
    let channel = freight_router::client::connect(&url, Some(&fixture("ca.crt")))
        .await
        .expect("TLS connection");
    let page = NetworkServiceClient::new(channel)
        .list_locations(proto::ListLocationsRequest {
            country_code: "JP".into(),
            page_size: 100,
            page_token: String::new(),
        })
        .await
        .expect("answer over TLS")
        .into_inner();
    assert!(page.locations.iter().any(|l| l.locode == "JPKIJ"));

    let plain = format!("http://{}", server.addr);
    let refused = match freight_router::client::connect(&plain, None).await {
        Err(_) => true,
        Ok(channel) => NetworkServiceClient::new(channel)
            .list_locations(proto::ListLocationsRequest::default())
            .await
            .is_err(),
    };
    assert!(refused, "a plaintext client must not get an answer");
    server.stop().await;
}
