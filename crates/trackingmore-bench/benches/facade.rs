//! The facade's cost per call: `client.trackings().get(…)` against a bare reqwest call that
//! decodes the same generated type, both reading one tracking from an in-process sandbox.
//!
//! The two are registered as facade_1, plain_1, plain_2, facade_2; `cargo xtask bench`
//! averages each pair, so a drift in the machine's load weighs on both sides alike.

use std::hint::black_box;

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

fn get_one(c: &mut Criterion) {
    let setup = setup();
    let mut group = c.benchmark_group("get_one");
    group.bench_function("facade_1", |b| {
        b.iter(|| black_box(setup.runtime.block_on(facade(&setup))))
    });
    group
        .bench_function("plain_1", |b| b.iter(|| black_box(setup.runtime.block_on(plain(&setup)))));
    group
        .bench_function("plain_2", |b| b.iter(|| black_box(setup.runtime.block_on(plain(&setup)))));
    group.bench_function("facade_2", |b| {
        b.iter(|| black_box(setup.runtime.block_on(facade(&setup))))
    });
    group.finish();
}

criterion_group!(benches, get_one);
criterion_main!(benches);
