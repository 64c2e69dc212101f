// A module hook for running a checkout from source (see routegate.mjs): resolves the package's own
// exports, and @routegate/runtime's, to their TypeScript sources. Not shipped.
export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, "@routegate/source"] });
}
