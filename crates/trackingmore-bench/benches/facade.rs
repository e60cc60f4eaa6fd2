//! The facade's cost per call: `client.trackings().get(…)` against a bare reqwest call that
//! decodes the same generated type, both reading one tracking from an in-process sandbox.
//!
//! A third side is the bare call with a per-request timeout, as the facade sets one on every
//! attempt for its deadline: it shows how much of the difference the timer accounts for.
//!
//! The sides run interleaved, call by call, in every benchmark function: `facade` reports
//! the time its calls took, `plain` the time of theirs, out of the same rounds. On a shared
//! machine the time of one call drifts by a fifth from one second to the next; measured a
//! call apart, every side meets the same drift. Every sample's totals are also written to
//! `$CRITERION_HOME/get-one-samples.txt`, from which `cargo xtask bench` takes the ratios:
//! the median of the samples' own ratios.

use std::hint::black_box;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use trackingmore::types;
use trackingmore_bench::fixture;
use trackingmore_sandbox::{API_KEY_HEADER, Sandbox};

struct Setup {
    runtime: Runtime,
    _sandbox: Sandbox,
    client: trackingmore::Client,
    http: reqwest::Client,
    http_timeout: reqwest::Client,
    url: String,
    key: String,
    number: String,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let sandbox = runtime.block_on(fixture::seeded_sandbox(100, 10_000)).expect("a sandbox");
    let (base, key, number) = (sandbox.base_url(), sandbox.api_key(), fixture::probe_number());
    let client = trackingmore::Client::new(&base, &key).expect("a client");
    let url = format!("{base}/trackings/{}/{number}", fixture::CARRIER);
    let http_timeout = reqwest::Client::builder()
        .timeout(trackingmore::DEFAULT_TIMEOUT)
        .build()
        .expect("a reqwest client");
    let http = reqwest::Client::new();
    Setup { runtime, _sandbox: sandbox, client, http, http_timeout, url, key, number }
}

async fn facade(setup: &Setup) -> types::Tracking {
    let response = setup.client.trackings().get(fixture::CARRIER, &setup.number).await;
    response.expect("the facade reads the tracking").into_inner()
}

async fn plain(setup: &Setup, http: &reqwest::Client) -> types::Tracking {
    let response = http
        .get(&setup.url)
        .header(API_KEY_HEADER, &setup.key)
        .send()
        .await
        .expect("reqwest sends");
    let body = response.bytes().await.expect("reqwest reads the body");
    let envelope: types::GetTrackingResponse =
        serde_json::from_slice(&body).expect("the body decodes");
    assert_eq!(envelope.meta.code, 200);
    envelope.data.expect("a tracking")
}

/// The calls measured side by side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Facade,
    Plain,
    /// The plain call with the per-request timeout a careful hand-written call sets, as
    /// the facade does on every attempt (30 s, its default).
    PlainTimeout,
}

const SIDES: [Side; 3] = [Side::Facade, Side::Plain, Side::PlainTimeout];

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Facade => "facade",
            Side::Plain => "plain",
            Side::PlainTimeout => "plain_timeout",
        }
    }

    async fn call(self, setup: &Setup) -> types::Tracking {
        match self {
            Side::Facade => facade(setup).await,
            Side::Plain => plain(setup, &setup.http).await,
            Side::PlainTimeout => plain(setup, &setup.http_timeout).await,
        }
    }
}

/// Every sample's totals, in the order of [`SIDES`], and its rounds.
static SAMPLES: Mutex<Vec<([Duration; 3], u64)>> = Mutex::new(Vec::new());

/// `rounds` rounds of one call on each side, the side that goes first turning from round
/// to round; the time spent in the calls of `side`.
fn interleaved(setup: &Setup, rounds: u64, side: Side) -> Duration {
    let spent = setup.runtime.block_on(async {
        let mut spent = [Duration::ZERO; 3];
        for round in 0..rounds {
            for turn in 0..SIDES.len() {
                let index = (turn + round as usize) % SIDES.len();
                let started = Instant::now();
                drop(black_box(SIDES[index].call(setup).await));
                spent[index] += started.elapsed();
            }
        }
        spent
    });
    if let Ok(mut samples) = SAMPLES.lock() {
        samples.push((spent, rounds));
    }
    let index = SIDES.iter().position(|known| *known == side).unwrap_or(0);
    spent[index]
}

/// Writes [`SAMPLES`] for `cargo xtask bench`, when it set `CRITERION_HOME`: one line per
/// sample, nanoseconds of facade, plain and plain with a timeout, then the rounds.
fn write_samples() {
    let Some(home) = std::env::var_os("CRITERION_HOME") else { return };
    let Ok(samples) = SAMPLES.lock() else { return };
    let mut text = Vec::new();
    for ([facade, plain, timeout], rounds) in samples.iter() {
        let (facade, plain, timeout) = (facade.as_nanos(), plain.as_nanos(), timeout.as_nanos());
        let _ = writeln!(text, "{facade} {plain} {timeout} {rounds}");
    }
    let _ = std::fs::write(std::path::Path::new(&home).join("get-one-samples.txt"), text);
}

fn get_one(c: &mut Criterion) {
    let setup = setup();
    let mut group = c.benchmark_group("get_one");
    for side in SIDES {
        group.bench_function(side.name(), |b| {
            b.iter_custom(|rounds| interleaved(&setup, rounds, side))
        });
    }
    group.finish();
    write_samples();
}

criterion_group!(benches, get_one);
criterion_main!(benches);
