//! When a scheduled service can take cargo: its weekly departures in the origin terminal's
//! local time, the cut-off before each, and the calendar windows it runs in (a navigation
//! season, the dates of a pilot line).
//!
//! Instants are whole seconds since the Unix epoch (UTC) so that searches compare plain
//! integers; the conversion to and from local wall-clock time happens here only.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::Weekday;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

pub const SECONDS_PER_HOUR: f64 = 3600.0;

/// How far ahead a route may wait for a departure: a weekly service always sails within a
/// week, so a service with no usable departure within this window is not usable at all
/// (a seasonal line out of season is not worth waiting months for).
pub const MAX_WAIT_DAYS: i64 = 8;

/// A recurring window of the year, inclusive at both ends; it may wrap over New Year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Season {
    /// (month, day) of the first and last day.
    pub first: (i8, i8),
    pub last: (i8, i8),
}

impl Season {
    /// Parses `MM-DD..MM-DD`.
    pub fn parse(text: &str) -> Result<Season, String> {
        let bad = || format!("season '{text}' is not MM-DD..MM-DD");
        let (a, b) = text.split_once("..").ok_or_else(bad)?;
        let day = |s: &str| -> Result<(i8, i8), String> {
            let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
            let (m, d): (i8, i8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
            // 2024 is a leap year, so 02-29 is accepted.
            Date::new(2024, m, d).map_err(|_| bad())?;
            Ok((m, d))
        };
        Ok(Season {
            first: day(a)?,
            last: day(b)?,
        })
    }

    pub fn contains(&self, date: Date) -> bool {
        let d = (date.month(), date.day());
        if self.first <= self.last {
            self.first <= d && d <= self.last
        } else {
            d >= self.first || d <= self.last
        }
    }
}

impl std::fmt::Display for Season {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}-{:02}..{:02}-{:02}",
            self.first.0, self.first.1, self.last.0, self.last.1
        )
    }
}

/// The calendar a service runs in: every departure date (local) must lie in the season, if
/// any, and between the first and last dates, if given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Validity {
    pub season: Option<Season>,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    /// Dated exceptions (first and last day, inclusive): holidays and blank sailings, from a
    /// service's own `closed` dates and the calendars that cover it. Cargo waits for the next
    /// departure after them, however far: the service runs again once they are over.
    pub closed: Vec<(Date, Date)>,
    /// A scenario's suspension of the service or of a terminal it calls at: out of use.
    pub suspended: Vec<(Date, Date)>,
}

fn within(periods: &[(Date, Date)], date: Date) -> bool {
    periods.iter().any(|&(from, to)| from <= date && date <= to)
}

impl Validity {
    pub fn allows(&self, date: Date) -> bool {
        self.season.is_none_or(|s| s.contains(date))
            && self.first_date.is_none_or(|d| date >= d)
            && self.last_date.is_none_or(|d| date <= d)
            && !within(&self.closed, date)
            && !within(&self.suspended, date)
    }

    /// Whether `date` falls in a dated exception (see `closed`).
    pub fn is_closed(&self, date: Date) -> bool {
        within(&self.closed, date)
    }
}

impl std::fmt::Display for Validity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = self.season {
            parts.push(format!("season {s}"));
        }
        if let Some(d) = self.first_date {
            parts.push(format!("from {d}"));
        }
        if let Some(d) = self.last_date {
            parts.push(format!("until {d}"));
        }
        for (from, to) in &self.closed {
            parts.push(format!("closed {from}..{to}"));
        }
        for (from, to) in &self.suspended {
            parts.push(format!("suspended {from}..{to}"));
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// When a service departs.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// Weekly departures on the given days at a local time (minutes after midnight, in the
    /// origin terminal's time zone); cargo must be at the terminal `cutoff_hours` before.
    Weekly {
        days: Vec<Weekday>,
        departure_minute: u16,
        cutoff_hours: f64,
    },
    /// Runs when the cargo is ready, `lead_hours` after the booking (a truck; drayage between
    /// the terminals of a city without lead time), on any day its calendar allows.
    OnDemand { lead_hours: f64 },
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::OnDemand { lead_hours: 0.0 }
    }
}

