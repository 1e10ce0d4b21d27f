//! Request fields: the query string merged with a form or JSON body.

use super::json_in;
use super::HttpRequest;
use crate::body::Body;
use crate::config::MAX_BATCH;
use crate::error::{Error, Result};

/// How a request body is encoded, from its `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Form,
    Json,
}

/// The body's encoding, or `Err(media type)` when it is one this API does not read.
///
/// A missing `Content-Type` means form fields: the API's own wire format, and
/// what `curl -d` means. Go ignored bodies of other types silently, which turned
/// a client bug into a puzzling `invalid mailbox`; here it is a 415.
pub(super) fn encoding(content_type: Option<&str>) -> core::result::Result<Encoding, String> {
    let Some(raw) = content_type else {
        return Ok(Encoding::Form);
    };
    // Parameters such as `; charset=utf-8` do not change how the body is read.
    let essence = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/x-www-form-urlencoded" => Ok(Encoding::Form),
        "application/json" => Ok(Encoding::Json),
        t if t.starts_with("application/") && t.ends_with("+json") => Ok(Encoding::Json),
        _ => Err(essence),
    }
}

/// Every field of the request: body fields first, then query fields, which is
/// the order of Go's `r.Form` (so a body value wins a single-value lookup). Only
/// `POST` bodies are read, as in Go: the GET routes take their fields from the query.
pub(super) fn fields(request: &HttpRequest, encoding: Encoding) -> Result<Body> {
    let mut fields = Body::new();
    if reads_body(request) {
        match encoding {
            Encoding::Form => decode_into(&request.body, "body", &mut fields)?,
            Encoding::Json => {
                for (name, value) in json_in::parse_object(&request.body)?.fields() {
                    fields.append(name.as_str(), value.as_str());
                }
            }
        }
    }
    decode_query(request, &mut fields)?;
    Ok(fields)
}

/// The query's fields alone: what a batch route reads beside its items.
pub(super) fn query_fields(request: &HttpRequest) -> Result<Body> {
    let mut fields = Body::new();
    decode_query(request, &mut fields)?;
    Ok(fields)
}

/// A batch route's body: a JSON array of at most [`MAX_BATCH`] objects. Read as
/// JSON whatever form-like type it is labelled with (a form body is simply not
/// an array), so a client that forgot the header learns what shape to send.
pub(super) fn items(request: &HttpRequest) -> Result<Vec<Body>> {
    let items = json_in::parse_array(&request.body)?;
    if items.len() > MAX_BATCH {
        return Err(Error::BadRequest(format!("at most {MAX_BATCH} items per batch, got {}", items.len())));
    }
    Ok(items)
}

fn decode_query(request: &HttpRequest, into: &mut Body) -> Result<()> {
    // Hosts should pass the query without its `?`; `url.search` in JS keeps it,
    // and a stray one would silently rename the first field.
    let query = request.query.strip_prefix('?').unwrap_or(&request.query);
    decode_into(query.as_bytes(), "query", into)
}

/// True when the request's body holds fields to read.
pub(super) fn reads_body(request: &HttpRequest) -> bool {
    request.method == "POST" && !request.body.is_empty()
}

/// Decodes `application/x-www-form-urlencoded` strictly, like Go's `url.ParseQuery`:
/// a broken `%` escape is an error instead of literal text, and the result must
/// be UTF-8 (a body that cannot be stored as text is refused, not mangled).
fn decode_into(encoded: &[u8], part: &str, into: &mut Body) -> Result<()> {
    for pair in encoded.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        into.append(unescape(name, part)?, unescape(value, part)?);
    }
    Ok(())
}

fn unescape(raw: &[u8], part: &str) -> Result<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escape = &raw[i..raw.len().min(i + 3)];
                let byte = escape
                    .get(1..3)
                    .and_then(|hex| core::str::from_utf8(hex).ok())
                    .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| {
                        Error::BadRequest(format!("invalid escape {:?} in the {part}", String::from_utf8_lossy(escape)))
                    })?;
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Error::BadRequest(format!("the {part} is not UTF-8 once decoded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<Vec<(String, String)>> {
        let mut body = Body::new();
        decode_into(text.as_bytes(), "query", &mut body)?;
        Ok(body.fields().to_vec())
    }

    #[test]
    fn decodes_like_go() {
        let got = decode("a=1&&b&c=x+y%2B%C3%A9&a=2&=v&d=").unwrap();
        let want: Vec<(String, String)> = [("a", "1"), ("b", ""), ("c", "x y+é"), ("a", "2"), ("", "v"), ("d", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn rejects_broken_escapes_and_non_utf8() {
        for bad in ["a=%", "a=%4", "a=%zz", "%g0=1", "a=%C3"] {
            assert_eq!(decode(bad).expect_err(bad).code(), "bad_request", "{bad}");
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(encoding(None), Ok(Encoding::Form));
        assert_eq!(encoding(Some("application/x-www-form-urlencoded; charset=UTF-8")), Ok(Encoding::Form));
        assert_eq!(encoding(Some("Application/JSON")), Ok(Encoding::Json));
        assert_eq!(encoding(Some("application/merge-patch+json")), Ok(Encoding::Json));
        assert_eq!(encoding(Some("text/plain;charset=UTF-8")), Err("text/plain".into()));
        assert_eq!(encoding(Some("multipart/form-data; boundary=x")), Err("multipart/form-data".into()));
    }
}
