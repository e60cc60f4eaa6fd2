//! The suite of `cargo xtask bench`: every benchmark in one run, in an order that keeps
//! heavy steps apart, then the report.
//!
//! Processes: the sandbox and the fixed-body server run as children of this process, each
//! on tokio's default runtime; wrk, the Rust load client and the Python scripts load them
//! one at a time, never two loads at once. Ratios are taken between numbers of the same
//! run only.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use trackingmore_bench::bulk::BulkReport;
use trackingmore_bench::fixture;
use trackingmore_bench::load::LoadReport;
use trackingmore_bench::memory;

use crate::build_share::{self, BuildShare};
use crate::report;

/// Options of `trackingmore-bench run`.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Fewer seconds per point, fewer concurrencies, 10,000 bulk items, 100,000 records in
    /// the memory benchmark.
    #[arg(long)]
    pub quick: bool,
    /// The Python interpreter of the bench venv (with requests, httpx and trackingmore_rs).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Why the Python rows cannot be measured, when there is no interpreter.
    #[arg(long)]
    pub no_python: Option<String>,
    /// The wheel built by maturin, for its size.
    #[arg(long)]
    pub wheel: Option<PathBuf>,
    /// Run only these parts (build, load, criterion, python, bulk, memory); the others are
    /// reported as not run.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// The workspace root.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// A criterion bench built beforehand, as `NAME=PATH` (`facade`, `decode`); run
    /// directly rather than through `cargo bench`, so that no build can start, or wait for
    /// another build's lock, in the middle of the measurements.
    #[arg(long = "bench-exe")]
    pub bench_exe: Vec<String>,
}

/// A measurement, or why there is none.
pub type Measured<T> = Result<T, String>;

/// Everything one run measured; written to `target/bench/results.json` as well.
#[derive(Debug, Serialize)]
pub struct Results {
    pub quick: bool,
    pub machine: Machine,
    pub seconds_per_point: f64,
    pub load: Measured<Vec<LoadPoint>>,
    pub criterion: Measured<Criterion>,
    pub python_sync: Measured<PythonSync>,
    pub python_decode: Measured<PythonDecode>,
    pub import_seconds: Measured<f64>,
    pub wheel_bytes: Measured<u64>,
    pub bulk: Measured<BulkReport>,
    pub memory: Measured<MemoryReport>,
    pub build: Measured<BuildShare>,
    pub elapsed_seconds: f64,
}

/// Facts about the machine, read at the start of the run.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub nproc: usize,
    pub cpu: String,
    pub memory: String,
    pub kernel: String,
    pub rustc: String,
    pub date: String,
    pub load_before: String,
    pub load_after: String,
}

/// Throughput at one concurrency, requests per second.
#[derive(Debug, Serialize)]
pub struct LoadPoint {
    pub concurrency: usize,
    pub wrk_sandbox: Measured<f64>,
    pub facade: Measured<f64>,
    pub plain: Measured<f64>,
    pub python_async: Measured<f64>,
    pub wrk_fixed: Measured<f64>,
}

/// Medians of the criterion benches, nanoseconds per iteration.
#[derive(Debug, Serialize)]
pub struct Criterion {
    pub facade_get: f64,
    pub plain_get: f64,
    pub generated_get: f64,
    pub plain_fixed_url_get: f64,
    pub plain_timeout_get: f64,
    /// The median, over the samples of every function, of facade time ÷ plain time within
    /// one sample (the same interleaved rounds).
    pub facade_ratio: f64,
    /// The same for the generated builder called directly ÷ the plain call.
    pub generated_ratio: f64,
    /// The same for the facade ÷ the plain call to a URL built once.
    pub fixed_url_ratio: f64,
    /// The same for the plain call with a per-request timeout ÷ the plain call.
    pub timeout_ratio: f64,
    pub decode_typed: f64,
    pub decode_value: f64,
    pub page_bytes: u64,
}

