import * as exec from '@actions/exec'
import { ActionError, errorMessage } from '../../errors.js'
import type { Logger } from '../../logger.js'
import { redact } from '../../redact.js'
import { parseProgressLine, withoutAddresses, type ProgressLine } from './output.js'
import { echo } from '../../echo.js'

/** Running Alembic and recording what it says, line by line, with timestamps. */

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
  /** ms since the start when Alembic's command returned or raised, before the interpreter shut down. */
  finishedAt?: number
  /** What the launcher reported (Alembic runs only). */
  versions?: AlembicVersions
}

export interface RunOptions {
  python: string
  args: string[]
  /** The directory of alembic.ini. */
  cwd: string
  env: NodeJS.ProcessEnv
  log?: Logger
  /** Echo each line to the log (apply) or keep quiet (offline SQL, venv set-up). */
  echo?: boolean
  /** Sees each stderr line first (with its arrival, ms since the start); true keeps it out of the log, the progress and the echo. */
  consumeErr?: (line: string, at: number) => boolean
}

export interface AlembicVersions {
  python: string
  alembic: string
  sqlalchemy: string
}

export interface AlembicRunOptions extends Omit<RunOptions, 'consumeErr'> {
  /** Called as soon as the interpreter has imported Alembic, before Alembic itself says anything. */
  onVersions?: (versions: AlembicVersions) => void
}

const MARKER = 'PGMA-VERSIONS '
/** Printed when Alembic's command returns or raises: the end of the last revision, without the interpreter's shutdown. */
const FINISHED_MARKER = 'PGMA-FINISHED'
/** The launcher's exit code when Alembic or SQLAlchemy does not import: Alembic's own are 0, 1 (an exception), 2 (usage) and 255 (CommandError). */
const NOT_INSTALLED_EXIT = 97

/** The launcher's exit code when the action is gone: it closed the interpreter's stdin by dying (or to stop it). */
const ACTION_GONE_EXIT = 125

/** The environment variable that tells the launcher the action's pid, its parent's when nothing wraps the interpreter. */
export const ACTION_PID_VARIABLE = 'PGMA_ACTION_PID'

/**
 * The start of every launcher: one interpreter start both reports the versions (and whether Alembic
 * imports at all) and runs the command, instead of a separate probe costing a Python start and an
 * Alembic import of its own. The marker goes to stderr because stdout carries the offline `--sql` output.
 *
 * An interpreter must not outlive the action: a killed action holds no migration lock and reports
 * nothing, and the interpreter would go on migrating beside the next run. Two guards, because each
 * misses a case of the other:
 * - The action keeps the interpreter's stdin open while it lives, so its end means the action is gone
 *   (or stops the interpreter). A thread reads it; once the launcher has said so (`exit_with_stdin()`),
 *   its end exits the process at once. It works on every platform and through wrapper scripts (pyenv
 *   shims, a venv's `python` symlink), but needs the interpreter to run Python code.
 * - On Linux, PR_SET_PDEATHSIG makes the kernel kill the interpreter when the thread that started it
 *   ends — Node starts children from its main thread, so when the action's process ends — even while
 *   the interpreter is stuck in C code. Only when the action is the direct parent (a wrapper that
 *   forks would be the parent instead, and its death is not the action's); the parent is checked again
 *   after arming, since an action that died before would never send the signal.
 * The lines that read stdin are the only ones that may: a verdict (`go`) arrives on `stdin_lines`.
 */
