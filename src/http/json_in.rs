//! Reads a JSON request body into form fields.
//!
//! The accepted shape is one object whose values are strings, numbers, booleans
//! or arrays of those: exactly what form fields can say. Hand-written because
//! that subset is small and a general JSON library would add more wasm than the
//! whole HTTP layer. Anything else is a `bad_request`, never a guess. A native
//! property test (`json_in/differential.rs`) holds it to serde_json: the same
//! documents accepted and refused, the same values.

use crate::body::Body;
use crate::error::{Error, Result};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod differential;

/// Parses `{"name": value, …}` into fields in document order. An array becomes a
/// repeated field; a number keeps its literal text (`1.50` stays `1.50`); a
/// boolean becomes `true`/`false`; `null` means the field is absent, as when a
/// JS client serialises an unset option. A repeated name keeps every value.
pub(super) fn parse_object(bytes: &[u8]) -> Result<Body> {
    let mut p = Parser::of(bytes)?;
    p.space();
    let fields = p.object()?;
    p.end()?;
    Ok(fields)
}

/// Parses `[{…}, {…}, …]`, each object as [`parse_object`] reads one: the
/// body of a batch route. Anything but an array of such objects is a
/// `bad_request`, the error saying which item broke the shape.
pub(super) fn parse_array(bytes: &[u8]) -> Result<Vec<Body>> {
    let mut p = Parser::of(bytes)?;
    p.space();
    if p.peek() != Some(b'[') {
        return Err(Error::BadRequest("a batch body must be a JSON array of objects".into()));
    }
    p.pos += 1;
    let mut items = Vec::new();
    p.space();
    if !p.eat(b']') {
        loop {
            p.space();
            let index = items.len();
            items.push(p.object().map_err(|e| match e {
                Error::BadRequest(why) => Error::BadRequest(format!("item {index}: {why}")),
                other => other,
            })?);
            p.space();
            if p.eat(b',') {
                continue;
            }
            p.expect(b']', "',' or ']'")?;
            break;
        }
    }
    p.end()?;
    Ok(items)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn of(bytes: &'a [u8]) -> Result<Parser<'a>> {
        let text = core::str::from_utf8(bytes)
            .map_err(|e| Error::BadRequest(format!("JSON body is not UTF-8 (at byte {})", e.valid_up_to())))?;
        Ok(Parser { text, pos: 0 })
    }

    /// Only white space may follow the document.
    fn end(&mut self) -> Result<()> {
        self.space();
        if self.pos != self.text.len() {
            return Err(self.fail("the end of the body"));
        }
        Ok(())
    }

    /// One `{"name": value, …}` as fields, the opening brace under `pos`.
    fn object(&mut self) -> Result<Body> {
        let mut fields = Body::new();
        self.expect(b'{', "an object")?;
        self.space();
        if self.eat(b'}') {
            return Ok(fields);
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.fail("a field name in double quotes"));
            }
            let name = self.string()?;
            self.space();
            self.expect(b':', "':'")?;
            self.space();
            if self.eat(b'[') {
                self.space();
                if !self.eat(b']') {
                    loop {
                        self.space();
                        match self.scalar(&name)? {
                            Some(value) => fields.append(name.as_str(), value),
                            None => return Err(self.fail_at(&name, "null inside an array")),
                        }
                        self.space();
                        if self.eat(b',') {
                            continue;
                        }
                        self.expect(b']', "',' or ']'")?;
                        break;
                    }
                }
            } else if let Some(value) = self.scalar(&name)? {
                fields.append(name.as_str(), value);
            }
            self.space();
            if self.eat(b',') {
                continue;
            }
            self.expect(b'}', "',' or '}'")?;
            return Ok(fields);
        }
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn fail(&self, expected: &str) -> Error {
        let found = match self.text[self.pos..].chars().next() {
            Some(c) => format!("{c:?}"),
            None => "the end".to_owned(),
        };
        Error::BadRequest(format!("malformed JSON body at byte {}: expected {expected}, found {found}", self.pos))
    }

    fn fail_at(&self, field: &str, why: &str) -> Error {
        Error::BadRequest(format!(
            "JSON field {field:?} at byte {}: {why}; values must be strings, numbers, \
             booleans or arrays of those",
            self.pos
        ))
    }

    /// A string, number or boolean as field text; `None` for `null`.
    fn scalar(&mut self, field: &str) -> Result<Option<String>> {
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            Some(b'-' | b'0'..=b'9') => self.number().map(|n| Some(n.to_owned())),
            Some(b't') => self.word("true").map(|w| Some(w.to_owned())),
            Some(b'f') => self.word("false").map(|w| Some(w.to_owned())),
            Some(b'n') => self.word("null").map(|_| None),
            Some(b'{') => Err(self.fail_at(field, "nested objects are not allowed")),
            Some(b'[') => Err(self.fail_at(field, "nested arrays are not allowed")),
            _ => Err(self.fail("a value")),
        }
    }

    fn word(&mut self, word: &'static str) -> Result<&'static str> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(word)
        } else {
            Err(self.fail(word))
        }
    }

    /// RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<&str> {
        let start = self.pos;
        self.eat(b'-');
        if !self.eat(b'0') && self.digits() == 0 {
            return Err(self.fail("a digit"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.fail("a digit after '.'"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.fail("an exponent"));
            }
        }
        Ok(&self.text[start..self.pos])
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A string literal, the opening quote under `pos`.
    fn string(&mut self) -> Result<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Quote and backslash are ASCII, so they never sit inside a multi-byte
            // character: runs between them can be copied as whole `str` slices.
            let run = self.text[self.pos..].find(|c: char| c == '"' || c == '\\' || c < ' ').ok_or_else(|| {
                self.pos = self.text.len();
                self.fail("a closing '\"'")
            })?;
            out.push_str(&self.text[self.pos..self.pos + run]);
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(self.fail("no raw control character inside a string")),
            }
        }
    }

    /// The character of one escape, after its backslash.
    fn escape(&mut self) -> Result<char> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{08}',
            Some(b'f') => '\u{0c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.fail("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `XXXX` after `\u`, joining a UTF-16 surrogate pair; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Result<char> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(self.fail("a low surrogate \\uDC00-\\uDFFF"));
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.fail("a low surrogate \\uDC00-\\uDFFF"));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.fail("a high surrogate before a low one")),
            c => c,
        };
        // Surrogates are excluded above, so every remaining code is a char.
        char::from_u32(code).ok_or_else(|| self.fail("a Unicode scalar value"))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.fail("4 hex digits")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Vec<(String, String)> {
        parse_object(json.as_bytes()).unwrap().fields().to_vec()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn scalars_arrays_and_nulls() {
        let got = fields(r#" { "a":"x", "n": -1.50e+3, "t":true, "f":false, "z":null, "c":["r", 2, false], "e":[] } "#);
        assert_eq!(
            got,
            pairs(&[
                ("a", "x"),
                ("n", "-1.50e+3"),
                ("t", "true"),
                ("f", "false"),
                ("c", "r"),
                ("c", "2"),
                ("c", "false")
            ])
        );
        assert_eq!(fields("{}"), pairs(&[]));
        assert_eq!(fields(r#"{"a":"1","a":"2"}"#), pairs(&[("a", "1"), ("a", "2")]));
    }

    #[test]
    fn string_escapes() {
        let got = fields(r#"{"k\u00e9":"\"\\\/\b\f\n\r\t\u0041\ud83d\ude00é"}"#);
        assert_eq!(got, pairs(&[("ké", "\"\\/\u{8}\u{c}\n\r\tA😀é")]));
    }

    #[test]
    fn rejects_what_is_not_the_subset() {
        for bad in [
            "",
            " ",
            "[]",
            "\"a\"",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{,}",
            "{'a':1}",
            "{a:1}",
            "{\"a\":1} x",
            "{\"a\":1}{}",
            "{\"a\":{}}",
            "{\"a\":[[1]]}",
            "{\"a\":[null]}",
            "{\"a\":[1,]}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":1e}",
            "{\"a\":+1}",
            "{\"a\":-}",
            "{\"a\":tru}",
            "{\"a\":nul}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00\"}",
            "{\"a\":\"\\ud800\\u0041\"}",
            "{\"a\":\"x\ny\"}",
            "{\"a\":\"unterminated}",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
        ] {
            let err = parse_object(bad.as_bytes()).expect_err(bad);
            assert_eq!(err.code(), "bad_request", "{bad:?}");
        }
        let err = parse_object(b"{\"a\":\"\xff\"}").unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn errors_say_where_and_what() {
        let err = parse_object(br#"{"a":{"b":1}}"#).unwrap_err().to_string();
        assert!(err.contains("\"a\"") && err.contains("nested objects"), "{err}");
        let err = parse_object(br#"{"a":1 "b":2}"#).unwrap_err().to_string();
        assert!(err.contains("byte 7") && err.contains("',' or '}'"), "{err}");
    }
}
