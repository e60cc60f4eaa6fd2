//! The tracking lifecycle engine: a pure function from (number, carrier, destination) to a
//! journey, and from a journey and an elapsed time to what a client sees.
//!
//! Nothing here is stored. A journey is rebuilt on every read, so a record stays small and a
//! client that reads the same tracking at the same virtual instant always gets the same bytes.
//! Scenario numbers (see the crate README) have a fixed, documented journey; every other
//! number follows a default path chosen and jittered by a hash of carrier and number.

use sha2::{Digest, Sha256};

use crate::carriers::{self, Carrier, CarrierKind};
use crate::model::Status;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The scenario a tracking number selects; see the table in the crate README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    Delivered,
    Exception,
    Undelivered,
    NotFound,
    Expired,
    LongHaul,
    Pickup,
    Default,
}

/// Suffixes are checked in this order: `UNDELIVERED` must win over `DELIVERED`.
const SUFFIXES: &[(&str, Scenario)] = &[
    ("UNDELIVERED", Scenario::Undelivered),
    ("DELIVERED", Scenario::Delivered),
    ("EXCEPTION", Scenario::Exception),
    ("NOTFOUND", Scenario::NotFound),
    ("EXPIRED", Scenario::Expired),
    ("LONGHAUL", Scenario::LongHaul),
    ("PICKUP", Scenario::Pickup),
];

impl Scenario {
    /// The scenario a number selects by its (case-insensitive) suffix.
    pub fn of(number: &str) -> Scenario {
        let upper = number.to_ascii_uppercase();
        SUFFIXES
            .iter()
            .find(|(suffix, _)| upper.ends_with(suffix))
            .map(|(_, scenario)| *scenario)
            .unwrap_or(Scenario::Default)
    }
}

/// Which carrier leg an event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leg {
    Origin,
    Destination,
}

/// The milestone fields of a carrier leg (`ItemReceived` …), named as on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    ItemReceived,
    ItemDispatched,
    DepartfromAirport,
    ArrivalfromAbroad,
    CustomsClearance,
    DestinationArrived,
}

impl Milestone {
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::ItemReceived => "ItemReceived",
            Milestone::ItemDispatched => "ItemDispatched",
            Milestone::DepartfromAirport => "DepartfromAirport",
            Milestone::ArrivalfromAbroad => "ArrivalfromAbroad",
            Milestone::CustomsClearance => "CustomsClearance",
            Milestone::DestinationArrived => "DestinationArrived",
        }
    }
}

/// A checkpoint the carrier reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub leg: Leg,
    pub description: &'static str,
    pub location: &'static str,
    pub milestone: Option<Milestone>,
}

/// One change of the computed state, `at` seconds after creation; status-only steps (the
/// first "not found" answer, expiry) carry no checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: i64,
    pub status: Status,
    pub substatus: &'static str,
    pub event: Option<Event>,
}

/// Everything the engine derives from a number, a carrier and a destination.
#[derive(Debug)]
pub struct Journey {
    pub origin_carrier: &'static Carrier,
    pub destination_carrier: Option<&'static Carrier>,
    pub origin_country: &'static str,
    pub destination_country: &'static str,
    pub steps: Vec<Step>,
}

impl Journey {
    /// Builds the journey of a tracking; `seed` (from the configuration) reshuffles default
    /// paths and jitter. Unknown carriers (which validation normally keeps
    /// out) fall back to the first carrier of the list so that reads never fail.
    pub fn of(
        number: &str,
        carrier_code: &str,
        destination_code: Option<&str>,
        seed: u64,
    ) -> Journey {
        let carrier = carriers::find(carrier_code).unwrap_or(&carriers::CARRIERS[0]);
        let seed = Seed::new(seed, carrier.code, number);
        let destination = destination_code.and_then(carriers::country);
        let scenario = Scenario::of(number);

        match scenario {
            Scenario::LongHaul => long_haul(carrier, &seed),
            Scenario::Default => default_path(carrier, number, destination, &seed),
            _ => {
                let country = carrier.country;
                let mut journey = Journey {
                    origin_carrier: carrier,
                    destination_carrier: None,
                    origin_country: country,
                    destination_country: destination.unwrap_or(country),
                    steps: scenario_steps(scenario, carriers::cities(country)),
                };
                seed.jitter(&mut journey.steps);
                journey
            }
        }
    }

