//! `docs/benchmarks.md` and `docs/benchmarks-throughput.svg` from one run's [`Results`].

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use crate::suite::{LoadPoint, Measured, Results};

/// A goal: its wording and the test a ratio or value must pass.
#[derive(Clone, Copy)]
struct Goal {
    text: &'static str,
    met: fn(f64) -> bool,
}

/// One line of a table.
struct Line {
    case: String,
    baseline: String,
    ours: String,
    ratio: Option<f64>,
    goal: Option<Goal>,
    /// The value the goal is judged on (the ratio unless said otherwise); `None` when not
    /// measured.
    judged: Option<f64>,
    /// Set when the goal cannot be judged from this run (e.g. a quick run's smaller size).
    waived: Option<&'static str>,
}

impl Line {
    fn info(case: impl Into<String>, baseline: String, ours: String, ratio: Option<f64>) -> Line {
        Line { case: case.into(), baseline, ours, ratio, goal: None, judged: None, waived: None }
    }

    fn goal(mut self, goal: Goal, judged: Option<f64>) -> Line {
        self.goal = Some(goal);
        self.judged = judged;
        self
    }

    fn missing(case: impl Into<String>, reason: &str, goal: Option<Goal>) -> Line {
        Line {
            case: case.into(),
            baseline: format!("not measured: {reason}"),
            ours: "—".to_owned(),
            ratio: None,
            goal,
            judged: None,
            waived: None,
        }
    }

    fn verdict(&self) -> String {
        match (self.goal, self.judged, self.waived) {
            (None, ..) => "—".to_owned(),
            (Some(_), _, Some(why)) => format!("not judged ({why})"),
            (Some(_), None, None) => "not measured".to_owned(),
            (Some(goal), Some(value), None) => {
                if (goal.met)(value) {
                    "**met**".to_owned()
                } else {
                    "**missed**".to_owned()
                }
            }
        }
    }
}

struct Table {
    title: &'static str,
    how: String,
    lines: Vec<Line>,
}

pub fn markdown(results: &Results) -> String {
    let tables = tables(results);
    let mut out = String::new();
    let m = &results.machine;
    let _ = writeln!(
        out,
        "<!-- Written by `cargo xtask bench{}`; do not edit by hand. -->\n",
        if results.quick { " --quick" } else { "" }
    );
    let _ = writeln!(out, "# Benchmarks\n");
    if results.quick {
        let _ = writeln!(
            out,
            "**This is a quick run** (`--quick`): {:.0} s per load point, fewer concurrencies, \
             10,000 bulk items instead of 100,000 and 100,000 stored trackings instead of \
             1,000,000 in the memory benchmark; goals sized for the full run are not judged.\n",
            results.seconds_per_point
        );
    }
    let _ = writeln!(
        out,
        "Measured on {} by `cargo xtask bench{}` in {:.0} s. How each number is taken, and \
         what was profiled and changed where a goal was missed, is in \
         `crates/trackingmore-bench/README.md`.\n",
        m.date,
        if results.quick { " --quick" } else { "" },
        results.elapsed_seconds
    );
    let _ = writeln!(out, "| machine | |\n| --- | --- |");
    let _ = writeln!(out, "| `nproc` | {} |", m.nproc);
    let _ = writeln!(out, "| CPU | {} |", m.cpu);
    let _ = writeln!(out, "| memory | {} |", m.memory);
    let _ = writeln!(out, "| kernel | {} |", m.kernel);
    let _ = writeln!(out, "| rustc | {} |", m.rustc);
    let _ = writeln!(
        out,
        "| load average (1, 5, 15 min) | {} before, {} after |\n",
        m.load_before, m.load_after
    );
    let _ = writeln!(
        out,
        "Everything runs on this one machine over loopback; the machine is shared with other \
         builds, so absolute numbers move between runs. Each ratio is taken between two \
         numbers of the same run.\n"
    );

    let _ = writeln!(out, "## Summary\n\n| benchmark | case | ratio or value | goal | met |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for table in &tables {
        for line in table.lines.iter().filter(|line| line.goal.is_some()) {
            let goal = line.goal.map_or("", |goal| goal.text);
            let value = match line.ratio {
                Some(ratio) => format!("{ratio:.2}"),
                None => line.ours.clone(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                table.title,
                line.case,
                value,
                goal,
                line.verdict()
            );
        }
    }
    let _ = writeln!(out);

    for table in &tables {
        let _ = writeln!(out, "## {}\n\n{}\n", table.title, table.how);
        let _ = writeln!(out, "| case | baseline | ours | ratio | goal | met |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        for line in &table.lines {
            let ratio = line.ratio.map_or("—".to_owned(), |ratio| format!("{ratio:.2}"));
            let goal = line.goal.map_or("—", |goal| goal.text);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                line.case,
                line.baseline,
                line.ours,
                ratio,
                goal,
                line.verdict()
            );
        }
        let _ = writeln!(out);
    }
    out
}

