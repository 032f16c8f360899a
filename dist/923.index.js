export const id = 923;
export const ids = [923,20];
export const modules = {

/***/ 7020:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ restorePlan),
/* harmony export */   readDatabaseLocale: () => (/* binding */ readDatabaseLocale)
/* harmony export */ });
/* unused harmony export shellQuote */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _connection_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5403);
/* harmony import */ var _database_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7358);




async function readDatabaseLocale(client) {
    // to_jsonb: datlocprovider appeared in 15, daticulocale became datlocale in 17.
    const { rows } = await client.query(`SELECT pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
            coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') AS provider, coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS locale
       FROM pg_database d WHERE d.datname = current_database()`);
    return rows[0];
}
/** template1 takes the rename: a session cannot rename the database it is connected to, which may well be `postgres`. */
const MAINTENANCE_DATABASE = 'template1';
function restorePlan(tools, url, file, locale, takenAt) {
    const stamp = takenAt.toISOString().replace(/\D/g, '').slice(0, 14);
    const restoredName = databaseName(url.database, `_restored_${stamp}`);
    const replacedName = databaseName(url.database, `_replaced_${stamp}`);
    const connection = [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`];
    const steps = [
        [sibling(tools, 'createdb'), ...connection, `--maintenance-db=${MAINTENANCE_DATABASE}`, '--template=template0', ...localeArgs(locale), restoredName],
        [tools.pgRestore, '--no-owner', '--single-transaction', '--exit-on-error', ...connection, `--dbname=${(0,_database_url_js__WEBPACK_IMPORTED_MODULE_3__/* .libpqDbname */ .Gj)(restoredName)}`, file],
        [
            sibling(tools, 'psql'),
            '--no-psqlrc',
            '--single-transaction',
            '--set=ON_ERROR_STOP=1',
            ...connection,
            `--dbname=${MAINTENANCE_DATABASE}`,
            `--command=ALTER DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdent */ .v4)(url.database)} RENAME TO ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdent */ .v4)(replacedName)}`,
            `--command=ALTER DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdent */ .v4)(restoredName)} RENAME TO ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdent */ .v4)(url.database)}`
        ]
    ];
    return { command: steps.map((words) => words.map(shellQuote).join(' ')).join(' \\\n  && '), restoredName, replacedName };
}
function localeArgs(locale) {
    if (!locale)
        return [];
    const args = [`--encoding=${locale.encoding}`, `--lc-collate=${locale.collate}`, `--lc-ctype=${locale.ctype}`];
    if (locale.provider === 'i' && locale.locale)
        args.push('--locale-provider=icu', `--icu-locale=${locale.locale}`);
    if (locale.provider === 'b' && locale.locale)
        args.push('--locale-provider=builtin', `--builtin-locale=${locale.locale}`);
    return args;
}
/** The name plus a suffix, within PostgreSQL's 63 bytes for identifiers (longer names would be cut by the server, not by us). */
function databaseName(base, suffix) {
    let name = base;
    while (Buffer.byteLength(name + suffix) > 63)
        name = [...name].slice(0, -1).join('');
    return name + suffix;
}
/** The client tools of the pg_restore's installation, or the ones on PATH when it has none. */
function sibling(tools, tool) {
    const file = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(tools.pgRestore), tool);
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
        return file;
    }
    catch {
        return tool;
    }
}
function shellQuote(word) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}


/***/ }),

/***/ 1702:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ refuseClusterWideChanges)
/* harmony export */ });
/* unused harmony export findClusterWideChange */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _database_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3589);


/**
 * A scratch database shares its server with the target, and some objects belong to the server, not
 * to a database: roles and their memberships, tablespaces, databases, server settings,
 * subscriptions (which also reach out to their publisher). A migration that changes one of them,
 * run on a scratch database, changes it for real: a planned CREATE ROLE would create the role (with
 * its password) before anyone approved the plan, and the real run would then fail with "already
 * exists". Such migrations are not run on a scratch database of the target's server at all; the
 * text of the migration file is read, comments and strings included, since a DO block or an Alembic
 * op.execute hides the statement from any parser, and a false alarm only costs the scratch run.
 */
const CLUSTER_WIDE = [
    { pattern: /\b(?:CREATE|ALTER|DROP)\s+(?:ROLE|GROUP)\b/i, what: 'a role' },
    { pattern: /\b(?:CREATE|ALTER|DROP)\s+USER\b(?!\s+MAPPING)/i, what: 'a role' },
    { pattern: /(?:^|[;'"(]\s*)(?:GRANT|REVOKE)\b(?:(?!\bON\b)[^;]){0,200}?\b(?:TO|FROM)\b/im, what: 'a role membership' },
    { pattern: /\bREASSIGN\s+OWNED\b/i, what: 'object ownership across databases' },
    { pattern: /\b(?:CREATE|ALTER|DROP)\s+TABLESPACE\b/i, what: 'a tablespace' },
    { pattern: /\b(?:CREATE|ALTER|DROP)\s+DATABASE\b/i, what: 'a database' },
    { pattern: /\bALTER\s+SYSTEM\b/i, what: 'the server configuration' },
    { pattern: /\b(?:CREATE|ALTER|DROP)\s+SUBSCRIPTION\b/i, what: 'a subscription' },
    { pattern: /\b(?:COMMENT|SECURITY\s+LABEL)\s+ON\s+(?:ROLE|DATABASE|TABLESPACE)\b/i, what: 'a server-wide object' }
];
/** The first statement of `revisions` that changes something every database of the server shares. */
async function findClusterWideChange(revisions) {
    for (const revision of revisions) {
        const source = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(revision.file, 'utf8').catch(() => undefined);
        if (source === undefined)
            continue;
        for (const { pattern, what } of CLUSTER_WIDE) {
            const match = pattern.exec(source);
            if (!match)
                continue;
            // The GRANT pattern may start at the `;` or quote before it.
            const index = match.index + match[0].search(/[A-Za-z]/);
            const words = source
                .slice(index)
                .match(/^\S+\s+\S+/)?.[0]
                .replace(/\s+/g, ' ') ?? match[0].trim();
            return { file: revision.file, line: source.slice(0, index).split('\n').length, text: words, what };
        }
    }
    return undefined;
}
/** Whether the scratch database is on another server than the target, so server-wide changes stay there. */
function scratchOnAnotherServer(settings) {
    const shadow = settings.shadowDatabaseUrl;
    return shadow !== undefined && (shadow.host !== settings.databaseUrl.host || shadow.port !== settings.databaseUrl.port);
}
/**
 * Throws ScratchUnavailable (the check is skipped, with this reason) when `revisions` change a
 * server-wide object and the scratch database would be on the target's server.
 */
async function refuseClusterWideChanges(revisions, settings) {
    if (scratchOnAnotherServer(settings))
        return;
    const change = await findClusterWideChange(revisions);
    if (!change)
        return;
    throw new _database_js__WEBPACK_IMPORTED_MODULE_1__/* .ScratchUnavailable */ .fP(`${change.file}:${change.line} changes ${change.what} (${change.text}), which belongs to the whole server: run on a scratch database of the target's server it would change it for real. Give shadow-database-url a database on another server to compute this`);
}


