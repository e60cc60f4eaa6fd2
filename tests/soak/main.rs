//! The load soak, run by `cargo xtask soak --seconds N` (it does nothing without
//! `SOAK_SECONDS`): 64 clients, each with its own connection pool and its own trackings,
//! against the release build of the sandbox binary for N seconds.
//!
//! Each client cycles through create, get, update, list and delete on sixteen numbers, so the
//! store stays the same size and the sandbox's memory should stay flat once it is warm. Every
//! five seconds the soak prints the calls made, their p50 and p99 latency and the sandbox's
//! resident memory (VmRSS from /proc). It fails on any error, and when memory at the end is
//! more than 20 % above memory after the warm-up (the first sixth of the run).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use trackingmore::{Client, ListFilters, NewTracking, RateLimits, RetryPolicy, TrackingChanges};

const CLIENTS: usize = 64;
const NUMBERS: usize = 16;
const KEY: &str = "soak-key";
const REPORT_EVERY: Duration = Duration::from_secs(5);
/// A bound on each client's rounds, far above what an hour of load reaches.
const MAX_ROUNDS: u64 = 10_000_000;

/// `target/release/trackingmore-sandbox`, next to the directory of this binary.
fn sandbox_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the soak knows where it is");
    let profile = exe.parent().and_then(Path::parent).expect("tests live in target/<profile>/deps");
    profile.join(format!("trackingmore-sandbox{}", std::env::consts::EXE_SUFFIX))
}

/// Resident memory of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The value below which `share` of the sorted `values` lie.
fn percentile(sorted: &[u64], share: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let index = ((sorted.len() - 1) as f64 * share).round() as usize;
    sorted[index]
}

/// Latencies (µs) of the calls finished in the current interval, and every error.
#[derive(Debug, Default)]
struct Samples {
    latencies: Mutex<Vec<u64>>,
    errors: Mutex<Vec<String>>,
    calls: AtomicU64,
}

impl Samples {
    fn record<T>(&self, started: Instant, outcome: trackingmore::Result<T>) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let micros = started.elapsed().as_micros() as u64;
        self.latencies.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(micros);
        if let Err(error) = outcome {
            let mut errors = self.errors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            errors.push(error.to_string());
        }
    }

    fn take_latencies(&self) -> Vec<u64> {
        std::mem::take(&mut *self.latencies.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// One client's loop until `until`.
async fn load(base_url: String, id: usize, until: Instant, samples: Arc<Samples>) {
    let client = Client::builder()
        .base_url(base_url)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::off())
        .build()
        .expect("the client builds");
    let trackings = client.trackings();
    let numbers: Vec<String> = (0..NUMBERS).map(|n| format!("SOAK{id:03}N{n:03}")).collect();
    let mut round = 0u64;
    while Instant::now() < until && round < MAX_ROUNDS {
        for number in &numbers {
            let started = Instant::now();
            let new = NewTracking::new("dhl", number).title("Soak");
            samples.record(started, trackings.create(&new).await);

            let started = Instant::now();
            samples.record(started, trackings.get("dhl", number).await);

            let started = Instant::now();
            let title = format!("Soak {round}");
            let changes = TrackingChanges { title: Some(title), ..Default::default() };
            samples.record(started, trackings.update("dhl", number, &changes).await);

            let started = Instant::now();
            let filters = ListFilters::new().numbers([number.as_str()]);
            samples.record(started, trackings.list(&filters).await);

            let started = Instant::now();
            samples.record(started, trackings.delete("dhl", number).await);
        }
        round += 1;
    }
}

fn main() {
    let Some(seconds) = std::env::var("SOAK_SECONDS").ok().and_then(|s| s.parse::<u64>().ok())
    else {
        eprintln!("soak: skipped; run it with `cargo xtask soak --seconds N`");
        return;
    };
    let binary = sandbox_binary();
    assert!(binary.exists(), "{} is missing: `cargo xtask soak` builds it", binary.display());
    let mut child = Command::new(&binary)
        .args(["--port", "0", "--rate-limits", "off", "--quota", "1000000000000"])
        .args(["--api-key", KEY])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the sandbox starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("the base url arrives");
    let base_url = line.trim().to_owned();
    let pid = child.id();

    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let samples = Arc::new(Samples::default());
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let warm_up = Duration::from_secs(seconds / 6);
    let mut memory_after_warm_up = None;
    let mut report = Vec::new();

    runtime.block_on(async {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| tokio::spawn(load(base_url.clone(), id, until, Arc::clone(&samples))))
            .collect();
        let mut last_calls = 0;
        while Instant::now() < until {
            tokio::time::sleep(REPORT_EVERY.min(until.saturating_duration_since(Instant::now())))
                .await;
            let mut latencies = samples.take_latencies();
            latencies.sort_unstable();
            let calls = samples.calls.load(Ordering::Relaxed);
            let rss = rss_kib(pid).unwrap_or(0);
            if memory_after_warm_up.is_none() && started.elapsed() >= warm_up {
                memory_after_warm_up = Some(rss);
            }
            let line = format!(
                "{:>4}s  {:>7} calls ({:>6}/s)  p50 {:>6.2} ms  p99 {:>6.2} ms  rss {:>7.1} MiB",
                started.elapsed().as_secs(),
                calls - last_calls,
                (calls - last_calls) / REPORT_EVERY.as_secs(),
                percentile(&latencies, 0.50) as f64 / 1000.0,
                percentile(&latencies, 0.99) as f64 / 1000.0,
                rss as f64 / 1024.0,
            );
            eprintln!("soak: {line}");
            report.push((line, latencies, rss));
            last_calls = calls;
        }
        for client in clients {
            client.await.expect("a client panicked");
        }
    });

    let rss_end = rss_kib(pid).unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();

    let mut all: Vec<u64> = report.iter().flat_map(|(_, latencies, _)| latencies.clone()).collect();
    all.sort_unstable();
    let errors = samples.errors.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    let warm = memory_after_warm_up.unwrap_or(rss_end);
    println!("soak report: {CLIENTS} clients, {seconds} s, release sandbox");
    for (line, ..) in &report {
        println!("  {line}");
    }
    println!(
        "  total: {} calls, {} errors, p50 {:.2} ms, p99 {:.2} ms, rss {:.1} MiB after warm-up, \
         {:.1} MiB at the end",
        samples.calls.load(Ordering::Relaxed),
        errors.len(),
        percentile(&all, 0.50) as f64 / 1000.0,
        percentile(&all, 0.99) as f64 / 1000.0,
        warm as f64 / 1024.0,
        rss_end as f64 / 1024.0,
    );
    assert!(errors.is_empty(), "errors under load: {:?}", &errors[..errors.len().min(10)]);
    assert!(
        rss_end <= warm + warm / 5,
        "memory grew after the warm-up: {warm} KiB → {rss_end} KiB"
    );
}
