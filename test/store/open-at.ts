import { OutcomeStore } from "../../src/store/outcome-store.ts";

// One "process" of the fresh-store race: loads everything first and says "ready"; the test
// answers with an instant (ms since the epoch) once every process is ready; each waits for that
// instant and opens the store at argv[2], as parallel runs started together do. Prints
// "ok VERSION" or the error, and exits 0 or 1.
const [path] = process.argv.slice(2);
process.stdin.setEncoding("utf8");
let line = "";
process.stdin.on("data", (chunk: string) => {
  line += chunk;
  if (!line.includes("\n")) return;
  process.stdin.pause();
  openAt(Number(line.trim()));
});
process.stdout.write("ready\n");

function openAt(at: number): void {
  while (Date.now() < at) {
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
}
