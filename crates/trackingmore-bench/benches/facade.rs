//! The facade's cost per call: `client.trackings().get(…)` against a bare reqwest call that
//! decodes the same generated type, both reading one tracking from an in-process sandbox.
//!
//! The baseline is what a hand-written `get(carrier, number)` must do at least: build the
//! URL from its arguments (with `format!`, without the percent-encoding the generated code
//! applies), send it with the key header, read the body and decode it. Three more sides are
//! measured with these two, for reference: the generated builder called directly (the same
//! hooks, without the facade around them), the baseline sent to a URL built once and
//! reused, which only a caller that reads one tracking over and over could do, and the
//! baseline with a per-request timeout, which every careful call sets (the facade does, for
//! its deadline).
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
use std::sync::atomic::{AtomicU64, Ordering};
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
    base: String,
    /// The probe tracking's URL, built once.
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
    Setup { runtime, _sandbox: sandbox, client, http, http_timeout, base, url, key, number }
}

async fn facade(setup: &Setup) -> types::Tracking {
    let response = setup.client.trackings().get(fixture::CARRIER, &setup.number).await;
    response.expect("the facade reads the tracking").into_inner()
}

async fn generated(setup: &Setup) -> types::Tracking {
    let builder = setup.client.api().get_tracking();
    let send = builder.carrier_code(fixture::CARRIER).tracking_number(setup.number.as_str()).send();
    let envelope = send.await.expect("the generated call reads the tracking").into_inner();
    envelope.data.expect("a tracking")
}

async fn plain(setup: &Setup, http: &reqwest::Client, url: &str) -> types::Tracking {
    let response =
        http.get(url).header(API_KEY_HEADER, &setup.key).send().await.expect("reqwest sends");
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
    /// The baseline: the URL built from the carrier and the number on every call.
    Plain,
    /// `client.api().get_tracking()…send()`: the generated code and the hooks.
    Generated,
    /// The plain call to a URL built once.
    PlainFixedUrl,
    /// The plain call with the per-request timeout a careful hand-written call sets, as
    /// the facade does on every attempt (30 s, its default).
    PlainTimeout,
}

const SIDES: [Side; 5] =
    [Side::Facade, Side::Plain, Side::Generated, Side::PlainFixedUrl, Side::PlainTimeout];

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Facade => "facade",
            Side::Plain => "plain",
            Side::Generated => "generated",
            Side::PlainFixedUrl => "plain_fixed_url",
            Side::PlainTimeout => "plain_timeout",
        }
    }

    async fn call(self, setup: &Setup) -> types::Tracking {
        let url = || format!("{}/trackings/{}/{}", setup.base, fixture::CARRIER, setup.number);
        match self {
            Side::Facade => facade(setup).await,
            Side::Plain => plain(setup, &setup.http, &url()).await,
            Side::Generated => generated(setup).await,
            Side::PlainFixedUrl => plain(setup, &setup.http, &setup.url).await,
            Side::PlainTimeout => plain(setup, &setup.http_timeout, &url()).await,
        }
    }
}

/// The rounds run so far, by every benchmark function: where the next sample's order starts.
static ROUNDS: AtomicU64 = AtomicU64::new(0);

/// Every sample's totals, in the order of [`SIDES`], and its rounds.
static SAMPLES: Mutex<Vec<([Duration; SIDES.len()], u64)>> = Mutex::new(Vec::new());

/// `rounds` rounds of one call on each side; the time spent in the calls of `side`.
///
/// The order of the sides changes from round to round, through every permutation in turn,
/// continuing across samples: a call leaves the allocator, the caches and the sandbox in a
/// state that the next one meets, so each side follows each other one equally often, and
/// goes first as often.
fn interleaved(setup: &Setup, rounds: u64, side: Side) -> Duration {
    let first = ROUNDS.fetch_add(rounds, Ordering::Relaxed);
    let spent = setup.runtime.block_on(async {
        let mut spent = [Duration::ZERO; SIDES.len()];
        for round in first..first + rounds {
            for index in permutation(round) {
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

/// The `n`th permutation of the sides' indices (of the `SIDES.len()!` there are), read as a
/// number in the factorial base.
fn permutation(n: u64) -> [usize; SIDES.len()] {
    let mut left: Vec<usize> = (0..SIDES.len()).collect();
    let mut order = [0; SIDES.len()];
    let mut n = n as usize;
    for (position, slot) in order.iter_mut().enumerate() {
        let base = SIDES.len() - position;
        *slot = left.remove(n % base);
        n /= base;
    }
    order
}

/// Writes [`SAMPLES`] for `cargo xtask bench`, when it set `CRITERION_HOME`: one line per
/// sample, the nanoseconds of each side in the order of [`SIDES`], then the rounds.
fn write_samples() {
    let Some(home) = std::env::var_os("CRITERION_HOME") else { return };
    let Ok(samples) = SAMPLES.lock() else { return };
    let mut text = Vec::new();
    for (spent, rounds) in samples.iter() {
        for side in spent {
            let _ = write!(text, "{} ", side.as_nanos());
        }
        let _ = writeln!(text, "{rounds}");
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
