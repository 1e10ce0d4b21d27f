//! What every operation of the API gets: the server, the time, the request's
//! fields and the reply format. Defined once, so a route reads its own
//! parameters and nothing else, and the replies of one value are built in one place.

use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::error::Result;
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// One checked request, ready for its operation.
pub(super) struct Call<'a, S: Storage, R: Random> {
    pub server: &'a Server<S, R>,
    /// The host's clock, ms since the Unix epoch.
    pub now: i64,
    pub fields: &'a Body,
    pub format: Format,
}

/// The value of a one-field reply.
pub(super) enum Value<'a> {
    Bool(bool),
    Count(u64),
    Text(&'a str),
}

impl<'a, S: Storage, R: Random> Call<'a, S, R> {
    /// The mailbox the request names in `receiver` (required).
    pub(super) fn receiver(&self) -> Result<&'a str> {
        param::mailbox(self.fields, "receiver")
    }

    /// 200 with one named value: `name=value` (Go's layout) or `{"name": value}`.
    pub(super) fn reply_one(&self, name: &str, value: Value<'_>) -> HttpResponse {
        match self.format {
            Format::Form => {
                let text = match value {
                    Value::Bool(b) => if b { "true" } else { "false" }.to_owned(),
                    Value::Count(n) => n.to_string(),
                    Value::Text(t) => t.to_owned(),
                };
                reply::form(&[(name, text)].into_iter().collect())
            }
            Format::Json => {
                let mut obj = Object::new();
                match value {
                    Value::Bool(b) => obj.bool(name, b),
                    Value::Count(n) => obj.int(name, n),
                    Value::Text(t) => obj.str(name, t),
                };
                reply::json(obj.finish())
            }
        }
    }
}
