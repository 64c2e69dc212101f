import { stringify } from "safe-stable-stringify";
import { sha256Hex } from "./sha256.ts";
import type { ChatRequest, EmbedRequest, RequestIdentity } from "./types.ts";

/**
 * The content address of an outcome. It covers who asked (item, role, sample, parents), the
 * resolved model snapshot, the messages and every sampling parameter; it leaves out transport
 * hints (`cache`), so turning prompt caching on or off does not invalidate what was collected.
 */
export function requestHash(snapshot: string, request: ChatRequest, identity: RequestIdentity): string {
  const { cache: _transportHint, ...hashed } = request;
  const canonical = stringify({
    v: 1,
    snapshot,
    request: hashed,
    identity: { ...identity, parents: [...identity.parents].sort() },
  });
  return sha256Hex(canonical ?? "");
}

/**
 * The content address of an embedding: like a chat request's, over the snapshot, the text, the
 * dimensions and who asked; "embed" in the canonical form keeps the two kinds apart.
 */
export function embedRequestHash(snapshot: string, request: EmbedRequest, identity: RequestIdentity): string {
  const canonical = stringify({
    v: 1,
    kind: "embed",
    snapshot,
    request,
    identity: { ...identity, parents: [...identity.parents].sort() },
  });
  return sha256Hex(canonical ?? "");
}
