import Database from "better-sqlite3";

/**
 * How many outcomes a store file holds as another connection (another process) sees them: what
 * is committed, not what a writer still holds or is writing.
 */
export function committedRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM outcomes").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
