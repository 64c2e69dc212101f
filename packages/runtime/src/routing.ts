// @routegate/runtime/routing: defineRouter, the built-in routers and their building blocks, so a
// router file that an eval ran can be deployed with the runtime alone.
export * from "../../../src/routing/index.ts";
