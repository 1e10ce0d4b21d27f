//! A message as JS receives it: one flat array, its slots named by `FIELDS`,
//! which `tables().messageRow` publishes so the package reads slots by name.

use crate::message::Message;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// The slot names, in order. `body` is a flat `[name, value, …]` array, or
/// `null` when the blob is missing (and in listings).
pub const FIELDS: [&str; 13] = [
    "mid",
    "lid",
    "statusCode",
    "sender",
    "receiver",
    "receivedAt",
    "sendWhen",
    "leasedUntil",
    "visibleAt",
    "deliveryCount",
    "clientTime",
    "leased",
    "body",
];

pub fn message_row(m: Message) -> JsValue {
    let body = match m.body {
        Some(body) => {
            let flat = Array::new();
            for (k, v) in body.fields() {
                flat.push(&k.into());
                flat.push(&v.into());
            }
            flat.into()
        }
        None => JsValue::NULL,
    };
    let slots: [JsValue; FIELDS.len()] = [
        m.mid.to_hex().into(),
        m.lid.map(JsValue::from).unwrap_or(JsValue::NULL),
        m.status.code().into(),
        m.sender.into(),
        m.receiver.into(),
        (m.received_at as f64).into(),
        (m.send_when as f64).into(),
        (m.leased_until as f64).into(),
        (m.visible_at as f64).into(),
        m.delivery_count.into(),
        (m.client_time as f64).into(),
        m.leased.into(),
        body,
    ];
    let row = Array::new_with_length(slots.len() as u32);
    for (i, slot) in slots.iter().enumerate() {
        row.set(i as u32, slot.clone());
    }
    row.into()
}
