import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ActionError, errorMessage } from '../../errors.js'
import { requireInsideWorkspace } from '../../workspace.js'
import type { Chain, Problem, Revision } from '../engine.js'
import { readAlembicIni, type AlembicIni } from './ini.js'
import { parseRevisionSource } from './revision-file.js'

/** An Alembic project read from disk: alembic.ini plus every revision file, statically. */
export interface AlembicProject {
  ini: AlembicIni
  revisions: RevisionSource[]
  /** Problems only this engine can see (the generic graph checks run elsewhere). */
  problems: Problem[]
}

export interface RevisionSource {
  revision: Revision
  /** Absolute path, to match traceback frames. */
  absolutePath: string
  /** Uses `autocommit_block()`: part of it runs outside the migration transaction. */
  autocommit: boolean
}

// Alembic's own filter (script/base.py `_only_source_rev_file`): Emacs lock files and __init__ are not revisions.
const REVISION_FILE = /^(?!\.#|__init__).*\.py$/

/**
 * Everything read here, and everything Alembic will import from it, must lie inside `workspace`
 * (symbolic links followed): alembic.ini, script_location with env.py, the version locations and
 * each revision file.
 */
export async function loadProject(migrationsPath: string, workspace: string): Promise<AlembicProject> {
  const cwdRelative = (p: string): string => path.relative(process.cwd(), p) || '.'
  const iniPath = path.join(migrationsPath, 'alembic.ini')
  requireInsideWorkspace(iniPath, workspace, cwdRelative(iniPath), { file: cwdRelative(iniPath) })
  const ini = await readAlembicIni(iniPath)
  const fromIni = { file: cwdRelative(ini.file) }
  requireInsideWorkspace(ini.scriptLocation, workspace, `script_location ${cwdRelative(ini.scriptLocation)} (from ${fromIni.file})`, fromIni)
  requireInsideWorkspace(path.join(ini.scriptLocation, 'env.py'), workspace, cwdRelative(path.join(ini.scriptLocation, 'env.py')), fromIni)
  for (const location of ini.versionLocations) {
    requireInsideWorkspace(location, workspace, `The version location ${cwdRelative(location)} (from ${fromIni.file})`, fromIni)
  }
  if (!existsSync(path.join(ini.scriptLocation, 'env.py'))) {
    throw new ActionError('alembic-env-missing', `script_location ${cwdRelative(ini.scriptLocation)} (from ${cwdRelative(ini.file)}) has no env.py.`, {
      location: { file: cwdRelative(ini.file) },
      hint: 'Point script_location at the directory created by `alembic init` (it holds env.py and versions/); `%(here)s` is the directory of alembic.ini.'
    })
  }
  const files: string[] = []
  const seen = new Set<string>()
  for (const location of ini.versionLocations) {
    if (!existsSync(location)) continue
    for (const file of await listRevisionFiles(location, ini.recursive)) {
      if (seen.has(file)) continue
      seen.add(file)
      files.push(file)
    }
  }
  const revisions: RevisionSource[] = []
  for (const absolutePath of files) {
    const file = cwdRelative(absolutePath)
    requireInsideWorkspace(absolutePath, workspace, `The revision file ${file}`, { file })
    let source: string
    try {
      source = await readFile(absolutePath, 'utf8')
    } catch (error) {
      throw new ActionError('alembic-revision-unreadable', `Cannot read ${file}: ${errorMessage(error)}`, { location: { file } })
    }
    const parsed = parseRevisionSource(source, file)
    revisions.push({
      absolutePath,
      autocommit: /\bautocommit_block\s*\(/.test(source),
      revision: {
        id: parsed.revision,
        parents: parsed.downRevisions,
        dependsOn: parsed.dependsOn,
        branchLabels: parsed.branchLabels,
        description: parsed.message,
        file,
        line: parsed.line
      }
    })
  }
  resolveLabelDependencies(revisions.map((r) => r.revision))
  return { ini, revisions, problems: projectProblems(ini, revisions) }
}

async function listRevisionFiles(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.map((e) => e.name).sort()
  const out: string[] = []
  for (const name of names) {
    const entry = entries.find((e) => e.name === name)!
    if (!REVISION_FILE.test(name)) continue
    // Alembic imports a link to a file like the file itself (its listing follows links to files, not to directories).
    const isFile = entry.isSymbolicLink() ? ((await stat(path.join(dir, name)).catch(() => undefined))?.isFile() ?? false) : entry.isFile()
    if (isFile) out.push(path.join(dir, name))
  }
  if (recursive) {
    for (const name of names) {
      const entry = entries.find((e) => e.name === name)!
      if (entry.isDirectory() && name !== '__pycache__') out.push(...(await listRevisionFiles(path.join(dir, name), true)))
    }
  }
  return out
}

/** Alembic resolves a depends_on that names a branch label to the revision declaring that label. */
function resolveLabelDependencies(revisions: Revision[]): void {
  const ids = new Set(revisions.map((r) => r.id))
  const byLabel = new Map<string, string>()
  for (const r of revisions) for (const label of r.branchLabels) if (!byLabel.has(label)) byLabel.set(label, r.id)
  for (const r of revisions) {
    r.dependsOn = r.dependsOn.map((d) => (ids.has(d) ? d : (byLabel.get(d) ?? d)))
  }
}

function projectProblems(ini: AlembicIni, revisions: RevisionSource[]): Problem[] {
  const problems: Problem[] = []
  const labelOwner = new Map<string, RevisionSource>()
  const ids = new Set(revisions.map((r) => r.revision.id))
  for (const source of revisions) {
    for (const label of source.revision.branchLabels) {
      const owner = labelOwner.get(label)
      if (owner && owner.revision.id !== source.revision.id) {
        problems.push({
          code: 'duplicate-branch-label',
          severity: 'error',
          message: `Branch label '${label}' is declared by both '${owner.revision.id}' (${owner.revision.file}) and '${source.revision.id}' (${source.revision.file}); Alembic refuses to load such a chain.`,
          hint: `Keep branch_labels = ('${label}',) only on the first revision of that branch and remove it from the other.`,
          revisions: [owner.revision.id, source.revision.id],
          file: source.revision.file,
          line: source.revision.line
        })
      } else if (!owner) {
        labelOwner.set(label, source)
      }
      if (ids.has(label)) {
        problems.push({
          code: 'branch-label-shadows-revision',
          severity: 'error',
          message: `Branch label '${label}' of '${source.revision.id}' (${source.revision.file}) is also a revision id; Alembic cannot tell them apart.`,
          hint: `Rename the branch label '${label}'.`,
          revisions: [source.revision.id, label],
          file: source.revision.file,
          line: source.revision.line
        })
      }
    }
  }
  if (revisions.length === 0) {
    problems.push({
      code: 'no-revisions',
      severity: 'warning',
      message: `No revision files were found in ${ini.versionLocations.map((l) => path.relative(process.cwd(), l) || '.').join(', ')}.`,
      hint: 'Create one with `alembic revision -m "…"`, or check script_location / version_locations in alembic.ini.',
      revisions: []
    })
  }
  if (!ini.alembicLogsInfo) {
    problems.push({
      code: 'alembic-progress-silenced',
      severity: 'warning',
      message: `${path.relative(process.cwd(), ini.file)} sets the alembic logger above INFO, so Alembic will not print its "Running upgrade" lines: the report cannot time each revision.`,
      hint: 'Set `level = INFO` in [logger_alembic] (the default that `alembic init` writes).',
      revisions: [],
      file: path.relative(process.cwd(), ini.file)
    })
  }
  return problems
}

export function chainNotes(project: AlembicProject, versionTable: string): string[] {
  const rel = (p: string): string => path.relative(process.cwd(), p) || '.'
  return [
    `alembic.ini: ${rel(project.ini.file)}`,
    `script_location: ${rel(project.ini.scriptLocation)}`,
    `version locations: ${project.ini.versionLocations.map(rel).join(', ')}`,
    `version table: ${versionTable}`
  ]
}

export function toChain(project: AlembicProject, directory: string, notes: string[]): Chain {
  return { engine: 'alembic', directory, revisions: project.revisions.map((r) => r.revision), notes }
}
