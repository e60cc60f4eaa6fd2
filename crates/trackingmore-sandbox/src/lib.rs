//! A stateful local server of the TrackingMore v2 API.