/***/ }),

/***/ 3589:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fP: () => (/* binding */ ScratchUnavailable),
  Gs: () => (/* binding */ openScratchDatabase)
});

// UNUSED EXPORTS: SCRATCH_PREFIX, SHADOW_LOCK_KEY, STALE_AFTER_MS, removeStaleScratchDatabases, scratchCreatedAt, scratchName, withScratchDatabase

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: ./src/backup/restore.ts
var restore = __webpack_require__(7020);
// EXTERNAL MODULE: ./src/connection.ts + 1 modules
var connection = __webpack_require__(5403);
// EXTERNAL MODULE: ./src/database-url.ts
var database_url = __webpack_require__(7358);
// EXTERNAL MODULE: ./src/echo.ts
var echo = __webpack_require__(5530);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/verify/snapshot.ts
var snapshot = __webpack_require__(6985);
;// CONCATENATED MODULE: ./src/scratch/shadow.ts

/**
 * Emptying the shadow database: everything the migrations can create goes, in one transaction;
 * the extensions of the `extensions` input stay (an administrator may have installed them for a
 * role that cannot), and with them the schemas they live in. What is left is checked with the
 * same snapshot the comparisons use, so a kind of object this does not drop is reported, not
 * replayed over.
 */
/** Each query yields the DROP statements for one kind of object; CASCADE and IF EXISTS, as an earlier drop may have taken it. */
const DROPS = (keep) => [
    `SELECT format('DROP EVENT TRIGGER IF EXISTS %I CASCADE', e.evtname) FROM pg_event_trigger e WHERE ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_event_trigger', 'e.oid')}`,
    `SELECT format('DROP PUBLICATION IF EXISTS %I', p.pubname) FROM pg_publication p`,
    `SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e WHERE e.extname <> 'plpgsql' AND NOT e.extname = ANY (${keep})`,
    `SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) FROM pg_namespace n
    WHERE ${snapshot/* SYSTEM_SCHEMAS */.X4} AND n.nspname <> 'public' AND ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_namespace', 'n.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_extension e WHERE e.extnamespace = n.oid)`,
    `SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${snapshot/* SYSTEM_SCHEMAS */.X4} AND ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_class', 'c.oid')}`,
    `SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
    WHERE t.typtype IN ('e', 'd', 'r', 'm', 'c') AND (t.typrelid = 0 OR c.relkind = 'c') AND ${snapshot/* SYSTEM_SCHEMAS */.X4} AND ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_type', 't.oid')}`,
    `SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind <> 'a' AND ${snapshot/* SYSTEM_SCHEMAS */.X4} AND ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_proc', 'p.oid')}`,
    `SELECT format('DROP AGGREGATE IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind = 'a' AND ${snapshot/* SYSTEM_SCHEMAS */.X4} AND ${(0,snapshot/* NOT_FROM_EXTENSION */.hg)('pg_proc', 'p.oid')}`
];
/** Returns the snapshot keys of what is still there and should not be: empty when the database is empty. */
async function emptyShadowDatabase(client, keepExtensions) {
    await client.query('BEGIN');
    try {
        for (const query of DROPS('$1::text[]')) {
            const { rows } = await client.query(query, query.includes('$1') ? [keepExtensions] : []);
            for (const { format } of rows)
                await client.query(format);
        }
        await client.query('COMMIT');
    }
    catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
    }
    return [...(await (0,snapshot/* takeSnapshot */.W9)(client, { exclude: [] })).keys()].filter((key) => !/^(extension|schema) /.test(key));
}

