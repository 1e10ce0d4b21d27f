//! A minimal JSON writer: the replies are a few flat shapes, so a string escaper
//! and an object builder cost far less wasm than a serialisation framework.

use core::fmt::Write;

/// Appends `text` as a JSON string literal. Escapes what RFC 8259 requires
/// (quote, backslash, U+0000–U+001F) and nothing else: replies are served as
/// `application/json`, never embedded in HTML or script.
pub(super) fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if c < ' ' => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a JSON array of strings.
pub(super) fn string_array<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, item);
    }
    out.push(']');
}

/// Builds one JSON object, member by member, in the order written.
pub(super) struct Object {
    out: String,
    empty: bool,
}

impl Object {
    pub(super) fn new() -> Object {
        Object { out: String::from("{"), empty: true }
    }

    /// Writes `"name":` and returns the buffer for the caller to write the value.
    pub(super) fn member(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        string(&mut self.out, name);
        self.out.push(':');
        &mut self.out
    }

    pub(super) fn str(&mut self, name: &str, value: &str) -> &mut Object {
        string(self.member(name), value);
        self
    }

    /// A number. Every number in a reply is an integer, so `Display` is exact JSON.
    pub(super) fn int(&mut self, name: &str, value: impl core::fmt::Display) -> &mut Object {
        let _ = write!(self.member(name), "{value}");
        self
    }

    pub(super) fn bool(&mut self, name: &str, value: bool) -> &mut Object {
        self.member(name).push_str(if value { "true" } else { "false" });
        self
    }

    /// A value that is already JSON text.
    pub(super) fn raw(&mut self, name: &str, json: &str) -> &mut Object {
        self.member(name).push_str(json);
        self
    }

    pub(super) fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = String::new();
        string(&mut out, text);
        out
    }

    #[test]
    fn escapes_what_json_requires() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quoted("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(quoted("\u{0}\u{1f}"), r#""\u0000\u001f""#);
        assert_eq!(quoted("é/<\u{7f}\u{2028}😀"), "\"é/<\u{7f}\u{2028}😀\"");
    }

    #[test]
    fn builds_objects_in_order() {
        let json = Object::new().str("b", "x").int("a", -3).bool("c", true).raw("d", "[]").finish();
        assert_eq!(json, r#"{"b":"x","a":-3,"c":true,"d":[]}"#);
        assert_eq!(Object::new().finish(), "{}");
        let mut arr = String::new();
        string_array(&mut arr, ["1", "\""]);
        assert_eq!(arr, r#"["1","\""]"#);
    }
}
