import * as core from '@actions/core'

/**
 * Every text that leaves the action (log line, annotation, output, summary) passes through
 * `redact`. Secrets are registered once, as early as possible, and also masked by the runner.
 */
const secrets = new Set<string>()

/**
 * A password inside any URL with credentials, e.g. `postgres://user:pw@host`. Every repetition is
 * bounded: an unbounded scheme or user part backtracks quadratically over a long run of letters
 * (a base64 blob in a log line), which would hang the action.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^:/?#@\s]{0,256}:)([^@\s/]{0,1024})@/gi
/** libpq keyword form: `password=secret`. */
const KEYWORD_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)/gi

export const REDACTED = '***'

export function registerSecret(value: string | undefined): void {
  if (!value) return
  for (const form of new Set([value, safeDecode(value), encodeURIComponent(value)])) {
    if (form.length === 0 || secrets.has(form)) continue
    secrets.add(form)
    core.setSecret(form)
  }
}

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, `$1${REDACTED}@`).replace(KEYWORD_PASSWORD, `$1${REDACTED}`)
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED)
  }
  return out
}

/** Only for tests: forget registered secrets. */
export function clearSecretsForTests(): void {
  secrets.clear()
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