;// CONCATENATED MODULE: ./src/scratch/database.ts









/**
 * Scratch databases, where the schema change and the drift check run migrations instead of the
 * target. Created on the target's server (or the shadow database of shadow-database-url is used)
 * and dropped after use, also when the run fails. A run killed outright (kill -9, a job cancelled
 * past its grace period) cannot drop its own: the name says when it was made, and every later run
 * that creates one first removes those older than an hour.
 */
const SCRATCH_PREFIX = 'pg_migrate_scratch_';
/** Older than this, a scratch database belongs to no running run: none takes that long to replay a chain. */
const STALE_AFTER_MS = 60 * 60 * 1000;
const SCRATCH_NAME = /^pg_migrate_scratch_(\d{10,})_[0-9a-f]{8}$/;
/** `pg_migrate_scratch_<unix seconds>_<8 hex>`: recognisable, unique, and dated for the stale clean-up. */
function scratchName(now = new Date()) {
    return `${SCRATCH_PREFIX}${Math.floor(now.getTime() / 1000)}_${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
}
/** When a scratch database was created, from its name; undefined for any other name. */
function scratchCreatedAt(name) {
    const match = SCRATCH_NAME.exec(name);
    return match ? new Date(Number(match[1]) * 1000) : undefined;
}
/** Why no scratch database could be had, in one line: the check that needed it is skipped. */
class ScratchUnavailable extends Error {
}
/**
 * Runs `use` on a scratch database and removes it afterwards, whatever `use` did. Throws
 * ScratchUnavailable when there is none to be had (no CREATEDB, and no shadow-database-url).
 */
async function withScratchDatabase(request, use) {
    const { scratch, dispose } = await openScratchDatabase(request);
    try {
        return await use(scratch);
    }
    finally {
        await dispose();
    }
}
/** A scratch database the caller disposes of: one that outlives a stage (drift hands its replay to the schema change). */
async function openScratchDatabase(request) {
    const opened = request.settings.shadowDatabaseUrl ? await openShadow(request, request.settings.shadowDatabaseUrl) : await createScratch(request);
    let disposed;
    return { scratch: opened.scratch, dispose: () => (disposed ??= opened.dispose()) };
}
async function createScratch({ settings, target, log }) {
    const role = await target.query(`SELECT current_user AS name, rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user`);
    const { name: user, may } = role.rows[0] ?? { name: settings.databaseUrl.user, may: false };
    if (!may) {
        throw new ScratchUnavailable(`the role ${(0,echo/* echo */.W)(user)} may not create databases (no CREATEDB), and no shadow-database-url is set`);
    }
    await removeStaleScratchDatabases(target, log);
    const name = scratchName();
    const locale = await (0,restore.readDatabaseLocale)(target).catch(() => undefined);
    try {
        await target.query(`CREATE DATABASE ${(0,connection/* quoteIdent */.v4)(name)} TEMPLATE template0${localeClause(locale)}`);
    }
    catch (error) {
        throw new ScratchUnavailable(`creating a scratch database failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    log.info(`Created the scratch database ${name}; it is dropped after use.`);
    const drop = async () => {
        try {
            await dropDatabase(target, name);
            log.info(`Dropped the scratch database ${name}.`);
        }
        catch (error) {
            log.warning(`Could not drop the scratch database ${name}: ${(0,errors/* errorMessage */.gJ)(error)}. A later run removes it once it is an hour old; or drop it by hand: DROP DATABASE ${name};`);
        }
    };
    await target
        .query(`COMMENT ON DATABASE ${(0,connection/* quoteIdent */.v4)(name)} IS ${esm/* default.escapeLiteral */.Ay.escapeLiteral(`pg-migrate-action scratch database, created ${new Date().toISOString()}; dropped after use`)}`)
        .catch(() => undefined);
    const url = (0,database_url/* withDatabase */.kR)(settings.databaseUrl, name);
    let client;
    try {
        client = await (0,connection/* openClient */.My)(url, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action scratch' });
    }
    catch (error) {
        await drop();
        throw new ScratchUnavailable(`connecting to the scratch database failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    // A server that serves one database whatever the connection asks for (PGlite) would hand back the
    // target itself: whatever ran on the "scratch database" would run there.
    const reached = await client
        .query('SELECT current_database() AS db')
        .then((r) => r.rows[0].db)
        .catch(() => undefined);
    if (reached !== name || (await databaseIdentity(client).catch(() => '')) === (await databaseIdentity(target).catch(() => undefined))) {
        await (0,connection/* closeQuietly */.EO)(client);
        await drop();
        throw new ScratchUnavailable(`the server answered a connection to the new scratch database ${name} with the database ${(0,echo/* echo */.W)(reached ?? 'unknown')}: it serves one database to every connection (as PGlite does), so nothing is run on a scratch database there`);
    }
    return {
        scratch: { name, kind: 'created', url, client },
        dispose: async () => {
            await (0,connection/* closeQuietly */.EO)(client);
            await drop();
        }
    };
}
/** The target's encoding and collation: text sorts and compares in the scratch database as it does there. */
function localeClause(locale) {
    if (!locale)
        return '';
    const parts = [`ENCODING ${esm/* default.escapeLiteral */.Ay.escapeLiteral(locale.encoding)}`, `LC_COLLATE ${esm/* default.escapeLiteral */.Ay.escapeLiteral(locale.collate)}`, `LC_CTYPE ${esm/* default.escapeLiteral */.Ay.escapeLiteral(locale.ctype)}`];
    if (locale.provider === 'i' && locale.locale)
        parts.push(`LOCALE_PROVIDER icu ICU_LOCALE ${esm/* default.escapeLiteral */.Ay.escapeLiteral(locale.locale)}`);
    if (locale.provider === 'b' && locale.locale)
        parts.push(`LOCALE_PROVIDER builtin BUILTIN_LOCALE ${esm/* default.escapeLiteral */.Ay.escapeLiteral(locale.locale)}`);
    return ' ' + parts.join(' ');
}
/** WITH (FORCE): a migration's session a killed Alembic left behind must not keep the database. */
async function dropDatabase(client, name) {
    await client.query(`DROP DATABASE IF EXISTS ${(0,connection/* quoteIdent */.v4)(name)} WITH (FORCE)`);
}
/**
 * Scratch databases older than STALE_AFTER_MS, left by runs that were killed: dropped, each on its
 * own, and quietly when another role owns one (its own runs remove it).
 */
async function removeStaleScratchDatabases(client, log, now = new Date()) {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [SCRATCH_PREFIX]);
    const removed = [];
    for (const { datname } of rows) {
        const createdAt = scratchCreatedAt(datname);
        if (!createdAt || now.getTime() - createdAt.getTime() < STALE_AFTER_MS)
            continue;
        try {
            await dropDatabase(client, datname);
            removed.push(datname);
            log.info(`Dropped the stale scratch database ${datname}, left by a run that ended before it could drop it (created ${createdAt.toISOString()}).`);
        }
        catch (error) {
            log.debug(`Could not drop the stale scratch database ${datname}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    return removed;
}
/** Session advisory lock on the shadow database: two runs sharing it take turns. Visible in pg_locks as classid 'pgma', objid 2. */
const SHADOW_LOCK_KEY = [1885824353, 2];
/**
 * The database of shadow-database-url, emptied before and after each use. Refused when it turns
 * out to be the target itself, by what the server says (a name, an address or a port spelled
 * differently in the two URLs can still reach the same database).
 */
async function openShadow({ settings, target, log }, url) {
    let client;
    try {
        client = await (0,connection/* openClient */.My)(url, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action shadow' });
    }
    catch (error) {
        throw new ScratchUnavailable(`connecting to shadow-database-url (${url.display}) failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    try {
        if ((await databaseIdentity(client)) === (await databaseIdentity(target))) {
            throw new errors/* ActionError */.lZ('invalid-input', `Input 'shadow-database-url' reaches the same database as database-url (${(0,echo/* echo */.W)(url.database)}); the action empties its shadow database.`, {
                location: { input: 'shadow-database-url' },
                hint: 'Give a database of its own that nothing else uses, e.g. one created with CREATE DATABASE app_shadow.'
            });
        }
        await lockShadow(client, settings.waitTimeoutMs);
        const left = await emptyShadowDatabase(client, settings.extensions);
        if (left.length > 0) {
            throw new ScratchUnavailable(`the shadow database could not be emptied: it still holds ${(0,markdown/* plural */.LS)(left.length, 'object')} (${left.slice(0, 5).join('; ')}${left.length > 5 ? '; …' : ''})`);
        }
    }
    catch (error) {
        await (0,connection/* closeQuietly */.EO)(client);
        throw error instanceof errors/* ActionError */.lZ || error instanceof ScratchUnavailable ? error : new ScratchUnavailable(`preparing the shadow database failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    log.info(`Using the shadow database ${url.database} (emptied before and after use).`);
    return {
        scratch: { name: url.database, kind: 'shadow', url, client },
        dispose: async () => {
            try {
                await emptyShadowDatabase(client, settings.extensions);
            }
            catch (error) {
                log.warning(`Could not empty the shadow database ${url.database} after use: ${(0,errors/* errorMessage */.gJ)(error)}. The next run empties it before use.`);
            }
            await (0,connection/* closeQuietly */.EO)(client);
        }
    };
}
/** The server instance and the database on it, as the server reports them. */
async function databaseIdentity(client) {
    const { rows } = await client.query(`SELECT concat_ws(' ', pg_postmaster_start_time(), (SELECT oid FROM pg_database WHERE datname = current_database()), current_database()) AS id`);
    return rows[0].id;
}
async function lockShadow(client, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [...SHADOW_LOCK_KEY]);
        if (rows[0].ok)
            return;
        if (Date.now() >= deadline)
            throw new ScratchUnavailable(`another run kept the shadow database busy for longer than wait-timeout (${timeoutMs / 1000} s)`);
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}


/***/ }),

/***/ 2923:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bv: () => (/* binding */ ReplayFailed),
/* harmony export */   HU: () => (/* binding */ replayOnScratch),
/* harmony export */   TZ: () => (/* binding */ originsOf),
/* harmony export */   eZ: () => (/* binding */ replay),
/* harmony export */   fO: () => (/* binding */ scratchSession)
/* harmony export */ });
/* unused harmony export createInputExtensions */
/* harmony import */ var _connection_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5403);
/* harmony import */ var _engines_context_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9356);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/* harmony import */ var _lock_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9188);
/* harmony import */ var _cluster_wide_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1702);
/* harmony import */ var _database_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3589);