    /// The computed status and substatus after `elapsed` seconds, and the number of steps
    /// already visible (a prefix of `steps`).
    pub fn at(&self, elapsed: i64) -> (Status, Option<&'static str>, usize) {
        let visible = self.steps.iter().take_while(|step| step.at <= elapsed).count();
        match visible.checked_sub(1).map(|last| &self.steps[last]) {
            Some(step) => (step.status, Some(step.substatus), visible),
            None => (Status::Pending, None, 0),
        }
    }

    /// The status changes strictly after `from` and up to `to` (seconds after creation), as
    /// (seconds after creation, new status), for webhooks.
    pub fn transitions(&self, from: i64, to: i64) -> Vec<(i64, Status)> {
        let mut current = self.at(from).0;
        let mut changes = Vec::new();
        for step in self.steps.iter().filter(|step| step.at > from && step.at <= to) {
            if step.status != current {
                current = step.status;
                changes.push((step.at, step.status));
            }
        }
        changes
    }
}

fn step(at: i64, status: Status, substatus: &'static str, event: Option<Event>) -> Step {
    Step { at, status, substatus, event }
}

fn origin(
    description: &'static str,
    location: &'static str,
    milestone: Option<Milestone>,
) -> Option<Event> {
    Some(Event { leg: Leg::Origin, description, location, milestone })
}

fn destination(
    description: &'static str,
    location: &'static str,
    milestone: Option<Milestone>,
) -> Option<Event> {
    Some(Event { leg: Leg::Destination, description, location, milestone })
}

