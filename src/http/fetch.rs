//! `POST …/fetch`: lease the receiver's earliest due message.

use super::call::Call;
use super::json_out::{self, string, Object};
use super::param;
use super::peek::json_array;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::config::{check_wait, MAX_BATCH};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::random::Random;
use crate::storage::Storage;
use crate::time::format_rfc3339;
use std::collections::BTreeMap;

pub(super) async fn fetch<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let (server, now, fields) = (call.server, call.now, call.fields);
    let receiver = call.receiver()?;
    // Missing: the default lease. Invalid or out of range: an error (Go fell back
    // to the default silently).
    let lease = param::duration(fields, "leaseTime")?;
    // The wait itself is the host's (it holds the request until a message is
    // due); here only its range is checked, before anything is read.
    if let Some(wait) = param::duration(fields, "wait")? {
        check_wait(wait)?;
    }
    // With `max` the reply is a JSON array, `[]` when none: a Go client never sends it.
    if fields.get("max").is_some() {
        let max = param::count(fields, "max", MAX_BATCH)?
            .ok_or_else(|| Error::OutOfRange(format!("max must be a whole number from 1 to {MAX_BATCH}")))?;
        let messages = server.fetch_batch(now, receiver, max, lease).await?;
        return Ok(reply::json(json_array(messages.iter().map(json_object))));
    }
    // An unknown receiver is simply an empty mailbox (Go said "sender not found").
    let Some(message) = server.fetch_latest(now, receiver, lease).await? else {
        return Ok(reply::no_content());
    };
    Ok(match call.format {
        Format::Form => reply::form(&form_fields(&message)),
        Format::Json => reply::json(json_object(&message)),
    })
}

/// Go's layout: every body field plus the delivery's fields, all as one form
/// (encoded with keys sorted). The body cannot hold these names: the core
/// refuses them at send, so nothing here overwrites a sender's field.
fn form_fields(m: &Message) -> Body {
    let mut out = match &m.body {
        Some(body) => body.clone(),
        // The blob is gone: still say whose message this is.
        None => [
            ("sender", m.sender.clone()),
            ("receiver", m.receiver.clone()),
            ("clientTime", format_rfc3339(m.client_time)),
        ]
        .into_iter()
        .collect(),
    };
    out.set("deliveryCount", m.delivery_count.to_string());
    out.set("leasedUntil", format_rfc3339(m.leased_until));
    out.set("lid", m.lid.clone().unwrap_or_default());
    out.set("mid", m.mid.to_hex());
    out.set("receivedAt", format_rfc3339(m.received_at));
    out.set("sendWhen", format_rfc3339(m.send_when));
    out.set("status", m.status.name());
    out.set("statusCode", m.status.code().to_string());
    out.set("validBody", if m.body.is_some() { "true" } else { "false" });
    out
}

/// The JSON shape: typed header fields, and the stored body as
/// `{field: "value"}`, or `{field: ["v1", "v2"]}` for a repeated field;
/// `"body": null` when the blob is missing (`validBody: false`).
pub(super) fn json_object(m: &Message) -> String {
    let mut obj = Object::new();
    obj.str("mid", &m.mid.to_hex())
        .str("lid", m.lid.as_deref().unwrap_or(""))
        .str("status", m.status.name())
        .int("statusCode", m.status.code())
        .str("sender", &m.sender)
        .str("receiver", &m.receiver)
        .str("receivedAt", &format_rfc3339(m.received_at))
        .str("sendWhen", &format_rfc3339(m.send_when))
        .str("leasedUntil", &format_rfc3339(m.leased_until))
        .str("visibleAt", &format_rfc3339(m.visible_at))
        .int("deliveryCount", m.delivery_count)
        .str("clientTime", &format_rfc3339(m.client_time))
        .bool("validBody", m.body.is_some());
    match &m.body {
        Some(body) => obj.raw("body", &json_body(body)),
        None => obj.raw("body", "null"),
    };
    obj.finish()
}

/// Fields in order of first appearance; a name's values stay in their order.
/// Grouped in one pass through an index, so a body of many small fields stays linear.
fn json_body(body: &Body) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, value) in body.fields() {
        let slot = *index.entry(name.as_str()).or_insert_with(|| {
            groups.push((name.as_str(), Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(value.as_str());
    }
    let mut obj = Object::new();
    for (name, values) in groups {
        match values.as_slice() {
            [one] => string(obj.member(name), one),
            many => json_out::string_array(obj.member(name), many.iter().copied()),
        }
    }
    obj.finish()
}