/// Seconds for 2,000 sequential GETs per Python client.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PythonSync {
    pub count: u64,
    pub requests: f64,
    pub httpx: f64,
    pub ours: f64,
}

/// Medians, seconds, for one 2,000-item page.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PythonDecode {
    pub items: u64,
    pub bytes: u64,
    pub json_loads: f64,
    pub ours: f64,
    pub ours_touch: f64,
    pub transfer: f64,
}

/// Resident memory of a seeded sandbox.
#[derive(Debug, Serialize)]
pub struct MemoryReport {
    pub records: u64,
    pub rss: u64,
    pub baseline_rss: u64,
    pub seed_seconds: f64,
}

/// What the suite runs, scaled by `--quick`.
struct Plan {
    concurrencies: Vec<usize>,
    seconds: f64,
    warm_up: f64,
    bulk_items: u64,
    memory_records: u64,
    criterion_args: Vec<&'static str>,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                concurrencies: vec![1, 16, 32],
                seconds: 2.0,
                warm_up: 0.3,
                bulk_items: 10_000,
                memory_records: 100_000,
                criterion_args: vec!["--warm-up-time", "1", "--measurement-time", "2"],
            }
        } else {
            Plan {
                concurrencies: vec![1, 4, 16, 32, 64],
                seconds: 6.0,
                warm_up: 0.5,
                bulk_items: 100_000,
                memory_records: 1_000_000,
                criterion_args: vec!["--warm-up-time", "2", "--measurement-time", "6"],
            }
        }
    }
}

/// Trackings stored in the sandbox that the load benchmarks read from.
const LOAD_RECORDS: u64 = 100_000;

/// Items of the list page decoded by the Python and criterion benchmarks.
const PAGE_ITEMS: u64 = 2_000;

/// Sequential GETs of the Python sync benchmark.
const SYNC_GETS: u64 = 2_000;

struct Suite {
    options: Options,
    plan: Plan,
    work: PathBuf,
}

