//! The one error type of the queue: a stable machine code plus a human message.

use core::fmt;

/// Everything that can go wrong in pandora-mq.
///
/// Each variant has a stable snake_case [`Error::code`] that bindings expose
/// (JS `PandoraError.code`, HTTP `code=`), so callers branch on codes, not text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The encoded body is larger than the server's `max_size` (`message_too_big`).
    MessageTooBig { size: usize, max: usize },
    /// A sender or receiver is empty, longer than 255 bytes, or missing (`invalid_mailbox`).
    InvalidMailbox(String),
    /// A send carried no body at all (`nil_body`).
    NilBody,
    /// A mid or lid is not well-formed hex of the right length (`invalid_key`).
    InvalidKey(String),
    /// A duration is not a Go duration or plain milliseconds (`invalid_duration`).
    InvalidDuration(String),
    /// A time is not RFC 3339 (`invalid_time`).
    InvalidTime(String),
    /// A lease, delay or limit is outside its allowed range (`out_of_range`).
    OutOfRange(String),
    /// The body uses a field name the server owns, such as `mid` (`reserved_field`).
    ReservedField(String),
    /// The lid does not hold the message's current lease (`lock_mismatch`).
    LockMismatch,
    /// The lid was right but its lease has run out (`lease_expired`).
    LeaseExpired,
    /// An ack status other than confirmed (1) or rejected (2) (`unknown_status`).
    UnknownStatus(String),
    /// No pending message has this mid (`not_found`).
    NotFound,
    /// A request was malformed in a way no other code covers (`bad_request`).
    BadRequest(String),
    /// The storage backend failed; nothing was changed (`storage`).
    Storage(String),
    /// Stored bytes could not be decoded: a bug or foreign data (`corrupt`).
    Corrupt(String),
    /// The host failed the server, e.g. its random source threw (`internal`).
    Internal(String),
    /// The store was written in a storage format this version does not read
    /// (`unsupported_format`); nothing was read as if it were current.
    UnsupportedFormat(String),
    /// Item `index` of a batch call is invalid; the code is that item's own, and
    /// nothing of the batch was done.
    BatchItem { index: usize, error: Box<Error> },
}

impl Error {
    /// Every code [`Error::code`] gives, for bindings that publish the list.
    pub const CODES: [&'static str; 17] = [
        "message_too_big",
        "invalid_mailbox",
        "nil_body",
        "invalid_key",
        "invalid_duration",
        "invalid_time",
        "out_of_range",
        "reserved_field",
        "lock_mismatch",
        "lease_expired",
        "unknown_status",
        "not_found",
        "bad_request",
        "storage",
        "corrupt",
        "internal",
        "unsupported_format",
    ];

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::MessageTooBig { .. } => "message_too_big",
            Error::InvalidMailbox(_) => "invalid_mailbox",
            Error::NilBody => "nil_body",
            Error::InvalidKey(_) => "invalid_key",
            Error::InvalidDuration(_) => "invalid_duration",
            Error::InvalidTime(_) => "invalid_time",
            Error::OutOfRange(_) => "out_of_range",
            Error::ReservedField(_) => "reserved_field",
            Error::LockMismatch => "lock_mismatch",
            Error::LeaseExpired => "lease_expired",
            Error::UnknownStatus(_) => "unknown_status",
            Error::NotFound => "not_found",
            Error::BadRequest(_) => "bad_request",
            Error::Storage(_) => "storage",
            Error::Corrupt(_) => "corrupt",
            Error::Internal(_) => "internal",
            Error::UnsupportedFormat(_) => "unsupported_format",
            Error::BatchItem { error, .. } => error.code(),
        }
    }

    /// True when the caller is at fault (HTTP 4xx); false for server-side failures (5xx).
    pub fn is_client_error(&self) -> bool {
        if let Error::BatchItem { error, .. } = self {
            return error.is_client_error();
        }
        !matches!(self, Error::Storage(_) | Error::Corrupt(_) | Error::Internal(_) | Error::UnsupportedFormat(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MessageTooBig { size, max } => {
                write!(f, "message is too big: {size} bytes, max size is {max}")
            }
            Error::InvalidMailbox(why) => write!(f, "invalid mailbox: {why}"),
            Error::NilBody => f.write_str("body is nil"),
            Error::InvalidKey(why) => write!(f, "invalid key: {why}"),
            Error::InvalidDuration(why) => write!(f, "invalid duration: {why}"),
            Error::InvalidTime(why) => write!(f, "invalid time: {why}"),
            Error::OutOfRange(why) => write!(f, "out of range: {why}"),
            Error::ReservedField(name) => write!(f, "field {name:?} is reserved by the server"),
            Error::LockMismatch => f.write_str("lock id does not hold the lease of this message"),
            Error::LeaseExpired => f.write_str("lease expired: the message may be delivered again"),
            Error::UnknownStatus(s) => {
                write!(f, "unknown status {s:?}: use confirmed (1) or rejected (2)")
            }
            Error::NotFound => f.write_str("no pending message with this mid"),
            Error::BadRequest(why) => write!(f, "bad request: {why}"),
            Error::Storage(why) => write!(f, "storage failed: {why}"),
            Error::Corrupt(why) => write!(f, "stored data is corrupt: {why}"),
            Error::Internal(why) => write!(f, "internal error: {why}"),
            Error::UnsupportedFormat(why) => write!(f, "unsupported storage format: {why}"),
            Error::BatchItem { index, error } => write!(f, "item {index}: {error}"),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
