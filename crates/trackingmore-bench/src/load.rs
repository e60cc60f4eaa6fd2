//! A closed-loop load client: `concurrency` tasks, each sending GET one tracking as soon as
//! its previous answer is in, for a fixed time, counting the answers that arrive.
//!
//! Two modes read the same route: [`Mode::Facade`] through `trackingmore::Client` with its
//! default settings, and [`Mode::Plain`] through a bare `reqwest::Client` whose body is
//! decoded into the same generated type, the floor any client built on reqwest and serde
//! can reach.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use trackingmore::types;

/// Which client sends the requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `trackingmore::Client::trackings().get(…)`.
    Facade,
    /// `reqwest` + `serde_json::from_slice::<GetTrackingResponse>`.
    Plain,
}

/// What one load run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoadReport {
    /// Answers that completed inside the measured window.
    pub requests: u64,
    /// Calls that failed inside the window.
    pub errors: u64,
    /// Length of the measured window.
    pub seconds: f64,
    /// `requests / seconds`.
    pub rps: f64,
}

/// What to load.
#[derive(Clone, Debug)]
pub struct Target {
    /// The base URL, `http://127.0.0.1:PORT/v2`.
    pub base_url: String,
    /// The API key.
    pub api_key: String,
    /// The carrier code of the tracking read.
    pub carrier: String,
    /// The tracking number read.
    pub number: String,
}

enum Caller {
    Facade(trackingmore::Client),
    Plain { http: reqwest::Client, url: String, key: String },
}

impl Caller {
    fn new(mode: Mode, target: &Target) -> Result<Caller, String> {
        Ok(match mode {
            Mode::Facade => Caller::Facade(
                trackingmore::Client::new(&target.base_url, &target.api_key)
                    .map_err(|error| format!("the client cannot be built: {error}"))?,
            ),
            Mode::Plain => Caller::Plain {
                http: reqwest::Client::new(),
                url: format!("{}/trackings/{}/{}", target.base_url, target.carrier, target.number),
                key: target.api_key.clone(),
            },
        })
    }

    /// One GET; `true` when a tracking came back.
    async fn call(&self, target: &Target) -> bool {
        match self {
            Caller::Facade(client) => {
                client.trackings().get(&target.carrier, &target.number).await.is_ok()
            }
            Caller::Plain { http, url, key } => {
                let sent = http.get(url).header("Trackingmore-Api-Key", key).send().await;
                let Ok(response) = sent else { return false };
                let Ok(body) = response.bytes().await else { return false };
                match serde_json::from_slice::<types::GetTrackingResponse>(&body) {
                    Ok(envelope) => envelope.meta.code == 200 && envelope.data.is_some(),
                    Err(_) => false,
                }
            }
        }
    }
}

/// Runs `concurrency` tasks against `target` for `warm_up + duration`; only answers that
/// complete after the warm-up count.
pub async fn run(
    mode: Mode,
    target: Target,
    concurrency: usize,
    warm_up: Duration,
    duration: Duration,
) -> Result<LoadReport, String> {
    let caller = Arc::new(Caller::new(mode, &target)?);
    let target = Arc::new(target);
    let start = Instant::now() + warm_up;
    let end = start + duration;

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (caller, target) = (Arc::clone(&caller), Arc::clone(&target));
        tasks.spawn(async move {
            let (mut done, mut failed) = (0u64, 0u64);
            loop {
                let ok = caller.call(&target).await;
                let now = Instant::now();
                if now >= end {
                    break;
                }
                if now >= start {
                    if ok {
                        done += 1;
                    } else {
                        failed += 1;
                    }
                }
            }
            (done, failed)
        });
    }

    let (mut requests, mut errors) = (0, 0);
    while let Some(joined) = tasks.join_next().await {
        let (done, failed) = joined.map_err(|error| format!("a load task failed: {error}"))?;
        requests += done;
        errors += failed;
    }
    let seconds = duration.as_secs_f64();
    Ok(LoadReport { requests, errors, seconds, rps: requests as f64 / seconds })
}
