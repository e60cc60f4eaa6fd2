//! The virtual clock's time formats: every instant is unix seconds, shown in UTC+8 as the
//! real service does.
//!
//! The clock itself is a number in the sandbox state that only the admin API moves; nothing
//! in the sandbox reads the wall clock except the rate limiter and the webhook retry timer.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike};

/// 2026-01-05T08:00:00+08:00, where every sandbox starts.
pub const START: i64 = 1_767_571_200;

/// The clock stops on 9998-12-31 (08:00 in UTC+8): far enough for any test, and early enough that
/// adding a journey's offsets to any instant can neither overflow nor leave chrono's range.
pub const END: i64 = 253_370_678_400;

fn offset() -> FixedOffset {
    // 8 hours east is always a valid offset.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("utc"))
}

fn local(timestamp: i64) -> DateTime<FixedOffset> {
    offset().timestamp_opt(timestamp, 0).single().unwrap_or_else(|| {
        offset().timestamp_opt(START, 0).single().expect("the start instant is representable")
    })
}

/// A record date: `2026-01-05T08:00:00+08:00`.
pub fn iso(timestamp: i64) -> String {
    let mut text = checkpoint(timestamp);
    text.replace_range(10..11, "T");
    text.push_str("+08:00");
    text
}

/// A checkpoint date: `2026-01-05 08:00:00`, carrier-local, no zone.
///
/// Written digit by digit rather than through `format("%Y-…")`, which parses the pattern
/// again on every call, or `format!`: a GET renders a dozen of these, and formatting them
/// was a fifth of the sandbox's time per request. The clock stays within years 2026 to
/// 9998, so every year has four digits.
pub fn checkpoint(timestamp: i64) -> String {
    let moment = local(timestamp);
    let year = u32::try_from(moment.year()).unwrap_or(0).min(9999);
    let mut text = String::with_capacity(25);
    for (value, digits, separator) in [
        (year, 4, '-'),
        (moment.month(), 2, '-'),
        (moment.day(), 2, ' '),
        (moment.hour(), 2, ':'),
        (moment.minute(), 2, ':'),
        (moment.second(), 2, '\0'),
    ] {
        for place in (0..digits).rev() {
            let digit = value / 10u32.pow(place) % 10;
            text.push(char::from(b'0' + digit as u8));
        }
        if separator != '\0' {
            text.push(separator);
        }
    }
    text
}

/// Parses the free-text `order_create_time` ("2017/8/27 16:51", "2018-05-11 12:00:00",
/// "2018-05-11", unix seconds) as UTC+8; `None` when it is none of these.
pub fn parse_order_time(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    let normalised = text.replace('/', "-");
    let formats = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];
    let naive = formats
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&normalised, format).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(&normalised, "%Y-%m-%d")
                .ok()
                .and_then(|date| date.and_hms_opt(0, 0, 0))
        })?;
    offset().from_local_datetime(&naive).single().map(|moment| moment.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_is_eight_in_the_morning_in_utc_plus_eight() {
        assert_eq!(iso(START), "2026-01-05T08:00:00+08:00");
        assert_eq!(checkpoint(START + 61), "2026-01-05 08:01:01");
        let later = START + 400 * 86_400 + 15 * 3600 + 59;
        assert_eq!(iso(later), local(later).format("%Y-%m-%dT%H:%M:%S%:z").to_string());
        assert_eq!(checkpoint(END), "9998-12-31 08:00:00");
    }

    #[test]
    fn order_times_parse_in_the_documented_shapes() {
        assert_eq!(parse_order_time("2026/1/5 8:00"), Some(START));
        assert_eq!(parse_order_time("2026-01-05 08:00:00"), Some(START));
        assert_eq!(parse_order_time("1767571200"), Some(START));
        assert_eq!(parse_order_time("soon"), None);
    }
}
