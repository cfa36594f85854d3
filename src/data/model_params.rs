//! `model.toml`: the global parameters of the cost, time and CO2 model.

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::model::{ComplianceRule, EuEts, ModelParams, PassageAdvisory, TransitBan};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    units: Units,
    road: Road,
    drayage: Drayage,
    generalized: Generalized,
    fuel: Fuel,
    eu_ets: EuEtsTable,
    fx: Fx,
    dangerous_goods: DangerousGoodsTable,
    #[serde(default)]
    advisory: Vec<AdvisoryRow>,
    #[serde(default)]
    compliance: Vec<ComplianceRow>,
    #[serde(default)]
    transit_ban: Vec<TransitBanRow>,
}

/// `[[transit_ban]]`: cargo bound for some jurisdictions is not carried through others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitBanRow {
    id: String,
    through: Vec<String>,
    bound_for: Vec<String>,
    reason: String,
    source: String,
}

/// `[[compliance]]`: a jurisdiction forwarders screen legs for.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplianceRow {
    id: String,
    countries: Vec<String>,
    reason: String,
    source: String,
}

/// `[[advisory]]`: passages carriers are avoiding as of the data date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvisoryRow {
    passages: Vec<String>,
    since: String,
    reason: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fuel {
    as_of: String,
    bunker_usd_per_tonne: f64,
    /// 0.1 % sulphur fuel (MGO) burnt inside emission control areas.
    eca_bunker_usd_per_tonne: f64,
    co2_ttw_kg_per_kg_fuel: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EuEtsTable {
    countries: Vec<String>,
    neighbouring_hubs: Vec<String>,
    /// `[[year, share], ...]`.
    phase_in: Vec<(i16, f64)>,
    allowance_eur_per_tonne: f64,
    allowance_as_of: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fx {
    as_of: String,
    /// Units of each currency per US dollar, as central banks quote them.
    per_usd: std::collections::BTreeMap<String, f64>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DangerousGoodsTable {
    passenger_aircraft_classes: Vec<u8>,
    source: String,
}

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

fn date(path: &Path, field: &str, text: &str) -> Result<jiff::civil::Date, DataError> {
    text.trim()
        .parse()
        .map_err(|_| DataError::new(path, field, format!("'{text}' is not a YYYY-MM-DD date")))
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
    let f: File = super::read_toml(path)?;
    for (table, source) in [
        ("units", &f.units.source),
        ("road", &f.road.source),
        ("drayage", &f.drayage.source),
        ("generalized", &f.generalized.source),
        ("fuel", &f.fuel.source),
        ("eu_ets", &f.eu_ets.source),
        ("fx", &f.fx.source),
        ("dangerous_goods", &f.dangerous_goods.source),
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
        ("drayage.speed_kmh", f.drayage.speed_kmh),
        ("fuel.bunker_usd_per_tonne", f.fuel.bunker_usd_per_tonne),
        ("fuel.co2_ttw_kg_per_kg_fuel", f.fuel.co2_ttw_kg_per_kg_fuel),
        (
            "fuel.eca_bunker_usd_per_tonne",
            f.fuel.eca_bunker_usd_per_tonne,
        ),
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
        (
            "eu_ets.allowance_eur_per_tonne",
            f.eu_ets.allowance_eur_per_tonne,
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
    date(path, "fuel.as_of", &f.fuel.as_of)?;
    date(path, "eu_ets.allowance_as_of", &f.eu_ets.allowance_as_of)?;
    let fx_as_of = date(path, "fx.as_of", &f.fx.as_of)?;
    let mut usd_per_unit = Vec::new();
    for (currency, per_usd) in &f.fx.per_usd {
        if !(currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase())) {
            return Err(DataError::new(
                path,
                format!("fx.per_usd.{currency}"),
                "is not an ISO 4217 code",
            ));
        }
        if !(per_usd.is_finite() && *per_usd > 0.0) {
            return Err(DataError::new(
                path,
                format!("fx.per_usd.{currency}"),
                format!("must be positive, got {per_usd}"),
            ));
        }
        usd_per_unit.push((currency.clone(), 1.0 / per_usd));
    }
    let usd_per_eur = usd_per_unit
        .iter()
        .find(|(c, _)| c == "EUR")
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            DataError::new(path, "fx.per_usd", "needs EUR (the EU ETS allowance price)")
        })?;
    let mut last_year = i16::MIN;
    for (i, (year, share)) in f.eu_ets.phase_in.iter().enumerate() {
        if *year <= last_year || !(0.0..=1.0).contains(share) {
            return Err(DataError::new(
                path,
                format!("eu_ets.phase_in[{i}]"),
                "years must ascend and shares lie in 0..1",
            ));
        }
        last_year = *year;
    }
    if let Some(c) = f
        .dangerous_goods
        .passenger_aircraft_classes
        .iter()
        .find(|c| !(1..=9).contains(*c))
    {
        return Err(DataError::new(
            path,
            "dangerous_goods.passenger_aircraft_classes",
            format!("class {c} is not 1..9"),
        ));
    }
    let mut advisories = Vec::new();
    for (i, a) in f.advisory.iter().enumerate() {
        let record = format!("advisory[{i}]");
        if a.passages.is_empty() || a.reason.trim().is_empty() || a.source.trim().is_empty() {
            return Err(DataError::new(
                path,
                record,
                "needs passages, a reason and a source",
            ));
        }
        advisories.push(PassageAdvisory {
            passages: a.passages.clone(),
            since: date(path, &format!("{record}.since"), &a.since)?,
            reason: a.reason.clone(),
        });
    }
    let mut compliance: Vec<ComplianceRule> = Vec::new();
    for (i, c) in f.compliance.into_iter().enumerate() {
        let record = format!("compliance[{i}]");
        if c.id.trim().is_empty() || c.reason.trim().is_empty() || c.source.trim().is_empty() {
            return Err(DataError::new(
                path,
                record,
                "needs an id, a reason and a source",
            ));
        }
        if c.countries.is_empty() || c.countries.iter().any(|x| !is_country_code(x)) {
            return Err(DataError::new(
                path,
                record,
                "countries must list ISO 3166 alpha-2 codes",
            ));
        }
        if compliance.iter().any(|o| o.id == c.id) {
            return Err(DataError::new(
                path,
                record,
                format!("duplicate id '{}'", c.id),
            ));
        }
        compliance.push(ComplianceRule {
            id: c.id,
            countries: c.countries,
            reason: c.reason,
            source: c.source,
        });
    }
    let mut transit_bans: Vec<TransitBan> = Vec::new();
    for (i, b) in f.transit_ban.into_iter().enumerate() {
        let record = format!("transit_ban[{i}]");
        if b.id.trim().is_empty() || b.reason.trim().is_empty() || b.source.trim().is_empty() {
            return Err(DataError::new(
                path,
                record,
                "needs an id, a reason and a source",
            ));
        }
        if [&b.through, &b.bound_for]
            .iter()
            .any(|list| list.is_empty() || list.iter().any(|x| !is_country_code(x)))
        {
            return Err(DataError::new(
                path,
                record,
                "through and bound_for must list ISO 3166 alpha-2 codes",
            ));
        }
        if transit_bans.len() == 64 {
            return Err(DataError::new(path, record, "at most 64 transit bans"));
        }
        transit_bans.push(TransitBan {
            id: b.id,
            through: b.through,
            bound_for: b.bound_for,
            reason: b.reason,
        });
    }
    Ok(ModelParams {
        tonnes_per_teu: f.units.tonnes_per_teu,
        m3_per_teu: f.units.m3_per_teu,
        teu_per_truck: f.units.teu_per_truck,
        tonnes_per_truck: f.units.tonnes_per_truck,
        air_kg_per_m3: f.units.air_kg_per_m3,
        emissions: crate::model::EmissionModel::default(),
        road_circuity: f.road.circuity,
        drayage_base_usd_per_truck: f.drayage.base_usd_per_truck,
        drayage_usd_per_truck_km: f.drayage.usd_per_truck_km,
        drayage_speed_kmh: f.drayage.speed_kmh,
        value_of_time_usd_per_teu_hour: f.generalized.value_of_time_usd_per_teu_hour,
        carbon_price_usd_per_tonne: f.generalized.carbon_price_usd_per_tonne,
        bunker_usd_per_tonne_fuel: f.fuel.bunker_usd_per_tonne,
        eca_bunker_usd_per_tonne_fuel: f.fuel.eca_bunker_usd_per_tonne,
        fuel_co2_ttw_kg_per_kg: f.fuel.co2_ttw_kg_per_kg_fuel,
        eu_ets: EuEts {
            countries: f.eu_ets.countries,
            neighbouring_hubs: f.eu_ets.neighbouring_hubs,
            phase_in: f.eu_ets.phase_in,
            allowance_usd_per_tonne: f.eu_ets.allowance_eur_per_tonne * usd_per_eur,
        },
        usd_per_unit,
        fx_as_of: Some(fx_as_of),
        passenger_aircraft_dg_classes: f.dangerous_goods.passenger_aircraft_classes,
        advisories,
        calendars: Vec::new(),
        compliance,
        transit_bans,
    })
}
