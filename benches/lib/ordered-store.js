// A lean ordered key-value store in plain JS, used two ways:
// - the store of the plain-JS baseline (benches/lib/js-queue.js), and
// - a "thin" JS storage for the Server (Storage contract: get/list/write),
//   to separate the cost of the wasm↔JS boundary from the cost of the
//   package's memoryStorage(), whose single sorted array costs O(n) per insert.
//
// Values live in one Map. Ordered listing is needed only inside a "family"
// (`v/<mailbox>/`, `r/<mailbox>/`, `l/`, `t/`, `h/`, `b/`): each family keeps
// its keys in an array that is appended to when keys arrive in order (the
// common case: index keys begin with a time) and re-sorted lazily otherwise.
// Deletes only touch the Map (and advance the array head when the oldest key
// goes); dead array entries are skipped by list and compacted away once they
// outnumber the live ones. The workload's costs are therefore O(1) amortised
// per write, a floor the wasm store's BTreeMap (O(log n)) can be held against.
//
// Values are kept as given and returned as stored: the wasm boundary copies
// Uint8Arrays both ways already, so no caller ever shares a buffer with it.

/** The family of a key: `v/<mailbox>/` and `r/<mailbox>/` for the mailbox indexes, else `x/`. */
function familyOf(key) {
  const slash = key.indexOf("/");
  if (slash < 0) return "";
  const c = key.charCodeAt(0);
  if (slash === 1 && (c === 118 /* v */ || c === 114 /* r */)) {
    const second = key.indexOf("/", 2);
    return second < 0 ? key.slice(0, 2) : key.slice(0, second + 1);
  }
  return key.slice(0, slash + 1);
}

function lowerBound(keys, lo, key) {
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OrderedStore {
  /** @type {Map<string, Uint8Array>} */
  values = new Map();
  /** @type {Map<string, { keys: string[], head: number, sorted: boolean, dead: number }>} */
  families = new Map();

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
    const family = this.families.get(prefix);
    if (family === undefined || familyOf(prefix) !== prefix) {
      // Not exactly one family (never on the queue's paths): a full scan, correct but slow.
      const keys = [...this.values.keys()].filter((k) => k.startsWith(prefix) && k >= from).sort();
      for (const k of keys.slice(0, limit)) out.push([k, this.values.get(k)]);
      return out;
    }
    if (!family.sorted) this.#compact(family);
    const { keys } = family;
    let previous;
    for (let i = lowerBound(keys, family.head, from); i < keys.length && out.length < limit; i++) {
      const k = keys[i];
      if (k === previous) continue;
      previous = k;
      const v = this.values.get(k);
      if (v !== undefined) out.push([k, v]);
    }
    return out;
  }

  /** Applies puts and deletes (null) in order. */
  write(batch) {
    for (let i = 0; i < batch.length; i++) {
      const [key, value] = batch[i];
      if (value === null) this.#delete(key);
      else this.#put(key, value);
    }
  }

  #put(key, value) {
    const had = this.values.has(key);
    this.values.set(key, value);
    if (had) return;
    const name = familyOf(key);
    let family = this.families.get(name);
    if (family === undefined) this.families.set(name, (family = { keys: [], head: 0, sorted: true, dead: 0 }));
    const { keys } = family;
    if (keys.length > family.head && key <= keys[keys.length - 1]) family.sorted = false;
    keys.push(key);
  }

  #delete(key) {
    if (!this.values.delete(key)) return;
    const family = this.families.get(familyOf(key));
    if (family.sorted && family.keys[family.head] === key) family.head++;
    else family.dead++;
    const live = family.keys.length - family.head - family.dead;
    if (family.head > 1024 && family.head > live) this.#compact(family);
    else if (family.dead > 1024 && family.dead > live) this.#compact(family);
  }

  /** Drops dead and duplicate entries and sorts the family's keys. */
  #compact(family) {
    const live = [];
    for (let i = family.head; i < family.keys.length; i++) {
      if (this.values.has(family.keys[i])) live.push(family.keys[i]);
    }
    if (!family.sorted) live.sort();
    const unique = live.filter((k, i) => i === 0 || k !== live[i - 1]);
    family.keys = unique;
    family.head = 0;
    family.dead = 0;
    family.sorted = true;
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
