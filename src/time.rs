//! RFC 3339 timestamps to and from milliseconds since the Unix epoch, in UTC.
//!
//! The calendar is the proleptic Gregorian one, as in Go, so Go's zero time
//! (`0001-01-01T00:00:00Z`, which Go clients send for "unset") is an ordinary
//! negative value rather than a special case.

use crate::error::{Error, Result};

/// `0001-01-01T00:00:00Z`, Go's `time.Time{}`, in milliseconds since the epoch.
pub const GO_ZERO_TIME_MS: i64 = -62_135_596_800_000;

const MS_PER_DAY: i64 = 86_400_000;

const EXPECTED: &str = r#"expected RFC 3339 such as "2026-01-01T00:00:00Z" or "2026-01-01T01:00:00.5+01:00""#;

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into milliseconds since
/// the epoch in UTC.
///
/// `t` and `z` may be lower case, the fraction has 1 to 9 digits and is
/// truncated to milliseconds, and years run from 0000 to 9999. A leap second
/// (`:60`) is rejected rather than clamped, as Go rejects it: Unix time has no
/// slot for it, and clamping would make distinct instants compare equal.
pub fn parse_rfc3339(s: &str) -> Result<i64> {
    parse(s.as_bytes()).map_err(|why| Error::InvalidTime(format!("{s:?}: {why}; {EXPECTED}")))
}

/// Formats milliseconds since the epoch as RFC 3339 in UTC, like Go's
/// `time.RFC3339Nano`: `Z` for the zone and a fraction only when non-zero,
/// without trailing zeros (`2026-11-25T13:52:20.289Z`).
///
/// Every `i64` formats; years outside 0000–9999 come out as Go writes them
/// (`-0001`, `10000`), which [`parse_rfc3339`] does not read back.
pub fn format_rfc3339(ms: i64) -> String {
    let (days, ms_of_day) = (ms.div_euclid(MS_PER_DAY), ms.rem_euclid(MS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    let secs = ms_of_day / 1000;
    let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
    let millis = ms_of_day % 1000;
    let year = if year < 0 { format!("-{:04}", -year) } else { format!("{year:04}") };
    let frac = if millis == 0 { String::new() } else { format!(".{millis:03}").trim_end_matches('0').to_owned() };
    format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{frac}Z")
}

/// The reason comes back bare; [`parse_rfc3339`] adds the input and the expected form.
fn parse(b: &[u8]) -> core::result::Result<i64, String> {
    if b.len() < "YYYY-MM-DDTHH:MM:SSZ".len() {
        return Err("too short".to_owned());
    }
    let (head, tail) = b.split_at("YYYY-MM-DDTHH:MM:SS".len());
    for (at, sep) in [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')] {
        if head[at] != sep {
            return Err(format!("expected '{}' at byte {at}", char::from(sep)));
        }
    }
    if !matches!(head[10], b'T' | b't') {
        return Err("expected 'T' between date and time".to_owned());
    }
    let year = number(&head[0..4], "year")?;
    let month = number(&head[5..7], "month")?;
    let day = number(&head[8..10], "day")?;
    let hour = number(&head[11..13], "hour")?;
    let minute = number(&head[14..16], "minute")?;
    let second = number(&head[17..19], "second")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not 1-12"));
    }
    let last_day = days_in_month(year, month);
    if !(1..=last_day).contains(&day) {
        return Err(format!("day {day} is not 1-{last_day} in {year:04}-{month:02}"));
    }
    if hour > 23 {
        return Err(format!("hour {hour} is not 0-23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute} is not 0-59"));
    }
    if second == 60 {
        return Err("leap second 60 is not supported".to_owned());
    }
    if second > 59 {
        return Err(format!("second {second} is not 0-59"));
    }

    let (millis, zone) = match tail.strip_prefix(b".") {
        Some(frac) => {
            let len = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&len) {
                return Err("fraction must have 1 to 9 digits".to_owned());
            }
            // Truncate, never round: rounding could carry into the next second.
            let kept = len.min(3);
            let scale = [100, 10, 1][kept - 1];
            (number(&frac[..kept], "fraction")? * scale, &frac[len..])
        }
        None => (0, tail),
    };
    let offset_minutes = match zone {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = number(&[*h1, *h2], "offset hour")?;
            let om = number(&[*m1, *m2], "offset minute")?;
            if oh > 23 || om > 59 {
                return Err(format!("offset {oh:02}:{om:02} is not within 23:59"));
            }
            if *sign == b'-' {
                -(oh * 60 + om)
            } else {
                oh * 60 + om
            }
        }
        _ => return Err("expected 'Z' or a ±HH:MM offset after the time".to_owned()),
    };

    let local = days_from_civil(year, month, day) * MS_PER_DAY + (hour * 3600 + minute * 60 + second) * 1000 + millis;
    Ok(local - offset_minutes * 60_000)
}

