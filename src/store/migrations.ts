// Append-only: a released migration is never edited, only followed by a new one. The index of
// each entry + 1 is the schema version recorded in SQLite's user_version.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE outcomes (
     hash TEXT PRIMARY KEY,
     model_id TEXT NOT NULL,
     snapshot TEXT NOT NULL,
     item_id TEXT NOT NULL,
     role TEXT NOT NULL,
     sample INTEGER NOT NULL,
     parents TEXT NOT NULL,
     request TEXT NOT NULL,
     output TEXT NOT NULL,
     usage TEXT,
     usage_estimated INTEGER NOT NULL DEFAULT 0,
     recorded_cost_usd REAL,
     latency_ms REAL NOT NULL,
     error TEXT,
     error_code TEXT,
     logprobs TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX outcomes_by_item ON outcomes (item_id, model_id);
   CREATE TABLE runs (
     run_id TEXT PRIMARY KEY,
     eval TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     status TEXT NOT NULL,
     provider_calls INTEGER NOT NULL DEFAULT 0,
     from_store INTEGER NOT NULL DEFAULT 0
   );`,
  // 2: the provider's service tier ("batch", "flex", "priority", ...) changes the price of a call.
  `ALTER TABLE outcomes ADD COLUMN service_tier TEXT;`,
  // 3: submitted provider batches (--batch), persisted before waiting so a restarted run resumes
  // polling them instead of submitting (and paying for) the same requests twice.
  `CREATE TABLE batches (
     provider TEXT NOT NULL,
     batch_id TEXT NOT NULL,
     model_id TEXT NOT NULL,
     status TEXT NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     hashes TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (provider, batch_id)
   );
   CREATE INDEX batches_open ON batches (model_id, done);`,
  // 4: outcomes whose text held a configured API key, replaced before storing; the report says so.
  `ALTER TABLE outcomes ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;`,
  // 5: requests in flight, claimed by the process paying for them, so another process sharing the
  // store waits for the answer instead of paying again (renewed while the call lives; a crashed
  // owner's claim expires). And how many runs have collected an outcome, so a one-off failure is
  // retried a bounded number of times.
  `CREATE TABLE claims (
     hash TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   ALTER TABLE outcomes ADD COLUMN tries INTEGER NOT NULL DEFAULT 1;`,
  // 6: fine-tuning jobs, recorded as soon
  // as the provider accepts one, so `finetune status` resumes polling after a restart instead of
  // paying for a second job; the finished job's trained tokens and cost stay with it.
  `CREATE TABLE finetune_jobs (
     provider TEXT NOT NULL,
     job_id TEXT NOT NULL,
     eval TEXT NOT NULL,
     base_model TEXT NOT NULL,
     training_file TEXT NOT NULL,
     file_sha256 TEXT NOT NULL,
     epochs INTEGER NOT NULL,
     estimated_cost_usd REAL NOT NULL,
     status TEXT NOT NULL,
     fine_tuned_model TEXT,
     trained_tokens INTEGER,
     training_cost_usd REAL,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (provider, job_id)
   );`,
  // 7: the usage object each provider returned ({format, usage} as JSON, secrets scrubbed), beside
  // the normalised usage: `routegate store renormalise` re-derives usage from it after a normaliser
  // fix, without paying for the calls again. Null for outcomes stored before, and for the sim.
  `ALTER TABLE outcomes ADD COLUMN usage_raw TEXT;`,
];