fn rps(value: &Measured<f64>) -> String {
    match value {
        Ok(value) => format!("{value:.0} rps"),
        Err(reason) => format!("not measured: {reason}"),
    }
}

fn ratio(ours: &Measured<f64>, baseline: &Measured<f64>) -> Option<f64> {
    match (ours, baseline) {
        (Ok(ours), Ok(baseline)) if *baseline > 0.0 => Some(ours / baseline),
        _ => None,
    }
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1e3)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

fn tables(results: &Results) -> Vec<Table> {
    vec![
        client_load(results),
        facade_overhead(results),
        python_sync(results),
        python_async(results),
        python_decode(results),
        bulk(results),
        sandbox_load(results),
        sandbox_memory(results),
        build_share(results),
        python_package(results),
    ]
}

const RUST_AT_16: Goal = Goal { text: "≥ 0.5 at 16", met: |r| r >= 0.5 };
const RUST_AT_1: Goal = Goal { text: "≥ 0.65 at 1", met: |r| r >= 0.65 };

fn points(results: &Results) -> Result<&[LoadPoint], &str> {
    results.load.as_deref().map_err(String::as_str)
}

fn client_load(results: &Results) -> Table {
    let how = format!(
        "Closed-loop GET of one tracking (`/v2/trackings/dhl/BENCH0000000007`, a body of \
         about 2 KiB) against the sandbox holding 100,000 trackings, rate limits off. Baseline: \
         `wrk -t1 -cN` with the same URL and `Trackingmore-Api-Key` header. Ours: \
         `trackingmore::Client` with its default settings, N tasks on a current-thread tokio \
         runtime (one thread, as `wrk -t1`), each awaiting `trackings().get(…)` in a loop and \
         decoding the typed `Tracking`. The reference line is a bare `reqwest::Client` that \
         decodes the same generated type. {:.0} s per point after a warm-up; the plot is \
         `docs/benchmarks-throughput.svg`.",
        results.seconds_per_point
    );
    let mut lines = Vec::new();
    match points(results) {
        Err(reason) => {
            lines.push(Line::missing("concurrency 1", reason, Some(RUST_AT_1)));
            lines.push(Line::missing("concurrency 16", reason, Some(RUST_AT_16)));
        }
        Ok(points) => {
            for point in points {
                let r = ratio(&point.facade, &point.wrk_sandbox);
                let goal = match point.concurrency {
                    1 => Some(RUST_AT_1),
                    16 => Some(RUST_AT_16),
                    _ => None,
                };
                let mut line = Line::info(
                    format!("concurrency {}: Rust client", point.concurrency),
                    rps(&point.wrk_sandbox),
                    rps(&point.facade),
                    r,
                );
                if let Some(goal) = goal {
                    line = line.goal(goal, r);
                }
                lines.push(line);
                lines.push(Line::info(
                    format!("concurrency {}: plain reqwest + serde (reference)", point.concurrency),
                    rps(&point.wrk_sandbox),
                    rps(&point.plain),
                    ratio(&point.plain, &point.wrk_sandbox),
                ));
            }
        }
    }
    Table { title: "Rust client throughput against the load generator", how, lines }
}

