//! `model.toml`: the global parameters of the cost, time and CO2 model.

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::model::ModelParams;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    units: Units,
    emissions: Emissions,
    road: Road,
    drayage: Drayage,
    generalized: Generalized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Units {
    tonnes_per_teu: f64,
    m3_per_teu: f64,
    teu_per_truck: f64,
    tonnes_per_truck: f64,
    air_kg_per_m3: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Emissions {
    sea_kg_per_teu_km: f64,
    sea_reefer_kg_per_teu_km: f64,
    rail_kg_per_tonne_km: f64,
    road_kg_per_tonne_km: f64,
    air_freighter_kg_per_tonne_km: f64,
    air_belly_kg_per_tonne_km: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Road {
    circuity: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Drayage {
    base_usd_per_truck: f64,
    usd_per_truck_km: f64,
    speed_kmh: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Generalized {
    value_of_time_usd_per_teu_hour: f64,
    carbon_price_usd_per_tonne: f64,
    source: String,
}

pub fn load(path: &Path) -> Result<ModelParams, DataError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let f: File =
        toml::from_str(&text).map_err(|e| DataError::new(path, "toml", e.message().to_string()))?;
    for (table, source) in [
        ("units", &f.units.source),
        ("emissions", &f.emissions.source),
        ("road", &f.road.source),
        ("drayage", &f.drayage.source),
        ("generalized", &f.generalized.source),
    ] {
        if source.trim().is_empty() {
            return Err(DataError::new(
                path,
                format!("[{table}]"),
                "source is empty",
            ));
        }
    }
    let positive = [
        ("units.tonnes_per_teu", f.units.tonnes_per_teu),
        ("units.m3_per_teu", f.units.m3_per_teu),
        ("units.teu_per_truck", f.units.teu_per_truck),
        ("units.tonnes_per_truck", f.units.tonnes_per_truck),
        ("units.air_kg_per_m3", f.units.air_kg_per_m3),
        ("emissions.sea_kg_per_teu_km", f.emissions.sea_kg_per_teu_km),
        (
            "emissions.sea_reefer_kg_per_teu_km",
            f.emissions.sea_reefer_kg_per_teu_km,
        ),
        (
            "emissions.rail_kg_per_tonne_km",
            f.emissions.rail_kg_per_tonne_km,
        ),
        (
            "emissions.road_kg_per_tonne_km",
            f.emissions.road_kg_per_tonne_km,
        ),
        (
            "emissions.air_freighter_kg_per_tonne_km",
            f.emissions.air_freighter_kg_per_tonne_km,
        ),
        (
            "emissions.air_belly_kg_per_tonne_km",
            f.emissions.air_belly_kg_per_tonne_km,
        ),
        ("drayage.speed_kmh", f.drayage.speed_kmh),
    ];
    for (name, value) in positive {
        if !(value.is_finite() && value > 0.0) {
            return Err(DataError::new(
                path,
                name,
                format!("must be positive, got {value}"),
            ));
        }
    }
    let non_negative = [
        ("drayage.base_usd_per_truck", f.drayage.base_usd_per_truck),
        ("drayage.usd_per_truck_km", f.drayage.usd_per_truck_km),
        (
            "generalized.value_of_time_usd_per_teu_hour",
            f.generalized.value_of_time_usd_per_teu_hour,
        ),
        (
            "generalized.carbon_price_usd_per_tonne",
            f.generalized.carbon_price_usd_per_tonne,
        ),
    ];
    for (name, value) in non_negative {
        if !(value.is_finite() && value >= 0.0) {
            return Err(DataError::new(
                path,
                name,
                format!("must not be negative, got {value}"),
            ));
        }
    }
    if !(1.0..=3.0).contains(&f.road.circuity) {
        return Err(DataError::new(
            path,
            "road.circuity",
            format!("must be between 1 and 3, got {}", f.road.circuity),
        ));
    }
    Ok(ModelParams {
        tonnes_per_teu: f.units.tonnes_per_teu,
        m3_per_teu: f.units.m3_per_teu,
        teu_per_truck: f.units.teu_per_truck,
        tonnes_per_truck: f.units.tonnes_per_truck,
        air_kg_per_m3: f.units.air_kg_per_m3,
        sea_kg_co2_per_teu_km: f.emissions.sea_kg_per_teu_km,
        sea_reefer_kg_co2_per_teu_km: f.emissions.sea_reefer_kg_per_teu_km,
        rail_kg_co2_per_tonne_km: f.emissions.rail_kg_per_tonne_km,
        road_kg_co2_per_tonne_km: f.emissions.road_kg_per_tonne_km,
        air_freighter_kg_co2_per_tonne_km: f.emissions.air_freighter_kg_per_tonne_km,
        air_belly_kg_co2_per_tonne_km: f.emissions.air_belly_kg_per_tonne_km,
        road_circuity: f.road.circuity,
        drayage_base_usd_per_truck: f.drayage.base_usd_per_truck,
        drayage_usd_per_truck_km: f.drayage.usd_per_truck_km,
        drayage_speed_kmh: f.drayage.speed_kmh,
        value_of_time_usd_per_teu_hour: f.generalized.value_of_time_usd_per_teu_hour,
        carbon_price_usd_per_tonne: f.generalized.carbon_price_usd_per_tonne,
    })
}
