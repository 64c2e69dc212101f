// `routegate`: what eval files are written with, the eval config (./config) and the routers
// (./routing). Production imports @routegate/runtime (or routegate/runtime) instead.
export * from "./config/define-eval.ts";
export * from "./routing/index.ts";
