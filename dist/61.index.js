export const id = 61;
export const ids = [61];
export const modules = {

/***/ 8061:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAlembicEngine: () => (/* binding */ createAlembicEngine),
  inAlembicOrder: () => (/* binding */ inAlembicOrder)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/chain/graph.ts
var graph = __webpack_require__(3765);
// EXTERNAL MODULE: ./src/database-url.ts
var database_url = __webpack_require__(7358);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/lock.ts
var lock = __webpack_require__(9188);
// EXTERNAL MODULE: ./src/engines/context.ts
var context = __webpack_require__(9356);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
// EXTERNAL MODULE: ./src/sql/parse.ts + 1 modules
var parse = __webpack_require__(5862);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/connection.ts + 1 modules
var connection = __webpack_require__(5403);
// EXTERNAL MODULE: ./src/pg-errors.ts
var pg_errors = __webpack_require__(3604);
// EXTERNAL MODULE: ./src/wait.ts
var wait = __webpack_require__(910);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/cancel.ts
var cancel = __webpack_require__(833);
// EXTERNAL MODULE: ./src/sql/error-position.ts
var error_position = __webpack_require__(7332);
;// CONCATENATED MODULE: ./src/engines/alembic/output.ts
// `from` is non-greedy because a message may itself contain " -> ".
const RUNNING = /Running (upgrade|downgrade) (.*?) -> ([^\s,]*)(?:, (.*))?$/;
/** Parses `INFO  [alembic.runtime.migration] Running upgrade a, b -> c, msg` or the offline `-- Running upgrade a -> c`. */
function parseProgressLine(line) {
    const match = RUNNING.exec(line.trimEnd());
    if (!match)
        return undefined;
    return {
        from: match[2]
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
        to: match[3],
        message: match[4]?.trim() ?? '',
        ...(match[1] === 'downgrade' ? { direction: 'downgrade' } : {})
    };
}
const FRAME = /^\s*File "(.+)", line (\d+), in (.+)$/;
/** Takes the last traceback in Alembic's output apart: the final exception, its SQL and its frames. */
function extractError(output) {
    const lines = output.split(/\r?\n/);
    let start = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith('Traceback (most recent call last):')) {
            start = i;
            break;
        }
    }
    if (start < 0) {
        // Alembic's CommandError (bad revision, multiple heads) prints one line and no traceback.
        const failed = [...lines].reverse().find((l) => l.startsWith('FAILED: '));
        if (!failed)
            return undefined;
        const message = failed.slice('FAILED: '.length).trim();
        return { type: 'alembic.util.exc.CommandError', message, summary: message, frames: [] };
    }
    const frames = [];
    let i = start + 1;
    for (; i < lines.length; i++) {
        const line = lines[i];
        const frame = FRAME.exec(line);
        if (frame) {
            frames.push({ file: frame[1], line: Number(frame[2]), function: frame[3] });
            continue;
        }
        // Source lines and Python 3.11's ^^^^ markers are indented; the exception is not.
        if (line.startsWith(' ') || line.trim() === '')
            continue;
        break;
    }
    const body = lines.slice(i);
    // Anything Alembic logged after the exception (rare) is not part of it.
    while (body.length > 0 && (body[body.length - 1].trim() === '' || /^(INFO|WARNI|ERROR|DEBUG)\s+\[/.test(body[body.length - 1])))
        body.pop();
    const summary = body[0] ?? '';
    const colon = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(summary);
    const type = colon?.[1] ?? summary;
    const messageLines = [colon?.[2] ?? ''];
    let statement;
    let parameters;
    let detail;
    let hint;
    let inSql = false;
    for (const line of body.slice(1)) {
        if (line.startsWith('[SQL: ')) {
            inSql = true;
            statement = [line.slice('[SQL: '.length)];
            continue;
        }
        if (line.startsWith('[parameters: ')) {
            inSql = false;
            parameters = line.slice('[parameters: '.length).replace(/\]$/, '');
            continue;
        }
        if (line.startsWith('(Background on this error at:')) {
            inSql = false;
            continue;
        }
        if (inSql) {
            statement.push(line);
            continue;
        }
        if (line.startsWith('DETAIL:'))
            detail = line.slice('DETAIL:'.length).trim();
        else if (line.startsWith('HINT:'))
            hint = line.slice('HINT:'.length).trim();
        else if (line.trim() !== '')
            messageLines.push(line);
    }
    let sql = statement?.join('\n').trimEnd();
    if (sql?.endsWith(']'))
        sql = sql.slice(0, -1);
    return {
        type,
        message: withoutAddresses(messageLines.join('\n').trim() || summary),
        summary: withoutAddresses((colon?.[2] ? `${type}: ${messageLines.join('\n').trim()}` : summary).trim()),
        statement: sql?.trim() || undefined,
        parameters,
        detail: detail && withoutAddresses(detail),
        hint,
        frames
    };
}
/**
 * Python's default repr names an object by its memory address (`<sqlalchemy.engine.base.Connection
 * object at 0x7f3e0e690a90>`), which differs on every run and means nothing to the reader: the
 * address goes, the type stays.
 */
function withoutAddresses(text) {
    return text.replace(/ at 0x[0-9a-f]+(?=[>;,])/gi, '');
}
// Python's warnings.formatwarning: `path:line: Category: message`, then the indented source line.
const WARNING = /^(.+?):(\d+): (\w*Warning): (.*)$/;
/** The warnings Python printed (SQLAlchemy's SAWarning among them), in order. */
function extractWarnings(output) {
    const lines = output.split(/\r?\n/);
    const warnings = [];
    lines.forEach((text, i) => {
        const match = WARNING.exec(text);
        if (!match)
            return;
        const next = lines[i + 1];
        warnings.push({
            file: match[1],
            line: Number(match[2]),
            category: match[3],
            message: match[4].trim(),
            source: next !== undefined && /^\s+\S/.test(next) && !FRAME.test(next) ? next.trim() : undefined
        });
    });
    return warnings;
}
/** Names SQLAlchemy 2.0 added to its public modules; on 1.4 they fail with AttributeError or ImportError. */
const SQLALCHEMY_2_NAMES = {
    sqlalchemy: [
        'UUID',
        'Uuid',
        'Double',
        'DOUBLE',
        'DOUBLE_PRECISION',
        'Inspector',
        'ScalarResult',
        'Result',
        'CursorResult',
        'Engine',
        'Connection',
        'Row',
        'RowMapping',
        'MappingResult',
        'NullPool',
        'Tuple',
        'Values',
        'Exists',
        'BindParameter',
        'quoted_name'
    ],
    'sqlalchemy.types': ['UUID', 'Uuid', 'Double', 'DOUBLE', 'DOUBLE_PRECISION'],
    'sqlalchemy.orm': ['DeclarativeBase', 'DeclarativeBaseNoMeta', 'mapped_column', 'MappedAsDataclass', 'WriteOnlyMapped', 'DynamicMapped']
};
/** Operation arguments Alembic passes through silently before the release that implements them. */
const ALEMBIC_ARGUMENTS = [
    { operation: 'drop_table', argument: 'if_exists', since: '1.13.3' },
    { operation: 'create_table', argument: 'if_not_exists', since: '1.13.3' },
    { operation: 'drop_index', argument: 'if_exists', since: '1.12.0' },
    { operation: 'create_index', argument: 'if_not_exists', since: '1.12.0' }
];
const MISSING_NAME = /(?:module '([\w.]+)' has no attribute '(\w+)'|cannot import name '(\w+)' from '([\w.]+)')/;
const UNVALIDATED_ARGUMENT = /Can't validate argument '(\w+)'/;
/**
 * Failures that are not the revision's fault but the toolchain's: SQLAlchemy 2.0 names on
 * SQLAlchemy 1.4, and operation arguments an older Alembic ignores with only a SAWarning.
 */
function toolchainAdvice(error, warnings, versions) {
    const missing = error ? MISSING_NAME.exec(error.message) : null;
    if (missing && !(versions && atLeast(versions.sqlalchemy, '2.0'))) {
        const module = missing[1] ?? missing[4];
        const name = missing[2] ?? missing[3];
        if (SQLALCHEMY_2_NAMES[module]?.includes(name)) {
            return {
                needs: 'SQLAlchemy ≥ 2.0',
                requirement: 'sqlalchemy>=2.0',
                reason: `\`${module}.${name}\` exists only from SQLAlchemy 2.0 on; this run has SQLAlchemy ${versions?.sqlalchemy ?? '(unknown version)'}`
            };
        }
    }
    for (const warning of warnings) {
        const argument = UNVALIDATED_ARGUMENT.exec(warning.message)?.[1];
        if (!argument)
            continue;
        const known = ALEMBIC_ARGUMENTS.find((a) => a.argument === argument && warning.source?.includes(`.${a.operation}(`));
        const where = `${warning.file.split('/').pop()}:${warning.line}`;
        if (known && !(versions && atLeast(versions.alembic, known.since))) {
            return {
                needs: `Alembic ≥ ${known.since}`,
                requirement: `alembic>=${known.since}`,
                reason: `\`op.${known.operation}(${argument}=…)\` is implemented from Alembic ${known.since} on; Alembic ${versions?.alembic ?? '(unknown version)'} ignored it (SAWarning at ${where}) and emitted the statement without it`
            };
        }
    }
    return undefined;
}
/** Dotted version comparison; pre-release suffixes (`2.0.0b4`) count as the release. */
function atLeast(version, minimum) {
    const parts = (v) => v.split('.').map((p) => parseInt(p, 10) || 0);
    const a = parts(version);
    const b = parts(minimum);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0))
            return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
}

// EXTERNAL MODULE: ./src/backoff.ts
var backoff = __webpack_require__(2431);
;// CONCATENATED MODULE: ./src/engines/alembic/version-table.ts



function resolveVersionTable(settings, ini) {
    const input = settings.alembicVersionTable;
    if (input)
        return { schema: input.schema || undefined, table: input.table, source: 'input' };
    if (ini.versionTable || ini.versionTableSchema) {
        return { schema: ini.versionTableSchema, table: ini.versionTable ?? 'alembic_version', source: 'alembic.ini' };
    }
    return { table: 'alembic_version', source: 'default' };
}
function versionTableName(table) {
    return table.schema ? `${table.schema}.${table.table}` : table.table;
}
function qualified(table) {
    return (0,connection/* quoteQualified */.$s)(table.schema ?? '', table.table);
}
/** The version rows, or undefined when the table does not exist (a database Alembic never touched). */
async function readVersionRows(client, table) {
    // to_regclass resolves an unqualified name through search_path, as SQLAlchemy's default schema does.
    const found = await client.query(`SELECT to_regclass($1)::text AS oid,
            (SELECT json_agg(json_build_object('name', attname, 'type', format_type(atttypid, NULL), 'notNull', attnotnull, 'hasDefault', atthasdef) ORDER BY attnum)
               FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped) AS columns`, [qualified(table)]);
    if (found.rows[0]?.oid == null)
        return undefined;
    checkShape(table, found.rows[0].columns ?? []);
    const rows = await client.query(`SELECT version_num::text FROM ${qualified(table)}`);
    return rows.rows.map((r) => r.version_num);
}
/**
 * Alembic's version table is one column, version_num varchar(32). Any other table under that name
 * would fail the read (or Alembic's stamp) with a bare SQL error; say what it is instead.
 */
function checkShape(table, columns) {
    const versionNum = columns.find((c) => c.name === 'version_num');
    const textual = versionNum !== undefined && ['character varying', 'text'].includes(versionNum.type);
    // Alembic inserts version_num alone; another column it cannot fill makes every stamp fail.
    const unfillable = columns.filter((c) => c.name !== 'version_num' && c.notNull && !c.hasDefault);
    if (textual && unfillable.length === 0)
        return;
    const name = versionTableName(table);
    const has = columns.length === 0 ? 'no columns' : `columns ${columns.map((c) => `${c.name} (${c.type})`).join(', ')}`;
    const from = table.source === 'input' ? 'the alembic-version-table input' : table.source === 'alembic.ini' ? 'version_table in alembic.ini' : "Alembic's default name";
    throw new errors/* ActionError */.lZ('alembic-version-table-incompatible', `The table ${name} (from ${from}) is not an Alembic version table: it has ${has}, where Alembic keeps one varchar column version_num${textual ? ` (and cannot fill ${unfillable.map((c) => c.name).join(', ')})` : ''}.`, {
        location: table.source === 'input' ? { input: 'alembic-version-table' } : {},
        hint: table.source === 'default'
            ? `Another table is named ${name}. Give Alembic its own version table: set version_table in alembic.ini (and in env.py's context.configure) or the alembic-version-table input to an unused name.`
            : `Point ${from} at the Alembic version table of this database (alembic_version unless env.py sets version_table), or at an unused name, which Alembic creates on the first upgrade.`
    });
}
/** Checks the stamped rows against the files and turns them into the engine-neutral state. */
function reconcile(chain, rows, table) {
    const name = versionTableName(table);
    if (rows === undefined)
        return { current: [], applied: [], versionTableExists: false, problems: [] };
    const byId = new Map(chain.revisions.map((r) => [r.id, r]));
    const problems = [];
    const known = rows.filter((id) => byId.has(id));
    for (const id of rows.filter((row) => !byId.has(row))) {
        problems.push({
            code: 'unknown-stamped-revision',
            severity: 'error',
            message: `The database is stamped with revision '${id}' (in ${name}), but no revision file declares it: the image or checkout probably lacks that migration file.`,
            hint: `Restore the file of revision '${id}' (check that the image or checkout includes every file under the versions directory), ` +
                `or, if it was deliberately removed, re-stamp the database to a known revision with \`alembic stamp <revision>\` after checking its schema.`,
            revisions: [id]
        });
    }
    // Each row must be the head of its own branch; a row that is an ancestor of another is stale.
    for (const descendant of known) {
        const below = (0,graph/* ancestorsOf */.Gw)(chain.revisions, [descendant]);
        for (const ancestor of known) {
            if (ancestor === descendant || !below.has(ancestor))
                continue;
            const file = byId.get(descendant);
            problems.push({
                code: 'stamped-ancestor-and-descendant',
                severity: 'error',
                message: `${name} holds both '${ancestor}' and its descendant '${descendant}': several rows must name heads of distinct branches, so Alembic cannot tell where the database is.`,
                hint: `Find which revision the schema really matches, then remove the stale row, e.g. \`DELETE FROM ${name} WHERE version_num = '${ancestor}'\` (or \`alembic stamp --purge <revision>\`).`,
                revisions: [ancestor, descendant],
                file: file.file,
                line: file.line
            });
        }
    }
    const appliedIds = (0,graph/* ancestorsOf */.Gw)(chain.revisions, known);
    const applied = chain.revisions.filter((r) => appliedIds.has(r.id)).map((r) => ({ id: r.id, description: r.description }));
    return { current: rows, applied: orderLike(applied, chain), versionTableExists: true, problems };
}
/** Parents first, as the graph orders them. */
function orderLike(applied, chain) {
    const position = new Map();
    const done = new Set();
    const byId = new Map(chain.revisions.map((r) => [r.id, r]));
    const visit = (id) => {
        if (done.has(id))
            return;
        done.add(id);
        const revision = byId.get(id);
        for (const parent of [...(revision?.parents ?? []), ...(revision?.dependsOn ?? [])])
            visit(parent);
        position.set(id, position.size);
    };
    for (const r of applied)
        visit(r.id);
    return [...applied].sort((a, b) => position.get(a.id) - position.get(b.id));
}

;// CONCATENATED MODULE: ./src/engines/alembic/cancel.ts




/** How long the sessions of a killed interpreter may take to end; the runner kills the action ~10 s after its first signal. */
const SESSIONS_END_MS = 5000;
/**
 * The interpreter of a cancelled upgrade is dead (AlembicSession.kill), but its database session may
 * still run the statement it sent: the server notices a dead client only when it next writes to it,
 * and would finish the statement — or commit — after this run released the lock. It is ended
 * (pg_terminate_backend, which rolls back its open transaction) and waited for, so that the version
 * table read afterwards is final. The session is recognised by the application_name the action gives
 * Alembic (PGAPPNAME): holding the migration lock, any such session on this database is this run's.
 * Resolves to the pids it ended.
 */