/// The answer to "when can cargo ready at `t` leave on this service?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDeparture {
    At(Instant),
    /// Every departure within [`MAX_WAIT_DAYS`] falls outside the service's calendar; `next`
    /// is the first one inside it within a year, if any.
    OutsideValidity {
        next: Option<Instant>,
    },
}

impl Schedule {
    /// Departures per week; `None` for on-demand services.
    pub fn departures_per_week(&self) -> Option<usize> {
        match self {
            Schedule::Weekly { days, .. } => Some(days.len()),
            Schedule::OnDemand { .. } => None,
        }
    }

    /// The cut-off before a scheduled departure, or an on-demand service's lead time.
    pub fn cutoff_seconds(&self) -> i64 {
        let hours = match self {
            Schedule::Weekly { cutoff_hours, .. } => cutoff_hours,
            Schedule::OnDemand { lead_hours } => lead_hours,
        };
        (hours * SECONDS_PER_HOUR) as i64
    }

    /// The first departure that cargo ready at the terminal at `ready` can make: at or after
    /// `ready + cut-off` (an on-demand service: its lead time), on a scheduled day, inside
    /// `validity`. FIFO by construction: a later `ready` never gives an earlier departure.
    pub fn next_departure(
        &self,
        ready: Instant,
        tz: &TimeZone,
        validity: &Validity,
    ) -> NextDeparture {
        let earliest = ready + self.cutoff_seconds();
        tz.to_fixed_offset()
            .ok()
            .and_then(|offset| self.first_at_offset(earliest, offset.seconds().into(), validity))
            .unwrap_or_else(|| self.walk_days(earliest, tz, validity))
    }

    /// `next_departure` from `earliest` (ready time plus cut-off), in civil time: any zone,
    /// any calendar.
    fn walk_days(&self, earliest: Instant, tz: &TimeZone, validity: &Validity) -> NextDeparture {
        let Ok(start) = Timestamp::from_second(earliest) else {
            return NextDeparture::OutsideValidity { next: None };
        };
        let first_date = tz.to_datetime(start).date();
        let local = |date: Date, time: Time| {
            tz.to_ambiguous_timestamp(date.to_datetime(time))
                .compatible()
                .ok()
                .map(|t| t.as_second())
        };
        match self {
            Schedule::Weekly {
                days,
                departure_minute,
                ..
            } => {
                let minute = *departure_minute;
                let time = i8::try_from(minute / 60)
                    .ok()
                    .and_then(|hour| Time::new(hour, (minute % 60) as i8, 0, 0).ok())
                    .unwrap_or(Time::MIN);
                first_allowed(first_date, validity, |date| {
                    days.contains(&Weekday::of(date))
                        .then(|| local(date, time))
                        .flatten()
                        .filter(|&at| at >= earliest)
                })
            }
            // A truck leaves when booked, or at the start of the first day it may run.
            Schedule::OnDemand { .. } => first_allowed(first_date, validity, |date| {
                if date == first_date {
                    Some(earliest)
                } else {
                    local(date, Time::MIN)
                }
            }),
        }
    }

    /// `next_departure` in plain arithmetic, for a clock with a fixed offset (the terminals of
    /// East Asia, see `Network::clock`) when the first departure on or after `earliest` falls
    /// on a day `validity` allows: the common case, and a search times a leg this way
    /// several times per query. `None` leaves the question to the walk day by day
    /// (`first_allowed`), which answers every case this one takes the same way: a departure
    /// within a week is inside the usual wait, whatever exceptions come before it.
    fn first_at_offset(
        &self,
        earliest: Instant,
        offset: Instant,
        validity: &Validity,
    ) -> Option<NextDeparture> {
        const DAY: Instant = 86_400;
        const _: () = assert!(
            MAX_WAIT_DAYS >= 7,
            "a weekly departure is within the usual wait"
        );
        let first_day = (earliest + offset).div_euclid(DAY);
        let (day, at) = match self {
            Schedule::Weekly {
                days,
                departure_minute,
                ..
            } => {
                let minute = Instant::from(*departure_minute);
                if minute >= 24 * 60 {
                    return None;
                }
                // Monday is 0; 1970-01-01, day 0, was a Thursday.
                let weekday = (first_day + 3).rem_euclid(7);
                (0..=7).find_map(|k| {
                    let day = first_day + k;
                    let at = day * DAY + minute * 60 - offset;
                    let scheduled = days.contains(&Weekday::ALL[((weekday + k) % 7) as usize]);
                    (scheduled && at >= earliest).then_some((day, at))
                })?
            }
            Schedule::OnDemand { .. } => (first_day, earliest),
        };
        let date = jiff::tz::Offset::UTC
            .to_datetime(Timestamp::from_second(day * DAY).ok()?)
            .date();
        validity.allows(date).then_some(NextDeparture::At(at))
    }
}

