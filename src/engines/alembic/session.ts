import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { constants } from 'node:os'
import { createInterface } from 'node:readline'
import type { Writable } from 'node:stream'
import { ActionError } from '../../errors.js'
import type { Logger } from '../../logger.js'
import { redact } from '../../redact.js'
import type { NoticeFields } from '../notices.js'
import {
  ACTION_PID_VARIABLE,
  launcherPrelude,
  launcherVersions,
  OutputLines,
  parseVersionsMarker,
  pythonNotStarted,
  type AlembicProcess,
  type AlembicVersions,
  type VersionsMarker
} from './run.js'

/**
 * One Python process per run: it loads alembic.ini and the revision files once, writes the offline
 * SQL of the pending range (what plan and lint read), then waits on stdin for the verdict of lint
 * and backup. `go` runs `alembic upgrade head` in the same interpreter, with the same Config and
 * script directory; anything else, end of input included (the action died), exits without touching
 * the database. After `go` the action keeps stdin open until it ends, and the interpreter ends with
 * it (see launcherPrelude). Starting Python and importing Alembic and SQLAlchemy once instead of
 * twice is most of what the engine added over a plain `alembic upgrade head`.
 */

/**
 * Ends each of the two runs on both streams, stderr's with the run's exit code: each stream is read
 * on its own, so a run is over when both markers have arrived. The upgrade's ends before the
 * interpreter shuts down, which the action need not wait for.
 */
const END_MARKER = 'PGMA-END'
/** The interpreter's answer to `go`, before it touches the database: without it, nothing was applied. */
const GO_MARKER = 'PGMA-GO'
/** The revisions of the offline run in the order Alembic runs them, written before the first one runs. */
const ORDER_MARKER = 'PGMA-ORDER '
/** `PGMA-REVISION "<id>"`: the revision is about to run; the interpreter waits for one byte on fd 3. */
const REVISION_MARKER = 'PGMA-REVISION '
/** `PGMA-AUTOCOMMIT "<id>"`: the revision entered autocommit_block(), which committed what ran before it; it waits too. */
const AUTOCOMMIT_MARKER = 'PGMA-AUTOCOMMIT '
/** The interpreter has no fd 3 from the action (a wrapper closed it): it does not wait, and nothing is read between revisions. */
const NO_GATE_MARKER = 'PGMA-NO-GATE'
/** `PGMA-NOTICE {…}`: a NOTICE or WARNING the server sent while a revision ran (AlembicNotice). */
const NOTICE_MARKER = 'PGMA-NOTICE '

/**
 * `command.upgrade` of Alembic 1.8 to 1.13, except that the script directory is loaded once for both
 * runs; errors end as `python -m alembic` ends them: a CommandError prints `FAILED: …` and exits
 * 255, anything else prints its traceback and exits 1.
 */
