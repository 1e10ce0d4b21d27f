//! `POST …/ack`: confirm or reject a leased message.

use super::call::Call;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::error::Result;
use crate::message::Ack;
use crate::random::Random;
use crate::storage::Storage;

pub(super) async fn ack<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let fields = call.fields;
    let mid = param::key(fields, "mid")?;
    // Missing lid: passed on empty, so the core's lid check names the problem.
    let lid = fields.get("lid").unwrap_or("");
    // Decimal `1`/`2` or the names only: Go parsed base 32, so `81` confirmed.
    // `status` is the name ackBatch items and the JS API use; `statusCode` the Go client's.
    let status = fields.get("statusCode").or_else(|| fields.get("status"));
    let mut ack = Ack::parse(status.unwrap_or(""))?;
    // Checked even for a confirm, so a typo never passes unnoticed.
    let retry = param::duration(fields, "retryDelay")?;
    if let (Ack::Rejected { retry_delay }, Some(ms)) = (&mut ack, retry) {
        *retry_delay = ms;
    }
    call.server.ack(call.now, &mid, lid, ack).await?;
    // Go's reply is empty; JSON clients get an empty object rather than no text.
    Ok(match call.format {
        Format::Form => reply::with_body(200, reply::FORM, Vec::new()),
        Format::Json => reply::json("{}".to_owned()),
    })
}