/// The first departure `on(date)` offers on a date `validity` allows, walking a day at a time
/// from `date` (civil-time steps, the zone's offset looked up per candidate, rather than spans:
/// this runs for every leg a search times). Beyond the usual wait the service is refused, with
/// its next departure; days of dated exceptions (a holiday week, a blank sailing) lengthen the
/// wait the cargo accepts: it waits for the first departure after them.
fn first_allowed(
    mut date: Date,
    validity: &Validity,
    on: impl Fn(Date) -> Option<Instant>,
) -> NextDeparture {
    let mut wait_days = MAX_WAIT_DAYS;
    for offset in 0..=366 {
        if offset > 0 {
            let Ok(next) = date.tomorrow() else {
                break;
            };
            date = next;
        }
        if validity.is_closed(date) {
            wait_days += 1;
        }
        let Some(at) = on(date) else {
            continue;
        };
        if validity.allows(date) {
            return if offset <= wait_days {
                NextDeparture::At(at)
            } else {
                NextDeparture::OutsideValidity { next: Some(at) }
            };
        }
    }
    NextDeparture::OutsideValidity { next: None }
}

impl Schedule {
    /// The departures a shipment spread over `count` of them leaves on: the first it can
    /// make from `ready`, then each following one (the cargo is already at the terminal, so
    /// the cut-off holds). Returns the first and the last. Still FIFO: each is the earliest
    /// after the one before, so a later `ready` never gives an earlier last departure.
    pub fn departures(
        &self,
        ready: Instant,
        tz: &TimeZone,
        validity: &Validity,
        count: u32,
    ) -> Result<(Instant, Instant), Option<Instant>> {
        let first = match self.next_departure(ready, tz, validity) {
            NextDeparture::At(at) => at,
            NextDeparture::OutsideValidity { next } => return Err(next),
        };
        let mut last = first;
        if matches!(self, Schedule::Weekly { .. }) {
            for _ in 1..count {
                last = match self.next_departure(last + 1 - self.cutoff_seconds(), tz, validity) {
                    NextDeparture::At(at) => at,
                    NextDeparture::OutsideValidity { next } => return Err(next),
                };
            }
        }
        Ok((first, last))
    }
}

