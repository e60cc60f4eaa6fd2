//! The sandbox every benchmark talks to: rate limits off, a large quota, and trackings
//! seeded straight into its store rather than created over HTTP.

use std::time::Duration;

use trackingmore_sandbox::{Config, RateLimits, Sandbox, SandboxError};

/// The carrier of every seeded tracking.
pub const CARRIER: &str = "dhl";

/// The prefix of every seeded tracking number.
pub const PREFIX: &str = "BENCH";

/// How far the virtual clock is moved after seeding: 40 hours puts the default journeys in
/// transit with a handful of checkpoints each, so a tracking's body is the size a client
/// usually reads rather than an empty pending record.
pub const CLOCK_ADVANCE: Duration = Duration::from_secs(40 * 3600);

/// The number of the `n`-th seeded tracking (from 0).
pub fn number(n: u64) -> String {
    format!("{PREFIX}{n:010}")
}

/// The tracking number every GET-one benchmark reads.
pub fn probe_number() -> String {
    number(7)
}

/// A sandbox configuration for benchmarks: rate limits off and `quota` units of quota.
pub fn config(quota: u64) -> Config {
    Config::default().rate_limits(RateLimits::off()).quota(quota)
}

/// Starts a sandbox on `127.0.0.1:0` holding `records` seeded trackings, with the clock
/// moved on by [`CLOCK_ADVANCE`].
pub async fn seeded_sandbox(records: u64, quota: u64) -> Result<Sandbox, SandboxError> {
    let sandbox = Sandbox::start(config(quota)).await?;
    let admin = sandbox.admin();
    admin.seed_trackings(&sandbox.api_key(), CARRIER, PREFIX, records)?;
    admin.advance_clock(CLOCK_ADVANCE)?;
    Ok(sandbox)
}
