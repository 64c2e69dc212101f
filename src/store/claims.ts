import { hostname } from "node:os";
import type Database from "better-sqlite3";

/** Who holds a claim: this machine, this process, and a nonce for each caller within it. */
export interface ClaimOwner {
  host: string;
  pid: number;
  id: string;
}

/** The owner string as stored: `host pid id` (host names hold no spaces). */
export function ownerKey(owner: ClaimOwner): string {
  return `${owner.host} ${owner.pid} ${owner.id}`;
}

function parseOwner(key: string): ClaimOwner | null {
  const [host, pid, id] = key.split(" ");
  const n = Number(pid);
  return host && id && Number.isInteger(n) ? { host, pid: n, id } : null;
}

/**
 * The claims table (schema version 5): requests in flight, each held by the process paying for it
 * until its answer is stored. A claim carries an expiry that its owner renews while the call is
 * alive; an expired claim, or one whose owner process on this machine has died, is free to take.
 * Claims coordinate processes sharing one store file on one machine; they mean nothing across
 * machines (each has its own copy of the store).
 */
export class Claims {
  private readonly takeStmt: Database.Statement<[string, string, number, number]>;
  private readonly renewStmt: Database.Statement<[number, string, string]>;
  private readonly releaseStmt: Database.Statement<[string, string]>;
  private readonly holderStmt: Database.Statement<[string], { owner: string; expires_at: number }>;

  constructor(private readonly db: Database.Database) {
    // One statement, so taking a claim is atomic between processes: the row is written only when
    // it is new, expired, or already ours.
    this.takeStmt = db.prepare(
      `INSERT INTO claims (hash, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (hash) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE claims.expires_at < ? OR claims.owner = excluded.owner`,
    );
    this.renewStmt = db.prepare("UPDATE claims SET expires_at = ? WHERE hash = ? AND owner = ?");
    this.releaseStmt = db.prepare("DELETE FROM claims WHERE hash = ? AND owner = ?");
    this.holderStmt = db.prepare("SELECT owner, expires_at FROM claims WHERE hash = ?");
  }

  /** Takes the claim on `hash` for `ttlMs`, unless a live owner holds it. True when taken. */
  take(hash: string, owner: ClaimOwner, ttlMs: number, now = Date.now()): boolean {
    if (this.takeStmt.run(hash, ownerKey(owner), now + ttlMs, now).changes === 1) return true;
    // Held: by a process of this machine that has died (SIGKILL), the claim is free at once.
    const holder = this.holderStmt.get(hash);
    const held = holder ? parseOwner(holder.owner) : null;
    if (!holder || !held || held.host !== owner.host || processAlive(held.pid)) return false;
    this.releaseStmt.run(hash, holder.owner);
    return this.takeStmt.run(hash, ownerKey(owner), now + ttlMs, now).changes === 1;
  }

  /** Extends a claim still held by `owner`; false when it was lost (expired and taken). */
  renew(hash: string, owner: ClaimOwner, ttlMs: number, now = Date.now()): boolean {
    return this.renewStmt.run(now + ttlMs, hash, ownerKey(owner)).changes === 1;
  }

  release(hash: string, owner: ClaimOwner): void {
    this.releaseStmt.run(hash, ownerKey(owner));
  }

  /** `take` for many hashes in one transaction (a batch's requests); returns those taken. */
  takeMany(hashes: readonly string[], owner: ClaimOwner, ttlMs: number, now = Date.now()): string[] {
    return this.db.transaction(() => hashes.filter((hash) => this.take(hash, owner, ttlMs, now)))();
  }

  /** `renew` for many hashes in one transaction. */
  renewMany(hashes: Iterable<string>, owner: ClaimOwner, ttlMs: number, now = Date.now()): void {
    this.db.transaction(() => {
      for (const hash of hashes) this.renew(hash, owner, ttlMs, now);
    })();
  }

  /** `release` for many hashes in one transaction. */
  releaseMany(hashes: Iterable<string>, owner: ClaimOwner): void {
    this.db.transaction(() => {
      for (const hash of hashes) this.release(hash, owner);
    })();
  }

  /** The current holder's owner key and expiry, if any (tests and the chaos suite read it). */
  holder(hash: string): { owner: string; expiresAt: number } | undefined {
    const row = this.holderStmt.get(hash);
    return row ? { owner: row.owner, expiresAt: row.expires_at } : undefined;
  }
}

/** This process as a claim owner; `id` tells apart callers within one process. */
export function claimOwner(id: string): ClaimOwner {
  return { host: hostname().replace(/\s+/g, "_"), pid: process.pid, id };
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
