export const id = 244;
export const ids = [244];
export const modules = {

/***/ 3244:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAlembicEngine: () => (/* binding */ createAlembicEngine)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/chain/graph.ts
var graph = __webpack_require__(3765);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
// EXTERNAL MODULE: ./src/sql/parse.ts + 1 modules
var parse = __webpack_require__(5862);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/sql/error-position.ts
var error_position = __webpack_require__(7332);
;// CONCATENATED MODULE: ./src/engines/alembic/output.ts
// `from` is non-greedy because a message may itself contain " -> ".
const RUNNING = /Running upgrade (.*?) -> ([^\s,]+)(?:, (.*))?$/;
/** Parses `INFO  [alembic.runtime.migration] Running upgrade a, b -> c, msg` or the offline `-- Running upgrade a -> c`. */
function parseProgressLine(line) {
    const match = RUNNING.exec(line.trimEnd());
    if (!match)
        return undefined;
    return {
        from: match[1]
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
        to: match[2],
        message: match[3]?.trim() ?? ''
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
        message: messageLines.join('\n').trim() || summary,
        summary: (colon?.[2] ? `${type}: ${messageLines.join('\n').trim()}` : summary).trim(),
        statement: sql?.trim() || undefined,
        parameters,
        detail,
        hint,
        frames
    };
}
/** What Alembic's `Will assume … DDL.` line says about the run's transaction, if it said it. */
function ddlMode(output) {
    const match = /Will assume (non-)?transactional DDL/.exec(output);
    if (!match)
        return undefined;
    return match[1] ? 'non-transactional' : 'transactional';
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

// EXTERNAL MODULE: ./src/connection.ts
var connection = __webpack_require__(7199);
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

;// CONCATENATED MODULE: ./src/engines/alembic/apply.ts








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
    const proc = await ctx.log.group('alembic upgrade head', () => options.session.upgrade(ctx.log));
    const after = (await readVersionRows(ctx.lock?.session ?? ctx.client, options.table)) ?? [];
    const result = buildResult(chain, before, after, pending, proc, options);
    if (result.failure?.line)
        result.failure.excerpt = await excerpt(result.failure.file, result.failure.line);
    return result;
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
    const frame = failedSource ? [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, failedSource.absolutePath)) : undefined;
    const line = frame && failedSource ? batchOperationLine(readText(failedSource.absolutePath), frame.line, error?.frames ?? [], error?.statement) : undefined;
    const rolledBack = runs.filter((r) => r.status === 'rolled-back').map((r) => r.id);
    const committed = [...nowApplied];
    const nonTransactional = ddlMode(proc.log) === 'non-transactional';
    let databaseState;
    if (committed.length === 0) {
        databaseState = `rolled back: nothing of this run was applied; ${tableName} still records ${at(after)}`;
        if (rolledBack.length > 0)
            databaseState += ` (${idList(rolledBack)} ran but rolled back with ${failedId})`;
    }
    else {
        // The report lists what was committed, from the runs; this says what they cannot.
        const failed = failedId ?? 'the failing revision';
        databaseState = `partly applied: ${nonTransactional ? `${failed} failed part-way` : `${failed} was rolled back`} (before this run, ${tableName} recorded ${at(before)})`;
    }
    if (nonTransactional && failedId)
        databaseState += `; Alembic ran without a transaction, so the statements of ${failedId} before the failing one stay committed`;
    else if (failedSource?.autocommit)
        databaseState += `; ${failedId} uses autocommit_block(), so statements in it may have been committed`;
    const advice = toolchainAdvice(error, failedSource ? warningsIn(warnings, failedSource.absolutePath) : warnings, proc.versions);
    const failedLine = line ?? frame?.line;
    const recovery = [
        advice
            ? `This chain needs ${advice.needs}: ${advice.reason}. Upgrade it where the action runs (e.g. \`pip install --upgrade '${advice.requirement}'\` or the alembic-requirements file), then re-run; the revision itself may be fine.`
            : failedRevision
                ? `Fix ${failedRevision.file}${failedLine ? `:${failedLine}` : ''} (the error above) and re-run; ${after.length === 0 ? 'Alembic starts again from the first revision' : `Alembic continues from ${after.join(', ')}`}.`
                : `Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and re-run.`,
        `Reproduce locally from ${external_node_path_default().relative(process.cwd(), options.envPy).replace(/\/?[^/]*\/env\.py$/, '') || '.'}: \`DATABASE_URL=<url> python -m alembic upgrade head\``
    ];
    if (committed.length > 0) {
        recovery.push(nonTransactional
            ? 'Revisions applied before the failure stay applied: Alembic\'s log says "Will assume non-transactional DDL", so each statement committed as it ran; the next run starts after them.'
            : 'Revisions applied before the failure stay applied (each committed on its own: transaction_per_migration); the next run starts after them.');
    }
    // A toolchain mismatch is fixed by upgrading the toolchain, not by stamping the revision.
    recovery.push(...stampCommands(advice ? undefined : failedId, before, committed));
    const envFrame = failedRevision ? undefined : [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, options.envPy));
    const exception = error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`;
    // A Python-level error (no statement reached the server) often depends on the toolchain: name it.
    const toolchain = error && !error.statement && proc.versions ? ` (Python ${proc.versions.python}, Alembic ${proc.versions.alembic}, SQLAlchemy ${proc.versions.sqlalchemy})` : '';
    const failure = {
        // The interface needs a revision: when env.py failed first, name the one that was about to run.
        revision: failedId ?? pending[0].id,
        file: failedRevision?.file ?? external_node_path_default().relative(process.cwd(), options.envPy),
        line: failedRevision ? (failedLine ?? failedRevision.line) : envFrame?.line,
        statement: error?.statement ? (0,redact/* redact */.E$)(error.statement) : undefined,
        message: (0,redact/* redact */.E$)((failedRevision ? exception : `Alembic failed before running ${pending[0].id}: ${exception}`) + toolchain),
        detail: error?.detail ? (0,redact/* redact */.E$)(error.detail) : undefined,
        serverHint: error?.hint ? (0,redact/* redact */.E$)(error.hint) : undefined,
        databaseState,
        recovery,
        log: proc.log
    };
    return { runs, failure, current: after };
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
    for (const frame of [...(error?.frames ?? [])].reverse()) {
        for (const [id, source] of sources)
            if (samePath(frame.file, source.absolutePath))
                return id;
    }
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
/** A few revisions by name; a long run (a 60-revision chain) by count and its ends, to keep the summary's state line one line. */
function idList(ids) {
    return ids.length <= 3 ? ids.join(', ') : `${ids.length} revisions, ${ids[0]} … ${ids[ids.length - 1]}`;
}

// EXTERNAL MODULE: ./src/sql/secrets.ts
var secrets = __webpack_require__(7985);
;// CONCATENATED MODULE: ./src/engines/alembic/offline-sql.ts




/** Registers the password literals in Alembic's offline SQL as secrets, before any of it is shown. */
async function registerOfflineSqlSecrets(output) {
    (0,secrets/* registerSqlSecrets */.R)(await (0,parse/* loadSqlParser */.Ok)(), output);
}
const FRAMING = /^(BEGIN|COMMIT);$/;
function splitOfflineSql(output) {
    const lines = output.split(/\r?\n/);
    let preamble = [];
    const chunks = [];
    for (const line of lines) {
        const progress = line.startsWith('-- Running upgrade') ? parseProgressLine(line) : undefined;
        if (progress) {
            chunks.push({ revision: progress.to, lines: [] });
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
function readOfflineRun(proc, sources, envPy) {
    const split = splitOfflineSql(proc.stdout);
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
function offlinePending(pending, run, sources, versionTableExists) {
    const chunks = new Map(run.chunks.map((c) => [c.revision, c]));
    const stop = run.stopped;
    const stopIndex = stop?.revision ? pending.findIndex((r) => r.id === stop.revision) : stop ? 0 : -1;
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
        else if (stop && stopIndex >= 0 && i > stopIndex) {
            notes.push(`no SQL: offline generation stopped earlier, at ${stop.revision ?? 'env.py'}`);
        }
        else if (!chunk) {
            notes.push(`Alembic's offline output has no section for ${revision.id}`);
        }
        const transactional = !autocommit && !chunk?.leavesTransaction;
        if (!transactional)
            notes.push('runs partly outside the migration transaction (autocommit_block)');
        return { revision, sql: chunk?.sql, transactional, notes };
    });
}

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