/// Reads ASCII digits only; `str::parse` would also take a sign.
fn number(digits: &[u8], what: &str) -> core::result::Result<i64, String> {
    digits.iter().try_fold(0, |acc, &c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + i64::from(c - b'0'))
        } else {
            Err(format!("{what} must be digits"))
        }
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Both conversions count years from March, so the leap day is the last day of
// its year and every month length except February's falls into one repeating
// pattern; 400 Gregorian years (an "era") are exactly 146_097 days.

/// Days from 0000-03-01 to 1970-01-01.
const EPOCH_SHIFT_DAYS: i64 = 719_468;
const DAYS_PER_ERA: i64 = 146_097;

/// Days since 1970-01-01 of a valid proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    // Months from March have lengths 31,30,31,30,31 repeating; 153 days per five.
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT_DAYS
}

/// The inverse of [`days_from_civil`], for any day count an `i64` of ms can hold.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + EPOCH_SHIFT_DAYS;
    let era = days.div_euclid(DAYS_PER_ERA);
    let day_of_era = days - era * DAYS_PER_ERA;
    // Remove the leap days seen so far (one per 4 years, except per 100, except
    // per 400, where 146_096 marks the era's final extra day) to get whole years.
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (year_of_era * 365 + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `9999-12-31T23:59:59.999Z`, the last instant with a four-digit UTC year.
    const MAX_MS: i64 = 253_402_300_799_999;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2026-01-01T00:00:00Z", Some(1_767_225_600_000)),
            ("2026-01-01t00:00:00z", Some(1_767_225_600_000)),
            ("2026-01-01T01:00:00+01:00", Some(1_767_225_600_000)),
            ("2025-12-31T23:00:00-01:00", Some(1_767_225_600_000)),
            ("2026-01-01T05:30:00+05:30", Some(1_767_225_600_000)),
            ("2026-01-01T00:00:00-00:00", Some(1_767_225_600_000)),
            ("2026-11-25T13:52:20.289Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.2Z", Some(1_795_614_740_200)),
            ("2026-11-25T13:52:20.28Z", Some(1_795_614_740_280)),
            ("2026-11-25T13:52:20.2899Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.28999Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.289999Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.2899999Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.28999999Z", Some(1_795_614_740_289)),
            ("2026-11-25T13:52:20.289999999Z", Some(1_795_614_740_289)),
            ("2026-11-25T14:52:20.289+01:00", Some(1_795_614_740_289)),
            ("2000-02-29T12:00:00Z", Some(951_825_600_000)),
            ("2024-02-29T00:00:00Z", Some(1_709_164_800_000)),
            ("1600-02-29T00:00:00Z", Some(-11_670_998_400_000)),
            ("2100-03-01T00:00:00Z", Some(4_107_542_400_000)),
            ("1900-03-01T00:00:00Z", Some(-2_203_891_200_000)),
            ("2038-01-19T03:14:08Z", Some(2_147_483_648_000)),
            ("2016-12-31T23:59:59Z", Some(1_483_228_799_000)),
            ("1969-12-31T23:59:59.999Z", Some(-1)),
            ("1969-07-20T20:17:40Z", Some(-14_182_940_000)),
            ("0001-01-01T00:00:00Z", Some(GO_ZERO_TIME_MS)),
            ("0001-01-01T01:00:00+01:00", Some(GO_ZERO_TIME_MS)),
            ("0001-01-01T00:00:00+01:00", Some(GO_ZERO_TIME_MS - 3_600_000)),
            ("0000-01-01T00:00:00Z", Some(-62_167_219_200_000)),
            ("9999-12-31T23:59:59.999Z", Some(MAX_MS)),
            ("9999-12-31T23:59:59.999-23:59", Some(253_402_387_139_999)),
            // Rejected.
            ("1900-02-29T00:00:00Z", None),
            ("2100-02-29T00:00:00Z", None),
            ("2023-02-29T00:00:00Z", None),
            ("2026-04-31T00:00:00Z", None),
            ("2026-01-32T00:00:00Z", None),
            ("2026-01-00T00:00:00Z", None),
            ("2026-00-01T00:00:00Z", None),
            ("2026-13-01T00:00:00Z", None),
            ("2026-01-01T24:00:00Z", None),
            ("2026-01-01T00:60:00Z", None),
            ("2016-12-31T23:59:60Z", None),
            ("2026-01-01T00:00:61Z", None),
            ("2026-01-01T00:00:00", None),
            ("2026-01-01T00:00:00.Z", None),
            ("2026-01-01T00:00:00.1234567891Z", None),
            ("2026-01-01T00:00:00+24:00", None),
            ("2026-01-01T00:00:00+01:60", None),
            ("2026-01-01T00:00:00+0100", None),
            ("2026-01-01T00:00:00+01", None),
            ("2026-01-01T00:00:00+01:00Z", None),
            ("2026-01-01T00:00:00ZZ", None),
            ("2026-01-01T00:00:00 Z", None),
            ("2026-01-01 00:00:00Z", None),
            ("2026-01-01X00:00:00Z", None),
            ("2026/01/01T00:00:00Z", None),
            ("26-01-01T00:00:00Z", None),
            ("+2026-01-01T00:00:00Z", None),
            ("20260-01-01T00:00:00Z", None),
            ("2026-1-01T00:00:00Z", None),
            ("2026-+1-01T00:00:00Z", None),
            ("2026-01-01T0a:00:00Z", None),
            ("2026-01-01T00:00:00.12a4Z", None),
            ("2026-01-01", None),
            ("", None),
            ("2026-01-01T00:00:00\u{b5}", None),
        ];
        for &(input, want) in cases {
            let got = parse_rfc3339(input);
            match want {
                Some(ms) => assert_eq!(got, Ok(ms), "input {input:?}"),
                None => {
                    let err = got.expect_err(input);
                    assert_eq!(err.code(), "invalid_time", "input {input:?}");
                    assert!(err.to_string().contains(&format!("{input:?}")), "{err}");
                }
            }
        }
    }

    #[test]
    fn error_messages_name_the_problem() {
        let msg = |s: &str| parse_rfc3339(s).unwrap_err().to_string();
        assert!(msg("1900-02-29T00:00:00Z").contains("day 29 is not 1-28 in 1900-02"));
        assert!(msg("2026-13-01T00:00:00Z").contains("month 13"));
        assert!(msg("2016-12-31T23:59:60Z").contains("leap second"));
        assert!(msg("2026-01-01T00:00:00").contains("expected RFC 3339"));
    }

    #[test]
    fn format_table() {
        let cases: &[(i64, &str)] = &[
            (0, "1970-01-01T00:00:00Z"),
            (1, "1970-01-01T00:00:00.001Z"),
            (10, "1970-01-01T00:00:00.01Z"),
            (100, "1970-01-01T00:00:00.1Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (1_795_614_740_289, "2026-11-25T13:52:20.289Z"),
            (1_767_225_600_000, "2026-01-01T00:00:00Z"),
            (951_825_600_000, "2000-02-29T12:00:00Z"),
            (-11_670_998_400_000, "1600-02-29T00:00:00Z"),
            (GO_ZERO_TIME_MS, "0001-01-01T00:00:00Z"),
            (GO_ZERO_TIME_MS - 1, "0000-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00Z"),
            (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
            (MAX_MS, "9999-12-31T23:59:59.999Z"),
            (MAX_MS + 1, "10000-01-01T00:00:00Z"),
        ];
        for &(ms, want) in cases {
            assert_eq!(format_rfc3339(ms), want, "ms {ms}");
        }
        // The extremes must not overflow anywhere in the calendar arithmetic.
        assert!(format_rfc3339(i64::MIN).starts_with('-'));
        assert!(format_rfc3339(i64::MAX).ends_with('Z'));
    }

    #[test]
    fn calendar_walks_every_day() {
        let first = days_from_civil(0, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        let mut date = (0, 1, 1);
        for days in first..=last {
            assert_eq!(civil_from_days(days), date, "day {days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            let (y, m, d) = date;
            date = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn round_trip() {
        let check = |ms: i64| {
            let text = format_rfc3339(ms);
            assert_eq!(parse_rfc3339(&text), Ok(ms), "{text}");
        };
        for ms in [GO_ZERO_TIME_MS, -62_167_219_200_000, MAX_MS, 0, -1, 1] {
            check(ms);
        }
        // A simple LCG, sampled across years 0000 to 9999.
        let min_ms = -62_167_219_200_000;
        let span = (MAX_MS - min_ms + 1) as u64;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let ms = min_ms + ((x >> 11) % span) as i64;
            check(ms);
            // Whole seconds too, the common case and the one without a fraction.
            check(ms - ms.rem_euclid(1000));
        }
    }
}
