//! Which operation a request path names.
//!
//! Routes match by path suffix, as in the Go original, so the API can be mounted
//! under any prefix (`/foo/bar/send` is a send). Public because hosts route by
//! it: the Worker learns a request's route from [`check`](super::check) to pick
//! the Durable Object it goes to.

/// One operation of the HTTP API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST …/send`
    Send,
    /// `POST …/fetch`
    Fetch,
    /// `POST …/ack`
    Ack,
    /// `GET …/admin/headers`
    Headers,
    /// `GET …/admin/fetchBlob`
    FetchBlob,
    /// `GET` or `POST …/admin/reenqueue`
    Reenqueue,
    /// `POST …/extend`
    Extend,
    /// `POST …/cancel`
    Cancel,
    /// `GET …/peek`
    Peek,
    /// `GET …/stats`
    Stats,
    /// `POST …/admin/redrive`
    Redrive,
    /// `POST …/admin/purge`
    Purge,
    /// `POST …/sendBatch` (a JSON array of sends)
    SendBatch,
    /// `POST …/ackBatch` (a JSON array of acks)
    AckBatch,
}

// Admin suffixes first only for readability: no suffix here ends another one.
const SUFFIXES: [(&str, Route); 14] = [
    ("admin/headers", Route::Headers),
    ("admin/fetchBlob", Route::FetchBlob),
    ("admin/reenqueue", Route::Reenqueue),
    ("admin/redrive", Route::Redrive),
    ("admin/purge", Route::Purge),
    ("send", Route::Send),
    ("fetch", Route::Fetch),
    ("ack", Route::Ack),
    ("extend", Route::Extend),
    ("cancel", Route::Cancel),
    ("peek", Route::Peek),
    ("stats", Route::Stats),
    ("sendBatch", Route::SendBatch),
    ("ackBatch", Route::AckBatch),
];

/// The route `path` ends with, if any. A suffix must start a path segment, so
/// `/foo/send` matches and `/foosend` or `/send/` do not. Matching is on the raw
/// path and case-sensitive, as Go's is.
pub fn route_of(path: &str) -> Option<Route> {
    SUFFIXES.iter().find_map(|&(suffix, route)| {
        let rest = path.strip_suffix(suffix)?;
        (rest.is_empty() || rest.ends_with('/')).then_some(route)
    })
}

impl Route {
    /// Every route, in the order the package documents them.
    pub const ALL: [Route; 14] = [
        Route::Send,
        Route::Fetch,
        Route::Ack,
        Route::Headers,
        Route::FetchBlob,
        Route::Reenqueue,
        Route::Extend,
        Route::Cancel,
        Route::Peek,
        Route::Stats,
        Route::Redrive,
        Route::Purge,
        Route::SendBatch,
        Route::AckBatch,
    ];

    /// The route's name as hosts see it (`routeRequest`'s `route`): the last
    /// path segment of its suffix, so `admin/headers` is `headers`.
    pub fn name(self) -> &'static str {
        let (suffix, _) = SUFFIXES.iter().find(|(_, route)| *route == self).expect("every route has a suffix");
        suffix.rsplit('/').next().unwrap_or(suffix)
    }

    /// True for the `admin/…` routes, which a server serves only when enabled.
    pub fn is_admin(self) -> bool {
        matches!(self, Route::Headers | Route::FetchBlob | Route::Reenqueue | Route::Redrive | Route::Purge)
    }

    /// True for the routes whose body is a JSON array of items (see
    /// [`Checked::items`](super::Checked::items)) rather than one set of fields.
    pub fn takes_items(self) -> bool {
        matches!(self, Route::SendBatch | Route::AckBatch)
    }

    /// The methods this route answers. The Go original let `/ack` and the admin
    /// routes take any method (its bug 12); here each has a fixed set.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            Route::Send | Route::Fetch | Route::Ack => &["POST"],
            Route::Extend | Route::Cancel | Route::Redrive | Route::Purge => &["POST"],
            Route::SendBatch | Route::AckBatch => &["POST"],
            Route::Headers | Route::FetchBlob | Route::Peek | Route::Stats => &["GET"],
            // Reenqueue changes state, so POST is the honest verb; GET stays for Go clients.
            Route::Reenqueue => &["GET", "POST"],
        }
    }

    /// True when `method` (case-sensitive, as HTTP methods are) is allowed.
    pub fn allows(self, method: &str) -> bool {
        self.methods().contains(&method)
    }

    /// The value of the `Allow` header of a 405 reply.
    pub fn allow_header(self) -> String {
        self.methods().join(", ")
    }
}
