import { OutcomeStore } from "../../src/store/outcome-store.ts";

// One "process" of the fresh-store race: loads everything first, then waits for the agreed
// instant (argv[3], ms since the epoch) and opens the store at argv[2], as parallel runs started
// together do. Prints "ok VERSION" or the error, and exits 0 or 1.
const [path, at] = process.argv.slice(2);
while (Date.now() < Number(at)) {
  // Spin: a timer's granularity would spread the processes over milliseconds.
}
try {
  const store = OutcomeStore.open(path!);
  process.stdout.write(`ok ${store.schemaVersion}\n`);
  store.close();
} catch (err) {
  process.stdout.write(`error ${(err as Error).message}\n`);
  process.exitCode = 1;
}
