//! `GET …/stats`: exact counts of a mailbox.

use super::call::Call;
use super::json_out::Object;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::error::Result;
use crate::random::Random;
use crate::storage::Storage;

/// JSON `{ready, delayed, leased, dead, bytes, oldestReady}` (`oldestReady` in
/// ms or `null`); the form reply has the same names, `oldestReady` empty when none.
pub(super) async fn stats<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let s = call.server.stats(call.now, call.receiver()?).await?;
    Ok(match call.format {
        Format::Form => reply::form(
            &[
                ("ready", s.ready.to_string()),
                ("delayed", s.delayed.to_string()),
                ("leased", s.leased.to_string()),
                ("dead", s.dead.to_string()),
                ("bytes", s.bytes.to_string()),
                ("oldestReady", s.oldest_ready.map(|t| t.to_string()).unwrap_or_default()),
            ]
            .into_iter()
            .collect(),
        ),
        Format::Json => {
            let mut obj = Object::new();
            obj.int("ready", s.ready)
                .int("delayed", s.delayed)
                .int("leased", s.leased)
                .int("dead", s.dead)
                .int("bytes", s.bytes);
            match s.oldest_ready {
                Some(t) => obj.int("oldestReady", t),
                None => obj.raw("oldestReady", "null"),
            };
            reply::json(obj.finish())
        }
    })
}