async function endInterpreterSessions(client) {
    // In the select list, not in WHERE: there the planner may call it before the filters, on every session.
    const ended = await client.query(`SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`, [lock/* MIGRATION_APPLICATION_NAMES */.dQ.alembic]);
    const pids = ended.rows.filter((r) => r.ended).map((r) => r.pid);
    const deadline = Date.now() + SESSIONS_END_MS;
    while (pids.length > 0 && Date.now() < deadline) {
        const left = await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids]);
        if (left.rowCount === 0)
            break;
        await (0,backoff/* sleep */.y)(50);
    }
    return pids;
}
/** What a cancelled upgrade left, from the version table: committed revisions are applied, the others are not. */
function cancelledUpgradeResult(c) {
    const appliedBefore = (0,graph/* ancestorsOf */.Gw)(c.chain.revisions, c.before);
    const appliedAfter = (0,graph/* ancestorsOf */.Gw)(c.chain.revisions, c.after);
    const committed = c.pending.filter((r) => appliedAfter.has(r.id) && !appliedBefore.has(r.id)).map((r) => r.id);
    const ran = new Set(c.proc.progress.map((p) => p.to));
    const last = c.proc.progress.at(-1)?.to;
    const stopped = last && !committed.includes(last) ? last : undefined;
    const runs = c.pending.map((revision) => {
        const source = c.sources.get(revision.id);
        const applied = committed.includes(revision.id);
        const status = applied ? 'applied' : ran.has(revision.id) ? 'rolled-back' : 'not-run';
        return {
            id: revision.id,
            description: revision.description,
            file: revision.file,
            status,
            attempts: 1,
            transactional: !source?.autocommit,
            notes: revision.id === stopped ? ['stopped by the cancel'] : status === 'rolled-back' ? ['ran, but was rolled back with the transaction the cancel ended'] : []
        };
    });
    const tableName = versionTableName(c.table);
    const at = (ids) => (ids.length === 0 ? 'no revision' : ids.join(', '));
    const first = c.pending.find((r) => r.id === stopped) ?? c.pending.find((r) => !committed.includes(r.id)) ?? c.pending[0];
    const sessions = c.endedSessions.length > 0 ? ` and its database session (pid ${c.endedSessions.join(', ')}) ended` : '';
    const withIt = runs.filter((r) => r.status === 'rolled-back' && r.id !== stopped).map((r) => r.id);
    // Starts with a word: the report capitalises the first letter, and a revision id must stay as it is.
    let databaseState;
    if (stopped) {
        // transactional_ddl=False does not make statements stay: the connection still runs them in a transaction the kill ends (issue 16, item 2).
        const outside = c.sources.get(stopped)?.autocommit ? 'autocommit_block()' : undefined;
        databaseState =
            `Stopped by the cancel: ${stopped} was rolled back with its open transaction` +
                (withIt.length > 0 ? ` (${withIt.join(', ')} ran before it in that transaction and went with it)` : '') +
                (outside ? `, except the statements it ran outside a transaction (${outside}) before the cancel, which stay` : '');
    }
    else {
        databaseState = committed.length > 0 ? 'No revision was running when the cancel came' : 'Rolled back: nothing of this run was committed';
    }
    databaseState += `; the version table ${tableName} records ${at(c.after)}`;
    return {
        runs,
        current: c.after,
        failure: {
            code: 'cancelled',
            revision: first.id,
            file: first.file,
            line: first.line,
            message: `The run was cancelled (${c.signal}) during alembic upgrade head${stopped ? `, while ${stopped} was running` : ''}: the Python interpreter was stopped${sessions}.`,
            databaseState,
            recovery: [`Run the job again: Alembic continues from ${at(c.after)}.`],
            log: c.proc.log
        }
    };
}

// EXTERNAL MODULE: ./src/engines/notices.ts
var notices = __webpack_require__(178);
// EXTERNAL MODULE: ./src/verify/diff.ts
var diff = __webpack_require__(4930);
// EXTERNAL MODULE: ./src/verify/snapshot.ts
var verify_snapshot = __webpack_require__(6985);
;// CONCATENATED MODULE: ./src/engines/alembic/boundaries.ts



/** A reading must not hold up the migration: the interpreter waits for it, and a migration may hold a lock on the version table. */
const READING_LIMITS = `SET LOCAL lock_timeout = '2s'; SET LOCAL statement_timeout = '20s'`;
/**
 * Past this the interpreter goes on regardless, and the run takes no more readings: a server that
 * serves every client on one backend answers another session only once the migration's transaction
 * has ended, which waits for the reading.
 */
