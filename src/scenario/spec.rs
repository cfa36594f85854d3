//! What a scenario says: a named change set over the base network. Added terminals and services
//! are written exactly like the records of `network-data/` (`terminals.csv` columns,
//! `services.toml` `[[service]]` tables), so a scenario file reads like a piece of the bundled
//! data and can live in version control next to it.
//!
//! This is the definition only; [`super::overlay`] turns it into a network and says what is
//! wrong with it.

use serde::{Deserialize, Serialize};

use crate::data::{ServiceRecord, TerminalRecord};

/// A scenario file (`[[terminal]]`, `[[service]]`, `[[suspend]]`, `[[change]]`,
/// `[[terminal_change]]`), and the definition a `ScenarioService` client sends.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioDefinition {
    /// Unique among the stored scenarios.
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// New terminals (a new port or rail terminal at given coordinates).
    #[serde(default, rename = "terminal", skip_serializing_if = "Vec::is_empty")]
    pub added_terminals: Vec<TerminalRecord>,
    /// New services; geometry and distance are derived from the infrastructure.
    #[serde(default, rename = "service", skip_serializing_if = "Vec::is_empty")]
    pub added_services: Vec<ServiceRecord>,
    /// Services or terminals taken out, for good or for a date range.
    #[serde(default, rename = "suspend", skip_serializing_if = "Vec::is_empty")]
    pub suspensions: Vec<Suspension>,
    /// Frequency, speed, rate or capacity of existing services.
    #[serde(default, rename = "change", skip_serializing_if = "Vec::is_empty")]
    pub service_changes: Vec<ServiceChange>,
    /// Handling charges and times of existing terminals.
    #[serde(
        default,
        rename = "terminal_change",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub terminal_changes: Vec<TerminalChange>,
}

/// A service or a terminal out of use. Without dates it is removed; with dates, departures on
/// those days (inclusive) do not run. A suspended terminal suspends every service calling at it.
/// Naming a service `X` also covers its reverse `X-R`; name `X-R` for the reverse alone.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub terminal: String,
    /// `YYYY-MM-DD`, first day without departures; empty for "from the start".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from_date: String,
    /// `YYYY-MM-DD`, last day without departures; empty for "until further notice".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub until_date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// New figures for an existing service (and its reverse, as for [`Suspension`]). Unset fields
/// keep the base value.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceChange {
    pub service: String,
    /// New weekly departure days (`mon` .. `sun`): the frequency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<String>>,
    /// New local departure time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departure_time: Option<String>,
    /// New speed: knots for sea services, km/h for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// Multiplies every charge of the service (1.1 = 10 % dearer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_factor: Option<f64>,
    /// TEU per departure (air: kilograms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
}

/// New handling figures for an existing terminal. Unset fields keep the base value.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalChange {
    pub terminal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thc_usd_per_20ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thc_usd_per_40ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loose_usd_per_tonne: Option<f64>,
}

impl ScenarioDefinition {
    /// Parses a scenario file.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start].lines().count().max(1));
            match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            }
        })
    }

    /// Writes the scenario file that [`ScenarioDefinition::from_toml`] reads back.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot write the scenario: {e}\n"))
    }

    /// The ids of the services this scenario adds, reverse directions included.
    pub fn added_service_ids(&self) -> Vec<String> {
        self.added_services
            .iter()
            .flat_map(|s| {
                let reverse = s.both_directions.then(|| format!("{}-R", s.id));
                std::iter::once(s.id.clone()).chain(reverse)
            })
            .collect()
    }
}
