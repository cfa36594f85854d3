//! The console's transport: the page's files and gRPC-Web on the gRPC address itself, spoken
//! here as a browser speaks them (HTTP/1.1, `application/grpc-web+proto`).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use common::*;
use freight_router::proto;
use prost::Message;

/// One HTTP/1.1 exchange (`Connection: close`): status line, headers (lower-case names) and
/// body.
fn http(addr: SocketAddr, request: &[u8]) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// What a gRPC-Web unary call over HTTP/1.1 answered: the status line, the gRPC status as
/// `grpc-status:N` lines (from the trailers frame, or the headers of a trailers-only answer),
/// and the data frames.
struct WebAnswer {
    status_line: String,
    grpc: String,
    messages: Vec<Vec<u8>>,
}

fn grpc_web(addr: SocketAddr, path: &str, message: &[u8]) -> WebAnswer {
    let mut body = vec![0u8];
    body.extend_from_slice(&(message.len() as u32).to_be_bytes());
    body.extend_from_slice(message);
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/grpc-web+proto\r\n\
         X-Grpc-Web: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let (status_line, headers, mut data) = http(addr, &request);
    let mut grpc: String = headers
        .iter()
        .filter(|(k, _)| k.starts_with("grpc-"))
        .map(|(k, v)| format!("{k}:{v}\r\n"))
        .collect();
    let mut messages = Vec::new();
    while data.len() >= 5 {
        let len = u32::from_be_bytes(data[1..5].try_into().unwrap()) as usize;
        let payload = data[5..5 + len].to_vec();
        if data[0] & 0x80 != 0 {
            grpc.push_str(&String::from_utf8_lossy(&payload));
        } else {
            messages.push(payload);
        }
        data.drain(..5 + len);
    }
    WebAnswer {
        status_line,
        grpc: grpc.to_ascii_lowercase().replace(": ", ":"),
        messages,
    }
}

#[test]
fn the_page_is_served_at_the_root_with_a_strict_policy() {
    let addr = server_addr();
    let (status, headers, body) = http(
        addr,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains("200"), "{status}");
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&headers, "content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("<script"), "{page}");
    // Every script and stylesheet the page names is served too.
    for part in page.split("src=\"").chain(page.split("href=\"")).skip(1) {
        let url = part.split('"').next().unwrap();
        if !url.starts_with('/') {
            continue;
        }
        let (status, _, body) = http(
            addr,
            format!("GET {url} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(status.contains("200"), "{url}: {status}");
        assert!(!body.is_empty(), "{url}");
    }
    let (status, _, _) = http(
        addr,
        b"GET /no-such-file.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains("404"), "{status}");
}

#[test]
fn grpc_web_over_http1_reaches_the_api_with_its_statuses() {
    let addr = server_addr();
    let request = proto::GetLocationRequest {
        code: "KRPUS".into(),
    };
    let answer = grpc_web(
        addr,
        "/freight.v1.NetworkService/GetLocation",
        &request.encode_to_vec(),
    );
    assert!(answer.status_line.contains("200"), "{}", answer.status_line);
    assert!(answer.grpc.contains("grpc-status:0"), "{}", answer.grpc);
    let location = proto::GetLocationResponse::decode(answer.messages[0].as_slice())
        .unwrap()
        .location
        .unwrap();
    assert_eq!(location.locode, "KRPUS");

    let refused = grpc_web(
        addr,
        "/freight.v1.NetworkService/GetLocation",
        &proto::GetLocationRequest {
            code: "XXNOPE".into(),
        }
        .encode_to_vec(),
    );
    assert!(refused.grpc.contains("grpc-status:5"), "{}", refused.grpc); // NOT_FOUND
    assert!(refused.grpc.contains("xxnope"), "{}", refused.grpc);

    // An unknown method is UNIMPLEMENTED, not the page.
    let unknown = grpc_web(addr, "/freight.v1.NetworkService/Nope", &[]);
    assert!(unknown.grpc.contains("grpc-status:12"), "{}", unknown.grpc);
}

/// `freight route --geojson`: RFC 7946, a LineString per leg in [longitude, latitude] order
/// from Dalian, with the leg's mode, service, times, cost and CO2e.
#[test]
fn route_geojson_is_a_feature_collection_of_legs() {
    let addr = server_addr();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_freight"))
        .args(["route", "CNDLC", "KRPUS", "--geojson", "--server"])
        .arg(format!("http://{addr}"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let geojson: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "LineString");
        assert!(feature["geometry"]["coordinates"].as_array().unwrap().len() >= 2);
        let properties = &feature["properties"];
        for key in ["mode", "service_id", "departure_time", "arrival_time"] {
            assert!(properties[key].is_string(), "{key}: {properties}");
        }
        assert!(properties["cost_usd"].as_f64().unwrap() >= 0.0);
        assert!(properties["co2e_wtw_kg"].as_f64().unwrap() >= 0.0);
    }
    // Longitude first: Dalian is at 121.6 E, 38.9 N.
    let start = &features[0]["geometry"]["coordinates"][0];
    let (lon, lat) = (start[0].as_f64().unwrap(), start[1].as_f64().unwrap());
    assert!(
        (lon - 121.6).abs() < 1.0 && (lat - 38.9).abs() < 1.0,
        "{start}"
    );

    let beyond = std::process::Command::new(env!("CARGO_BIN_EXE_freight"))
        .args(["route", "CNDLC", "KRPUS", "--geojson", "99", "--server"])
        .arg(format!("http://{addr}"))
        .output()
        .unwrap();
    assert!(!beyond.status.success());
    assert!(String::from_utf8_lossy(&beyond.stderr).contains("--geojson 99"));
}