const READING_WAIT_MS = 10_000;
class RevisionBoundaries {
    table;
    exclude;
    /** The last reading that succeeded. */
    last;
    /** An autocommit_block() ran since the last snapshot: what it committed is in no version row. */
    stale = false;
    /** Counts the readings, so that one answered after its time cannot stand for a later pause. */
    readings = 0;
    gaveUp = false;
    constructor(table, exclude) {
        this.table = table;
        this.exclude = exclude;
    }
    /**
     * Reads the committed state where the upgrade paused: before `revision` starts, or inside it where
     * autocommit_block() just committed what ran before. Never throws: a reading that fails or comes
     * too late leaves the last one standing, which the caller can still use while the version table
     * has not moved since.
     */
    async pause(client, revision, where) {
        if (where === 'autocommit')
            this.stale = true;
        if (this.gaveUp)
            return;
        const previous = this.last;
        const fresh = this.stale;
        const reading = ++this.readings;
        const read = readOnly(client, async () => {
            const rows = (await readVersionRows(client, this.table)) ?? [];
            const snapshot = !fresh && previous && sameRows(previous.rows, rows) ? previous.snapshot : await (0,verify_snapshot/* takeSnapshot */.W9)(client, { exclude: this.exclude });
            return { revision, rows, snapshot };
        });
        // Answered after its time or failed: either way not an unhandled rejection.
        read.catch(() => undefined);
        let timer;
        const late = new Promise((resolve) => (timer = setTimeout(() => resolve('late'), READING_WAIT_MS)));
        try {
            const result = await Promise.race([read, late]);
            if (result === 'late')
                this.gaveUp = true;
            else if (reading === this.readings) {
                this.last = result;
                // What an autocommit_block() commits comes after this reading: the next one takes a fresh snapshot.
                this.stale = where === 'autocommit';
            }
        }
        catch {
            // The last reading stands.
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** What stayed committed since the last reading, with the revision it was taken before; undefined without one. */
    async leftByLast(client) {
        const last = this.last;
        if (!last)
            return undefined;
        const now = await (0,verify_snapshot/* takeSnapshot */.W9)(client, { exclude: this.exclude });
        return { revision: last.revision, rows: last.rows, changes: (0,diff/* diffSnapshots */.V1)(last.snapshot, now) };
    }
}
async function readOnly(client, read) {
    await client.query(`BEGIN READ ONLY; ${READING_LIMITS}`);
    try {
        const result = await read();
        await client.query('COMMIT');
        return result;
    }
    catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
    }
}
function sameRows(a, b) {
    return a.length === b.length && a.every((id) => b.includes(id));
}

// EXTERNAL MODULE: ./src/watch/index.ts + 2 modules
var src_watch = __webpack_require__(8646);
;// CONCATENATED MODULE: ./src/engines/alembic/apply.ts



















/** How psycopg2 and psycopg say that the server ended the session or went away. */
const CONNECTION_LOST = /server closed the connection unexpectedly|terminating connection due to administrator command|connection already closed|SSL SYSCALL error: EOF detected|could not receive data from server|consuming input failed|the database system is shutting down/i;
async function applyAlembic(ctx, chain, before, pending, options) {
    if (pending.length === 0)
        return { runs: [], current: before };
    const moved = await movedWhileLockWasLost(ctx, before, options.table).catch(async (error) => {
        await options.session.stop();
        throw error;
    });
    if (moved) {
        await options.session.stop();
        return changedByAnotherRun(pending, before, moved, options);
    }
    const notStarted = (0,cancel/* cancelSignal */.Bj)(ctx.signal);
    if (notStarted)
        throw new cancel/* CancelledError */.cc(notStarted, 'alembic upgrade head did not start');
    const exclude = [{ schema: options.table.schema ?? '', table: options.table.table }];
    const boundaries = new RevisionBoundaries(options.table, exclude);
    // A reading is the action's time, not the revision's: it comes off the revision's duration.
    const readingMs = new Map();
    // On a server that serves all clients on one backend (PGlite) another session cannot read while
    // Alembic's transaction is open: it reads once, before Alembic starts.
    const shared = await sharedBackend(ctx);
    if (shared)
        await boundaries.pause(reader(ctx), pending[0].id, 'start');
    const pause = shared
        ? undefined
        : async (revision, where) => {
            const start = Date.now();
            await boundaries.pause(reader(ctx), revision, where);
            readingMs.set(revision, (readingMs.get(revision) ?? 0) + Date.now() - start);
        };
    const watch = new src_watch/* MigrationWatch */.oq(() => reader(ctx), { lockTimeout: ctx.settings.lockTimeout, log: ctx.log });
    const running = runningRevision(ctx.log, pending);
    const notices = new RevisionNotices(chain, running.log);
    const env = options.pgOptions === undefined ? undefined : { PGOPTIONS: options.pgOptions };
    const proc = await ctx.log.group('alembic upgrade head', () => watch.during(running.watched, () => options.session.upgrade(running.log, pause, ctx.signal, env, (notice) => notices.record(notice))));
    const cancelled = (0,cancel/* cancelSignal */.Bj)(ctx.signal);
    if (cancelled && proc.exitCode !== 0) {
        const endedSessions = await endInterpreterSessions(reader(ctx));
        const after = (await readVersionRows(reader(ctx), options.table)) ?? [];
        return settled(watch, notices, cancelledUpgradeResult({ chain, before, after, pending, proc, sources: options.sources, table: options.table, signal: cancelled, endedSessions }));
    }
    const reading = await readAfterUpgrade(ctx, options.table);
    try {
        const left = proc.exitCode === 0 ? undefined : await boundaries.leftByLast(reading.client).catch(() => undefined);
        const connectionLost = reading.reconnected || (proc.exitCode !== 0 && CONNECTION_LOST.test(extractError(proc.stderr + '\n' + proc.stdout)?.message ?? ''));
        const result = settled(watch, notices, buildResult(chain, before, reading.rows, pending, proc, { ...options, left, connectionLost, reconnected: reading.reconnected }));
        for (const run of result.runs)
            if (run.durationMs !== undefined)
                run.durationMs = Math.max(0, run.durationMs - (readingMs.get(run.id) ?? 0));
        if (result.failure?.line)
            result.failure.excerpt = await excerpt(result.failure.file, result.failure.line);
        return result;
    }
    finally {
        if (reading.reconnected)
            await (0,connection/* closeQuietly */.EO)(reading.client);
    }
}
/** Whether the action's sessions share one backend, as every client of PGlite does. */
async function sharedBackend(ctx) {
    if (!ctx.lock)
        return false;
    const pid = async (client) => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return (await pid(ctx.client).catch(() => -1)) === (await pid(ctx.lock.session).catch(() => -2));
}
/** The session the action reads on while Alembic runs: the lock's, which outlives a restart it survived, else the run's own. */
function reader(ctx) {
    return ctx.lock?.session ?? ctx.client;
}
/**
 * The version table once Alembic is done. A server restart during the upgrade closes the action's
 * sessions too: then the table is read on a new connection, once the server answers again
 * (wait-timeout) — without the migration lock, which went with the old session.
 */
async function readAfterUpgrade(ctx, table) {
    const client = reader(ctx);
    try {
        return { client, rows: (await readVersionRows(client, table)) ?? [], reconnected: false };
    }
    catch (error) {
        if (!(0,pg_errors/* isConnectionLost */.pb)(error))
            throw error;
    }
    const { settings } = ctx;
    ctx.log.info('The connection to the server was lost during the upgrade; reconnecting to read what was committed (wait-timeout).');
    const { client: fresh } = await (0,wait/* waitForServer */.H)(settings.databaseUrl, { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs }, { ...ctx.log, group: (_title, fn) => fn() }).catch((error) => {
        throw new errors/* ActionError */.lZ('migration-connection-lost', `The connection to the server was lost while Alembic ran, and the server did not answer again within wait-timeout (${settings.waitTimeoutMs / 1000} s): what was committed is unknown.`, {
            hint: `Once the server is back, run again: Alembic continues from what ${versionTableName(table)} records (mode: validate shows it without applying anything).`,
            details: [(0,errors/* errorMessage */.gJ)(error)],
            cause: error
        });
    });
    try {
        return { client: fresh, rows: (await readVersionRows(fresh, table)) ?? [], reconnected: true };
    }
    catch (error) {
        await (0,connection/* closeQuietly */.EO)(fresh);
        throw error;
    }
}
/**
 * Alembic's sessions are watched by the application_name the action gives them (PGAPPNAME), and a
 * wait is counted against the revision whose "Running upgrade" line came last: the lock may have
 * been taken by an earlier revision of the same transaction.
 */
function runningRevision(log, pending) {
    let current = pending[0];
    const byId = new Map(pending.map((r) => [r.id, r]));
    return {
        log: {
            ...log,
            info: (line) => {
                const started = parseProgressLine(line);
                if (started)
                    current = byId.get(started.to) ?? current;
                log.info(line);
            }
        },
        watched: {
            applicationName: lock/* MIGRATION_APPLICATION_NAMES */.dQ.alembic,
            revision: () => current.id,
            describe: () => `revision ${current.id} (${current.file})`
        }
    };
}
function settled(watch, notices, result) {
    for (const run of result.runs) {
        watch.settle(run);
        notices.settle(run);
    }
    return result;
}
/** The statement's first line, cut as the SQL engine cuts it. */
function statementStart(statement) {
    const line = statement.split('\n')[0];
    return line.length > 60 ? line.slice(0, 57) + '…' : line;
}
/** The server's notices of each revision, logged as they arrive and kept for its run, as the SQL engine keeps them. */
class RevisionNotices {
    chain;
    log;
    kept = new Map();
    constructor(chain, log) {
        this.chain = chain;
        this.log = log;
    }
    record(notice) {
        const file = this.chain.revisions.find((r) => r.id === notice.revision)?.file ?? notice.revision;
        let run = this.kept.get(notice.revision);
        if (!run)
            this.kept.set(notice.revision, (run = {}));
        const where = { file, ...(notice.line === undefined ? {} : { line: notice.line }), ...(notice.statement ? { statement: statementStart(notice.statement) } : {}) };
        (0,notices/* recordNotice */.wB)(this.log, run, (0,notices/* toServerNotice */.J$)(notice, where));
    }
    settle(run) {
        const kept = this.kept.get(run.id);
        if (!kept)
            return;
        run.notices = kept.notices;
        if (kept.noticesLeftOut)
            run.noticesLeftOut = kept.noticesLeftOut;
    }
}
/**
 * The migration lock is checked right before Alembic starts, as before every migration of the SQL
 * engine. When it had been lost and is taken again, another run may have migrated meanwhile: the
 * version table's rows when they moved since the plan, else undefined.
 */
async function movedWhileLockWasLost(ctx, before, table) {
    if (!ctx.lock || !(await ctx.lock.ensureHeld()))
        return undefined;
    // Losing the lock usually means the server restarted, which closed the run's own connection too.
    const now = (await readVersionRows(ctx.lock.session, table)) ?? [];
    const same = now.length === before.length && now.every((id) => before.includes(id));
    return same ? undefined : now;
}
function changedByAnotherRun(pending, before, now, options) {
    const tableName = versionTableName(options.table);
    const at = (ids) => (ids.length === 0 ? 'no revision' : ids.join(', '));
    return {
        current: now,
        runs: pending.map((r) => ({
            id: r.id,
            description: r.description,
            file: r.file,
            status: 'not-run',
            attempts: 1,
            transactional: !options.sources.get(r.id)?.autocommit,
            notes: []
        })),
        failure: {
            revision: pending[0].id,
            file: pending[0].file,
            line: pending[0].line,
            message: `The migration lock was lost and re-acquired before Alembic started, and meanwhile ${tableName} moved from ${at(before)} to ${at(now)}: another run migrated this database.`,
            databaseState: `unchanged by this run: ${tableName} records ${at(now)}`,
            recovery: ['Run again: the next run plans and lints what is still pending from the new state.']
        }
    };
}
/** A few numbered lines of `file` around `line`, for the summary. */
async function excerpt(file, line) {
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (0,error_position/* excerptAround */.nk)(text, line);
}
/** What happened, from the process output and the version table before and after (and the failed revision's file). */
function buildResult(chain, before, after, pending, proc, options) {
    const appliedBefore = (0,graph/* ancestorsOf */.Gw)(chain.revisions, before);
    const appliedAfter = (0,graph/* ancestorsOf */.Gw)(chain.revisions, after);
    const nowApplied = new Set(pending.filter((r) => appliedAfter.has(r.id) && !appliedBefore.has(r.id)).map((r) => r.id));
    const durations = progressDurations(proc);
    const ran = new Set(proc.progress.map((p) => p.to));
    const tableName = versionTableName(options.table);
    const at = (ids) => (ids.length === 0 ? 'no revision' : ids.join(', '));
    const error = proc.exitCode === 0 ? undefined : extractError(proc.stderr + '\n' + proc.stdout);
    const warnings = extractWarnings(proc.stderr);
    const failedId = proc.exitCode === 0 ? undefined : failingRevision(error, proc, pending, nowApplied, options.sources);
    const runs = pending.map((revision) => {
        const source = options.sources.get(revision.id);
        const notes = [];
        let status;
        if (nowApplied.has(revision.id))
            status = 'applied';
        else if (revision.id === failedId)
            status = 'failed';
        else if (ran.has(revision.id))
            status = 'rolled-back';
        else
            status = 'not-run';
        if (status === 'rolled-back')
            notes.push(`ran, but was rolled back with ${failedId ?? 'the failed upgrade'} (Alembic runs the upgrade in one transaction)`);
        if (status === 'applied' && !ran.has(revision.id))
            notes.push('no "Running upgrade" line from Alembic (logging below INFO?), so no duration');
        if (source?.autocommit)
            notes.push('uses autocommit_block(): part of it runs outside the migration transaction');
        if (source)
            notes.push(...warningsIn(warnings, source.absolutePath).map(formatWarning));
        return {
            id: revision.id,
            description: revision.description,
            file: revision.file,
            status,
            durationMs: status === 'not-run' ? undefined : durations.get(revision.id),
            attempts: 1,
            transactional: !source?.autocommit,
            notes
        };
    });
    if (proc.exitCode === 0) {
        const missing = pending.filter((r) => !nowApplied.has(r.id));
        if (missing.length === 0)
            return { runs, current: after };
        // Alembic succeeded, yet the table the action reads did not move: env.py migrated something else.
        const first = missing[0];
        return {
            runs: runs.map((r) => (r.status === 'applied' ? r : { ...r, status: 'not-run' })),
            current: after,
            failure: {
                revision: first.id,
                file: first.file,
                line: first.line,
                message: `Alembic exited successfully, but ${tableName} in this database still records ${at(after)}: ` +
                    `${missing.map((r) => r.id).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not recorded as applied.`,
                databaseState: `unknown: Alembic reported success, but the version table ${tableName} was not updated to head`,
                recovery: [
                    `Check that ${external_node_path_default().relative(process.cwd(), options.envPy)} connects with the DATABASE_URL environment variable (the action sets it) rather than sqlalchemy.url.`,
                    `Check that env.py and the action use the same version table (${tableName}; set version_table in alembic.ini or the alembic-version-table input).`
                ],
                log: proc.log
            }
        };
    }
    const failedRevision = pending.find((r) => r.id === failedId);
    const failedSource = failedId ? options.sources.get(failedId) : undefined;
    const failedLine = failedSource ? lineInRevision(error, failedSource) : undefined;
    const rolledBack = runs.filter((r) => r.status === 'rolled-back').map((r) => r.id);
    const committed = [...nowApplied];
    // What of the failed revision stayed is read from the catalog (boundaries.ts), not from how Alembic said it would run.
    // A reading from before an earlier revision still tells, as long as the version table has not moved since.
    const reading = options.left;
    const sinceFailed = failedId !== undefined && reading?.revision === failedId;
    const left = reading && (sinceFailed || apply_sameRows(reading.rows, after)) ? reading.changes : undefined;
    const leftList = left && (0,diff/* describeChanges */.DT)(left);
    const since = reading?.revision === pending[0]?.id ? 'since this run started' : `since ${reading?.revision} started`;
    const stayed = sinceFailed
        ? `${failedId} failed part-way: ${leftList} stayed committed`
        : `${failedId ?? 'the upgrade'} failed, and ${leftList} stayed committed (changed ${since})`;
    const withLost = options.connectionLost ? ' with the lost connection' : '';
    let databaseState;
    if (committed.length === 0) {
        databaseState =
            left && left.length > 0
                ? `nothing of this run is recorded as applied (${tableName} still records ${at(after)}), but ${stayed}`
                : left === undefined
                    ? `nothing of this run is recorded as applied; ${tableName} still records ${at(after)}`
                    : `rolled back${withLost}: nothing of this run was applied; ${tableName} still records ${at(after)}`;
        if (rolledBack.length > 0)
            databaseState += ` (${idList(rolledBack)} ran but ${left === undefined ? `${rolledBack.length === 1 ? 'is' : 'are'} not recorded` : `rolled back with ${failedId}`})`;
    }
    else {
        // The report lists what was committed, from the runs; this says what they cannot.
        const failed = failedId ?? 'the failing revision';
        const how = left === undefined ? `${failed} did not complete` : left.length > 0 ? stayed : `${failed} was rolled back${withLost}`;
        databaseState = `partly applied: ${how} (before this run, ${tableName} recorded ${at(before)})`;
    }
    if (failedId && left === undefined) {
        databaseState += `; whether any statement of ${committed.length > 0 ? 'it' : failedId} stayed committed could not be read from the database`;
    }
    else if (left?.length === 0)
        databaseState += sinceFailed ? `; the catalog shows none of ${failedId}'s schema changes` : `; the catalog shows no schema change ${since}`;
    if (options.reconnected)
        databaseState += ` (read on a new connection once the server answered again)`;
    if (left && left.length > 0 && sinceFailed) {
        const failedRun = runs.find((r) => r.id === failedId);
        failedRun?.notes.push(`part of it stayed committed: ${leftList}`);
    }
    const advice = toolchainAdvice(error, failedSource ? warningsIn(warnings, failedSource.absolutePath) : warnings, proc.versions);
    const continues = after.length === 0 ? 'Alembic starts again from the first revision' : `Alembic continues from ${after.join(', ')}`;
    const recovery = [
        options.connectionLost
            ? `Run again once the server is stable: ${continues}.${options.reconnected ? ' The migration lock went with the lost connection: make sure no other run is migrating this database meanwhile.' : ''}`
            : advice
                ? `This chain needs ${advice.needs}: ${advice.reason}. Upgrade it where the action runs (e.g. \`pip install --upgrade '${advice.requirement}'\` or the alembic-requirements file), then re-run; the revision itself may be fine.`
                : failedRevision
                    ? `Fix ${failedRevision.file}${failedLine ? `:${failedLine}` : ''} (the error above) and re-run; ${continues}.`
                    : `Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and re-run.`,
        // Not the revision's fault when the server went away: nothing to reproduce.
        options.connectionLost
            ? ''
            : `Reproduce locally from ${external_node_path_default().relative(process.cwd(), options.envPy).replace(/\/?[^/]*\/env\.py$/, '') || '.'}: \`DATABASE_URL=<url> python -m alembic upgrade head\``
    ].filter(Boolean);
    if (left && left.length > 0) {
        recovery.splice(1, 0, `Before re-running, undo what stayed${sinceFailed ? ` of ${failedId}` : ''} (${leftList}): the re-run runs all of ${failedId ?? 'it'} again.`);
    }
    if (committed.length > 0)
        recovery.push(`Revisions applied before the failure stay applied (${tableName} records them); the next run starts after them.`);
    // A toolchain mismatch is fixed by upgrading the toolchain, not by stamping the revision; a revision
    // of which nothing stayed is not finished by hand: stamping it would record objects that do not exist.
    recovery.push(...stampCommands(advice || left?.length === 0 || (left && !sinceFailed) ? undefined : failedId, before, committed));
    const envFrame = failedRevision ? undefined : [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, options.envPy));
    const exception = error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`;
    // A Python-level error (no statement reached the server) often depends on the toolchain: name it.
    const toolchain = error && !error.statement && proc.versions ? ` (Python ${proc.versions.python}, Alembic ${proc.versions.alembic}, SQLAlchemy ${proc.versions.sqlalchemy})` : '';
    const failure = {
        code: options.connectionLost ? 'migration-connection-lost' : undefined,
        // The interface needs a revision: when env.py failed first, name the one that was about to run.
        revision: failedId ?? pending[0].id,
        file: failedRevision?.file ?? external_node_path_default().relative(process.cwd(), options.envPy),
        line: failedRevision ? (failedLine ?? failedRevision.line) : envFrame?.line,
        statement: error?.statement ? (0,redact/* redact */.E$)(error.statement) : undefined,
        message: (0,redact/* redact */.E$)((options.connectionLost
            ? `The connection to the server was lost while Alembic ran ${failedId ?? 'the upgrade'} (a server restart, a failover, a terminated session or a network failure): `
            : failedRevision
                ? ''
                : `Alembic failed before running ${pending[0].id}: `) +
            exception +
            toolchain),
        detail: error?.detail ? (0,redact/* redact */.E$)(error.detail) : undefined,
        serverHint: error?.hint ? (0,redact/* redact */.E$)(error.hint) : undefined,
        databaseState,
        recovery,
        log: proc.log
    };
    return { runs, failure, current: after };
}
/**
 * The line of `source` the traceback points at: its deepest frame in the file, or inside a
 * `with op.batch_alter_table` block the batch_op call that failed. Undefined when the traceback
 * does not pass through the file.
 */
function lineInRevision(error, source) {
    const frame = [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, source.absolutePath));
    if (!frame)
        return undefined;
    return batchOperationLine(readText(source.absolutePath), frame.line, error?.frames ?? [], error?.statement) ?? frame.line;
}
/** The revision file deepest in the traceback, when a revision's own code is in it. */
function revisionInTraceback(error, sources) {
    for (const frame of [...(error?.frames ?? [])].reverse()) {
        for (const source of sources.values())
            if (samePath(frame.file, source.absolutePath))
                return source;
    }
    return undefined;
}
function readText(file) {
    try {
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
function warningsIn(warnings, file) {
    return warnings.filter((w) => samePath(w.file, file));
}
function formatWarning(warning) {
    return `Alembic warned at line ${warning.line}: ${warning.category}: ${warning.message}${warning.source ? ` (\`${warning.source}\`)` : ''}`;
}
/** Alembic operations whose batch_op counterparts have other names. */
const BATCH_OPERATIONS = {
    add_constraint: /^create_(foreign_key|unique_constraint|check_constraint|primary_key|exclude_constraint)$/,
    drop_constraint: /^drop_constraint$/
};
/**
 * A `with op.batch_alter_table(...) as batch_op:` block runs its operations when the block exits,
 * so the traceback points at the `with` line. The failing call is the `batch_op.<operation>(` in
 * the block that matches the operation Alembic was executing (and the statement's names, when
 * several match); the `with` line stays when it cannot be told.
 */
function batchOperationLine(text, withLine, frames, statement) {
    if (text === undefined)
        return undefined;
    const lines = text.split(/\r?\n/);
    const header = /^(\s*)(?:async\s+)?with\s.*batch_alter_table\s*\(.*\bas\s+(\w+)\s*:/.exec(lines[withLine - 1] ?? '');
    if (!header)
        return undefined;
    const [, indent, alias] = header;
    const calls = [];
    for (let i = withLine; i < lines.length; i++) {
        const text = lines[i];
        if (text.trim() !== '' && !text.startsWith(indent + ' ') && !text.startsWith(indent + '\t'))
            break;
        const call = new RegExp(`\\b${alias}\\.(\\w+)\\s*\\(`).exec(text);
        if (call)
            calls.push({ line: i + 1, operation: call[1], text });
        else if (calls.length > 0)
            calls[calls.length - 1].text += '\n' + text;
    }
    const flush = frames.findIndex((f) => f.function === 'flush');
    const executing = flush >= 0 ? frames[flush + 1]?.function : undefined;
    const matching = executing ? calls.filter((c) => (BATCH_OPERATIONS[executing] ?? new RegExp(`^${executing}$`)).test(c.operation)) : calls;
    const named = (c) => {
        const literals = [...c.text.matchAll(/["'](\w+)["']/g)].map((m) => m[1].toLowerCase());
        return statement !== undefined && literals.length > 0 && literals.every((l) => statement.toLowerCase().includes(l));
    };
    const chosen = matching.length === 1 ? matching[0] : (matching.find(named) ?? (calls.length === 1 ? calls[0] : undefined));
    return chosen?.line;
}
/**
 * The Alembic commands for the two ways out, with the revision ids filled in: record the failed
 * revision as done after finishing it by hand, or go back to where this run started.
 */
function stampCommands(failedId, before, committed) {
    const commands = [];
    if (failedId) {
        commands.push(`If you complete ${failedId} by hand instead (e.g. the part of it that did not run), record it as applied without running it with \`alembic stamp ${failedId}\`, or run this action with \`mode: repair\` and \`repair-revision: ${failedId}\`.`);
    }
    // downgrade takes one target; with several branch heads before the run there is no single command to give.
    if (committed.length > 0 && before.length <= 1) {
        const start = before[0] ?? 'base';
        commands.push(`To undo what this run committed (${idList(committed)}) once the failure is understood: \`alembic downgrade ${start}\`.`);
    }
    return commands;
}
/** Each revision's time: from its "Running upgrade" line to the next one, or to the end of Alembic's command. */
function progressDurations(proc) {
    const durations = new Map();
    proc.progress.forEach((p, i) => {
        // The last one ends when Alembic's command returned, not after the interpreter's shutdown.
        const end = i + 1 < proc.progress.length ? proc.progress[i + 1].at : (proc.finishedAt ?? proc.durationMs);
        durations.set(p.to, Math.max(0, end - p.at));
    });
    return durations;
}
/**
 * Which revision failed: the revision file deepest in the traceback, else the last "Running
 * upgrade" line, else the first pending revision not applied.
 */
function failingRevision(error, proc, pending, nowApplied, sources) {
    const inTraceback = revisionInTraceback(error, sources);
    if (inTraceback)
        return inTraceback.revision.id;
    const last = proc.progress[proc.progress.length - 1];
    if (last && !nowApplied.has(last.to))
        return last.to;
    // No revision in the traceback and none started: env.py failed first (import error, connection
    // refused, a missing variable). Guessing a revision would send the user to the wrong file.
    if (proc.progress.length === 0)
        return undefined;
    return pending.find((r) => !nowApplied.has(r.id))?.id;
}
function samePath(a, b) {
    return external_node_path_default().resolve(a) === external_node_path_default().resolve(b);
}
function apply_sameRows(a, b) {
    return a.length === b.length && a.every((id) => b.includes(id));
}
/** A few revisions by name; a long run (a 60-revision chain) by count and its ends, to keep the summary's state line one line. */
function idList(ids) {
    return ids.length <= 3 ? ids.join(', ') : `${ids.length} revisions, ${ids[0]} … ${ids[ids.length - 1]}`;
}

// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/sql/secrets.ts
var secrets = __webpack_require__(7985);
;// CONCATENATED MODULE: ./src/engines/alembic/offline-sql.ts




/** Registers the password literals in Alembic's offline SQL as secrets, before any of it is shown. */
async function registerOfflineSqlSecrets(output) {
    (0,secrets/* registerSqlSecrets */.R)(await (0,parse/* loadSqlParser */.Ok)(), output);
}
const FRAMING = /^(BEGIN|COMMIT);$/;
/** `downgrade`: the output of `alembic downgrade a:b --sql`, split on its `-- Running downgrade b -> a` comments, each chunk the revision undone. */
function splitOfflineSql(output, direction = 'upgrade') {
    const lines = output.split(/\r?\n/);
    let preamble = [];
    const chunks = [];
    for (const line of lines) {
        const progress = line.startsWith(`-- Running ${direction}`) ? parseProgressLine(line) : undefined;
        if (progress) {
            chunks.push({ revision: direction === 'upgrade' ? progress.to : progress.from[0], lines: [] });
            continue;
        }
        if (chunks.length === 0)
            preamble.push(line);
        else
            chunks[chunks.length - 1].lines.push(line);
    }
    preamble = trimFraming(preamble);
    return {
        preamble: preamble.join('\n').trim(),
        chunks: chunks.map((chunk) => {
            const body = trimFraming(chunk.lines);
            return {
                revision: chunk.revision,
                sql: body.join('\n').trim(),
                leavesTransaction: body.some((l) => FRAMING.test(l.trim()))
            };
        })
    };
}
/** Drops the transaction framing at either end (one transaction per run or per migration); keeps any in the middle. */
function trimFraming(lines) {
    const out = [...lines];
    const blank = (l) => l !== undefined && l.trim() === '';
    for (;;) {
        while (blank(out[0]))
            out.shift();
        while (blank(out[out.length - 1]))
            out.pop();
        if (out.length > 0 && FRAMING.test(out[0].trim())) {
            out.shift();
            continue;
        }
        if (out.length > 0 && FRAMING.test(out[out.length - 1].trim())) {
            out.pop();
            continue;
        }
        return out;
    }
}
/** What a revision does with the result of `op.get_bind().execute(...)`, which is None in --sql mode. */
const READS_DATABASE = /'NoneType' object has no attribute '(fetch\w*|scalar\w*|first|one\w*|all|mappings|rowcount|keys|inserted_primary_key)'|'NoneType' object is not (iterable|subscriptable)/;
/**
 * Alembic's `upgrade … --sql` output, also when it stopped part-way: every revision completed
 * before the stop keeps its SQL, and the stop names the revision, file and line.
 */
