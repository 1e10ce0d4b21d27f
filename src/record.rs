//! Stored values. Every record starts with a format byte so the layout can evolve
//! and data of another format is refused, never misread.

use crate::body::Body;
use crate::error::{Error, Result};
use crate::layout::Entry;
use crate::message::Status;
use serde::{Deserialize, Serialize};

/// Format byte of every record this version writes.
pub const FORMAT_V2: u8 = 2;

/// A message as stored under `m<mid>`: header, reference count and the
/// form-encoded body in one record (the record is the blob: it is
/// content-addressed by its mid), with the delivery state of a pending
/// message once its delivery entry has been applied ([`Record::apply`]).
///
/// A fetch writes only the delivery entry, so the state fields stored here are
/// those of the record's last write (a send, `extend`, death or redrive): an
/// operation reads the live state from the delivery entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub sender: String,
    pub receiver: String,
    pub received_at: i64,
    pub send_when: i64,
    pub client_time: i64,
    /// Where the message sits in the delivery index (due time, lease end, or retry time).
    pub visible_at: i64,
    /// End of the current or last lease; 0 if never leased.
    pub leased_until: i64,
    /// When the fetch that issued `lid` happened: `extend` may not go past 12 h after it.
    pub lease_start: i64,
    /// The random part of the lock id of the current lease; `None`: not leased.
    /// Stored only by `extend`, whose moved delivery entry the lid no longer names.
    pub lid: Option<[u8; 16]>,
    /// Status code (see [`Status`]).
    pub status: u8,
    pub delivery_count: u32,
    /// When the message expires (ttl or retention); 0: never.
    pub expires_at: i64,
    /// Pending messages using this body: 1 while pending (identical bodies share
    /// one mid, and a pending mid deduplicates), 0 once released.
    pub refs: u32,
    /// The server stamped a random nonce into the body: no later send can have
    /// this mid, so nothing is kept for a dedupe window once it is confirmed.
    pub minted: bool,
    /// The canonical form encoding, whose SHA-1 is the mid.
    pub body: Vec<u8>,
}

/// The fixed part on the wire. Times are stored relative to `received_at`, so
/// most are one-byte varints; `sender` and `receiver` are not stored at all:
/// they are fields of the body.
#[derive(Serialize, Deserialize)]
struct Wire {
    received_at: i64,
    send_delay: i64,
    client_offset: i64,
    visible_offset: i64,
    /// `leased_until - received_at`, or 0 when never leased.
    lease_end: i64,
    /// `leased_until - lease_start`.
    lease_span: i64,
    lid: Option<[u8; 16]>,
    status: u8,
    delivery_count: u32,
    /// `expires_at - received_at`, or 0 when it never expires.
    expiry: i64,
    refs: u32,
    minted: bool,
    body_len: u32,
}

impl Record {
    /// The recorded status. Only [`Record::decode`] builds records from bytes,
    /// and it refuses unknown codes, so every record has a known one.
    pub fn status(&self) -> Status {
        Status::from_code(self.status).unwrap_or(Status::NotDelivered)
    }

    /// True if a lease is held and has run out at `now`.
    pub fn lease_expired(&self, now: i64) -> bool {
        self.lid.is_some() && now > self.leased_until
    }

