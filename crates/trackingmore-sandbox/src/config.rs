//! Sandbox configuration: accounts, rate limits, status mirroring, storage and webhooks.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// One API account: its key, e-mail (the webhook signing key) and tracking quota.
#[derive(Clone)]
pub struct AccountConfig {
    /// The value of the `Trackingmore-Api-Key` header.
    pub api_key: String,
    /// Shown by `getuserinfo` and used as the webhook signing key.
    pub email: String,
    /// Units of quota the account starts with.
    pub quota: u64,
}

impl fmt::Debug for AccountConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key stays out of Debug output, like everywhere else in the workspace.
        f.debug_struct("AccountConfig")
            .field("api_key", &"<redacted>")
            .field("email", &self.email)
            .field("quota", &self.quota)
            .finish()
    }
}

/// Requests per second per account and route, enforced with wall-clock token buckets.
///
/// Routes are named by operation id (`realtimeTracking`, `listTrackings`), by a short alias
/// (`realtime`, `list`, `create`, `detect`, …) or by a fixed path (`/trackings/realtime`); all
/// three spellings name the same bucket.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RateLimits {
    per_second: BTreeMap<String, u32>,
}

impl RateLimits {
    /// No limits at all.
    pub fn off() -> RateLimits {
        RateLimits::default()
    }

    /// The documented limits: realtime 3 requests/s, list 1 request/s, others unlimited.
    pub fn reference() -> RateLimits {
        RateLimits::off().per_second("realtime", 3).per_second("list", 1)
    }

    /// Sets (or, with 0, removes) the limit of one route.
    pub fn per_second(mut self, route: &str, n: u32) -> RateLimits {
        let operation = crate::routes::operation_for(route).unwrap_or(route).to_owned();
        if n == 0 {
            self.per_second.remove(&operation);
        } else {
            self.per_second.insert(operation, n);
        }
        self
    }

    /// The limit of an operation, if any.
    pub fn limit(&self, operation: &str) -> Option<u32> {
        self.per_second.get(operation).copied()
    }
}

/// Everything a sandbox is started with.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) accounts: Vec<AccountConfig>,
    pub(crate) rate_limits: RateLimits,
    pub(crate) mirror_http_status: bool,
    pub(crate) data_path: Option<PathBuf>,
    pub(crate) start_time: i64,
    pub(crate) seed: u64,
    pub(crate) webhook_retries: Vec<Duration>,
    pub(crate) webhook_timeout: Duration,
}

impl Default for Config {
    /// One account (`sandbox-key`, `dev@example.org`, quota 10 000) and the reference rate
    /// limits; in memory; API errors answered with HTTP 200 as the real service does.
    fn default() -> Config {
        Config {
            accounts: vec![AccountConfig {
                api_key: "sandbox-key".to_owned(),
                email: "dev@example.org".to_owned(),
                quota: 10_000,
            }],
            rate_limits: RateLimits::reference(),
            mirror_http_status: false,
            data_path: None,
            start_time: crate::clock::START,
            seed: 0,
            webhook_retries: [1, 2, 4, 8, 16].into_iter().map(Duration::from_secs).collect(),
            webhook_timeout: Duration::from_secs(5),
        }
    }
}

impl Config {
    /// The default configuration with the first account's key replaced.
    pub fn with_api_key(key: impl Into<String>) -> Config {
        let mut config = Config::default();
        config.accounts[0].api_key = key.into();
        config
    }

    /// Adds an account, or replaces the one with the same key.
    pub fn account(
        mut self,
        key: impl Into<String>,
        email: impl Into<String>,
        quota: u64,
    ) -> Config {
        let account = AccountConfig { api_key: key.into(), email: email.into(), quota };
        match self.accounts.iter_mut().find(|known| known.api_key == account.api_key) {
            Some(known) => *known = account,
            None => self.accounts.push(account),
        }
        self
    }

    /// Replaces the first account's e-mail (the webhook signing key).
    pub fn email(mut self, email: impl Into<String>) -> Config {
        self.accounts[0].email = email.into();
        self
    }

    /// Replaces the first account's quota.
    pub fn quota(mut self, quota: u64) -> Config {
        self.accounts[0].quota = quota;
        self
    }

    /// Replaces the rate limits.
    pub fn rate_limits(mut self, limits: RateLimits) -> Config {
        self.rate_limits = limits;
        self
    }

    /// Keeps state in a SQLite file instead of memory.
    pub fn data_path(mut self, path: impl Into<PathBuf>) -> Config {
        self.data_path = Some(path.into());
        self
    }

    /// Answers API errors with a matching HTTP status (4001 → 401, 4017 → 404, …) instead of
    /// the real service's HTTP 200.
    pub fn mirror_http_status(mut self, on: bool) -> Config {
        self.mirror_http_status = on;
        self
    }

    /// Where the virtual clock starts, in unix seconds.
    pub fn start_time(mut self, unix_seconds: i64) -> Config {
        self.start_time = unix_seconds;
        self
    }

    /// Varies the default journeys (and the jitter of every step) of numbers that are not
    /// scenario numbers; 0, the default, is the documented behaviour. The same seed always
    /// gives the same journeys.
    pub fn seed(mut self, seed: u64) -> Config {
        self.seed = seed;
        self
    }

    /// Delays between webhook attempts; a failed delivery is retried once per entry.
    pub fn webhook_retry_schedule(mut self, delays: Vec<Duration>) -> Config {
        self.webhook_retries = delays;
        self
    }

    /// How long one webhook attempt may take.
    pub fn webhook_timeout(mut self, timeout: Duration) -> Config {
        self.webhook_timeout = timeout;
        self
    }

    /// The accounts, first one first.
    pub fn accounts(&self) -> &[AccountConfig] {
        &self.accounts
    }
}
