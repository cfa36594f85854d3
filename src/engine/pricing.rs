//! Pricing a network for one query: which services may carry this shipment under these
//! constraints (and, when they may not, the typed reason), what each leg costs, how many
//! departures the shipment needs, and the sea services re-pathed around avoided passages.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::bounds::Prepared;
use super::{Exclusion, RouteQuery};
use crate::cost::{leg_cost, product, LegCost, Product};
use crate::model::{
    AirCapacity, CargoSpec, Instant, Mode, Network, Repath, Service, ServiceId, TerminalId,
    SECONDS_PER_HOUR,
};

/// Why a service cannot take a query's shipment: the engine's vocabulary. The API words
/// these and names the request fields responsible.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Not one of the allowed modes.
    Mode(Mode),
    /// It sells nothing for this cargo: full containers on an aircraft, loose cargo on a
    /// service without LCL, air or courier rates.
    CargoType {
        containers: bool,
    },
    Reefer,
    /// The class is not one it accepts (or the class was not declared and it does not take
    /// every class).
    DangerousGoods {
        class: Option<u8>,
    },
    /// "Cargo Aircraft Only" packages on passenger-aircraft capacity.
    CargoAircraftOnly,
    /// An exploratory line (its reason is the service's `flags.exploratory`).
    Exploratory,
    /// It calls at an avoided terminal or country.
    Location(TerminalId),
    /// It runs through a jurisdiction the cargo's destination may not be reached through
    /// (the index of the model's `transit_bans`).
    TransitBan(usize),
    /// The shipment must travel together and one departure cannot take it.
    Capacity {
        needed: f64,
        per_departure: f64,
        unit: &'static str,
    },
    /// No departure within the wait limit falls in its season or dates.
    Season {
        next: Option<Instant>,
    },
    /// Moved off its usual path around avoided passages (still used).
    Repathed {
        via: Vec<String>,
        distance_km: f64,
        usual_km: f64,
    },
    /// It crosses avoided passages and cannot be re-pathed.
    Passage {
        crosses: Vec<String>,
        why: RepathFailure,
    },
}

/// Why a sea service could not be moved off an avoided passage.
#[derive(Debug, Clone, PartialEq)]
pub enum RepathFailure {
    NoLaneLayer,
    NoPathAvoiding(Vec<String>),
    /// Arctic services exist for the Arctic: without their passage they are another line.
    OnlyRunsVia(String),
}

/// How one service fares in the current query.
#[derive(Debug, Clone)]
pub(super) struct PricedService {
    /// The static part of the leg (charges, CO2, in motion, border, discharge dwell), with
    /// the charges of a through movement's first leg.
    pub cost: LegCost,
    pub product: Product,
    /// Counts towards the transfer limit (every leg but drayage).
    pub main_leg: bool,
    pub repath: Option<Arc<Repath>>,
    /// Seconds from departure to arrival (border formalities included), then to discharge:
    /// rounded once here, since a search reads them for every leg it times or bounds.
    pub ride_seconds: i64,
    pub discharge_seconds: i64,
    /// Departures the shipment is spread over (1 unless one departure cannot take it all).
    pub departures: u32,
    /// The through movement the service belongs to, and what a leg continuing it does not
    /// pay again (the charges levied once per movement: reefer, dangerous goods, the
    /// consignment note).
    pub through: Option<u32>,
    pub continuation_discount_usd: f64,
    /// `cost.cost.total_usd()`, summed once: the search reads it for every leg it relaxes.
    total_usd: f64,
}

impl PricedService {
    fn new(
        cost: LegCost,
        product: Product,
        main_leg: bool,
        repath: Option<Arc<Repath>>,
        departures: u32,
        through: Option<u32>,
    ) -> Self {
        let t = cost.time;
        PricedService {
            ride_seconds: ((t.in_motion_hours + t.border_hours) * SECONDS_PER_HOUR).round() as i64,
            discharge_seconds: (t.handling_hours * SECONDS_PER_HOUR).round() as i64,
            continuation_discount_usd: through.map_or(0.0, |_| {
                let c = &cost.cost;
                c.reefer_usd + c.dangerous_goods_usd + c.documentation_usd
            }),
            total_usd: cost.cost.total_usd(),
            cost,
            product,
            main_leg,
            repath,
            departures,
            through,
        }
    }

    /// Whether a leg on this service after a leg on `previous` continues one through movement.
    pub fn continues(&self, previous: Option<u32>) -> bool {
        self.through.is_some() && self.through == previous
    }

    /// The charges of the leg; a continuation of a through movement pays the movement's
    /// once-only charges on its first leg only.
    pub fn cost_usd(&self, previous: Option<u32>) -> f64 {
        let total = self.total_usd;
        if self.continues(previous) {
            total - self.continuation_discount_usd
        } else {
            total
        }
    }

