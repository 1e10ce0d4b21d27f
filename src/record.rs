//! Stored values. Every value starts with a format byte so the layout can evolve.

use crate::error::{Error, Result};
use crate::message::Status;
use serde::{Deserialize, Serialize};

/// Format byte of every record this version writes.
pub const FORMAT_V1: u8 = 1;

/// The stored header of a message (everything but the body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub receiver: String,
    pub sender: String,
    pub received_at: i64,
    pub send_when: i64,
    pub client_time: i64,
    /// Where the message sits in the delivery index (due time, lease end, or retry time).
    pub visible_at: i64,
    /// End of the current or last lease; 0 if never leased.
    pub leased_until: i64,
    /// The running lease's lock id; `None` when not leased.
    pub lid: Option<String>,
    /// Status code (see [`Status`]).
    pub status: u8,
    pub delivery_count: u32,
    /// For a confirmed tombstone: when the dedupe window closes.
    pub tombstone_until: i64,
}

impl Header {
    /// The recorded status. Only [`Header::decode`] builds headers from bytes,
    /// and it refuses unknown codes, so every header has a known one.
    pub fn status(&self) -> Status {
        Status::from_code(self.status).unwrap_or(Status::NotDelivered)
    }

    /// True if a lease is held and has run out at `now`.
    pub fn lease_expired(&self, now: i64) -> bool {
        self.lid.is_some() && now > self.leased_until
    }

    /// Serialises with the format byte.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.receiver.len() + self.sender.len());
        out.push(FORMAT_V1);
        postcard::to_extend(self, out).expect("a header always serialises")
    }

    /// Reads a record written by [`Header::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Header> {
        match bytes.split_first() {
            Some((&FORMAT_V1, rest)) => {
                let header: Header = postcard::from_bytes(rest)
                    .map_err(|e| Error::Corrupt(format!("header record: {e}")))?;
                match Status::from_code(header.status) {
                    Some(_) => Ok(header),
                    None => Err(Error::Corrupt(format!("header record: status {}", header.status))),
                }
            }
            _ => Err(Error::Corrupt("header record has an unknown format byte".into())),
        }
    }
}

/// A blob with its reference count: `[format][refcount: u32 LE][body…]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    pub refs: u32,
    pub data: Vec<u8>,
}

impl Blob {
    /// Serialises with the format byte.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + self.data.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&self.refs.to_le_bytes());
        out.extend_from_slice(&self.data);
        out
    }

    /// Reads a record written by [`Blob::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Blob> {
        match bytes {
            [FORMAT_V1, a, b, c, d, data @ ..] => {
                Ok(Blob { refs: u32::from_le_bytes([*a, *b, *c, *d]), data: data.to_vec() })
            }
            _ => Err(Error::Corrupt("blob record is malformed".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Header {
        Header {
            receiver: "b@x".into(),
            sender: "a@x".into(),
            received_at: 1,
            send_when: 2,
            client_time: 3,
            visible_at: 4,
            leased_until: 5,
            lid: Some("abc".into()),
            status: 8,
            delivery_count: 6,
            tombstone_until: 0,
        }
    }

    #[test]
    fn header_round_trips_and_carries_its_format() {
        let h = sample();
        let bytes = h.encode();
        assert_eq!(bytes[0], FORMAT_V1);
        assert_eq!(Header::decode(&bytes).unwrap(), h);
        assert_eq!(Header::decode(&[9, 1]).unwrap_err().code(), "corrupt");
    }

    #[test]
    fn an_unknown_status_code_is_corrupt_not_guessed() {
        let mut h = Header::decode(&sample().encode()).unwrap();
        h.status = 3;
        assert_eq!(Header::decode(&h.encode()).unwrap_err().code(), "corrupt");
    }

    #[test]
    fn blob_round_trips() {
        let b = Blob { refs: 3, data: b"a=1".to_vec() };
        assert_eq!(Blob::decode(&b.encode()).unwrap(), b);
        assert!(Blob::decode(&[FORMAT_V1, 0]).is_err());
    }
}
