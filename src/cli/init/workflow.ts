// The GitHub Actions workflow `routegate init` writes (.github/workflows/routegate.yml).
//
// Hardened as routegate's own: least-privilege permissions per job (only the comment job may write,
// and never for a fork), no credentials left in the checkout, and every action pinned to a full
// commit SHA (a tag can be moved; a commit cannot), the tag in a comment beside it.

/** Actions the workflow uses, pinned by commit; the SHA of each tag was read from the action's repository. */
export const PINNED_ACTIONS = {
  checkout: { uses: "actions/checkout", sha: "d23441a48e516b6c34aea4fa41551a30e30af803", tag: "v6.1.0" },
  setupNode: { uses: "actions/setup-node", sha: "249970729cb0ef3589644e2896645e5dc5ba9c38", tag: "v6.5.0" },
  cacheRestore: { uses: "actions/cache/restore", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae", tag: "v5.0.5" },
  cacheSave: { uses: "actions/cache/save", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae", tag: "v5.0.5" },
  uploadArtifact: { uses: "actions/upload-artifact", sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", tag: "v7.0.0" },
  downloadArtifact: {
    uses: "actions/download-artifact",
    sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
    tag: "v8.0.1",
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
    needs: eval
    # Same-repository pull requests only: a fork's token cannot write, and its code gets no write token.
    if: always() && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      statuses: write
    steps:
      - uses: ${use("checkout")}
        with:
          persist-credentials: false
      - uses: ${use("setupNode")}
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - uses: ${use("downloadArtifact")}
        with:
          name: routegate-reports
          path: reports/
      - name: Post the verdict
        run: npx --yes danger@14.0.7 ci --failOnErrors
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`;
