import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ActionError, errorMessage } from '../../errors.js'
import { requireInsideWorkspace } from '../../workspace.js'
import type { Logger } from '../../logger.js'
import { runPython } from './run.js'
import { echo } from '../../echo.js'

/**
 * `alembic-requirements`: a virtual environment with the user's requirements, under the runner's
 * tool cache and saved with @actions/cache, so later runs skip pip entirely.
 */
export type VenvStatus = 'hit' | 'miss' | 'unavailable' | 'reused'

export interface Venv {
  python: string
  dir: string
  key: string
  status: VenvStatus
  /** pip install time; 0 when nothing was installed. */
  installMs: number
  /** One line for the report. */
  note: string
}

export function venvKey(platform: string, arch: string, pythonVersion: string, requirements: string): string {
  const digest = createHash('sha256').update(requirements).digest('hex')
  return `pgma-alembic-venv-${platform}-${arch}-py${pythonVersion}-${digest}`
}

export function venvPython(dir: string, platform = process.platform): string {
  return platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python')
}

const MARKER = '.pgma-venv-key'

export async function prepareVenv(options: {
  python: string
  requirementsPath: string
  env: NodeJS.ProcessEnv
  log: Logger
  /** Defaults to RUNNER_TOOL_CACHE, else the OS temp directory. */
  root?: string
  /** The requirements file, and the files it includes, must lie inside it: pip echoes lines it cannot read as requirements. */
  workspace: string
}): Promise<Venv> {
  const { python, env, log } = options
  const requirementsFile = path.resolve(options.requirementsPath)
  const requirements = await readRequirements(requirementsFile, options.requirementsPath, options.workspace)
  const version = await pythonVersion(python, env)
  const key = venvKey(process.platform, process.arch, version, requirements)
  const root = options.root ?? (env.RUNNER_TOOL_CACHE || os.tmpdir())
  const dir = path.join(root, 'pgma-alembic-venv', key.slice(-16))
  const interpreter = venvPython(dir)
  const ready = async (): Promise<boolean> => existsSync(interpreter) && (await readFile(path.join(dir, MARKER), 'utf8').catch(() => '')) === key

  // A self-hosted runner (or a second engine instance in this job) may already have it.
  if (await ready()) {
    return { python: interpreter, dir, key, status: 'reused', installMs: 0, note: `Alembic venv: reused ${dir} (key ${key})` }
  }
  const cache = await loadCache()
  const cacheAvailable = cache !== undefined
  if (cache) {
    try {
      const hit = await cache.restoreCache([dir], key)
      if (hit && (await ready())) {
        return { python: interpreter, dir, key, status: 'hit', installMs: 0, note: `Alembic venv: cache hit (key ${key})` }
      }
    } catch (error) {
      log.warning(`Restoring the Alembic venv from the cache failed; installing instead: ${errorMessage(error)}`)
    }
  }

  await rm(dir, { recursive: true, force: true })
  const created = await runPython({ python, args: ['-m', 'venv', dir], cwd: process.cwd(), env })
  if (created.exitCode !== 0) {
    throw new ActionError('alembic-venv-failed', `Creating a virtual environment with '${python} -m venv' failed (exit code ${created.exitCode}).`, {
      location: { input: 'alembic-requirements' },
      hint: 'On Debian/Ubuntu images install python3-venv, or use actions/setup-python, whose interpreters include venv.',
      details: [lastLines(created.log)]
    })
  }
  const started = Date.now()
  const installed = await runPython({
    python: interpreter,
    args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsFile],
    cwd: path.dirname(requirementsFile),
    env,
    log,
    echo: true
  })
  const installMs = Date.now() - started
  if (installed.exitCode !== 0) {
    throw new ActionError('alembic-requirements-failed', `pip could not install ${options.requirementsPath} (exit code ${installed.exitCode}).`, {
      location: { input: 'alembic-requirements', file: path.relative(process.cwd(), requirementsFile) },
      hint: "Check the requirement names and versions; the collapsed log has pip's output.",
      details: [lastLines(installed.log)]
    })
  }
  await writeFile(path.join(dir, MARKER), key)
  let saved = ''
  if (cache) {
    try {
      await cache.saveCache([dir], key)
      saved = ', saved to the cache'
    } catch (error) {
      // Another job saving the same key first is normal.
      saved = `, not saved (${errorMessage(error)})`
    }
  }
  const status: VenvStatus = cacheAvailable ? 'miss' : 'unavailable'
  const what = cacheAvailable ? 'cache miss' : 'cache unavailable'
  return { python: interpreter, dir, key, status, installMs, note: `Alembic venv: ${what}, installed ${options.requirementsPath} in ${installMs} ms${saved} (key ${key})` }
}

/**
 * The requirements file's text, after checking that it and every file it includes (`-r`/`-c`, nested)
 * lie inside the workspace: pip reads those too, and prints a line it cannot parse, so a link to
 * `/proc/self/environ` would put the runner's environment in the log.
 */
async function readRequirements(file: string, given: string, workspace: string): Promise<string> {
  const location = { input: 'alembic-requirements' }
  const read = async (absolute: string, what: string): Promise<string> => {
    requireInsideWorkspace(absolute, workspace, what, location)
    try {
      return await readFile(absolute, 'utf8')
    } catch (error) {
      throw new ActionError('alembic-requirements-missing', `Cannot read ${what}: ${echo(errorMessage(error), 400)}`, {
        location,
        hint: 'Give a pip requirements file path relative to the repository root, e.g. requirements/migrations.txt.'
      })
    }
  }
  const text = await read(file, `alembic-requirements '${echo(given)}'`)
  const seen = new Set([file])
  const pending = [{ file, text }]
  while (pending.length > 0) {
    const current = pending.pop()!
    for (const included of includedFiles(current.text)) {
      const absolute = path.resolve(path.dirname(current.file), included)
      if (seen.has(absolute)) continue
      seen.add(absolute)
      pending.push({ file: absolute, text: await read(absolute, `'${included}' (included by ${path.relative(process.cwd(), current.file) || current.file})`) })
    }
  }
  return text
}

/** pip's `-r file`, `-rfile`, `--requirement=file` and the same for `-c` / `--constraint`; URLs are not files. */
export function includedFiles(requirements: string): string[] {
  const files: string[] = []
  for (const line of requirements.split(/\r?\n/)) {
    const match = /^\s*(?:--requirement|--constraint|-r|-c)\s*=?\s*(\S+)/.exec(line)
    if (match && !/^[a-z][a-z0-9+.-]*:\/\//i.test(match[1])) files.push(match[1])
  }
  return files
}

async function pythonVersion(python: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runPython({ python, args: ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], cwd: process.cwd(), env })
  const version = result.stdout.trim()
  if (result.exitCode !== 0 || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new ActionError('python-not-found', `The Python interpreter '${python}' did not report its version (exit code ${result.exitCode}).`, {
      location: { input: 'python' },
      hint: 'Set the `python` input to a working Python 3 interpreter.',
      details: [lastLines(result.log)]
    })
  }
  return version
}

type CacheModule = typeof import('@actions/cache')

/**
 * @actions/cache brings the Azure storage SDK (about 2.4 MB of bundle, ~90 ms of start-up): load it
 * only when a run actually installs requirements. Undefined when the cache service is not available.
 */
async function loadCache(): Promise<CacheModule | undefined> {
  try {
    const cache = await import('@actions/cache')
    return cache.isFeatureAvailable() ? cache : undefined
  } catch {
    return undefined
  }
}

function lastLines(text: string, count = 30): string {
  return text.split('\n').slice(-count).join('\n')
}
