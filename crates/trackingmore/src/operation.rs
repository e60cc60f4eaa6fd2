//! The 19 operations of the v2 API, and what the client may do when one of them fails.
//!
//! # Retry table
//!
//! Whether a failed attempt is sent again depends on what the failure says about the
//! server's state. Some failures prove the request was *not processed*: the connection
//! could not be opened, or the API answered 429 (HTTP or meta), which it does before doing
//! any work. Others are *ambiguous*: a timeout, a reset connection, a 5xx or a proxy's HTML
//! page may come after the server committed the change. Every operation is retried after
//! the first kind; only the operations below marked "yes" are retried after the second.
//!
//! | operation | method and path | ambiguous failures retried | why |
//! | --- | --- | --- | --- |
//! | `getTracking`, `getTrackingInLanguage` | GET `/trackings/{c}/{n}[/{lang}]` | yes | a read |
//! | `listTrackings` | GET `/trackings/get` | yes | a read |
//! | `getUserInfo`, `getStatusCounts` | GET `/trackings/getuserinfo`, `/getstatusnumber` | yes | reads |
//! | `listCarriers` | GET `/carriers` | yes | a read |
//! | `detectCarrier`, `checkRemoteAreas`, `getTransitTimes` | POST | yes | reads; detection and remote checks cost one unit per five calls, which a retry may add to |
//! | `updateTracking` | PUT `/trackings/{c}/{n}` | yes | sets fields to given values: a replay changes nothing |
//! | `updateTrackings`, `stopUpdating` | POST | yes | the same values set again |
//! | `deleteTracking`, `deleteTrackings` | DELETE, POST | yes | a replay answers 4017 for what the first attempt deleted; after an ambiguous attempt the client counts that 4017 as deleted |
//! | `createTracking` | POST `/trackings/post` | yes | the API refuses a duplicate with 4016; after an ambiguous attempt the client reads that 4016 as "the first attempt landed" and returns the stored tracking (one extra `getTracking`) |
//! | `batchCreateTrackings` | POST `/trackings/batch` | yes | the same rule per item: a 4016 item on a retry counts as created, flagged `recovered` |
//! | `realtimeTracking` | POST `/trackings/realtime` | **no** | every call consumes quota, and a replay cannot be told from the first call |
//! | `changeCarrier` | POST `/trackings/update` | **no** | not idempotent: a replay after success answers 4017 |
//! | `trackAirCargo` | POST `/trackings/aircargo` | **no** | 20 quota units per waybill on every call |
//!
//! Calls made through [`crate::Client::raw`] are matched to this table by method and path;
//! an unknown path is retried after ambiguous failures only for GET, PUT and DELETE.

use std::fmt;

use reqwest::Method;

/// One operation of the v2 API, named by its `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /trackings/post`.
    CreateTracking,
    /// `GET /trackings/{carrier_code}/{tracking_number}`.
    GetTracking,
    /// `GET /trackings/{carrier_code}/{tracking_number}/{lang}`.
    GetTrackingInLanguage,
    /// `PUT /trackings/{carrier_code}/{tracking_number}`.
    UpdateTracking,
    /// `DELETE /trackings/{carrier_code}/{tracking_number}`.
    DeleteTracking,
    /// `POST /trackings/batch`.
    BatchCreateTrackings,
    /// `GET /trackings/get`.
    ListTrackings,
    /// `POST /trackings/updatemore`.
    UpdateTrackings,
    /// `POST /trackings/delete`.
    DeleteTrackings,
    /// `POST /trackings/realtime`.
    RealtimeTracking,
    /// `POST /trackings/update`.
    ChangeCarrier,
    /// `GET /trackings/getuserinfo`.
    GetUserInfo,
    /// `GET /trackings/getstatusnumber`.
    GetStatusCounts,
    /// `POST /trackings/notupdate`.
    StopUpdating,
    /// `POST /trackings/remote`.
    CheckRemoteAreas,
    /// `POST /trackings/costtime`.
    GetTransitTimes,
    /// `POST /trackings/aircargo`.
    TrackAirCargo,
    /// `GET /carriers`.
    ListCarriers,
    /// `POST /carriers/detect`.
    DetectCarrier,
}

/// When a failed attempt of an operation may be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// After any retryable failure, including ambiguous ones.
    Always,
    /// Only when the failure proves the request was not processed.
    NotProcessedOnly,
}

impl Operation {
    /// Every operation, in the order of the document.
    pub const ALL: [Operation; 19] = [
        Operation::CreateTracking,
        Operation::GetTracking,
        Operation::GetTrackingInLanguage,
        Operation::UpdateTracking,
        Operation::DeleteTracking,
        Operation::BatchCreateTrackings,
        Operation::ListTrackings,
        Operation::UpdateTrackings,
        Operation::DeleteTrackings,
        Operation::RealtimeTracking,
        Operation::ChangeCarrier,
        Operation::GetUserInfo,
        Operation::GetStatusCounts,
        Operation::StopUpdating,
        Operation::CheckRemoteAreas,
        Operation::GetTransitTimes,
        Operation::TrackAirCargo,
        Operation::ListCarriers,
        Operation::DetectCarrier,
    ];

