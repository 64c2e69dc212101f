import { stringify } from "safe-stable-stringify";
import { sha256Hex } from "./sha256.ts";
import type { ChatRequest, EmbedRequest, RequestIdentity } from "./types.ts";

/**
 * The content address of an outcome. It covers who asked (item, role, sample, parents), the
 * resolved model snapshot, the messages and every sampling parameter; it leaves out transport
 * hints (`cache`), so turning prompt caching on or off does not invalidate what was collected.
 */
export function requestHash(snapshot: string, request: ChatRequest, identity: RequestIdentity): string {
  return requestHashes([snapshot], request, identity)[0]!;
}

/**
 * requestHash of one request for several snapshots (an item's request to every candidate model):
 * the canonical form is written once and only the snapshot differs. It is the stable
 * stringification of `{v, snapshot, request, identity}`, whose keys sort as identity, request,
 * snapshot, v, put together from the stable stringifications of its parts (request-hash.test.ts
 * pins it against the whole object's).
 */
export function requestHashes(snapshots: readonly string[], request: ChatRequest, identity: RequestIdentity): string[] {
  const { cache: _transportHint, ...hashed } = request;
  const head = `{"identity":${stringify({ ...identity, parents: [...identity.parents].sort() })},"request":${stringify(hashed)},"snapshot":`;
  return snapshots.map((snapshot) => sha256Hex(`${head}${stringify(snapshot)},"v":1}`));
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