/// The first hours every domestic scenario shares: pick-up, departure, sort centre.
fn first_day(cities: [&'static str; 3]) -> Vec<Step> {
    use Status::Transit;
    vec![
        step(
            HOUR,
            Transit,
            "transit001",
            origin("Shipment picked up", cities[0], Some(Milestone::ItemReceived)),
        ),
        step(9 * HOUR, Transit, "transit001", origin("Departed facility", cities[0], None)),
        step(20 * HOUR, Transit, "transit002", origin("Arrived at sort facility", cities[1], None)),
    ]
}

fn scenario_steps(scenario: Scenario, cities: [&'static str; 3]) -> Vec<Step> {
    use Status::*;
    let at_facility = |at| {
        step(
            at,
            Transit,
            "transit003",
            origin("Arrived at delivery facility", cities[2], Some(Milestone::DestinationArrived)),
        )
    };
    let mut steps = match scenario {
        Scenario::NotFound => return vec![step(HOUR, Notfound, "notfound002", None)],
        _ => first_day(cities),
    };
    match scenario {
        Scenario::Delivered => steps.extend([
            at_facility(44 * HOUR),
            step(66 * HOUR, Pickup, "pickup001", origin("Out for delivery", cities[2], None)),
            step(72 * HOUR, Delivered, "delivered001", origin("Delivered", cities[2], None)),
        ]),
        Scenario::Exception => steps.push(step(
            48 * HOUR,
            Exception,
            "exception007",
            origin("Shipment damaged during handling", cities[1], None),
        )),
        Scenario::Undelivered => steps.extend([
            at_facility(44 * HOUR),
            step(54 * HOUR, Pickup, "pickup001", origin("Out for delivery", cities[2], None)),
            step(
                60 * HOUR,
                Undelivered,
                "undelivered001",
                origin(
                    "Delivery attempted - recipient not available, notice left",
                    cities[2],
                    None,
                ),
            ),
        ]),
        Scenario::Expired => steps.push(step(30 * DAY, Expired, "expired001", None)),
        Scenario::Pickup => steps.extend([
            at_facility(40 * HOUR),
            step(
                50 * HOUR,
                Pickup,
                "pickup002",
                origin("Arrived at pickup point, awaiting collection", cities[2], None),
            ),
        ]),
        _ => {}
    }
    steps
}

/// China to Spain by post: both legs, about twelve days.
fn long_haul(carrier: &'static Carrier, seed: &Seed) -> Journey {
    use Status::*;
    let mut steps = vec![
        step(
            2 * HOUR,
            Transit,
            "transit001",
            origin("Posting/Collection", "SHENZHEN", Some(Milestone::ItemReceived)),
        ),
        step(DAY, Transit, "transit002", origin("Arrival at processing centre", "GUANGZHOU", None)),
        step(
            2 * DAY,
            Transit,
            "transit001",
            origin(
                "Departure from outward office of exchange",
                "GUANGZHOU",
                Some(Milestone::ItemDispatched),
            ),
        ),
        step(
            3 * DAY,
            Transit,
            "transit001",
            origin("Handed over to airline", "GUANGZHOU", Some(Milestone::DepartfromAirport)),
        ),
        step(
            5 * DAY,
            Transit,
            "transit004",
            origin(
                "Arrival at inward office of exchange",
                "MADRID",
                Some(Milestone::ArrivalfromAbroad),
            ),
        ),
        step(
            5 * DAY + 4 * HOUR,
            Transit,
            "transit004",
            destination("Arrived in destination country", "MADRID", None),
        ),
        step(
            7 * DAY,
            Transit,
            "transit005",
            destination("Customs clearance completed", "MADRID", Some(Milestone::CustomsClearance)),
        ),
        step(
            9 * DAY,
            Transit,
            "transit002",
            destination("In transit to delivery office", "MADRID", None),
        ),
        step(
            10 * DAY,
            Transit,
            "transit003",
            destination(
                "Arrived at delivery office",
                "BARCELONA",
                Some(Milestone::DestinationArrived),
            ),
        ),
        step(
            11 * DAY + 3 * HOUR,
            Pickup,
            "pickup001",
            destination("Out for delivery", "BARCELONA", None),
        ),
        step(12 * DAY, Delivered, "delivered001", destination("Delivered", "BARCELONA", None)),
    ];
    seed.jitter(&mut steps);
    Journey {
        origin_carrier: carrier,
        destination_carrier: carriers::find("correos-spain"),
        origin_country: "CN",
        destination_country: "ES",
        steps,
    }
}

/// Everything that is not a scenario number: a domestic express delivery in two to four days
/// (one in eight with a failed first attempt), or, for posts sending abroad, an
/// international journey of nine to fifteen days through both legs.
fn default_path(
    carrier: &'static Carrier,
    number: &str,
    wanted: Option<&'static str>,
    seed: &Seed,
) -> Journey {
    let home = carrier.country;
    let abroad = wanted.filter(|code| !code.eq_ignore_ascii_case(home)).or_else(|| {
        let looks_postal = carrier.kind == CarrierKind::Globalpost && number.len() == 13;
        looks_postal.then(|| {
            let choices = ["US", "GB", "DE", "FR", "ES", "AU", "CA", "JP"];
            let choices: Vec<_> = choices.into_iter().filter(|code| *code != home).collect();
            choices[(seed.pick(0) % choices.len() as u64) as usize]
        })
    });
    let mut journey = match abroad {
        Some(country) => international(carrier, country, seed),
        None => domestic(carrier, wanted, seed),
    };
    seed.jitter(&mut journey.steps);
    journey
}

/// Both legs: the origin post hands over to the destination country's post.
fn international(carrier: &'static Carrier, country: &'static str, seed: &Seed) -> Journey {
    use Status::*;
    let home = carrier.country;
    let mut steps = first_day(carriers::cities(home));
    let there = carriers::cities(country);
    let days = 9 + (seed.pick(1) % 7) as i64;
    steps.extend([
        step(
            2 * DAY,
            Transit,
            "transit001",
            origin(
                "Departure from outward office of exchange",
                carriers::cities(home)[1],
                Some(Milestone::ItemDispatched),
            ),
        ),
        step(
            3 * DAY,
            Transit,
            "transit001",
            origin(
                "Handed over to airline",
                carriers::cities(home)[1],
                Some(Milestone::DepartfromAirport),
            ),
        ),
        step(
            (days - 5) * DAY,
            Transit,
            "transit004",
            destination(
                "Arrived in destination country",
                there[0],
                Some(Milestone::ArrivalfromAbroad),
            ),
        ),
        step(
            (days - 3) * DAY,
            Transit,
            "transit005",
            destination("Customs clearance completed", there[0], Some(Milestone::CustomsClearance)),
        ),
        step(
            (days - 1) * DAY,
            Transit,
            "transit003",
            destination(
                "Arrived at delivery office",
                there[2],
                Some(Milestone::DestinationArrived),
            ),
        ),
        step(
            days * DAY - 6 * HOUR,
            Pickup,
            "pickup001",
            destination("Out for delivery", there[2], None),
        ),
        step(days * DAY, Delivered, "delivered001", destination("Delivered", there[2], None)),
    ]);
    Journey {
        origin_carrier: carrier,
        destination_carrier: carriers::national_post(country),
        origin_country: home,
        destination_country: country,
        steps,
    }
}

/// One leg inside the carrier's country, sometimes with a failed first attempt.
fn domestic(carrier: &'static Carrier, wanted: Option<&'static str>, seed: &Seed) -> Journey {
    use Status::*;
    let home = carrier.country;
    let mut steps = first_day(carriers::cities(home));
    let cities = carriers::cities(home);
    let hours = 48 + (seed.pick(1) % 48) as i64;
    steps.push(step(
        (hours - 14) * HOUR,
        Transit,
        "transit003",
        origin("Arrived at delivery facility", cities[2], Some(Milestone::DestinationArrived)),
    ));
    let mut delivered_at = hours * HOUR;
    if seed.pick(2).is_multiple_of(8) {
        steps.push(step(
            delivered_at - 6 * HOUR,
            Pickup,
            "pickup001",
            origin("Out for delivery", cities[2], None),
        ));
        steps.push(step(
            delivered_at,
            Undelivered,
            "undelivered001",
            origin("Delivery attempted - recipient not available, notice left", cities[2], None),
        ));
        delivered_at += DAY;
    }
    steps.push(step(
        delivered_at - 6 * HOUR,
        Pickup,
        "pickup001",
        origin("Out for delivery", cities[2], None),
    ));
    steps.push(step(
        delivered_at,
        Delivered,
        "delivered003",
        origin("Delivered, signed for by recipient", cities[2], None),
    ));
    Journey {
        origin_carrier: carrier,
        destination_carrier: None,
        origin_country: home,
        destination_country: wanted.unwrap_or(home),
        steps,
    }
}

/// A hash of the configured seed, carrier and number, the only source of variation in the
/// engine.
struct Seed([u8; 32]);

impl Seed {
    fn new(seed: u64, carrier: &str, number: &str) -> Seed {
        // Seed 0 (the default) adds nothing, so default journeys do not depend on it.
        let seed = if seed == 0 { Vec::new() } else { seed.to_le_bytes().to_vec() };
        let digest = Sha256::new()
            .chain_update(seed)
            .chain_update(carrier.as_bytes())
            .chain_update(b"/")
            .chain_update(number.to_ascii_uppercase().as_bytes())
            .finalize();
        Seed(digest.into())
    }

    /// The `index`-th 64-bit number drawn from the hash (four are available).
    fn pick(&self, index: usize) -> u64 {
        let start = (index % 4) * 8;
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&self.0[start..start + 8]);
        u64::from_le_bytes(bytes)
    }

    /// Moves every step by up to 50 minutes and a few seconds so that dates look real; steps
    /// are at least an hour apart, so the order never changes.
    fn jitter(&self, steps: &mut [Step]) {
        for (index, step) in steps.iter_mut().enumerate() {
            let byte = i64::from(self.0[index % 32]);
            let seconds = i64::from(self.0[(index + 7) % 32] % 60);
            step.at += byte * 50 * 60 / 256 + seconds;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_select_scenarios() {
        assert_eq!(Scenario::of("SBX1DELIVERED"), Scenario::Delivered);
        assert_eq!(Scenario::of("sbx-undelivered"), Scenario::Undelivered);
        assert_eq!(Scenario::of("LX6LONGHAUL"), Scenario::LongHaul);
        assert_eq!(Scenario::of("RB778200154SG"), Scenario::Default);
    }

    #[test]
    fn transitions_list_each_change_once() {
        let journey = Journey::of("SBX1DELIVERED", "dhl", None, 0);
        let statuses: Vec<Status> =
            journey.transitions(0, 4 * DAY).into_iter().map(|(_, status)| status).collect();
        assert_eq!(statuses, [Status::Transit, Status::Pickup, Status::Delivered]);
        assert!(journey.transitions(4 * DAY, 40 * DAY).is_empty());
        assert_eq!(journey.at(0).0, Status::Pending);
    }

    #[test]
    fn every_journey_is_ordered_in_time() {
        let numbers = ["RB778200154SG", "1Z92X1280365559001", "402934299065", "LX418823107CN"];
        for carrier in carriers::CARRIERS {
            for number in numbers.iter().chain(&["SBXDELIVERED", "SBXLONGHAUL", "SBXPICKUP"]) {
                let journey = Journey::of(number, carrier.code, Some("ES"), 7);
                let times: Vec<i64> = journey.steps.iter().map(|step| step.at).collect();
                assert!(
                    times.windows(2).all(|pair| pair[0] < pair[1]),
                    "{number} {}",
                    carrier.code
                );
            }
        }
    }
}
