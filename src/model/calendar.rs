//! Dated exceptions to the weekly timetables, and the compliance screening of jurisdictions.
//!
//! A weekly timetable is what a carrier publishes; what runs in a given week is less: blank
//! sailings and suspended trains around Chinese New Year, terminals closed on public
//! holidays. A [`ServiceCalendar`] names such dates and the departures they cancel, so an
//! answer for cargo ready on 10 February is the timetable of that week, not the regular one.

use jiff::civil::Date;

use super::{Mode, Service};

/// Dates on which some departures do not run, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCalendar {
    pub id: String,
    pub reason: String,
    /// Inclusive ranges of local departure dates.
    pub closed: Vec<(Date, Date)>,
    /// Which departures it cancels: those of the services named (an id `X` also covers
    /// `X-R`), or, when none are named, those leaving a terminal in one of `countries` by one
    /// of `modes` (an empty list matches every country or mode).
    pub services: Vec<String>,
    pub countries: Vec<String>,
    pub modes: Vec<Mode>,
}

impl ServiceCalendar {
    /// Whether the calendar cancels departures of `service`, which leaves from a terminal in
    /// `origin_country`.
    pub fn covers(&self, service: &Service, origin_country: &str) -> bool {
        if service.drayage {
            return false;
        }
        if !self.services.is_empty() {
            return self.services.iter().any(|id| {
                service.code == *id
                    || service
                        .code
                        .strip_suffix("-R")
                        .is_some_and(|base| base == id)
            });
        }
        (self.countries.is_empty() || self.countries.iter().any(|c| c == origin_country))
            && (self.modes.is_empty() || self.modes.contains(&service.mode))
    }
}

/// A jurisdiction forwarders screen shipments for (sanctions, transit bans): every leg that
/// starts or ends in one of its countries carries the flag, with the reason and its source.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceRule {
    pub id: String,
    pub countries: Vec<String>,
    pub reason: String,
    pub source: String,
}

impl ComplianceRule {
    pub fn touches(&self, from_country: &str, to_country: &str) -> bool {
        self.countries
            .iter()
            .any(|c| c == from_country || c == to_country)
    }
}

/// Cargo bound for some jurisdictions is not carried through others (sanctions, carriers'
/// booking bans): a service that starts or ends in `through` does not take cargo bound for
/// `bound_for`, unless the route's destination is itself in `through`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitBan {
    pub id: String,
    pub through: Vec<String>,
    pub bound_for: Vec<String>,
    pub reason: String,
}

impl TransitBan {
    /// Whether the ban applies to cargo bound for a terminal in `destination_country`.
    pub fn applies_to(&self, destination_country: &str) -> bool {
        self.bound_for.iter().any(|c| c == destination_country)
            && !self.through.iter().any(|c| c == destination_country)
    }

    /// Whether a leg between these countries runs through the barred jurisdictions.
    pub fn bars(&self, from_country: &str, to_country: &str) -> bool {
        self.through
            .iter()
            .any(|c| c == from_country || c == to_country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture;

    fn calendar(services: &[&str], countries: &[&str], modes: &[Mode]) -> ServiceCalendar {
        ServiceCalendar {
            id: "c".into(),
            reason: "r".into(),
            closed: Vec::new(),
            services: services.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            modes: modes.to_vec(),
        }
    }

    #[test]
    fn a_named_service_covers_its_reverse_but_not_a_longer_id() {
        let c = calendar(&["SEA-A"], &[], &[]);
        let s = |code| fixture::service(code, Mode::Sea, 0, 1, 100.0, 20.0);
        assert!(c.covers(&s("SEA-A"), "CN"));
        assert!(c.covers(&s("SEA-A-R"), "CN"));
        assert!(!c.covers(&s("SEA-AB"), "CN"));
    }

    #[test]
    fn country_and_mode_selectors_both_apply() {
        let c = calendar(&[], &["CN"], &[Mode::Rail]);
        let rail = fixture::service("R", Mode::Rail, 0, 1, 100.0, 50.0);
        let sea = fixture::service("S", Mode::Sea, 0, 1, 100.0, 20.0);
        assert!(c.covers(&rail, "CN"));
        assert!(!c.covers(&rail, "RU"));
        assert!(!c.covers(&sea, "CN"));
    }

    #[test]
    fn a_rule_flags_legs_that_start_or_end_in_its_countries() {
        let rule = ComplianceRule {
            id: "x".into(),
            countries: vec!["RU".into(), "BY".into()],
            reason: "r".into(),
            source: "s".into(),
        };
        assert!(rule.touches("CN", "RU"));
        assert!(rule.touches("BY", "PL"));
        assert!(!rule.touches("CN", "KR"));
    }
}
