import type Database from "better-sqlite3";

/** One provider batch as the store keeps it: which requests (by hash) it covers, and whether it ended. */
export interface BatchRecord {
  provider: string;
  batchId: string;
  modelId: string;
  status: string;
  done: boolean;
  hashes: string[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  provider: string;
  batch_id: string;
  model_id: string;
  status: string;
  done: number;
  hashes: string;
  created_at: string;
  updated_at: string;
}

/**
 * The batches table. A batch is recorded right after the provider accepted it and before any
 * waiting, so a killed run leaves its id behind and the next run polls it instead of resubmitting.
 */
export class BatchLedger {
  constructor(private readonly db: Database.Database) {}

  add(batch: { provider: string; batchId: string; modelId: string; status: string; hashes: readonly string[] }): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT OR REPLACE INTO batches (provider, batch_id, model_id, status, done, hashes, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(batch.provider, batch.batchId, batch.modelId, batch.status, JSON.stringify(batch.hashes), now, now);
  }

  update(provider: string, batchId: string, status: string, done: boolean): void {
    this.db
      .prepare("UPDATE batches SET status = ?, done = ?, updated_at = ? WHERE provider = ? AND batch_id = ?")
      .run(status, done ? 1 : 0, new Date().toISOString(), provider, batchId);
  }

  /** Batches of a model whose results are not all stored yet, oldest first. */
  open(modelId: string): BatchRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM batches WHERE model_id = ? AND done = 0 ORDER BY created_at, batch_id")
      .all(modelId) as Row[];
    return rows.map(fromRow);
  }

  all(): BatchRecord[] {
    return (this.db.prepare("SELECT * FROM batches ORDER BY created_at, batch_id").all() as Row[]).map(fromRow);
  }
}

function fromRow(row: Row): BatchRecord {
  return {
    provider: row.provider,
    batchId: row.batch_id,
    modelId: row.model_id,
    status: row.status,
    done: row.done === 1,
    hashes: JSON.parse(row.hashes) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
