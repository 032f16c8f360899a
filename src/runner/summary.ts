import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { redact } from '../redact.js'
import { annotation } from './annotations.js'

/** Writes the report to the job summary; a summary that cannot be written is a warning, not a failed run. */
export async function writeSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (error) {
    annotation('warning', redact(`Could not write the job summary: ${errorMessage(error)}`))
  }
}
