//! The facade's cost per call: `client.trackings().get(…)` against a bare reqwest call that
//! decodes the same generated type, both reading one tracking from an in-process sandbox.
//!
//! The two sides run interleaved, call by call, in both benchmark functions: `facade`
//! reports the time its calls took and `plain` the time of theirs, out of the same rounds.
//! On a shared machine the time of one call drifts by a fifth from one second to the next;
//! measured a call apart, both sides meet the same drift. Every sample's pair of totals is
//! also written to `$CRITERION_HOME/get-one-pairs.txt` (facade ns, plain ns, rounds), from
//! which `cargo xtask bench` takes the ratio: the median of the samples' own ratios.

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
    Setup { runtime, _sandbox: sandbox, client, http: reqwest::Client::new(), url, key, number }
}

async fn facade(setup: &Setup) -> types::Tracking {
    let response = setup.client.trackings().get(fixture::CARRIER, &setup.number).await;
    response.expect("the facade reads the tracking").into_inner()
}

async fn plain(setup: &Setup) -> types::Tracking {
    let response = setup
        .http
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Facade,
    Plain,
}

/// Every sample's totals: facade, plain, rounds.
static PAIRS: Mutex<Vec<(Duration, Duration, u64)>> = Mutex::new(Vec::new());

/// `rounds` rounds of one call on each side, the side that goes first alternating from
/// round to round; the time spent in the calls of `side`.
fn interleaved(setup: &Setup, rounds: u64, side: Side) -> Duration {
    let (facade_spent, plain_spent) = setup.runtime.block_on(async {
        let (mut facade_spent, mut plain_spent) = (Duration::ZERO, Duration::ZERO);
        for round in 0..rounds {
            let order = if round % 2 == 0 {
                [Side::Facade, Side::Plain]
            } else {
                [Side::Plain, Side::Facade]
            };
            for call in order {
                let started = Instant::now();
                match call {
                    Side::Facade => {
                        drop(black_box(facade(setup).await));
                        facade_spent += started.elapsed();
                    }
                    Side::Plain => {
                        drop(black_box(plain(setup).await));
                        plain_spent += started.elapsed();
                    }
                }
            }
        }
        (facade_spent, plain_spent)
    });
    if let Ok(mut pairs) = PAIRS.lock() {
        pairs.push((facade_spent, plain_spent, rounds));
    }
    match side {
        Side::Facade => facade_spent,
        Side::Plain => plain_spent,
    }
}

/// Writes [`PAIRS`] for `cargo xtask bench`, when it set `CRITERION_HOME`.
fn write_pairs() {
    let Some(home) = std::env::var_os("CRITERION_HOME") else { return };
    let Ok(pairs) = PAIRS.lock() else { return };
    let mut text = Vec::new();
    for (facade, plain, rounds) in pairs.iter() {
        let _ = writeln!(text, "{} {} {rounds}", facade.as_nanos(), plain.as_nanos());
    }
    let _ = std::fs::write(std::path::Path::new(&home).join("get-one-pairs.txt"), text);
}

fn get_one(c: &mut Criterion) {
    let setup = setup();
    let mut group = c.benchmark_group("get_one");
    for (name, side) in [("facade", Side::Facade), ("plain", Side::Plain)] {
        group.bench_function(name, |b| b.iter_custom(|rounds| interleaved(&setup, rounds, side)));
    }
    group.finish();
    write_pairs();
}

criterion_group!(benches, get_one);
criterion_main!(benches);