    /// True if the message has passed its expiry (ttl or retention) at `now`.
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at != 0 && now >= self.expires_at
    }

    /// Serialises with the format byte.
    pub fn encode(&self) -> Vec<u8> {
        let base = self.received_at;
        let wire = Wire {
            received_at: base,
            send_delay: self.send_when.wrapping_sub(base),
            client_offset: self.client_time.wrapping_sub(base),
            visible_offset: self.visible_at.wrapping_sub(base),
            lease_end: if self.leased_until == 0 { 0 } else { self.leased_until.wrapping_sub(base) },
            lease_span: self.leased_until.wrapping_sub(self.lease_start),
            lid: self.lid,
            status: self.status,
            delivery_count: self.delivery_count,
            expiry: if self.expires_at == 0 { 0 } else { self.expires_at.wrapping_sub(base) },
            refs: self.refs,
            minted: self.minted,
            body_len: self.body.len() as u32,
        };
        let mut out = Vec::with_capacity(40 + self.body.len());
        out.push(FORMAT_V2);
        let mut out = postcard::to_extend(&wire, out).expect("a record always serialises");
        out.extend_from_slice(&self.body);
        out
    }

    /// What the sweep needs of a stored record, read without its body or
    /// strings (it passes over every record and collects few): its receive
    /// time, and whether it may be kept for a dedupe window at all (not minted,
    /// not dead). Refuses what `decode` refuses.
    pub fn decode_head(bytes: &[u8]) -> Result<(i64, bool)> {
        let (wire, _) = Record::wire(bytes)?;
        Ok((wire.received_at, !wire.minted && wire.status != Status::Dead.code()))
    }

    /// Takes the delivery state from the record's delivery entry, at `at`.
    pub fn apply(&mut self, at: i64, entry: &Entry) {
        self.visible_at = at;
        self.delivery_count = entry.delivery_count;
        self.status = entry.status;
        if entry.leased {
            self.lid = Some(entry.lid);
            self.leased_until = at - 1 - entry.wait as i64;
            self.lease_start = self.leased_until - entry.span as i64;
        } else {
            // Not under a lease: no lease to show (Go's zero time).
            self.lid = None;
            self.leased_until = 0;
            self.lease_start = 0;
        }
    }

    /// The delivery entry that holds this record's state.
    pub fn entry(&self) -> Entry {
        let mut entry = Entry::queued(self.body.len(), self.delivery_count, self.status);
        if let Some(lid) = self.lid {
            entry.leased = true;
            entry.lid = lid;
            entry.wait = (self.visible_at - 1 - self.leased_until) as u64;
            entry.span = (self.leased_until - self.lease_start) as u64;
        }
        entry
    }

    /// Reads a record written by [`Record::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Record> {
        let (wire, body) = Record::wire(bytes)?;
        let base = wire.received_at;
        let leased_until = if wire.lease_end == 0 { 0 } else { base.wrapping_add(wire.lease_end) };
        // Only the two mailboxes are read out of the body: a sweep decodes
        // records it mostly skips, and a whole decode allocates every field.
        let [sender, receiver] = Body::first_values(body, ["sender", "receiver"]);
        Ok(Record {
            sender: sender.unwrap_or_default(),
            receiver: receiver.unwrap_or_default(),
            received_at: base,
            send_when: base.wrapping_add(wire.send_delay),
            client_time: base.wrapping_add(wire.client_offset),
            visible_at: base.wrapping_add(wire.visible_offset),
            leased_until,
            lease_start: leased_until.wrapping_sub(wire.lease_span),
            lid: wire.lid,
            status: wire.status,
            delivery_count: wire.delivery_count,
            expires_at: if wire.expiry == 0 { 0 } else { base.wrapping_add(wire.expiry) },
            refs: wire.refs,
            minted: wire.minted,
            body: body.to_vec(),
        })
    }

    /// The fixed part and the body of a stored record, checked.
    fn wire(bytes: &[u8]) -> Result<(Wire, &[u8])> {
        let rest = match bytes.split_first() {
            Some((&FORMAT_V2, rest)) => rest,
            Some((&1, _)) => {
                return Err(Error::UnsupportedFormat(format!(
                    "a message record of storage format 1; this version reads format {FORMAT_V2} only"
                )))
            }
            Some((&other, _)) => return Err(Error::Corrupt(format!("message record has unknown format byte {other}"))),
            None => return Err(Error::Corrupt("empty message record".into())),
        };
        let (wire, body): (Wire, &[u8]) =
            postcard::take_from_bytes(rest).map_err(|e| Error::Corrupt(format!("message record: {e}")))?;
        if Status::from_code(wire.status).is_none() {
            return Err(Error::Corrupt(format!("message record: status {}", wire.status)));
        }
        if body.len() != wire.body_len as usize {
            return Err(Error::Corrupt("message record: body length".into()));
        }
        Ok((wire, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        Record {
            sender: "a@x".into(),
            receiver: "b@x".into(),
            received_at: 1_700_000_000_000,
            send_when: 1_700_000_000_002,
            client_time: 1_699_999_999_000,
            visible_at: 1_700_000_000_006,
            leased_until: 1_700_000_000_005,
            lease_start: 1_700_000_000_003,
            lid: Some([7; 16]),
            status: 8,
            delivery_count: 6,
            expires_at: 1_700_000_009_000,
            refs: 1,
            minted: false,
            body: b"receiver=b%40x&sender=a%40x".to_vec(),
        }
    }

    #[test]
    fn a_record_round_trips_and_carries_its_format() {
        let r = sample();
        let bytes = r.encode();
        assert_eq!(bytes[0], FORMAT_V2);
        assert_eq!(Record::decode(&bytes).unwrap(), r);
        let never = Record { leased_until: 0, lease_start: 0, lid: None, expires_at: 0, ..sample() };
        assert_eq!(Record::decode(&never.encode()).unwrap(), never);
    }

    #[test]
    fn a_record_takes_its_state_from_its_entry_and_gives_it_back() {
        let r = sample();
        let mut fresh = Record { lid: None, delivery_count: 0, status: 8, ..sample() };
        fresh.apply(r.visible_at, &r.entry());
        assert_eq!(fresh, r);
        let head = Record::decode_head(&r.encode()).unwrap();
        assert_eq!(head, (r.received_at, true));
    }

    #[test]
    fn another_format_byte_is_refused_by_name() {
        let err = Record::decode(&[1, 0, 0]).unwrap_err();
        assert_eq!(err.code(), "unsupported_format");
        assert!(err.to_string().contains("format 1"), "{err}");
        assert_eq!(Record::decode(&[0xee, 1]).unwrap_err().code(), "corrupt");
    }

    #[test]
    fn an_unknown_status_code_is_corrupt_not_guessed() {
        let r = Record { status: 3, ..sample() };
        assert_eq!(Record::decode(&r.encode()).unwrap_err().code(), "corrupt");
    }

    #[test]
    fn a_truncated_body_is_corrupt() {
        let bytes = sample().encode();
        assert_eq!(Record::decode(&bytes[..bytes.len() - 1]).unwrap_err().code(), "corrupt");
    }
}