fn facade_overhead(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≤ 1.05", met: |r| r <= 1.05 };
    let how = "criterion, `crates/trackingmore-bench/benches/facade.rs`: one GET of a tracking \
               from an in-process sandbox (rate limits off), awaited with `block_on` on a \
               two-worker runtime. Baseline: the URL built with `format!` from the carrier and \
               the number, `reqwest` with the key header set by hand, `serde_json::from_slice` \
               into the generated `GetTrackingResponse`: the least a hand-written \
               `get(carrier, number)` does. Ours: `client.trackings().get(…)` (hooks, retries \
               armed, envelope rules, typed decode). Three reference sides run with them: the \
               generated builder called directly (the same hooks, no facade), the baseline \
               sent to a URL built once, and the baseline with a 30 s per-request timeout. \
               All sides run interleaved call by call, in an order that goes through every \
               permutation, so that each follows each other one equally often and a drift in \
               the machine's load weighs on all alike; the times are criterion's medians, a \
               ratio is the median over all samples of the two sides' times within the same \
               sample. The decode lines (`benches/decode.rs`) time `serde_json::from_slice` \
               of one 2,000-item list page into the generated type and into \
               `serde_json::Value`."
        .to_owned();
    let lines = match &results.criterion {
        Err(reason) => vec![Line::missing("GET one tracking", reason, Some(GOAL))],
        Ok(c) => {
            let r = c.facade_ratio;
            let per_call = |nanos: f64| format!("{:.1} µs", nanos / 1e3);
            vec![
                Line::info(
                    "GET one tracking, per call",
                    per_call(c.plain_get),
                    per_call(c.facade_get),
                    Some(r),
                )
                .goal(GOAL, Some(r)),
                Line::info(
                    "the generated builder through the same hooks ÷ the baseline (reference)",
                    per_call(c.plain_get),
                    per_call(c.generated_get),
                    Some(c.generated_ratio),
                ),
                Line::info(
                    "ours ÷ the baseline sent to a URL built once (reference)",
                    per_call(c.plain_fixed_url_get),
                    per_call(c.facade_get),
                    Some(c.fixed_url_ratio),
                ),
                Line::info(
                    "the baseline with a per-request timeout ÷ the baseline (reference)",
                    per_call(c.plain_get),
                    per_call(c.plain_timeout_get),
                    Some(c.timeout_ratio),
                ),
                Line::info(
                    format!(
                        "decode a 2,000-item page ({}): typed ÷ `Value` (reference)",
                        mib(c.page_bytes)
                    ),
                    format!("{:.2} ms", c.decode_value / 1e6),
                    format!("{:.2} ms", c.decode_typed / 1e6),
                    Some(c.decode_typed / c.decode_value),
                ),
            ]
        }
    };
    Table { title: "Facade overhead per call", how, lines }
}

fn python_sync(results: &Results) -> Table {
    const REQUESTS: Goal = Goal { text: "≥ 5", met: |r| r >= 5.0 };
    const HTTPX: Goal = Goal { text: "≥ 3", met: |r| r >= 3.0 };
    let how = "`crates/trackingmore-bench/python/sync_get.py`: 2,000 sequential GETs of one \
               tracking from the sandbox (a separate process, 100,000 trackings stored), each \
               client on one kept-alive connection, after 50 warm-up calls. Baselines: \
               `requests.Session().get(…).json()` and `httpx.Client().get(…).json()`. Ours: \
               `trackingmore_rs.Client.get(…)` returning a `Tracking`. The ratio is the \
               baseline's time over ours."
        .to_owned();
    let lines = match &results.python_sync {
        Err(reason) => vec![
            Line::missing("requests.Session", reason, Some(REQUESTS)),
            Line::missing("httpx.Client", reason, Some(HTTPX)),
        ],
        Ok(sync) => {
            let requests = sync.requests / sync.ours;
            let httpx = sync.httpx / sync.ours;
            let each = |seconds: f64| {
                format!("{:.2} s ({:.0} µs/call)", seconds, seconds * 1e6 / sync.count as f64)
            };
            vec![
                Line::info(
                    "requests.Session",
                    each(sync.requests),
                    each(sync.ours),
                    Some(requests),
                )
                .goal(REQUESTS, Some(requests)),
                Line::info("httpx.Client", each(sync.httpx), each(sync.ours), Some(httpx))
                    .goal(HTTPX, Some(httpx)),
            ]
        }
    };
    Table { title: "Python sync client", how, lines }
}

