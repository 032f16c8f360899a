export const id = 154;
export const ids = [154];
export const modules = {

/***/ 5699:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JA: () => (/* binding */ DEBIAN_INSTALL_ROOT),
/* harmony export */   gf: () => (/* binding */ childEnv),
/* harmony export */   vd: () => (/* binding */ findPgDump),
/* harmony export */   yO: () => (/* binding */ connectionArgs)
/* harmony export */ });
/* unused harmony exports installStep, parseClientVersion, candidatePaths, chooseClient */
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7187);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _database_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7358);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3916);





/** Where Debian and Ubuntu install one directory per client major version. */
const DEBIAN_INSTALL_ROOT = '/usr/lib/postgresql';
/** The install step for GitHub's Ubuntu runners, as the error and the README give it. */
function installStep(major) {
    return [
        'sudo apt-get install -y postgresql-common',
        'sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y',
        `sudo apt-get install -y postgresql-client-${major}`
    ].join(' && ');
}
/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)` → 15 and 15.8. */
function parseClientVersion(output) {
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
    if (!match)
        return undefined;
    return { major: Number(match[1]), version: match[2] === undefined ? match[1] : `${match[1]}.${match[2]}` };
}
/** Every pg_dump on the PATH and under the Debian install root, each path once, PATH first. */
function candidatePaths(env, installRoot = DEBIAN_INSTALL_ROOT) {
    const onPath = (env.PATH ?? '')
        .split((node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter))
        .filter(Boolean)
        .map((dir) => node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, 'pg_dump'));
    const installed = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(installRoot) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(installRoot).map((major) => node_path__WEBPACK_IMPORTED_MODULE_2___default().join(installRoot, major, 'bin', 'pg_dump')) : [];
    // One entry per file: /bin is a link to /usr/bin on merged-/usr systems (Debian 12, Ubuntu).
    const byFile = new Map();
    for (const candidate of [...onPath, ...installed].filter(isExecutable)) {
        const file = realPathOrSelf(candidate);
        if (!byFile.has(file))
            byFile.set(file, candidate);
    }
    return [...byFile.values()];
}
function realPathOrSelf(file) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(file);
    }
    catch {
        return file;
    }
}
function isExecutable(file) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.accessSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
async function clientVersion(pgDump) {
    try {
        const { stdout, exitCode } = await _actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H(pgDump, ['--version'], { silent: true, ignoreReturnCode: true });
        return exitCode === 0 ? parseClientVersion(stdout) : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * The newest pg_dump found whose major version is at least the server's, with the pg_restore next
 * to it. Throws `backup-client-missing` (with the install step) when there is none.
 */
async function findPgDump(serverMajor, env, installRoot = DEBIAN_INSTALL_ROOT) {
    const found = [];
    for (const pgDump of candidatePaths(env, installRoot)) {
        const version = await clientVersion(pgDump);
        const pgRestore = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(pgDump), 'pg_restore');
        if (version && isExecutable(pgRestore))
            found.push({ pgDump, pgRestore, ...version });
    }
    return chooseClient(found, serverMajor);
}
function chooseClient(found, serverMajor) {
    const newest = [...found].sort((a, b) => b.major - a.major)[0];
    if (newest && newest.major >= serverMajor)
        return newest;
    const seen = found.length === 0 ? 'no pg_dump with a pg_restore next to it was found' : `found only ${found.map((c) => `${c.pgDump} (${c.version})`).join(', ')}`;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .lZ('backup-client-missing', `backup needs pg_dump ${serverMajor} or newer for this PostgreSQL ${serverMajor} server, but ${seen} (PATH and ${DEBIAN_INSTALL_ROOT}/*/bin). Nothing was applied.`, {
        location: { input: 'backup' },
        hint: `Install the PostgreSQL ${serverMajor} client in a step before this one; on GitHub's Ubuntu runners: ${installStep(serverMajor)}`
    });
}
/**
 * Non-secret settings go on the command line, where the summary can show them; the password only
 * into the child's environment (readable by the runner's user alone, and gone with the process).
 * @actions/exec never prints the environment.
 */
function childEnv(base, url) {
    const env = {};
    for (const [name, value] of Object.entries(base))
        if (value !== undefined)
            env[name] = value;
    if (url.password !== undefined)
        env.PGPASSWORD = url.password;
    const sslmode = libpqSslMode(url.tls);
    if (sslmode)
        env.PGSSLMODE = sslmode;
    return env;
}
/** The URL's TLS setting as libpq's sslmode: node-pg's `ssl=true` and `sslmode=no-verify` mean encrypt without verifying. */
function libpqSslMode(tls) {
    if (!tls)
        return undefined;
    const [name, value] = tls.split('=');
    if (name === 'sslmode')
        return value === 'no-verify' ? 'require' : value;
    return ['true', '1', 'require'].includes(value) ? 'require' : ['false', '0'].includes(value) ? 'disable' : undefined;
}
function connectionArgs(url) {
    return [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`, `--dbname=${(0,_database_url_js__WEBPACK_IMPORTED_MODULE_3__/* .libpqDbname */ .Gj)(url.database)}`];
}


/***/ }),

/***/ 3154:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  appliedSchemaChange: () => (/* binding */ appliedSchemaChange),
  describeSchemaChangeStage: () => (/* binding */ describeSchemaChangeStage),
  pendingSchemaChange: () => (/* binding */ pendingSchemaChange)
});

// UNUSED EXPORTS: MATCHING_REPLAY

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/verify/diff.ts
var diff = __webpack_require__(4930);
// EXTERNAL MODULE: ./src/verify/snapshot.ts
var snapshot = __webpack_require__(6985);
// EXTERNAL MODULE: ./src/scratch/cluster-wide.ts
var cluster_wide = __webpack_require__(1702);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/backup/client.ts
var backup_client = __webpack_require__(5699);
// EXTERNAL MODULE: ./src/connection.ts + 1 modules
var connection = __webpack_require__(5403);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
;// CONCATENATED MODULE: ./src/scratch/copy.ts





/**
 * A copy of the target's schema in a scratch database: `pg_dump --schema-only` piped into
 * `pg_restore`, nothing on disk (a schema can hold secrets in function bodies), and the rows of
 * the history or version table, so the engine sees the same applied migrations. The target is
 * only read: pg_dump takes ACCESS SHARE locks, which block nothing but DDL.
 */
/** Why the copy could not be made: the schema change falls back to a replay of the applied migrations. */
class CopyFailed extends Error {
}
/** Options the copy needs or must not have: no owners or grants (other roles), no subscriptions (they would connect), no comments. */
const DUMP_OPTIONS = ['--schema-only', '--format=custom', '--no-password', '--no-comments', '--no-publications', '--no-subscriptions', '--no-security-labels', '--no-tablespaces'];
const RESTORE_OPTIONS = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password'];
async function copySchema({ target, scratch, serverVersionNum, env, log }) {
    let client;
    try {
        client = await (0,backup_client/* findPgDump */.vd)(Math.floor(serverVersionNum / 10_000), env);
    }
    catch (error) {
        throw new CopyFailed((0,errors/* errorMessage */.gJ)(error)
            .replace(/^backup needs/, 'the copy needs')
            .replace(/\.? Nothing was applied\.$/, ''));
    }
    log.info(`Copying the schema of ${target.database} into ${scratch.database} with ${client.pgDump} (${client.version}) and pg_restore`);
    const dump = (0,external_node_child_process_.spawn)(client.pgDump, [...DUMP_OPTIONS, ...(0,backup_client/* connectionArgs */.yO)(target)], { env: (0,backup_client/* childEnv */.gf)(env, target), stdio: ['ignore', 'pipe', 'pipe'] });
    const restore = (0,external_node_child_process_.spawn)(client.pgRestore, [...RESTORE_OPTIONS, ...(0,backup_client/* connectionArgs */.yO)(scratch)], { env: (0,backup_client/* childEnv */.gf)(env, scratch), stdio: ['pipe', 'ignore', 'pipe'] });
    // A restore that exits early closes its end of the pipe; the dump then fails on its own, with its own message.
    restore.stdin.on('error', () => undefined);
    dump.stdout.pipe(restore.stdin);
    const [dumped, restored] = await Promise.all([finished(dump), finished(restore)]);
    if (dumped.code !== 0)
        throw new CopyFailed(`pg_dump of the target failed (exit code ${dumped.code}): ${firstLine(dumped.stderr)}`);
    if (restored.code !== 0)
        throw new CopyFailed(`pg_restore into the scratch database failed (exit code ${restored.code}): ${firstLine(restored.stderr)}`);
}
function finished(child) {
    let stderr = '';
    child.stderr?.on('data', (data) => void (stderr += data.toString('utf8')));
    return new Promise((resolve) => {
        child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
        child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
}
function firstLine(stderr) {
    const line = stderr
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /error|fatal/i.test(l));
    return (0,redact/* redact */.E$)(line ?? (stderr.trim().split('\n')[0] || 'no output'));
}
/**
 * The bookkeeping table's rows, as JSON, so any column types round-trip; nothing when the target
 * has no such table yet (nothing applied).
 */
async function copyRows(target, scratch, table) {
    const name = (0,connection/* quoteQualified */.$s)(table.schema || 'public', table.table);
    const exists = await target.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name]);
    if (!exists.rows[0].exists)
        return 0;
    const { rows } = await target.query(`SELECT coalesce(json_agg(t), '[]'::json) AS rows FROM ${name} t`);
    await scratch.query(`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [JSON.stringify(rows[0].rows)]);
    return rows[0].rows.length;
}

// EXTERNAL MODULE: ./src/scratch/database.ts + 1 modules
var database = __webpack_require__(3589);
// EXTERNAL MODULE: ./src/scratch/replay.ts
var replay = __webpack_require__(2923);
;// CONCATENATED MODULE: ./src/scratch/schema-change.ts








/** Why a replay the drift check found identical to the database stands for a copy of it. */
const MATCHING_REPLAY = 'the drift check found it identical to the database’s schema';
async function pendingSchemaChange(input) {
    const { replay: kept, pending } = input;
    const revisions = pending.map((r) => r.id);
    try {
        if (kept) {
            try {
                await (0,cluster_wide/* refuseClusterWideChanges */.V)(pending, input.ctx.settings);
                return await changeOn(input, kept, 'replay', MATCHING_REPLAY);
            }
            finally {
                await kept.dispose();
            }
        }
        await (0,cluster_wide/* refuseClusterWideChanges */.V)(pending, input.ctx.settings);
        return await onCopy(input);
    }
    catch (error) {
        if (error instanceof database/* ScratchUnavailable */.fP)
            return { status: 'skipped', reason: error.message, revisions, changes: [] };
        if (error instanceof replay/* ReplayFailed */.Bv)
            return { status: 'failed', reason: error.message, revisions, changes: [] };
        throw error;
    }
}
/** A scratch database with a copy of the target's schema (pg_dump), or else a replay of its applied migrations. */
async function onCopy(input) {
    const { engine, ctx, chain, state, serverVersionNum, env } = input;
    const settings = ctx.settings;
    const request = { settings, target: ctx.client, log: ctx.log };
    const opened = await (0,database/* openScratchDatabase */.Gs)(request);
    let copied = true;
    let reason;
    try {
        await copySchema({ target: settings.databaseUrl, scratch: opened.scratch.url, serverVersionNum, env, log: ctx.log });
        await copyBookkeeping(ctx.client, opened.scratch.client, chain);
    }
    catch (error) {
        await opened.dispose();
        if (!(error instanceof CopyFailed))
            throw error;
        ctx.log.info(`No copy of the target's schema (${error.message}); replaying its applied migrations instead.`);
        copied = false;
        reason = `no copy of the target's schema: ${error.message}`;
    }
    if (copied) {
        const session = await (0,replay/* scratchSession */.fO)(settings, opened.scratch, ctx.log).catch(async (error) => {
            await opened.dispose();
            throw error;
        });
        const kept = { scratch: opened.scratch, ctx: session.ctx, dispose: () => session.release().then(opened.dispose) };
        try {
            return await changeOn(input, kept, 'copy');
        }
        finally {
            await kept.dispose();
        }
    }
    const byId = new Map(chain.revisions.map((r) => [r.id, r]));
    const applied = state.applied.map((a) => byId.get(a.id)).filter((r) => r !== undefined);
    const replayed = await (0,replay/* replayOnScratch */.HU)(request, engine, chain, applied, `Replaying ${(0,markdown/* plural */.LS)(applied.length, 'applied migration')}`);
    try {
        return await changeOn(input, replayed, 'replay', reason);
    }
    finally {
        await replayed.dispose();
    }
}
/** Runs the pending migrations on the scratch database and compares its catalogs before and after. */
async function changeOn(input, on, basis, reason) {
    const { engine, chain, pending } = input;
    const exclude = (0,snapshot/* bookkeepingTables */.w_)(chain);
    const before = await (0,snapshot/* takeSnapshot */.W9)(on.scratch.client, { exclude });
    await (0,replay/* replay */.eZ)(engine, on.ctx, chain, pending, `Applying ${(0,markdown/* plural */.LS)(pending.length, 'pending migration')}`);
    const changes = (0,diff/* diffSnapshots */.V1)(before, await (0,snapshot/* takeSnapshot */.W9)(on.scratch.client, { exclude }));
    return { status: 'computed', basis, revisions: pending.map((r) => r.id), changes, reason, scratch: { name: on.scratch.name, kind: on.scratch.kind } };
}
/** The history or version table's rows: the engine on the copy must see what the target has applied. */
async function copyBookkeeping(target, scratch, chain) {
    for (const table of (0,snapshot/* bookkeepingTables */.w_)(chain)) {
        try {
            await copyRows(target, scratch, table);
        }
        catch (error) {
            throw new replay/* ReplayFailed */.Bv(`copying the rows of ${table.schema}.${table.table} into the scratch database failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
}
/** migrate: what this run changed in the target. */
async function appliedSchemaChange(ctx, chain, before, applied) {
    let after;
    try {
        after = await (0,snapshot/* takeSnapshot */.W9)(ctx.client, { exclude: (0,snapshot/* bookkeepingTables */.w_)(chain) });
    }
    catch (error) {
        // The migrations are applied: a connection lost on the way (a server restart) costs the report this section, not the run.
        return { status: 'failed', basis: 'target', revisions: applied, changes: [], reason: `the database's catalogs could not be read after apply: ${(0,errors/* errorMessage */.gJ)(error)}` };
    }
    return { status: 'computed', basis: 'target', revisions: applied, changes: (0,diff/* diffSnapshots */.V1)(before, after) };
}
function describeSchemaChangeStage(result) {
    if (result.status === 'skipped')
        return { status: 'skipped', summary: result.reason ?? 'skipped' };
    if (result.status === 'failed')
        return { status: 'warning', summary: `not computed: ${result.reason}` };
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const c of result.changes)
        counts[c.change]++;
    const where = result.basis === 'copy' ? 'on a copy of the target' : result.basis === 'replay' ? 'on a replay of the applied migrations' : 'in the target';
    const what = result.changes.length === 0 ? 'no schema change' : `${counts.added} added, ${counts.removed} dropped, ${counts.changed} altered`;
    return { status: 'ok', summary: `${what} (${(0,markdown/* plural */.LS)(result.revisions.length, 'migration')}, ${where})` };
}


/***/ })

};
