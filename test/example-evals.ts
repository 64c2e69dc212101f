/**
 * The example evals the project ships, by name. Tests name them rather than list evals/, so a
 * user's own eval added there never breaks `npm test` (and is never run by it).
 */
export const EXAMPLE_EVALS = ["extraction", "math", "support-answers", "triage"] as const;