fn python_async(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≥ 0.7", met: |r| r >= 0.7 };
    let how = "`crates/trackingmore-bench/python/async_load.py`: 32 coroutines on one asyncio \
               loop, each awaiting `trackingmore_rs.AsyncClient.get(…)` in a loop, for the same \
               time as the Rust client at 32 in the throughput sweep; the baseline is that \
               Rust client's number from the same run. The other concurrencies are in the plot."
        .to_owned();
    let at = |c: usize| points(results).ok().and_then(|p| p.iter().find(|p| p.concurrency == c));
    let lines = match (points(results), at(32)) {
        (Err(reason), _) => vec![Line::missing("32 in flight", reason, Some(GOAL))],
        (Ok(_), None) => vec![Line::missing("32 in flight", "no point at 32", Some(GOAL))],
        (Ok(_), Some(point)) => {
            let r = ratio(&point.python_async, &point.facade);
            vec![
                Line::info("32 in flight", rps(&point.facade), rps(&point.python_async), r)
                    .goal(GOAL, r),
            ]
        }
    };
    Table { title: "Python async client against the Rust client", how, lines }
}

fn python_decode(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≤ 1.0", met: |r| r <= 1.0 };
    let how = "`crates/trackingmore-bench/python/decode_page.py`: one list page of 2,000 \
               trackings captured from the sandbox (clock moved on 40 h, so each has its \
               checkpoints), served byte for byte by the fixed-body server. Baseline: \
               `json.loads` of those bytes. Ours: `Client.list_trackings(limit=2000)` against \
               that server, i.e. the transfer over loopback, the typed decode in Rust and the \
               2,000 `Tracking` objects; the package exposes no decode-only entry point, so \
               ours carries the transfer as well and the ratio is an upper bound. Fields are \
               converted when read: the touch line also reads `status` and `origin_info` of \
               every item. Medians."
        .to_owned();
    let lines = match &results.python_decode {
        Err(reason) => vec![Line::missing("2,000-item page", reason, Some(GOAL))],
        Ok(d) => {
            let r = d.ours / d.json_loads;
            vec![
                Line::info(
                    format!("2,000-item page ({}) → Python objects", mib(d.bytes)),
                    ms(d.json_loads),
                    ms(d.ours),
                    Some(r),
                )
                .goal(GOAL, Some(r)),
                Line::info(
                    "… and reading two fields of every item (reference)",
                    ms(d.json_loads),
                    ms(d.ours_touch),
                    Some(d.ours_touch / d.json_loads),
                ),
                Line::info(
                    "transfer alone: httpx `.content` of the same page (reference)",
                    ms(d.json_loads),
                    ms(d.transfer),
                    Some(d.transfer / d.json_loads),
                ),
            ]
        }
    };
    Table { title: "List page to Python objects", how, lines }
}

fn bulk(results: &Results) -> Table {
    const TIME: Goal = Goal { text: "≤ 15 s", met: |s| s <= 15.0 };
    const RSS: Goal = Goal { text: "≤ 150 MB", met: |b| b <= 150e6 };
    let how = "`trackingmore-bench bulk-create`: one `Trackings::batch_create` call with \
               100,000 new trackings (10,000 in a quick run), which the helper cuts into \
               chunks of 40 and sends with 4 chunks in flight, against a fresh sandbox. Time \
               from the call to the merged result; peak resident memory (`VmHWM`) of the \
               client process, which holds the input and the merged result."
        .to_owned();
    let waived = results.quick.then_some("quick run: 10,000 items");
    let lines = match &results.bulk {
        Err(reason) => vec![
            Line::missing("elapsed", reason, Some(TIME)),
            Line::missing("client peak RSS", reason, Some(RSS)),
        ],
        Ok(b) => {
            let rss = b.peak_rss.map(|bytes| bytes as f64);
            let mut time = Line::info(
                format!("{} items in {} calls: elapsed", b.submitted, b.calls),
                "—".to_owned(),
                format!("{:.2} s", b.seconds),
                None,
            )
            .goal(TIME, Some(b.seconds));
            let mut memory = Line::info(
                "client peak RSS",
                "—".to_owned(),
                b.peak_rss.map_or("unknown".to_owned(), |bytes| {
                    format!("{} ({:.0} MB)", mib(bytes), bytes as f64 / 1e6)
                }),
                None,
            )
            .goal(RSS, rss);
            time.waived = waived;
            memory.waived = waived;
            vec![time, memory]
        }
    };
    Table { title: "Bulk create through the batch helper", how, lines }
}

