//! Bulk creation through the batch helper: `items` new trackings handed to
//! `Trackings::batch_create` in one call, which cuts them into chunks of 40 and keeps
//! `concurrency` chunks in flight.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use trackingmore::NewTracking;

/// What one bulk run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BulkReport {
    /// Items submitted.
    pub submitted: usize,
    /// Items the API created.
    pub done: usize,
    /// Items the API rejected.
    pub errors: usize,
    /// Batch calls made.
    pub calls: usize,
    /// Seconds from the call to its merged result.
    pub seconds: f64,
    /// Peak resident memory of this process (`VmHWM`), bytes.
    pub peak_rss: Option<u64>,
}

/// Creates `items` trackings numbered `BULK0000000000…` with carrier `dhl`.
pub async fn run(
    base_url: &str,
    api_key: &str,
    items: u64,
    concurrency: usize,
) -> Result<BulkReport, String> {
    let client = trackingmore::Client::builder()
        .base_url(base_url)
        .api_key(api_key)
        .batch_concurrency(concurrency)
        .build()
        .map_err(|error| format!("the client cannot be built: {error}"))?;
    let input = (0..items).map(|n| NewTracking::new("dhl", format!("BULK{n:010}")));

    let started = Instant::now();
    let result = client
        .trackings()
        .batch_create(input)
        .await
        .map_err(|error| format!("the batch failed: {error}"))?;
    let seconds = started.elapsed().as_secs_f64();

    Ok(BulkReport {
        submitted: result.submitted,
        done: result.done.len(),
        errors: result.errors.len(),
        calls: result.calls,
        seconds,
        peak_rss: crate::memory::peak_rss(),
    })
}
