import { existsSync } from "node:fs";
import Database from "better-sqlite3";

// Reads a trial's store as another process would (read-only, WAL): which answers it holds, and
// whether anything it held before is gone.

export interface StoredRow {
  key: string;
  ok: boolean;
  createdAt: string;
  output: string;
}

/** Every outcome in the store by "model item", or an empty map while it does not exist yet. */
export function storedRows(path: string): Map<string, StoredRow> {
  const rows = new Map<string, StoredRow>();
  if (!existsSync(path)) return rows;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const all = db.prepare("SELECT model_id, item_id, error, created_at, output FROM outcomes").all() as Array<{
      model_id: string;
      item_id: string;
      error: string | null;
      created_at: string;
      output: string;
    }>;
    for (const r of all) {
      const key = `${r.model_id} ${r.item_id}`;
      rows.set(key, { key, ok: r.error === null, createdAt: r.created_at, output: r.output });
    }
  } catch {
    // Not migrated yet, or busy: nothing to report this time.
  } finally {
    db?.close();
  }
  return rows;
}

/** A live read-only view for the server's "already stored?" question, reopened when needed. */
export class StoreWatch {
  private db: Database.Database | undefined;
  constructor(private readonly path: string) {}

  storedOk(modelId: string, itemId: string): boolean {
    try {
      if (!this.db) {
        if (!existsSync(this.path)) return false;
        this.db = new Database(this.path, { readonly: true, fileMustExist: true });
      }
      const row = this.db
        .prepare("SELECT 1 AS y FROM outcomes WHERE model_id = ? AND item_id = ? AND error IS NULL LIMIT 1")
        .get(modelId, itemId);
      return row !== undefined;
    } catch {
      this.close();
      return false;
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}

/** PRAGMA integrity_check of the store: "ok" or what SQLite found. */
export function integrity(path: string): string {
  if (!existsSync(path)) return "missing";
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}

/**
 * Outcomes lost between two looks at a store: an answer it held before that is gone or changed,
 * plus every expected outcome (model x item) missing at the end.
 */
export function lostOutcomes(
  before: Map<string, StoredRow>,
  after: Map<string, StoredRow>,
  expected: string[],
): number {
  let lost = 0;
  for (const [key, row] of before) {
    const now = after.get(key);
    if (row.ok && (!now || now.createdAt !== row.createdAt || now.output !== row.output)) lost++;
  }
  for (const key of expected) if (!after.has(key)) lost++;
  return lost;
}
