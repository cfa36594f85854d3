//! Freight demand between two places: what a scenario comparison weighs its answers by.

/// Annual container volume between an origin and a destination (public codes, as in a
/// routing query).
#[derive(Debug, Clone, PartialEq)]
pub struct OdDemand {
    pub origin: String,
    pub destination: String,
    pub annual_teu: f64,
    pub reefer: bool,
}
