// The GitHub Actions workflow `routegate init` writes (.github/workflows/routegate.yml).
//
// Hardened as routegate's own: least-privilege permissions per job (only the comment job may write,
// and never for a fork), no credentials left in the checkout, and every action pinned to a full
// commit SHA (a tag can be moved; a commit cannot), the tag in a comment beside it.

/**
 * Actions the workflow uses, pinned by commit: the same pins as routegate's own workflow, each SHA
 * read from the action's repository at that tag.
 */
export const PINNED_ACTIONS = {
  checkout: { uses: "actions/checkout", sha: "11d5960a326750d5838078e36cf38b85af677262", tag: "v4.4.0" },
  setupNode: { uses: "actions/setup-node", sha: "49933ea5288caeca8642d1e84afbd3f7d6820020", tag: "v4.4.0" },
  cacheRestore: { uses: "actions/cache/restore", sha: "0057852bfaa89a56745cba8c7296529d2fc39830", tag: "v4.3.0" },
  cacheSave: { uses: "actions/cache/save", sha: "0057852bfaa89a56745cba8c7296529d2fc39830", tag: "v4.3.0" },
  uploadArtifact: { uses: "actions/upload-artifact", sha: "ea165f8d65b6e75b540449e92b4886f43607fa02", tag: "v4.6.2" },
  downloadArtifact: {
    uses: "actions/download-artifact",
    sha: "d3f86a106a0bac45b974a628896c90dbdf5c8093",
    tag: "v4.3.0",
  },
} as const;

const use = (a: keyof typeof PINNED_ACTIONS) =>
  `${PINNED_ACTIONS[a].uses}@${PINNED_ACTIONS[a].sha} # ${PINNED_ACTIONS[a].tag}`;

export const WORKFLOW = `# routegate on pull requests (written by \`routegate init\`): run the evals, block the pull request
# when a gate fails, and post the verdict as a comment.
#
# Routers and eval files are code, so a pull request from a fork never runs with provider keys: this
# workflow uses \`pull_request\` (never \`pull_request_target\`), and a fork's run is --offline, answered
# from the outcome store cached by main's runs; outcomes it would have to collect are listed as
# missing (exit 3). A fork's token cannot comment: the verdict is in the job summary too.
name: routegate

on:
  pull_request:
  push:
    branches: [main]

# Nothing by default; each job asks for what it needs.
permissions: {}

jobs:
  eval:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: ${use("checkout")}
        with:
          # --gate-base reads the gate's inputs from the base branch's history.
          fetch-depth: 0
          persist-credentials: false
      - uses: ${use("setupNode")}
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      # main's runs save the store; pull requests only restore it.
      - name: Restore the outcome store
        uses: ${use("cacheRestore")}
        with:
          path: .routegate
          key: routegate-store-\${{ hashFiles('evals/**', 'datasets/**') }}
          restore-keys: routegate-store-
      - name: Run the evals
        # On pull requests the gate's inputs (golden items, prompts, scorer, thresholds, the committed
        # baseline) are read from the base branch, so a pull request cannot certify itself.
        run: npx routegate eval $GATE_BASE $OFFLINE
        env:
          GATE_BASE: \${{ github.event_name == 'pull_request' && format('--gate-base=origin/{0}', github.base_ref) || '' }}
          OFFLINE: \${{ github.event.pull_request.head.repo.fork == true && '--offline' || '' }}
          OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
          GEMINI_API_KEY: \${{ secrets.GEMINI_API_KEY }}
      - name: Save the outcome store
        if: always() && github.event_name == 'push' && github.ref == 'refs/heads/main'
        uses: ${use("cacheSave")}
        with:
          path: .routegate
          key: routegate-store-\${{ hashFiles('evals/**', 'datasets/**') }}-\${{ github.run_id }}
      - name: Keep the reports
        if: always()
        uses: ${use("uploadArtifact")}
        with:
          name: routegate-reports
          path: reports/

  comment:
    # The only job that may write: it posts the verdict and fails the check when a gate blocked. It
    # runs the BASE branch's code (dangerfile.ts) over the reports the eval job wrote, never the
    # pull request's. Same-repository pull requests only: a fork's token cannot comment.
    needs: eval
    if: always() && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      statuses: write
    steps:
      - uses: ${use("checkout")}
        with:
          ref: \${{ github.event.pull_request.base.sha }}
          persist-credentials: false
      - uses: ${use("setupNode")}
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Fetch the reports
        # A run that wrote no report still gets a comment saying so.
        continue-on-error: true
        uses: ${use("downloadArtifact")}
        with:
          name: routegate-reports
          path: reports/
      - name: Post the verdict
        run: npx --yes danger@14.0.7 ci --failOnErrors
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`;