const SESSION_LAUNCHER = [
  ...launcherPrelude([
    'from alembic import util',
    'from alembic.config import CommandLine, Config',
    'from alembic.runtime.environment import EnvironmentContext',
    'from alembic.script import ScriptDirectory'
  ]),
  'import contextlib, functools, os, traceback, warnings',
  'def exit_code(fn):',
  '    try:',
  '        fn()',
  '        return 0',
  '    except SystemExit as e:',
  '        return e.code % 256 if isinstance(e.code, int) else (0 if e.code is None else 1)',
  '    except util.CommandError as e:',
  '        return exit_code(lambda: util.err(str(e)))',
  '    except BaseException:',
  '        traceback.print_exc()',
  '        return 1',
  'cli = CommandLine(prog="alembic")',
  'offline = cli.parser.parse_args(["upgrade", sys.argv[1], "--sql"])',
  'config = Config(file_=offline.config, ini_section=offline.name, cmd_opts=offline)',
  'scripts = []',
  'orders = []',
  // Before each revision runs (inside its transaction, if Alembic opened one), and where an
  // autocommit_block() has just committed what came before it, the action reads the committed schema:
  // the interpreter says where it is and waits on fd 3 until that is done (boundaries.ts says why).
  'running = [None]',
  // A `python` input that is a wrapper may not hand fd 3 on (a shell's redirections, subprocess's
  // close_fds): then the interpreter says so once and does not wait, and no reading is taken.
  'import stat',
  'try:',
  // Node's stdio pipes are socket pairs.
  '    mode = os.fstat(3).st_mode',
  '    gate = [stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode)]',
  'except OSError:',
  '    gate = [False]',
  'running_path = [None]',
  'def pause(marker, revision):',
  '    if not gate[0]:',
  '        if gate[0] is False:',
  `            sys.stderr.write(${JSON.stringify(NO_GATE_MARKER)} + "\\n")`,
  '            sys.stderr.flush()',
  '            gate[0] = None',
  '        return',
  '    sys.stderr.write(marker + json.dumps(revision) + "\\n")',
  '    sys.stderr.flush()',
  '    if not os.read(3, 1):',
  '        raise SystemExit("pg-migrate-action is gone: stopping before %s" % revision)',
  'def before_each(step):',
  '    run = step.migration_fn',
  '    revision = getattr(getattr(step, "revision", None), "revision", None)',
  // Alembic's "Running upgrade a -> b" line names the step by the function's __name__.
  '    @functools.wraps(run)',
  '    def migration_fn(*args, **kw):',
  '        running[0] = revision',
  '        running_path[0] = os.path.realpath(step.revision.path) if getattr(step.revision, "path", None) else None',
  `        pause(${JSON.stringify(REVISION_MARKER)}, revision)`,
  '        return run(*args, **kw)',
  '    step.migration_fn = migration_fn',
  '    return step',
  'def watch_autocommit_blocks():',
  '    from alembic.runtime.migration import MigrationContext',
  '    block = MigrationContext.autocommit_block',
  '    @contextlib.contextmanager',
  '    def autocommit_block(self):',
  '        with block(self) as value:',
  `            pause(${JSON.stringify(AUTOCOMMIT_MARKER)}, running[0])`,
  '            yield value',
  '    MigrationContext.autocommit_block = autocommit_block',
  // psycopg2 keeps the server's notices on the connection (the last 50): after each statement, and
  // after one that failed, they are taken off it and sent with the running revision, at the line of
  // its file that ran the statement when the stack shows one.
  'real_paths = {}',
  'def revision_line():',
  '    path = running_path[0]',
  '    frame = sys._getframe(2)',
  '    while path and frame is not None:',
  '        name = frame.f_code.co_filename',
  '        if name not in real_paths:',
  '            real_paths[name] = os.path.realpath(name)',
  '        if real_paths[name] == path:',
  '            return frame.f_lineno',
  '        frame = frame.f_back',
  '    return None',
  'def notice_fields(text):',
  '    fields, key = {}, None',
  '    for line in text.rstrip("\\n").split("\\n"):',
  '        head, sep, rest = line.partition(":  ")',
  '        if sep and key is None:',
  '            fields["severity"], fields["message"], key = head, rest, "message"',
  '        elif sep and head in ("DETAIL", "HINT"):',
  '            key = head.lower()',
  '            fields[key] = rest',
  '        elif sep and head in ("CONTEXT", "LOCATION", "QUERY", "STATEMENT"):',
  '            key = "ignored"',
  '        elif key and key != "ignored":',
  '            fields[key] += "\\n" + line',
  '    return fields if key else {"message": text.strip()}',
  'def send_notices(cursor, statement):',
  '    notices = getattr(getattr(cursor, "connection", None), "notices", None)',
  '    if not notices:',
  '        return',
  '    taken = list(notices)',
  '    del notices[:]',
  '    if running[0] is None:',
  '        return',
  '    line = revision_line()',
  '    first = (statement or "").strip().split("\\n")[0]',
  '    for text in taken:',
  '        fields = notice_fields(str(text))',
  '        fields.update(revision=running[0], line=line, statement=first)',
  `        sys.stderr.write(${JSON.stringify(NOTICE_MARKER)} + json.dumps(fields) + "\\n")`,
  '    sys.stderr.flush()',
  'def watch_notices():',
  '    from sqlalchemy import event',
  '    from sqlalchemy.engine import Engine',
  // Reading notices must never be what fails a migration, nor replace the exception it raised.
  '    def after_cursor_execute(conn, cursor, statement, parameters, context, executemany):',
  '        try:',
  '            send_notices(cursor, statement)',
  '        except Exception:',
  '            pass',
  '    def handle_error(context):',
  '        try:',
  '            send_notices(getattr(context, "cursor", None), getattr(context, "statement", None))',
  '        except Exception:',
  '            pass',
  '    event.listen(Engine, "after_cursor_execute", after_cursor_execute)',
  '    event.listen(Engine, "handle_error", handle_error)',
  'def upgrade(revision, sql):',
  '    if not scripts:',
  '        scripts.append(ScriptDirectory.from_config(config))',
  '    script = scripts[0]',
  '    starting_rev = None',
  '    if ":" in revision:',
  '        starting_rev, revision = revision.split(":", 2)',
  '    def steps(rev, context):',
  '        found = script._upgrade_revs(revision, rev)',
  // Alembic's own order of a branched graph: the plan lists the revisions in it, so "before the stop" is Alembic's before.
  '        if sql and not orders:',
  '            orders.append(True)',
  `            sys.stderr.write(${JSON.stringify(ORDER_MARKER)} + json.dumps([step.revision.revision for step in found]) + "\\n")`,
  '            sys.stderr.flush()',
  '        return found if sql else [before_each(step) for step in found]',
  '    with EnvironmentContext(config, script, fn=steps, as_sql=sql, starting_rev=starting_rev, destination_rev=revision):',
  '        script.run_env()',
  'def end(code):',
  `    sys.stdout.write(${JSON.stringify(`\n${END_MARKER}\n`)})`,
  '    sys.stdout.flush()',
  `    sys.stderr.write(${JSON.stringify(`${END_MARKER} `)} + json.dumps({"exit": code}) + "\\n")`,
  '    sys.stderr.flush()',
  '    return code',
  'code = end(exit_code(lambda: upgrade(sys.argv[1], True)))',
  'if sys.argv[2] != "wait":',
  '    sys.exit(code)',
  // While lint reads the SQL: the upgrade will need the database driver, which offline mode never imports.
  'try:',
  '    with warnings.catch_warnings():',
  '        warnings.simplefilter("ignore")',
  '        dialect = sqlalchemy.engine.make_url(os.environ["DATABASE_URL"]).get_dialect()',
  '        (getattr(dialect, "import_dbapi", None) or dialect.dbapi)()',
  'except Exception:',
  '    pass',
  // `go`, or `go {"NAME": "value"}`: environment for the upgrade's connections (PGOPTIONS), known only after the lint.
  'verdict = (stdin_lines.get() or "").split(" ", 1)',
  'if verdict[0] != "go":',
  '    sys.exit(0)',
  'if len(verdict) > 1:',
  '    os.environ.update(json.loads(verdict[1]))',
  // From here on the database changes: the action keeps stdin open until it ends, and then so does this process.
  'exit_with_stdin()',
  `sys.stderr.write(${JSON.stringify(GO_MARKER + '\n')})`,
  'sys.stderr.flush()',
  'config.cmd_opts = cli.parser.parse_args(["upgrade", "head"])',
  'watch_autocommit_blocks()',
  'watch_notices()',
  // Entering it resets which warnings were already shown: the upgrade shows its own (SAWarnings read by toolchainAdvice).
  'with warnings.catch_warnings():',
  '    code = exit_code(lambda: upgrade("head", False))',
  'sys.exit(end(code))'
].join('\n')