fn sandbox_load(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≥ 0.7 at 16", met: |r| r >= 0.7 };
    let how = "`wrk -t1 -cN` against GET one tracking of the sandbox holding 100,000 \
               trackings (ours) and against an axum server that answers every request with \
               the same bytes and no work at all (baseline), from the same sweep as the client \
               table. The sandbox runs as its binary does: tokio's default runtime and its \
               logging set up as `trackingmore-sandbox` sets it up (INFO to stderr, here a \
               file). The goal is judged at 16 connections."
        .to_owned();
    let mut lines = Vec::new();
    match points(results) {
        Err(reason) => lines.push(Line::missing("16 connections", reason, Some(GOAL))),
        Ok(points) => {
            for point in points {
                let r = ratio(&point.wrk_sandbox, &point.wrk_fixed);
                let mut line = Line::info(
                    format!("{} connections", point.concurrency),
                    rps(&point.wrk_fixed),
                    rps(&point.wrk_sandbox),
                    r,
                );
                if point.concurrency == 16 {
                    line = line.goal(GOAL, r);
                }
                lines.push(line);
            }
        }
    }
    Table { title: "Sandbox GET one against a fixed-body handler", how, lines }
}

fn sandbox_memory(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≤ 1.5 GB", met: |b| b <= 1.5e9 };
    let how = "`trackingmore-bench sandbox --records N`: the sandbox library seeds N \
               trackings straight into its in-memory store (`Admin::seed_trackings`), starts \
               serving, answers three GETs, and its `VmRSS` is read from `/proc`. The baseline \
               is the same process with no trackings."
        .to_owned();
    let waived = results.quick.then_some("quick run: 100,000 trackings");
    let lines = match &results.memory {
        Err(reason) => vec![Line::missing("1,000,000 trackings", reason, Some(GOAL))],
        Ok(m) => {
            let per_record =
                (m.rss.saturating_sub(m.baseline_rss)) as f64 / m.records.max(1) as f64;
            let mut line = Line::info(
                format!("{} trackings (seeded in {:.1} s)", m.records, m.seed_seconds),
                mib(m.baseline_rss),
                format!("{} ({:.2} GB)", mib(m.rss), m.rss as f64 / 1e9),
                None,
            )
            .goal(GOAL, Some(m.rss as f64));
            line.waived = waived;
            let projected = m.baseline_rss as f64 + per_record * 1e6;
            vec![
                line,
                Line::info(
                    format!(
                        "per stored tracking; projected for 1,000,000: {:.2} GB",
                        projected / 1e9
                    ),
                    "—".to_owned(),
                    format!("{per_record:.0} bytes"),
                    None,
                ),
            ]
        }
    };
    Table { title: "Sandbox resident memory", how, lines }
}

fn build_share(results: &Results) -> Table {
    const GOAL: Goal = Goal { text: "≤ 25 %", met: |share| share <= 0.25 };
    let how = "A clean `cargo build -p trackingmore --timings` in `target/bench-build` (debug \
               profile, every dependency built from scratch). Build side: `trackingmore`'s \
               build-script units and every crate that is in `cargo tree -p \
               trackingmore-codegen -e normal,build` but not in `cargo tree -p trackingmore -e \
               normal` (crates both sides need count for the library). The goal is judged on \
               the share of summed unit time; the wall line is the time during which at least \
               one build-side unit was running."
        .to_owned();
    let lines = match &results.build {
        Err(reason) => vec![Line::missing("share of unit time", reason, Some(GOAL))],
        Ok(b) => {
            let share = b.build_side / b.unit_total;
            let largest: Vec<String> =
                b.largest.iter().map(|(name, secs)| format!("{name} {secs:.1} s")).collect();
            vec![
                Line::info(
                    "share of summed unit time",
                    format!("{:.1} s all units", b.unit_total),
                    format!("{:.1} s build side ({:.1} %)", b.build_side, share * 100.0),
                    Some(share),
                )
                .goal(GOAL, Some(share)),
                Line::info(
                    "share of wall time (reference)",
                    format!("{:.1} s wall", b.wall),
                    format!("{:.1} s with a build-side unit running", b.build_side_wall),
                    Some(b.build_side_wall / b.wall),
                ),
                Line::info(
                    format!("largest build-side units: {}", largest.join(", ")),
                    format!("longest unit overall: {} {:.1} s", b.longest.0, b.longest.1),
                    "—".to_owned(),
                    None,
                ),
            ]
        }
    };
    Table { title: "Build time spent on code generation", how, lines }
}

