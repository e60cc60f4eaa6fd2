//! The crash test: the sandbox binary on SQLite, killed with SIGKILL during concurrent
//! writes, restarted on the same file; every write the client saw acknowledged must be back.
//!
//! Eight writers create, edit and delete trackings of their own. A seeded number of
//! acknowledged writes into each round, the process is killed; a write in flight at that
//! moment may or may not have landed, every acknowledged one must have. The restarted binary
//! must open the file (it loads every row at start-up) and serve exactly one of the allowed
//! states for every number. Rounds continue on the same file.
//!
//! `CRASH_ROUNDS` (default 3) sets the number of kills, `CRASH_SEED` the seed. The binary is
//! the one `cargo test --workspace` builds next to this test
//! (`cargo build -p trackingmore-sandbox` does too).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use trackingmore::{
    Client, Error, ListFilters, NewTracking, RateLimits, RetryPolicy, TrackingChanges,
};

const WRITERS: usize = 8;
const NUMBERS: usize = 64;
const KEY: &str = "crash-key";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|value| value.trim().parse().ok()).unwrap_or(default)
}

/// A seeded xorshift generator.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `target/<profile>/trackingmore-sandbox`, next to the directory of this test binary.
fn sandbox_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows where it is");
    let profile = exe.parent().and_then(Path::parent).expect("tests live in target/<profile>/deps");
    let binary = profile.join(format!("trackingmore-sandbox{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: build it with `cargo build -p trackingmore-sandbox`",
        binary.display()
    );
    binary
}

/// A running sandbox process; dropping it kills the process.
struct Server {
    child: Child,
    base_url: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = Command::new(sandbox_binary())
            .args(["--port", "0", "--rate-limits", "off", "--quota", "100000000", "--api-key", KEY])
            .arg("--data")
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("the first line arrives");
        let base_url = line.trim().to_owned();
        assert!(base_url.starts_with("http://127.0.0.1:"), "the store did not open: {line:?}");
        Server { child, base_url }
    }

    fn kill(&mut self) {
        // std's kill is SIGKILL on Unix: nothing gets flushed.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// (title) of a stored tracking; `None` is "absent".
type State = Option<String>;

/// What each number may hold: one state when known, two while a write is unsettled.
type Model = HashMap<String, Vec<State>>;

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(KEY)
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::off())
        .build()
        .expect("the client builds")
}

/// One writer until the kill: returns the states it leaves for its numbers.
async fn write(
    client: Client,
    writer: usize,
    mut model: Model,
    seed: u64,
    acks: Arc<AtomicU64>,
    killed: Arc<AtomicBool>,
) -> Model {
    let mut rng = Rng::new(seed ^ ((writer as u64 + 1) << 40));
    let trackings = client.trackings();
    while !killed.load(Ordering::SeqCst) {
        let number = format!("KILL{writer:02}N{:03}", rng.below(NUMBERS as u64));
        let known = model.get(&number).filter(|states| states.len() == 1).map(|s| s[0].clone());
        let Some(before) = known else {
            // Settled after the restart; skip until then.
            continue;
        };
        let title = format!("t{}", rng.below(1_000_000));
        let (outcome, after) = match &before {
            None => {
                let new = NewTracking::new("dhl", &number).title(&title);
                (trackings.create(&new).await.map(|_| ()), Some(title))
            }
            Some(_) if rng.below(4) == 0 => {
                (trackings.delete("dhl", &number).await.map(|_| ()), None)
            }
            Some(_) => {
                let changes = TrackingChanges { title: Some(title.clone()), ..Default::default() };
                (trackings.update("dhl", &number, &changes).await.map(|_| ()), Some(title))
            }
        };
        match outcome {
            Ok(()) => {
                model.insert(number, vec![after]);
                acks.fetch_add(1, Ordering::SeqCst);
            }
            Err(error) => {
                assert!(
                    matches!(error, Error::Transport { .. }),
                    "{number}: only the kill may fail a write: {error:?}"
                );
                model.insert(number, vec![before, after]);
                break;
            }
        }
    }
    model
}

/// Every tracking the restarted server holds: its title by number.
async fn stored(client: &Client) -> HashMap<String, String> {
    let page = client
        .trackings()
        .list(&ListFilters::new().limit(2000))
        .await
        .expect("the restarted sandbox lists its trackings")
        .into_inner();
    let items = page.items.unwrap_or_default();
    assert!(items.len() < 2000, "one page holds everything");
    let mut stored = HashMap::new();
    for item in items {
        let number = item.tracking_number.clone().unwrap_or_default();
        let title = item.title.clone().unwrap_or_default();
        assert!(stored.insert(number.clone(), title).is_none(), "{number} is stored twice");
    }
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_during_concurrent_writes() {
    let rounds: u32 = env_or("CRASH_ROUNDS", 3);
    let seed: u64 = env_or("CRASH_SEED", 0x0C2A_5EED);
    let mut rng = Rng::new(seed);

    let dir = std::env::temp_dir().join(format!("trackingmore-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let data = dir.join("sandbox.sqlite");

    let mut model: Model = (0..WRITERS)
        .flat_map(|w| (0..NUMBERS).map(move |n| (format!("KILL{w:02}N{n:03}"), vec![None])))
        .collect();
    let mut total_acks = 0;
    let (mut unsettled, mut landed) = (0, 0);
    for round in 0..rounds {
        let mut server = Server::start(&data);
        let client = client(&server.base_url);

        // What survived the last kill: exactly one allowed state per number.
        let found = stored(&client).await;
        for (number, states) in &mut model {
            let seen = found.get(number).cloned();
            assert!(
                states.contains(&seen),
                "round {round}: {number} holds {seen:?}, acknowledged writes allow {states:?}"
            );
            if states.len() > 1 {
                unsettled += 1;
                landed += usize::from(states[1] == seen);
            }
            *states = vec![seen];
        }
        assert!(found.keys().all(|number| model.contains_key(number)), "unknown trackings");

        // Concurrent writers, killed after a seeded number of acknowledgements.
        let kill_after = 20 + rng.below(300);
        let acks = Arc::new(AtomicU64::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for writer in 0..WRITERS {
            let prefix = format!("KILL{writer:02}N");
            let own: Model = model
                .iter()
                .filter(|(n, _)| n.starts_with(&prefix))
                .map(|(n, s)| (n.clone(), s.clone()))
                .collect();
            let task = write(
                client.clone(),
                writer,
                own,
                seed.wrapping_add(u64::from(round)),
                Arc::clone(&acks),
                Arc::clone(&killed),
            );
            writers.push(tokio::spawn(task));
        }
        // Bounded: a minute at most, and not past the writers' end.
        for _ in 0..60_000 {
            let all_done = writers.iter().all(|writer| writer.is_finished());
            if acks.load(Ordering::SeqCst) >= kill_after || all_done {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server.kill();
        killed.store(true, Ordering::SeqCst);
        for writer in writers {
            model.extend(writer.await.expect("a writer panicked"));
        }
        total_acks += acks.load(Ordering::SeqCst);
    }

    // The last kill is checked by one more start.
    let server = Server::start(&data);
    let found = stored(&client(&server.base_url)).await;
    for (number, states) in &model {
        let seen = found.get(number).cloned();
        assert!(states.contains(&seen), "{number} holds {seen:?}, allowed {states:?}");
        if states.len() > 1 {
            unsettled += 1;
            landed += usize::from(states[1] == seen);
        }
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "crash: {rounds} SIGKILL rounds, {total_acks} acknowledged writes, 0 lost; {unsettled} \
         writes in flight at a kill: {landed} found done, the others not done"
    );
}
