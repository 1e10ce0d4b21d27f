//! `mailbox_of`: which mailbox a message belongs to, for access checks.

use super::Server;
use crate::error::Result;
use crate::key::Key;
use crate::random::Random;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// The receiver of message `mid` (pending or confirmed), or `None` when no
    /// record of it is left. A mid is the SHA-1 of a body that names its
    /// receiver, so the answer never changes while the record lives: a scope
    /// check made with it cannot be raced by another operation.
    pub async fn mailbox_of(&self, mid: &Key) -> Result<Option<String>> {
        Ok(self.load_header(mid).await?.map(|header| header.receiver))
    }
}
