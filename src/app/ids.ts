import { nodeCrypto } from "./node-crypto.ts";

// Crockford base32 (no I, L, O, U): ids are URL-safe, case-insensitive to read, and sort by creation time.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The shape of every id ExamBuddy generates (a ULID): 10 time characters + 16 random ones. */
export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// Monotonic within the process: ids made in the same millisecond still sort in creation order (the
// random part of the previous id + 1). This is a generator's state, not a request's.
let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A new ULID-style id: lexicographic order is creation order, so a sort key built from it lists newest
 * or oldest first without another attribute.
 * @example newId() // "01JD5X3K9V7Q2M4N6P8R0T2V4X"
 */
export function newId(now: number = Date.now()): string {
  let t = Math.max(0, Math.floor(now));
  let random: number[];
  if (t <= lastTime) {
    t = lastTime;
    random = lastRandom.slice();
    let i = random.length - 1;
    while (i >= 0 && random[i] === 31) random[i--] = 0;
    if (i >= 0) random[i]!++;
  } else {
    const bytes = nodeCrypto().randomBytes(16);
    random = Array.from(bytes, (b) => b & 31);
    random[0]! &= 15; // leave headroom so increments never wrap within a millisecond
  }
  lastTime = t;
  lastRandom = random;
  let time = "";
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => ALPHABET[d]).join("");
}
