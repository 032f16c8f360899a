export const id = 20;
export const ids = [20];
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


/***/ })

};
