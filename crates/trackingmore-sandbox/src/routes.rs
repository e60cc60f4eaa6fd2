//! The table of v2 operations: one name per operation, used by the router, the journal, rate
//! limits and fault rules, so that all four agree on what "realtime" or "list" means.

use axum::http::Method;

/// (operation name, method, path under `/v2`). Names are the `operationId`s of
/// `openapi/trackingmore-v2.yaml`.
pub const OPERATIONS: &[(&str, &str, &str)] = &[
    ("createTracking", "POST", "/trackings/post"),
    ("getTracking", "GET", "/trackings/{carrier_code}/{tracking_number}"),
    ("getTrackingInLanguage", "GET", "/trackings/{carrier_code}/{tracking_number}/{lang}"),
    ("updateTracking", "PUT", "/trackings/{carrier_code}/{tracking_number}"),
    ("deleteTracking", "DELETE", "/trackings/{carrier_code}/{tracking_number}"),
    ("batchCreateTrackings", "POST", "/trackings/batch"),
    ("listTrackings", "GET", "/trackings/get"),
    ("listTrackings", "POST", "/trackings/get"),
    ("updateTrackings", "POST", "/trackings/updatemore"),
    ("deleteTrackings", "POST", "/trackings/delete"),
    ("realtimeTracking", "POST", "/trackings/realtime"),
    ("changeCarrier", "POST", "/trackings/update"),
    ("getUserInfo", "GET", "/trackings/getuserinfo"),
    ("getStatusCounts", "GET", "/trackings/getstatusnumber"),
    ("stopUpdating", "POST", "/trackings/notupdate"),
    ("checkRemoteAreas", "POST", "/trackings/remote"),
    ("getTransitTimes", "POST", "/trackings/costtime"),
    ("trackAirCargo", "POST", "/trackings/aircargo"),
    ("listCarriers", "GET", "/carriers"),
    ("detectCarrier", "POST", "/carriers/detect"),
];

/// Short names accepted wherever an operation is named (rate limits, fault rules).
const ALIASES: &[(&str, &str)] = &[
    ("create", "createTracking"),
    ("get", "getTracking"),
    ("update", "updateTracking"),
    ("delete", "deleteTracking"),
    ("batch", "batchCreateTrackings"),
    ("list", "listTrackings"),
    ("updatemore", "updateTrackings"),
    ("delete_many", "deleteTrackings"),
    ("realtime", "realtimeTracking"),
    ("change_carrier", "changeCarrier"),
    ("userinfo", "getUserInfo"),
    ("status_number", "getStatusCounts"),
    ("notupdate", "stopUpdating"),
    ("remote", "checkRemoteAreas"),
    ("costtime", "getTransitTimes"),
    ("aircargo", "trackAirCargo"),
    ("carriers", "listCarriers"),
    ("detect", "detectCarrier"),
];

/// Strips the `/v2` prefix and a trailing slash from a path or route template.
fn normalise(path: &str) -> &str {
    let path = path.strip_prefix("/v2").unwrap_or(path);
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/" } else { trimmed }
}

/// The operation behind a method and a matched route template (as axum reports it).
pub fn operation_of(method: &Method, template: &str) -> Option<&'static str> {
    let template = normalise(template);
    OPERATIONS
        .iter()
        .find(|(_, verb, path)| *verb == method.as_str() && *path == template)
        .map(|(name, ..)| *name)
}

/// The operation a user-supplied route name means: an operation id (`realtimeTracking`), a
/// short alias (`realtime`) or a fixed path (`/v2/trackings/realtime/`). `None` when it names
/// no operation, or a path with parameters, which several methods share.
pub fn operation_for(route: &str) -> Option<&'static str> {
    if let Some((name, ..)) = OPERATIONS.iter().find(|(name, ..)| *name == route) {
        return Some(name);
    }
    if let Some((_, name)) = ALIASES.iter().find(|(alias, _)| *alias == route) {
        return Some(name);
    }
    let path = normalise(route);
    let mut owners = OPERATIONS.iter().filter(|(_, _, template)| *template == path);
    let (name, ..) = owners.next()?;
    owners.all(|(other, ..)| other == name).then_some(*name)
}

/// Whether a request path fits a user-supplied path pattern: the same path, or a template
/// such as `/trackings/{carrier_code}/{tracking_number}` whose placeholders take any segment.
/// The `/v2` prefix and trailing slashes do not matter.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = normalise(pattern).split('/').collect();
    let path: Vec<&str> = normalise(path).split('/').collect();
    pattern.len() == path.len()
        && pattern.iter().zip(&path).all(|(want, have)| want.starts_with('{') || want == have)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_mean_the_same_operation() {
        assert_eq!(operation_for("realtime"), Some("realtimeTracking"));
        assert_eq!(operation_for("realtimeTracking"), Some("realtimeTracking"));
        assert_eq!(operation_for("/trackings/realtime"), Some("realtimeTracking"));
        assert_eq!(operation_for("/v2/trackings/get/"), Some("listTrackings"));
        assert_eq!(operation_for("/trackings/{carrier_code}/{tracking_number}"), None);
        assert!(path_matches(
            "/trackings/{carrier_code}/{tracking_number}",
            "/v2/trackings/dhl/1234567890/"
        ));
        assert!(!path_matches("/trackings/{carrier_code}/{tracking_number}", "/v2/trackings/get"));
        assert_eq!(operation_for("/nowhere"), None);
        let template = "/v2/trackings/{carrier_code}/{tracking_number}/";
        assert_eq!(operation_of(&Method::PUT, template), Some("updateTracking"));
    }
}
