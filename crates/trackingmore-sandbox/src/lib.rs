#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod admin;
mod api;
mod carriers;
mod clock;
mod config;
mod envelope;
mod faults;
mod input;
mod journal;
mod lifecycle;
mod model;
mod ratelimit;
mod routes;
mod sqlite;
mod state;
mod store;
mod view;
mod webhooks;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use admin::Admin;
pub use api::API_KEY_HEADER;
pub use clock::START as CLOCK_START;
pub use config::{AccountConfig, Config, RateLimits};
pub use faults::{Fault, FaultKind};
pub use journal::JournalEntry;
pub use state::AppState;
pub use store::StoreError;
pub use webhooks::{Delivery, signature as webhook_signature};

/// Why a sandbox could not start or an admin operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The data file could not be opened or written.
    #[error("storage failed")]
    Store(#[source] StoreError),
    /// An admin operation was refused.
    #[error("admin operation failed: {0}")]
    Admin(String),
}

/// The whole HTTP surface: the v2 API under `/v2` and the admin API under `/__admin`.
pub fn router(state: AppState) -> axum::Router {
    api::v2(&state).merge(admin::router()).with_state(state)
}

/// A sandbox serving on a local socket; dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    api_key: String,
    admin: Admin,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` with a port chosen by the system.
    pub async fn start(config: Config) -> Result<Sandbox, SandboxError> {
        Sandbox::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a sandbox on the given address (port 0 picks a free port).
    pub async fn start_on(config: Config, addr: SocketAddr) -> Result<Sandbox, SandboxError> {
        let api_key =
            config.accounts().first().map(|account| account.api_key.clone()).unwrap_or_default();
        let state = AppState::new(config)?;
        let listener =
            TcpListener::bind(addr).await.map_err(|source| SandboxError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr, source })?;

        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // Either an explicit stop or the Sandbox being dropped ends the server.
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "sandbox server stopped with an error");
            }
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox { addr, api_key, admin: Admin::new(state), stop: Some(stop), task: Some(task) })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v2`, the base URL clients use.
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// `http://127.0.0.1:PORT/__admin`.
    pub fn admin_url(&self) -> String {
        format!("http://{}/__admin", self.addr)
    }

    /// The first account's API key.
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// In-process control: clock, reset, faults, quotas, journal, webhooks, snapshot.
    pub fn admin(&self) -> Admin {
        self.admin.clone()
    }

    /// Stops accepting connections, lets requests in flight finish (for up to five seconds)
    /// and returns once the server task has ended.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task).await.is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
