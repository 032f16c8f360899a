export const id = 830;
export const ids = [830,20];
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

/***/ 6830:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runBackup: () => (/* binding */ runBackup)
/* harmony export */ });
/* unused harmony export AUTO_BACKUP_RISK */
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7187);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _echo_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(5530);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3916);
/* harmony import */ var _lint_rule_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(5619);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6670);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5699);
/* harmony import */ var _restore_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7020);










/**
 * The backup stage: a `pg_dump --format=custom` of the target database, taken before anything is
 * applied, so a risky migration can be undone by restoring it. A dump that fails or that pg_restore
 * cannot read stops the run: applying without the backup the user asked for is the one thing the
 * stage must never do. The password reaches pg_dump in its environment only: a file holding it
 * would outlive a `kill -9` of the action.
 */
/** `auto` backs up when the pending set's highest lint risk is at least this. */
const AUTO_BACKUP_RISK = 'high';
async function runBackup(input, deps = {}) {
    const skip = skipReason(input);
    if (skip)
        return { status: 'skipped', reason: skip };
    const reason = input.policy === 'always' ? 'backup: always' : `backup: auto, and the pending set's highest risk is ${input.maxRisk}`;
    const client = await (0,_client_js__WEBPACK_IMPORTED_MODULE_6__/* .findPgDump */ .vd)(Math.floor(input.serverVersionNum / 10_000), input.env, deps.installRoot ?? _client_js__WEBPACK_IMPORTED_MODULE_6__/* .DEBIAN_INSTALL_ROOT */ .JA);
    const root = input.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)();
    const dir = privateDirectory(root, input.databaseUrl);
    const takenAt = new Date();
    const file = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, `${safeFileName(input.databaseUrl.database)}-${takenAt.toISOString().replace(/[:.]/g, '-')}.dump`);
    // Until pg_restore has read it back, the archive says it is partial: a kill -9 can leave it behind.
    const partial = `${file}.partial`;
    try {
        // Created before pg_dump opens it, which keeps the mode: pg_dump itself would create it world-readable under the usual umask.
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(partial, '', { mode: 0o600 });
        input.log.info(`Backing up ${(0,_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .W)(input.databaseUrl.database)} with ${client.pgDump} (${client.version}) to ${file}`);
        await dump(client, partial, root, input, deps.exec ?? _actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .exec */ .m);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.renameSync)(partial, file);
        const restore = (0,_restore_js__WEBPACK_IMPORTED_MODULE_7__/* .restorePlan */ .C)(client, input.databaseUrl, file, input.locale, takenAt);
        return {
            status: 'written',
            reason,
            path: file,
            sizeBytes: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(file).size,
            durationMs: Date.now() - takenAt.getTime(),
            client: { pgDump: client.pgDump, version: client.version },
            restoreCommand: restore.command,
            replacedDatabase: restore.replacedName
        };
    }
    catch (error) {
        // A partial dump must not be mistaken for a backup later.
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(dir, { recursive: true, force: true });
        throw isFileSystemError(error) ? writeFailed(input.databaseUrl, root, fileErrorReason(error), { cause: error }) : error;
    }
}
/** 0700, because the dump holds every row of the database; a RUNNER_TEMP that cannot take it is the user's to fix, not a bug. */
function privateDirectory(root, url) {
    try {
        const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdtempSync)(node_path__WEBPACK_IMPORTED_MODULE_3___default().join(root, 'pg-migrate-action-backup-'));
        // mkdtemp already creates 0700; said explicitly because the dump holds every row of the database.
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync)(dir, 0o700);
        return dir;
    }
    catch (error) {
        throw writeFailed(url, root, fileErrorReason(error), { cause: error });
    }
}
function skipReason({ policy, maxRisk, pendingCount }) {
    if (policy === 'never')
        return 'backup: never';
    if (pendingCount === 0)
        return 'nothing to apply';
    if (policy === 'auto' && (maxRisk === 'none' || (0,_lint_rule_js__WEBPACK_IMPORTED_MODULE_9__/* .riskRank */ .wv)(maxRisk) < (0,_lint_rule_js__WEBPACK_IMPORTED_MODULE_9__/* .riskRank */ .wv)(AUTO_BACKUP_RISK))) {
        return `backup: auto, and the pending set's highest risk is ${maxRisk} (below ${AUTO_BACKUP_RISK})`;
    }
    return undefined;
}
/** Runs pg_dump, then reads the archive's table of contents back: an archive pg_restore cannot list is no backup. */
async function dump(client, file, root, input, run) {
    const env = (0,_client_js__WEBPACK_IMPORTED_MODULE_6__/* .childEnv */ .gf)(input.env, input.databaseUrl);
    const dumped = await capture(run, client.pgDump, ['--format=custom', '--no-password', `--file=${file}`, ...(0,_client_js__WEBPACK_IMPORTED_MODULE_6__/* .connectionArgs */ .yO)(input.databaseUrl)], env);
    if (dumped.exitCode !== 0) {
        const written = outputFileError(dumped.stderr);
        if (written)
            throw writeFailed(input.databaseUrl, root, written);
        throw backupFailed(input.databaseUrl, `pg_dump exited with code ${dumped.exitCode}`, dumped.stderr);
    }
    const listed = await capture(run, client.pgRestore, ['--list', file], env);
    if (listed.exitCode !== 0) {
        // pg_dump does not always notice a write that failed for want of space: it can exit 0 with the archive cut short.
        if (noSpaceLeft(file))
            throw writeFailed(input.databaseUrl, root, `no space left on device (pg_dump's archive is cut short: ${(0,_redact_js__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)(listed.stderr.trim().split('\n')[0])})`);
        throw backupFailed(input.databaseUrl, `pg_restore --list cannot read the archive (exit code ${listed.exitCode})`, listed.stderr);
    }
}
async function capture(run, tool, args, env) {
    let stderr = '';
    try {
        const exitCode = await run(tool, args, { env, silent: true, ignoreReturnCode: true, listeners: { stderr: (data) => void (stderr += data.toString('utf8')) } });
        return { exitCode, stderr };
    }
    catch (error) {
        return { exitCode: -1, stderr: error instanceof Error ? error.message : String(error) };
    }
}
/** The server cuts names to 63 bytes, so a longer name in the URL is no longer in the file name either. */
function safeFileName(name) {
    return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63);
}
/** pg_dump's own words when it could not write the archive (a full disk, a read-only directory), not the database's fault. */
function outputFileError(stderr) {
    const line = stderr.split('\n').find((l) => /could not (open|write to|close) (the )?output file|No space left on device|Read-only file system|Disk quota exceeded/i.test(l));
    return line === undefined ? undefined : (0,_redact_js__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)(line.replace(/^pg_dump: error: /, '').trim());
}
function noSpaceLeft(file) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statfsSync)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(file)).bavail === 0;
    }
    catch {
        return false;
    }
}
/** ENOSPC, EROFS, EACCES…: the file system refused, which is the runner's state, not a bug. */
function isFileSystemError(error) {
    const code = error?.code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
/** `ENOSPC: no space left on device, write` → `no space left on device`. */
function fileErrorReason(error) {
    // Duck-typed: fs errors can come from another realm (a test's VM context), where instanceof Error is false.
    const message = String(error?.message ?? error);
    return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
function writeFailed(url, root, reason, options = {}) {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .lZ('backup-write-failed', `The backup of ${(0,_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .W)(url.database)} could not be written under ${root}: ${reason}. Nothing was applied, and no partial file is left.`, {
        location: { input: 'backup' },
        hint: `The dump goes to RUNNER_TEMP (${root}), which must be writable and have room for a dump of the database: free space on the runner (df -h "$RUNNER_TEMP") or use a larger runner, then run again; or set backup: never to migrate without a backup.`,
        ...options
    });
}
function backupFailed(url, what, stderr) {
    const output = (0,_redact_js__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)(stderr.trim());
    return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .lZ('backup-failed', `The backup of ${(0,_echo_js__WEBPACK_IMPORTED_MODULE_8__/* .echo */ .W)(url.database)} failed: ${what}${output ? `: ${output.split('\n')[0]}` : ''}. Nothing was applied.`, {
        location: { input: 'backup' },
        hint: 'pg_dump needs SELECT on every table, sequence and large object of the database (a role that owns them, or pg_read_all_data on PostgreSQL 14+) and a client at least as new as the server. ' +
            'Fix the cause and run again, or set backup: never to migrate without a backup.',
        details: output ? [output] : []
    });
}


/***/ }),

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


/***/ })

};
