import { startFakeProvider } from "../devkit/fake-provider/server.ts";
import { serveParent } from "./serve-processes.ts";

// The serve bench's upstream: the local fake provider in a process of its own.
const fake = await startFakeProvider();
// The fake keeps every request for tests; here that would be growth of no interest.
setInterval(() => fake.reset(), 200).unref();
process.send!({ openaiBaseUrl: fake.openaiBaseUrl });
serveParent(
  () => undefined,
  () => fake.close(),
);
