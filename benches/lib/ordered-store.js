// A lean ordered key-value store in plain JS, used two ways:
// - the store of the plain-JS baseline (benches/lib/js-queue.js), and
// - a "thin" JS storage for the Server (Storage contract: get/list/write),
//   to separate the cost of the wasm↔JS boundary from the cost of the
//   package's memoryStorage(), whose single sorted array costs O(n) per insert.
//
// Values live in a Map (a get is O(1)); the keys are also kept in a B+ tree
// (npm sorted-btree) for ordered listing, so a put, a delete and the seek of a
// list are O(log n) whatever order keys arrive in. Format 2's `m<mid>` keys
// arrive in random (SHA-1) order and every send lists a few of them after a
// cursor: an index that only handles appends in order would have to re-sort
// or scan on each send (an earlier version of this file did, and its sends
// ran at a few hundred per second).
//
// Values are kept as given and returned as stored: the wasm boundary copies
// Uint8Arrays both ways already, so no caller ever shares a buffer with it.

import BTree from "sorted-btree";

const Tree = BTree.default ?? BTree;

/** Plain `<` on strings compares UTF-16 code units; keys here are ASCII, so that is byte order. */
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

export class OrderedStore {
  /** @type {Map<string, Uint8Array>} */
  values = new Map();
  /** The same keys in order (values unused). */
  keys = new Tree(undefined, compare);

  get size() {
    return this.values.size;
  }

  get(key) {
    return this.values.get(key);
  }

  /** Entries with `prefix`, key >= `start`, ascending, at most `limit`. */
  list({ prefix, start, limit = Infinity }) {
    const from = start !== undefined && start > prefix ? start : prefix;
    const out = [];
    if (limit <= 0) return out;
    for (let k = this.keys.getPairOrNextHigher(from)?.[0]; k !== undefined && k.startsWith(prefix); k = this.keys.nextHigherKey(k)) {
      out.push([k, this.values.get(k)]);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Applies puts and deletes (null) in order. */
  write(batch) {
    for (let i = 0; i < batch.length; i++) {
      const [key, value] = batch[i];
      if (value === null) {
        if (this.values.delete(key)) this.keys.delete(key);
      } else {
        if (!this.values.has(key)) this.keys.set(key, undefined);
        this.values.set(key, value);
      }
    }
  }
}

/** The store as a Storage for `new Server({ storage })`: synchronous callbacks. */
export function orderedStorage() {
  const store = new OrderedStore();
  return {
    store,
    get: (key) => store.get(key),
    list: (o) => store.list(o),
    write: (batch) => store.write(batch),
  };
}
