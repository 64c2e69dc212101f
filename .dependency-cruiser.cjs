// The house rules, checked on every CI run (`npm run lint:deps`): no import cycles, and no import
// from a lower floor to a higher one. Each room of src/ stands on one floor and may import only
// rooms on the floors below it (and itself); rooms that share a floor do not import each other.

/** src/ rooms from the ground floor up. */
const FLOORS = [
  ["core"],
  ["contracts"],
  ["stats", "routing", "store", "datasets", "pricing"],
  ["providers", "scoring", "config", "report", "economics"],
  ["collect", "gate", "export", "runtime", "finetune", "reporters"],
  ["evaluate", "serve", "traffic"],
  ["cli"],
];

/** Unit tests sit beside the code but are no part of its room: they may use dev tools and higher rooms. */
const TEST = "\\.test\\.ts$";

const floorRules = FLOORS.flatMap((rooms, floor) => {
  const below = FLOORS.slice(0, floor).flat();
  return rooms.map((room) => ({
    name: `floor-${floor}-${room}`,
    comment: `src/${room}/ may import only ${below.length ? below.map((r) => `src/${r}/`).join(", ") : "nothing else in src/"}`,
    severity: "error",
    from: { path: `^src/${room}/`, pathNot: TEST },
    to: { path: "^src/", pathNot: [`^src/(${[room, ...below].join("|")})/`] },
  }));
});

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Files that import each other in a loop (type-only imports count: they tie the rooms all the same).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...floorRules,
    {
      name: "every-room-has-a-floor",
      comment: "A new room of src/ gets its floor in FLOORS (.dependency-cruiser.cjs) before it imports anything.",
      severity: "error",
      // src/index.ts is the package's main entry (eval authoring: config and routing), above every room.
      from: { path: "^src/", pathNot: [`^src/(${FLOORS.flat().join("|")})/`, "^src/index\\.ts$"] },
      to: {},
    },
    {
      name: "contracts-only-zod",
      comment: "The contracts are zod schemas and their types: no other package.",
      severity: "error",
      from: { path: "^src/contracts/", pathNot: TEST },
      to: {
        dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg"],
        pathNot: "^node_modules/zod/",
      },
    },
    {
      name: "runtime-boundary",
      comment:
        "Production imports src/runtime: it must never reach the store, the collector, the evaluation, the gate, the report or the CLI.",
      severity: "error",
      from: { path: "^src/runtime/" },
      to: { path: "^src/(store|collect|evaluate|gate|report|reporters|cli|economics|export)/", reachable: true },
    },
    {
      name: "serve-boundary",
      comment:
        "The gateway serves production traffic: like the runtime, it never reaches the store, the collector, the evaluation, the gate, the report or the CLI.",
      severity: "error",
      from: { path: "^src/serve/" },
      to: { path: "^src/(store|collect|evaluate|gate|report|cli|economics|export)/", reachable: true },
    },
    {
      name: "evaluation-matrix-is-the-ground",
      comment: "evaluate/matrix/ (the answer matrix and policy replay) builds on no other evaluate/ room.",
      severity: "error",
      from: { path: "^src/evaluate/matrix/" },
      to: { path: "^src/evaluate/", pathNot: "^src/evaluate/matrix/" },
    },
    {
      name: "product-not-on-dev-tools",
      comment: "src/ never imports the dev tools, tests, benchmarks or examples.",
      severity: "error",
      from: { path: "^src/", pathNot: TEST },
      to: { path: "^(devkit|test|bench|chaos|evals|routers|datasets)/" },
    },
    {
      name: "dev-tools-not-on-tests",
      comment: "devkit/, bench/ and chaos/ share dev tools through devkit/, never through test/.",
      severity: "error",
      from: { path: "^(devkit|bench|chaos)/" },
      to: { path: "^test/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing is a typo or a file that moved.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(reports|\\.routegate)/" },
    // Type-only imports are edges too: a type imported up a floor ties the floors as surely.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      // "@routegate/source" first: the examples import routegate by its name, resolved to src/ as in development.
      conditionNames: ["@routegate/source", "import", "require", "node", "default", "types"],
      extensions: [".ts", ".mjs", ".js", ".json"],
    },
  },
};
