import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../core/errors.ts";

// Gateway keys with caps: each client team gets its own key, a request rate (per minute) and a
// spend cap (USD per UTC day, counted from the answers' costs). The keys file is the host's, like
// its environment; keys are held as SHA-256 digests (a file may list digests only) and a key is
// never logged: decision lines, metrics and spans carry its name.

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const KeyEntry = z
  .strictObject({
    name: z.string().regex(NAME, "letters, digits, '.', '_' or '-'"),
    /** The key itself (at least 16 characters), or `sha256`: its hex digest. */
    key: z.string().min(16, "at least 16 characters").optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits")
      .optional(),
    requestsPerMinute: z.number().int().positive().optional(),
    usdPerDay: z.number().nonnegative().optional(),
  })
  .refine((k) => (k.key === undefined) !== (k.sha256 === undefined), "give exactly one of `key` and `sha256`");

export const GatewayKeysFile = z.strictObject({ keys: z.array(KeyEntry).min(1) });

export interface GatewayKey {
  name: string;
  /** SHA-256 of the key, hex. */
  digest: string;
  requestsPerMinute?: number;
  usdPerDay?: number;
}

export const digestOf = (key: string) => createHash("sha256").update(key).digest("hex");

/** Reads `--keys FILE`; a bad file is an InputError naming the field and the fix (exit 2). */
export function loadGatewayKeys(file: string): GatewayKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(file, undefined, `cannot read it as JSON (${(err as Error).message})`, KEYS_FIX);
  }
  const parsed = GatewayKeysFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(file, issue.path.join(".") || undefined, issue.message, KEYS_FIX);
  }
  const keys = parsed.data.keys.map((k) => ({
    name: k.name,
    digest: k.sha256 ?? digestOf(k.key!),
    ...(k.requestsPerMinute !== undefined ? { requestsPerMinute: k.requestsPerMinute } : {}),
    ...(k.usdPerDay !== undefined ? { usdPerDay: k.usdPerDay } : {}),
  }));
  const seen = new Set<string>();
  for (const [i, k] of keys.entries()) {
    if (seen.has(k.name) || seen.has(k.digest))
      throw new InputError(file, `keys.${i}`, `a second key named "${k.name}" or the same key twice`, KEYS_FIX);
    seen.add(k.name).add(k.digest);
  }
  return keys;
}

const KEYS_FIX =
  'write {"keys": [{"name": "search", "key": "<at least 16 characters>", "requestsPerMinute": 600, "usdPerDay": 20}]}';