export function launcherPrelude(imports: string[]): string[] {
  return [
    'import json, os, queue, sys, threading',
    `action_pid = os.environ.get(${JSON.stringify(ACTION_PID_VARIABLE)}, "")`,
    'if sys.platform.startswith("linux") and str(os.getppid()) == action_pid:',
    '    try:',
    '        import ctypes',
    '        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL',
    '    except Exception:',
    '        pass',
    '    if str(os.getppid()) != action_pid:',
    `        os._exit(${ACTION_GONE_EXIT})`,
    'stdin_lines = queue.Queue()',
    'stdin_state = {"closed": False, "exit": False}',
    'stdin_lock = threading.Lock()',
    'def watch_stdin():',
    '    for line in sys.stdin:',
    '        stdin_lines.put(line.strip())',
    '    stdin_lines.put(None)',
    '    with stdin_lock:',
    '        stdin_state["closed"] = True',
    '        gone = stdin_state["exit"]',
    '    if gone:',
    `        os._exit(${ACTION_GONE_EXIT})`,
    'def exit_with_stdin():',
    '    with stdin_lock:',
    '        stdin_state["exit"] = True',
    '        gone = stdin_state["closed"]',
    '    if gone:',
    `        os._exit(${ACTION_GONE_EXIT})`,
    'threading.Thread(target=watch_stdin, daemon=True).start()',
    'out = {"python": "%d.%d.%d" % sys.version_info[:3]}',
    'try:',
    '    import alembic, sqlalchemy',
    ...imports.map((line) => `    ${line}`),
    '    out.update(alembic=alembic.__version__, sqlalchemy=sqlalchemy.__version__)',
    'except ImportError as e:',
    '    out["error"] = "%s: %s" % (type(e).__name__, e)',
    `sys.stderr.write(${JSON.stringify(MARKER)} + json.dumps(out) + "\\n")`,
    'sys.stderr.flush()',
    'if "error" in out:',
    `    sys.exit(${NOT_INSTALLED_EXIT})`
  ]
}

/** Stands in for `python -m alembic <args>`. A SystemExit from Alembic (argparse, CommandError) passes through with its code. */
const LAUNCHER = [
  ...launcherPrelude(['from alembic.config import main']),
  // The command changes the database from its start: the action's end ends it.
  'exit_with_stdin()',
  'try:',
  '    code = main(argv=sys.argv[1:], prog="alembic")',
  'finally:',
  `    sys.stderr.write(${JSON.stringify(FINISHED_MARKER + '\n')})`,
  '    sys.stderr.flush()',
  'sys.exit(code)'
].join('\n')

export interface VersionsMarker {
  python?: string
  alembic?: string
  sqlalchemy?: string
  error?: string
}

/** The launcher's marker line, or undefined for any other line. */
export function parseVersionsMarker(line: string): VersionsMarker | undefined {
  if (!line.startsWith(MARKER)) return undefined
  try {
    const parsed: unknown = JSON.parse(line.slice(MARKER.length))
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as VersionsMarker) : undefined
  } catch {
    return undefined
  }
}

/**
 * The versions the launcher reported. Throws the ActionError for an interpreter that did not run the
 * launcher (python-not-found) or cannot import Alembic (alembic-not-installed).
 */
export function launcherVersions(marker: VersionsMarker | undefined, python: string, exitCode: number, log: string): AlembicVersions {
  if (!marker) {
    throw new ActionError('python-not-found', `The Python interpreter '${echo(python)}' did not run (exit code ${exitCode}).`, {
      location: { input: 'python' },
      hint: 'Set the `python` input to a working Python 3 interpreter.',
      details: log ? [log] : []
    })
  }
  if (marker.error || !marker.alembic || !marker.sqlalchemy) {
    throw new ActionError('alembic-not-installed', `Alembic is not importable by '${echo(python)}' (Python ${marker.python ?? '?'}): ${marker.error ?? 'unknown error'}.`, {
      location: { input: 'python' },
      hint:
        'Install Alembic and your database driver for that interpreter before this step (e.g. `pip install alembic psycopg2-binary`), ' +
        'point the `python` input at an interpreter that has them, or set `alembic-requirements` to a requirements file the action installs into a cached virtual environment.'
    })
  }
  return { python: marker.python ?? '?', alembic: marker.alembic, sqlalchemy: marker.sqlalchemy }
}

