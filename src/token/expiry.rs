//! When a token should expire, as a person writes it (`--expires 30d`).

use crate::config::DAY;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::time::parse_rfc3339;

/// The expiry `text` names: a duration from `now` (a Go duration, optionally
/// after whole days: `30d`, `1d12h`, `90m`) or an RFC 3339 time. It must lie
/// after `now`: a token that is born expired is a mistake.
pub fn expiry_of(text: &str, now: i64) -> Result<i64> {
    let at = if let Ok(at) = parse_rfc3339(text) {
        at
    } else {
        let (days, rest) = match text.split_once('d') {
            Some((days, rest)) if !days.is_empty() && days.bytes().all(|b| b.is_ascii_digit()) => (days, rest),
            _ => ("0", text),
        };
        let days: i64 = days.parse().map_err(|_| Error::InvalidDuration(format!("{text:?}: too many days")))?;
        // The duration parser's own message lists Go's units, which leave out the days taken here.
        let unreadable = |_| {
            Error::InvalidDuration(format!(
                "{text:?}: an expiry is whole days and/or a Go duration (30d, 1d12h, 90m) or an RFC 3339 time"
            ))
        };
        let rest = if rest.is_empty() { 0 } else { parse_duration(rest).map_err(unreadable)? };
        days.checked_mul(DAY)
            .and_then(|d| d.checked_add(rest))
            .and_then(|d| now.checked_add(d))
            .ok_or_else(|| Error::OutOfRange(format!("expiry {text:?} is too far away")))?
    };
    if at <= now {
        return Err(Error::OutOfRange(format!("expiry {text:?} is not in the future")));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{HOUR, MINUTE};

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn durations_days_and_times() {
        assert_eq!(expiry_of("30d", NOW), Ok(NOW + 30 * DAY));
        assert_eq!(expiry_of("1d12h", NOW), Ok(NOW + DAY + 12 * HOUR));
        assert_eq!(expiry_of("90m", NOW), Ok(NOW + 90 * MINUTE));
        assert_eq!(expiry_of("2030-01-01T00:00:00Z", NOW), Ok(1_893_456_000_000));
        for bad in ["", "d", "soon", "30 d", "1.5d", "-1h", "2020-01-01T00:00:00Z", "0d"] {
            let code = expiry_of(bad, NOW).unwrap_err().code();
            assert!(matches!(code, "invalid_duration" | "out_of_range"), "{bad:?}: {code}");
        }
        assert_eq!(expiry_of("99999999999999999999d", NOW).unwrap_err().code(), "invalid_duration");
        // Its message names the days it takes, not only Go's units.
        assert!(expiry_of("30x", NOW).unwrap_err().to_string().contains("30d"));
    }
}