/**
 * Running the chain's own migrations on a scratch database, through the engine, as apply runs
 * them on the target: the SQL engine with its history table, its transactions and its
 * non-transactional files; Alembic with `alembic upgrade` and DATABASE_URL pointing there.
 */
/** A migration that failed on the scratch database: the check that needed it could not be made. */
class ReplayFailed extends Error {
}
/**
 * An engine context for the scratch database. Each migration in its own transaction, whatever
 * `transaction` says: a replay must get as far as it can, and the target's own run enforces the input.
 */
async function scratchSession(settings, scratch, log) {
    const scratchSettings = { ...settings, databaseUrl: scratch.url, transaction: 'per-migration' };
    const scratchLog = prefixed(log, `[${scratch.name}] `);
    const lock = new _lock_js__WEBPACK_IMPORTED_MODULE_3__/* .MigrationLock */ .m4(scratchSettings, scratchLog);
    await lock.acquire();
    return { ctx: (0,_engines_context_js__WEBPACK_IMPORTED_MODULE_1__/* .createEngineContext */ .g8)(scratchSettings, scratch.client, scratchLog, lock), release: () => lock.release() };
}
/** A fresh scratch database with the input's extensions and `revisions` replayed on it; the caller disposes of it. */
async function replayOnScratch(request, engine, chain, revisions, what) {
    await (0,_cluster_wide_js__WEBPACK_IMPORTED_MODULE_4__/* .refuseClusterWideChanges */ .V)(revisions, request.settings);
    const opened = await (0,_database_js__WEBPACK_IMPORTED_MODULE_5__/* .openScratchDatabase */ .Gs)(request);
    let session;
    try {
        session = await scratchSession(request.settings, opened.scratch, request.log);
        await createInputExtensions(request.target, opened.scratch.client, request.settings.extensions);
        await replay(engine, session.ctx, chain, revisions, what);
    }
    catch (error) {
        await session?.release();
        await opened.dispose();
        throw error;
    }
    const held = session;
    let disposed;
    return { scratch: opened.scratch, ctx: held.ctx, dispose: () => (disposed ??= held.release().then(opened.dispose)) };
}
/** Lines of migrations run on a scratch database say so, so nobody reads them as the target's; no nested groups. */
function prefixed(log, prefix) {
    return {
        info: (m) => log.info(prefix + m),
        warning: (m) => log.warning(prefix + m),
        debug: (m) => log.debug(prefix + m),
        group: (title, fn) => {
            log.info(prefix + title);
            return fn();
        }
    };
}
/**
 * The extensions of the `extensions` input that the target has, at the target's version and in its
 * schema: the action created them there, not a migration, and the migrations may need them.
 */