/** A NOTICE or WARNING the server sent while `revision` ran; `line` is the line of its file that ran the statement, when the stack showed one. */
export interface AlembicNotice extends NoticeFields {
  revision: string
  line?: number
  /** The statement's first line. */
  statement?: string
}

/** Where the upgrade paused: a revision about to `start`, or one whose autocommit_block() just committed what ran before. */
export type RevisionPause = (revision: string, where: 'start' | 'autocommit') => Promise<void>

/** How long an interpreter told to stop may take to exit before it is killed. */
const STOP_GRACE_MS = 5000
export interface SessionOptions {
  python: string
  /** The directory of alembic.ini. */
  cwd: string
  env: NodeJS.ProcessEnv
  /** The offline range, e.g. `abc123:head`. */
  offlineTarget: string
  /** False for plan and validate: the interpreter exits after the offline SQL. */
  waitForVerdict: boolean
  onVersions?: (versions: AlembicVersions) => void
}

/** One run in the interpreter, the offline SQL generation or the upgrade: its output, and its end. */
class Run {
  readonly lines: OutputLines
  readonly stdout: string[] = []
  readonly stderr: string[] = []
  private stdoutEnded = false
  /** The interpreter acknowledged `go`. */
  started = false
  exitCode: number | undefined
  /** ms since the run started when its end marker arrived on stderr: Alembic's command returned or raised. */
  finishedAt: number | undefined
  private done!: () => void
  /** Resolves when both end markers arrived, or the interpreter exited without them. */
  readonly ended = new Promise<void>((resolve) => (this.done = resolve))

