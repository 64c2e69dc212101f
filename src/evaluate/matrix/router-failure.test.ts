import { describe, expect, it } from "vitest";
import { InputError, RunError } from "../../core/errors.ts";
import { asRouterFailure, RouterFailure, sourceLocation } from "./router-failure.ts";

describe("a router's failure", () => {
  it("names where it threw: the first frame outside node_modules and Node, relative to the working directory", () => {
    const err = new Error("boom");
    err.stack = [
      "Error: boom",
      "    at node:internal/process/task_queues:95:5",
      "    at Object.score (/home/me/project/routers/mine.ts:12:11)",
      "    at /home/me/project/node_modules/lib/index.js:1:1",
    ].join("\n");
    expect(sourceLocation(err, "/home/me/project")).toBe("routers/mine.ts:12:11");
    const url = new Error("x");
    url.stack = "Error: x\n    at file:///home/me/project/evals/a.eval.ts:3:7";
    expect(sourceLocation(url, "/home/me/project")).toBe("evals/a.eval.ts:3:7");
    const cjs = new Error("y");
    cjs.stack = `Error: y\n    at Module.f (data:text/javascript,__filename%3D(()%3D%3E%7B%7D)()%0A?filePath=%2Fhome%2Fme%2Fproject%2Fx.eval.ts%3Fnamespace%3Dabc:2:899)`;
    expect(sourceLocation(cjs, "/home/me/project")).toMatch(/^x\.eval\.ts \(no line: loaded as CommonJS/);
    expect(sourceLocation("not an error")).toBeNull();
  });

  it("wraps what the router's code threw, and lets bad input and a stopped run pass through", () => {
    const wrapped = asRouterFailure("r", "score", "i1", new TypeError("nope"));
    expect(wrapped).toBeInstanceOf(RouterFailure);
    expect(wrapped).toMatchObject({ router: "r", step: "score", itemId: "i1", error: "nope" });
    const input = new InputError("f", "w", "p", "x");
    expect(asRouterFailure("r", "score", "i1", input)).toBe(input);
    const stop = new RunError("budget");
    expect(asRouterFailure("r", "fit", null, stop)).toBe(stop);
  });
});
