import { randomFillSync } from 'node:crypto';

// Query IDs must be unpredictable (RFC 5452 §9.2); draw them from the CSPRNG in
// blocks so a busy run does not pay a syscall per query.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** A cryptographically random 16-bit integer. */
export function randomId(): number {
  if (offset + 2 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const value = pool.readUInt16BE(offset);
  offset += 2;
  return value;
}
