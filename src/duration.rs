//! Go duration strings (`"1m30s"`) to and from whole milliseconds.
//!
//! Go clients send leases and delays in `time.Duration` syntax, so parsing
//! follows `time.ParseDuration` rule for rule, with one deliberate difference:
//! Go computes fractions through `float64`, which can drop nanoseconds from long
//! fractions and so move a result across a millisecond; here they are exact.

use crate::error::{Error, Result};

/// A Go duration is an `int64` of nanoseconds, so its magnitude may reach
/// 2^63 only when negative; anything larger is rejected as Go rejects it.
const MAX_MAGNITUDE_NS: u128 = 1 << 63;

const NANOS_PER_MILLI: u128 = 1_000_000;

const EXPECTED: &str = r#"expected a Go duration such as "1m30s", "1.5h" or "300ms""#;

/// Parses a Go duration (`"1h30m"`, `"-1.5s"`, `"300ms"`, `"0"`) into
/// milliseconds, truncating any sub-millisecond part toward zero.
pub fn parse_duration(s: &str) -> Result<i64> {
    parse_go(s).map_err(|why| Error::InvalidDuration(format!("{s:?}: {why}; {EXPECTED}")))
}

/// Like [`parse_duration`], but a plain integer such as `"1500"` is taken as
/// milliseconds, for JS callers that send numbers as strings.
pub fn parse_duration_or_millis(s: &str) -> Result<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|_| {
            Error::InvalidDuration(format!("{s:?}: does not fit in 64-bit milliseconds; expected at most {}", i64::MAX))
        });
    }
    parse_go(s).map_err(|why| {
        Error::InvalidDuration(format!(r#"{s:?}: {why}; {EXPECTED}, or whole milliseconds such as "1500""#))
    })
}

/// Formats milliseconds the way Go's `Duration.String()` formats the same span:
/// `"0s"`, `"300ms"`, `"1.5s"`, `"1m0s"`, `"-1h30m0s"`.
///
/// Every `i64` formats, although [`parse_duration`] rejects spans beyond Go's
/// range (about ±2562047h). Only the tests use it: it is the inverse the
/// round-trip property of [`parse_duration`] is checked against.
#[cfg(test)]
pub fn format_duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    // `unsigned_abs` because `-i64::MIN` does not exist.
    let abs = ms.unsigned_abs();
    if abs == 0 {
        return "0s".to_owned();
    }
    if abs < 1000 {
        return format!("{sign}{abs}ms");
    }
    let (secs, millis) = (abs / 1000, abs % 1000);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let frac = if millis == 0 { String::new() } else { format!(".{millis:03}").trim_end_matches('0').to_owned() };
    if h > 0 {
        format!("{sign}{h}h{m}m{s}{frac}s")
    } else if m > 0 {
        format!("{sign}{m}m{s}{frac}s")
    } else {
        format!("{sign}{s}{frac}s")
    }
}

/// The reason comes back bare so each public entry point can say what it expected.
fn parse_go(s: &str) -> core::result::Result<i64, String> {
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    // Go lets a bare zero, and no other number, go without a unit.
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err("no number".to_owned());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_digits, after) = rest.split_at(int_len);
        let (frac_digits, after) = match after.strip_prefix('.') {
            Some(f) => f.split_at(f.bytes().take_while(u8::is_ascii_digit).count()),
            None => ("", after),
        };
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(format!("expected a number at {rest:?}"));
        }
        // As in Go, the unit runs up to the next number, so `"1 s"` fails on unit `" s"`.
        let unit_len = after.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(after.len());
        let (unit, tail) = after.split_at(unit_len);
        if unit.is_empty() {
            let number = &rest[..rest.len() - after.len()];
            return Err(format!("missing unit after {number:?}"));
        }
        let unit_ns =
            unit_nanos(unit).ok_or_else(|| format!("unknown unit {unit:?} (units are ns, us, µs, ms, s, m, h)"))?;
        let mut whole: u128 = 0;
        for d in int_digits.bytes() {
            whole = whole * 10 + u128::from(d - b'0');
            // Bail out early so a thousand-digit number cannot overflow u128.
            if whole > MAX_MAGNITUDE_NS {
                return Err(overflow());
            }
        }
        total += whole * unit_ns + fraction_ns(frac_digits, unit_ns);
        if total > MAX_MAGNITUDE_NS {
            return Err(overflow());
        }
        rest = tail;
    }
    if !negative && total == MAX_MAGNITUDE_NS {
        return Err(overflow());
    }
    // At most 2^63 / 10^6, so the cast cannot truncate.
    let ms = (total / NANOS_PER_MILLI) as i64;
    Ok(if negative { -ms } else { ms })
}

fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        // Go takes both the micro sign and the Greek mu, which look identical.
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// `floor(0.<digits> × unit)`, exact for any number of digits.
fn fraction_ns(digits: &str, unit_ns: u128) -> u128 {
    // Horner from the last digit: for 0 <= x < 1 and integer N = unit·d + floor(unit·x),
    // floor(unit·(d + x) / 10) == floor(N / 10), so flooring at every step loses nothing.
    digits.bytes().rev().fold(0, |acc, d| (unit_ns * u128::from(d - b'0') + acc) / 10)
}

fn overflow() -> String {
    "out of range: Go durations stop at about ±2562047h".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's `time.Duration` limits, in whole milliseconds.
    const MAX_GO_MS: i64 = 9_223_372_036_854;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("+0", Some(0)),
            ("-0", Some(0)),
            ("0s", Some(0)),
            ("5s", Some(5_000)),
            ("+5s", Some(5_000)),
            ("-5s", Some(-5_000)),
            ("300ms", Some(300)),
            ("1.5h", Some(5_400_000)),
            ("1h30m", Some(5_400_000)),
            ("1h30m0s", Some(5_400_000)),
            ("2h45m30.5s", Some(9_930_500)),
            ("30m1h", Some(5_400_000)),
            ("1h1h", Some(7_200_000)),
            (".5s", Some(500)),
            ("1.s", Some(1_000)),
            ("1.1s", Some(1_100)),
            ("0.1s", Some(100)),
            ("0.3h", Some(1_080_000)),
            ("1.0000000001s", Some(1_000)),
            ("0.9999999999s", Some(999)),
            ("00001s", Some(1_000)),
            ("300us", Some(0)),
            ("1500us", Some(1)),
            ("-1500us", Some(-1)),
            ("1500\u{b5}s", Some(1)),
            ("1500\u{3bc}s", Some(1)),
            ("999999ns", Some(0)),
            ("1000000ns", Some(1)),
            ("-1999999ns", Some(-1)),
            ("1m0.5ms", Some(60_000)),
            ("1.5m", Some(90_000)),
            // 1/6 m is exactly 10^10 ns, reached only through the far digits.
            ("0.16666666666666666666666666666667m", Some(10_000)),
            ("0.16666666666666666666666666666666m", Some(9_999)),
            ("9223372036854775807ns", Some(MAX_GO_MS)),
            ("-9223372036854775808ns", Some(-MAX_GO_MS)),
            ("2562047h47m16.854775807s", Some(MAX_GO_MS)),
            ("-2562047h47m16.854775808s", Some(-MAX_GO_MS)),
            ("9223372036854775808ns", None),
            ("-9223372036854775809ns", None),
            ("2562047h47m16.854775808s", None),
            ("2562048h", None),
            ("99999999999999999999999999999999999999999s", None),
            ("5000000h5000000h", None),
            ("", None),
            ("+", None),
            ("-", None),
            (".", None),
            (".s", None),
            ("s", None),
            ("1", None),
            ("-1", None),
            ("00", None),
            ("1.5", None),
            ("1s1", None),
            ("--1s", None),
            ("+-1s", None),
            ("1.2.3s", None),
            ("1x", None),
            ("1S", None),
            ("1sec", None),
            ("1e3s", None),
            (" 1s", None),
            ("1s ", None),
            ("1 s", None),
            ("1d", None),
            ("1s-1s", None),
        ];
        for &(input, want) in cases {
            let got = parse_duration(input);
            match want {
                Some(ms) => assert_eq!(got, Ok(ms), "input {input:?}"),
                None => {
                    let err = got.expect_err(input);
                    assert_eq!(err.code(), "invalid_duration", "input {input:?}");
                    assert!(err.to_string().contains(&format!("{input:?}")), "{err}");
                }
            }
        }
    }

    #[test]
    fn error_messages_name_the_problem() {
        let msg = |s: &str| parse_duration(s).unwrap_err().to_string();
        assert!(msg("1x").contains(r#"unknown unit "x""#), "{}", msg("1x"));
        assert!(msg("15").contains("missing unit"), "{}", msg("15"));
        assert!(msg("3000000h").contains("out of range"), "{}", msg("3000000h"));
        assert!(msg("").contains("expected a Go duration"), "{}", msg(""));
    }

    #[test]
    fn format_table() {
        let cases: &[(i64, &str)] = &[
            (0, "0s"),
            (1, "1ms"),
            (300, "300ms"),
            (999, "999ms"),
            (-1, "-1ms"),
            (1_000, "1s"),
            (1_001, "1.001s"),
            (1_010, "1.01s"),
            (1_500, "1.5s"),
            (59_999, "59.999s"),
            (60_000, "1m0s"),
            (61_500, "1m1.5s"),
            (3_600_000, "1h0m0s"),
            (5_400_000, "1h30m0s"),
            (-3_600_000, "-1h0m0s"),
            (86_400_000, "24h0m0s"),
            (MAX_GO_MS, "2562047h47m16.854s"),
            (-MAX_GO_MS, "-2562047h47m16.854s"),
        ];
        for &(ms, want) in cases {
            assert_eq!(format_duration(ms), want, "ms {ms}");
        }
        // Beyond Go's range: must not panic, even at the one value without a negation.
        assert_eq!(format_duration(i64::MIN), "-2562047788015h12m55.808s");
        assert_eq!(format_duration(i64::MAX), "2562047788015h12m55.807s");
    }

    #[test]
    fn lenient_table() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1500", Some(1_500)),
            ("+1500", Some(1_500)),
            ("-1500", Some(-1_500)),
            ("0", Some(0)),
            ("007", Some(7)),
            ("9223372036854775807", Some(i64::MAX)),
            ("1.5s", Some(1_500)),
            ("1m", Some(60_000)),
            ("9223372036854775808", None),
            ("1.5", None),
            ("15 ", None),
            ("", None),
            ("-", None),
            ("ms", None),
        ];
        for &(input, want) in cases {
            let got = parse_duration_or_millis(input);
            match want {
                Some(ms) => assert_eq!(got, Ok(ms), "input {input:?}"),
                None => {
                    let err = got.expect_err(input);
                    assert_eq!(err.code(), "invalid_duration", "input {input:?}");
                    assert!(err.to_string().contains(&format!("{input:?}")), "{err}");
                }
            }
        }
        let msg = parse_duration_or_millis("1.5").unwrap_err().to_string();
        assert!(msg.contains("whole milliseconds"), "{msg}");
    }

    #[test]
    fn round_trip() {
        let check = |ms: i64| assert_eq!(parse_duration(&format_duration(ms)), Ok(ms), "ms {ms}");
        for ms in -5_000..=5_000 {
            check(ms);
        }
        for ms in [MAX_GO_MS, -MAX_GO_MS, MAX_GO_MS - 1, 3_599_999, 3_600_001, 59_999] {
            check(ms);
        }
        // A simple LCG, sampled across the whole of Go's range.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let span = 2 * MAX_GO_MS as u64 + 1;
        for _ in 0..100_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let ms = ((x >> 11) % span) as i64 - MAX_GO_MS;
            check(ms);
            check(ms / 1_000_000);
        }
    }
}