  constructor(echo?: Logger) {
    this.lines = new OutputLines(echo)
  }

  out(line: string): void {
    if (line === END_MARKER && !this.stdoutEnded) {
      this.stdoutEnded = true
      this.endIfComplete()
      return
    }
    this.stdout.push(line)
    this.lines.add(line)
  }

  err(line: string): void {
    if (line === GO_MARKER && !this.started) {
      this.started = true
      return
    }
    if (line.startsWith(`${END_MARKER} `) && this.exitCode === undefined) {
      this.exitCode = (JSON.parse(line.slice(END_MARKER.length + 1)) as { exit: number }).exit
      this.finishedAt = this.lines.elapsed()
      this.endIfComplete()
      return
    }
    this.stderr.push(line)
    this.lines.add(line)
  }

  /** The interpreter exited: whatever has not ended, has. */
  exited(code: number): void {
    this.exitCode ??= code
    this.done()
  }

  get complete(): boolean {
    return this.stdoutEnded && this.exitCode !== undefined
  }

  record(): Omit<AlembicProcess, 'versions'> {
    return {
      exitCode: this.exitCode ?? -1,
      stdout: this.stdout.join('\n'),
      stderr: this.stderr.join('\n'),
      log: this.lines.log,
      progress: this.lines.progress,
      durationMs: this.lines.elapsed(),
      finishedAt: this.finishedAt
    }
  }

  private endIfComplete(): void {
    if (this.complete) this.done()
  }
}

/** The interpreter's stdio handles, which must not keep the action alive while it only waits for a verdict. */
interface Referable {
  ref?: () => void
  unref?: () => void
}

