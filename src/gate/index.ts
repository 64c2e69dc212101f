// `routegate/gate`: the pull-request verdict for a dangerfile (see `routegate init`).

export { type PrComment, prComment, type RunForComment } from "./pr-comment.ts";
export { commentFromReports } from "./reports-comment.ts";
