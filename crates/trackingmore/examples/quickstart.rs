//! A short tour of the client.
//!
//! Without `TRACKINGMORE_API_KEY` it starts the sandbox in this process and walks through
//! creating, batching, listing, reading a timeline, editing, counting and deleting, moving
//! the sandbox's clock forward in between. With a key it runs only the read-only part
//! (account, carriers, one page of trackings) against the real API, or against
//! `TRACKINGMORE_BASE_URL` when that is set.
//!
//! ```sh
//! cargo run -p trackingmore --example quickstart
//! ```

use std::time::Duration;

use trackingmore::model::Status;
use trackingmore::{Client, CountFilters, ListFilters, NewTracking, TrackingChanges, types};
use trackingmore_sandbox::{Config, Sandbox};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The PUT example of the API's "Manage your trackings" page, as written there.
const SEED_PUT_BODY: &str = r#"{
"title": "new title",
"logistics_channel": "4PX挂号小包",
"customer_name": "sandy",
"customer_email": "[email protected]",
"customer_phone":"+86123456789",
"order_id": "986574521568",
"destination_code": "CN",
"archived": "true",
"status": 7
}"#;

#[tokio::main]
async fn main() -> Result {
    if std::env::var_os(trackingmore::config::API_KEY_ENV).is_some() {
        return read_only(Client::from_env()?).await;
    }

    let sandbox = Sandbox::start(Config::default()).await?;
    println!("sandbox listening on {} with key {}", sandbox.base_url(), sandbox.api_key());
    let client =
        Client::builder().base_url(sandbox.base_url()).api_key(sandbox.api_key()).build()?;
    tour(&client, &sandbox).await?;
    sandbox.shutdown().await;
    Ok(())
}

async fn tour(client: &Client, sandbox: &Sandbox) -> Result {
    let trackings = client.trackings();

    step("create one tracking");
    let parcel = NewTracking::new("china-post", "LX418823107LONGHAUL")
        .title("Ceramic teapot")
        .customer_name("Ana Ruiz")
        .destination_code("ES")
        .order_id("#5531");
    let created = trackings.create(&parcel).await?;
    println!(
        "  {} / {} is {} since {}",
        show(&created.carrier_code),
        show(&created.tracking_number),
        status(&created.status),
        show(&created.created_at)
    );

    step("create 100 more in one batch call of the client (40 per api call)");
    let batch = (0..100).map(|n| {
        let suffix = match n % 4 {
            0 => "DELIVERED",
            1 => "EXCEPTION",
            2 => "PICKUP",
            _ => "",
        };
        NewTracking::new("ups", format!("1Z999AA1{n:04}{suffix}")).order_id(format!("A-{n}"))
    });
    let result = trackings.batch_create(batch).await?;
    println!(
        "  {} created, {} rejected, {} api calls",
        result.done.len(),
        result.errors.len(),
        result.calls
    );

    step("list with filters: pending, order ids A-1..A-3, page size 5");
    let filters = ListFilters::new().status(Status::Pending).orders(["A-1", "A-2", "A-3"]).limit(5);
    let page = trackings.list(&filters).await?;
    let total = page.total.as_ref().and_then(types::IntegerOrString::as_i64).unwrap_or_default();
    println!("  {total} match; this page:");
    for item in page.items.iter().flatten() {
        println!("  - {} (order {})", show(&item.tracking_number), show(&item.order_id));
    }

    step("advance the sandbox clock by 12 days");
    sandbox.admin().advance_clock(Duration::from_secs(12 * 24 * 3600))?;
    println!("  the sandbox's clock now reads {}", unix(sandbox.admin().now()));

    step("get the first tracking, with its checkpoints as a timeline");
    let tracking = trackings.get("china-post", "LX418823107LONGHAUL").await?;
    println!(
        "  {} from {} to {}: {} ({})",
        show(&tracking.tracking_number),
        show(&tracking.original_country),
        show(&tracking.destination_country),
        status(&tracking.status),
        tracking.substatus.as_ref().map_or("-", |sub| sub.as_str())
    );
    for entry in tracking.timeline() {
        let checkpoint = entry.checkpoint;
        println!(
            "  {:<19}  {:<11}  {:<10}  {}, {}",
            entry.time().to_string(),
            entry.leg,
            status(&checkpoint.checkpoint_status),
            show(&checkpoint.status_description),
            show(&checkpoint.details)
        );
    }

    step("update with the api's own PUT example (archive, force exception)");
    trackings.create(&NewTracking::new("sto", "402934299065")).await?;
    let changes = TrackingChanges::from_json(serde_json::from_str(SEED_PUT_BODY)?)?;
    let updated = trackings.update("sto", "402934299065", &changes).await?;
    println!(
        "  {} now titled {:?}, archived {:?}, phone {}",
        show(&updated.tracking_number),
        show(&updated.title),
        updated.archived.as_ref().and_then(types::BooleanOrString::as_bool),
        show(&updated.customer_phone)
    );
    let stored = trackings.get("sto", "402934299065").await?;
    println!("  its status reads {}", status(&stored.status));

    step("count trackings per status");
    let counts = client.account().status_counts(&CountFilters::new()).await?;
    let rows = [
        ("pending", counts.pending),
        ("notfound", counts.notfound),
        ("transit", counts.transit),
        ("pickup", counts.pickup),
        ("delivered", counts.delivered),
        ("undelivered", counts.undelivered),
        ("exception", counts.exception),
        ("expired", counts.expired),
    ];
    for (name, count) in rows {
        println!("  {name:<12} {:>4}", count.unwrap_or_default());
    }

    step("delete the teapot, then the batch");
    trackings.delete("china-post", "LX418823107LONGHAUL").await?;
    let ids = result.done.iter().map(|done| {
        (show(&done.value.carrier_code).to_owned(), show(&done.value.tracking_number).to_owned())
    });
    let deleted = trackings.delete_many(ids).await?;
    let left = client.account().user_info().await?;
    println!(
        "  deleted 1 + {}; {} quota left",
        deleted.done.len(),
        left.track_number.unwrap_or_default()
    );
    Ok(())
}

/// The part of the tour that changes nothing, for a real account.
async fn read_only(client: Client) -> Result {
    println!("reading from {}", client.base_url());

    step("account");
    let me = client.account().user_info().await?;
    println!(
        "  {} has {} trackings of quota left",
        show(&me.email),
        me.track_number.unwrap_or_default()
    );

    step("carriers");
    let carriers = client.carriers().list(Some("en")).await?;
    println!("  {} carriers, for example:", carriers.len());
    for carrier in carriers.iter().take(5) {
        println!("  - {:<20} {}", show(&carrier.code), show(&carrier.name));
    }

    step("the first page of trackings");
    let page = client.trackings().list(&ListFilters::new().limit(10)).await?;
    for item in page.items.iter().flatten() {
        println!(
            "  - {} {} {}",
            show(&item.carrier_code),
            show(&item.tracking_number),
            status(&item.status)
        );
    }
    Ok(())
}

fn step(title: &str) {
    println!("\n== {title}");
}

fn show(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}

fn status(status: &Option<Status>) -> &str {
    status.as_ref().map_or("-", Status::as_str)
}

fn unix(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map_or_else(|| seconds.to_string(), |t| t.to_rfc3339())
}
