import * as core from '@actions/core'
import { rawPassword, splitUrl } from './database-url.js'

/**
 * Every text that leaves the action (log line, annotation, output, summary) passes through
 * `redact`. Secrets are registered once, as early as possible, and also masked by the runner.
 */
const secrets = new Set<string>()

/**
 * A password inside any URL with credentials, e.g. `postgres://user:pw@host`: up to the LAST `@`
 * before a space, the same longest interpretation as `splitUrl`, so a raw `@` in a password never
 * leaves its tail visible. Every repetition is bounded: an unbounded scheme or user part backtracks
 * quadratically over a long run of letters (a base64 blob in a log line), which would hang the action.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^:/?#\s]{0,256}:)(\S{0,1024})@/gi
/** libpq keyword form: `password=secret`. */
const KEYWORD_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)/gi

export const REDACTED = '***'

/**
 * Shorter candidates are not masked: the runner would turn every `p` of the log into `***` for a
 * one-letter "password" (the head of a password cut at a raw `@`), hiding nothing worth hiding.
 */
const MIN_SECRET_LENGTH = 3

/**
 * Registers a secret in every spelling a log may show: as written, percent-decoded, percent-encoded,
 * as SQLAlchemy prints it in a URL (`render_as_string(hide_password=False)`, `str(url)` in 1.4), and
 * escaped inside a JSON or Python string.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return
  const decoded = safeDecode(value)
  const forms = [
    value,
    decoded,
    encodeURIComponent(value),
    encodeURIComponent(decoded),
    sqlAlchemy14Quote(decoded),
    sqlAlchemy20Quote(decoded),
    JSON.stringify(decoded).slice(1, -1)
  ]
  for (const form of new Set(forms)) {
    if (form.length < MIN_SECRET_LENGTH || secrets.has(form)) continue
    secrets.add(form)
    core.setSecret(form)
  }
}

/**
 * Masks every password-like part of the database-url input before anything can print it — also
 * when the URL is invalid and the input check will refuse it. Where the URL is ambiguous, the
 * longest reading is masked: the credentials up to the last `@`, a `password=` value up to the
 * next space, and the value up to the next `&` as the query parser reads it.
 */
export function registerUrlSecrets(rawUrl: string): void {
  const value = rawUrl.trim()
  const split = splitUrl(value)
  if (split?.userinfo !== undefined) registerSecret(rawPassword(split.userinfo))
  // `postgres://user:secret/db`, the @host forgotten: the "port" is the password.
  const authority = split?.userinfo === undefined ? split?.rest.split(/[/?]/)[0] : undefined
  const port = authority && !authority.startsWith('[') ? rawPassword(authority) : undefined
  if (port && !/^\d*$/.test(port)) registerSecret(port)
  if (!split) {
    // Not a URL: a mistyped scheme (`postgresql:/u:pw@h`, `postgresql//…`) or a bare password. The
    // whole value is masked, and a password between a `:` and the last `@` on its own.
    registerSecret(value)
    const loose = /^[a-z][a-z0-9+.-]{0,31}[:/\\;. ]{1,3}(.*)@/is.exec(value)
    if (loose) registerSecret(rawPassword(loose[1]))
  }
  for (const match of value.matchAll(KEYWORD_PASSWORD)) {
    const longest = match[2]
    registerSecret(longest)
    registerSecret(longest.replace(/^'(.*)'$/s, '$1'))
    registerSecret(longest.split('&')[0])
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

/** SQLAlchemy 1.4's `_sqla_url_quote`: only `:`, `@` and `/` are escaped. */
function sqlAlchemy14Quote(value: string): string {
  return value.replace(/[:@/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** SQLAlchemy 2.0's `quote(password, safe=" +")`: Python's quote, which also escapes `!'()*`, keeps spaces and `+`. */
function sqlAlchemy20Quote(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, ' ')
    .replace(/%2B/g, '+')
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