// EXTERNAL MODULE: ./src/engines/alembic/revision-file.ts
var revision_file = __webpack_require__(8053);
;// CONCATENATED MODULE: ./src/engines/alembic/project.ts






// Alembic's own filter (script/base.py `_only_source_rev_file`): Emacs lock files and __init__ are not revisions.
const REVISION_FILE = /^(?!\.#|__init__).*\.py$/;
async function loadProject(migrationsPath) {
    const ini = await readAlembicIni(external_node_path_default().join(migrationsPath, 'alembic.ini'));
    const cwdRelative = (p) => external_node_path_default().relative(process.cwd(), p) || '.';
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
        if (entry.isFile() && REVISION_FILE.test(name))
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

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
;// CONCATENATED MODULE: ./src/engines/alembic/run.ts




const MARKER = 'PGMA-VERSIONS ';
/** Printed when Alembic's command returns or raises: the end of the last revision, without the interpreter's shutdown. */
const FINISHED_MARKER = 'PGMA-FINISHED';
/** The launcher's exit code when Alembic or SQLAlchemy does not import: Alembic's own are 0, 1 (an exception), 2 (usage) and 255 (CommandError). */
const NOT_INSTALLED_EXIT = 97;
/**
 * The start of every launcher: one interpreter start both reports the versions (and whether Alembic
 * imports at all) and runs the command, instead of a separate probe costing a Python start and an
 * Alembic import of its own. The marker goes to stderr because stdout carries the offline `--sql` output.
 */
function launcherPrelude(imports) {
    return [
        'import json, sys',
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
        throw new errors/* ActionError */.lZ('python-not-found', `The Python interpreter '${python}' did not run (exit code ${exitCode}).`, {
            location: { input: 'python' },
            hint: 'Set the `python` input to a working Python 3 interpreter.',
            details: log ? [log] : []
        });
    }
    if (marker.error || !marker.alembic || !marker.sqlalchemy) {
        throw new errors/* ActionError */.lZ('alembic-not-installed', `Alembic is not importable by '${python}' (Python ${marker.python ?? '?'}): ${marker.error ?? 'unknown error'}.`, {
            location: { input: 'python' },
            hint: 'Install Alembic and your database driver for that interpreter before this step (e.g. `pip install alembic psycopg2-binary`), ' +
                'point the `python` input at an interpreter that has them, or set `alembic-requirements` to a requirements file the action installs into a cached virtual environment.'
        });
    }
    return { python: marker.python ?? '?', alembic: marker.alembic, sqlalchemy: marker.sqlalchemy };
}
/** The error for an interpreter that cannot be started at all. */
function pythonNotStarted(python, error) {
    return new errors/* ActionError */.lZ('python-not-found', `Cannot run the Python interpreter '${python}': ${(0,redact/* redact */.E$)((0,errors/* errorMessage */.gJ)(error))}`, {
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
        return (0,redact/* redact */.E$)(this.lines.join('\n'));
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
            env: { ...options.env, PYTHONUNBUFFERED: '1' },
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
 * the database. Starting Python and importing Alembic and SQLAlchemy once instead of twice is most
 * of what the engine added over a plain `alembic upgrade head`.
 */
/**
 * Ends each of the two runs on both streams, stderr's with the run's exit code: each stream is read
 * on its own, so a run is over when both markers have arrived. The upgrade's ends before the
 * interpreter shuts down, which the action need not wait for.
 */
const END_MARKER = 'PGMA-END';
/** The interpreter's answer to `go`, before it touches the database: without it, nothing was applied. */
const GO_MARKER = 'PGMA-GO';
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
    'import os, traceback, warnings',
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
    'def upgrade(revision, sql):',
    '    if not scripts:',
    '        scripts.append(ScriptDirectory.from_config(config))',
    '    script = scripts[0]',
    '    starting_rev = None',
    '    if ":" in revision:',
    '        starting_rev, revision = revision.split(":", 2)',
    '    def steps(rev, context):',
    '        return script._upgrade_revs(revision, rev)',
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
    'if sys.stdin.readline().strip() != "go":',
    '    sys.exit(0)',
    `sys.stderr.write(${JSON.stringify(GO_MARKER + '\n')})`,
    'sys.stderr.flush()',
    'config.cmd_opts = cli.parser.parse_args(["upgrade", "head"])',
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
    versions;
    exit;
    verdictGiven = false;
    closed;
    constructor(child, options) {
        this.child = child;
        this.options = options;
        // A verdict written to an interpreter that already died is reported by the exit, not as an EPIPE.
        child.stdin.on('error', () => undefined);
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
            env: { ...options.env, PYTHONUNBUFFERED: '1' },
            stdio: ['pipe', 'pipe', 'pipe']
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
        return { session, offline: { ...record, versions: session.versions } };
    }
    /** `alembic upgrade head` in the waiting interpreter, its lines echoed to `log`. */
    async upgrade(log) {
        const waiting = this.run;
        if (this.exit || this.verdictGiven) {
            await this.closed;
            throw this.lost(waiting);
        }
        this.verdictGiven = true;
        const upgrade = (this.run = new Run(log));
        this.holdOpen(true);
        this.child.stdin.end('go\n');
        await upgrade.ended;
        if (!upgrade.started)
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
    onStderr(line) {
        // Only the first: a later line of the same shape comes from env.py or a revision, not from us.
        if (!this.marker && (this.marker = parseVersionsMarker(line))) {
            if (this.marker.python && this.marker.alembic && this.marker.sqlalchemy && !this.marker.error) {
                this.options.onVersions?.({ python: this.marker.python, alembic: this.marker.alembic, sqlalchemy: this.marker.sqlalchemy });
            }
            return;
        }
        this.run.err(line);
    }
    /** While it waits for a verdict the interpreter must not keep the action alive: an action that ends closes its stdin, which means stop. */
    holdOpen(hold) {
        for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
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
    let requirements;
    try {
        requirements = await (0,promises_.readFile)(requirementsFile, 'utf8');
    }
    catch (error) {
        throw new errors/* ActionError */.lZ('alembic-requirements-missing', `Cannot read alembic-requirements '${options.requirementsPath}': ${(0,errors/* errorMessage */.gJ)(error)}`, {
            location: { input: 'alembic-requirements' },
            hint: 'Give a pip requirements file path relative to the repository root, e.g. requirements/migrations.txt.'
        });
    }
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
        const cache = await __webpack_require__.e(/* import() */ 509).then(__webpack_require__.bind(__webpack_require__, 8509));
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
    const prepareRuntime = async (table, log, notes) => {
        const baseEnv = options.env ?? process.env;
        let python = settings.python;
        if (settings.alembicRequirements) {
            const venv = await prepareVenv({ python, requirementsPath: settings.alembicRequirements, env: baseEnv, log });
            python = venv.python;
            notes.push(venv.note);
            log.info(venv.note);
        }
        const env = {
            ...baseEnv,
            // Rebuilt from the one parse of the input, so SQLAlchemy reads the same credentials as the action.
            DATABASE_URL: settings.databaseUrl.forSqlAlchemy,
            // libpq drivers (psycopg2, psycopg 3) apply these to Alembic's own session, so the
            // lock-timeout and statement-timeout inputs hold there too; a PGOPTIONS the user set comes later and wins.
            PGOPTIONS: [`-c lock_timeout=${settings.lockTimeout}`, `-c statement_timeout=${settings.statementTimeout}`, baseEnv.PGOPTIONS].filter(Boolean).join(' '),
            PGAPPNAME: baseEnv.PGAPPNAME ?? 'pg-migrate-action (alembic)',
            // Not read by Alembic: for env.py files that want to follow the action's version table setting.
            PGMA_ALEMBIC_VERSION_TABLE: table.table,
            PGMA_ALEMBIC_VERSION_TABLE_SCHEMA: table.schema ?? ''
        };
        return { python, env };
    };
    /** One `alembic <args>` step of verify-downgrade, through the same launcher and environment as apply. */
    const alembicStep = async (ctx, chain, args) => {
        const notes = [];
        const runtime = await prepareRuntime(chain.data.table, ctx.log, notes);
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
        return { status: 'failed', message: `alembic ${args.join(' ')} failed: ${(0,redact/* redact */.E$)(extractError(proc.stderr + '\n' + proc.stdout)?.summary ?? `exit code ${proc.exitCode}`)}` };
    };
    return {
        name: 'alembic',
        async loadChain() {
            const project = await loadProject(settings.migrationsPath);
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
            const runtime = await prepareRuntime(table, ctx.log, notes);
            const known = state.current.filter((id) => sources.has(id));
            // Offline ranges take one start; with several branch heads the output also covers revisions
            // already applied on the other branches, which the split below leaves out.
            const target = known.length > 0 ? `${known[0]}:head` : 'head';
            // The SQL parser (WASM) loads while the interpreter starts: the secret scan and lint need it next.
            void (0,parse/* loadSqlParser */.Ok)().catch(() => undefined);
            const { session, offline } = await AlembicSession.start({
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
                const revisions = offlinePending(pending, run, sources, state.versionTableExists).map((p) => ({ ...p, notes: p.notes.map(redact/* redact */.E$) }));
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
                table
            });
            // What planning learned (the versions, a prepared venv) is what this run applied with.
            return { ...result, notes: plan.notes };
        },
        async repair(ctx, chain, revision, request) {
            const notes = [];
            const runtime = await prepareRuntime(chain.data.table, ctx.log, notes);
            return repairAlembic(ctx, chain, revision, request, {
                python: runtime.python,
                cwd: chain.data.project.ini.dir,
                env: runtime.env,
                table: chain.data.table,
                onVersions: noteVersions(notes, ctx.log, runtime.python)
            });
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
        }
    };
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


/***/ })

};
