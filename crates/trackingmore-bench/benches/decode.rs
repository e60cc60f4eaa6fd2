//! Decoding one 2,000-item list page, as the client does (into the generated
//! `ListTrackingsResponse`) and into `serde_json::Value` for reference.
//!
//! The page is captured from an in-process sandbox whose clock has moved on 40 hours, so
//! every tracking carries its checkpoints. Its size is written next to criterion's results
//! for the report.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trackingmore::types;
use trackingmore_bench::fixture;
use trackingmore_sandbox::API_KEY_HEADER;

const ITEMS: u64 = 2_000;

fn page() -> Vec<u8> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let sandbox = fixture::seeded_sandbox(ITEMS, 10_000).await.expect("a sandbox");
        let url = format!("{}/trackings/get?limit={ITEMS}", sandbox.base_url());
        let response = reqwest::Client::new()
            .get(url)
            .header(API_KEY_HEADER, sandbox.api_key())
            .send()
            .await
            .expect("the page is served");
        response.bytes().await.expect("the page is read").to_vec()
    })
}

fn list_page(c: &mut Criterion) {
    let body = page();
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        let _ = std::fs::write(
            std::path::Path::new(&home).join("page-bytes.txt"),
            body.len().to_string(),
        );
    }
    let typed: types::ListTrackingsResponse = serde_json::from_slice(&body).expect("it decodes");
    let items = typed.data.and_then(|page| page.items).map_or(0, |items| items.len());
    assert_eq!(items as u64, ITEMS, "the page holds every seeded tracking");

    let mut group = c.benchmark_group("list_page_2000");
    group.sample_size(20);
    group.bench_function("typed", |b| {
        b.iter(|| black_box(serde_json::from_slice::<types::ListTrackingsResponse>(&body)))
    });
    group.bench_function("value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(&body)))
    });
    group.finish();
}

criterion_group!(benches, list_page);
criterion_main!(benches);
