import { z } from "zod";

// Dataset JSONL lines: {"id", "input", "expected"?, "metadata"?} (contract).
export const DatasetLine = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  input: z.union([z.string(), z.record(z.string(), z.unknown())]),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type DatasetLine = z.infer<typeof DatasetLine>;
