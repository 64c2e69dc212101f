// `routegate/gate`: the pull-request verdict for a dangerfile (see `routegate init`).
export { commentFromReports } from "./reports-comment.ts";
export { type PrComment, prComment, type RunForComment } from "./pr-comment.ts";
