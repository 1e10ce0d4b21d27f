//! `POST …/ackBatch`: up to 100 acks, a JSON array of `{mid, lid, status |
//! statusCode, retryDelay}`, each independent (as SQS DeleteMessageBatch).

use super::auth::{self, Access};
use super::json_out::Object;
use super::param;
use super::peek::json_array;
use super::reply;
use super::{HttpResponse, Route};
use crate::body::Body;
use crate::error::Result;
use crate::message::{Ack, AckRequest};
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// A JSON array in input order: `{"ok":true}` or `{"ok":false,"code":…,"message":…}`,
/// the error that item alone would get from `…/ack` (`forbidden` when the
/// token may not touch its message). The accepted acks are written together;
/// a storage failure fails the whole call (500) and changes nothing.
pub(super) async fn ack_batch<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    items: &[Body],
    access: &Access,
) -> Result<HttpResponse> {
    // Per item: the index of its request in `requests`, or its own refusal.
    let mut outcomes: Vec<core::result::Result<usize, (String, String)>> = Vec::with_capacity(items.len());
    let mut requests = Vec::new();
    for item in items {
        let request = match ack_request(item) {
            Ok(request) => request,
            Err(e) => {
                outcomes.push(Err((e.code().to_owned(), e.to_string())));
                continue;
            }
        };
        if !auth::may_touch(server, access, &request.mid).await? {
            let (code, message) = auth::forbidden_item(Route::AckBatch);
            outcomes.push(Err((code.to_owned(), message)));
            continue;
        }
        outcomes.push(Ok(requests.len()));
        requests.push(request);
    }
    let results = server.ack_batch(now, requests).await?;
    let entries = outcomes.into_iter().map(|outcome| {
        let failed = match outcome {
            Ok(at) => match &results[at] {
                Ok(()) => return Object::new().bool("ok", true).finish(),
                Err(e) => (e.code().to_owned(), e.to_string()),
            },
            Err(refusal) => refusal,
        };
        Object::new().bool("ok", false).str("code", &failed.0).str("message", &failed.1).finish()
    });
    Ok(reply::json(json_array(entries)))
}

/// One item, read as `…/ack` reads its fields; `status` (a name or code) is
/// the JSON client's spelling, `statusCode` the Go one's.
fn ack_request(item: &Body) -> Result<AckRequest> {
    let mid = param::key(item, "mid")?;
    let lid = item.get("lid").unwrap_or("").to_owned();
    let status = item.get("status").or_else(|| item.get("statusCode")).unwrap_or("");
    let mut ack = Ack::parse(status)?;
    let retry = param::duration(item, "retryDelay")?;
    if let (Ack::Rejected { retry_delay }, Some(ms)) = (&mut ack, retry) {
        *retry_delay = ms;
    }
    Ok(AckRequest { mid, lid, ack })
}