pub fn run(options: Options) -> Result<(), String> {
    let started = Instant::now();
    let root = fs::canonicalize(&options.root)
        .map_err(|error| format!("no workspace root at {}: {error}", options.root.display()))?;
    let work = root.join("target/bench");
    fs::create_dir_all(&work)
        .map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let plan = Plan::new(options.quick);
    let suite = Suite { options: Options { root: root.clone(), ..options }, plan, work };

    let load_before = load_average();
    // The clean build first: it is the heaviest step and must not overlap a measurement.
    let build =
        suite.part("build", || build_share::measure(&root, &root.join("target/bench-build")));
    let load = suite.part("load", || suite.load_sweep());
    let python_sync = suite.python_part(|python| suite.python_sync(python));
    let python_decode = suite.python_part(|python| suite.python_decode(python));
    let import_seconds = suite.python_part(|python| suite.import_time(python));
    let wheel_bytes = suite.python_part(|_| suite.wheel_size());
    let bulk = suite.part("bulk", || suite.bulk());
    let memory = suite.part("memory", || suite.memory());
    let criterion = suite.part("criterion", || suite.criterion());

    let results = Results {
        quick: suite.options.quick,
        machine: machine(load_before, load_average()),
        seconds_per_point: suite.plan.seconds,
        load,
        criterion,
        python_sync,
        python_decode,
        import_seconds,
        wheel_bytes,
        bulk,
        memory,
        build,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    let json = serde_json::to_string_pretty(&results).map_err(|error| error.to_string())?;
    write(&suite.work.join("results.json"), json.as_bytes())?;

    let docs = root.join("docs");
    fs::create_dir_all(&docs).map_err(|error| format!("cannot create docs/: {error}"))?;
    write(&docs.join("benchmarks.md"), report::markdown(&results).as_bytes())?;
    report::plot(&results, &docs.join("benchmarks-throughput.svg"))?;
    eprintln!("wrote docs/benchmarks.md and docs/benchmarks-throughput.svg");
    Ok(())
}

impl Suite {
    fn wanted(&self, part: &str) -> bool {
        self.options.only.is_empty() || self.options.only.iter().any(|only| only == part)
    }

    /// Runs one part, or records that it was left out.
    fn part<T>(&self, name: &str, measure: impl FnOnce() -> Measured<T>) -> Measured<T> {
        if !self.wanted(name) {
            return Err("not run in this invocation (--only)".to_owned());
        }
        eprintln!("== {name}");
        let outcome = measure();
        if let Err(error) = &outcome {
            eprintln!("   {name}: {error}");
        }
        outcome
    }

    fn python(&self) -> Measured<&Path> {
        match (&self.options.python, &self.options.no_python) {
            (Some(python), _) => Ok(python),
            (None, Some(reason)) => Err(reason.clone()),
            (None, None) => Err("no Python interpreter was given".to_owned()),
        }
    }

    fn python_part<T>(&self, measure: impl FnOnce(&Path) -> Measured<T>) -> Measured<T> {
        self.part("python", || measure(self.python()?))
    }

    fn script(&self, name: &str) -> PathBuf {
        self.options.root.join("crates/trackingmore-bench/python").join(name)
    }

    /// Every load point: wrk and the clients against the seeded sandbox, wrk against the
    /// fixed-body server, one after the other at each concurrency.
    fn load_sweep(&self) -> Measured<Vec<LoadPoint>> {
        let sandbox = Server::sandbox(&self.work, LOAD_RECORDS, 10_000_000)?;
        let number = fixture::probe_number();
        let url = format!("{}/trackings/{}/{number}", sandbox.base_url, fixture::CARRIER);
        let body = fetch(&url)?;
        let body_path = self.work.join("get-one.json");
        write(&body_path, &body)?;
        let fixed = Server::fixed(&self.work, &body_path)?;
        let fixed_url = format!("{}/trackings/{}/{number}", fixed.base_url, fixture::CARRIER);

        let mut points = Vec::new();
        for &concurrency in &self.plan.concurrencies {
            eprintln!("   concurrency {concurrency}");
            let point = LoadPoint {
                concurrency,
                wrk_sandbox: self.wrk(&url, concurrency),
                facade: self.rust_load(&sandbox.base_url, &number, concurrency, "facade"),
                plain: self.rust_load(&sandbox.base_url, &number, concurrency, "plain"),
                python_async: self.python().and_then(|python| {
                    self.python_async(python, &sandbox.base_url, &number, concurrency)
                }),
                wrk_fixed: self.wrk(&fixed_url, concurrency),
            };
            eprintln!("   {point:?}");
            points.push(point);
        }
        Ok(points)
    }

    fn wrk(&self, url: &str, concurrency: usize) -> Measured<f64> {
        let seconds = format!("{}s", self.plan.seconds.round() as u64);
        let header = format!("{}: {}", trackingmore_sandbox::API_KEY_HEADER, API_KEY);
        let output = output(
            Command::new("wrk")
                .args(["-t1", &format!("-c{concurrency}"), &format!("-d{seconds}")])
                .args(["-H", &header, url]),
        )?;
        if let Some(line) = output.lines().find(|line| line.contains("Non-2xx")) {
            return Err(format!("wrk saw failed answers: {}", line.trim()));
        }
        output
            .lines()
            .find_map(|line| line.strip_prefix("Requests/sec:"))
            .and_then(|value| value.trim().parse().ok())
            .ok_or_else(|| format!("no Requests/sec in wrk's output: {output}"))
    }

    fn rust_load(
        &self,
        base_url: &str,
        number: &str,
        concurrency: usize,
        mode: &str,
    ) -> Measured<f64> {
        let report: LoadReport = json_output(
            Command::new(exe()?)
                .args(["load", "--url", base_url, "--key", API_KEY, "--number", number])
                .args(["--mode", mode, "--threads", "1"])
                .args(["--concurrency", &concurrency.to_string()])
                .args(["--seconds", &self.plan.seconds.to_string()])
                .args(["--warm-up", &self.plan.warm_up.to_string()]),
        )?;
        if report.errors > 0 {
            return Err(format!("{} calls failed", report.errors));
        }
        Ok(report.rps)
    }

    fn python_async(
        &self,
        python: &Path,
        base_url: &str,
        number: &str,
        concurrency: usize,
    ) -> Measured<f64> {
        #[derive(serde::Deserialize)]
        struct Report {
            rps: f64,
            errors: u64,
        }
        let report: Report = json_output(
            Command::new(python)
                .arg(self.script("async_load.py"))
                .args(["--url", base_url, "--key", API_KEY, "--number", number])
                .args(["--concurrency", &concurrency.to_string()])
                .args(["--seconds", &self.plan.seconds.to_string()])
                .args(["--warm-up", &self.plan.warm_up.to_string()]),
        )?;
        if report.errors > 0 {
            return Err(format!("{} calls failed", report.errors));
        }
        Ok(report.rps)
    }

    fn python_sync(&self, python: &Path) -> Measured<PythonSync> {
        let sandbox = Server::sandbox(&self.work, LOAD_RECORDS, 10_000_000)?;
        json_output(
            Command::new(python)
                .arg(self.script("sync_get.py"))
                .args(["--url", &sandbox.base_url, "--key", API_KEY])
                .args(["--number", &fixture::probe_number(), "--count", &SYNC_GETS.to_string()]),
        )
    }

    fn python_decode(&self, python: &Path) -> Measured<PythonDecode> {
        let page = self.page_bytes()?;
        let fixed = Server::fixed(&self.work, &page)?;
        json_output(
            Command::new(python)
                .arg(self.script("decode_page.py"))
                .args(["--url", &fixed.base_url, "--key", API_KEY])
                .arg("--body")
                .arg(&page)
                .args(["--rounds", if self.options.quick { "7" } else { "21" }]),
        )
    }

    /// The bytes of one 2,000-item list page, captured from a seeded sandbox once.
    fn page_bytes(&self) -> Measured<PathBuf> {
        let path = self.work.join("page-2000.json");
        let sandbox = Server::sandbox(&self.work, PAGE_ITEMS, 10_000)?;
        let body = fetch(&format!("{}/trackings/get?limit={PAGE_ITEMS}", sandbox.base_url))?;
        write(&path, &body)?;
        Ok(path)
    }

    fn import_time(&self, python: &Path) -> Measured<f64> {
        let code = "import time\nstarted = time.perf_counter()\nimport trackingmore_rs\n\
                    print(time.perf_counter() - started)";
        let mut samples = Vec::new();
        // The first import writes the bytecode caches a user's later imports find.
        for round in 0..16 {
            let text = output(
                Command::new(python).args(["-c", code]).env_remove("PYTHONDONTWRITEBYTECODE"),
            )?;
            let seconds: f64 =
                text.trim().parse().map_err(|_| format!("the import printed no time: {text}"))?;
            if round > 0 {
                samples.push(seconds);
            }
        }
        Ok(median(&mut samples))
    }

    fn wheel_size(&self) -> Measured<u64> {
        let wheel = self.options.wheel.as_ref().ok_or("no wheel was built")?;
        fs::metadata(wheel)
            .map(|meta| meta.len())
            .map_err(|error| format!("cannot read {}: {error}", wheel.display()))
    }

    fn bulk(&self) -> Measured<BulkReport> {
        let items = self.plan.bulk_items;
        let sandbox = Server::sandbox(&self.work, 0, items + 1_000)?;
        let report: BulkReport = json_output(
            Command::new(exe()?)
                .args(["bulk-create", "--url", &sandbox.base_url, "--key", API_KEY])
                .args(["--items", &items.to_string(), "--concurrency", "4"]),
        )?;
        if report.done != report.submitted {
            return Err(format!("{} of {} items were created", report.done, report.submitted));
        }
        Ok(report)
    }

    fn memory(&self) -> Measured<MemoryReport> {
        let empty = Server::sandbox(&self.work, 0, 10_000)?;
        // Serve a few answers first, so both processes have touched their request paths.
        fetch(&format!("{}/trackings/getuserinfo", empty.base_url))?;
        let baseline_rss = empty.rss()?;
        drop(empty);

        let records = self.plan.memory_records;
        let started = Instant::now();
        let full = Server::sandbox(&self.work, records, 10_000)?;
        let seed_seconds = started.elapsed().as_secs_f64();
        for n in [0, records / 2, records - 1] {
            let url =
                format!("{}/trackings/{}/{}", full.base_url, fixture::CARRIER, fixture::number(n));
            fetch(&url)?;
        }
        Ok(MemoryReport { records, rss: full.rss()?, baseline_rss, seed_seconds })
    }

    /// Runs both criterion benches and reads their medians.
    fn criterion(&self) -> Measured<Criterion> {
        let home = self.work.join("criterion");
        for bench in ["facade", "decode"] {
            let built = self.options.bench_exe.iter().find_map(|given| {
                given.strip_prefix(bench).and_then(|rest| rest.strip_prefix('='))
            });
            let mut command = match built {
                Some(exe) => {
                    let mut command = Command::new(exe);
                    command.arg("--bench");
                    command
                }
                None => {
                    let mut command = Command::new(cargo());
                    command.args(["bench", "--quiet", "-p", "trackingmore-bench"]);
                    command.args(["--bench", bench, "--"]);
                    command
                }
            };
            command
                .args(&self.plan.criterion_args)
                .env("CRITERION_HOME", &home)
                .current_dir(&self.options.root);
            run_logged(&mut command, &self.work.join(format!("criterion-{bench}.log")))?;
        }

        let median = |path: &str| -> Measured<f64> {
            let file = home.join(path).join("new/estimates.json");
            let text = fs::read_to_string(&file)
                .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|error| error.to_string())?;
            value["median"]["point_estimate"]
                .as_f64()
                .ok_or_else(|| format!("no median in {}", file.display()))
        };
        // The sides are measured out of the same interleaved rounds (see benches/facade.rs);
        // each ratio is the median of the samples' own.
        let samples = fs::read_to_string(home.join("get-one-samples.txt"))
            .map_err(|error| format!("cannot read the facade bench's samples: {error}"))?;
        // Columns: facade, plain, generated, plain to a fixed URL, plain with a timeout.
        let ratio = |over: usize, under: usize| {
            median_ratio(&samples, over, under).ok_or("the facade bench wrote no samples")
        };
        let (facade_ratio, generated_ratio) = (ratio(0, 1)?, ratio(2, 1)?);
        let (fixed_url_ratio, timeout_ratio) = (ratio(0, 3)?, ratio(4, 1)?);
        let page_bytes = fs::read_to_string(home.join("page-bytes.txt"))
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(0);
        Ok(Criterion {
            facade_get: median("get_one/facade")?,
            plain_get: median("get_one/plain")?,
            generated_get: median("get_one/generated")?,
            plain_fixed_url_get: median("get_one/plain_fixed_url")?,
            plain_timeout_get: median("get_one/plain_timeout")?,
            facade_ratio,
            generated_ratio,
            fixed_url_ratio,
            timeout_ratio,
            decode_typed: median("list_page_2000/typed")?,
            decode_value: median("list_page_2000/value")?,
            page_bytes,
        })
    }
}

