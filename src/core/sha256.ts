import * as crypto from "node:crypto";

// One-shot sha256 where the runtime has it (Node >= 20.12; `engines` allows 20.11): a run hashes
// every request, item and split key, and a Hash object each is a third of that cost or more. The
// digest is the same either way.

const oneShot = typeof crypto.hash === "function";

/** sha256 of a UTF-8 string, as lowercase hex. */
export function sha256Hex(text: string): string {
  return oneShot ? crypto.hash("sha256", text, "hex") : crypto.createHash("sha256").update(text).digest("hex");
}

/** sha256 of a UTF-8 string, as bytes. */
export function sha256Bytes(text: string): Buffer {
  return oneShot
    ? (crypto.hash("sha256", text, "buffer") as Buffer)
    : crypto.createHash("sha256").update(text).digest();
}
