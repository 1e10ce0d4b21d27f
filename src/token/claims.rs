//! What a token allows: a mailbox pattern, a set of operations, an expiry.

use crate::config::check_mailbox;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// One kind of access a token can grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// Put messages into a mailbox (`send`).
    Send,
    /// Take messages out: fetch, ack (and extend, peek, stats as they come).
    Consume,
    /// The `admin/…` routes.
    Admin,
}

impl Op {
    /// Every operation, in the order names are listed.
    pub const ALL: [Op; 3] = [Op::Send, Op::Consume, Op::Admin];

    /// The operation's name in tokens, options and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Op::Send => "send",
            Op::Consume => "consume",
            Op::Admin => "admin",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Op::Send => 1,
            Op::Consume => 2,
            Op::Admin => 4,
        }
    }

    /// The operation named `name` (exact, lower case).
    pub fn parse(name: &str) -> Result<Op> {
        Op::ALL
            .into_iter()
            .find(|op| op.name() == name)
            .ok_or_else(|| Error::BadRequest(format!("unknown token operation {name:?}: use send, consume or admin")))
    }
}

/// A non-empty set of [`Op`]s, stored as bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Ops(u8);

impl Ops {
    const KNOWN: u8 = 1 | 2 | 4;

    /// The set of the named operations; at least one, each known.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Ops> {
        let mut bits = 0;
        for name in names {
            bits |= Op::parse(name)?.bit();
        }
        Ops::try_from(bits).map_err(Error::BadRequest)
    }

    /// True when the set holds `op`.
    pub fn allows(self, op: Op) -> bool {
        self.0 & op.bit() != 0
    }

    /// The names of the operations in the set.
    pub fn names(self) -> Vec<&'static str> {
        Op::ALL.into_iter().filter(|&op| self.allows(op)).map(Op::name).collect()
    }
}

impl TryFrom<u8> for Ops {
    type Error = String;

    fn try_from(bits: u8) -> core::result::Result<Ops, String> {
        if bits == 0 || bits & !Ops::KNOWN != 0 {
            return Err("a token needs one or more of the operations send, consume, admin".into());
        }
        Ok(Ops(bits))
    }
}

impl From<Ops> for u8 {
    fn from(ops: Ops) -> u8 {
        ops.0
    }
}

/// The signed content of a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// An exact mailbox name, or a prefix followed by `*` (`tenant-7/*`; `*`
    /// alone is every mailbox). Only a trailing `*` is a wildcard.
    pub mailbox: String,
    /// What the holder may do there.
    pub ops: Ops,
    /// The last moment the token is valid, in ms since the Unix epoch: it is
    /// accepted while `now <= expires`.
    pub expires: i64,
}

impl Claims {
    /// Checks the mailbox pattern: an exact name obeys the mailbox limits; a
    /// prefix may be empty (`*`) and is at most as long as a name.
    pub fn validate(&self) -> Result<()> {
        match self.mailbox.strip_suffix('*') {
            Some(prefix) => check_mailbox("token mailbox prefix", &format!("{prefix}x")),
            None => check_mailbox("token mailbox", &self.mailbox),
        }
    }

    /// True when the pattern covers `mailbox`.
    pub fn covers(&self, mailbox: &str) -> bool {
        match self.mailbox.strip_suffix('*') {
            Some(prefix) => mailbox.starts_with(prefix),
            None => mailbox == self.mailbox,
        }
    }

    /// True when the pattern covers every mailbox (`*`): what a route that
    /// names no mailbox, and so concerns them all, needs.
    pub fn covers_all(&self) -> bool {
        self.mailbox == "*"
    }

    /// True when the token may do `op` on `mailbox`.
    pub fn allows(&self, op: Op, mailbox: &str) -> bool {
        self.ops.allows(op) && self.covers(mailbox)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(mailbox: &str) -> Claims {
        Claims { mailbox: mailbox.into(), ops: Ops::parse(["consume"]).unwrap(), expires: 0 }
    }

    #[test]
    fn exact_names_and_prefixes() {
        assert!(claims("a").covers("a"));
        assert!(!claims("a").covers("ab"), "an exact name is no prefix");
        assert!(!claims("a").covers("A"));
        assert!(claims("a*").covers("a"));
        assert!(claims("a*").covers("ab"));
        assert!(!claims("a*").covers("b"));
        assert!(!claims("a*").covers("ba"));
        assert!(claims("*").covers("anything") && claims("*").covers_all());
        assert!(!claims("a*").covers_all());
        // Only a trailing star is a wildcard.
        assert!(claims("a*b").covers("a*b") && !claims("a*b").covers("axb"));
    }

    #[test]
    fn patterns_obey_the_mailbox_limits() {
        assert!(claims("a").validate().is_ok());
        assert!(claims("*").validate().is_ok());
        assert_eq!(claims("").validate().unwrap_err().code(), "invalid_mailbox");
        assert!(claims(&"m".repeat(255)).validate().is_ok());
        assert_eq!(claims(&"m".repeat(256)).validate().unwrap_err().code(), "invalid_mailbox");
        assert!(claims(&format!("{}*", "m".repeat(254))).validate().is_ok());
        assert!(claims(&format!("{}*", "m".repeat(255))).validate().is_err());
    }

    #[test]
    fn ops_are_named_known_and_not_empty() {
        let ops = Ops::parse(["send", "admin", "send"]).unwrap();
        assert!(ops.allows(Op::Send) && ops.allows(Op::Admin) && !ops.allows(Op::Consume));
        assert_eq!(ops.names(), ["send", "admin"]);
        assert_eq!(Ops::parse([]).unwrap_err().code(), "bad_request");
        assert_eq!(Ops::parse(["Send"]).unwrap_err().code(), "bad_request");
        assert_eq!(Ops::parse(["fetch"]).unwrap_err().code(), "bad_request");
        assert!(Ops::try_from(8).is_err() && Ops::try_from(0).is_err() && Ops::try_from(7).is_ok());
    }
}