function readOfflineRun(proc, sources, envPy, direction = 'upgrade') {
    const split = splitOfflineSql(proc.stdout, direction);
    if (proc.exitCode === 0)
        return split;
    const error = extractError(proc.stderr);
    const frames = [...(error?.frames ?? [])].reverse();
    let revision;
    let frame;
    for (const f of frames) {
        const id = [...sources].find(([, source]) => external_node_path_default().resolve(source.absolutePath) === external_node_path_default().resolve(f.file))?.[0];
        if (id) {
            revision = id;
            frame = f;
            break;
        }
    }
    const revisionFrame = frame !== undefined;
    // No revision frame (env.py or a library raised): the last section Alembic started.
    revision ??= split.chunks[split.chunks.length - 1]?.revision;
    frame ??= frames.find((f) => external_node_path_default().resolve(f.file) === external_node_path_default().resolve(envPy));
    const stoppedChunk = split.chunks.find((c) => c.revision === revision);
    const message = error?.summary ?? `Alembic exited with code ${proc.exitCode}`;
    const stopped = {
        revision,
        file: revisionFrame ? sources.get(revision)?.revision.file : frame ? external_node_path_default().relative(process.cwd(), frame.file) : undefined,
        line: frame?.line,
        message,
        reason: READS_DATABASE.test(message)
            ? 'it reads the database (e.g. op.get_bind().execute(...)), which offline --sql mode cannot: there is no connection, so the result is None'
            : undefined,
        partialSql: stoppedChunk?.sql || undefined
    };
    return { preamble: split.preamble, chunks: split.chunks.filter((c) => c !== stoppedChunk), stopped };
}
/**
 * The pending revisions with the SQL offline mode produced: complete for those before a stop, a
 * note naming the stop on the revision where it happened, and "no SQL" only after it.
 */
function offlinePending(pending, run, sources, versionTableExists, 
/** The range offline generation ran for (`head`, `abc:head`): the rerun command starts after the stop. */
target = 'head') {
    const chunks = new Map(run.chunks.map((c) => [c.revision, c]));
    const stop = run.stopped;
    const stopIndex = stop?.revision ? pending.findIndex((r) => r.id === stop.revision) : stop ? 0 : -1;
    const destination = target.includes(':') ? target.slice(target.indexOf(':') + 1) : target;
    const offlineStop = stop && {
        revision: stop.revision,
        file: stop.file,
        line: stop.line,
        message: stop.message,
        reason: stop.reason,
        rerun: stop.revision ? `alembic upgrade ${stop.revision}:${destination} --sql` : `alembic upgrade ${target} --sql`
    };
    return pending.map((revision, i) => {
        const chunk = chunks.get(revision.id);
        const autocommit = sources.get(revision.id)?.autocommit ?? false;
        const notes = [];
        if (i === 0 && !versionTableExists && run.preamble)
            notes.push(`Alembic first creates its version table: ${run.preamble.replace(/\s+/g, ' ')}`);
        if (stop && i === stopIndex) {
            const where = stop.file ? ` (${stop.file}${stop.line ? `:${stop.line}` : ''})` : '';
            notes.push(`offline SQL generation stopped here${where}: ${stop.message}${stop.reason ? `; ${stop.reason}` : ''}`);
        }
        else if (stop && !chunk && (stopIndex < 0 || i > stopIndex)) {
            notes.push(`no SQL: offline generation stopped earlier, at ${stop.revision ?? 'env.py'}`);
        }
        else if (!chunk) {
            notes.push(`Alembic's offline output has no section for ${revision.id}`);
        }
        const transactional = !autocommit && !chunk?.leavesTransaction;
        if (!transactional)
            notes.push('runs partly outside the migration transaction (autocommit_block)');
        const stopped = offlineStop && !chunk && (stopIndex < 0 || i >= stopIndex) ? { offlineStop } : {};
        return { revision, sql: chunk?.sql, transactional, notes, ...stopped };
    });
}

// EXTERNAL MODULE: ./src/lint/alembic-ops.ts
var alembic_ops = __webpack_require__(8735);
// EXTERNAL MODULE: ./src/engines/alembic/revision-file.ts
var revision_file = __webpack_require__(8053);
;// CONCATENATED MODULE: ./src/engines/alembic/downgrade.ts












