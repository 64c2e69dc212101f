// An embedding's vector as stored text: "f32:" + base64 of its float32 values (little-endian, as
// Float32Array lays them out on every platform Node runs on). Compact, exact, and it keeps the
// outcome table's one text column for every kind of call.

const PREFIX = "f32:";

export function encodeVector(vector: Float32Array): string {
  return PREFIX + Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}

/** The vector of a stored embedding; empty for an errored one (its output is ""). */
export function decodeVector(text: string): Float32Array {
  if (!text.startsWith(PREFIX)) return new Float32Array(0);
  const bytes = Buffer.from(text.slice(PREFIX.length), "base64");
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}
