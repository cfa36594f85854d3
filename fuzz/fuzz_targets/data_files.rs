//! Any text in place of one of the data directory's files (the selector byte picks which):
//! loading the directory must give a network or a `DataError` naming file, record and reason,
//! never panic. The slow infrastructure layers are loaded once and shared by every run.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use freight_router::data::{self, DataError};
use freight_router::geo::Infrastructure;
use freight_router::model::Network;
use libfuzzer_sys::fuzz_target;

/// The files a fuzz input may replace, in selector order.
const FILES: [&str; 8] = [
    data::TERMINALS_FILE,
    data::SERVICES_FILE,
    data::MODEL_FILE,
    data::TARIFFS_FILE,
    data::CALENDARS_FILE,
    data::EMISSIONS_FILE,
    data::DEMAND_FILE,
    data::EMISSION_CONTROL_AREAS_FILE,
];

struct Fixture {
    dir: PathBuf,
    infrastructure: Arc<Infrastructure>,
    base: Network,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../network-data");
        let dir = std::env::temp_dir().join(format!("freight-fuzz-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&bundled).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
        let infrastructure = Arc::new(data::load_infrastructure(&dir).expect("bundled layers"));
        let base = data::load_network_on(&dir, Arc::clone(&infrastructure)).expect("bundled");
        Fixture {
            dir,
            infrastructure,
            base,
        }
    })
}

fn load(fixture: &Fixture, file: &str) -> Result<(), DataError> {
    let path = fixture.dir.join(file);
    match file {
        data::DEMAND_FILE => data::load_demand(&fixture.dir, &fixture.base).map(drop),
        data::EMISSION_CONTROL_AREAS_FILE => data::load_sea_areas(&path).map(drop),
        _ => data::load_network_on(&fixture.dir, Arc::clone(&fixture.infrastructure)).map(drop),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, text)) = bytes.split_first() else {
        return;
    };
    let fixture = fixture();
    let file = FILES[usize::from(selector) % FILES.len()];
    let path = fixture.dir.join(file);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, text).unwrap();
    if let Err(e) = load(fixture, file) {
        // The error names a file of the directory, a record and a reason (a broken
        // terminals file may surface as a services record naming an unknown terminal).
        assert!(
            Path::new(&e.file).starts_with(&fixture.dir) && !e.record.is_empty(),
            "{e}"
        );
        assert!(!e.reason.is_empty(), "{e}");
    }
    std::fs::write(&path, original).unwrap();
});
