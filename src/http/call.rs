//! What every operation of the API gets: the server, the time, the request's
//! fields and the reply format. Defined once, so a route reads its own
//! parameters and nothing else.

use super::param;
use super::reply::Format;
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

impl<'a, S: Storage, R: Random> Call<'a, S, R> {
    /// The mailbox the request names in `receiver` (required).
    pub(super) fn receiver(&self) -> Result<&'a str> {
        param::mailbox(self.fields, "receiver")
    }
}
