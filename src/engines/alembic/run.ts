import * as exec from '@actions/exec'
import { ActionError, errorMessage } from '../../errors.js'
import type { Logger } from '../../logger.js'
import { redact } from '../../redact.js'
import { parseProgressLine, type ProgressLine } from './output.js'

/** Running `python -m alembic …` and recording what it says, line by line, with timestamps. */

export interface TimedProgress extends ProgressLine {
  /** ms since the process started, when the line arrived. */
  at: number
}

export interface AlembicProcess {
  exitCode: number
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in arrival order, for the report's collapsed log. */
  log: string
  progress: TimedProgress[]
  durationMs: number
}

export interface RunOptions {
  python: string
  args: string[]
  /** The directory of alembic.ini. */
  cwd: string
  env: NodeJS.ProcessEnv
  log?: Logger
  /** Echo each line to the log (apply) or keep quiet (offline SQL, probes). */
  echo?: boolean
}

export async function runAlembic(options: RunOptions): Promise<AlembicProcess> {
  return runPython({ ...options, args: ['-m', 'alembic', ...options.args] })
}

export async function runPython(options: RunOptions): Promise<AlembicProcess> {
  const started = Date.now()
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const log: string[] = []
  const progress: TimedProgress[] = []
  const onLine = (line: string): void => {
    log.push(line)
    const parsed = parseProgressLine(line)
    // Offline mode repeats the progress as SQL comments on stdout; only the log lines time revisions.
    if (parsed && !line.startsWith('--')) progress.push({ ...parsed, at: Date.now() - started })
    if (options.echo) options.log?.info(line)
  }
  let exitCode: number
  try {
    exitCode = await exec.exec(options.python, options.args, {
      cwd: options.cwd,
      env: { ...options.env, PYTHONUNBUFFERED: '1' } as Record<string, string>,
      silent: true,
      ignoreReturnCode: true,
      listeners: {
        stdout: (data) => void stdout.push(data),
        stderr: (data) => void stderr.push(data),
        stdline: onLine,
        errline: onLine
      }
    })
  } catch (error) {
    throw new ActionError('python-not-found', `Cannot run the Python interpreter '${options.python}': ${redact(errorMessage(error))}`, {
      location: { input: 'python' },
      hint: "Set the `python` input to an interpreter that has Alembic installed (e.g. the one actions/setup-python provides), or use `alembic-requirements`.",
      cause: error
    })
  }
  return {
    exitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    log: redact(log.join('\n')),
    progress,
    durationMs: Date.now() - started
  }
}

export interface AlembicVersions {
  python: string
  alembic: string
  sqlalchemy: string
}

const PROBE = [
  'import json, sys',
  'out = {"python": "%d.%d.%d" % sys.version_info[:3]}',
  'try:',
  '    import alembic, sqlalchemy',
  '    out.update(alembic=alembic.__version__, sqlalchemy=sqlalchemy.__version__)',
  'except ImportError as e:',
  '    out["error"] = "%s: %s" % (type(e).__name__, e)',
  'print(json.dumps(out))'
].join('\n')

/** Which Python, Alembic and SQLAlchemy the interpreter has; an ActionError when Alembic is not importable. */
export async function probeAlembic(python: string, cwd: string, env: NodeJS.ProcessEnv): Promise<AlembicVersions> {
  const result = await runPython({ python, args: ['-c', PROBE], cwd, env })
  let parsed: { python?: string; alembic?: string; sqlalchemy?: string; error?: string } | undefined
  try {
    parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as typeof parsed
  } catch {
    parsed = undefined
  }
  if (result.exitCode !== 0 || !parsed) {
    throw new ActionError('python-not-found', `The Python interpreter '${python}' did not run (exit code ${result.exitCode}).`, {
      location: { input: 'python' },
      hint: 'Set the `python` input to a working Python 3 interpreter.',
      details: result.log ? [result.log] : []
    })
  }
  if (parsed.error || !parsed.alembic || !parsed.sqlalchemy) {
    throw new ActionError('alembic-not-installed', `Alembic is not importable by '${python}' (Python ${parsed.python ?? '?'}): ${parsed.error ?? 'unknown error'}.`, {
      location: { input: 'python' },
      hint:
        'Install Alembic and your database driver for that interpreter before this step (e.g. `pip install alembic psycopg2-binary`), ' +
        'point the `python` input at an interpreter that has them, or set `alembic-requirements` to a requirements file the action installs into a cached virtual environment.'
    })
  }
  return { python: parsed.python!, alembic: parsed.alembic, sqlalchemy: parsed.sqlalchemy }
}

/**
 * DATABASE_URL for env.py: the user's URL with its driver suffix kept, except that SQLAlchemy 1.4+
 * no longer accepts the `postgres` scheme Heroku-style URLs use.
 */
export function alembicDatabaseUrl(original: string): string {
  return original.replace(/^postgres(\+[a-z0-9_]+)?:\/\//i, (_whole, driver: string | undefined) => `postgresql${driver ?? ''}://`)
}