/** The error for an interpreter that cannot be started at all. */
export function pythonNotStarted(python: string, error: unknown): ActionError {
  return new ActionError('python-not-found', `Cannot run the Python interpreter '${echo(python)}': ${redact(echo(errorMessage(error), 400))}`, {
    location: { input: 'python' },
    hint: 'Set the `python` input to an interpreter that has Alembic installed (e.g. the one actions/setup-python provides), or use `alembic-requirements`.',
    cause: error
  })
}

/**
 * `alembic <args>` through the launcher. Throws the ActionError for an interpreter that does not run
 * the launcher (python-not-found) or cannot import Alembic (alembic-not-installed); any other
 * outcome, failures included, is returned for the caller to read.
 */
export async function runAlembic(options: AlembicRunOptions): Promise<AlembicProcess> {
  // Assigned in the line listener; the cast keeps TypeScript from narrowing it to undefined for good.
  let marker = undefined as VersionsMarker | undefined
  let finishedAt: number | undefined
  const { onVersions, ...rest } = options
  const proc = await runPython({
    ...rest,
    args: ['-c', LAUNCHER, ...options.args],
    consumeErr: (line, at) => {
      if (line === FINISHED_MARKER && finishedAt === undefined) {
        finishedAt = at
        return true
      }
      // Only the first: a later line of the same shape comes from env.py or a revision, not from us.
      if (marker) return false
      marker = parseVersionsMarker(line)
      if (!marker) return false
      if (!marker.error && marker.python && marker.alembic && marker.sqlalchemy) {
        onVersions?.({ python: marker.python, alembic: marker.alembic, sqlalchemy: marker.sqlalchemy })
      }
      return true
    }
  })
  const versions = launcherVersions(marker, options.python, proc.exitCode, proc.log)
  const stderr = proc.stderr.replace(new RegExp(`^${MARKER}.*(?:\\r?\\n|$)`, 'm'), '').replace(new RegExp(`^${FINISHED_MARKER}(?:\\r?\\n|$)`, 'm'), '')
  return { ...proc, stderr, finishedAt, versions }
}

/** What a Python process said, line by line: the collapsed log, the timed progress lines, the echo. */
export class OutputLines {
  private readonly started = Date.now()
  private readonly lines: string[] = []
  readonly progress: TimedProgress[] = []

  constructor(private readonly echo?: Logger) {}

  /** ms since this recording started. */
  elapsed(): number {
    return Date.now() - this.started
  }

  add(line: string): void {
    this.lines.push(line)
    const parsed = parseProgressLine(line)
    // Offline mode repeats the progress as SQL comments on stdout; only the log lines time revisions.
    if (parsed && !line.startsWith('--')) this.progress.push({ ...parsed, at: this.elapsed() })
    this.echo?.info(line)
  }

  get log(): string {
    return withoutAddresses(redact(this.lines.join('\n')))
  }
}

export async function runPython(options: RunOptions): Promise<AlembicProcess> {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const lines = new OutputLines(options.echo ? options.log : undefined)
  let exitCode: number
  try {
    exitCode = await exec.exec(options.python, options.args, {
      cwd: options.cwd,
      env: { ...options.env, PYTHONUNBUFFERED: '1', [ACTION_PID_VARIABLE]: String(process.pid) } as Record<string, string>,
      silent: true,
      ignoreReturnCode: true,
      listeners: {
        stdout: (data) => void stdout.push(data),
        stderr: (data) => void stderr.push(data),
        stdline: (line) => lines.add(line),
        errline: (line) => {
          if (!options.consumeErr?.(line, lines.elapsed())) lines.add(line)
        }
      }
    })
  } catch (error) {
    throw pythonNotStarted(options.python, error)
  }
  return {
    exitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    log: lines.log,
    progress: lines.progress,
    durationMs: lines.elapsed()
  }
}