/** What a revision file's `upgrade()` or `downgrade()` does: nothing (`pass`, a docstring), raises (the usual "irreversible"), or something. */
function functionBody(source, name) {
    const found = (0,alembic_ops/* functionSource */.AR)(source, name);
    if (!found)
        return 'missing';
    const code = (0,revision_file/* topLevelStatements */.sr)(found.body).filter((s) => !/^(pass\b|\.\.\.$|[rRuU]?("|'))/.test(s.text));
    if (code.length === 0)
        return 'empty';
    return /^raise\b/.test(code[0].text) ? 'raises' : 'code';
}
/** A downgrade() that is missing or raises, or does nothing although upgrade() does something; a merge has nothing to undo. */
function irreversible(revision, source) {
    if (revision.parents.length > 1 || source === undefined)
        return false;
    const down = functionBody(source, 'downgrade');
    return down === 'missing' || down === 'raises' || (down === 'empty' && functionBody(source, 'upgrade') === 'code');
}
/** The revisions `alembic downgrade <target>` undoes: the applied descendants of the target (all applied ones for base), newest first. */
function revisionsToRevert(revisions, current, target) {
    const applied = (0,graph/* ancestorsOf */.Gw)(revisions, current);
    const kept = target === 'base' ? new Set() : (0,graph/* ancestorsOf */.Gw)(revisions, [target]);
    const above = target === 'base' ? applied : descendantsOf(revisions, target);
    return (0,graph/* pendingPath */.pZ)(revisions, [])
        .filter((r) => applied.has(r.id) && above.has(r.id) && !kept.has(r.id))
        .reverse();
}
function descendantsOf(revisions, id) {
    const children = new Map();
    for (const r of revisions)
        for (const p of [...r.parents, ...r.dependsOn])
            children.set(p, [...(children.get(p) ?? []), r.id]);
    const seen = new Set();
    const stack = [...(children.get(id) ?? [])];
    while (stack.length > 0) {
        const next = stack.pop();
        if (seen.has(next))
            continue;
        seen.add(next);
        stack.push(...(children.get(next) ?? []));
    }
    return seen;
}
async function planAlembicDowngrade(ctx, chain, state, target, deps) {
    const { sources } = deps;
    const applied = (0,graph/* ancestorsOf */.Gw)(chain.revisions, state.current);
    if (target !== 'base' && !(sources.has(target) && applied.has(target))) {
        const known = sources.has(target);
        throw new errors/* ActionError */.lZ('downgrade-target-invalid', `Input 'target-revision' is '${target}', which ${known ? 'is a revision of the chain the database has not applied' : 'is no revision of the chain'}: ${versionTableName(deps.table)} records ${state.current.join(', ') || 'no revision'}. Nothing was reverted.`, {
            location: { input: 'target-revision' },
            hint: `Use base or the full id of an applied revision (${[...applied].slice(0, 6).join(', ') || 'none is applied'}); shortened ids and relative targets such as -1 are not accepted, so the target is exactly the revision reviewed.`
        });
    }
    const steps = revisionsToRevert(chain.revisions, state.current, target);
    if (steps.length === 0)
        return { target, revisions: [], notes: [], data: undefined };
    const cannot = steps.filter((r) => irreversible(r, readSource(sources.get(r.id)?.absolutePath)));
    if (cannot.length > 0) {
        const first = cannot[0];
        throw new errors/* ActionError */.lZ('downgrade-irreversible', `Cannot downgrade to ${target}: the downgrade() of ${cannot.map((r) => r.file).join(', ')} ${cannot.length === 1 ? 'does' : 'do'} nothing or raises, so ${cannot.length === 1 ? 'it' : 'they'} cannot be reverted. Nothing was reverted.`, {
            location: { file: first.file, line: first.line, revision: first.id },
            hint: `Write the downgrade() of ${cannot.map((r) => r.id).join(', ')}, or choose a target-revision at or above ${first.id}; restoring the backup is the way back past a revision that cannot be undone.`
        });
    }
    const notes = deps.notes;
    if (state.current.length !== 1) {
        const revisions = steps.map((revision) => ({
            revision,
            transactional: !sources.get(revision.id)?.autocommit,
            notes: [`no SQL: the database is at ${state.current.length} heads, and offline --sql takes one start`]
        }));
        return { target, revisions, notes, data: undefined };
    }
    const range = `${state.current[0]}:${target}`;
    const offline = await deps.alembic(['downgrade', range, '--sql'], false);
    await registerOfflineSqlSecrets(offline.stdout);
    const run = readOfflineRun(offline, sources, deps.envPy, 'downgrade');
    if (run.stopped) {
        ctx.log.warning(`Alembic's offline mode (downgrade ${range} --sql) stopped at ${run.stopped.revision ?? 'env.py'}: ${(0,redact/* redact */.E$)(run.stopped.message)}; the revisions after it are not linted.`);
    }
    const revisions = offlinePending(steps, run, sources, true).map((p) => ({ ...p, notes: p.notes.map(redact/* redact */.E$) }));
    return { target, revisions, notes: [...notes], data: undefined };
}
async function runAlembicDowngrade(ctx, chain, state, plan, deps) {
    const tableName = versionTableName(deps.table);
    const runs = plan.revisions.map((p) => ({
        id: p.revision.id,
        description: p.revision.description,
        file: p.revision.file,
        status: 'not-run',
        transactional: p.transactional,
        notes: p.notes.filter((n) => !n.startsWith('no SQL'))
    }));
    if (runs.length === 0)
        return { target: plan.target, runs, current: state.current };
    if (!ctx.lock)
        throw new Error('mode: downgrade reverts migrations only while it holds the migration lock (EngineContext.lock).');
    if (await ctx.lock.ensureHeld()) {
        const now = (await readVersionRows(ctx.lock.session, deps.table)) ?? [];
        if (now.length !== state.current.length || now.some((id) => !state.current.includes(id))) {
            return {
                target: plan.target,
                runs,
                current: now,
                failure: {
                    code: 'revert-failed',
                    revision: runs[0].id,
                    file: runs[0].file,
                    message: `The migration lock was lost and re-acquired before Alembic started, and meanwhile ${tableName} moved from ${state.current.join(', ')} to ${now.join(', ') || 'no revision'}: another run changed this database.`,
                    databaseState: `unchanged by this run: ${tableName} records ${now.join(', ') || 'no revision'}`,
                    recovery: ['Run again: the next run reads the state anew.']
                }
            };
        }
    }
    const notStarted = (0,cancel/* cancelSignal */.Bj)(ctx.signal);
    if (notStarted)
        throw new cancel/* CancelledError */.cc(notStarted, `alembic downgrade ${plan.target} did not start`);
    const proc = await ctx.log.group(`alembic downgrade ${plan.target}`, () => deps.alembic(['downgrade', plan.target], true));
    const after = (await readVersionRows(ctx.lock.session, deps.table)) ?? [];
    const stillApplied = (0,graph/* ancestorsOf */.Gw)(chain.revisions, after);
    const durations = downgradeDurations(proc);
    const error = proc.exitCode === 0 ? undefined : extractError(proc.stderr + '\n' + proc.stdout);
    const revisionFrame = [...(error?.frames ?? [])].reverse().find((f) => runs.some((r) => downgrade_samePath(f.file, deps.sources.get(r.id)?.absolutePath)));
    const ran = proc.progress.filter((p) => p.direction === 'downgrade').flatMap((p) => p.from);
    const failedId = proc.exitCode === 0
        ? undefined
        : (runs.find((r) => downgrade_samePath(revisionFrame?.file, deps.sources.get(r.id)?.absolutePath))?.id ?? [...ran].reverse().find((id) => stillApplied.has(id)));
    for (const run of runs) {
        run.durationMs = durations.get(run.id);
        if (!stillApplied.has(run.id))
            run.status = 'reverted';
        else if (run.id === failedId)
            run.status = 'failed';
        else if (ran.includes(run.id)) {
            run.notes.push(`ran, but was rolled back with ${failedId ?? 'the failed downgrade'} (Alembic runs the downgrade in one transaction)`);
            run.durationMs = undefined;
        }
    }
    const reverted = runs.filter((r) => r.status === 'reverted').map((r) => r.id);
    const at = (ids) => (ids.length === 0 ? 'no revision' : ids.join(', '));
    if (proc.exitCode === 0) {
        const left = runs.filter((r) => r.status !== 'reverted');
        if (left.length === 0)
            return { target: plan.target, runs, current: after };
        return {
            target: plan.target,
            runs,
            current: after,
            failure: {
                code: 'revert-failed',
                revision: left[0].id,
                file: left[0].file,
                message: `Alembic exited successfully, but ${tableName} in this database still records ${at(after)}: ${left.map((r) => r.id).join(', ')} ${left.length === 1 ? 'is' : 'are'} still recorded as applied.`,
                databaseState: `unknown: Alembic reported success, but the version table ${tableName} does not record ${plan.target}`,
                recovery: [
                    `Check that ${external_node_path_default().relative(process.cwd(), deps.envPy)} connects with the DATABASE_URL environment variable (the action sets it) and uses the version table ${tableName}.`
                ],
                log: proc.log
            }
        };
    }
    const failedRun = runs.find((r) => r.id === failedId);
    const failure = {
        code: 'revert-failed',
        revision: failedId ?? runs[0].id,
        file: failedRun?.file ?? external_node_path_default().relative(process.cwd(), deps.envPy),
        line: revisionFrame?.line,
        statement: error?.statement ? (0,redact/* redact */.E$)(error.statement) : undefined,
        message: (0,redact/* redact */.E$)(error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`),
        detail: error?.detail ? (0,redact/* redact */.E$)(error.detail) : undefined,
        serverHint: error?.hint ? (0,redact/* redact */.E$)(error.hint) : undefined,
        databaseState: reverted.length === 0
            ? `rolled back: nothing was reverted; ${tableName} still records ${at(after)}`
            : `${(0,markdown/* plural */.LS)(reverted.length, 'revision')} reverted (${reverted.join(', ')}); ${tableName} now records ${at(after)}`,
        recovery: [
            failedRun
                ? `Fix the downgrade() of ${failedRun.file}${revisionFrame ? `:${revisionFrame.line}` : ''} (the error above) and run mode: downgrade again: it continues from ${at(after)}.`
                : 'Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and run again.',
            "If the downgrade cannot be fixed, restore the backup taken before the deploy (the README's rollback section gives the restore)."
        ],
        log: proc.log
    };
    return { target: plan.target, runs, current: after, failure };
}
/** Each revision's time: from its `Running downgrade` line to the next one, or to the end of Alembic's command. */
function downgradeDurations(proc) {
    const lines = proc.progress.filter((p) => p.direction === 'downgrade');
    const durations = new Map();
    lines.forEach((p, i) => {
        const end = i + 1 < lines.length ? lines[i + 1].at : (proc.finishedAt ?? proc.durationMs);
        for (const id of p.from)
            durations.set(id, Math.max(0, end - p.at));
    });
    return durations;
}
function readSource(file) {
    if (!file)
        return undefined;
    try {
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
function downgrade_samePath(a, b) {
    return a !== undefined && b !== undefined && external_node_path_default().resolve(a) === external_node_path_default().resolve(b);
}

// EXTERNAL MODULE: ./src/workspace.ts
var src_workspace = __webpack_require__(3338);
;// CONCATENATED MODULE: ./src/engines/alembic/ini.ts



/** Python's ConfigParser with its defaults: `=`/`:` delimiters, full-line `#`/`;` comments, indented continuation lines, lower-cased keys. */
function parseIni(text) {
    const sections = new Map();
    let current;
    let lastKey;
    let lastIndent = 0;
    for (const raw of text.split(/\r?\n/)) {
        const stripped = raw.trim();
        const indent = raw.length - raw.trimStart().length;
        if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
            // ConfigParser keeps empty lines inside values, but only trailing ones, which it then strips.
            if (stripped === '')
                lastKey = undefined;
            continue;
        }
        if (current && lastKey !== undefined && indent > lastIndent) {
            current.set(lastKey, `${current.get(lastKey)}\n${stripped}`);
            continue;
        }
        const section = /^\[([^\]]+)\]/.exec(stripped);
        if (section) {
            const name = section[1];
            current = sections.get(name) ?? new Map();
            sections.set(name, current);
            lastKey = undefined;
            continue;
        }
        const delimiter = /[=:]/.exec(stripped);
        if (!current || !delimiter)
            continue;
        lastKey = stripped.slice(0, delimiter.index).trim().toLowerCase();
        lastIndent = indent;
        current.set(lastKey, stripped.slice(delimiter.index + 1).trim());
    }
    return sections;
}
/** ConfigParser's BasicInterpolation: `%(name)s` from the same section or the defaults, `%%` is `%`. */
function interpolate(value, section, defaults, depth = 0) {
    if (depth > 10)
        return value;
    return value.replace(/%(%|\(([^)]+)\)s)/g, (whole, _m, name) => {
        if (name === undefined)
            return '%';
        const key = name.toLowerCase();
        const found = section.get(key) ?? defaults.get(key);
        return found === undefined ? whole : interpolate(found, section, defaults, depth + 1);
    });
}
/** Alembic's rules for splitting version_locations (script/base.py, `from_config`). */
function splitVersionLocations(value, separator, pathSeparator = (external_node_path_default()).delimiter) {
    if (separator === undefined)
        return value.split(/, *| +/).filter((x) => x.length > 0);
    const chars = { space: ' ', os: pathSeparator, ':': ':', ';': ';', newline: '\n' };
    const split = chars[separator];
    if (split === undefined) {
        throw new errors/* ActionError */.lZ('alembic-ini-invalid', `alembic.ini: '${separator}' is not a valid value for version_path_separator.`, {
            hint: "Use one of space, os, ':', ';' or newline (Alembic's accepted values)."
        });
    }
    return value
        .split(split)
        .map((x) => x.trim())
        .filter((x) => x.length > 0);
}
async function readAlembicIni(iniPath) {
    const file = external_node_path_default().resolve(iniPath);
    const relative = external_node_path_default().relative(process.cwd(), file) || file;
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new errors/* ActionError */.lZ('alembic-ini-missing', `Cannot read ${relative}: ${error.message}`, {
            location: { file: relative },
            hint: "Point migrations-path at the directory that holds your project's alembic.ini."
        });
    }
    const dir = external_node_path_default().dirname(file);
    const sections = parseIni(text);
    const defaults = new Map(sections.get('DEFAULT') ?? []);
    defaults.set('here', dir);
    const main = sections.get('alembic');
    const get = (key) => {
        const raw = main?.get(key);
        return raw === undefined ? undefined : interpolate(raw, main, defaults);
    };
    const scriptLocation = get('script_location');
    if (!main || !scriptLocation) {
        throw new errors/* ActionError */.lZ('alembic-ini-invalid', `${relative} has no script_location in its [alembic] section.`, {
            location: { file: relative },
            hint: 'Add `script_location = %(here)s/migrations` (the directory that holds env.py and versions/).'
        });
    }
    // Alembic resolves relative paths against its working directory, which the action sets to the ini's directory.
    const resolveLocation = (location) => {
        if (/^[A-Za-z_][\w.]*:[^\\/]/.test(location) && !/^[A-Za-z]:[\\/]/.test(location)) {
            throw new errors/* ActionError */.lZ('alembic-ini-unsupported', `${relative}: script_location/version_locations '${location}' is a package resource, which the action cannot read without Python.`, {
                location: { file: relative },
                hint: 'Use a directory path instead, e.g. `%(here)s/migrations`.'
            });
        }
        return external_node_path_default().resolve(dir, location);
    };
    const script = resolveLocation(scriptLocation);
    const locationsValue = get('version_locations');
    const separator = get('version_path_separator')
        ?.replace(/\s+#.*$/, '')
        .trim();
    // Like Alembic: when version_locations is set, only those directories hold revisions.
    const versionLocations = locationsValue ? splitVersionLocations(locationsValue, separator === '' ? undefined : separator).map(resolveLocation) : [external_node_path_default().join(script, 'versions')];
    return {
        file,
        dir,
        scriptLocation: script,
        versionLocations,
        recursive: get('recursive_version_locations') === 'true',
        versionTable: get('version_table') || undefined,
        versionTableSchema: get('version_table_schema') || undefined,
        alembicLogsInfo: logsInfo(sections)
    };
}
/** True unless the logging config visibly raises the `alembic` logger (or root, which it inherits) above INFO. */
function logsInfo(sections) {
    const loggers = sections.get('loggers')?.get('keys');
    if (!loggers)
        return true;
    const byQualname = new Map();
    for (const key of loggers.split(',').map((k) => k.trim())) {
        const section = sections.get(`logger_${key}`);
        if (!section)
            continue;
        byQualname.set(key === 'root' ? '' : (section.get('qualname') ?? key), section.get('level')?.toUpperCase());
    }
    // A NOTSET logger defers to its parent, as in Python's logging.
    const level = ['alembic.runtime.migration', 'alembic.runtime', 'alembic', ''].map((name) => byQualname.get(name)).find((l) => l !== undefined && l !== 'NOTSET');
    return level === undefined || level === 'DEBUG' || level === 'INFO';
}

;// CONCATENATED MODULE: ./src/engines/alembic/project.ts







// Alembic's own filter (script/base.py `_only_source_rev_file`): Emacs lock files and __init__ are not revisions.
const REVISION_FILE = /^(?!\.#|__init__).*\.py$/;
/**
 * Everything read here, and everything Alembic will import from it, must lie inside `workspace`
 * (symbolic links followed): alembic.ini, script_location with env.py, the version locations and
 * each revision file.
 */
async function loadProject(migrationsPath, workspace) {
    const cwdRelative = (p) => external_node_path_default().relative(process.cwd(), p) || '.';
    const iniPath = external_node_path_default().join(migrationsPath, 'alembic.ini');
    (0,src_workspace/* requireInsideWorkspace */.vt)(iniPath, workspace, cwdRelative(iniPath), { file: cwdRelative(iniPath) });
    const ini = await readAlembicIni(iniPath);
    const fromIni = { file: cwdRelative(ini.file) };
    (0,src_workspace/* requireInsideWorkspace */.vt)(ini.scriptLocation, workspace, `script_location ${cwdRelative(ini.scriptLocation)} (from ${fromIni.file})`, fromIni);
    (0,src_workspace/* requireInsideWorkspace */.vt)(external_node_path_default().join(ini.scriptLocation, 'env.py'), workspace, cwdRelative(external_node_path_default().join(ini.scriptLocation, 'env.py')), fromIni);
    for (const location of ini.versionLocations) {
        (0,src_workspace/* requireInsideWorkspace */.vt)(location, workspace, `The version location ${cwdRelative(location)} (from ${fromIni.file})`, fromIni);
    }
    if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(ini.scriptLocation, 'env.py'))) {
        throw new errors/* ActionError */.lZ('alembic-env-missing', `script_location ${cwdRelative(ini.scriptLocation)} (from ${cwdRelative(ini.file)}) has no env.py.`, {
            location: { file: cwdRelative(ini.file) },
            hint: 'Point script_location at the directory created by `alembic init` (it holds env.py and versions/); `%(here)s` is the directory of alembic.ini.'
        });
    }
    const files = [];
    const seen = new Set();
    for (const location of ini.versionLocations) {
        if (!(0,external_node_fs_.existsSync)(location))
            continue;
        for (const file of await listRevisionFiles(location, ini.recursive)) {
            if (seen.has(file))
                continue;
            seen.add(file);
            files.push(file);
        }
    }
    const revisions = [];
    for (const absolutePath of files) {
        const file = cwdRelative(absolutePath);
        (0,src_workspace/* requireInsideWorkspace */.vt)(absolutePath, workspace, `The revision file ${file}`, { file });
        let source;
        try {
            source = await (0,promises_.readFile)(absolutePath, 'utf8');
        }
        catch (error) {
            throw new errors/* ActionError */.lZ('alembic-revision-unreadable', `Cannot read ${file}: ${(0,errors/* errorMessage */.gJ)(error)}`, { location: { file } });
        }
        const parsed = (0,revision_file/* parseRevisionSource */.Oc)(source, file);
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
        });
    }
    resolveLabelDependencies(revisions.map((r) => r.revision));
    return { ini, revisions, problems: projectProblems(ini, revisions) };
}
async function listRevisionFiles(dir, recursive) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
    const names = entries.map((e) => e.name).sort();
    const out = [];
    for (const name of names) {
        const entry = entries.find((e) => e.name === name);
        if (!REVISION_FILE.test(name))
            continue;
        // Alembic imports a link to a file like the file itself (its listing follows links to files, not to directories).
        const isFile = entry.isSymbolicLink() ? ((await (0,promises_.stat)(external_node_path_default().join(dir, name)).catch(() => undefined))?.isFile() ?? false) : entry.isFile();
        if (isFile)
            out.push(external_node_path_default().join(dir, name));
    }
    if (recursive) {
        for (const name of names) {
            const entry = entries.find((e) => e.name === name);
            if (entry.isDirectory() && name !== '__pycache__')
                out.push(...(await listRevisionFiles(external_node_path_default().join(dir, name), true)));
        }
    }
    return out;
}
/** Alembic resolves a depends_on that names a branch label to the revision declaring that label. */
function resolveLabelDependencies(revisions) {
    const ids = new Set(revisions.map((r) => r.id));
    const byLabel = new Map();
    for (const r of revisions)
        for (const label of r.branchLabels)
            if (!byLabel.has(label))
                byLabel.set(label, r.id);
    for (const r of revisions) {
        r.dependsOn = r.dependsOn.map((d) => (ids.has(d) ? d : (byLabel.get(d) ?? d)));
    }
}
function projectProblems(ini, revisions) {
    const problems = [];
    const labelOwner = new Map();
    const ids = new Set(revisions.map((r) => r.revision.id));
    for (const source of revisions) {
        for (const label of source.revision.branchLabels) {
            const owner = labelOwner.get(label);
            if (owner && owner.revision.id !== source.revision.id) {
                problems.push({
                    code: 'duplicate-branch-label',
                    severity: 'error',
                    message: `Branch label '${label}' is declared by both '${owner.revision.id}' (${owner.revision.file}) and '${source.revision.id}' (${source.revision.file}); Alembic refuses to load such a chain.`,
                    hint: `Keep branch_labels = ('${label}',) only on the first revision of that branch and remove it from the other.`,
                    revisions: [owner.revision.id, source.revision.id],
                    file: source.revision.file,
                    line: source.revision.line
                });
            }
            else if (!owner) {
                labelOwner.set(label, source);
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
                });
            }
        }
    }
    if (revisions.length === 0) {
        problems.push({
            code: 'no-revisions',
            severity: 'warning',
            message: `No revision files were found in ${ini.versionLocations.map((l) => external_node_path_default().relative(process.cwd(), l) || '.').join(', ')}.`,
            hint: 'Create one with `alembic revision -m "…"`, or check script_location / version_locations in alembic.ini.',
            revisions: []
        });
    }
    if (!ini.alembicLogsInfo) {
        problems.push({
            code: 'alembic-progress-silenced',
            severity: 'warning',
            message: `${external_node_path_default().relative(process.cwd(), ini.file)} sets the alembic logger above INFO, so Alembic will not print its "Running upgrade" lines: the report cannot time each revision.`,
            hint: 'Set `level = INFO` in [logger_alembic] (the default that `alembic init` writes).',
            revisions: [],
            file: external_node_path_default().relative(process.cwd(), ini.file)
        });
    }
    return problems;
}
function chainNotes(project, versionTable) {
    const rel = (p) => external_node_path_default().relative(process.cwd(), p) || '.';
    return [
        `alembic.ini: ${rel(project.ini.file)}`,
        `script_location: ${rel(project.ini.scriptLocation)}`,
        `version locations: ${project.ini.versionLocations.map(rel).join(', ')}`,
        `version table: ${versionTable}`
    ];
}
function toChain(project, directory, notes) {
    return { engine: 'alembic', directory, revisions: project.revisions.map((r) => r.revision), notes };
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(7187);
// EXTERNAL MODULE: ./src/echo.ts
var echo = __webpack_require__(5530);
;// CONCATENATED MODULE: ./src/engines/alembic/run.ts





const MARKER = 'PGMA-VERSIONS ';
/** Printed when Alembic's command returns or raises: the end of the last revision, without the interpreter's shutdown. */
const FINISHED_MARKER = 'PGMA-FINISHED';
/** The launcher's exit code when Alembic or SQLAlchemy does not import: Alembic's own are 0, 1 (an exception), 2 (usage) and 255 (CommandError). */
const NOT_INSTALLED_EXIT = 97;
/** The launcher's exit code when the action is gone: it closed the interpreter's stdin by dying (or to stop it). */
const ACTION_GONE_EXIT = 125;
/** The environment variable that tells the launcher the action's pid, its parent's when nothing wraps the interpreter. */
const ACTION_PID_VARIABLE = 'PGMA_ACTION_PID';
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
function launcherPrelude(imports) {
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
    ];
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
].join('\n');
/** The launcher's marker line, or undefined for any other line. */
function parseVersionsMarker(line) {
    if (!line.startsWith(MARKER))
        return undefined;
    try {
        const parsed = JSON.parse(line.slice(MARKER.length));
        return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * The versions the launcher reported. Throws the ActionError for an interpreter that did not run the
 * launcher (python-not-found) or cannot import Alembic (alembic-not-installed).
 */
function launcherVersions(marker, python, exitCode, log) {
    if (!marker) {
        throw new errors/* ActionError */.lZ('python-not-found', `The Python interpreter '${(0,echo/* echo */.W)(python)}' did not run (exit code ${exitCode}).`, {
            location: { input: 'python' },
            hint: 'Set the `python` input to a working Python 3 interpreter.',
            details: log ? [log] : []
        });
    }
    if (marker.error || !marker.alembic || !marker.sqlalchemy) {
        throw new errors/* ActionError */.lZ('alembic-not-installed', `Alembic is not importable by '${(0,echo/* echo */.W)(python)}' (Python ${marker.python ?? '?'}): ${marker.error ?? 'unknown error'}.`, {
            location: { input: 'python' },
            hint: 'Install Alembic and your database driver for that interpreter before this step (e.g. `pip install alembic psycopg2-binary`), ' +
                'point the `python` input at an interpreter that has them, or set `alembic-requirements` to a requirements file the action installs into a cached virtual environment.'
        });
    }
    return { python: marker.python ?? '?', alembic: marker.alembic, sqlalchemy: marker.sqlalchemy };
}
/** The error for an interpreter that cannot be started at all. */
function pythonNotStarted(python, error) {
    return new errors/* ActionError */.lZ('python-not-found', `Cannot run the Python interpreter '${(0,echo/* echo */.W)(python)}': ${(0,redact/* redact */.E$)((0,echo/* echo */.W)((0,errors/* errorMessage */.gJ)(error), 400))}`, {
        location: { input: 'python' },
        hint: 'Set the `python` input to an interpreter that has Alembic installed (e.g. the one actions/setup-python provides), or use `alembic-requirements`.',
        cause: error
    });
}
/**
 * `alembic <args>` through the launcher. Throws the ActionError for an interpreter that does not run
 * the launcher (python-not-found) or cannot import Alembic (alembic-not-installed); any other
 * outcome, failures included, is returned for the caller to read.
 */
async function runAlembic(options) {
    // Assigned in the line listener; the cast keeps TypeScript from narrowing it to undefined for good.
    let marker = undefined;
    let finishedAt;
    const { onVersions, ...rest } = options;
    const proc = await runPython({
        ...rest,
        args: ['-c', LAUNCHER, ...options.args],
        consumeErr: (line, at) => {
            if (line === FINISHED_MARKER && finishedAt === undefined) {
                finishedAt = at;
                return true;
            }
            // Only the first: a later line of the same shape comes from env.py or a revision, not from us.
            if (marker)
                return false;
            marker = parseVersionsMarker(line);
            if (!marker)
                return false;
            if (!marker.error && marker.python && marker.alembic && marker.sqlalchemy) {
                onVersions?.({ python: marker.python, alembic: marker.alembic, sqlalchemy: marker.sqlalchemy });
            }
            return true;
        }
    });
    const versions = launcherVersions(marker, options.python, proc.exitCode, proc.log);
    const stderr = proc.stderr.replace(new RegExp(`^${MARKER}.*(?:\\r?\\n|$)`, 'm'), '').replace(new RegExp(`^${FINISHED_MARKER}(?:\\r?\\n|$)`, 'm'), '');
    return { ...proc, stderr, finishedAt, versions };
}
/** What a Python process said, line by line: the collapsed log, the timed progress lines, the echo. */
class OutputLines {
    echo;
    started = Date.now();
    lines = [];
    progress = [];
    constructor(echo) {
        this.echo = echo;
    }
    /** ms since this recording started. */
    elapsed() {
        return Date.now() - this.started;
    }
    add(line) {
        this.lines.push(line);
        const parsed = parseProgressLine(line);
        // Offline mode repeats the progress as SQL comments on stdout; only the log lines time revisions.
        if (parsed && !line.startsWith('--'))
            this.progress.push({ ...parsed, at: this.elapsed() });
        this.echo?.info(line);
    }
    get log() {
        return withoutAddresses((0,redact/* redact */.E$)(this.lines.join('\n')));
    }
}
async function runPython(options) {
    const stdout = [];
    const stderr = [];
    const lines = new OutputLines(options.echo ? options.log : undefined);
    let exitCode;
    try {
        exitCode = await exec/* exec */.m(options.python, options.args, {
            cwd: options.cwd,
            env: { ...options.env, PYTHONUNBUFFERED: '1', [ACTION_PID_VARIABLE]: String(process.pid) },
            silent: true,
            ignoreReturnCode: true,
            listeners: {
                stdout: (data) => void stdout.push(data),
                stderr: (data) => void stderr.push(data),
                stdline: (line) => lines.add(line),
                errline: (line) => {
                    if (!options.consumeErr?.(line, lines.elapsed()))
                        lines.add(line);
                }
            }
        });
    }
    catch (error) {
        throw pythonNotStarted(options.python, error);
    }
    return {
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        log: lines.log,
        progress: lines.progress,
        durationMs: lines.elapsed()
    };
}

;// CONCATENATED MODULE: ./src/engines/alembic/repair.ts





async function repairAlembic(ctx, chain, revision, request, options) {
    const target = stampTarget(revision, request);
    const before = (await readVersionRows(ctx.client, options.table)) ?? [];
    const purge = new Set(before).size !== before.length || reconcile(chain, before, options.table).problems.length > 0;
    const args = ['stamp', ...(purge ? ['--purge'] : []), target];
    const command = `alembic ${args.join(' ')}`;
    const table = versionTableName(options.table);
    const rows = (ids) => ids.map((id) => [id]);
    if (before.length === 1 && before[0] === target) {
        return {
            revision: revision.id,
            done: `${table} already records ${target}; nothing changed`,
            changed: false,
            command,
            columns: ['version_num'],
            before: rows(before),
            after: rows(before)
        };
    }
    const proc = await ctx.log.group(command, () => runAlembic({ python: options.python, args, cwd: options.cwd, env: options.env, log: ctx.log, echo: true, onVersions: options.onVersions }));
    if (proc.exitCode !== 0) {
        const error = extractError(proc.stderr + '\n' + proc.stdout);
        throw new errors/* ActionError */.lZ('repair-failed', `${command} failed: ${(0,redact/* redact */.E$)(error?.summary ?? `exit code ${proc.exitCode}`)}. ${table} is unchanged.`, {
            location: { input: 'repair-revision', revision: revision.id },
            hint: 'Run the same command locally (DATABASE_URL=<url> alembic ' + args.join(' ') + ') to see the whole error; the full log is below.',
            details: [proc.log]
        });
    }
    const after = (await readVersionRows(ctx.client, options.table)) ?? [];
    const what = request.action === 'mark-pending' ? `${revision.id} is pending again: ${table} now records ${target}` : `recorded ${revision.id} as applied: ${table} now records it`;
    return {
        revision: revision.id,
        done: `${what}${purge ? ` (--purge: the table held ${before.length ? before.join(', ') : 'nothing'}, which Alembic cannot move from)` : ''}`,
        changed: true,
        command,
        columns: ['version_num'],
        before: rows(before),
        after: rows(after)
    };
}
/** mark-pending stamps the parent, so the next upgrade runs the revision again; a merge has no single parent to go back to. */
function stampTarget(revision, request) {
    if (request.action !== 'mark-pending')
        return revision.id;
    if (revision.parents.length === 0)
        return 'base';
    if (revision.parents.length === 1)
        return revision.parents[0];
    throw new errors/* ActionError */.lZ('invalid-input', `Input 'repair-action' is mark-pending, but ${revision.id} is a merge of ${revision.parents.join(', ')}, so there is no single revision to stamp back to; got 'mark-pending'.`, {
        location: { input: 'repair-action', revision: revision.id, file: revision.file },
        hint: `Set repair-revision to the revision the database really is at (one of ${revision.parents.join(', ')}) and leave repair-action empty, or stamp several heads by hand: alembic stamp ${revision.parents.join(' ')}.`
    });
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
;// CONCATENATED MODULE: ./src/engines/alembic/session.ts






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
const END_MARKER = 'PGMA-END';
/** The interpreter's answer to `go`, before it touches the database: without it, nothing was applied. */
const GO_MARKER = 'PGMA-GO';
/** The revisions of the offline run in the order Alembic runs them, written before the first one runs. */
const ORDER_MARKER = 'PGMA-ORDER ';
/** `PGMA-REVISION "<id>"`: the revision is about to run; the interpreter waits for one byte on fd 3. */
const REVISION_MARKER = 'PGMA-REVISION ';
/** `PGMA-AUTOCOMMIT "<id>"`: the revision entered autocommit_block(), which committed what ran before it; it waits too. */
const AUTOCOMMIT_MARKER = 'PGMA-AUTOCOMMIT ';
/** The interpreter has no fd 3 from the action (a wrapper closed it): it does not wait, and nothing is read between revisions. */
const NO_GATE_MARKER = 'PGMA-NO-GATE';
/** `PGMA-NOTICE {…}`: a NOTICE or WARNING the server sent while a revision ran (AlembicNotice). */
const NOTICE_MARKER = 'PGMA-NOTICE ';
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
].join('\n');
/** How long an interpreter told to stop may take to exit before it is killed. */
const STOP_GRACE_MS = 5000;
/** One run in the interpreter, the offline SQL generation or the upgrade: its output, and its end. */
class Run {
    lines;
    stdout = [];
    stderr = [];
    stdoutEnded = false;
    /** The interpreter acknowledged `go`. */
    started = false;
    exitCode;
    /** ms since the run started when its end marker arrived on stderr: Alembic's command returned or raised. */
    finishedAt;
    done;
    /** Resolves when both end markers arrived, or the interpreter exited without them. */
    ended = new Promise((resolve) => (this.done = resolve));
    constructor(echo) {
        this.lines = new OutputLines(echo);
    }
    out(line) {
        if (line === END_MARKER && !this.stdoutEnded) {
            this.stdoutEnded = true;
            this.endIfComplete();
            return;
        }
        this.stdout.push(line);
        this.lines.add(line);
    }
    err(line) {
        if (line === GO_MARKER && !this.started) {
            this.started = true;
            return;
        }
        if (line.startsWith(`${END_MARKER} `) && this.exitCode === undefined) {
            this.exitCode = JSON.parse(line.slice(END_MARKER.length + 1)).exit;
            this.finishedAt = this.lines.elapsed();
            this.endIfComplete();
            return;
        }
        this.stderr.push(line);
        this.lines.add(line);
    }
    /** The interpreter exited: whatever has not ended, has. */
    exited(code) {
        this.exitCode ??= code;
        this.done();
    }
    get complete() {
        return this.stdoutEnded && this.exitCode !== undefined;
    }
    record() {
        return {
            exitCode: this.exitCode ?? -1,
            stdout: this.stdout.join('\n'),
            stderr: this.stderr.join('\n'),
            log: this.lines.log,
            progress: this.lines.progress,
            durationMs: this.lines.elapsed(),
            finishedAt: this.finishedAt
        };
    }
    endIfComplete() {
        if (this.complete)
            this.done();
    }
}
class AlembicSession {
    child;
    options;
    /** The run its output goes to: the offline one, then one that only listens while it waits, then the upgrade. */
    run = new Run();
    marker;
    /** The offline run's revisions in Alembic's order, once it reported them. */
    order;
    versions;
    exit;
    verdictGiven = false;
    beforeRevision;
    onNotice;
    closed;
    constructor(child, options) {
        this.child = child;
        this.options = options;
        // A verdict written to an interpreter that already died is reported by the exit, not as an EPIPE.
        child.stdin.on('error', () => undefined);
        this.revisionGate.on('error', () => undefined);
        (0,external_node_readline_.createInterface)({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.run.out(line));
        (0,external_node_readline_.createInterface)({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => this.onStderr(line));
        this.closed = new Promise((resolve) => child.on('close', (code, signal) => {
            this.exit = { code, signal };
            this.run.exited(code ?? 128 + (signal ? external_node_os_.constants.signals[signal] : 0));
            resolve();
        }));
    }
    /**
     * Starts the interpreter and waits for its offline SQL. Throws the launcher's ActionErrors
     * (python-not-found, alembic-not-installed); an offline run that failed is returned for the caller to read.
     */
    static async start(options) {
        const child = (0,external_node_child_process_.spawn)(options.python, ['-c', SESSION_LAUNCHER, options.offlineTarget, options.waitForVerdict ? 'wait' : 'offline'], {
            cwd: options.cwd,
            env: { ...options.env, PYTHONUNBUFFERED: '1', [ACTION_PID_VARIABLE]: String(process.pid) },
            // fd 3: one byte per revision, when the action has read the schema before it (REVISION_MARKER).
            stdio: ['pipe', 'pipe', 'pipe', 'pipe']
        });
        const spawned = await new Promise((resolve) => {
            child.once('spawn', () => resolve(undefined));
            child.once('error', resolve);
        });
        if (spawned !== undefined)
            throw pythonNotStarted(options.python, spawned);
        const session = new AlembicSession(child, options);
        const offline = session.run;
        await offline.ended;
        const record = offline.record();
        try {
            session.versions = launcherVersions(session.marker, options.python, record.exitCode, record.log);
        }
        catch (error) {
            await session.stop();
            throw error;
        }
        if (offline.complete) {
            // Whatever it says while it waits belongs to neither run, but explains an exit before the verdict.
            session.run = new Run();
            session.holdOpen(false);
        }
        return { session, offline: { ...record, versions: session.versions }, order: session.order };
    }
    /**
     * `alembic upgrade head` in the waiting interpreter, its lines echoed to `log`. `pause` runs, while
     * the interpreter waits for it, before each revision starts and when one enters autocommit_block().
     * A cancel (`signal`) kills the interpreter; the record then ends where it was killed, and whether
     * it had started is for the version table to tell. The server's notices go to `onNotice` as they arrive.
     */
    async upgrade(log, pause, signal, env, onNotice) {
        const waiting = this.run;
        if (this.exit || this.verdictGiven) {
            await this.closed;
            throw this.lost(waiting);
        }
        this.verdictGiven = true;
        this.beforeRevision = pause;
        this.onNotice = onNotice;
        const upgrade = (this.run = new Run(log));
        this.holdOpen(true);
        // Not end(): the end of its stdin is the end of the action, for the interpreter.
        this.child.stdin.write(env ? `go ${JSON.stringify(env)}\n` : 'go\n');
        const cancel = () => void this.kill();
        signal?.addEventListener('abort', cancel, { once: true });
        if (signal?.aborted)
            cancel();
        await upgrade.ended;
        signal?.removeEventListener('abort', cancel);
        if (!upgrade.started && !signal?.aborted)
            throw this.lost(waiting, upgrade);
        // The interpreter's shutdown is not the action's to wait for.
        this.holdOpen(false);
        return { ...upgrade.record(), versions: this.versions };
    }
    /** Lets the interpreter exit without upgrading; a no-op once it has upgraded or exited. */
    async stop() {
        if (!this.verdictGiven) {
            this.verdictGiven = true;
            this.child.stdin.end('stop\n');
        }
        if (this.run.complete)
            return;
        // Told to stop, it applies nothing; but env.py or a revision may leave a thread or an atexit hook that
        // never ends, and the migration lock is released only after this returns.
        const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
        await this.closed;
        clearTimeout(timer);
    }
    /**
     * Ends the interpreter now, whatever it is doing (a cancelled run). Its stdin is closed too: through
     * a wrapper script that forked it, SIGKILL reaches only the wrapper, the end of stdin the interpreter.
     */
    async kill() {
        if (!this.exit) {
            this.verdictGiven = true;
            this.child.stdin.end();
            this.child.kill('SIGKILL');
        }
        await this.closed;
    }
    onStderr(line) {
        if (this.verdictGiven && line === NO_GATE_MARKER) {
            this.run.err("pg-migrate-action: the python input's command does not hand the action's pipe (fd 3) on to the interpreter, so the database is not read between revisions: what stayed of a revision that fails is not known.");
            return;
        }
        const marker = [REVISION_MARKER, AUTOCOMMIT_MARKER].find((m) => line.startsWith(m));
        if (this.verdictGiven && marker) {
            const revision = String(JSON.parse(line.slice(marker.length)));
            // Whatever happens to the reading, the interpreter goes on: it waits for this byte.
            void Promise.resolve(this.beforeRevision?.(revision, marker === AUTOCOMMIT_MARKER ? 'autocommit' : 'start'))
                .catch(() => undefined)
                .then(() => this.revisionGate.write('\n'));
            return;
        }
        if (this.verdictGiven && line.startsWith(NOTICE_MARKER)) {
            const notice = parseNotice(line.slice(NOTICE_MARKER.length));
            if (notice) {
                this.onNotice?.(notice);
                return;
            }
        }
        if (this.order === undefined && line.startsWith(ORDER_MARKER)) {
            try {
                const parsed = JSON.parse(line.slice(ORDER_MARKER.length));
                if (Array.isArray(parsed) && parsed.every((id) => typeof id === 'string')) {
                    this.order = parsed;
                    return;
                }
            }
            catch {
                // Not ours after all (env.py printing something of that shape): an ordinary line.
            }
        }
        // Only the first: a later line of the same shape comes from env.py or a revision, not from us.
        if (!this.marker && (this.marker = parseVersionsMarker(line))) {
            if (this.marker.python && this.marker.alembic && this.marker.sqlalchemy && !this.marker.error) {
                this.options.onVersions?.({ python: this.marker.python, alembic: this.marker.alembic, sqlalchemy: this.marker.sqlalchemy });
            }
            return;
        }
        this.run.err(line);
    }
    /** The pipe on the interpreter's fd 3, which lets it start the next revision. */
    get revisionGate() {
        return this.child.stdio[3];
    }
    /** While it waits for a verdict the interpreter must not keep the action alive: an action that ends closes its stdin, which means stop. */
    holdOpen(hold) {
        for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr, this.revisionGate]) {
            if (hold)
                handle.ref?.();
            else
                handle.unref?.();
        }
    }
    /** The interpreter ended before it acknowledged `go`; what it printed since the offline SQL explains why. */
    lost(...runs) {
        const how = this.exit?.signal ? `was killed (${this.exit.signal})` : `exited (code ${this.exit?.code ?? '?'})`;
        const said = (0,redact/* redact */.E$)(runs
            .flatMap((r) => r.stderr)
            .slice(-20)
            .join('\n')
            .trim());
        return new errors/* ActionError */.lZ('alembic-session-lost', `The Python process that prepared the Alembic upgrade (${this.options.python}) ${how} before it began the upgrade; nothing was applied.`, {
            location: { input: 'python' },
            hint: 'Run the job again. If it recurs, look for what ends processes on the runner (the out-of-memory killer, a step timeout, a cleanup step) and for an env.py that exits by itself.',
            details: said ? [said] : []
        });
    }
}
/** The launcher's notice line; undefined when the line is not one (env.py printing something of that shape). */
function parseNotice(json) {
    try {
        const fields = JSON.parse(json);
        if (typeof fields.revision !== 'string' || typeof fields.message !== 'string')
            return undefined;
        const text = (key) => (typeof fields[key] === 'string' && fields[key] !== '' ? fields[key] : undefined);
        return {
            revision: fields.revision,
            message: fields.message,
            severity: text('severity'),
            detail: text('detail'),
            hint: text('hint'),
            statement: text('statement'),
            ...(typeof fields.line === 'number' ? { line: fields.line } : {})
        };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/engines/alembic/venv.ts









function venvKey(platform, arch, pythonVersion, requirements) {
    const digest = (0,external_node_crypto_.createHash)('sha256').update(requirements).digest('hex');
    return `pgma-alembic-venv-${platform}-${arch}-py${pythonVersion}-${digest}`;
}
function venvPython(dir, platform = process.platform) {
    return platform === 'win32' ? external_node_path_default().join(dir, 'Scripts', 'python.exe') : external_node_path_default().join(dir, 'bin', 'python');
}
const venv_MARKER = '.pgma-venv-key';
async function prepareVenv(options) {
    const { python, env, log } = options;
    const requirementsFile = external_node_path_default().resolve(options.requirementsPath);
    const requirements = await readRequirements(requirementsFile, options.requirementsPath, options.workspace);
    const version = await pythonVersion(python, env);
    const key = venvKey(process.platform, process.arch, version, requirements);
    const root = options.root ?? (env.RUNNER_TOOL_CACHE || external_node_os_default().tmpdir());
    const dir = external_node_path_default().join(root, 'pgma-alembic-venv', key.slice(-16));
    const interpreter = venvPython(dir);
    const ready = async () => (0,external_node_fs_.existsSync)(interpreter) && (await (0,promises_.readFile)(external_node_path_default().join(dir, venv_MARKER), 'utf8').catch(() => '')) === key;
    // A self-hosted runner (or a second engine instance in this job) may already have it.
    if (await ready()) {
        return { python: interpreter, dir, key, status: 'reused', installMs: 0, note: `Alembic venv: reused ${dir} (key ${key})` };
    }
    const cache = await loadCache();
    const cacheAvailable = cache !== undefined;
    if (cache) {
        try {
            const hit = await cache.restoreCache([dir], key);
            if (hit && (await ready())) {
                return { python: interpreter, dir, key, status: 'hit', installMs: 0, note: `Alembic venv: cache hit (key ${key})` };
            }
        }
        catch (error) {
            log.warning(`Restoring the Alembic venv from the cache failed; installing instead: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    await (0,promises_.rm)(dir, { recursive: true, force: true });
    const created = await runPython({ python, args: ['-m', 'venv', dir], cwd: process.cwd(), env });
    if (created.exitCode !== 0) {
        throw new errors/* ActionError */.lZ('alembic-venv-failed', `Creating a virtual environment with '${python} -m venv' failed (exit code ${created.exitCode}).`, {
            location: { input: 'alembic-requirements' },
            hint: 'On Debian/Ubuntu images install python3-venv, or use actions/setup-python, whose interpreters include venv.',
            details: [lastLines(created.log)]
        });
    }
    const started = Date.now();
    const installed = await runPython({
        python: interpreter,
        args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsFile],
        cwd: external_node_path_default().dirname(requirementsFile),
        env,
        log,
        echo: true
    });
    const installMs = Date.now() - started;
    if (installed.exitCode !== 0) {
        throw new errors/* ActionError */.lZ('alembic-requirements-failed', `pip could not install ${options.requirementsPath} (exit code ${installed.exitCode}).`, {
            location: { input: 'alembic-requirements', file: external_node_path_default().relative(process.cwd(), requirementsFile) },
            hint: "Check the requirement names and versions; the collapsed log has pip's output.",
            details: [lastLines(installed.log)]
        });
    }
    await (0,promises_.writeFile)(external_node_path_default().join(dir, venv_MARKER), key);
    let saved = '';
    if (cache) {
        try {
            await cache.saveCache([dir], key);
            saved = ', saved to the cache';
        }
        catch (error) {
            // Another job saving the same key first is normal.
            saved = `, not saved (${(0,errors/* errorMessage */.gJ)(error)})`;
        }
    }
    const status = cacheAvailable ? 'miss' : 'unavailable';
    const what = cacheAvailable ? 'cache miss' : 'cache unavailable';
    return { python: interpreter, dir, key, status, installMs, note: `Alembic venv: ${what}, installed ${options.requirementsPath} in ${installMs} ms${saved} (key ${key})` };
}
/**
 * The requirements file's text, after checking that it and every file it includes (`-r`/`-c`, nested)
 * lie inside the workspace: pip reads those too, and prints a line it cannot parse, so a link to
 * `/proc/self/environ` would put the runner's environment in the log.
 */
async function readRequirements(file, given, workspace) {
    const location = { input: 'alembic-requirements' };
    const read = async (absolute, what) => {
        (0,src_workspace/* requireInsideWorkspace */.vt)(absolute, workspace, what, location);
        try {
            return await (0,promises_.readFile)(absolute, 'utf8');
        }
        catch (error) {
            throw new errors/* ActionError */.lZ('alembic-requirements-missing', `Cannot read ${what}: ${(0,echo/* echo */.W)((0,errors/* errorMessage */.gJ)(error), 400)}`, {
                location,
                hint: 'Give a pip requirements file path relative to the repository root, e.g. requirements/migrations.txt.'
            });
        }
    };
    const text = await read(file, `alembic-requirements '${(0,echo/* echo */.W)(given)}'`);
    const seen = new Set([file]);
    const pending = [{ file, text }];
    while (pending.length > 0) {
        const current = pending.pop();
        for (const included of includedFiles(current.text)) {
            const absolute = external_node_path_default().resolve(external_node_path_default().dirname(current.file), included);
            if (seen.has(absolute))
                continue;
            seen.add(absolute);
            pending.push({ file: absolute, text: await read(absolute, `'${included}' (included by ${external_node_path_default().relative(process.cwd(), current.file) || current.file})`) });
        }
    }
    return text;
}
/** pip's `-r file`, `-rfile`, `--requirement=file` and the same for `-c` / `--constraint`; URLs are not files. */
function includedFiles(requirements) {
    const files = [];
    for (const line of requirements.split(/\r?\n/)) {
        const match = /^\s*(?:--requirement|--constraint|-r|-c)\s*=?\s*(\S+)/.exec(line);
        if (match && !/^[a-z][a-z0-9+.-]*:\/\//i.test(match[1]))
            files.push(match[1]);
    }
    return files;
}
async function pythonVersion(python, env) {
    const result = await runPython({ python, args: ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], cwd: process.cwd(), env });
    const version = result.stdout.trim();
    if (result.exitCode !== 0 || !/^\d+\.\d+\.\d+$/.test(version)) {
        throw new errors/* ActionError */.lZ('python-not-found', `The Python interpreter '${python}' did not report its version (exit code ${result.exitCode}).`, {
            location: { input: 'python' },
            hint: 'Set the `python` input to a working Python 3 interpreter.',
            details: [lastLines(result.log)]
        });
    }
    return version;
}
/**
 * @actions/cache brings the Azure storage SDK (about 2.4 MB of bundle, ~90 ms of start-up): load it
 * only when a run actually installs requirements. Undefined when the cache service is not available.
 */
async function loadCache() {
    try {
        const cache = await __webpack_require__.e(/* import() */ 863).then(__webpack_require__.bind(__webpack_require__, 1863));
        return cache.isFeatureAvailable() ? cache : undefined;
    }
    catch {
        return undefined;
    }
}
function lastLines(text, count = 30) {
    return text.split('\n').slice(-count).join('\n');
}

;// CONCATENATED MODULE: ./src/engines/alembic/index.ts



















/**
 * The Alembic engine: the chain is read statically from alembic.ini and the revision files, the
 * state straight from the version table with `pg`, and only plan (offline `--sql`) and apply run
 * Python.
 */
function createAlembicEngine(settings, options = {}) {
    const workspace = options.workspace ?? (0,src_workspace/* defaultWorkspace */.Dy)();
    /** The database is the context's: the target's, or a scratch database's (schema change, drift). */
    const prepareRuntime = async (ctx, table, notes) => {
        const log = ctx.log;
        const baseEnv = options.env ?? process.env;
        let python = settings.python;
        if (settings.alembicRequirements) {
            const venv = await prepareVenv({ python, requirementsPath: settings.alembicRequirements, env: baseEnv, log, workspace });
            python = venv.python;
            notes.push(venv.note);
            log.info(venv.note);
        }
        const env = {
            ...baseEnv,
            // Rebuilt from the one parse of the input, so SQLAlchemy reads the same credentials as the action.
            DATABASE_URL: (0,database_url/* urlForSqlAlchemy */.q$)(ctx.settings.databaseUrl),
            // libpq drivers (psycopg2, psycopg 3) apply these to Alembic's own session, so the
            // lock-timeout and statement-timeout inputs hold there too; a PGOPTIONS the user set comes later and wins.
            PGOPTIONS: (0,context/* migrationPgOptions */.YR)(settings, baseEnv.PGOPTIONS),
            // Not the user's PGAPPNAME: it is how a cancelled run finds the interpreter's session to end it, and
            // how the next run recognises one a killed run left running (lock.ts, waitForEarlierMigrations).
            PGAPPNAME: lock/* MIGRATION_APPLICATION_NAMES */.dQ.alembic,
            // Not read by Alembic: for env.py files that want to follow the action's version table setting.
            PGMA_ALEMBIC_VERSION_TABLE: table.table,
            PGMA_ALEMBIC_VERSION_TABLE_SCHEMA: table.schema ?? ''
        };
        return { python, env };
    };
    /** One `alembic <args>` step of verify-downgrade, through the same launcher and environment as apply. */
    const alembicStep = async (ctx, chain, args) => {
        const notes = [];
        const runtime = await prepareRuntime(ctx, chain.data.table, notes);
        const proc = await ctx.log.group(`alembic ${args.join(' ')}`, () => runAlembic({
            python: runtime.python,
            args,
            cwd: chain.data.project.ini.dir,
            env: runtime.env,
            log: ctx.log,
            echo: true,
            onVersions: noteVersions(notes, ctx.log, runtime.python)
        }));
        if (proc.exitCode === 0)
            return { status: 'ok' };
        // As an apply failure: the revision file and line, the statement sent, the server's DETAIL and HINT.
        const error = extractError(proc.stderr + '\n' + proc.stdout);
        const source = revisionInTraceback(error, chain.data.sources);
        const line = source && lineInRevision(error, source);
        return {
            status: 'failed',
            message: `alembic ${args.join(' ')} failed: ${(0,redact/* redact */.E$)(error?.summary ?? `exit code ${proc.exitCode}`)}`,
            file: source?.revision.file,
            line,
            excerpt: source && line ? await excerpt(source.absolutePath, line) : undefined,
            statement: error?.statement && (0,redact/* redact */.E$)(error.statement),
            detail: error?.detail && (0,redact/* redact */.E$)(error.detail),
            serverHint: error?.hint && (0,redact/* redact */.E$)(error.hint),
            log: proc.log
        };
    };
    /** mode: downgrade runs Alembic twice (offline --sql for the lint, then the downgrade), each through the launcher. */
    const downgradeDeps = async (ctx, chain) => {
        const notes = [];
        const runtime = await prepareRuntime(ctx, chain.data.table, notes);
        const { project, table, sources } = chain.data;
        return {
            table,
            sources,
            notes,
            envPy: external_node_path_default().join(project.ini.scriptLocation, 'env.py'),
            alembic: (args, echo) => runAlembic({ python: runtime.python, args, cwd: project.ini.dir, env: runtime.env, log: ctx.log, echo, onVersions: noteVersions(notes, ctx.log, runtime.python) })
        };
    };
    return {
        name: 'alembic',
        async loadChain() {
            const project = await loadProject(settings.migrationsPath, workspace);
            const table = resolveVersionTable(settings, project.ini);
            const tableNote = `${versionTableName(table)}${table.schema ? '' : ' (default schema)'}, from ${table.source === 'input' ? 'the alembic-version-table input' : table.source}`;
            const chain = toChain(project, settings.migrationsPath, chainNotes(project, tableNote));
            return {
                ...chain,
                versionTable: { schema: table.schema ?? '', table: table.table },
                data: { project, table, sources: new Map(project.revisions.map((r) => [r.revision.id, r])) }
            };
        },
        checkChain(chain) {
            return chain.data.project.problems;
        },
        async readState(ctx, chain) {
            return reconcile(chain, await readVersionRows(ctx.client, chain.data.table), chain.data.table);
        },
        pending(chain, state) {
            const known = new Set(chain.revisions.map((r) => r.id));
            return (0,graph/* pendingPath */.pZ)(chain.revisions, state.current.filter((id) => known.has(id)));
        },
        async plan(ctx, chain, state, pending) {
            if (pending.length === 0)
                return { revisions: [], notes: [], data: undefined };
            const { project, table, sources } = chain.data;
            const notes = [];
            const runtime = await prepareRuntime(ctx, table, notes);
            const known = state.current.filter((id) => sources.has(id));
            // Offline ranges take one start; with several branch heads the output also covers revisions
            // already applied on the other branches, which the split below leaves out.
            const target = known.length > 0 ? `${known[0]}:head` : 'head';
            // The SQL parser (WASM) loads while the interpreter starts: the secret scan and lint need it next.
            void (0,parse/* loadSqlParser */.Ok)().catch(() => undefined);
            const { session, offline, order } = await AlembicSession.start({
                python: runtime.python,
                cwd: project.ini.dir,
                env: runtime.env,
                offlineTarget: target,
                waitForVerdict: settings.mode === 'migrate',
                onVersions: noteVersions(notes, ctx.log, runtime.python)
            });
            try {
                await registerOfflineSqlSecrets(offline.stdout);
                // A revision that reads the database stops offline generation part-way: what came before it is kept.
                const run = readOfflineRun(offline, sources, external_node_path_default().join(project.ini.scriptLocation, 'env.py'));
                if (run.stopped) {
                    ctx.log.warning(`Alembic's offline mode (upgrade ${target} --sql) stopped at ${run.stopped.revision ?? 'env.py'}: ${(0,redact/* redact */.E$)(run.stopped.message)}; ` +
                        'the SQL of the revisions before it is planned and linted, the rest is not.');
                }
                const revisions = offlinePending(inAlembicOrder(pending, order), run, sources, state.versionTableExists, target).map((p) => ({
                    ...p,
                    notes: p.notes.map(redact/* redact */.E$),
                    offlineStop: p.offlineStop && { ...p.offlineStop, message: (0,redact/* redact */.E$)(p.offlineStop.message) }
                }));
                return { revisions, notes, data: session, release: () => session.stop() };
            }
            catch (error) {
                await session.stop();
                throw error;
            }
        },
        async apply(ctx, chain, state, plan) {
            const session = plan.data;
            if (!session || plan.revisions.length === 0)
                return { runs: [], current: state.current };
            const { project, table, sources } = chain.data;
            if (state.current.some((id) => !sources.has(id))) {
                await session.stop();
                throw new errors/* ActionError */.lZ('alembic-unknown-revision', `The database is stamped with a revision no file declares (${state.current.join(', ')}); refusing to run Alembic.`, {
                    hint: 'Resolve the unknown-stamped-revision problem first.'
                });
            }
            const result = await applyAlembic(ctx, chain, state.current, plan.revisions.map((p) => p.revision), {
                session,
                envPy: external_node_path_default().join(project.ini.scriptLocation, 'env.py'),
                sources,
                table,
                // maintenance-work-mem: auto is known only after the lint, while the interpreter was started to plan.
                pgOptions: (0,context/* migrationPgOptions */.YR)(ctx.settings, (options.env ?? process.env).PGOPTIONS)
            });
            // What planning learned (the versions, a prepared venv) is what this run applied with.
            return { ...result, notes: plan.notes };
        },
        async repair(ctx, chain, revision, request) {
            const notes = [];
            const runtime = await prepareRuntime(ctx, chain.data.table, notes);
            return repairAlembic(ctx, chain, revision, request, {
                python: runtime.python,
                cwd: chain.data.project.ini.dir,
                env: runtime.env,
                table: chain.data.table,
                onVersions: noteVersions(notes, ctx.log, runtime.python)
            });
        },
        async planDowngrade(ctx, chain, state, target) {
            return planAlembicDowngrade(ctx, chain, state, target, await downgradeDeps(ctx, chain));
        },
        async downgrade(ctx, chain, state, plan) {
            return runAlembicDowngrade(ctx, chain, state, plan, await downgradeDeps(ctx, chain));
        },
        downgradeOne(ctx, chain, revision) {
            // `downgrade <target>` undoes every applied descendant of the target, so a parent as the target
            // would also undo a sibling branch; `<rev>@-1` steps back from the head `rev` alone (Alembic 1.8
            // to 1.13). From a merge it is an "Ambiguous walk", but a merge's parents are not descendants of
            // each other: downgrading to its first parent undoes the merge alone and leaves all parents as heads.
            const target = revision.parents.length > 1 ? revision.parents[0] : `${revision.id}@-1`;
            return alembicStep(ctx, chain, ['downgrade', target]);
        },
        upgradeOne(ctx, chain, revision) {
            return alembicStep(ctx, chain, ['upgrade', revision.id]);
        },
        async upgradeTo(ctx, chain, revisions) {
            // `alembic upgrade <head>` for each head of the set: Alembic applies what is missing below it, in its own order.
            for (const head of headsOf(revisions)) {
                const outcome = await alembicStep(ctx, chain, ['upgrade', head]);
                if (outcome.status !== 'ok')
                    return outcome;
            }
            return { status: 'ok' };
        }
    };
}
/**
 * The pending revisions in the order Alembic runs them (its topological order of a branched graph
 * differs from the chain's), so the plan, "before the stop" and the lint's walk agree with what
 * apply will do. Revisions Alembic did not list keep their place after the ones it did.
 */
function inAlembicOrder(pending, order) {
    if (!order)
        return pending;
    const position = new Map(order.map((id, i) => [id, i]));
    return pending
        .map((revision, i) => ({ revision, i }))
        .sort((a, b) => (position.get(a.revision.id) ?? order.length + a.i) - (position.get(b.revision.id) ?? order.length + b.i))
        .map(({ revision }) => revision);
}
/** The revisions of the set that no other revision of the set builds on. */
function headsOf(revisions) {
    const below = new Set(revisions.flatMap((r) => [...r.parents, ...r.dependsOn]));
    return revisions.filter((r) => !below.has(r.id)).map((r) => r.id);
}
/** The launcher reports the interpreter's versions on every run; they belong in the report's chain notes. */
function noteVersions(notes, log, python) {
    return (versions) => {
        const note = `Alembic ${versions.alembic}, SQLAlchemy ${versions.sqlalchemy}, Python ${versions.python} (${python})`;
        notes.push(note);
        log.info(note);
    };
}


/***/ }),

