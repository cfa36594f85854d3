//! Any bytes as a `FindRoutesRequest`: decoding, validation and, when valid, the search on the
//! bundled network must answer or refuse, never panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use freight_router::api::{route_query, NetworkState};
use freight_router::proto::FindRoutesRequest;
use libfuzzer_sys::fuzz_target;
use prost::Message;

fn state() -> &'static Arc<NetworkState> {
    static STATE: OnceLock<Arc<NetworkState>> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../network-data");
        NetworkState::new(freight_router::data::load_network(&dir).expect("bundled network"))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(request) = FindRoutesRequest::decode(bytes) else {
        return;
    };
    let state = state();
    if let Ok(query) = route_query(&state.network, request) {
        let _ = state.planner.find_routes(&state.network, &query);
    }
});
