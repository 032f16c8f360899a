import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { redact } from '../redact.js'
import { annotation } from './annotations.js'

/** The report as a file (the report-path output), for artifacts and PR comments; undefined when it cannot be written. */
export function writeReportFile(markdown: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const dir = join(env.RUNNER_TEMP || tmpdir(), 'pg-migrate-action')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `report-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_ACTION ?? process.pid}.md`)
    writeFileSync(path, markdown)
    return path
  } catch (error) {
    annotation('warning', redact(`Could not write the report file: ${errorMessage(error)}`))
    return undefined
  }
}
