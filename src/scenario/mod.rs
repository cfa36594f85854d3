//! Port-office scenarios: named overlays on the base network (added lines and terminals,
//! suspensions, changed frequencies, speeds, rates and handling), their persistent store, the
//! live catalogue that queries read, its sync with a store other replicas share, and the
//! comparison of a scenario with today's network.
//!
//! The base network is never mutated: a scenario is applied by building a new network from the
//! base's records plus its changes ([`overlay`]). Nothing here knows gRPC.

mod catalog;
pub mod compare;
mod overlay;
mod spec;
pub mod store;
pub mod sync;

pub use catalog::{Catalog, CatalogError, LiveScenario};
pub use overlay::{apply, OverlayError};
pub use spec::{ScenarioDefinition, ServiceChange, Suspension, TerminalChange};
pub use store::{
    PostgresStore, ScenarioStore, SqliteStore, StoreError, StoredScenario, NOTIFY_CHANNEL,
};
pub use sync::StoreSync;
