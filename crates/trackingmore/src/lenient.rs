//! Helpers on the lenient generated types: numbers that arrive as strings, e-mails that
//! arrive as one string or a list, flags that arrive as `"true"`, and dates in two shapes.
//!
//! The API sends record dates as ISO 8601 with an offset (`2019-08-20T14:56:55+08:00`) and
//! checkpoint dates in carrier-local time without a zone (`2019-08-20 14:56` or with
//! seconds). The generated types keep every date as the string that came; [`Timestamp`]
//! parses either shape and keeps that string beside the result, so nothing is lost when a
//! carrier sends something else.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::types;

impl types::IntegerOrString {
    /// The value as an integer: a JSON integer, or a string holding one (`"17"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            types::IntegerOrString::Integer(number) => Some(*number),
            types::IntegerOrString::String(text) => text.trim().parse().ok(),
        }
    }
}

impl types::StringOrStringArray {
    /// The entries: one string becomes one entry, and blank entries are dropped.
    pub fn to_vec(&self) -> Vec<String> {
        let entries: Vec<&str> = match self {
            types::StringOrStringArray::String(text) => text.split(',').collect(),
            types::StringOrStringArray::Array(items) => items.iter().map(String::as_str).collect(),
        };
        entries.into_iter().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect()
    }
}

impl types::BooleanOrString {
    /// The flag: a JSON boolean, or the strings `true`/`false` (any case), `1`/`0`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            types::BooleanOrString::Boolean(flag) => Some(*flag),
            types::BooleanOrString::String(text) => match text.trim().to_ascii_lowercase().as_str()
            {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
        }
    }
}

/// A date as the API sent it, parsed when it has one of the known shapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// The text that came over the wire.
    pub raw: String,
    /// What it means, if it could be read.
    pub when: Option<When>,
}

/// The two kinds of dates the API sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A moment with a UTC offset (record dates, unix seconds).
    Zoned(DateTime<FixedOffset>),
    /// A wall-clock time at the carrier, with no zone (checkpoint dates).
    Local(NaiveDateTime),
}

impl Timestamp {
    /// Reads `2019-08-20T14:56:55+08:00`, `2019-08-20 14:56:55`, `2019-08-20 14:56`,
    /// `2019/8/20 14:56`, `2019-08-20` and unix seconds; keeps the text in any case.
    ///
    /// ```
    /// use trackingmore::Timestamp;
    ///
    /// let zoned = Timestamp::parse("2019-08-20T14:56:55+08:00");
    /// assert_eq!(zoned.to_utc().unwrap().to_rfc3339(), "2019-08-20T06:56:55+00:00");
    ///
    /// let local = Timestamp::parse("2019-08-20 14:56");
    /// assert_eq!(local.naive().unwrap().to_string(), "2019-08-20 14:56:00");
    ///
    /// let odd = Timestamp::parse("yesterday");
    /// assert_eq!((odd.raw.as_str(), odd.when), ("yesterday", None));
    /// ```
    pub fn parse(raw: &str) -> Timestamp {
        Timestamp { raw: raw.to_owned(), when: parse_when(raw.trim()) }
    }

    /// The wall-clock time, whatever the shape.
    pub fn naive(&self) -> Option<NaiveDateTime> {
        match self.when? {
            When::Zoned(moment) => Some(moment.naive_local()),
            When::Local(local) => Some(local),
        }
    }

    /// The moment in UTC; a zoneless time is taken as UTC.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        self.with_offset(FixedOffset::east_opt(0)?).map(|moment| moment.with_timezone(&Utc))
    }

    /// The moment, reading a zoneless time in `offset` (the carrier's zone, if known).
    pub fn with_offset(&self, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
        match self.when? {
            When::Zoned(moment) => Some(moment),
            When::Local(local) => offset.from_local_datetime(&local).single(),
        }
    }
}

fn parse_when(text: &str) -> Option<When> {
    if text.is_empty() {
        return None;
    }
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(When::Zoned(moment));
    }
    if text.len() >= 9 && text.bytes().all(|byte| byte.is_ascii_digit()) {
        let seconds: i64 = text.parse().ok()?;
        let moment = DateTime::from_timestamp(seconds, 0)?;
        return Some(When::Zoned(moment.fixed_offset()));
    }
    let text = text.replace('/', "-").replace('T', " ");
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(&text, format) {
            return Some(When::Local(local));
        }
    }
    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()?;
    date.and_hms_opt(0, 0, 0).map(When::Local)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// By wall-clock time, unreadable ones first, then by text.
    fn cmp(&self, other: &Timestamp) -> Ordering {
        self.naive().cmp(&other.naive()).then_with(|| self.raw.cmp(&other.raw))
    }
}

