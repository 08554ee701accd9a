// Buffer is a Node global (no import, no undici): the fastest base64 codec there is.

/**
 * Decodes base64 to bytes.
 * @example fromBase64("aGk=") // Uint8Array [104, 105]
 */
export function fromBase64(s: string): Uint8Array {
  return Buffer.from(s, "base64");
}

/**
 * Encodes bytes (or a string as UTF-8) to base64.
 * @example toBase64("hi") // "aGk="
 */
export function toBase64(data: Uint8Array | string): string {
  return (typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength)).toString("base64");
}

/**
 * UTF-8 bytes of a string.
 * @example utf8Bytes("é").length // 2
 */
export function utf8Bytes(s: string): Uint8Array {
  return Buffer.from(s, "utf8");
}

/**
 * Decodes UTF-8 bytes to a string (invalid sequences become U+FFFD).
 * @example utf8Text(new Uint8Array([104, 105])) // "hi"
 */
export function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
