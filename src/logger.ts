import * as core from '@actions/core'
import { redact } from './redact.js'
import { annotation } from './runner/annotations.js'

/** What stages log through; the runner-backed one redacts every line. Tests pass a recording one. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

export const runnerLogger: Logger = {
  info: (m) => core.info(redact(m)),
  warning: (m) => annotation('warning', redact(m)),
  debug: (m) => core.debug(redact(m)),
  group: (title, fn) => core.group(redact(title), fn)
}

export function silentLogger(lines: string[] = []): Logger {
  return {
    info: (m) => void lines.push(m),
    warning: (m) => void lines.push(`warning: ${m}`),
    debug: () => undefined,
    group: async (title, fn) => {
      lines.push(`[${title}]`)
      return fn()
    }
  }
}
