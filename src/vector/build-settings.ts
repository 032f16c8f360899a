import type { Settings } from '../inputs.js'
import type { LintResult } from '../lint/lint.js'
import { formatBytes, formatSetting, settingFor } from './build-memory.js'
import type { VectorServer } from './server.js'

/**
 * `maintenance-work-mem: auto`, resolved once the lint has estimated the pending vector index
 * builds: the largest estimate (with 10 % to spare), never below the server's own setting and never
 * above `maintenance-work-mem-max`. Nothing to build on an existing table leaves the server's setting.
 */
export function resolveBuildSettings(settings: Settings, lint: LintResult, server: VectorServer | undefined): { settings: Settings; note?: string } {
  if (settings.maintenanceWorkMem?.kind !== 'auto') return { settings }
  const leave = { ...settings, maintenanceWorkMem: undefined }
  const largest = [...(lint.vectorBuilds ?? [])].sort((a, b) => b.estimate.bytes - a.estimate.bytes)[0]
  if (!largest || !server) {
    return { settings: leave, note: "maintenance-work-mem: auto: no HNSW or IVFFlat build on an existing table is pending, so the server's maintenance_work_mem stays." }
  }
  const wanted = settingFor(largest.estimate.bytes)
  const kb = Math.max(server.serverMaintenanceWorkMemKb, Math.min(wanted.kb, settings.maintenanceWorkMemMaxKb))
  const what = `the ${largest.estimate.method.toUpperCase()} build of ${largest.table}.${largest.column} at ${largest.file}:${largest.line} (~${formatBytes(largest.estimate.bytes)})`
  if (kb === server.serverMaintenanceWorkMemKb) {
    return { settings: leave, note: `maintenance-work-mem: auto: the server's maintenance_work_mem ${formatSetting(kb)} covers ${what}, so it stays.` }
  }
  const text = kb === wanted.kb ? wanted.text : formatSetting(kb)
  const capped = kb < wanted.kb ? `, capped by maintenance-work-mem-max (the build wants ${wanted.text})` : ''
  return {
    settings: { ...settings, maintenanceWorkMem: { kind: 'size', text, kb } },
    note: `maintenance-work-mem: auto set maintenance_work_mem = ${text} on the migration sessions for ${what}${capped}.`
  }
}