/// The API key of every sandbox the suite starts (the sandbox's default account).
const API_KEY: &str = "sandbox-key";

/// A child server that prints its base URL first; killed when dropped.
struct Server {
    child: Child,
    base_url: String,
}

impl Server {
    fn sandbox(work: &Path, records: u64, quota: u64) -> Measured<Server> {
        Server::start(
            Command::new(exe()?).args([
                "sandbox",
                "--records",
                &records.to_string(),
                "--quota",
                &quota.to_string(),
            ]),
            &work.join("sandbox.log"),
        )
    }

    fn fixed(work: &Path, body: &Path) -> Measured<Server> {
        Server::start(
            Command::new(exe()?).arg("fixed-server").arg("--body").arg(body),
            &work.join("fixed-server.log"),
        )
    }

    fn start(command: &mut Command, log: &Path) -> Measured<Server> {
        let log =
            fs::File::create(log).map_err(|error| format!("cannot create the log: {error}"))?;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", describe(command)))?;
        let mut line = String::new();
        let read = child.stdout.take().map(|stdout| BufReader::new(stdout).read_line(&mut line));
        let base_url = line.trim().to_owned();
        if !matches!(read, Some(Ok(n)) if n > 0) || !base_url.starts_with("http://") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{} printed no base url", describe(command)));
        }
        Ok(Server { child, base_url })
    }

    fn rss(&self) -> Measured<u64> {
        memory::status_bytes(Some(self.child.id()), "VmRSS")
            .ok_or_else(|| "no VmRSS in /proc (not Linux?)".to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// This executable, for the child processes.
fn exe() -> Measured<PathBuf> {
    std::env::current_exe().map_err(|error| format!("cannot find this executable: {error}"))
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a command and returns its stdout; fails with its stderr when it fails.
pub fn output(command: &mut Command) -> Measured<String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot start {}: {error}", describe(command)))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "{} failed ({}): {}",
            describe(command),
            output.status,
            tail.join(" | ")
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn json_output<T: DeserializeOwned>(command: &mut Command) -> Measured<T> {
    let text = output(command)?;
    let line = text.lines().rev().find(|line| line.starts_with('{')).unwrap_or_default();
    serde_json::from_str(line).map_err(|error| format!("unreadable report ({error}): {text}"))
}

/// Runs a command with its output in a log file.
pub fn run_logged(command: &mut Command, log: &Path) -> Measured<()> {
    let file = fs::File::create(log).map_err(|error| format!("cannot create the log: {error}"))?;
    let copy = file.try_clone().map_err(|error| error.to_string())?;
    let status = command
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(copy)
        .status()
        .map_err(|error| format!("cannot start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status}); see {}", describe(command), log.display()))
    }
}

/// One GET with a plain blocking socket-free client: reqwest on a throwaway runtime.
fn fetch(url: &str) -> Measured<Vec<u8>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(url)
            .header(trackingmore_sandbox::API_KEY_HEADER, API_KEY)
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .map_err(|error| format!("GET {url} failed: {error}"))?;
        let body = response.bytes().await.map_err(|error| format!("GET {url} failed: {error}"))?;
        if !body.starts_with(br#"{"meta":{"code":200"#) {
            let shown = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
            return Err(format!("GET {url} did not succeed: {shown}"));
        }
        Ok(body.to_vec())
    })
}

fn write(path: &Path, bytes: &[u8]) -> Measured<()> {
    fs::write(path, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

pub fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn machine(load_before: String, load_after: String) -> Machine {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .map(|bytes| format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64))
        .unwrap_or_else(|| "unknown".to_owned());
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    let rustc = output(Command::new("rustc").arg("--version"))
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|error| error);
    Machine {
        nproc: std::thread::available_parallelism().map_or(0, usize::from),
        cpu,
        memory,
        kernel,
        rustc,
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        load_before,
        load_after,
    }
}

/// The median over the lines of `samples` (numbers separated by spaces) of field `over` ÷
/// field `under`.
fn median_ratio(samples: &str, over: usize, under: usize) -> Option<f64> {
    let mut ratios: Vec<f64> = samples
        .lines()
        .filter_map(|line| {
            let fields: Vec<f64> =
                line.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
            let (over, under) = (*fields.get(over)?, *fields.get(under)?);
            (under > 0.0).then(|| over / under)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let middle = ratios.len() / 2;
    match ratios.len() {
        0 => None,
        n if n % 2 == 1 => Some(ratios[middle]),
        _ => Some((ratios[middle - 1] + ratios[middle]) / 2.0),
    }
}
