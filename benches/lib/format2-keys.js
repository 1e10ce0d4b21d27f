// Storage format 2's keys (docs/design.md), for the plain-JS baselines: the
// `m<mid>` record, the `d<mailbox>/<visibleAt><mid>` delivery entry and the
// `r<mailbox>/<receivedAt><mid>` listing entry, with mids and times in the
// order-preserving base-64 digits. No imports and no Node APIs: the Worker
// baseline (benches/worker-baseline, bundled by Miniflare) loads it too.

/** Digits in ascending ASCII order, so fixed-width numbers sort like their digits. */
const DIGITS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const VALUE = new Map([...DIGITS].map((c, i) => [c, i]));
const TWO_60 = 2 ** 60;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** How many digits a mid takes at the end of a key. */
export const MID_DIGITS = 27;
/** How many digits a time takes. */
export const TIME_DIGITS = 11;

/** A time in 11 digits: the ms value as an i64 with the sign bit flipped (ms ≥ 0 here, so bit 63 set). */
export function timeKey(ms) {
  if (!(ms >= 0)) throw new RangeError("the baseline's times are never negative");
  let s = DIGITS[8 | Math.floor(ms / TWO_60)];
  for (let i = 9; i >= 0; i--) s += DIGITS[Math.floor(ms / 64 ** i) % 64];
  return s;
}

/** The ms value of an 11-digit time key. */
export function parseTimeKey(s) {
  let ms = VALUE.get(s[0]) & 7;
  for (let i = 1; i < TIME_DIGITS; i++) ms = ms * 64 + VALUE.get(s[i]);
  return ms;
}

/** Big-endian `bytes` in `width` digits of 6 bits (zero bits in front when they do not fill it). */
function bytesToDigits(bytes, from, to, width) {
  let s = "";
  let acc = 0;
  let bits = width * 6 - (to - from) * 8;
  for (let i = from; i < to; i++) {
    acc = (acc << 8) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      s += DIGITS[(acc >> bits) & 63];
    }
    acc &= (1 << bits) - 1;
  }
  return s;
}

/** A mid (its 20 SHA-1 bytes) in 27 digits: the first 8 bytes in 11, the other 12 in 16 (as the server's keys). */
export const midKey = (sha) => bytesToDigits(sha, 0, 8, 11) + bytesToDigits(sha, 8, 20, 16);

/** The 40 hex digits of the mid in a 27-digit key. */
export function midHex(mk) {
  let out = "";
  for (const [from, to, pad] of [[0, 11, 2], [11, 27, 0]]) {
    let acc = 0;
    let bits = -pad;
    for (let i = from; i < to; i++) {
      acc = ((acc << 6) | VALUE.get(mk[i])) & 0xfff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += HEX[(acc >> bits) & 255];
      }
    }
  }
  return out;
}

/** A mailbox name as it stands in keys: form-escaped, so `/` never appears in it. */
export const mailboxKey = (name) => encodeURIComponent(name).replace(/%20/g, "+");
export const visibleKey = (mb, at, mk) => `d${mb}/${timeKey(at)}${mk}`;
export const receivedKey = (mb, at, mk) => `r${mb}/${timeKey(at)}${mk}`;