/// Formats an instant in a time zone as RFC 3339 with its offset (`2027-03-02T18:00:00+08:00`).
pub fn format_local(at: Instant, tz: &TimeZone) -> String {
    match Timestamp::from_second(at) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string(),
        Err(_) => at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn at(s: &str) -> Instant {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    fn weekly(days: &[Weekday], minute: u16, cutoff_hours: f64) -> Schedule {
        Schedule::Weekly {
            days: days.to_vec(),
            departure_minute: minute,
            cutoff_hours,
        }
    }

    #[test]
    fn a_shipment_over_three_departures_leaves_on_the_next_three() {
        let s = weekly(&[Weekday::Tue, Weekday::Fri], 18 * 60, 24.0);
        let v = Validity::default();
        let (first, last) = s
            .departures(at("2027-03-01T00:00:00Z"), &shanghai(), &v, 3)
            .unwrap();
        assert_eq!(first, at("2027-03-02T10:00:00Z")); // Tue
        assert_eq!(last, at("2027-03-09T10:00:00Z")); // Fri, then Tue again
    }

    #[test]
    fn next_departure_respects_day_time_and_cutoff() {
        // Tue and Fri at 18:00 Shanghai time, 24 h cut-off.
        let s = weekly(&[Weekday::Tue, Weekday::Fri], 18 * 60, 24.0);
        let v = Validity::default();
        // Ready Monday 2027-03-01 08:00 +08: Tuesday's 18:00 sailing is 34 h away.
        assert_eq!(
            s.next_departure(at("2027-03-01T00:00:00Z"), &shanghai(), &v),
            NextDeparture::At(at("2027-03-02T10:00:00Z"))
        );
        // Ready Monday 19:00 +08: Tuesday 18:00 is 23 h away, inside the cut-off: Friday.
        assert_eq!(
            s.next_departure(at("2027-03-01T11:00:00Z"), &shanghai(), &v),
            NextDeparture::At(at("2027-03-05T10:00:00Z"))
        );
        // Exactly at the cut-off still makes it.
        assert_eq!(
            s.next_departure(at("2027-03-01T10:00:00Z"), &shanghai(), &v),
            NextDeparture::At(at("2027-03-02T10:00:00Z"))
        );
    }

    #[test]
    fn local_time_follows_daylight_saving() {
        // Rotterdam, Monday 08:00 local: 07:00Z in winter, 06:00Z in summer.
        let ams = TimeZone::get("Europe/Amsterdam").unwrap();
        let s = weekly(&[Weekday::Mon], 8 * 60, 0.0);
        let v = Validity::default();
        assert_eq!(
            s.next_departure(at("2027-01-03T12:00:00Z"), &ams, &v),
            NextDeparture::At(at("2027-01-04T07:00:00Z"))
        );
        assert_eq!(
            s.next_departure(at("2027-07-04T12:00:00Z"), &ams, &v),
            NextDeparture::At(at("2027-07-05T06:00:00Z"))
        );
    }

    #[test]
    fn a_blank_sailing_moves_the_cargo_to_the_next_departure_beyond_the_usual_wait() {
        let s = weekly(&[Weekday::Wed], 20 * 60, 24.0);
        let d = |text: &str| text.parse::<Date>().unwrap();
        let blank = Validity {
            closed: vec![(d("2027-02-06"), d("2027-02-14"))],
            ..Validity::default()
        };
        // Ready Thursday 4 Feb: Wednesday 10 Feb is blanked; the cargo waits for the 17th,
        // 13 days on, although a regular wait is at most 8.
        let departs = s.next_departure(at("2027-02-04T00:00:00Z"), &shanghai(), &blank);
        assert_eq!(departs, NextDeparture::At(at("2027-02-17T12:00:00Z")));
        // A scenario's suspension of the same dates takes the service out of use instead.
        let suspended = Validity {
            suspended: blank.closed.clone(),
            ..Validity::default()
        };
        assert!(matches!(
            s.next_departure(at("2027-02-04T00:00:00Z"), &shanghai(), &suspended),
            NextDeparture::OutsideValidity { next: Some(_) }
        ));
    }

    #[test]
    fn a_truck_leaves_after_its_lead_time_unless_the_day_is_closed() {
        let truck = Schedule::OnDemand { lead_hours: 4.0 };
        let open = Validity::default();
        let ready = at("2027-02-03T00:00:00Z");
        assert_eq!(
            truck.next_departure(ready, &shanghai(), &open),
            NextDeparture::At(ready + 4 * 3600)
        );
        let holiday = Validity {
            closed: vec![("2027-02-03".parse().unwrap(), "2027-02-10".parse().unwrap())],
            ..Validity::default()
        };
        // Closed from the 3rd to the 10th (local): it leaves at the start of the 11th.
        assert_eq!(
            truck.next_departure(ready, &shanghai(), &holiday),
            NextDeparture::At(at("2027-02-10T16:00:00Z"))
        );
    }

    #[test]
    fn out_of_season_departures_are_refused_with_the_next_valid_one() {
        let s = weekly(&[Weekday::Fri], 8 * 60, 48.0);
        let v = Validity {
            season: Some(Season::parse("06-20..10-15").unwrap()),
            ..Validity::default()
        };
        match s.next_departure(at("2027-01-10T00:00:00Z"), &shanghai(), &v) {
            NextDeparture::OutsideValidity { next: Some(next) } => {
                let date = Timestamp::from_second(next)
                    .unwrap()
                    .to_zoned(shanghai())
                    .date();
                assert_eq!(
                    (date.month(), date.day()),
                    (6, 25),
                    "first Friday in season"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.next_departure(at("2027-08-01T00:00:00Z"), &shanghai(), &v),
            NextDeparture::At(_)
        ));
    }

    #[test]
    fn seasons_parse_and_wrap_over_new_year() {
        let winter = Season::parse("12-01..02-28").unwrap();
        assert!(winter.contains(Date::constant(2027, 1, 15)));
        assert!(!winter.contains(Date::constant(2027, 6, 15)));
        assert!(Season::parse("13-01..02-01").is_err());
        assert!(Season::parse("07-01").is_err());
    }

    mod arithmetic {
        use super::*;
        use proptest::prelude::*;

        /// A day between 2026 and 2028.
        fn day() -> impl Strategy<Value = Date> {
            (0i32..3 * 365).prop_map(|n| {
                Date::constant(2026, 1, 1)
                    .checked_add(jiff::Span::new().days(n))
                    .unwrap()
            })
        }

        fn period() -> impl Strategy<Value = (Date, Date)> {
            (day(), 0i32..20).prop_map(|(from, len)| {
                (from, from.checked_add(jiff::Span::new().days(len)).unwrap())
            })
        }

        fn validity() -> impl Strategy<Value = Validity> {
            let season = prop::option::of((1i8..=12, 1i8..=28, 1i8..=12, 1i8..=28).prop_map(
                |(m1, d1, m2, d2)| Season {
                    first: (m1, d1),
                    last: (m2, d2),
                },
            ));
            (
                season,
                prop::option::of(day()),
                prop::option::of(day()),
                prop::collection::vec(period(), 0..4),
                prop::collection::vec(period(), 0..2),
            )
                .prop_map(|(season, first_date, last_date, closed, suspended)| {
                    Validity {
                        season,
                        first_date,
                        last_date,
                        closed,
                        suspended,
                    }
                })
        }

        fn schedule() -> impl Strategy<Value = Schedule> {
            prop_oneof![
                (0u8..128, 0u16..24 * 60).prop_map(|(mask, minute)| weekly(
                    &Weekday::ALL
                        .into_iter()
                        .filter(|d| mask & 1 << *d as u8 != 0)
                        .collect::<Vec<_>>(),
                    minute,
                    0.0
                )),
                Just(Schedule::OnDemand { lead_hours: 0.0 }),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Wherever the arithmetic answers, the walk through civil days (jiff's own
            /// conversions) answers the same, for any offset, timetable and calendar.
            #[test]
            fn the_arithmetic_agrees_with_the_walk_through_civil_days(
                schedule in schedule(),
                validity in validity(),
                earliest in at("2026-01-01T00:00:00Z")..at("2029-01-01T00:00:00Z"),
                quarter_hours in -48i32..=56,
            ) {
                let offset = jiff::tz::Offset::from_seconds(quarter_hours * 900).unwrap();
                let tz = TimeZone::fixed(offset);
                let walked = schedule.walk_days(earliest, &tz, &validity);
                if let Some(found) = schedule.first_at_offset(earliest, (quarter_hours * 900).into(), &validity) {
                    prop_assert_eq!(found, walked);
                }
                prop_assert_eq!(schedule.next_departure(earliest, &tz, &validity), walked);
            }
        }

        /// Without a calendar the arithmetic answers every scheduled service by itself.
        #[test]
        fn without_a_calendar_no_question_is_left_to_the_walk() {
            let v = Validity::default();
            let s = weekly(&[Weekday::Sun], 0, 0.0);
            for hour in 0..24 * 8 {
                let earliest = at("2027-03-01T00:00:00Z") + hour * 3600;
                for s in [&s, &Schedule::OnDemand { lead_hours: 0.0 }] {
                    assert!(s.first_at_offset(earliest, 9 * 3600, &v).is_some());
                }
            }
        }
    }
}