    /// The least the leg can cost, whatever came before (for lower bounds).
    pub fn least_cost_usd(&self) -> f64 {
        self.total_usd - self.continuation_discount_usd
    }

    /// The least (seconds riding and discharging, charges, CO2) of the leg, for lower bounds.
    pub fn bound_weights(&self) -> (f64, f64, f64) {
        (
            (self.ride_seconds + self.discharge_seconds) as f64,
            self.least_cost_usd(),
            self.cost.co2_kg,
        )
    }

    /// The leg's cost as it is charged after `previous` (the once-per-movement lines cleared
    /// on a continuation).
    pub fn leg_cost(&self, previous: Option<u32>) -> LegCost {
        let mut cost = self.cost;
        if self.continues(previous) {
            cost.cost.reefer_usd = 0.0;
            cost.cost.dangerous_goods_usd = 0.0;
            cost.cost.documentation_usd = 0.0;
        }
        cost
    }
}

pub(super) fn terminal_allowed(network: &Network, query: &RouteQuery, t: TerminalId) -> bool {
    let c = &query.constraints;
    !c.avoid_terminals.contains(&t) && !c.avoid_countries.contains(&network.terminal(t).country)
}

/// Why a service may not carry this query's shipment, if it may not (passages are handled by
/// re-pathing, capacity once the product is known). `bans` is the mask of the transit bans
/// that apply to the query's destination.
fn refusal(network: &Network, query: &RouteQuery, s: &Service, bans: u64) -> Option<Refusal> {
    let c = &query.constraints;
    let shipment = &query.shipment;
    if !(s.drayage || c.allowed_modes.is_empty() || c.allowed_modes.contains(&s.mode)) {
        return Some(Refusal::Mode(s.mode));
    }
    if shipment.is_reefer() && !(s.flags.reefer || s.drayage) {
        return Some(Refusal::Reefer);
    }
    if let Some(dg) = &shipment.dangerous_goods {
        if !s.drayage && !s.flags.dangerous_goods.accepts(dg) {
            let passenger_only_refuses_cao = dg.cargo_aircraft_only
                && s.flags.air_capacity == Some(AirCapacity::Belly)
                && s.flags
                    .dangerous_goods
                    .accepts(&crate::model::DangerousGoods {
                        cargo_aircraft_only: false,
                        ..*dg
                    });
            return Some(if passenger_only_refuses_cao {
                Refusal::CargoAircraftOnly
            } else {
                Refusal::DangerousGoods { class: dg.class }
            });
        }
    }
    if s.is_exploratory() && !c.include_exploratory {
        return Some(Refusal::Exploratory);
    }
    let barred = bans & (network.transit_ban_mask(s.from) | network.transit_ban_mask(s.to));
    if barred != 0 {
        return Some(Refusal::TransitBan(barred.trailing_zeros() as usize));
    }
    [s.from, s.to]
        .into_iter()
        .find(|&t| !terminal_allowed(network, query, t))
        .map(Refusal::Location)
}

/// The transit bans (bit i: ban i) that apply to the query's cargo: those protecting a
/// jurisdiction its destination is in.
fn applicable_bans(network: &Network, query: &RouteQuery) -> u64 {
    bans_for(network, &query.destinations)
}

/// The transit bans (bit i: ban i) cargo bound for any of `destinations` is subject to:
/// destinations with the same mask can share one search (one-to-many questions group by it).
pub(super) fn bans_for(network: &Network, destinations: &[TerminalId]) -> u64 {
    network
        .params()
        .transit_bans
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, ban)| {
            destinations
                .iter()
                .any(|&d| ban.applies_to(&network.terminal(d).country))
        })
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// The most departures one leg may spread a shipment over: beyond that the service is too small
/// for the shipment (a forwarder would book another line), and each departure is a timetable
/// lookup every time the search times the leg.
pub const MAX_DEPARTURES_PER_LEG: u32 = 12;

