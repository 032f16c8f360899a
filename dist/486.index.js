export const id = 486;
export const ids = [486];
export const modules = {

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

/***/ 4486:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lintPending: () => (/* binding */ lintPending)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/sql/parse.ts + 1 modules
var parse = __webpack_require__(5862);
// EXTERNAL MODULE: ./src/lint/ast.ts
var ast = __webpack_require__(4001);
// EXTERNAL MODULE: ./src/lint/rule.ts
var rule = __webpack_require__(5619);
;// CONCATENATED MODULE: ./src/lint/rules/change-column-type.ts


/* harmony default export */ const change_column_type = ((0,rule/* defineRule */.Km)({
    id: 'change-column-type',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Changes the type of a column of an existing table',
    saferWay: 'Add a new column with the new type, backfill it in batches, switch the code over, then drop the old column. Only a few changes (varchar(n) to text, a longer varchar) skip the rewrite.',
    docs: {
        why: 'Most type changes rewrite the whole table and rebuild its indexes under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done; running code may also break on the new type.',
        bad: 'ALTER TABLE documents ALTER COLUMN id TYPE bigint;',
        good: 'ALTER TABLE documents ADD COLUMN id_new bigint;\n-- then backfill id_new in batches and switch the code over, in later migrations'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        return ((0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_AlterColumnType')
            .map((c) => ({ column: String(c.name), type: (0,ast/* typeString */.w3)((0,ast/* nodeOf */.E7)(c.def, 'ColumnDef')?.typeName) }))
            // pgvector columns have their own rule (vector-dimension-change), with what the rows will do.
            .filter((c) => !(0,ast/* vectorType */.yL)(c.type) && !schema.isNewColumn(table, c.column))
            .map(({ column, type }) => {
            const before = schema.columnType(table, column);
            return { message: `changes the type of ${table}.${column}${before ? ` from ${before}` : ''} to ${type}`, table };
        }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/cluster.ts


/* harmony default export */ const cluster = ((0,rule/* defineRule */.Km)({
    id: 'cluster',
    appliesTo: ['ClusterStmt'],
    risk: 'high',
    title: 'CLUSTER',
    saferWay: 'Use pg_repack --order-by to reorder a table online, outside the migration chain.',
    docs: {
        why: 'CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock, blocking every read and write for as long as the rewrite takes.',
        bad: 'CLUSTER chunks USING chunks_document_id_idx;',
        good: 'ANALYZE chunks;'
    },
    check: ({ body }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        return [{ message: ref ? `rewrites ${(0,ast/* tableKey */.ih)(ref)} with CLUSTER` : 'runs CLUSTER on every previously clustered table', table: ref ? (0,ast/* tableKey */.ih)(ref) : undefined }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/constraint-missing-not-valid.ts


/* harmony default export */ const constraint_missing_not_valid = ((0,rule/* defineRule */.Km)({
    id: 'constraint-missing-not-valid',
    appliesTo: ['AlterTableStmt'],
    risk: 'medium',
    title: 'Adds a foreign key or check constraint to an existing table without NOT VALID',
    saferWay: 'Add the constraint `NOT VALID` (instant), then `ALTER TABLE … VALIDATE CONSTRAINT …` in a later migration: validation takes a weaker lock and lets writes continue.',
    docs: {
        why: 'Without NOT VALID, PostgreSQL checks every existing row while holding a lock that blocks writes (a foreign key also locks the referenced table).',
        bad: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id);',
        good: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id) NOT VALID;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        return (0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_AddConstraint')
            .map((c) => (0,ast/* nodeOf */.E7)(c.def, 'Constraint'))
            .filter((k) => k && (k.contype === 'CONSTR_FOREIGN' || k.contype === 'CONSTR_CHECK') && !k.skip_validation)
            .map((k) => ({
            message: `adds ${k.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint'}${k.conname ? ` ${String(k.conname)}` : ''} to ${table}, validating every row under lock`,
            table
        }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/create-extension.ts

/* harmony default export */ const create_extension = ((0,rule/* defineRule */.Km)({
    id: 'create-extension',
    appliesTo: ['CreateExtensionStmt'],
    risk: 'low',
    title: 'CREATE EXTENSION IF NOT EXISTS',
    saferWay: 'Nothing to change; the `extensions` input can create extensions before the migrations run (and checks privileges).',
    docs: {
        why: 'Creating an extension adds types and functions without touching data; it needs the right privileges on the server (pgvector: superuser or a trusted setup).',
        bad: 'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
        good: '-- Nothing to flag: the extensions input creates it.\nSELECT 1;'
    },
    check: ({ body }) => {
        const name = String(body.extname);
        // `CREATE EXTENSION vector` without IF NOT EXISTS is its own, higher-risk rule.
        if (!body.if_not_exists && name === 'vector')
            return [];
        return [{ message: `creates extension ${name}${body.if_not_exists ? ' if it does not exist' : ''}` }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/vector-index.ts

/** pgvector's approximate index methods. */
const VECTOR_METHODS = new Set(['hnsw', 'ivfflat']);
function isVectorIndex(body) {
    return VECTOR_METHODS.has(String(body.accessMethod ?? '').toLowerCase());
}
/** Each key of an index statement with the vector type it indexes, as far as it is known. */
function indexedVectors(body, table, schema) {
    return (0,ast/* list */.p_)(body.indexParams)
        .map((p) => (0,ast/* nodeOf */.E7)(p, 'IndexElem'))
        .filter((e) => e !== undefined)
        .map((elem) => {
        const opclass = (0,ast/* strings */.P$)(elem.opclass).at(-1);
        if (typeof elem.name === 'string') {
            const typeText = schema.columnType(table, elem.name);
            return { column: elem.name, type: (0,ast/* vectorType */.yL)(typeText), typeText, opclass };
        }
        const cast = (0,ast/* nodeOf */.E7)(elem.expr, 'TypeCast');
        const column = (0,ast/* strings */.P$)((0,ast/* nodeOf */.E7)(cast?.arg, 'ColumnRef')?.fields).at(-1) ?? 'expression';
        const typeText = cast ? (0,ast/* typeString */.w3)(cast.typeName) : undefined;
        return { column, type: (0,ast/* vectorType */.yL)(typeText), typeText, opclass };
    });
}

;// CONCATENATED MODULE: ./src/lint/rules/create-index-not-concurrent.ts



/* harmony default export */ const create_index_not_concurrent = ((0,rule/* defineRule */.Km)({
    id: 'create-index-not-concurrent',
    appliesTo: ['IndexStmt'],
    risk: 'medium',
    title: 'CREATE INDEX without CONCURRENTLY on an existing table',
    saferWay: 'Use `CREATE INDEX CONCURRENTLY` (the action runs such a file outside a transaction automatically); it takes longer but lets writes continue.',
    docs: {
        why: 'A plain CREATE INDEX holds a SHARE lock for the whole build: reads continue, but every INSERT, UPDATE and DELETE on the table waits until the index is built.',
        bad: 'CREATE INDEX documents_title_idx ON documents (title);',
        good: 'CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        // Vector indexes have their own rule (vector-index-not-concurrent): their builds are far longer.
        if (!ref || body.concurrent || isVectorIndex(body) || schema.isNewTable((0,ast/* tableKey */.ih)(ref)))
            return [];
        return [{ message: `builds index ${String(body.idxname ?? '(unnamed)')} on ${(0,ast/* tableKey */.ih)(ref)} while blocking writes`, table: (0,ast/* tableKey */.ih)(ref) }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/delete-without-where.ts

/* harmony default export */ const delete_without_where = ((0,rule/* defineRule */.Km)({
    id: 'delete-without-where',
    appliesTo: ['DeleteStmt'],
    risk: 'critical',
    title: 'DELETE without a WHERE clause on an existing table',
    saferWay: 'Say which rows with a WHERE clause, and delete large sets in batches outside the schema migration.',
    docs: {
        why: 'It removes every row of the table, usually by accident: a WHERE clause lost in an edit.',
        bad: 'DELETE FROM chunks;',
        good: 'DELETE FROM chunks WHERE document_id IS NULL;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table || body.whereClause !== undefined)
            return [];
        return [{ message: `deletes every row of ${table}`, table }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/drop-column.ts


/* harmony default export */ const drop_column = ((0,rule/* defineRule */.Km)({
    id: 'drop-column',
    appliesTo: ['AlterTableStmt'],
    risk: 'critical',
    title: 'Drops a column of an existing table',
    saferWay: 'Stop reading and writing the column in a release first (and in ORMs, stop selecting it), then drop it in a later migration acknowledged with a reason.',
    docs: {
        why: 'The data is gone at commit, and every running query or ORM model that still names the column fails until the new code is deployed.',
        bad: 'ALTER TABLE documents DROP COLUMN legacy_title;',
        good: '-- pg-migrate:allow drop-column reason: legacy_title unused since release 42\nALTER TABLE documents DROP COLUMN legacy_title;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        return (0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_DropColumn')
            .map((c) => ({ message: `drops column ${table}.${String(c.name)}`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/drop-database.ts

/* harmony default export */ const drop_database = ((0,rule/* defineRule */.Km)({
    id: 'drop-database',
    appliesTo: ['DropdbStmt'],
    risk: 'critical',
    title: 'Drops a database',
    saferWay: 'Databases are not dropped by migrations: drop it by hand, after a backup, outside the migration chain.',
    docs: {
        why: 'Every table of the database and all its data are removed; a migration chain is the wrong place for it.',
        bad: 'DROP DATABASE staging_copy;',
        good: '-- Nothing to migrate: the database is dropped by hand after a backup.\nSELECT 1;'
    },
    check: ({ body }) => [{ message: `drops database ${String(body.dbname)}` }].filter(() => body.dbname !== undefined)
}));

;// CONCATENATED MODULE: ./src/lint/rules/drop-index-not-concurrent.ts


/* harmony default export */ const drop_index_not_concurrent = ((0,rule/* defineRule */.Km)({
    id: 'drop-index-not-concurrent',
    appliesTo: ['DropStmt'],
    risk: 'medium',
    title: 'DROP INDEX without CONCURRENTLY',
    saferWay: 'Use `DROP INDEX CONCURRENTLY` (outside a transaction; the action detects it), and check no query plan still depends on the index.',
    docs: {
        why: "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table; behind a long-running query it waits, and everything else queues behind it.",
        bad: 'DROP INDEX documents_title_idx;',
        good: 'DROP INDEX CONCURRENTLY documents_title_idx;'
    },
    check: ({ body, schema }) => {
        if (body.removeType !== 'OBJECT_INDEX' || body.concurrent)
            return [];
        return (0,ast/* list */.p_)(body.objects)
            .map((o) => (0,ast/* strings */.P$)((0,ast/* nodeOf */.E7)(o, 'List')?.items).at(-1) ?? '?')
            .filter((index) => !schema.isNewIndex(index))
            .map((index) => ({ message: `drops index ${index} under an exclusive lock on its table` }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/drop-schema.ts


/* harmony default export */ const drop_schema = ((0,rule/* defineRule */.Km)({
    id: 'drop-schema',
    appliesTo: ['DropStmt'],
    risk: 'critical',
    title: 'Drops a schema',
    saferWay: 'Drop the objects you mean to drop one by one, each reviewed; if the whole schema must go, back it up and acknowledge the drop with a reason.',
    docs: {
        why: 'A schema holds tables, functions and types; `DROP SCHEMA … CASCADE` removes all of them and their data in one statement.',
        bad: 'DROP SCHEMA analytics CASCADE;',
        good: '-- pg-migrate:allow drop-schema reason: analytics moved to the warehouse in release 40, backed up\nDROP SCHEMA analytics CASCADE;'
    },
    check: ({ body }) => (body.removeType === 'OBJECT_SCHEMA' ? (0,ast/* list */.p_)(body.objects).map((o) => ({ message: `drops schema ${String((0,ast/* nodeOf */.E7)(o, 'String')?.sval ?? '?')}` })) : [])
}));

;// CONCATENATED MODULE: ./src/lint/rules/drop-table.ts


/* harmony default export */ const drop_table = ((0,rule/* defineRule */.Km)({
    id: 'drop-table',
    appliesTo: ['DropStmt'],
    risk: 'critical',
    title: 'Drops an existing table',
    saferWay: 'Stop reading and writing the table in a release first, keep a backup, then drop it in a later migration acknowledged with `pg-migrate:allow drop-table reason: …`.',
    docs: {
        why: 'The table and every row in it are gone at commit; running code that still queries it fails at once, and the data can only come back from a backup.',
        bad: 'DROP TABLE documents;',
        good: '-- The application stopped using documents in release 42 (backup: s3://backups/documents.dump).\n-- pg-migrate:allow drop-table reason: unused since release 42, backed up\nDROP TABLE documents;'
    },
    check: ({ body, schema }) => {
        if (body.removeType !== 'OBJECT_TABLE')
            return [];
        return (0,ast/* list */.p_)(body.objects)
            .map((o) => (0,ast/* tableKey */.ih)((0,ast/* relationFromNames */.be)((0,ast/* strings */.P$)((0,ast/* nodeOf */.E7)(o, 'List')?.items))))
            .filter((table) => !schema.isNewTable(table))
            .map((table) => ({ message: `drops table ${table}`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/enum-add-value.ts


/* harmony default export */ const enum_add_value = ((0,rule/* defineRule */.Km)({
    id: 'enum-add-value',
    appliesTo: ['AlterEnumStmt'],
    risk: 'medium',
    title: 'ALTER TYPE … ADD VALUE',
    saferWay: 'Add the value in its own migration and use it only in later ones; on PostgreSQL 11 and older it cannot run in a transaction at all. A text column with a CHECK constraint is easier to change.',
    docs: {
        why: 'The new value cannot be used in the same transaction that adds it ("unsafe use of new value"), and enum values cannot be removed again without recreating the type.',
        bad: "ALTER TYPE document_status ADD VALUE 'archived';",
        good: "ALTER TABLE documents ADD CONSTRAINT documents_status_check CHECK (status IN ('draft', 'published', 'archived')) NOT VALID;"
    },
    check: ({ body }) => (body.newVal !== undefined && body.oldVal === undefined ? [{ message: `adds '${String(body.newVal)}' to enum ${(0,ast/* strings */.P$)(body.typeName).join('.')}` }] : [])
}));

;// CONCATENATED MODULE: ./src/lint/rules/index-on-new-table.ts


/* harmony default export */ const index_on_new_table = ((0,rule/* defineRule */.Km)({
    id: 'index-on-new-table',
    appliesTo: ['IndexStmt'],
    risk: 'low',
    title: 'Creates an index on a table created in the same pending set',
    saferWay: 'Nothing to change: the table is new and empty, so the build is instant and blocks nobody.',
    docs: {
        why: 'Indexing a table that was created earlier in the same pending set costs nothing; it is listed so the review sees every index.',
        bad: 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);\nCREATE INDEX documents_title_idx ON documents (title);',
        good: '-- Nothing to flag: no index.\nSELECT 1;'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || !schema.isNewTable((0,ast/* tableKey */.ih)(ref)))
            return [];
        return [{ message: `creates index ${String(body.idxname ?? '(unnamed)')} on ${(0,ast/* tableKey */.ih)(ref)}, created in this pending set` }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/invalid-acknowledgement.ts

/* harmony default export */ const invalid_acknowledgement = ((0,rule/* defineRule */.Km)({
    id: 'invalid-acknowledgement',
    risk: 'medium',
    title: 'An acknowledgement comment without a reason, or naming an unknown rule',
    saferWay: 'Write `-- pg-migrate:allow <rule-id> reason: <why this is safe>` (in Alembic revisions: `# pg-migrate:allow …`) with a rule id from docs/rules/.',
    docs: {
        why: 'An acknowledgement lets a risky change through the gate, so it must say which rule and why. One without a reason, or with a misspelt rule id, acknowledges nothing.',
        bad: '-- pg-migrate:allow drop-tabel reason: unused since release 42\nCREATE TABLE documents_archive (id bigint PRIMARY KEY);',
        good: '-- pg-migrate:allow drop-table reason: unused since release 42\nCREATE TABLE documents_archive (id bigint PRIMARY KEY);'
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/ivfflat-on-empty-table.ts


/* harmony default export */ const ivfflat_on_empty_table = ((0,rule/* defineRule */.Km)({
    id: 'ivfflat-on-empty-table',
    appliesTo: ['IndexStmt'],
    risk: 'medium',
    title: 'An IVFFlat index on a table that is new or empty',
    saferWay: 'Use HNSW (no training step), or build the IVFFlat index after the table holds representative data, and rebuild it (REINDEX CONCURRENTLY) as the data grows.',
    docs: {
        why: 'IVFFlat learns its list centres from the rows present at build time. Built on an empty or tiny table ("ivfflat index created with little data"), the lists are trained on nothing and recall stays poor until the index is rebuilt.',
        bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);',
        good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || String(body.accessMethod).toLowerCase() !== 'ivfflat')
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        if (schema.isNewTable(table))
            return [{ message: `builds IVFFlat on ${table}, created in this pending set: its lists are trained on no rows` }];
        if (schema.hasRows(table) === false)
            return [{ message: `builds IVFFlat on ${table}, which is empty: its lists are trained on no rows`, table }];
        return [];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/missing-lock-timeout.ts


/** Statements that take a lock other sessions can queue behind. */
const LOCKING = new Set(['AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'TruncateStmt', 'ClusterStmt', 'ReindexStmt', 'VacuumStmt', 'CreateTrigStmt', 'AlterEnumStmt']);
/** `0`, `0ms`, `0s`… disable lock_timeout. */
function disablesTimeout(value) {
    return value !== undefined && /^0+(\.0+)?\s*(us|ms|s|min|h|d)?$/i.test(value.trim());
}
function setsLockTimeout(kind, body) {
    if (kind === 'VariableSetStmt')
        return String(body.name).toLowerCase() === 'lock_timeout';
    if (kind === 'SelectStmt') {
        return (0,ast/* calledFunctions */.Bm)(body).includes('set_config') && JSON.stringify(body).includes('"lock_timeout"');
    }
    return false;
}
/* harmony default export */ const missing_lock_timeout = ((0,rule/* defineRule */.Km)({
    id: 'missing-lock-timeout',
    risk: 'medium',
    title: "Takes locks with no lock_timeout (the action's lock-timeout input is 0 and the migration sets none)",
    saferWay: "Set the `lock-timeout` input (e.g. `10s`, the default), or start the migration with `SET lock_timeout = '5s';`.",
    docs: {
        why: 'A DDL statement waiting for its lock behind a long-running query blocks every later query on the table for as long as it waits: without lock_timeout, an outage instead of a failed deploy.',
        bad: '-- run with lock-timeout: 0\nALTER TABLE documents ADD COLUMN title text;',
        good: "SET lock_timeout = '5s';\nALTER TABLE documents ADD COLUMN title text;"
    },
    checkRevision: ({ statements, schema, lockTimeout }) => {
        if (!disablesTimeout(lockTimeout))
            return [];
        for (const [i, s] of statements.entries()) {
            const body = s.node[s.kind];
            if (setsLockTimeout(s.kind, body))
                return [];
            if (!LOCKING.has(s.kind) || body.concurrent)
                continue;
            const ref = (0,ast/* relationOf */.Ke)(body.relation) ?? (s.kind === 'TruncateStmt' ? (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)((0,ast/* list */.p_)(body.relations)[0], 'RangeVar')) : undefined);
            if (ref && schema.isNewTable((0,ast/* tableKey */.ih)(ref)))
                continue;
            return [
                { statementIndex: i, message: `takes locks with no lock_timeout (lock-timeout is ${lockTimeout} and the migration sets none)`, table: ref ? (0,ast/* tableKey */.ih)(ref) : undefined }
            ];
        }
        return [];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/new-nullable-column.ts


/* harmony default export */ const new_nullable_column = ((0,rule/* defineRule */.Km)({
    id: 'new-nullable-column',
    appliesTo: ['AlterTableStmt'],
    risk: 'low',
    title: 'Adds a nullable column to an existing table',
    saferWay: 'Nothing to change: adding a nullable column (or one with a constant default) only touches the catalog. Keep the lock short with a lock_timeout.',
    docs: {
        why: 'The ALTER TABLE needs a brief ACCESS EXCLUSIVE lock but rewrites nothing; running code ignores the new column.',
        bad: 'ALTER TABLE documents ADD COLUMN summary text;',
        good: '-- Nothing to flag: no schema change.\nSELECT 1;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        return (0,ast/* addedColumns */.YB)(body)
            .filter((column) => !(0,ast/* columnConstraints */.zD)(column).some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY'))
            .map((column) => ({ message: `adds column ${table}.${String(column.colname)}`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/new-table.ts


/* harmony default export */ const new_table = ((0,rule/* defineRule */.Km)({
    id: 'new-table',
    appliesTo: ['CreateStmt', 'CreateTableAsStmt'],
    risk: 'low',
    title: 'Creates a table',
    saferWay: 'Nothing to change: a new table blocks nobody. Give it a primary key, and create its indexes in the same pending set while it is still empty.',
    docs: {
        why: 'A new table is invisible to running code and holds no rows, so creating it is low risk; it is listed so the review sees every schema change.',
        bad: 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);',
        good: '-- Nothing to flag: no schema change.\nSELECT 1;'
    },
    check: ({ body }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation ?? body.into?.rel);
        return ref ? [{ message: `creates table ${(0,ast/* tableKey */.ih)(ref)}` }] : [];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/not-linted.ts

/* harmony default export */ const not_linted = ((0,rule/* defineRule */.Km)({
    id: 'not-linted',
    risk: 'high',
    title: 'A pending revision whose SQL could not be produced, so it was not linted',
    saferWay: "Make the revision work in Alembic's offline mode (`alembic upgrade --sql`): no `op.get_bind()` queries or reads of the database in upgrade(); or review it by hand and acknowledge it with `# pg-migrate:allow not-linted reason: …`.",
    docs: {
        why: "For Alembic the lint reads each revision's offline SQL. A revision that reads the database while it runs cannot produce it, so its risk is unknown: the lint says so instead of staying silent.",
        language: 'python',
        bad: 'def upgrade():\n    rows = op.get_bind().execute(sa.text("SELECT id FROM documents")).fetchall()\n    for (id,) in rows:\n        op.execute(f"UPDATE documents SET slug = \'doc-{id}\' WHERE id = {id}")',
        good: 'def upgrade():\n    op.execute("UPDATE documents SET slug = \'doc-\' || id WHERE slug IS NULL")'
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/not-null-column-without-default.ts


/* harmony default export */ const not_null_column_without_default = ((0,rule/* defineRule */.Km)({
    id: 'not-null-column-without-default',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Adds a NOT NULL column without a default to an existing table',
    saferWay: 'Give the column a constant DEFAULT (PostgreSQL 11+ adds it without a rewrite), or add it nullable, backfill, then enforce NOT NULL.',
    docs: {
        why: 'On a table with rows the statement fails ("column contains null values"); on an empty one it works, so it passes in CI and breaks in production.',
        bad: 'ALTER TABLE documents ADD COLUMN status text NOT NULL;',
        good: "ALTER TABLE documents ADD COLUMN status text NOT NULL DEFAULT 'draft';"
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        return (0,ast/* addedColumns */.YB)(body)
            .filter((column) => {
            const types = (0,ast/* columnConstraints */.zD)(column).map((k) => k.contype);
            const filled = types.some((t) => t === 'CONSTR_DEFAULT' || t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED');
            return (types.includes('CONSTR_NOTNULL') || types.includes('CONSTR_PRIMARY')) && !filled;
        })
            .map((column) => ({ message: `adds ${table}.${String(column.colname)} NOT NULL without a default`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/reindex-not-concurrent.ts


/* harmony default export */ const reindex_not_concurrent = ((0,rule/* defineRule */.Km)({
    id: 'reindex-not-concurrent',
    appliesTo: ['ReindexStmt'],
    risk: 'medium',
    title: 'REINDEX without CONCURRENTLY',
    saferWay: 'Use `REINDEX … CONCURRENTLY` (PostgreSQL 12+, outside a transaction; the action detects it).',
    docs: {
        why: 'A plain REINDEX blocks writes to the table and reads that would use the index until the rebuild is done.',
        bad: 'REINDEX INDEX chunks_embedding_idx;',
        good: 'REINDEX INDEX CONCURRENTLY chunks_embedding_idx;'
    },
    check: ({ body }) => {
        const concurrently = (0,ast/* list */.p_)(body.params).some((p) => String((0,ast/* nodeOf */.E7)(p, 'DefElem')?.defname).toLowerCase() === 'concurrently');
        if (concurrently)
            return [];
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        const what = String(body.kind ?? '')
            .replace('REINDEX_OBJECT_', '')
            .toLowerCase();
        return [{ message: `rebuilds ${what}${ref ? ` ${(0,ast/* tableKey */.ih)(ref)}` : body.name ? ` ${String(body.name)}` : ''} without CONCURRENTLY` }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/rename-column.ts

/* harmony default export */ const rename_column = ((0,rule/* defineRule */.Km)({
    id: 'rename-column',
    appliesTo: ['RenameStmt'],
    risk: 'high',
    title: 'Renames a column of an existing table',
    saferWay: 'Add the new column, write to both, backfill, move the reads, and drop the old column later (expand and contract).',
    docs: {
        why: 'Code deployed before the migration still reads and writes the old column name and fails until the new code is out.',
        bad: 'ALTER TABLE documents RENAME COLUMN body TO content;',
        good: 'ALTER TABLE documents ADD COLUMN content text;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table || body.renameType !== 'OBJECT_COLUMN')
            return [];
        return [{ message: `renames column ${table}.${String(body.subname)} to ${String(body.newname)}`, table }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/rename-table.ts

/* harmony default export */ const rename_table = ((0,rule/* defineRule */.Km)({
    id: 'rename-table',
    appliesTo: ['RenameStmt'],
    risk: 'high',
    title: 'Renames an existing table',
    saferWay: 'Create the new name as a view over the old table (or the reverse) so old and new code both work during the deploy, and drop the alias once no code uses the old name.',
    docs: {
        why: 'Code deployed before the migration still queries the old name and fails from the moment the rename commits until the new code is out.',
        bad: 'ALTER TABLE docs RENAME TO documents;',
        good: 'CREATE VIEW documents AS SELECT * FROM docs;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table || body.renameType !== 'OBJECT_TABLE')
            return [];
        return [{ message: `renames table ${table} to ${String(body.newname)}`, table }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/set-not-null.ts


/* harmony default export */ const set_not_null = ((0,rule/* defineRule */.Km)({
    id: 'set-not-null',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'SET NOT NULL on an existing column',
    saferWay: 'Add `CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT` in a later migration (no exclusive lock), then SET NOT NULL: PostgreSQL 12+ uses the valid check and skips the scan.',
    docs: {
        why: 'PostgreSQL scans the whole table to prove there is no NULL while holding an ACCESS EXCLUSIVE lock, and the migration fails if one row is NULL.',
        bad: 'ALTER TABLE documents ALTER COLUMN title SET NOT NULL;',
        good: 'ALTER TABLE documents ADD CONSTRAINT documents_title_not_null CHECK (title IS NOT NULL) NOT VALID;'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return (0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_SetNotNull' && !schema.isNewColumn(table, String(c.name)))
            .map((c) => ({ message: `sets ${table}.${String(c.name)} NOT NULL`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/syntax-error.ts

/* harmony default export */ const syntax_error = ((0,rule/* defineRule */.Km)({
    id: 'syntax-error',
    risk: 'critical',
    title: 'A statement that does not parse',
    saferWay: 'Fix the SQL. Migration files are plain SQL for the server: psql meta-commands (\\i, \\connect, \\set) are not supported.',
    docs: {
        why: "The lint reads migrations with PostgreSQL's own grammar. A statement it cannot parse cannot be checked for risk, and the server will most likely refuse it too.",
        bad: 'CREATE TABLE documents (id bigint PRIMARY KEY,);',
        good: 'CREATE TABLE documents (id bigint PRIMARY KEY);'
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/truncate.ts


/* harmony default export */ const truncate = ((0,rule/* defineRule */.Km)({
    id: 'truncate',
    appliesTo: ['TruncateStmt'],
    risk: 'critical',
    title: 'Truncates an existing table',
    saferWay: 'Delete the rows you mean to delete with a WHERE clause (in batches for big tables), or acknowledge the truncate with a reason after a backup.',
    docs: {
        why: 'Every row is removed at once under an ACCESS EXCLUSIVE lock; nothing but a backup brings them back.',
        bad: 'TRUNCATE chunks;',
        good: "DELETE FROM chunks WHERE created_at < now() - interval '90 days';"
    },
    check: ({ body, schema }) => (0,ast/* list */.p_)(body.relations)
        .map((r) => (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)(r, 'RangeVar')))
        .filter((r) => r !== undefined)
        .map((r) => (0,ast/* tableKey */.ih)(r))
        .filter((table) => !schema.isNewTable(table))
        .map((table) => ({ message: `truncates ${table}`, table }))
}));

;// CONCATENATED MODULE: ./src/lint/rules/unbalanced-transaction.ts

/* harmony default export */ const unbalanced_transaction = ((0,rule/* defineRule */.Km)({
    id: 'unbalanced-transaction',
    risk: 'critical',
    title: 'A BEGIN without its COMMIT (or a COMMIT without its BEGIN) inside a migration file',
    saferWay: 'Let the action run each migration in its own transaction and remove BEGIN/COMMIT from the file; if the file must control transactions, balance every BEGIN with a COMMIT.',
    docs: {
        why: 'An unbalanced BEGIN leaves a transaction open after the file, so later statements and the history row commit (or roll back) together with it in ways nobody planned; a stray COMMIT commits half a migration.',
        bad: 'BEGIN;\nALTER TABLE documents ADD COLUMN title text;',
        good: 'BEGIN;\nALTER TABLE documents ADD COLUMN title text;\nCOMMIT;'
    },
    checkRevision: ({ statements, engine }) => {
        // Alembic's offline output frames migrations with its own BEGIN/COMMIT (autocommit_block too).
        if (engine === 'alembic')
            return [];
        const hits = [];
        const open = [];
        for (const [i, s] of statements.entries()) {
            if (s.transactionControl === 'begin') {
                if (open.length > 0)
                    hits.push({ statementIndex: i, message: 'BEGIN inside a transaction that is already open (PostgreSQL only warns and ignores it)' });
                open.push(i);
            }
            else if (s.transactionControl === 'commit' || s.transactionControl === 'rollback') {
                if (open.length === 0)
                    hits.push({ statementIndex: i, message: `${s.transactionControl.toUpperCase()} without a BEGIN earlier in the file` });
                else
                    open.pop();
            }
        }
        for (const i of open)
            hits.push({ statementIndex: i, message: 'BEGIN without a COMMIT later in the file' });
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/unique-constraint-without-index.ts


/* harmony default export */ const unique_constraint_without_index = ((0,rule/* defineRule */.Km)({
    id: 'unique-constraint-without-index',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Adds a primary key or unique constraint to an existing table without a prebuilt index',
    saferWay: 'Build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach it: `ADD CONSTRAINT … PRIMARY KEY USING INDEX …` (or `UNIQUE USING INDEX`).',
    docs: {
        why: 'The constraint builds its index inside the ALTER TABLE, holding an ACCESS EXCLUSIVE lock for the whole build: reads and writes wait.',
        bad: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE (slug);',
        good: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE USING INDEX documents_slug_idx;'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            const constraints = cmd.subtype === 'AT_AddConstraint'
                ? [(0,ast/* nodeOf */.E7)(cmd.def, 'Constraint')].filter((c) => c !== undefined)
                : cmd.subtype === 'AT_AddColumn'
                    ? (0,ast/* columnConstraints */.zD)((0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef') ?? {})
                    : [];
            for (const c of constraints) {
                if ((c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') && c.indexname === undefined) {
                    hits.push({
                        message: `adds a ${c.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'unique constraint'}${c.conname ? ` ${String(c.conname)}` : ''} to ${table}, building its index under an exclusive lock`,
                        table
                    });
                }
            }
        }
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/update-without-where.ts

/* harmony default export */ const update_without_where = ((0,rule/* defineRule */.Km)({
    id: 'update-without-where',
    appliesTo: ['UpdateStmt'],
    risk: 'critical',
    title: 'UPDATE without a WHERE clause on an existing table',
    saferWay: 'Limit the rows with a WHERE clause and backfill big tables in batches outside the schema migration, so no lock is held on every row at once.',
    docs: {
        why: 'It rewrites every row of the table in one transaction: every row is locked until commit, the table bloats, and a mistake changes all the data.',
        bad: "UPDATE documents SET status = 'draft';",
        good: "UPDATE documents SET status = 'draft' WHERE status IS NULL AND id BETWEEN 1 AND 10000;"
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table || body.whereClause !== undefined)
            return [];
        return [{ message: `updates every row of ${table}`, table }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vacuum-full.ts


/* harmony default export */ const vacuum_full = ((0,rule/* defineRule */.Km)({
    id: 'vacuum-full',
    appliesTo: ['VacuumStmt'],
    risk: 'high',
    title: 'VACUUM FULL',
    saferWay: 'Let autovacuum work, or use pg_repack / pg_squeeze to compact a table online; never VACUUM FULL in a deploy.',
    docs: {
        why: 'VACUUM FULL rewrites the table into a new file under an ACCESS EXCLUSIVE lock: no reads or writes until it is done, and it needs room for a second copy.',
        bad: 'VACUUM FULL chunks;',
        good: 'VACUUM (ANALYZE) chunks;'
    },
    check: ({ body }) => {
        const full = (0,ast/* list */.p_)(body.options).some((o) => String((0,ast/* nodeOf */.E7)(o, 'DefElem')?.defname).toLowerCase() === 'full');
        if (!full || !body.is_vacuumcmd)
            return [];
        const tables = (0,ast/* list */.p_)(body.rels)
            .map((r) => (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)(r, 'VacuumRelation')?.relation))
            .filter((r) => r !== undefined)
            .map((r) => (0,ast/* tableKey */.ih)(r));
        if (tables.length === 0)
            return [{ message: 'runs VACUUM FULL on every table of the database' }];
        return tables.map((table) => ({ message: `runs VACUUM FULL on ${table}`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-dimension-change.ts


/* harmony default export */ const vector_dimension_change = ((0,rule/* defineRule */.Km)({
    id: 'vector-dimension-change',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Changes the dimension (or type) of an existing vector column',
    saferWay: 'Add a new column with the new dimension, re-embed into it in batches, build its index CONCURRENTLY, switch the queries, then drop the old column and index. In place, drop the vector index first and convert with USING.',
    docs: {
        why: 'Stored vectors keep their dimension: every existing row fails the cast with "expected N dimensions, not M" (the migration aborts), and an HNSW/IVFFlat index on the column is typed by dimension and must be dropped first. On a table with rows the change is critical.',
        bad: 'ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);',
        good: 'ALTER TABLE chunks ADD COLUMN embedding_1536 vector(1536);'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            if (cmd.subtype !== 'AT_AlterColumnType')
                continue;
            const column = String(cmd.name);
            const target = (0,ast/* typeString */.w3)((0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef')?.typeName);
            if (!(0,ast/* vectorType */.yL)(target) || schema.isNewColumn(table, column))
                continue;
            const before = schema.columnType(table, column);
            if (before !== undefined && before === target)
                continue;
            const rows = schema.hasRows(table);
            const consequence = rows === true
                ? `; the table has rows, and each one fails the cast ("expected ${(0,ast/* vectorType */.yL)(target)?.dimensions ?? 'N'} dimensions, not ${(0,ast/* vectorType */.yL)(before)?.dimensions ?? 'M'}") unless USING converts it`
                : rows === false
                    ? '; the table is empty now'
                    : '';
            hits.push({
                message: `changes ${table}.${column} from ${before ?? 'its current type'} to ${target}${consequence}`,
                risk: rows === true ? 'critical' : undefined,
                table
            });
        }
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-extension-without-if-not-exists.ts

/* harmony default export */ const vector_extension_without_if_not_exists = ((0,rule/* defineRule */.Km)({
    id: 'vector-extension-without-if-not-exists',
    appliesTo: ['CreateExtensionStmt'],
    risk: 'high',
    title: 'CREATE EXTENSION vector without IF NOT EXISTS',
    saferWay: 'Write `CREATE EXTENSION IF NOT EXISTS vector;`, or leave it to the `extensions` input (default `vector`).',
    docs: {
        why: 'The action creates pgvector before the migrations by default (`extensions: vector`), and managed databases often have it already: the migration then fails with "extension \\"vector\\" already exists".',
        bad: 'CREATE EXTENSION vector;',
        good: 'CREATE EXTENSION IF NOT EXISTS vector;'
    },
    check: ({ body }) => (String(body.extname) === 'vector' && !body.if_not_exists ? [{ message: 'creates extension vector without IF NOT EXISTS' }] : [])
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-index-not-concurrent.ts


/* harmony default export */ const vector_index_not_concurrent = ((0,rule/* defineRule */.Km)({
    id: 'vector-index-not-concurrent',
    appliesTo: ['IndexStmt'],
    risk: 'high',
    title: 'A vector index built without CONCURRENTLY on an existing table',
    saferWay: "Use `CREATE INDEX CONCURRENTLY … USING hnsw` (the action runs such a file outside a transaction), and raise maintenance_work_mem for the session (`SET maintenance_work_mem = '2GB'`).",
    docs: {
        why: 'HNSW and IVFFlat builds take minutes to hours on real tables; without CONCURRENTLY every INSERT, UPDATE and DELETE on the table waits for the whole build.',
        bad: 'CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        good: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table || body.concurrent || !isVectorIndex(body))
            return [];
        return [{ message: `builds ${String(body.accessMethod)} index ${String(body.idxname ?? '(unnamed)')} on ${table} while blocking writes`, table }];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-index-too-many-dimensions.ts



/** pgvector's limits for HNSW and IVFFlat (README "Indexing"). */
const LIMITS = { vector: 2000, halfvec: 4000, bit: 64000 };
/* harmony default export */ const vector_index_too_many_dimensions = ((0,rule/* defineRule */.Km)({
    id: 'vector-index-too-many-dimensions',
    appliesTo: ['IndexStmt'],
    risk: 'high',
    title: 'An HNSW or IVFFlat index on more dimensions than the method supports',
    saferWay: 'Index a halfvec expression instead (`(embedding::halfvec(3072)) halfvec_cosine_ops`, up to 4,000 dimensions), or reduce the dimension (e.g. `subvector`, or a smaller embedding model).',
    docs: {
        why: 'pgvector refuses to build HNSW/IVFFlat indexes on more than 2,000 dimensions for vector (4,000 for halfvec): "column cannot have more than 2000 dimensions for hnsw index". The migration fails at the build, possibly after earlier statements were applied.',
        bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3072));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3072));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(3072)) halfvec_cosine_ops);'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || !isVectorIndex(body))
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return indexedVectors(body, table, schema)
            .filter((v) => v.type?.dimensions !== undefined && LIMITS[v.type.family] !== undefined && v.type.dimensions > LIMITS[v.type.family])
            .map((v) => ({
            message: `indexes ${table}.${v.column} as ${v.typeText} with ${String(body.accessMethod)}, which supports at most ${LIMITS[v.type.family]} dimensions for ${v.type.family}`,
            table
        }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-index-without-opclass.ts



/* harmony default export */ const vector_index_without_opclass = ((0,rule/* defineRule */.Km)({
    id: 'vector-index-without-opclass',
    appliesTo: ['IndexStmt'],
    risk: 'medium',
    title: 'A vector index without an explicit operator class',
    saferWay: 'Name the operator class that matches the distance your queries use: `vector_cosine_ops` for `<=>`, `vector_ip_ops` for `<#>`, `vector_l2_ops` for `<->`.',
    docs: {
        why: 'Without an operator class the index defaults to L2 distance (`<->`), while most applications query cosine distance (`<=>`): the index is built, takes space and time, and the queries never use it.',
        bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding);',
        good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || !isVectorIndex(body))
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return indexedVectors(body, table, schema)
            .filter((v) => v.opclass === undefined)
            .map((v) => ({ message: `indexes ${table}.${v.column} with ${String(body.accessMethod)} and the default operator class (L2 distance)` }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/vector-opclass-mismatch.ts



/* harmony default export */ const vector_opclass_mismatch = ((0,rule/* defineRule */.Km)({
    id: 'vector-opclass-mismatch',
    appliesTo: ['IndexStmt'],
    risk: 'high',
    title: "A vector index whose operator class does not match the column's type",
    saferWay: 'Use the operator class of the indexed type: `vector_*_ops` for vector, `halfvec_*_ops` for halfvec (or a `::halfvec(n)` expression), `sparsevec_*_ops` for sparsevec, `bit_*_ops` for bit.',
    docs: {
        why: 'pgvector operator classes are per type: `vector_cosine_ops` on a halfvec column fails with "operator class … does not accept data type halfvec", and the migration stops there.',
        bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding halfvec(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding halfvec(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding halfvec_cosine_ops);'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || !isVectorIndex(body))
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return indexedVectors(body, table, schema)
            .filter((v) => {
            const family = /^(vector|halfvec|sparsevec|bit)_/.exec(v.opclass ?? '')?.[1];
            return family !== undefined && v.type !== undefined && family !== v.type.family;
        })
            .map((v) => ({ message: `indexes ${table}.${v.column} (${v.typeText}) with ${v.opclass}, an operator class for another type`, table }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/volatile-default.ts


/** Built-in volatile functions seen in column defaults (pg_proc.provolatile = 'v'). */
const VOLATILE = new Set([
    'random',
    'gen_random_uuid',
    'uuid_generate_v1',
    'uuid_generate_v1mc',
    'uuid_generate_v4',
    'uuidv4',
    'uuidv7',
    'clock_timestamp',
    'timeofday',
    'nextval',
    'txid_current',
    'statement_timestamp'
]);
const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);
/* harmony default export */ const volatile_default = ((0,rule/* defineRule */.Km)({
    id: 'volatile-default',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Adds a column with a volatile default (or a serial) to an existing table',
    saferWay: 'Add the column without a default (or with a constant one), set the default afterwards for new rows, and backfill existing rows in batches.',
    docs: {
        why: 'A constant default is stored once in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), a sequence) must be computed per row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.',
        bad: 'ALTER TABLE documents ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
        good: 'ALTER TABLE documents ADD COLUMN public_id uuid;\nALTER TABLE documents ALTER COLUMN public_id SET DEFAULT gen_random_uuid();'
    },
    check: ({ body, schema }) => {
        const table = schema.existingTable(body.relation);
        if (!table)
            return [];
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            const column = cmd.subtype === 'AT_AddColumn' ? (0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef') : undefined;
            if (!column)
                continue;
            const type = (0,ast/* strings */.P$)(column.typeName?.names).at(-1) ?? '';
            const defaults = (0,ast/* columnConstraints */.zD)(column).filter((k) => k.contype === 'CONSTR_DEFAULT');
            const volatile = (0,ast/* calledFunctions */.Bm)(defaults.map((d) => d.raw_expr)).filter((f) => VOLATILE.has(f));
            if (SERIAL.has(type))
                hits.push({ message: `adds ${table}.${String(column.colname)} as ${type}: every row gets a sequence value`, table });
            else if (volatile.length > 0)
                hits.push({ message: `adds ${table}.${String(column.colname)} with the volatile default ${volatile[0]}()`, table });
        }
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/registry.ts





































/**
 * Every lint rule (alphabetical; the docs sort them by risk). `npm run new-rule <id>` adds an entry here;
 * `npm run docs:rules` writes each rule's page from it.
 */
const RULES = [
    change_column_type,
    cluster,
    constraint_missing_not_valid,
    create_extension,
    create_index_not_concurrent,
    delete_without_where,
    drop_column,
    drop_database,
    drop_index_not_concurrent,
    drop_schema,
    drop_table,
    enum_add_value,
    index_on_new_table,
    invalid_acknowledgement,
    ivfflat_on_empty_table,
    missing_lock_timeout,
    new_nullable_column,
    new_table,
    not_linted,
    not_null_column_without_default,
    reindex_not_concurrent,
    rename_column,
    rename_table,
    set_not_null,
    syntax_error,
    truncate,
    unbalanced_transaction,
    unique_constraint_without_index,
    update_without_where,
    vacuum_full,
    vector_dimension_change,
    vector_extension_without_if_not_exists,
    vector_index_not_concurrent,
    vector_index_too_many_dimensions,
    vector_index_without_opclass,
    vector_opclass_mismatch,
    volatile_default
];
const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));
function ruleById(id) {
    return BY_ID.get(id);
}
function isRuleId(id) {
    return BY_ID.has(id);
}

;// CONCATENATED MODULE: ./src/lint/acknowledgements.ts

const ALLOW = /^\s*(?:--|#)\s*pg-migrate:\s*allow\b(.*)$/i;
function readAcknowledgements(lines, firstLine) {
    const acknowledgements = [];
    const problems = [];
    for (const [i, text] of lines.entries()) {
        const match = ALLOW.exec(text);
        if (!match)
            continue;
        const line = firstLine + i;
        const [idsPart, ...reasonParts] = match[1].split(/\breason\s*:/i);
        const ids = idsPart.split(/[\s,]+/).filter(Boolean);
        const reason = reasonParts.join('reason:').trim();
        if (ids.length === 0) {
            problems.push({ line, message: 'pg-migrate:allow names no rule' });
            continue;
        }
        const unknown = ids.filter((id) => !isRuleId(id));
        for (const id of unknown)
            problems.push({ line, message: `pg-migrate:allow names an unknown rule '${id}'` });
        if (reason === '') {
            problems.push({ line, message: `pg-migrate:allow ${ids.join(', ')} gives no reason, so it acknowledges nothing` });
            continue;
        }
        const known = ids.filter(isRuleId);
        if (known.length > 0)
            acknowledgements.push({ rules: known, reason, line });
    }
    return { acknowledgements, problems };
}

// EXTERNAL MODULE: ./src/engines/alembic/revision-file.ts
var revision_file = __webpack_require__(8053);
;// CONCATENATED MODULE: ./src/lint/alembic-ops.ts

/** Calls that emit no SQL of their own. */
const SILENT = new Set(['get_bind', 'get_context', 'batch_alter_table', 'f', 'inline_literal', 'implementation_for', 'invoke']);
function listUpgradeCalls(source) {
    const lines = source.split(/\r?\n/);
    const start = lines.findIndex((l) => /^def\s+upgrade\s*\(/.test(l));
    if (start < 0)
        return undefined;
    let end = start + 1;
    while (end < lines.length && !/^[^\s#]/.test(lines[end]))
        end++;
    const body = lines
        .slice(start + 1, end)
        .map((l) => l.trimStart())
        .join('\n');
    const calls = [];
    for (const statement of (0,revision_file/* topLevelStatements */.sr)(body)) {
        const match = /^(?:with\s+)?(?:op|batch_op)\.(\w+)\s*\(/.exec(statement.text);
        if (match && !SILENT.has(match[1]))
            calls.push({ name: match[1], line: start + 1 + statement.line });
    }
    return { line: start + 1, calls };
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

// EXTERNAL MODULE: ./src/lint/schema-model.ts
var schema_model = __webpack_require__(4698);
;// CONCATENATED MODULE: ./src/lint/lint.ts








/** Rules indexed by the statement kinds they check, so each statement only meets its own rules. */
const RULES_BY_KIND = new Map();
for (const rule of RULES)
    for (const kind of rule.appliesTo ?? [])
        RULES_BY_KIND.set(kind, [...(RULES_BY_KIND.get(kind) ?? []), rule]);
async function lintPending(pending, options) {
    const parser = pending.some((p) => p.sql !== undefined) ? await (0,parse/* loadSqlParser */.Ok)() : undefined;
    const prepared = await Promise.all(pending.map((p) => prepareRevision(p, parser, options)));
    const catalog = options.catalog ? await options.catalog.describeTables((0,schema_model/* referencedTables */.Pc)(prepared.flatMap((r) => r.statements))) : undefined;
    const schema = new schema_model/* SchemaModel */.Vx(catalog);
    const findings = [];
    for (const revision of prepared)
        findings.push(...lintRevision(revision, schema, options));
    return {
        findings,
        maxRisk: findings.reduce((max, f) => (max === 'none' || (0,rule/* riskRank */.wv)(f.risk) > (0,rule/* riskRank */.wv)(max) ? f.risk : max), 'none'),
        revisions: pending.length,
        statements: prepared.reduce((n, r) => n + r.statements.length, 0)
    };
}
function lintRevision(revision, schema, options) {
    const { pending, statements, lines } = revision;
    const findings = [...revision.findings];
    const finding = (ruleId, hit, index) => {
        const rule = ruleById(ruleId);
        return {
            rule: ruleId,
            risk: hit.risk ?? rule.risk,
            revision: pending.revision.id,
            file: pending.revision.file,
            line: lines[index].line,
            message: hit.message,
            saferWay: rule.saferWay,
            statement: (0,ast/* firstLine */.TM)(statements[index].text),
            table: hit.table ? schema.describe(hit.table) : undefined,
            lineNote: lines[index].note
        };
    };
    for (const [index, statement] of statements.entries()) {
        const body = statement.node[statement.kind] ?? {};
        for (const rule of RULES_BY_KIND.get(statement.kind) ?? []) {
            if (!rule.check)
                continue;
            for (const hit of rule.check({ statement, body, schema, engine: options.engine }))
                findings.push(finding(rule.id, hit, index));
        }
        schema.apply(statement);
    }
    for (const rule of RULES) {
        if (!rule.checkRevision)
            continue;
        for (const hit of rule.checkRevision({ statements, schema, engine: options.engine, lockTimeout: options.lockTimeout }))
            findings.push(finding(rule.id, hit, hit.statementIndex));
    }
    return findings.map((f) => acknowledge(f, revision)).sort((a, b) => a.line - b.line);
}
function acknowledge(finding, revision) {
    const covers = (a) => a.rules.includes(finding.rule);
    const fileWide = revision.fileWide.find(covers);
    // A statement-level acknowledgement covers the first statement after it.
    const statementLevel = revision.acknowledgements.find((a) => covers(a) && !finding.lineNote && nextStatementLine(revision, a.line) === finding.line);
    const by = statementLevel ?? fileWide;
    return by ? { ...finding, acknowledged: { reason: by.reason, line: by.line } } : finding;
}
function nextStatementLine(revision, after) {
    const later = revision.lines.filter((l) => !l.note && l.line > after).map((l) => l.line);
    return later.length > 0 ? Math.min(...later) : undefined;
}
async function prepareRevision(pending, parser, options) {
    const { revision } = pending;
    const result = { pending, statements: [], lines: [], acknowledgements: [], fileWide: [], findings: [] };
    const meta = (rule, line, message) => ({
        rule,
        risk: ruleById(rule).risk,
        revision: revision.id,
        file: revision.file,
        line,
        message,
        saferWay: ruleById(rule).saferWay
    });
    if (pending.sql === undefined || !parser) {
        const why = pending.notes.find((n) => /no SQL|no section/i.test(n)) ?? pending.notes[0] ?? 'no SQL was produced for it';
        result.findings.push(meta('not-linted', revision.line ?? 1, `not linted: ${why}`));
        const source = options.engine === 'alembic' ? (options.readSource ?? readSourceFile)(revision.file) : undefined;
        if (source !== undefined)
            readFileAcknowledgements(result, source.split(/\r?\n/), 1, listUpgradeCalls(source)?.line ?? Number.MAX_SAFE_INTEGER, meta);
        return result;
    }
    const split = await splitStatements(parser, pending.sql);
    const sqlLine = pending.sqlLine ?? 1;
    if (options.engine === 'alembic') {
        const source = (options.readSource ?? readSourceFile)(revision.file);
        const statements = split.statements.filter((s) => !isAlembicBookkeeping(s));
        const upgrade = source === undefined ? undefined : listUpgradeCalls(source);
        const calls = upgrade
            ? mapStatementsToCalls(statements.map((s) => s.kind), upgrade.calls)
            : [];
        const fallback = upgrade?.line ?? revision.line ?? 1;
        const why = upgrade
            ? `no op. call of upgrade() matched this statement; line ${fallback} is upgrade()`
            : `the op. calls of ${revision.file} could not be listed; line ${fallback} is the revision`;
        result.statements = statements;
        result.lines = statements.map((_, i) => (calls[i] ? { line: calls[i].line } : { line: fallback, note: why }));
        for (const error of split.errors)
            result.findings.push(meta('syntax-error', fallback, `Alembic's offline SQL does not parse: ${error.message}`));
        if (source !== undefined)
            readFileAcknowledgements(result, source.split(/\r?\n/), 1, upgrade?.line ?? Number.MAX_SAFE_INTEGER, meta);
        return result;
    }
    const statements = split.statements;
    result.statements = statements;
    result.lines = statements.map((s) => ({ line: sqlLine + s.line - 1 }));
    for (const error of split.errors)
        result.findings.push(meta('syntax-error', sqlLine + error.line - 1, `does not parse: ${error.message}`));
    const firstStatementLine = result.lines[0]?.line ?? Number.MAX_SAFE_INTEGER;
    readFileAcknowledgements(result, pending.sql.split('\n'), sqlLine, firstStatementLine, meta);
    return result;
}
function readFileAcknowledgements(result, lines, firstLine, fileWideBefore, meta) {
    const { acknowledgements, problems } = readAcknowledgements(lines, firstLine);
    for (const problem of problems)
        result.findings.push(meta('invalid-acknowledgement', problem.line, problem.message));
    for (const a of acknowledgements)
        (a.line < fileWideBefore ? result.fileWide : result.acknowledgements).push(a);
}
function readSourceFile(file) {
    try {
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Alembic's writes to its version table and its transaction framing are not the revision's own. */
function isAlembicBookkeeping(statement) {
    if (statement.transactionControl)
        return true;
    const body = statement.node[statement.kind] ?? {};
    const touchesVersion = (value) => JSON.stringify(value ?? null).includes('"version_num"');
    if (statement.kind === 'InsertStmt')
        return (0,ast/* list */.p_)(body.cols).some((c) => (0,ast/* nodeOf */.E7)(c, 'ResTarget')?.name === 'version_num');
    if (statement.kind === 'UpdateStmt')
        return (0,ast/* list */.p_)(body.targetList).some((c) => (0,ast/* nodeOf */.E7)(c, 'ResTarget')?.name === 'version_num');
    // Merges and downgrades delete version rows: DELETE FROM alembic_version WHERE alembic_version.version_num = '…'.
    if (statement.kind === 'DeleteStmt')
        return touchesVersion(body.whereClause);
    return false;
}
/**
 * Parses the whole text; when that fails, parses it statement by statement (split at the scanner's
 * semicolons) so one broken statement is a finding and the others are still linted.
 */
async function splitStatements(parser, text) {
    try {
        return { statements: parser.parse(text), errors: [] };
    }
    catch (error) {
        if (!(error instanceof parse/* SqlSyntaxError */.MO))
            throw error;
    }
    const lib = (await __webpack_require__.e(/* import() */ 627).then(__webpack_require__.t.bind(__webpack_require__, 2627, 23)));
    const bytes = Buffer.from(text, 'utf8');
    const cuts = [0];
    try {
        for (const token of lib.scanSync(text).tokens)
            if (token.text === ';')
                cuts.push(token.end);
    }
    catch {
        // The scanner failed too (an unterminated string): the text is one piece.
    }
    cuts.push(bytes.length);
    const result = { statements: [], errors: [] };
    for (let i = 0; i + 1 < cuts.length; i++) {
        const before = bytes.subarray(0, cuts[i]).toString('utf8');
        const piece = bytes.subarray(cuts[i], cuts[i + 1]).toString('utf8');
        const lineOffset = before.split('\n').length - 1;
        try {
            for (const s of parser.parse(piece))
                result.statements.push({ ...s, index: result.statements.length, line: s.line + lineOffset });
        }
        catch (error) {
            if (!(error instanceof parse/* SqlSyntaxError */.MO))
                throw error;
            result.errors.push({ line: error.line + lineOffset, message: error.message });
        }
    }
    return result;
}


/***/ })

};