fn python_package(results: &Results) -> Table {
    const IMPORT: Goal = Goal { text: "≤ 50 ms", met: |s| s <= 0.050 };
    const WHEEL: Goal = Goal { text: "≤ 10 MB", met: |b| b <= 10e6 };
    let how = "`import trackingmore_rs` timed with `time.perf_counter()` inside a fresh \
               interpreter of the bench venv, median of 15 runs after one that writes the \
               bytecode caches. The wheel is the one `maturin build --release` wrote and the \
               suite installed."
        .to_owned();
    let import = match &results.import_seconds {
        Err(reason) => Line::missing("import trackingmore_rs", reason, Some(IMPORT)),
        Ok(seconds) => Line::info("import trackingmore_rs", "—".to_owned(), ms(*seconds), None)
            .goal(IMPORT, Some(*seconds)),
    };
    let wheel = match &results.wheel_bytes {
        Err(reason) => Line::missing("wheel size", reason, Some(WHEEL)),
        Ok(bytes) => Line::info(
            "wheel size",
            "—".to_owned(),
            format!("{} ({:.1} MB)", mib(*bytes), *bytes as f64 / 1e6),
            None,
        )
        .goal(WHEEL, Some(*bytes as f64)),
    };
    Table { title: "Python package", how, lines: vec![import, wheel] }
}

/// Reads one series' value from a load point.
type Pick = fn(&LoadPoint) -> &Measured<f64>;

/// Requests per second against concurrency for wrk, the Rust client, the plain reqwest
/// reference and the Python async client.
pub fn plot(results: &Results, path: &Path) -> Result<(), String> {
    let points = points(results).unwrap_or(&[]);
    let series: [(&str, RGBColor, Pick); 4] = [
        ("load generator (wrk -t1)", RGBColor(90, 90, 90), |p| &p.wrk_sandbox),
        ("Rust client (trackingmore)", RGBColor(200, 60, 20), |p| &p.facade),
        ("plain reqwest + serde", RGBColor(230, 160, 40), |p| &p.plain),
        ("Python async client", RGBColor(40, 90, 200), |p| &p.python_async),
    ];
    let max_rps = points
        .iter()
        .flat_map(|point| series.iter().filter_map(move |(_, _, pick)| pick(point).as_ref().ok()))
        .fold(1.0_f64, |max, value| max.max(*value));
    let max_c = points.iter().map(|point| point.concurrency).max().unwrap_or(64).max(2) as f64;

    let root = SVGBackend::new(path, (860, 520)).into_drawing_area();
    let draw = |error: String| format!("cannot draw {}: {error}", path.display());
    root.fill(&WHITE).map_err(|e| draw(e.to_string()))?;
    let title = if results.quick {
        "GET one tracking over loopback (quick run)"
    } else {
        "GET one tracking over loopback"
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d((1.0..max_c).log_scale(), 0.0..max_rps * 1.1)
        .map_err(|e| draw(e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc("requests in flight (concurrency)")
        .y_desc("requests per second")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(|e| draw(e.to_string()))?;

    for (name, color, pick) in series {
        let line: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|point| {
                pick(point).as_ref().ok().map(|rps| (point.concurrency as f64, *rps))
            })
            .collect();
        if line.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))
            .map_err(|e| draw(e.to_string()))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2))
            });
        chart
            .draw_series(line.into_iter().map(|point| Circle::new(point, 4, color.filled())))
            .map_err(|e| draw(e.to_string()))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| draw(e.to_string()))?;
    root.present().map_err(|e| draw(e.to_string()))?;
    drop(chart);
    drop(root);

    // The first line of a derived file names the command that rebuilds it.
    let svg = std::fs::read_to_string(path).map_err(|e| draw(e.to_string()))?;
    let banner = "<!-- Written by `cargo xtask bench`; do not edit by hand. -->\n";
    std::fs::write(path, format!("{banner}{svg}")).map_err(|e| draw(e.to_string()))
}