    /// The `operationId` of the document (`createTracking`).
    pub fn id(self) -> &'static str {
        self.names().0
    }

    /// The name progenitor passes to the hooks (`create_tracking`).
    pub fn generated_id(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Operation::CreateTracking => ("createTracking", "create_tracking"),
            Operation::GetTracking => ("getTracking", "get_tracking"),
            Operation::GetTrackingInLanguage => {
                ("getTrackingInLanguage", "get_tracking_in_language")
            }
            Operation::UpdateTracking => ("updateTracking", "update_tracking"),
            Operation::DeleteTracking => ("deleteTracking", "delete_tracking"),
            Operation::BatchCreateTrackings => ("batchCreateTrackings", "batch_create_trackings"),
            Operation::ListTrackings => ("listTrackings", "list_trackings"),
            Operation::UpdateTrackings => ("updateTrackings", "update_trackings"),
            Operation::DeleteTrackings => ("deleteTrackings", "delete_trackings"),
            Operation::RealtimeTracking => ("realtimeTracking", "realtime_tracking"),
            Operation::ChangeCarrier => ("changeCarrier", "change_carrier"),
            Operation::GetUserInfo => ("getUserInfo", "get_user_info"),
            Operation::GetStatusCounts => ("getStatusCounts", "get_status_counts"),
            Operation::StopUpdating => ("stopUpdating", "stop_updating"),
            Operation::CheckRemoteAreas => ("checkRemoteAreas", "check_remote_areas"),
            Operation::GetTransitTimes => ("getTransitTimes", "get_transit_times"),
            Operation::TrackAirCargo => ("trackAirCargo", "track_air_cargo"),
            Operation::ListCarriers => ("listCarriers", "list_carriers"),
            Operation::DetectCarrier => ("detectCarrier", "detect_carrier"),
        }
    }

    /// The operation for an `operationId` in either spelling.
    pub fn from_id(id: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.id() == id || op.generated_id() == id)
    }

    /// The HTTP method and the path template under the base URL.
    pub fn route(self) -> (Method, &'static str) {
        match self {
            Operation::CreateTracking => (Method::POST, "/trackings/post"),
            Operation::GetTracking => (Method::GET, "/trackings/{carrier_code}/{tracking_number}"),
            Operation::GetTrackingInLanguage => {
                (Method::GET, "/trackings/{carrier_code}/{tracking_number}/{lang}")
            }
            Operation::UpdateTracking => {
                (Method::PUT, "/trackings/{carrier_code}/{tracking_number}")
            }
            Operation::DeleteTracking => {
                (Method::DELETE, "/trackings/{carrier_code}/{tracking_number}")
            }
            Operation::BatchCreateTrackings => (Method::POST, "/trackings/batch"),
            Operation::ListTrackings => (Method::GET, "/trackings/get"),
            Operation::UpdateTrackings => (Method::POST, "/trackings/updatemore"),
            Operation::DeleteTrackings => (Method::POST, "/trackings/delete"),
            Operation::RealtimeTracking => (Method::POST, "/trackings/realtime"),
            Operation::ChangeCarrier => (Method::POST, "/trackings/update"),
            Operation::GetUserInfo => (Method::GET, "/trackings/getuserinfo"),
            Operation::GetStatusCounts => (Method::GET, "/trackings/getstatusnumber"),
            Operation::StopUpdating => (Method::POST, "/trackings/notupdate"),
            Operation::CheckRemoteAreas => (Method::POST, "/trackings/remote"),
            Operation::GetTransitTimes => (Method::POST, "/trackings/costtime"),
            Operation::TrackAirCargo => (Method::POST, "/trackings/aircargo"),
            Operation::ListCarriers => (Method::GET, "/carriers"),
            Operation::DetectCarrier => (Method::POST, "/carriers/detect"),
        }
    }

    /// The operation a method and a path (relative to the base URL) address, if any.
    ///
    /// Fixed paths win over the `{carrier_code}/{tracking_number}` templates, so that
    /// `GET /trackings/get` is a list and not the tracking `get` of carrier `trackings`.
    pub fn match_route(method: &Method, path: &str) -> Option<Operation> {
        let path = path.split('?').next().unwrap_or_default().trim_end_matches('/');
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        let segments = |template: &str| template.split('/').count();

        let fixed = Operation::ALL.into_iter().find(|op| {
            let (verb, template) = op.route();
            verb == method && !template.contains('{') && template == path
        });
        fixed.or_else(|| {
            Operation::ALL.into_iter().find(|op| {
                let (verb, template) = op.route();
                verb == method
                    && template.contains('{')
                    && segments(template) == segments(&path)
                    && template.starts_with("/trackings/")
                    && path.starts_with("/trackings/")
            })
        })
    }

    /// Whether ambiguous failures of this operation are retried (see the table above).
    pub fn retry_class(self) -> RetryClass {
        match self {
            Operation::RealtimeTracking | Operation::ChangeCarrier | Operation::TrackAirCargo => {
                RetryClass::NotProcessedOnly
            }
            _ => RetryClass::Always,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_name_the_same_operation() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_id(op.id()), Some(op));
            assert_eq!(Operation::from_id(op.generated_id()), Some(op));
        }
    }

    #[test]
    fn fixed_paths_win_over_templates() {
        assert_eq!(
            Operation::match_route(&Method::GET, "/trackings/get?page=2"),
            Some(Operation::ListTrackings)
        );
        assert_eq!(
            Operation::match_route(&Method::GET, "trackings/dhl/1234567890/"),
            Some(Operation::GetTracking)
        );
        assert_eq!(
            Operation::match_route(&Method::GET, "/trackings/dhl/1234567890/de"),
            Some(Operation::GetTrackingInLanguage)
        );
        assert_eq!(Operation::match_route(&Method::PATCH, "/trackings/get"), None);
    }

    #[test]
    fn only_quota_spending_and_non_idempotent_calls_are_held_back() {
        let held: Vec<_> = Operation::ALL
            .into_iter()
            .filter(|op| op.retry_class() == RetryClass::NotProcessedOnly)
            .collect();
        assert_eq!(
            held,
            [Operation::RealtimeTracking, Operation::ChangeCarrier, Operation::TrackAirCargo]
        );
    }
}