/// One checkpoint with the leg it belongs to, for a timeline across both carriers.
#[derive(Clone, Copy, Debug)]
pub struct TimelineEntry<'a> {
    /// `origin` or `destination`.
    pub leg: &'static str,
    /// The checkpoint.
    pub checkpoint: &'a types::Checkpoint,
}

impl TimelineEntry<'_> {
    /// When it happened.
    pub fn time(&self) -> Timestamp {
        self.checkpoint.time()
    }
}

impl types::Checkpoint {
    /// The checkpoint's date (`Date`), parsed.
    pub fn time(&self) -> Timestamp {
        Timestamp::parse(self.date.as_deref().unwrap_or_default())
    }
}

impl types::Tracking {
    /// `created_at`, parsed.
    pub fn created_time(&self) -> Option<Timestamp> {
        self.created_at.as_deref().map(Timestamp::parse)
    }

    /// `updated_at`, parsed.
    pub fn updated_time(&self) -> Option<Timestamp> {
        self.updated_at.as_deref().map(Timestamp::parse)
    }

    /// Every checkpoint of both legs, oldest first (the API lists each leg newest first).
    pub fn timeline(&self) -> Vec<TimelineEntry<'_>> {
        let legs = [("origin", &self.origin_info), ("destination", &self.destination_info)];
        let mut entries: Vec<TimelineEntry<'_>> = legs
            .into_iter()
            .filter_map(|(leg, info)| Some((leg, info.as_ref()?.trackinfo.as_ref()?)))
            .flat_map(|(leg, checkpoints)| {
                checkpoints.iter().map(move |checkpoint| TimelineEntry { leg, checkpoint })
            })
            .collect();
        entries.sort_by_key(TimelineEntry::time);
        entries
    }

    /// The recipient e-mails, however they were sent.
    pub fn customer_emails(&self) -> Vec<String> {
        self.customer_email.as_ref().map(types::StringOrStringArray::to_vec).unwrap_or_default()
    }

    /// Whether the tracking is archived, however the flag was sent.
    pub fn is_archived(&self) -> Option<bool> {
        self.archived.as_ref().and_then(types::BooleanOrString::as_bool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_shapes_parse_and_keep_their_text() {
        let seconds = Timestamp::parse("2019-08-20 14:56:55");
        assert_eq!(seconds.naive().map(|t| t.to_string()).as_deref(), Some("2019-08-20 14:56:55"));
        let slashes = Timestamp::parse("2017/8/27 16:51");
        assert_eq!(slashes.naive().map(|t| t.to_string()).as_deref(), Some("2017-08-27 16:51:00"));
        let unix = Timestamp::parse("1533810214");
        assert_eq!(unix.to_utc().map(|t| t.timestamp()), Some(1_533_810_214));
        let plus8 = FixedOffset::east_opt(8 * 3600).expect("valid offset");
        let local = Timestamp::parse("2019-08-20 14:56").with_offset(plus8).expect("a time");
        assert_eq!(local.to_rfc3339(), "2019-08-20T14:56:00+08:00");
        assert_eq!(Timestamp::parse("").when, None);
    }

    #[test]
    fn lenient_values_read_both_ways() {
        assert_eq!(types::IntegerOrString::String(" 17 ".into()).as_i64(), Some(17));
        assert_eq!(types::IntegerOrString::Integer(0).as_i64(), Some(0));
        assert_eq!(types::IntegerOrString::String("2019-06-28 18:40".into()).as_i64(), None);
        let emails = types::StringOrStringArray::Array(vec!["a@x.org".into(), " ".into()]);
        assert_eq!(emails.to_vec(), ["a@x.org"]);
        assert!(types::StringOrStringArray::String(String::new()).to_vec().is_empty());
        assert_eq!(types::BooleanOrString::String("TRUE".into()).as_bool(), Some(true));
        assert_eq!(types::BooleanOrString::Boolean(false).as_bool(), Some(false));
        assert_eq!(types::BooleanOrString::String("maybe".into()).as_bool(), None);
    }
}
