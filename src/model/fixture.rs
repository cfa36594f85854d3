//! Tiny hand-built networks for unit and property tests of the model, cost model and engine.

use super::{
    Handling, LatLon, Mode, ModelParams, Network, Rate, Schedule, Service, ServiceFlags, Terminal,
    TerminalId, TerminalKind, Weekday,
};

/// A terminal with round handling figures.
pub fn terminal(code: &str, country: &str, lat: f64, lon: f64) -> Terminal {
    Terminal {
        code: code.to_string(),
        name: code.to_string(),
        city: code.to_string(),
        kind: TerminalKind::Seaport,
        locode: code.split('-').next().unwrap_or(code).to_string(),
        iata: None,
        country: country.to_string(),
        position: LatLon::new(lat, lon),
        timezone: jiff::tz::TimeZone::UTC,
        handling: Handling {
            usd_per_teu: 10.0,
            usd_per_tonne: 1.0,
            hours: 1.0,
        },
    }
}

/// A daily service with a per-TEU rate (per-kg for air) and the given distance and speed.
pub fn service(code: &str, mode: Mode, from: u32, to: u32, km: f64, speed_kmh: f64) -> Service {
    Service {
        code: code.to_string(),
        name: code.to_string(),
        operator: None,
        mode,
        from: TerminalId(from),
        to: TerminalId(to),
        schedule: Schedule::Weekly {
            days: Weekday::ALL.to_vec(),
            departure_minute: 600,
            cutoff_hours: 2.0,
        },
        speed_kmh,
        capacity: 100.0,
        rate: match mode {
            Mode::Air => Rate::PerChargeableKg {
                usd_per_kg: 2.0,
                min_usd: 50.0,
            },
            Mode::Road => Rate::PerTruck {
                base_usd_per_truck: 50.0,
                usd_per_truck_km: 1.5,
                min_usd: 50.0,
            },
            Mode::Sea | Mode::Rail => Rate::PerTeu {
                base_usd_per_teu: 100.0,
                usd_per_teu_km: 0.1,
            },
        },
        border: None,
        flags: ServiceFlags {
            reefer: true,
            dangerous_goods: true,
            exploratory: None,
            air_capacity: (mode == Mode::Air).then_some(super::AirCapacity::Freighter),
        },
        drayage: false,
        distance_km: km,
        ..Service::default()
    }
}

pub fn network(terminals: Vec<Terminal>, services: Vec<Service>) -> Network {
    Network::new(terminals, services, ModelParams::example()).expect("fixture codes are unique")
}
