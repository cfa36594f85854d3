//! `emissions.toml`: the emission factors per vehicle class and per terminal move.

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::model::{
    Activity, DefaultClasses, EmissionFactor, EmissionModel, FactorQuality, HubFactor, TerminalKind,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    defaults: Defaults,
    factor: Vec<FactorRecord>,
    #[serde(default)]
    hub: Vec<HubRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    sea: String,
    rail: String,
    road: String,
    drayage: String,
    air_belly_short: String,
    air_belly_long: String,
    air_freighter_short: String,
    air_freighter_long: String,
    air_long_haul_km: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorRecord {
    id: String,
    /// `teu_km` or `tonne_km`.
    activity: String,
    /// kg CO2e per unit of activity.
    wtw: f64,
    ttw: f64,
    #[serde(default)]
    distance_uplift_km: f64,
    /// `sourced` or `estimate`.
    quality: String,
    source: String,
    #[serde(default)]
    reefer: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HubRecord {
    kind: String,
    wtw_kg_per_box: f64,
    ttw_kg_per_box: f64,
    wtw_kg_per_tonne: f64,
    ttw_kg_per_tonne: f64,
    quality: String,
    source: String,
}

fn quality(text: &str) -> Result<FactorQuality, String> {
    match text {
        "sourced" => Ok(FactorQuality::SourcedDefault),
        "estimate" => Ok(FactorQuality::Estimate),
        other => Err(format!("quality '{other}' is not sourced or estimate")),
    }
}

/// WTW and TTW: finite, not negative, and well-to-wake at least tank-to-wake.
fn scopes(wtw: f64, ttw: f64) -> Result<(), String> {
    if !(wtw.is_finite() && ttw.is_finite() && ttw >= 0.0 && wtw >= ttw) {
        return Err(format!(
            "wtw {wtw} and ttw {ttw} must be finite, not negative, and wtw >= ttw"
        ));
    }
    Ok(())
}

fn parse_factor(raw: &FactorRecord) -> Result<EmissionFactor, String> {
    let activity = match raw.activity.as_str() {
        "teu_km" => Activity::TeuKm,
        "tonne_km" => Activity::TonneKm,
        other => return Err(format!("activity '{other}' is not teu_km or tonne_km")),
    };
    scopes(raw.wtw, raw.ttw)?;
    if !(raw.distance_uplift_km.is_finite() && (0.0..=500.0).contains(&raw.distance_uplift_km)) {
        return Err(format!(
            "distance_uplift_km {} is outside 0..500",
            raw.distance_uplift_km
        ));
    }
    if raw.id.trim().is_empty() || raw.source.trim().is_empty() {
        return Err("id and source must not be empty".to_string());
    }
    Ok(EmissionFactor {
        id: raw.id.clone(),
        activity,
        wtw_kg: raw.wtw,
        ttw_kg: raw.ttw,
        distance_uplift_km: raw.distance_uplift_km,
        quality: quality(&raw.quality)?,
        source: raw.source.clone(),
        reefer: None,
    })
}

fn parse_hub(raw: &HubRecord) -> Result<HubFactor, String> {
    let kind = match raw.kind.as_str() {
        "seaport" => TerminalKind::Seaport,
        "airport" => TerminalKind::Airport,
        "rail_terminal" => TerminalKind::RailTerminal,
        "road_terminal" => TerminalKind::RoadTerminal,
        other => return Err(format!("kind '{other}' is not a terminal kind")),
    };
    scopes(raw.wtw_kg_per_box, raw.ttw_kg_per_box)?;
    scopes(raw.wtw_kg_per_tonne, raw.ttw_kg_per_tonne)?;
    if raw.source.trim().is_empty() {
        return Err("source must not be empty".to_string());
    }
    Ok(HubFactor {
        kind,
        wtw_kg_per_box: raw.wtw_kg_per_box,
        ttw_kg_per_box: raw.ttw_kg_per_box,
        wtw_kg_per_tonne: raw.wtw_kg_per_tonne,
        ttw_kg_per_tonne: raw.ttw_kg_per_tonne,
        quality: quality(&raw.quality)?,
        source: raw.source.clone(),
    })
}

pub fn load(path: &Path) -> Result<EmissionModel, DataError> {
    let file: File = super::read_toml(path)?;
    let mut model = EmissionModel::default();
    for (i, raw) in file.factor.iter().enumerate() {
        let record = format!("factor #{} '{}'", i + 1, raw.id);
        let factor = parse_factor(raw).map_err(|r| DataError::new(path, &record, r))?;
        if model.index_of(&factor.id).is_some() {
            return Err(DataError::new(path, &record, "duplicate factor id"));
        }
        model.factors.push(factor);
    }
    for (i, raw) in file.factor.iter().enumerate() {
        if let Some(reefer) = &raw.reefer {
            let index = model.index_of(reefer).ok_or_else(|| {
                DataError::new(
                    path,
                    format!("factor #{} '{}'", i + 1, raw.id),
                    format!("reefer '{reefer}' is not a factor id"),
                )
            })?;
            model.factors[i].reefer = Some(index);
        }
    }
    for (i, raw) in file.hub.iter().enumerate() {
        let record = format!("hub #{} '{}'", i + 1, raw.kind);
        let hub = parse_hub(raw).map_err(|r| DataError::new(path, &record, r))?;
        if model.hub(hub.kind).is_some() {
            return Err(DataError::new(path, &record, "duplicate hub kind"));
        }
        model.hubs.push(hub);
    }
    let class = |field: &str, id: &str| {
        model.index_of(id).ok_or_else(|| {
            DataError::new(
                path,
                format!("defaults.{field}"),
                format!("'{id}' is not a factor id"),
            )
        })
    };
    let d = &file.defaults;
    if !(d.air_long_haul_km.is_finite() && d.air_long_haul_km > 0.0) {
        return Err(DataError::new(
            path,
            "defaults.air_long_haul_km",
            format!("must be positive, got {}", d.air_long_haul_km),
        ));
    }
    model.defaults = DefaultClasses {
        sea: class("sea", &d.sea)?,
        rail: class("rail", &d.rail)?,
        road: class("road", &d.road)?,
        drayage: class("drayage", &d.drayage)?,
        air_belly_short: class("air_belly_short", &d.air_belly_short)?,
        air_belly_long: class("air_belly_long", &d.air_belly_long)?,
        air_freighter_short: class("air_freighter_short", &d.air_freighter_short)?,
        air_freighter_long: class("air_freighter_long", &d.air_freighter_long)?,
        air_long_haul_km: d.air_long_haul_km,
    };
    Ok(model)
}