export class AlembicSession {
  /** The run its output goes to: the offline one, then one that only listens while it waits, then the upgrade. */
  private run = new Run()
  private marker: VersionsMarker | undefined
  /** The offline run's revisions in Alembic's order, once it reported them. */
  private order: string[] | undefined
  private versions: AlembicVersions | undefined
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  private verdictGiven = false
  private beforeRevision: RevisionPause | undefined
  private onNotice: ((notice: AlembicNotice) => void) | undefined
  private readonly closed: Promise<void>

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: SessionOptions
  ) {
    // A verdict written to an interpreter that already died is reported by the exit, not as an EPIPE.
    child.stdin.on('error', () => undefined)
    this.revisionGate.on('error', () => undefined)
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.run.out(line))
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => this.onStderr(line))
    this.closed = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        this.exit = { code, signal }
        this.run.exited(code ?? 128 + (signal ? constants.signals[signal] : 0))
        resolve()
      })
    )
  }

  /**
   * Starts the interpreter and waits for its offline SQL. Throws the launcher's ActionErrors
   * (python-not-found, alembic-not-installed); an offline run that failed is returned for the caller to read.
   */
  static async start(options: SessionOptions): Promise<{ session: AlembicSession; offline: AlembicProcess; order?: string[] }> {
    const child = spawn(options.python, ['-c', SESSION_LAUNCHER, options.offlineTarget, options.waitForVerdict ? 'wait' : 'offline'], {
      cwd: options.cwd,
      env: { ...options.env, PYTHONUNBUFFERED: '1', [ACTION_PID_VARIABLE]: String(process.pid) },
      // fd 3: one byte per revision, when the action has read the schema before it (REVISION_MARKER).
      stdio: ['pipe', 'pipe', 'pipe', 'pipe']
    }) as ChildProcessWithoutNullStreams
    const spawned = await new Promise<unknown>((resolve) => {
      child.once('spawn', () => resolve(undefined))
      child.once('error', resolve)
    })
    if (spawned !== undefined) throw pythonNotStarted(options.python, spawned)
    const session = new AlembicSession(child, options)
    const offline = session.run
    await offline.ended
    const record = offline.record()
    try {
      session.versions = launcherVersions(session.marker, options.python, record.exitCode, record.log)
    } catch (error) {
      await session.stop()
      throw error
    }
    if (offline.complete) {
      // Whatever it says while it waits belongs to neither run, but explains an exit before the verdict.
      session.run = new Run()
      session.holdOpen(false)
    }
    return { session, offline: { ...record, versions: session.versions }, order: session.order }
  }

  /**
   * `alembic upgrade head` in the waiting interpreter, its lines echoed to `log`. `pause` runs, while
   * the interpreter waits for it, before each revision starts and when one enters autocommit_block().
   * A cancel (`signal`) kills the interpreter; the record then ends where it was killed, and whether
   * it had started is for the version table to tell. The server's notices go to `onNotice` as they arrive.
   */
  async upgrade(log: Logger, pause?: RevisionPause, signal?: AbortSignal, env?: Record<string, string>, onNotice?: (notice: AlembicNotice) => void): Promise<AlembicProcess> {
    const waiting = this.run
    if (this.exit || this.verdictGiven) {
      await this.closed
      throw this.lost(waiting)
    }
    this.verdictGiven = true
    this.beforeRevision = pause
    this.onNotice = onNotice
    const upgrade = (this.run = new Run(log))
    this.holdOpen(true)
    // Not end(): the end of its stdin is the end of the action, for the interpreter.
    this.child.stdin.write(env ? `go ${JSON.stringify(env)}\n` : 'go\n')
    const cancel = (): void => void this.kill()
    signal?.addEventListener('abort', cancel, { once: true })
    if (signal?.aborted) cancel()
    await upgrade.ended
    signal?.removeEventListener('abort', cancel)
    if (!upgrade.started && !signal?.aborted) throw this.lost(waiting, upgrade)
    // The interpreter's shutdown is not the action's to wait for.
    this.holdOpen(false)
    return { ...upgrade.record(), versions: this.versions }
  }

  /** Lets the interpreter exit without upgrading; a no-op once it has upgraded or exited. */
  async stop(): Promise<void> {
    if (!this.verdictGiven) {
      this.verdictGiven = true
      this.child.stdin.end('stop\n')
    }
    if (this.run.complete) return
    // Told to stop, it applies nothing; but env.py or a revision may leave a thread or an atexit hook that
    // never ends, and the migration lock is released only after this returns.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS)
    await this.closed
    clearTimeout(timer)
  }

  /**
   * Ends the interpreter now, whatever it is doing (a cancelled run). Its stdin is closed too: through
   * a wrapper script that forked it, SIGKILL reaches only the wrapper, the end of stdin the interpreter.
   */
  async kill(): Promise<void> {
    if (!this.exit) {
      this.verdictGiven = true
      this.child.stdin.end()
      this.child.kill('SIGKILL')
    }
    await this.closed
  }

  private onStderr(line: string): void {
    if (this.verdictGiven && line === NO_GATE_MARKER) {
      this.run.err(
        "pg-migrate-action: the python input's command does not hand the action's pipe (fd 3) on to the interpreter, so the database is not read between revisions: what stayed of a revision that fails is not known."
      )
      return
    }
    const marker = [REVISION_MARKER, AUTOCOMMIT_MARKER].find((m) => line.startsWith(m))
    if (this.verdictGiven && marker) {
      const revision = String(JSON.parse(line.slice(marker.length)))
      // Whatever happens to the reading, the interpreter goes on: it waits for this byte.
      void Promise.resolve(this.beforeRevision?.(revision, marker === AUTOCOMMIT_MARKER ? 'autocommit' : 'start'))
        .catch(() => undefined)
        .then(() => this.revisionGate.write('\n'))
      return
    }
    if (this.verdictGiven && line.startsWith(NOTICE_MARKER)) {
      const notice = parseNotice(line.slice(NOTICE_MARKER.length))
      if (notice) {
        this.onNotice?.(notice)
        return
      }
    }
    if (this.order === undefined && line.startsWith(ORDER_MARKER)) {
      try {
        const parsed: unknown = JSON.parse(line.slice(ORDER_MARKER.length))
        if (Array.isArray(parsed) && parsed.every((id) => typeof id === 'string')) {
          this.order = parsed
          return
        }
      } catch {
        // Not ours after all (env.py printing something of that shape): an ordinary line.
      }
    }
    // Only the first: a later line of the same shape comes from env.py or a revision, not from us.
    if (!this.marker && (this.marker = parseVersionsMarker(line))) {
      if (this.marker.python && this.marker.alembic && this.marker.sqlalchemy && !this.marker.error) {
        this.options.onVersions?.({ python: this.marker.python, alembic: this.marker.alembic, sqlalchemy: this.marker.sqlalchemy })
      }
      return
    }
    this.run.err(line)
  }

  /** The pipe on the interpreter's fd 3, which lets it start the next revision. */
  private get revisionGate(): Writable {
    return this.child.stdio[3] as Writable
  }

  /** While it waits for a verdict the interpreter must not keep the action alive: an action that ends closes its stdin, which means stop. */
  private holdOpen(hold: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr, this.revisionGate] as Referable[]) {
      if (hold) handle.ref?.()
      else handle.unref?.()
    }
  }

  /** The interpreter ended before it acknowledged `go`; what it printed since the offline SQL explains why. */
  private lost(...runs: Run[]): ActionError {
    const how = this.exit?.signal ? `was killed (${this.exit.signal})` : `exited (code ${this.exit?.code ?? '?'})`
    const said = redact(
      runs
        .flatMap((r) => r.stderr)
        .slice(-20)
        .join('\n')
        .trim()
    )
    return new ActionError(
      'alembic-session-lost',
      `The Python process that prepared the Alembic upgrade (${this.options.python}) ${how} before it began the upgrade; nothing was applied.`,
      {
        location: { input: 'python' },
        hint: 'Run the job again. If it recurs, look for what ends processes on the runner (the out-of-memory killer, a step timeout, a cleanup step) and for an env.py that exits by itself.',
        details: said ? [said] : []
      }
    )
  }
}

/** The launcher's notice line; undefined when the line is not one (env.py printing something of that shape). */
function parseNotice(json: string): AlembicNotice | undefined {
  try {
    const fields = JSON.parse(json) as Record<string, unknown>
    if (typeof fields.revision !== 'string' || typeof fields.message !== 'string') return undefined
    const text = (key: string): string | undefined => (typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined)
    return {
      revision: fields.revision,
      message: fields.message,
      severity: text('severity'),
      detail: text('detail'),
      hint: text('hint'),
      statement: text('statement'),
      ...(typeof fields.line === 'number' ? { line: fields.line } : {})
    }
  } catch {
    return undefined
  }
}
