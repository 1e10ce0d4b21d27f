//! The reader against serde_json, over generated documents and byte-level
//! mutations of them: both accept the same documents with the same fields (in
//! order, repeated names kept, number literals as written) and refuse the rest.

use super::parse_object;
use proptest::prelude::*;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;

/// A document's top-level entries in order, repeated names kept (a `Map` would
/// merge them), each value as its source text.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A string's value, or a number's or boolean's literal text.
fn scalar(raw: &RawValue) -> Option<String> {
    match serde_json::from_str::<Value>(raw.get()).ok()? {
        Value::String(s) => Some(s),
        Value::Number(_) | Value::Bool(_) => Some(raw.get().to_owned()),
        _ => None,
    }
}

/// What the reader should give: fields in order, or `None` (refused).
fn reference(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let Entries(entries) = serde_json::from_slice(bytes).ok()?;
    let mut fields = Vec::new();
    for (name, raw) in entries {
        match raw.get() {
            "null" => {}
            text if text.starts_with('[') => {
                let items: Vec<Box<RawValue>> = serde_json::from_str(text).ok()?;
                for item in items {
                    fields.push((name.clone(), scalar(&item)?));
                }
            }
            _ => fields.push((name, scalar(&raw)?)),
        }
    }
    Some(fields)
}

fn ours(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let body = parse_object(bytes).ok()?;
    Some(body.fields().to_vec())
}

fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{0,6}".prop_map(|s| format!("\"{s}\"")),
        // Escapes, unicode, a control character, a lone surrogate.
        prop::sample::select(vec![
            r#""a\"b""#,
            r#""\\""#,
            r#""\n\t\/""#,
            r#""\u00e9""#,
            r#""\ud83d\ude00""#,
            r#""\ud83d""#,
            "\"é😀\"",
            "\"\u{1}\"",
            r#""\x""#,
            r#""\u12""#,
        ])
        .prop_map(str::to_owned),
    ]
}

fn json_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        json_string(),
        prop::sample::select(vec![
            "0",
            "-0",
            "1.50",
            "12e3",
            "1E-2",
            "-1.5e+10",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "true",
            "false",
            "null",
            "tru",
            "nul",
            "{}",
            "{\"a\":1}",
            "[]",
            "[[1]]",
        ])
        .prop_map(str::to_owned),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => json_scalar(),
        1 => prop::collection::vec(json_scalar(), 0..4).prop_map(|items| format!("[{}]", items.join(","))),
    ]
}

fn document() -> impl Strategy<Value = String> {
    let entry = (json_string(), json_value(), prop::sample::select(vec!["", " ", "\n\t"]))
        .prop_map(|(k, v, ws)| format!("{ws}{k}{ws}:{ws}{v}{ws}"));
    (prop::collection::vec(entry, 0..5), prop::sample::select(vec!["", " ", "\r\n"]))
        .prop_map(|(entries, ws)| format!("{ws}{{{}}}{ws}", entries.join(",")))
}

/// A document with a few bytes inserted, deleted or replaced.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edit = (any::<prop::sample::Index>(), 0u8..3, prop::sample::select(b"{}[]\",:\\ 0-.eE\x00\xffa".to_vec()));
    (document(), prop::collection::vec(edit, 1..4)).prop_map(|(doc, edits)| {
        let mut bytes = doc.into_bytes();
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ if i < bytes.len() => bytes[i] = byte,
                _ => bytes.push(byte),
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_documents_agree(doc in document()) {
        prop_assert_eq!(ours(doc.as_bytes()), reference(doc.as_bytes()), "{}", doc);
    }

    #[test]
    fn mutated_documents_agree(bytes in mutated()) {
        prop_assert_eq!(ours(&bytes), reference(&bytes), "{}", String::from_utf8_lossy(&bytes));
    }
}
