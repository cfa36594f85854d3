//! Any text as a scenario file (the loader's record formats: terminals, services, rates,
//! suspensions, changes): parsing and applying it to the bundled network must succeed or
//! fail with a reason, never panic.
#![no_main]

use std::sync::OnceLock;

use freight_router::model::Network;
use freight_router::scenario::{apply, ScenarioDefinition};
use libfuzzer_sys::fuzz_target;

fn base() -> &'static Network {
    static BASE: OnceLock<Network> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../network-data");
        freight_router::data::load_network(&dir).expect("bundled network")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(definition) = ScenarioDefinition::from_toml(text) {
        let _ = apply(base(), &definition);
    }
});
