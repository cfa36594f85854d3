//! Tiny hand-built networks for unit and property tests of the model, cost model and engine.

use super::{
    AirRate, BoxRate, Capacity, DangerousGoodsAcceptance, FclRates, Handling, LatLon, LclRate,
    Mode, ModelParams, Network, Schedule, Service, ServiceFlags, Tariff, Terminal, TerminalId,
    TerminalKind, TruckRate, Weekday,
};

/// A terminal with round handling figures.
pub fn terminal(code: &str, country: &str, lat: f64, lon: f64) -> Terminal {
    Terminal {
        code: code.to_string(),
        name: code.to_string(),
        city: code.to_string(),
        kind: TerminalKind::Seaport,
        locode: code.split('-').next().unwrap_or(code).to_string(),
        aliases: Vec::new(),
        iata: None,
        country: country.to_string(),
        position: LatLon::new(lat, lon),
        timezone: jiff::tz::TimeZone::UTC,
        handling: Handling {
            usd_per_20ft: 10.0,
            usd_per_40ft: 15.0,
            loose_usd_per_tonne: 1.0,
            loose_min_usd: 0.0,
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
        capacity: Capacity::unlimited(),
        tariff: tariff(mode),
        border: None,
        flags: ServiceFlags {
            reefer: true,
            dangerous_goods: DangerousGoodsAcceptance::all(),
            exploratory: None,
            air_capacity: (mode == Mode::Air).then_some(super::AirCapacity::Freighter),
        },
        drayage: false,
        distance_km: km,
        emission_factor: super::EmissionModel::example().default_for(mode, false, km),
        ..Service::default()
    }
}

/// Round per-box, per-kg and per-truck rates for a mode.
pub fn tariff(mode: Mode) -> Tariff {
    let per_box = |base_usd| BoxRate {
        base_usd,
        usd_per_km: 0.1,
    };
    match mode {
        Mode::Air => Tariff {
            air: Some(AirRate {
                usd_per_kg: 2.0,
                min_usd: 50.0,
            }),
            ..Tariff::default()
        },
        Mode::Road => Tariff {
            truck: Some(TruckRate {
                base_usd_per_truck: 50.0,
                usd_per_truck_km: 1.5,
                min_usd: 50.0,
            }),
            ..Tariff::default()
        },
        Mode::Sea | Mode::Rail => Tariff {
            fcl: Some(FclRates {
                per_20ft: per_box(100.0),
                per_40ft: per_box(150.0),
                high_cube_usd: 0.0,
            }),
            lcl: Some(LclRate {
                per_revenue_tonne: BoxRate {
                    base_usd: 20.0,
                    usd_per_km: 0.0,
                },
                min_revenue_tonnes: 1.0,
            }),
            ..Tariff::default()
        },
    }
}

pub fn network(terminals: Vec<Terminal>, services: Vec<Service>) -> Network {
    Network::new(terminals, services, ModelParams::example()).expect("fixture codes are unique")
}