/***/ 8053:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Oc: () => (/* binding */ parseRevisionSource),
/* harmony export */   sr: () => (/* binding */ topLevelStatements)
/* harmony export */ });
/* unused harmony export parseLiteral */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);

/** Thrown by the literal parser; the caller turns it into an ActionError naming the file. */
class LiteralError extends Error {
}
function parseRevisionSource(source, file) {
    const statements = topLevelStatements(source);
    const values = new Map();
    for (const statement of statements) {
        const match = /^(revision|down_revision|branch_labels|depends_on)\s*(?::([^=]*))?=(?!=)([\s\S]*)$/.exec(statement.text);
        if (!match)
            continue;
        const key = match[1];
        try {
            // Python semantics: a later assignment wins.
            values.set(key, { value: parseLiteral(match[3]), line: statement.line });
        }
        catch (error) {
            const reason = error instanceof LiteralError ? error.message : String(error);
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('alembic-revision-unreadable', `${file}:${statement.line}: cannot read ${key} statically: ${reason}.`, {
                location: { file, line: statement.line },
                hint: `Write ${key} as a literal, as \`alembic revision\` does: a quoted string, None, or a tuple of quoted strings.`
            });
        }
    }
    const revision = values.get('revision');
    if (!revision) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('alembic-revision-unreadable', `${file} has no module-level \`revision = '…'\` assignment, so its revision id cannot be read.`, {
            location: { file },
            hint: 'Every .py file in a versions directory must be an Alembic revision. Declare `revision = "<id>"` at module level, or move the file out of the versions directory.'
        });
    }
    if (revision.value === null || revision.value.length !== 1 || revision.value[0] === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('alembic-revision-unreadable', `${file}:${revision.line}: revision must be one non-empty string.`, {
            location: { file, line: revision.line },
            hint: 'Declare the id as a quoted string, e.g. `revision = "ab12cd34ef56"`.'
        });
    }
    return {
        revision: revision.value[0],
        line: revision.line,
        downRevisions: values.get('down_revision')?.value ?? [],
        branchLabels: values.get('branch_labels')?.value ?? [],
        dependsOn: values.get('depends_on')?.value ?? [],
        message: docstringMessage(statements)
    };
}
function docstringMessage(statements) {
    const first = statements[0];
    if (!first)
        return '';
    const match = /^[rRuU]?("""|''')([\s\S]*?)\1\s*$/.exec(first.text) ?? /^[rRuU]?(["'])((?:\\.|(?!\1).)*)\1\s*$/.exec(first.text);
    if (!match)
        return '';
    const line = match[2].split('\n').find((l) => l.trim() !== '');
    return line?.trim() ?? '';
}
/**
 * Splits Python source into top-level logical lines (statements that start in column 0), skipping
 * comments and keeping strings, brackets and backslash continuations together.
 */
function topLevelStatements(source) {
    const statements = [];
    let i = 0;
    let line = 1;
    const n = source.length;
    while (i < n) {
        // At the start of a physical line.
        const startLine = line;
        const topLevel = /[A-Za-z_"'([]/.test(source[i] ?? '');
        let depth = 0;
        let text = '';
        // Scan one logical line.
        while (i < n) {
            const c = source[i];
            if (c === '#') {
                while (i < n && source[i] !== '\n')
                    i++;
                continue;
            }
            if (c === '\\' && source[i + 1] === '\n') {
                text += ' ';
                i += 2;
                line++;
                continue;
            }
            if (c === '"' || c === "'") {
                const end = stringEnd(source, i);
                const literal = source.slice(i, end);
                line += countNewlines(literal);
                text += literal;
                i = end;
                continue;
            }
            if (c === '(' || c === '[' || c === '{')
                depth++;
            if (c === ')' || c === ']' || c === '}')
                depth = Math.max(0, depth - 1);
            if (c === '\n') {
                line++;
                i++;
                if (depth === 0)
                    break;
                text += '\n';
                continue;
            }
            text += c;
            i++;
        }
        if (topLevel && text.trim() !== '')
            statements.push({ text: text.trim(), line: startLine });
    }
    return statements;
}
/** Index just past the string literal starting at `i` (a quote), single or triple quoted. */
function stringEnd(source, i) {
    const quote = source[i];
    const triple = source.startsWith(quote.repeat(3), i);
    let j = i + (triple ? 3 : 1);
    while (j < source.length) {
        const c = source[j];
        if (c === '\\') {
            j += 2;
            continue;
        }
        if (triple) {
            if (source.startsWith(quote.repeat(3), j))
                return j + 3;
        }
        else if (c === quote) {
            return j + 1;
        }
        else if (c === '\n') {
            return j;
        }
        j++;
    }
    return j;
}
function countNewlines(text) {
    let count = 0;
    for (const c of text)
        if (c === '\n')
            count++;
    return count;
}
/** None → null; a string → [s]; a tuple/list (bracketed or bare) of strings → the strings. */
function parseLiteral(text) {
    const p = new LiteralParser(text);
    const value = p.expression();
    p.skipSpace();
    if (!p.done())
        throw new LiteralError(`unexpected '${p.rest().slice(0, 20)}'`);
    return value;
}
class LiteralParser {
    s;
    i = 0;
    constructor(s) {
        this.s = s;
    }
    done() {
        return this.i >= this.s.length;
    }
    rest() {
        return this.s.slice(this.i);
    }
    skipSpace() {
        while (this.i < this.s.length && /\s/.test(this.s[this.i]))
            this.i++;
    }
    expression() {
        this.skipSpace();
        const first = this.atom();
        this.skipSpace();
        // `down_revision = 'a', 'b'` is a tuple in Python.
        if (this.s[this.i] !== ',')
            return first;
        const items = this.requireStrings(first);
        while (this.s[this.i] === ',') {
            this.i++;
            this.skipSpace();
            if (this.done())
                break;
            items.push(...this.requireStrings(this.atom()));
            this.skipSpace();
        }
        return items;
    }
    requireStrings(value) {
        if (value === null)
            throw new LiteralError('None inside a tuple');
        return [...value];
    }
    atom() {
        this.skipSpace();
        const c = this.s[this.i];
        if (c === undefined)
            throw new LiteralError('missing value');
        if (this.s.startsWith('None', this.i) && !/\w/.test(this.s[this.i + 4] ?? '')) {
            this.i += 4;
            return null;
        }
        if (c === '(' || c === '[') {
            const close = c === '(' ? ')' : ']';
            this.i++;
            const items = [];
            for (;;) {
                this.skipSpace();
                if (this.s[this.i] === close) {
                    this.i++;
                    break;
                }
                const value = this.atom();
                if (value === null)
                    throw new LiteralError('None inside a tuple');
                items.push(...value);
                this.skipSpace();
                if (this.s[this.i] === ',') {
                    this.i++;
                    continue;
                }
                if (this.s[this.i] === close) {
                    this.i++;
                    break;
                }
                throw new LiteralError(`expected ',' or '${close}'`);
            }
            return items;
        }
        const strings = [];
        // Adjacent literals concatenate: 'ab' 'cd'.
        while (this.isStringStart()) {
            strings.push(this.string());
            this.skipSpace();
        }
        if (strings.length > 0)
            return [strings.join('')];
        throw new LiteralError(`'${this.rest().split('\n')[0].slice(0, 30)}' is not a string, None or a tuple of strings`);
    }
    isStringStart() {
        const m = /^([rRuU]?)(["'])/.exec(this.s.slice(this.i, this.i + 2));
        return m !== null;
    }
    string() {
        const prefix = /^[rRuU]/.test(this.s[this.i]) ? this.s[this.i++] : '';
        const raw = prefix === 'r' || prefix === 'R';
        const quote = this.s[this.i];
        const triple = this.s.startsWith(quote.repeat(3), this.i);
        const delimiter = triple ? quote.repeat(3) : quote;
        this.i += delimiter.length;
        let out = '';
        while (this.i < this.s.length) {
            if (this.s.startsWith(delimiter, this.i)) {
                this.i += delimiter.length;
                return out;
            }
            const c = this.s[this.i];
            if (c === '\\' && !raw) {
                const next = this.s[this.i + 1];
                const escapes = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };
                out += escapes[next] ?? `\\${next}`;
                this.i += 2;
                continue;
            }
            if (c === '\n' && !triple)
                break;
            out += c;
            this.i++;
        }
        throw new LiteralError('unterminated string');
    }
}


/***/ }),

/***/ 8735:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AR: () => (/* binding */ functionSource),
/* harmony export */   O1: () => (/* binding */ listCalls),
/* harmony export */   Yr: () => (/* binding */ listUpgradeCalls),
/* harmony export */   re: () => (/* binding */ mapStatementsToCalls)
/* harmony export */ });
/* harmony import */ var _engines_alembic_revision_file_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8053);

/** Calls that emit no SQL of their own. */
const SILENT = new Set(['get_bind', 'get_context', 'batch_alter_table', 'f', 'inline_literal', 'implementation_for', 'invoke']);
/** `fn`: `downgrade` for the down SQL of mode: downgrade. */
function listUpgradeCalls(source, fn = 'upgrade') {
    const upgrade = readFunction(source, fn);
    return upgrade && { line: upgrade.line, calls: upgrade.calls.map(({ name, line }) => ({ name, line })), firstCodeLine: upgrade.firstCodeLine };
}
/** The op calls of `def upgrade()` or `def downgrade()`, with their arguments. */
function listCalls(source, fn) {
    return readFunction(source, fn)?.calls ?? [];
}
/** The body of a module-level `def fn(…)`, dedented, and the 0-based line of its `def`; undefined when there is none. */
function functionSource(source, fn) {
    const lines = source.split(/\r?\n/);
    const header = new RegExp(`^def\\s+${fn}\\s*\\(`);
    const start = lines.findIndex((l) => header.test(l));
    if (start < 0)
        return undefined;
    let end = start + 1;
    while (end < lines.length && !/^[^\s#]/.test(lines[end]))
        end++;
    const body = lines
        .slice(start + 1, end)
        .map((l) => l.trimStart())
        .join('\n');
    return { start, body };
}
function readFunction(source, fn) {
    const found = functionSource(source, fn);
    if (!found)
        return undefined;
    const { start, body } = found;
    const calls = [];
    let firstCodeLine;
    for (const statement of (0,_engines_alembic_revision_file_js__WEBPACK_IMPORTED_MODULE_0__/* .topLevelStatements */ .sr)(body)) {
        const match = /^(?:with\s+)?(op|batch_op)\.(\w+)\s*\(/.exec(statement.text);
        if (match && !SILENT.has(match[2]))
            calls.push({ name: match[2], receiver: match[1], line: start + 1 + statement.line, args: topLevelArguments(statement.text.slice(match[0].length)) });
        if (firstCodeLine === undefined && !/^(pass\b|(?:[rRuU]?)(?:"""|'''|"|'))/.test(statement.text.trim()))
            firstCodeLine = start + 1 + statement.line;
    }
    return { line: start + 1, calls, firstCodeLine };
}
/** Splits `a, [b, c], d=e)` at its top-level commas, up to the call's closing parenthesis. */
function topLevelArguments(text) {
    const args = [];
    let depth = 0;
    let current = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            const end = text.indexOf(c, i + 1);
            const stop = end < 0 ? text.length : end;
            current += text.slice(i, stop + 1);
            i = stop;
            continue;
        }
        if (c === '(' || c === '[' || c === '{')
            depth++;
        if (c === ')' || c === ']' || c === '}') {
            if (depth === 0)
                break;
            depth--;
        }
        if (c === ',' && depth === 0) {
            args.push(current.trim());
            current = '';
            continue;
        }
        current += c;
    }
    if (current.trim() !== '')
        args.push(current.trim());
    return args;
}
/** Statement kinds each op can emit; ops not listed (execute, custom ops) may emit anything. */
const EMITS = {
    create_table: ['CreateStmt', 'IndexStmt', 'CommentStmt', 'CreateEnumStmt'],
    drop_table: ['DropStmt'],
    add_column: ['AlterTableStmt', 'CommentStmt', 'CreateEnumStmt', 'IndexStmt'],
    drop_column: ['AlterTableStmt'],
    alter_column: ['AlterTableStmt', 'RenameStmt', 'CommentStmt'],
    create_index: ['IndexStmt'],
    drop_index: ['DropStmt'],
    rename_table: ['RenameStmt'],
    create_foreign_key: ['AlterTableStmt'],
    create_unique_constraint: ['AlterTableStmt'],
    create_primary_key: ['AlterTableStmt'],
    create_check_constraint: ['AlterTableStmt'],
    create_exclude_constraint: ['AlterTableStmt'],
    drop_constraint: ['AlterTableStmt'],
    bulk_insert: ['InsertStmt'],
    create_table_comment: ['CommentStmt'],
    drop_table_comment: ['CommentStmt']
};
function emits(call, kind) {
    const kinds = EMITS[call.name];
    return kinds === undefined || kinds.includes(kind);
}
/**
 * Maps each statement (by kind, in order) to the op call that produced it: one to one when the
 * counts agree, else in order by what each op can emit. Undefined where no call fits.
 */
function mapStatementsToCalls(kinds, calls) {
    if (kinds.length === calls.length)
        return [...calls];
    let next = 0;
    return kinds.map((kind) => {
        for (let q = next; q < calls.length; q++) {
            if (emits(calls[q], kind)) {
                next = q + 1;
                return calls[q];
            }
        }
        // One call may emit several statements (create_table with its indexes).
        if (next > 0 && emits(calls[next - 1], kind))
            return calls[next - 1];
        return undefined;
    });
}


/***/ })

};
