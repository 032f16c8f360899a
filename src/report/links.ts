/**
 * A page of the action's own docs (the rule pages, docs/errors.md), linked from the summary. When it
 * runs as an action, the runner names the action's repository and the ref the workflow pinned
 * (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF), so the link opens the docs of the version that
 * wrote the report; otherwise (`uses: ./`, local-action, tests) the path in this repository.
 */
export function actionDocUrl(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const repo = env.GITHUB_ACTION_REPOSITORY
  if (!repo) return path
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/blob/${env.GITHUB_ACTION_REF || 'main'}/${path}`
}
