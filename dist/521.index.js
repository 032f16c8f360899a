export const id = 521;
export const ids = [521];
export const modules = {

/***/ 5521:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runBackup: () => (/* binding */ runBackup)
});

// UNUSED EXPORTS: AUTO_BACKUP_RISK

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/lint/rule.ts
var rule = __webpack_require__(5619);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
;// CONCATENATED MODULE: ./src/backup/client.ts




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
        .split((external_node_path_default()).delimiter)
        .filter(Boolean)
        .map((dir) => external_node_path_default().join(dir, 'pg_dump'));
    const installed = (0,external_node_fs_.existsSync)(installRoot) ? (0,external_node_fs_.readdirSync)(installRoot).map((major) => external_node_path_default().join(installRoot, major, 'bin', 'pg_dump')) : [];
    return [...new Set([...onPath, ...installed])].filter(isExecutable);
}
function isExecutable(file) {
    try {
        (0,external_node_fs_.accessSync)(file, external_node_fs_.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
async function clientVersion(pgDump) {
    try {
        const { stdout, exitCode } = await exec/* getExecOutput */.H(pgDump, ['--version'], { silent: true, ignoreReturnCode: true });
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
        const pgRestore = external_node_path_default().join(external_node_path_default().dirname(pgDump), 'pg_restore');
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
    throw new errors/* ActionError */.lZ('backup-client-missing', `backup needs pg_dump ${serverMajor} or newer for this PostgreSQL ${serverMajor} server, but ${seen} (PATH and ${DEBIAN_INSTALL_ROOT}/*/bin). Nothing was applied.`, {
        location: { input: 'backup' },
        hint: `Install the PostgreSQL ${serverMajor} client in a step before this one; on GitHub's Ubuntu runners: ${installStep(serverMajor)}`
    });
}

;// CONCATENATED MODULE: ./src/backup/index.ts








/**
 * The backup stage: a `pg_dump --format=custom` of the target database, taken before anything is
 * applied, so a risky migration can be undone by restoring it. A dump that fails or that pg_restore
 * cannot read stops the run: applying without the backup the user asked for is the one thing the
 * stage must never do.
 */
/** `auto` backs up when the pending set's highest lint risk is at least this. */
const AUTO_BACKUP_RISK = 'high';
async function runBackup(input, deps = {}) {
    const skip = skipReason(input);
    if (skip)
        return { status: 'skipped', reason: skip };
    const reason = input.policy === 'always' ? 'backup: always' : `backup: auto, and the pending set's highest risk is ${input.maxRisk}`;
    const client = await findPgDump(Math.floor(input.serverVersionNum / 10_000), input.env, deps.installRoot ?? DEBIAN_INSTALL_ROOT);
    const dir = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(input.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'pg-migrate-action-backup-'));
    // mkdtemp already creates 0700; said explicitly because the dump holds every row of the database.
    (0,external_node_fs_.chmodSync)(dir, 0o700);
    const file = external_node_path_default().join(dir, `${safeFileName(input.databaseUrl.database)}-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
    // Created before pg_dump opens it, which keeps the mode: pg_dump itself would create it world-readable under the usual umask.
    (0,external_node_fs_.writeFileSync)(file, '', { mode: 0o600 });
    const started = Date.now();
    input.log.info(`Backing up ${input.databaseUrl.database} with ${client.pgDump} (${client.version}) to ${file}`);
    await dump(client, file, input, deps.exec ?? exec/* exec */.m);
    const durationMs = Date.now() - started;
    return {
        status: 'written',
        reason,
        path: file,
        sizeBytes: (0,external_node_fs_.statSync)(file).size,
        durationMs,
        client: { pgDump: client.pgDump, version: client.version },
        restoreCommand: restoreCommand(client, input.databaseUrl, file)
    };
}
function skipReason({ policy, maxRisk, pendingCount }) {
    if (policy === 'never')
        return 'backup: never';
    if (pendingCount === 0)
        return 'nothing to apply';
    if (policy === 'auto' && (maxRisk === 'none' || (0,rule/* riskRank */.wv)(maxRisk) < (0,rule/* riskRank */.wv)(AUTO_BACKUP_RISK))) {
        return `backup: auto, and the pending set's highest risk is ${maxRisk} (below ${AUTO_BACKUP_RISK})`;
    }
    return undefined;
}
/** Runs pg_dump, then reads the archive's table of contents back: an archive pg_restore cannot list is no backup. */
async function dump(client, file, input, run) {
    const passfile = input.databaseUrl.password === undefined ? undefined : writePassfile(external_node_path_default().dirname(file), input.databaseUrl.password);
    const env = childEnv(input.env, input.databaseUrl, passfile);
    try {
        const dumped = await capture(run, client.pgDump, ['--format=custom', '--no-password', `--file=${file}`, ...connectionArgs(input.databaseUrl)], env);
        if (dumped.exitCode !== 0)
            throw backupFailed(input.databaseUrl, `pg_dump exited with code ${dumped.exitCode}`, dumped.stderr);
        const listed = await capture(run, client.pgRestore, ['--list', file], env);
        if (listed.exitCode !== 0)
            throw backupFailed(input.databaseUrl, `pg_restore --list cannot read the archive (exit code ${listed.exitCode})`, listed.stderr);
    }
    catch (error) {
        // A partial dump must not be mistaken for a backup later.
        (0,external_node_fs_.rmSync)(external_node_path_default().dirname(file), { recursive: true, force: true });
        throw error;
    }
    finally {
        if (passfile)
            (0,external_node_fs_.rmSync)(passfile, { force: true });
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
/**
 * One line, `*:*:*:*:password`: the file serves this one connection only. libpq ignores a passfile
 * that others can read, so 0600 is required, not just tidy.
 */
function writePassfile(dir, password) {
    const file = external_node_path_default().join(dir, '.pgpass');
    (0,external_node_fs_.writeFileSync)(file, `*:*:*:*:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`, { mode: 0o600 });
    return file;
}
/** Non-secret settings go on the command line, where the summary can show them; the password only through PGPASSFILE. */
function childEnv(base, url, passfile) {
    const env = {};
    for (const [name, value] of Object.entries(base))
        if (value !== undefined)
            env[name] = value;
    if (passfile) {
        // PGPASSWORD would win over the passfile.
        delete env.PGPASSWORD;
        env.PGPASSFILE = passfile;
    }
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
    return [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`, `--dbname=${url.database}`];
}
function restoreCommand(client, url, file) {
    const args = ['--clean', '--if-exists', '--no-owner', '--single-transaction', ...connectionArgs(url), file];
    return [client.pgRestore, ...args].map(shellQuote).join(' ');
}
function shellQuote(word) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function safeFileName(name) {
    return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}
function backupFailed(url, what, stderr) {
    const output = (0,redact/* redact */.E$)(stderr.trim());
    return new errors/* ActionError */.lZ('backup-failed', `The backup of ${url.database} failed: ${what}${output ? `: ${output.split('\n')[0]}` : ''}. Nothing was applied.`, {
        location: { input: 'backup' },
        hint: 'pg_dump needs SELECT on every table, sequence and large object of the database (a role that owns them, or pg_read_all_data on PostgreSQL 14+) and a client at least as new as the server. ' +
            'Fix the cause and run again, or set backup: never to migrate without a backup.',
        details: output ? [output] : []
    });
}


/***/ })

};
