//! Message bodies: ordered, multi-valued form fields (Go's `url.Values`).

use crate::error::{Error, Result};

/// Form fields in the order given. A field may repeat; the order of its values is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body(Vec<(String, String)>);

impl Body {
    /// An empty body.
    pub fn new() -> Body {
        Body(Vec::new())
    }

    /// Decodes `application/x-www-form-urlencoded` bytes (invalid UTF-8 is replaced).
    pub fn decode(encoded: &[u8]) -> Body {
        Body(url::form_urlencoded::parse(encoded).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of each of `names` in `encoded`, decoding only those:
    /// what a reader of a few stamped fields needs, without a whole [`Body`]
    /// (an allocation per field) to throw away.
    pub fn first_values<const N: usize>(encoded: &[u8], names: [&str; N]) -> [Option<String>; N] {
        let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
        let mut missing = N;
        for (k, v) in url::form_urlencoded::parse(encoded) {
            let Some(i) = names.iter().position(|n| *n == k) else { continue };
            if found[i].is_none() {
                found[i] = Some(v.into_owned());
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        found
    }

    /// Appends one value of `name`.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Replaces every value of `name` with the single `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.remove(name);
        self.append(name, value);
    }

    /// Drops every value of `name`.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(k, _)| k != name);
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// True when some field is called `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The fields in their current order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.0
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The canonical encoding, byte for byte Go's `url.Values.Encode`: fields sorted
    /// by name (values of one name keep their order), names and values escaped like
    /// Go's `url.QueryEscape`. Go-compatible bytes matter because the mid is their SHA-1.
    pub fn encode(&self) -> String {
        let mut sorted: Vec<&(String, String)> = self.0.iter().collect();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes())); // stable: values keep order
        let mut out = String::with_capacity(self.0.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
        for (i, (name, value)) in sorted.into_iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            query_escape(name, &mut out);
            out.push('=');
            query_escape(value, &mut out);
        }
        out
    }

    /// Fails with `reserved_field` if any field uses one of `names`.
    pub fn reject_fields(&self, names: &[&str]) -> Result<()> {
        match self.0.iter().find(|(k, _)| names.contains(&k.as_str())) {
            Some((k, _)) => Err(Error::ReservedField(k.clone())),
            None => Ok(()),
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Body {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Body {
        Body(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// Go's `url.QueryEscape`. The `url` crate's form serializer differs on `*` and `~`,
/// which would change mids against the Go original, so the escape is spelled out.
fn query_escape(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_sorts_names_and_keeps_value_order() {
        let body: Body = [("topic", "hi"), ("color", "red"), ("a", "1"), ("color", "blue")].into_iter().collect();
        assert_eq!(body.encode(), "a=1&color=red&color=blue&topic=hi");
    }

    #[test]
    fn encode_escapes_like_go_query_escape() {
        let body: Body = [("k y", "a@b/c*~ é&=+")].into_iter().collect();
        assert_eq!(body.encode(), "k+y=a%40b%2Fc%2A~+%C3%A9%26%3D%2B");
    }

    #[test]
    fn first_values_are_those_a_decode_gets() {
        let body: Body = [("s", "a b"), ("r", "%é"), ("s", "second"), ("x", "1")].into_iter().collect();
        let encoded = body.encode();
        let back = Body::decode(encoded.as_bytes());
        let [s, r, none] = Body::first_values(encoded.as_bytes(), ["s", "r", "absent"]);
        assert_eq!((s.as_deref(), r.as_deref(), none), (back.get("s"), back.get("r"), None));
        assert_eq!(s.as_deref(), Some("a b"));
    }

    #[test]
    fn decode_inverts_encode() {
        let body: Body = [("b", "x y"), ("a", "é"), ("b", "&")].into_iter().collect();
        let back = Body::decode(body.encode().as_bytes());
        assert_eq!(back.encode(), body.encode());
        assert_eq!(back.get_all("b").collect::<Vec<_>>(), ["x y", "&"]);
    }

    #[test]
    fn set_replaces_every_value() {
        let mut body: Body = [("a", "1"), ("a", "2")].into_iter().collect();
        body.set("a", "3");
        assert_eq!(body.encode(), "a=3");
    }

    #[test]
    fn reserved_fields_are_named_in_the_error() {
        let body: Body = [("ok", "1"), ("lid", "x")].into_iter().collect();
        let err = body.reject_fields(&["mid", "lid"]).unwrap_err();
        assert_eq!(err, Error::ReservedField("lid".into()));
    }
}