/// How many departures of `s` the shipment needs, or the refusal when it must travel
/// together and does not fit one, or would need more than [`MAX_DEPARTURES_PER_LEG`].
fn departures_needed(
    network: &Network,
    query: &RouteQuery,
    s: &Service,
    product: Product,
) -> Result<u32, Refusal> {
    let params = network.params();
    let shipment = &query.shipment;
    if product == Product::Express {
        return Ok(1); // a courier's network, not one vehicle
    }
    // (needed, per departure, unit) for each limit that applies.
    let needs: [Option<(f64, f64, &'static str)>; 2] = match shipment.cargo {
        CargoSpec::Loose {
            weight_kg,
            volume_m3,
            ..
        } if s.mode == Mode::Air => [
            s.capacity.kg.map(|cap| (weight_kg, cap, "kg")),
            s.capacity.m3.map(|cap| (volume_m3, cap, "m3")),
        ],
        _ => [
            s.capacity.teu.map(|cap| (shipment.teu(params), cap, "TEU")),
            None,
        ],
    };
    let mut departures = 1.0f64;
    for (needed, per_departure, unit) in needs.into_iter().flatten() {
        let n = (needed / per_departure - 1e-9).ceil().max(1.0);
        if (n > 1.0 && shipment.keep_together) || n > f64::from(MAX_DEPARTURES_PER_LEG) {
            return Err(Refusal::Capacity {
                needed,
                per_departure,
                unit,
            });
        }
        departures = departures.max(n);
    }
    Ok(departures as u32)
}

/// Re-derives a sea service's path for this query: `Ok(None)` when its usual path serves
/// (it crosses no passage the query avoids, and the query does not ask to go back through
/// passages the usual path goes round on advice), `Err` when the lanes offer no way. The
/// advisories themselves were applied when the usual path was derived.
fn repath(
    network: &Network,
    query: &RouteQuery,
    s: &Service,
) -> Result<Option<Arc<Repath>>, Refusal> {
    let avoided = &query.constraints.avoid_passages;
    let through_advised = s
        .path_through_advised
        .as_ref()
        .filter(|_| query.constraints.ignore_advisories);
    let crosses_avoided = |passages: &[String]| passages.iter().any(|p| avoided.contains(p));
    match through_advised {
        None if !crosses_avoided(&s.passages) => return Ok(None),
        // Back through the passages carriers avoid: the path derived at load serves unless
        // it crosses a passage the query avoids.
        Some(through) if !crosses_avoided(&through.passages) => {
            return Ok(Some(Arc::clone(through)))
        }
        _ => {}
    }
    let crossing: Vec<String> = s
        .passages
        .iter()
        .filter(|p| avoided.contains(p))
        .cloned()
        .collect();
    let fail = |why| Refusal::Passage {
        crosses: if crossing.is_empty() {
            s.advised_around.clone()
        } else {
            crossing.clone()
        },
        why,
    };
    let infrastructure = network
        .infrastructure()
        .ok_or_else(|| fail(RepathFailure::NoLaneLayer))?;
    let lanes = &infrastructure.sea;
    let (a, b) = (
        network.terminal(s.from).position,
        network.terminal(s.to).position,
    );
    let closed = |p: &str| avoided.iter().any(|v| v == p) || !s.may_pass(p);
    let no_way_round = || fail(RepathFailure::NoPathAvoiding(avoided.clone()));
    let (path, _, _) = lanes
        .route_between(a, b, |p| !closed(p))
        .ok_or_else(no_way_round)?;
    if path.passages.iter().any(|p| closed(p)) {
        return Err(no_way_round());
    }
    if let Some(missing) = s.sea_via.iter().find(|v| !path.passages.contains(v)) {
        return Err(fail(RepathFailure::OnlyRunsVia(missing.clone())));
    }
    Ok(Some(Arc::new(
        Repath::new(path).measured(&infrastructure.emission_control_areas),
    )))
}

/// One service's price for a query, filled the first time a search reaches the service.
/// Boxed, so that a table of the network's slots is small until searches fill it.
pub(super) type PriceSlot = OnceLock<Option<Box<PricedService>>>;

/// What a pricing table records of the prices it takes.
enum Ledger<'a> {
    /// A shared table counts them (what the cache entry occupies).
    Shared(&'a AtomicUsize),
    /// A thread's private table lists the slots filled, to empty when its next query starts.
    Private(&'a RefCell<Vec<u32>>),
}

/// The services of one query's network, each priced for the query when a search first reaches
/// it: a query that touches a handful of terminals prices a handful of services, not the
/// network. Prices depend only on what the bounds cache is keyed by (`bounds::BoundsKey`),
/// so queries that share the key share one table, kept with their bounds: after the first
/// such query, the next ones price nothing. A query that explains prices into its thread's
/// private table instead, since it records every refusal as it prices.
pub(super) struct Pricing<'a> {
    network: &'a Network,
    query: &'a RouteQuery,
    /// Per service, the index of its through movement (see `Planner`).
    through: &'a [Option<u32>],
    /// The transit bans that apply to the query's destinations.
    bans: u64,
    year: i16,
    slots: &'a [PriceSlot],
    /// What the table records of the prices it takes.
    ledger: Ledger<'a>,
    /// Why services were refused, when the query asks to explain.
    exclusions: RefCell<Vec<Exclusion>>,
}

impl<'a> Pricing<'a> {
    /// Pricing into the table shared by the queries of `prepared`'s key.
    pub fn shared(
        network: &'a Network,
        query: &'a RouteQuery,
        through: &'a [Option<u32>],
        prepared: &'a Prepared,
    ) -> Self {
        let ledger = Ledger::Shared(&prepared.priced_count);
        Self::over(network, query, through, &prepared.priced, ledger)
    }

    /// Pricing into this thread's private table.
    pub fn private(
        network: &'a Network,
        query: &'a RouteQuery,
        through: &'a [Option<u32>],
        slots: &'a PricingSlots,
    ) -> Self {
        let ledger = Ledger::Private(&slots.filled);
        Self::over(network, query, through, &slots.slots, ledger)
    }

    fn over(
        network: &'a Network,
        query: &'a RouteQuery,
        through: &'a [Option<u32>],
        slots: &'a [PriceSlot],
        ledger: Ledger<'a>,
    ) -> Self {
        Pricing {
            network,
            query,
            through,
            bans: applicable_bans(network, query),
            year: query.emission_year(),
            slots: &slots[..network.services().len()],
            ledger,
            exclusions: RefCell::new(Vec::new()),
        }
    }

    /// The service as this query may use it, or `None` when it may not.
    pub fn get(&self, id: ServiceId) -> Option<&PricedService> {
        self.slots[id.index()]
            .get_or_init(|| {
                let priced = self.price(id).map(Box::new);
                match self.ledger {
                    Ledger::Private(filled) => filled.borrow_mut().push(id.0),
                    Ledger::Shared(count) if priced.is_some() => {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                    Ledger::Shared(_) => {}
                }
                priced
            })
            .as_deref()
    }

    /// What the lower bounds need of every service, in one pass over the network (priced
    /// services are read, the others priced and dropped, so the table holds only what
    /// searches reach): per service, `None` if the query may not use it, else its least
    /// (seconds riding and discharging, charges, CO2).
    pub fn bound_weights(&self) -> Vec<Option<(f64, f64, f64)>> {
        self.network
            .service_ids()
            .map(|id| match self.slots[id.index()].get() {
                Some(priced) => priced.as_deref().map(PricedService::bound_weights),
                None => self.price(id).as_ref().map(PricedService::bound_weights),
            })
            .collect()
    }

    /// Prices every service (an explanation reports every refusal, reached or not).
    pub fn price_all(&self) {
        for id in self.network.service_ids() {
            self.get(id);
        }
    }

    /// The refusals recorded so far (only when the query explains).
    pub fn take_exclusions(&self) -> Vec<Exclusion> {
        self.exclusions.take()
    }

    fn refuse(&self, id: ServiceId, refusal: Refusal) {
        if self.query.explain {
            self.exclusions
                .borrow_mut()
                .push(Exclusion::service(id, refusal));
        }
    }

    fn price(&self, id: ServiceId) -> Option<PricedService> {
        let (network, query) = (self.network, self.query);
        let s = network.service(id);
        if let Some(refused) = refusal(network, query, s, self.bans) {
            self.refuse(id, refused);
            return None;
        }
        let Some(product) = product(network, s, &query.shipment) else {
            self.refuse(
                id,
                Refusal::CargoType {
                    containers: query.shipment.is_containers(),
                },
            );
            return None;
        };
        let departures = match departures_needed(network, query, s, product) {
            Ok(n) => n,
            Err(refused) => {
                self.refuse(id, refused);
                return None;
            }
        };
        let through = self.through[id.index()];
        let priced = |service: &Service| {
            let mut cost = leg_cost(network, service, &query.shipment, product, self.year);
            cost.co2_kg = cost.emissions.in_basis(query.co2_basis);
            cost
        };
        match repath(network, query, s) {
            Ok(None) => Some(PricedService::new(
                priced(s),
                product,
                !s.drayage,
                None,
                departures,
                through,
            )),
            Ok(Some(r)) => {
                let mut moved = s.clone();
                moved.follow(&r);
                self.refuse(
                    id,
                    Refusal::Repathed {
                        via: r.passages.clone(),
                        distance_km: r.distance_km,
                        usual_km: s.distance_km,
                    },
                );
                Some(PricedService::new(
                    priced(&moved),
                    product,
                    true,
                    Some(r),
                    departures,
                    through,
                ))
            }
            Err(refused) => {
                self.refuse(id, refused);
                None
            }
        }
    }
}

/// A thread's private pricing table (for queries that explain): one slot per service, filled
/// on first use and emptied before the next query.
#[derive(Default)]
pub(super) struct PricingSlots {
    slots: Vec<PriceSlot>,
    filled: RefCell<Vec<u32>>,
}

impl PricingSlots {
    /// Empties what the last query filled and makes room for `services` services.
    pub fn prepare(&mut self, services: usize) {
        for i in self.filled.get_mut().drain(..) {
            if let Some(slot) = self.slots.get_mut(i as usize) {
                slot.take();
            }
        }
        if self.slots.len() < services {
            self.slots.resize_with(services, OnceLock::new);
        }
    }
}
