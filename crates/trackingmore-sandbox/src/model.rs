//! The compact stored form of a tracking and the v2 status vocabulary.
//!
//! A stored tracking holds only what a client told us plus a few flags; checkpoints, status,
//! substatus and dates are derived on every read by [`crate::lifecycle`] from the number, the
//! carrier, the creation instant and the virtual clock. That keeps a record near a hundred
//! bytes, which is what makes a million trackings fit in memory.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The eight v2 package statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Notfound,
    Transit,
    Pickup,
    Delivered,
    Undelivered,
    Exception,
    Expired,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Pending,
        Status::Notfound,
        Status::Transit,
        Status::Pickup,
        Status::Delivered,
        Status::Undelivered,
        Status::Exception,
        Status::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Notfound => "notfound",
            Status::Transit => "transit",
            Status::Pickup => "pickup",
            Status::Delivered => "delivered",
            Status::Undelivered => "undelivered",
            Status::Exception => "exception",
            Status::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// The client-supplied fields that most trackings never set, boxed so an empty record pays
/// one pointer for all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Extra {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_create_time: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logistics_channel: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_code: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_ship_date: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_postal_code: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_account_number: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_destination_country: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Box<str>>,
}

impl Extra {
    /// The fields PUT and updatemore may change, by wire name.
    pub const EDITABLE: [&'static str; 10] = [
        "title",
        "logistics_channel",
        "customer_name",
        "customer_email",
        "customer_phone",
        "order_id",
        "destination_code",
        "comment",
        "order_create_time",
        "lang",
    ];

    pub fn is_empty(&self) -> bool {
        *self == Extra::default()
    }

    /// The field with this wire name, if it is one of [`Extra::EDITABLE`].
    pub fn editable(&mut self, name: &str) -> Option<&mut Option<Box<str>>> {
        Some(match name {
            "title" => &mut self.title,
            "logistics_channel" => &mut self.logistics_channel,
            "customer_name" => &mut self.customer_name,
            "customer_email" => &mut self.customer_email,
            "customer_phone" => &mut self.customer_phone,
            "order_id" => &mut self.order_id,
            "destination_code" => &mut self.destination_code,
            "comment" => &mut self.comment,
            "order_create_time" => &mut self.order_create_time,
            "lang" => &mut self.lang,
            _ => return None,
        })
    }
}

/// One stored tracking. `seq` orders trackings by creation and seeds the id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingRecord {
    pub seq: u64,
    pub tracking_number: Box<str>,
    pub carrier_code: Box<str>,
    /// Unix seconds on the virtual clock.
    pub created_at: i64,
    /// Unix seconds of the last edit by the client.
    pub updated_at: i64,
    #[serde(default)]
    pub archived: bool,
    #[serde(default = "yes")]
    pub track_update: bool,
    /// A status set by PUT/updatemore with 4 or 7; 8 clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forced: Option<Status>,
    /// The virtual instant at which `notupdate` froze the lifecycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Box<Extra>>,
}

fn yes() -> bool {
    true
}

impl TrackingRecord {
    /// The 32-hex id, derived from the account and the creation sequence so it is stable
    /// across restarts and carrier changes without being stored.
    pub fn id(&self, account: &str) -> String {
        let digest = Sha256::new()
            .chain_update(account.as_bytes())
            .chain_update(b":")
            .chain_update(self.seq.to_le_bytes())
            .finalize();
        hex::encode(&digest[..16])
    }

    pub fn extra(&self) -> &Extra {
        static EMPTY: std::sync::OnceLock<Extra> = std::sync::OnceLock::new();
        self.extra.as_deref().unwrap_or_else(|| EMPTY.get_or_init(Extra::default))
    }

    /// Edits the optional fields, dropping the box again when they all become empty.
    pub fn edit_extra(&mut self, edit: impl FnOnce(&mut Extra)) {
        let mut extra = self.extra.take().map(|boxed| *boxed).unwrap_or_default();
        edit(&mut extra);
        self.extra = if extra.is_empty() { None } else { Some(Box::new(extra)) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_stays_small() {
        // The million-tracking goal needs a compact record; the optional fields live behind
        // one pointer.
        assert!(std::mem::size_of::<TrackingRecord>() <= 96);
    }

    #[test]
    fn clearing_every_optional_field_drops_the_box() {
        let mut record = TrackingRecord {
            seq: 1,
            tracking_number: "ABCDE".into(),
            carrier_code: "dhl".into(),
            created_at: 0,
            updated_at: 0,
            archived: false,
            track_update: true,
            forced: None,
            frozen_at: None,
            extra: None,
        };
        record.edit_extra(|extra| extra.title = Some("mug".into()));
        assert!(record.extra.is_some());
        record.edit_extra(|extra| extra.title = None);
        assert!(record.extra.is_none());
        assert_eq!(record.id("key"), record.clone().id("key"));
        assert_ne!(record.id("key"), record.id("other"));
    }
}
