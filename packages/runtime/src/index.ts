// @routegate/runtime's entry: the runtime as the routegate repository's src/runtime/lean.ts
// defines it. In the repository this file is what the "@routegate/source" condition resolves to
// (no build needed); `npm run build` bundles it into dist/.
export * from "../../../src/runtime/lean.ts";