async function createInputExtensions(target, scratch, names) {
    if (names.length === 0)
        return;
    const { rows } = await target.query(`SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ANY ($1::text[])`, [names]);
    for (const { name, version, schema } of rows) {
        try {
            await scratch.query(`CREATE SCHEMA IF NOT EXISTS ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_0__/* .quoteIdent */ .v4)(schema)}`);
            await scratch.query(`CREATE EXTENSION IF NOT EXISTS ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_0__/* .quoteIdent */ .v4)(name)} WITH SCHEMA ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_0__/* .quoteIdent */ .v4)(schema)} VERSION ${quoteLiteral(version)}`);
        }
        catch (error) {
            throw new ReplayFailed(`creating the extension ${name} ${version} in the scratch database failed: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
        }
    }
}
function quoteLiteral(text) {
    return `'${text.replace(/'/g, "''")}'`;
}
/** Applies `revisions` on the scratch database in one go; a migration that fails there ends the replay. */
async function replay(engine, ctx, chain, revisions, what) {
    if (revisions.length === 0)
        return;
    let outcome;
    try {
        outcome = await engine.upgradeTo(ctx, chain, revisions);
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ)
            throw new ReplayFailed(`${what} on the scratch database failed: ${error.message}`);
        throw error;
    }
    if (outcome.status === 'failed')
        throw new ReplayFailed(`${what} on the scratch database failed: ${outcome.message}`);
    if (outcome.status === 'irreversible')
        throw new ReplayFailed(`${what} on the scratch database stopped: ${outcome.reason}`);
}
/**
 * Replays `revisions` one at a time with a snapshot after each, and follows `keys` through them.
 * Costs a migration run and a snapshot per revision: only used when there is something to name.
 */
async function originsOf(engine, ctx, chain, revisions, keys, snapshotAt) {
    const origins = new Map();
    let previous = await snapshotAt();
    for (const revision of revisions) {
        await replay(engine, ctx, chain, [revision], `Migration ${revision.id}`);
        const current = await snapshotAt();
        for (const key of keys) {
            const before = previous.get(key);
            const after = current.get(key);
            if (after === undefined)
                origins.delete(key);
            else if (before === undefined)
                origins.set(key, { createdBy: revision.id });
            else if (before !== after)
                origins.set(key, { createdBy: origins.get(key)?.createdBy, changedBy: revision.id });
        }
        previous = current;
    }
    return origins;
}


/***/ })

};
