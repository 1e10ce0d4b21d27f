//! `GET …/admin/headers`: a page of a mailbox's pending headers, as Go's JSON.

use super::call::Call;
use super::json_out::{self, string};
use super::param;
use super::reply;
use super::HttpResponse;
use crate::body::Body;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::random::Random;
use crate::server::list::{Cursor, Listing};
use crate::storage::Storage;
use crate::time::{format_rfc3339, parse_rfc3339, GO_ZERO_TIME_MS};

/// Most headers one call returns.
pub const MAX_LIMIT: usize = 100;

/// Replies with headers received after `receivedat` (and, within its millisecond,
/// after mid `after`), oldest first: a JSON array of objects whose values are all
/// arrays of strings, as Go's `[]url.Values` marshals. 204 when there are none.
/// Messages under a lease are left out, as in Go: `status=leased` lists them
/// instead, and `status=dead` the mailbox's dead letters, by the same cursor.
pub(super) async fn headers<S: Storage, R: Random>(call: &Call<'_, S, R>, page: usize) -> Result<HttpResponse> {
    let (server, now, fields) = (call.server, call.now, call.fields);
    let receiver = call.receiver()?;
    let cursor = cursor(now, fields)?;
    let limit = limit(fields, page)?;
    let listing = Listing::parse(param::optional(fields, "status"))?;
    let list = server.fetch_listing(now, receiver, listing, cursor, limit).await?;
    if list.is_empty() {
        return Ok(reply::no_content());
    }
    let mut out = String::from("[");
    for (i, message) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_header(&mut out, message);
    }
    out.push(']');
    // JSON whatever the Accept, as in Go, but labelled as JSON (Go said text/plain).
    Ok(reply::json(out))
}

/// Where the page starts. Go's parameter is `receivedat`; `receivedAt`, the
/// name the replies use, is read too. Without either, the listing starts at the
/// beginning (Go answered 500).
fn cursor(now: i64, fields: &Body) -> Result<Cursor> {
    let since = param::optional(fields, "receivedat")
        .or_else(|| param::optional(fields, "receivedAt"))
        .map(|text| since(now, text))
        .transpose()?;
    let after = param::optional_key(fields, "after")?;
    match (since, after) {
        (Some(received_at), mid) => Ok(Cursor { received_at, mid }),
        (None, None) => Ok(Cursor { received_at: i64::MIN, mid: None }),
        // A mid alone does not say where it sits in the listing.
        (None, Some(_)) => Err(Error::BadRequest(
            "after needs receivedat: pass the receivedAt and mid of the last header of the previous page".into(),
        )),
    }
}

/// An RFC 3339 time, or a Go duration relative to `now` (`-1h`: an hour ago).
fn since(now: i64, text: &str) -> Result<i64> {
    if let Ok(t) = parse_rfc3339(text) {
        return Ok(t);
    }
    match parse_duration(text) {
        Ok(offset) => Ok(now.saturating_add(offset)),
        Err(_) => Err(Error::InvalidTime(format!(
            "receivedat: {text:?} is neither RFC 3339 (\"2026-01-01T00:00:00Z\") \
             nor a Go duration relative to now (\"-1h\")"
        ))),
    }
}

/// `limit` (1 to 100), or the server's page size (Go's was a fixed 10).
fn limit(fields: &Body, page: usize) -> Result<usize> {
    let Some(text) = param::optional(fields, "limit") else {
        return Ok(page.clamp(1, MAX_LIMIT));
    };
    // Integers only (a float parser would add its tables to the wasm): digits are
    // a count; a negative or fractional number is out of range, as in process.
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if digits(text) {
        return text.parse::<u64>().map_err(|_| not_whole()).and_then(check_limit);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if digits(whole) && digits(fraction) {
        Err(not_whole())
    } else {
        Err(Error::BadRequest(format!("limit: {text:?} is not a whole number")))
    }
}

fn not_whole() -> Error {
    Error::OutOfRange(format!("limit must be a whole number from 1 to {MAX_LIMIT}"))
}

/// A page size, in process and over HTTP alike: 1 to [`MAX_LIMIT`].
pub fn check_limit(n: u64) -> Result<usize> {
    match usize::try_from(n) {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(Error::OutOfRange(format!("limit must be between 1 and {MAX_LIMIT}, got {n}"))),
    }
}

/// In-process `limit`: a JS number, checked by the same rule (`None` when not given).
pub fn check_limit_number(n: f64) -> Result<usize> {
    if n.fract() != 0.0 || !n.is_finite() || n < 0.0 {
        return Err(not_whole());
    }
    check_limit(n as u64)
}

/// One header with keys sorted, as Go's `encoding/json` writes a map. `lid` is
/// always `[""]` (a lid is the lease holder's secret); `leasedUntil` is Go's
/// zero time when never leased; `validBody` is `["true"]` as in Go, since a
/// listing reads no blobs. `sender`, `receiver`, `clientTime` and `leased` are
/// additions: Go's listing showed only unleased due messages, this one shows
/// every pending message and says which are leased.
fn write_header(out: &mut String, m: &Message) {
    let leased_until = if m.leased_until == 0 { GO_ZERO_TIME_MS } else { m.leased_until };
    let mut members = [
        ("clientTime", format_rfc3339(m.client_time)),
        ("deliveryCount", m.delivery_count.to_string()),
        ("leased", m.leased.to_string()),
        ("leasedUntil", format_rfc3339(leased_until)),
        ("lid", String::new()),
        ("mid", m.mid.to_hex()),
        ("receivedAt", format_rfc3339(m.received_at)),
        ("receiver", m.receiver.clone()),
        ("sendWhen", format_rfc3339(m.send_when)),
        ("sender", m.sender.clone()),
        ("status", m.status.name().to_owned()),
        ("statusCode", m.status.code().to_string()),
        ("validBody", "true".to_owned()),
        ("visibleAt", format_rfc3339(m.visible_at)),
    ];
    // Sorting here keeps the Go order true even if a member is added out of place.
    members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push('{');
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, name);
        out.push(':');
        json_out::string_array(out, [value.as_str()]);
    }
    out.push('}');
}
