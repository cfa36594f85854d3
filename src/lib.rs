//! freight-router: multimodal freight routing from Dalian to Northeast Asia and Europe.
//!
//! Data flows one way: files → [`data`] → [`model`] (+ [`geo`], [`cost`]) → [`engine`] ←
//! [`api`] ← gRPC. Nothing below `api` knows of tonic or prost; nothing in `engine` does I/O.
//!
//! - [`model`]: terminals, services, shipments, the network. Plain data.
//! - [`geo`]: sea-lane and rail networks, shortest paths on them, great circles.
//! - [`cost`]: what a leg costs, takes and emits for a shipment.
//! - [`engine`]: the graph and the route searches.
//! - [`data`]: loads and validates `network-data/` into a `Network`.
//! - [`scenario`]: what-if overlays on the base network, their store (SQLite or a PostgreSQL
//!   database replicas share) and its sync, comparisons.
//! - [`api`]: the tonic services; protobuf ↔ model translation and status mapping.
//! - [`server`]: wiring of listener, health, reflection, tracing and shutdown.
//! - [`client`]: the command-line client's requests and table rendering.
//! - [`compare_shards`]: a comparison split across replicas and merged, for the client.
//! - [`loadtest`]: the load tool (`freight loadtest`): concurrent calls, latency percentiles.

pub mod api;
pub mod client;
pub mod compare_shards;
pub mod cost;
pub mod data;
pub mod engine;
pub mod geo;
pub mod loadtest;
pub mod model;
pub mod scenario;
pub mod server;

/// Code generated from `proto/freight/v1` by `build.rs`.
pub mod proto {
    tonic::include_proto!("freight.v1");

    /// The encoded descriptor set, for gRPC server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/freight_descriptor.bin"));
}
