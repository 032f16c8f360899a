export const id = 912;
export const ids = [912];
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


/***/ }),

/***/ 5912:
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
        why: 'Most type changes rewrite the whole table and rebuild its indexes under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done; running code may also break on the new type. A column added earlier in the pending set to a table that existed is rewritten with its rows all the same. A binary-compatible change read against the target (varchar(n) to a longer varchar or to text, USING only casting the column) rewrites nothing and is reported as low.',
        bad: 'ALTER TABLE documents ALTER COLUMN id TYPE bigint;',
        good: 'ALTER TABLE documents ADD COLUMN id_new bigint;\n-- then backfill id_new in batches and switch the code over, in later migrations'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return ((0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_AlterColumnType')
            .map((c) => ({ column: String(c.name), type: (0,ast/* typeString */.w3)((0,ast/* nodeOf */.E7)(c.def, 'ColumnDef')?.typeName), using: (0,ast/* nodeOf */.E7)(c.def, 'ColumnDef')?.raw_default }))
            // pgvector columns have their own rule (vector-dimension-change), with what the rows will do.
            .filter((c) => !(0,ast/* vectorType */.yL)(c.type))
            .flatMap(({ column, type, using }) => {
            const before = schema.columnType(table, column);
            if (before !== undefined && keepsEveryRow(before, type) && usingIsTheColumn(using, column)) {
                return schema.onObject({ kind: 'column', table, column }, {
                    message: `changes the type of ${table}.${column} from ${before} to ${type}: a binary-compatible change, so PostgreSQL rewrites no row and keeps the indexes (only a brief ACCESS EXCLUSIVE lock)`,
                    risk: 'low',
                    table
                }, { ifExists: Boolean(body.missing_ok) });
            }
            // A column added earlier in the pending set exempts nothing when its table has rows: they are rewritten.
            const added = schema.addedToExistingTable(table, column)
                ? ', a column added earlier in the pending set to a table that already existed: every row is rewritten (add it with its final type instead)'
                : '';
            return schema.onObject({ kind: 'column', table, column }, { message: `changes the type of ${table}.${column}${before ? ` from ${before}` : ''} to ${type}${added}`, table }, { ifExists: Boolean(body.missing_ok), touchesRows: true });
        }));
    }
}));
/** `varchar(n)`/`character varying(n)`/`text` → length and family, or undefined for any other type. */
function textType(type) {
    const m = /^(?:pg_catalog\.)?(?:varchar|character varying|text)(?:\((\d+)\))?$/i.exec(type.trim());
    if (!m || (/^(?:pg_catalog\.)?text/i.test(type.trim()) && m[1] !== undefined))
        return undefined;
    return { limit: m[1] === undefined ? undefined : Number(m[1]) };
}
/**
 * The changes PostgreSQL makes in the catalog only (binary coercible, no length check to run):
 * varchar(n) to a longer varchar, to varchar or to text, and between text and varchar without a limit.
 */
function keepsEveryRow(before, after) {
    const from = textType(before);
    const to = textType(after);
    if (!from || !to)
        return false;
    if (to.limit === undefined)
        return true;
    return from.limit !== undefined && to.limit >= from.limit;
}
/** No USING, or `USING col::newtype`: the rows' values are not recomputed. */
function usingIsTheColumn(using, column) {
    if (using === undefined)
        return true;
    const cast = (0,ast/* nodeOf */.E7)(using, 'TypeCast');
    const ref = (0,ast/* nodeOf */.E7)(cast?.arg, 'ColumnRef');
    const fields = ref?.fields ?? [];
    const name = (0,ast/* nodeOf */.E7)(fields.at(-1), 'String')?.sval;
    return fields.length === 1 && name === column;
}

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
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [{ message: 'runs CLUSTER on every previously clustered table' }];
        return schema.onTable((0,ast/* tableKey */.ih)(ref), { message: `rewrites ${(0,ast/* tableKey */.ih)(ref)} with CLUSTER` });
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/constraint-missing-not-valid.ts


/* harmony default export */ const constraint_missing_not_valid = ((0,rule/* defineRule */.Km)({
    id: 'constraint-missing-not-valid',
    appliesTo: ['AlterTableStmt', 'AlterDomainStmt'],
    risk: 'medium',
    title: 'Adds a foreign key or check constraint to an existing table (or domain) without NOT VALID',
    saferWay: 'Add the constraint `NOT VALID` (instant), then `ALTER TABLE … VALIDATE CONSTRAINT …` (or `ALTER DOMAIN … VALIDATE CONSTRAINT …`) in a later migration: validation takes a weaker lock and lets writes continue. For a new column with a foreign key: `ADD COLUMN` first, then `ADD CONSTRAINT … FOREIGN KEY … NOT VALID`.',
    docs: {
        why: 'Without NOT VALID, PostgreSQL checks every existing row while holding a lock that blocks writes. A foreign key also takes a SHARE ROW EXCLUSIVE lock on the referenced table, so writes to that table wait too; `ADD COLUMN … REFERENCES` does the same (a column constraint cannot be NOT VALID). A domain constraint checks every column of that type in every table, under a lock that blocks writes to each.',
        bad: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id);',
        good: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id) NOT VALID;'
    },
    check: ({ statement, body, schema }) => {
        if (statement.kind === 'AlterDomainStmt')
            return domainConstraint(body, schema);
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        const hits = [];
        const onTable = (message) => void hits.push(...schema.onTable(table, { message }, { ifExists: Boolean(body.missing_ok) }));
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            if (cmd.subtype === 'AT_AddConstraint') {
                const k = (0,ast/* nodeOf */.E7)(cmd.def, 'Constraint');
                if (!k || (k.contype !== 'CONSTR_FOREIGN' && k.contype !== 'CONSTR_CHECK') || k.skip_validation)
                    continue;
                const name = typeof k.conname === 'string' ? ` ${k.conname}` : '';
                onTable(`adds ${k.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint'}${name} to ${table}, validating every row under lock${referencedLock(k)}`);
            }
            const column = cmd.subtype === 'AT_AddColumn' ? (0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef') : undefined;
            if (!column)
                continue;
            // A column constraint cannot be NOT VALID: PostgreSQL checks every row when it adds the column.
            for (const k of (0,ast/* columnConstraints */.zD)(column).filter((c) => c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK')) {
                const what = k.contype === 'CONSTR_FOREIGN' ? `a foreign key to ${(0,ast/* tableKey */.ih)((0,ast/* relationOf */.Ke)(k.pktable) ?? { name: '?' })}` : 'a check constraint';
                onTable(`adds column ${table}.${String(column.colname)} with ${what}, validating every row under lock${referencedLock(k)}`);
            }
        }
        return hits;
    }
}));
/** A foreign key locks the table it references too (SHARE ROW EXCLUSIVE: no writes) until the transaction ends. */
function referencedLock(constraint) {
    const referenced = constraint.contype === 'CONSTR_FOREIGN' ? (0,ast/* relationOf */.Ke)(constraint.pktable) : undefined;
    return referenced ? `; it also locks ${(0,ast/* tableKey */.ih)(referenced)} against writes (SHARE ROW EXCLUSIVE) until it commits` : '';
}
function domainConstraint(body, schema) {
    const constraint = body.subtype === 'C' ? (0,ast/* nodeOf */.E7)(body.def, 'Constraint') : undefined;
    if (!constraint || constraint.contype !== 'CONSTR_CHECK' || constraint.skip_validation)
        return [];
    const domain = (0,ast/* tableKey */.ih)((0,ast/* relationFromNames */.be)((0,ast/* strings */.P$)(body.typeName)));
    const name = typeof constraint.conname === 'string' ? ` ${constraint.conname}` : '';
    const columns = schema.domainColumns(domain);
    if (columns?.length === 0)
        return schema.onObject({ kind: 'domain', domain }, { message: `adds check constraint${name} to domain ${domain}, which no column uses yet`, risk: 'low' });
    const which = columns === undefined ? 'every column of that type' : `every row of ${columns.join(', ')}`;
    return schema.onObject({ kind: 'domain', domain }, { message: `adds check constraint${name} to domain ${domain}, validating ${which} under a lock that blocks writes` });
}

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

// EXTERNAL MODULE: ./src/vector/build-memory.ts
var build_memory = __webpack_require__(9527);
// EXTERNAL MODULE: ./src/vector/server.ts
var vector_server = __webpack_require__(9068);
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
/** A whole-number storage parameter of the index (`WITH (m = 32)`, `WITH (lists = 1000)`); undefined when absent. */
function indexOption(body, name) {
    for (const option of (0,ast/* list */.p_)(body.options)) {
        const def = (0,ast/* nodeOf */.E7)(option, 'DefElem');
        if (def?.defname !== name)
            continue;
        const arg = def.arg;
        const value = (0,ast/* nodeOf */.E7)(arg, 'Integer')?.ival ?? (0,ast/* nodeOf */.E7)(arg, 'A_Const')?.ival ?? (0,ast/* nodeOf */.E7)(arg, 'String')?.sval;
        const n = Number(typeof value === 'object' && value !== null ? value.ival : value);
        return Number.isFinite(n) ? n : undefined;
    }
    return undefined;
}
/** The vector index builds of one revision, in order (a SET holds for the rest of the migration; sessions are reset between migrations). */
function vectorBuilds(statements, schema, server) {
    let session = server;
    const builds = [];
    for (const [index, statement] of statements.entries()) {
        const body = statement.node[statement.kind] ?? {};
        if (statement.kind === 'VariableSetStmt')
            session = (0,vector_server/* afterSet */.j)(session, body);
        if (statement.kind !== 'IndexStmt' || !isVectorIndex(body))
            continue;
        const table = schema.existingTable(body.relation);
        const rows = table === undefined ? undefined : schema.rows(table);
        if (table === undefined || !rows)
            continue;
        for (const v of indexedVectors(body, table, schema)) {
            const element = (0,build_memory/* elementBytes */.s2)(v.type);
            if (element === undefined)
                continue;
            const hnsw = String(body.accessMethod).toLowerCase() === 'hnsw';
            const estimate = hnsw ? (0,build_memory/* hnswBuildBytes */.yR)(rows, element, indexOption(body, 'm')) : (0,build_memory/* ivfflatBuildBytes */.Ev)(rows, element, indexOption(body, 'lists'));
            if (estimate)
                builds.push({ statementIndex: index, table, column: v.column, type: v.typeText, estimate, session });
        }
    }
    return builds;
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
        if (!ref || body.concurrent || isVectorIndex(body))
            return [];
        return schema.onTable((0,ast/* tableKey */.ih)(ref), { message: `builds index ${String(body.idxname ?? '(unnamed)')} on ${(0,ast/* tableKey */.ih)(ref)} while blocking writes` });
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || body.whereClause !== undefined)
            return [];
        return schema.onTable((0,ast/* tableKey */.ih)(ref), { message: `deletes every row of ${(0,ast/* tableKey */.ih)(ref)}` });
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/detach-partition-not-concurrent.ts


/** DETACH PARTITION … CONCURRENTLY exists from PostgreSQL 14. */
const CONCURRENT_DETACH_SINCE = 14;
/* harmony default export */ const detach_partition_not_concurrent = ((0,rule/* defineRule */.Km)({
    id: 'detach-partition-not-concurrent',
    appliesTo: ['AlterTableStmt'],
    risk: 'medium',
    title: 'DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+) on an existing partitioned table',
    saferWay: 'Use `ALTER TABLE … DETACH PARTITION … CONCURRENTLY` (PostgreSQL 14+, outside a transaction: put it in a file of its own, which the action then runs outside a transaction); if it is interrupted, finish it with `DETACH PARTITION … FINALIZE`.',
    docs: {
        why: 'A plain DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table and the partition: every query on any partition waits for it, and it waits for every running query on them first. With CONCURRENTLY the parent only gets a SHARE UPDATE EXCLUSIVE lock, and reads and writes continue.',
        bad: 'ALTER TABLE events DETACH PARTITION events_2024;',
        good: 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        // Older servers have no CONCURRENTLY to advise.
        const major = schema.serverVersion === undefined ? undefined : Number.parseInt(schema.serverVersion, 10);
        if (major !== undefined && major < CONCURRENT_DETACH_SINCE)
            return [];
        const parent = (0,ast/* tableKey */.ih)(ref);
        return (0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_DetachPartition')
            .map((c) => (0,ast/* nodeOf */.E7)(c.def, 'PartitionCmd'))
            .filter((p) => p && !p.concurrent)
            .flatMap((p) => schema.onTable(parent, { message: `detaches partition ${(0,ast/* tableKey */.ih)((0,ast/* relationOf */.Ke)(p.name) ?? { name: '?' })} from ${parent} under an ACCESS EXCLUSIVE lock on both` }, { ifExists: Boolean(body.missing_ok) }));
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return (0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_DropColumn')
            .flatMap((c) => schema.onObject({ kind: 'column', table, column: String(c.name) }, { message: `drops column ${table}.${String(c.name)}${c.missing_ok ? ' IF EXISTS' : ''}`, table }, { ifExists: Boolean(c.missing_ok || body.missing_ok) }));
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
            .map((o) => (0,ast/* tableKey */.ih)((0,ast/* relationFromNames */.be)((0,ast/* strings */.P$)((0,ast/* nodeOf */.E7)(o, 'List')?.items))))
            .flatMap((index) => {
            const table = schema.indexTable(index);
            return schema.onObject({ kind: 'index', index }, { message: `drops index ${index}${body.missing_ok ? ' IF EXISTS' : ''} under an exclusive lock on ${table === undefined ? 'its table' : `table ${table}`}`, table }, { ifExists: Boolean(body.missing_ok) });
        });
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
    check: ({ body, schema }) => {
        if (body.removeType !== 'OBJECT_SCHEMA')
            return [];
        return (0,ast/* list */.p_)(body.objects).flatMap((o) => {
            const name = String((0,ast/* nodeOf */.E7)(o, 'String')?.sval ?? '?');
            const cascade = body.behavior === 'DROP_CASCADE' ? ' CASCADE' : '';
            return schema.onObject({ kind: 'schema', schema: name }, { message: `drops schema ${name}${body.missing_ok ? ' IF EXISTS' : ''}${cascade}` }, { ifExists: Boolean(body.missing_ok) });
        });
    }
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
            .flatMap((table) => schema.onTable(table, { message: `drops table ${table}${body.missing_ok ? ' IF EXISTS' : ''}` }, { ifExists: Boolean(body.missing_ok) }));
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
        const verdict = ref && schema.tableVerdict((0,ast/* tableKey */.ih)(ref));
        if (!ref || verdict?.presence !== 'new')
            return [];
        return [{ message: `creates index ${String(body.idxname ?? '(unnamed)')} on ${(0,ast/* tableKey */.ih)(ref)}, ${verdict.why ?? 'created in this pending set'}` }];
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
        const verdict = schema.tableVerdict(table);
        if (verdict.presence === 'new')
            return [{ message: `builds IVFFlat on ${table}, ${verdict.why ?? 'created in this pending set'}: its lists are trained on no rows` }];
        if (schema.hasRows(table) === false)
            return [{ message: `builds IVFFlat on ${table}, which is empty: its lists are trained on no rows`, table }];
        return [];
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/missing-lock-timeout.ts


/** Statements that take a lock other sessions can queue behind. */
const LOCKING = new Set([
    'AlterTableStmt',
    'IndexStmt',
    'DropStmt',
    'RenameStmt',
    'TruncateStmt',
    'ClusterStmt',
    'ReindexStmt',
    'VacuumStmt',
    'CreateTrigStmt',
    'AlterEnumStmt',
    'AlterDomainStmt',
    'LockStmt',
    'RefreshMatViewStmt'
]);
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
        why: 'A DDL statement (or LOCK TABLE, REFRESH MATERIALIZED VIEW, ALTER DOMAIN … ADD CONSTRAINT) waiting for its lock behind a long-running query blocks every later query on the table for as long as it waits: without lock_timeout, an outage instead of a failed deploy.',
        bad: '-- run with lock-timeout: 0\nALTER TABLE documents ADD COLUMN title text;',
        good: "SET lock_timeout = '5s';\nALTER TABLE documents ADD COLUMN title text;"
    },
    checkRevision: ({ statements, verdicts, lockTimeout }) => {
        if (!disablesTimeout(lockTimeout))
            return [];
        for (const [i, s] of statements.entries()) {
            const body = s.node[s.kind];
            if (setsLockTimeout(s.kind, body))
                return [];
            if (!LOCKING.has(s.kind) || body.concurrent)
                continue;
            const ref = (0,ast/* relationOf */.Ke)(body.relation) ?? (s.kind === 'TruncateStmt' || s.kind === 'LockStmt' ? (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)((0,ast/* list */.p_)(body.relations)[0], 'RangeVar')) : undefined);
            // A new table locks nobody out; on an absent one the statement fails without waiting.
            const presence = verdicts[i]?.presence;
            if (ref && (presence === 'new' || presence === 'absent'))
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return ((0,ast/* addedColumns */.YB)(body)
            // A serial or identity column is NOT NULL with a sequence default: volatile-default reports its rewrite.
            .filter((column) => (0,ast/* serialType */.tW)(column) === undefined &&
            !(0,ast/* columnConstraints */.zD)(column).some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY' || k.contype === 'CONSTR_IDENTITY'))
            .flatMap((column) => schema.onTable(table, { message: `adds column ${table}.${String(column.colname)}` }, { ifExists: Boolean(body.missing_ok) })));
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
    saferWay: "Make the revision work in Alembic's offline mode (`alembic upgrade <from>:<to> --sql`): no `op.get_bind()` queries or reads of the database in upgrade(); or review it and the revisions after it by hand (the finding names the command that writes their SQL) and acknowledge it with `# pg-migrate:allow not-linted reason: …`.",
    docs: {
        why: "For Alembic the lint reads each revision's offline SQL. A revision that reads the database while it runs cannot produce it, so its risk is unknown: the lint says so instead of staying silent. Offline generation stops at such a revision, so the revisions after it have no SQL either: one finding, on the revision where it stopped, counts them.",
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return (0,ast/* addedColumns */.YB)(body)
            .filter((column) => {
            const types = (0,ast/* columnConstraints */.zD)(column).map((k) => k.contype);
            // A serial column's default is its sequence (volatile-default says what that costs).
            const filled = (0,ast/* serialType */.tW)(column) !== undefined || types.some((t) => t === 'CONSTR_DEFAULT' || t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED');
            return (types.includes('CONSTR_NOTNULL') || types.includes('CONSTR_PRIMARY')) && !filled;
        })
            .flatMap((column) => schema.onTable(table, { message: `adds ${table}.${String(column.colname)} NOT NULL without a default` }, { ifExists: Boolean(body.missing_ok) }));
    }
}));

// EXTERNAL MODULE: ./src/sql/transaction-block.ts
var transaction_block = __webpack_require__(5696);
;// CONCATENATED MODULE: ./src/lint/rules/refused-in-transaction-block.ts


/* harmony default export */ const refused_in_transaction_block = ((0,rule/* defineRule */.Km)({
    id: 'refused-in-transaction-block',
    risk: 'critical',
    title: "A statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) after the file's own BEGIN",
    saferWay: 'Remove BEGIN and COMMIT from the file: the action runs a file holding such a statement outside a transaction, statement by statement, by itself. Keep the statement in a file of its own.',
    docs: {
        why: 'CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, VACUUM and a few others fail with "cannot run inside a transaction block". The action runs a file holding one outside a transaction, statement by statement, but the file\'s own BEGIN opens a transaction block again, and the statement fails there. The action refuses such a file before anything of the run is applied.',
        bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);\nCOMMIT;',
        good: 'CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);'
    },
    checkRevision: ({ statements, engine }) => {
        // Alembic frames revisions itself (autocommit_block for these); its framing is not in the statements linted.
        if (engine === 'alembic')
            return [];
        return (0,transaction_block/* refusedInsideOwnTransaction */.x)(statements).map(({ statement }) => ({
            statementIndex: statements.indexOf(statement),
            message: `${statement.noTransaction.reason}, and the file's own BEGIN opens one around it: it fails at apply (the action refuses the file before anything runs)`
        }));
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
    check: ({ body, schema }) => {
        // `(CONCURRENTLY false)` is a plain REINDEX.
        if ((0,parse/* defElemTrue */.RH)(body.params, 'concurrently'))
            return [];
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        // PostgreSQL refuses to rebuild system catalogs concurrently: there is no safer way to advise.
        if (body.kind === 'REINDEX_OBJECT_SYSTEM' || ref?.schema?.toLowerCase() === 'pg_catalog')
            return [];
        const what = String(body.kind ?? '')
            .replace('REINDEX_OBJECT_', '')
            .toLowerCase();
        const message = `rebuilds ${what}${ref ? ` ${(0,ast/* tableKey */.ih)(ref)}` : body.name ? ` ${String(body.name)}` : ''} without CONCURRENTLY`;
        if (ref && body.kind === 'REINDEX_OBJECT_INDEX')
            return schema.onObject({ kind: 'index', index: (0,ast/* tableKey */.ih)(ref) }, { message, table: schema.indexTable((0,ast/* tableKey */.ih)(ref)) });
        if (ref && body.kind === 'REINDEX_OBJECT_TABLE')
            return schema.onTable((0,ast/* tableKey */.ih)(ref), { message });
        return [{ message }];
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || body.renameType !== 'OBJECT_COLUMN')
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return schema.onObject({ kind: 'column', table, column: String(body.subname) }, { message: `renames column ${table}.${String(body.subname)} to ${String(body.newname)}`, table }, { ifExists: Boolean(body.missing_ok) });
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || body.renameType !== 'OBJECT_TABLE')
            return [];
        return schema.onTable((0,ast/* tableKey */.ih)(ref), { message: `renames table ${(0,ast/* tableKey */.ih)(ref)} to ${String(body.newname)}` }, { ifExists: Boolean(body.missing_ok) });
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/set-not-null.ts


/* harmony default export */ const set_not_null = ((0,rule/* defineRule */.Km)({
    id: 'set-not-null',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'SET NOT NULL on a column of an existing table',
    saferWay: 'Add `CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT` in a later migration (no exclusive lock), then SET NOT NULL: PostgreSQL 12+ uses the valid check and skips the scan.',
    docs: {
        why: 'PostgreSQL scans the whole table to prove there is no NULL while holding an ACCESS EXCLUSIVE lock, and the migration fails if one row is NULL. A column added earlier in the pending set is no exception when its table existed: its rows hold NULL (no default, so the statement fails) or the default (the scan still runs).',
        bad: 'ALTER TABLE documents ALTER COLUMN title SET NOT NULL;',
        good: 'ALTER TABLE documents ADD CONSTRAINT documents_title_not_null CHECK (title IS NOT NULL) NOT VALID;\n-- in a later migration (a valid check lets SET NOT NULL skip its scan, so the lint does not flag it):\nALTER TABLE documents VALIDATE CONSTRAINT documents_title_not_null;\nALTER TABLE documents ALTER COLUMN title SET NOT NULL;'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return ((0,ast/* alterTableCommands */.Bb)(body)
            .filter((c) => c.subtype === 'AT_SetNotNull')
            // A valid CHECK (col IS NOT NULL) proves it: PostgreSQL 12+ skips the scan.
            .filter((c) => !schema.hasValidNotNullCheck(table, String(c.name)))
            .flatMap((c) => {
            const column = String(c.name);
            // A column added earlier in the pending set exempts nothing when its table has rows.
            const added = schema.addedToExistingTable(table, column);
            const consequence = !added
                ? ''
                : added.hasDefault
                    ? ', a column added earlier in the pending set to a table that already existed: every row is scanned under an exclusive lock (ADD COLUMN … NOT NULL DEFAULT … in one statement skips the scan)'
                    : `, a column added earlier in the pending set without a default to a table that already existed: ${schema.hasRows(table) === true ? 'the table has rows, all NULL in it, so the statement fails' : 'on a table with rows every row holds NULL in it, so the statement fails'}`;
            return schema.onObject({ kind: 'column', table, column }, { message: `sets ${table}.${column} NOT NULL${consequence}`, table }, { ifExists: Boolean(body.missing_ok), touchesRows: true });
        }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/syntax-error.ts

/* harmony default export */ const syntax_error = ((0,rule/* defineRule */.Km)({
    id: 'syntax-error',
    risk: 'critical',
    title: 'A statement that does not parse',
    saferWay: "Fix the SQL. Migration files are plain SQL for the server: psql meta-commands (\\i, \\connect, \\set) are not supported. Syntax the target server's version does not have yet needs a newer server, or the older spelling.",
    docs: {
        why: "The lint reads migrations with PostgreSQL's own grammar (that of PostgreSQL 18). A statement it cannot parse cannot be checked for risk, and the server will most likely refuse it too. Connected, the target server parses every pending statement as well, without running it: a statement its older grammar rejects (syntax added in PostgreSQL 16 to 18) is reported with the server's version, before anything is applied, instead of failing at apply.",
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
    check: ({ body, schema }) => {
        const cascade = body.behavior === 'DROP_CASCADE';
        return (0,ast/* list */.p_)(body.relations)
            .map((r) => (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)(r, 'RangeVar')))
            .filter((r) => r !== undefined)
            .map((r) => (0,ast/* tableKey */.ih)(r))
            .flatMap((table) => {
            const presence = schema.tableVerdict(table).presence;
            if (!cascade || presence === 'new' || presence === 'absent')
                return schema.onTable(table, { message: `truncates ${table}` });
            const reached = schema.cascadeOf(table);
            const also = reached === undefined
                ? ' and, through CASCADE, every table whose foreign keys reference it (which ones could not be checked)'
                : reached.length === 0
                    ? ' (CASCADE reaches no other table: none references it)'
                    : ` and, through CASCADE, ${reached.join(', ')} (foreign keys referencing it)`;
            return schema.onTable(table, { message: `truncates ${table}${also}` });
        });
    }
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
        let open;
        for (const [i, s] of statements.entries()) {
            if (s.transactionControl === 'begin') {
                // PostgreSQL ignores a nested BEGIN (with a warning): the first COMMIT ends the one transaction.
                if (open !== undefined)
                    hits.push({ statementIndex: i, message: 'BEGIN inside a transaction that is already open (PostgreSQL only warns and ignores it)' });
                else
                    open = i;
            }
            else if (s.transactionControl === 'commit' || s.transactionControl === 'rollback') {
                if (open === undefined)
                    hits.push({ statementIndex: i, message: `${s.transactionControl.toUpperCase()} without a BEGIN earlier in the file` });
                open = undefined;
            }
        }
        if (open !== undefined)
            hits.push({ statementIndex: open, message: 'BEGIN without a COMMIT later in the file' });
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/unique-constraint-without-index.ts


/* harmony default export */ const unique_constraint_without_index = ((0,rule/* defineRule */.Km)({
    id: 'unique-constraint-without-index',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Adds a primary key, unique or exclusion constraint to an existing table without a prebuilt index',
    saferWay: 'Build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach it: `ADD CONSTRAINT … PRIMARY KEY USING INDEX …` (or `UNIQUE USING INDEX`).',
    docs: {
        why: 'The constraint builds its index inside the ALTER TABLE, holding an ACCESS EXCLUSIVE lock for the whole build: reads and writes wait.',
        bad: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE (slug);',
        good: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE USING INDEX documents_slug_idx;'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            const constraints = cmd.subtype === 'AT_AddConstraint'
                ? [(0,ast/* nodeOf */.E7)(cmd.def, 'Constraint')].filter((c) => c !== undefined)
                : cmd.subtype === 'AT_AddColumn'
                    ? (0,ast/* columnConstraints */.zD)((0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef') ?? {})
                    : [];
            for (const c of constraints) {
                const kind = { CONSTR_PRIMARY: 'a primary key', CONSTR_UNIQUE: 'a unique constraint', CONSTR_EXCLUSION: 'an exclusion constraint' }[String(c.contype)];
                if (kind !== undefined && c.indexname === undefined) {
                    // An exclusion constraint cannot attach a prebuilt index (no USING INDEX): its build always holds the lock.
                    const noPrebuilt = c.contype === 'CONSTR_EXCLUSION' ? ' (an exclusion constraint cannot use a prebuilt index: run it when the table may be locked for the build)' : '';
                    hits.push(...schema.onTable(table, {
                        message: `adds ${kind}${c.conname ? ` ${String(c.conname)}` : ''} to ${table}, building its index under an exclusive lock${noPrebuilt}`
                    }));
                }
            }
        }
        return hits;
    }
}));

// EXTERNAL MODULE: ./src/lint/alembic-ops.ts
var alembic_ops = __webpack_require__(8735);
;// CONCATENATED MODULE: ./src/lint/rules/unnamed-constraint.ts


/** Alembic's constraint ops, whose first argument is the constraint's name, and the `type_` each makes. */
const CREATES = {
    create_foreign_key: { type: 'foreignkey', suffix: 'fkey', columnsAt: { op: 3, batch_op: 2 } },
    create_unique_constraint: { type: 'unique', suffix: 'key', columnsAt: { op: 2, batch_op: 1 } },
    create_primary_key: { type: 'primary', columnsAt: { op: 2, batch_op: 1 } },
    create_check_constraint: { type: 'check', columnsAt: { op: -1, batch_op: -1 } },
    create_exclude_constraint: { type: 'exclude', columnsAt: { op: -1, batch_op: -1 } }
};
/* harmony default export */ const unnamed_constraint = ((0,rule/* defineRule */.Km)({
    id: 'unnamed-constraint',
    risk: 'medium',
    title: 'An Alembic revision that drops a constraint by the name None (autogenerate leaves it for unnamed constraints)',
    saferWay: "Name the constraint where it is created (`op.create_foreign_key('chunks_document_id_fkey', …)`, or a `naming_convention` on the MetaData that autogenerate reads), and drop it by that name in downgrade().",
    docs: {
        why: 'Autogenerate writes `op.create_foreign_key(None, …)` for a constraint without a name, and `op.drop_constraint(None, …)` in downgrade(). PostgreSQL names the constraint itself, but SQLAlchemy cannot emit DROP CONSTRAINT without a name ("Can\'t emit DROP CONSTRAINT for constraint …; it has no name"): the downgrade of the revision fails, typically when it is needed to roll back. In upgrade() the same call fails the upgrade.',
        language: 'python',
        bad: "def upgrade():\n    op.create_foreign_key(None, 'chunks', 'documents', ['document_id'], ['id'])\n\n\ndef downgrade():\n    op.drop_constraint(None, 'chunks', type_='foreignkey')",
        good: "def upgrade():\n    op.create_foreign_key('chunks_document_id_fkey', 'chunks', 'documents', ['document_id'], ['id'])\n\n\ndef downgrade():\n    op.drop_constraint('chunks_document_id_fkey', 'chunks', type_='foreignkey')"
    },
    checkSource: ({ source }) => {
        const upgrade = (0,alembic_ops/* listCalls */.O1)(source, 'upgrade');
        const downgrade = (0,alembic_ops/* listCalls */.O1)(source, 'downgrade');
        const hits = [];
        for (const drop of upgrade.filter(dropsUnnamed)) {
            hits.push({
                line: drop.line,
                risk: 'high',
                message: `op.drop_constraint(None${tableOf(drop) ? `, '${tableOf(drop)}'` : ''}) in upgrade() cannot be emitted (SQLAlchemy: "it has no name"): upgrading to this revision fails; drop the constraint by its name`
            });
        }
        const creates = upgrade.filter((call) => CREATES[call.name] && isNone(argument(call, 0, 'constraint_name')));
        for (const drop of downgrade.filter(dropsUnnamed)) {
            const table = tableOf(drop);
            const type = stringValue(argument(drop, drop.receiver === 'op' ? 2 : 1, 'type_'));
            const created = creates.find((c) => (table === undefined || tableOf(c) === undefined || tableOf(c) === table) && (type === undefined || CREATES[c.name].type === type));
            const name = created && defaultName(created);
            const where = created ? `op.${created.name}(None, …) at line ${created.line} leaves the name to PostgreSQL${name ? ` (${name})` : ''}, and ` : '';
            // Reported on the create when there is one: that is where the name is missing, and it is in the pending upgrade.
            hits.push({
                line: created?.line ?? drop.line,
                message: `${where}op.drop_constraint(None${table ? `, '${table}'` : ''}) in downgrade() (line ${drop.line}) cannot be emitted (SQLAlchemy: "it has no name"): the downgrade of this revision will fail; name the constraint${name ? ` (e.g. '${name}')` : ''} and drop it by that name`
            });
        }
        return hits;
    }
}));
function dropsUnnamed(call) {
    return call.name === 'drop_constraint' && isNone(argument(call, 0, 'constraint_name'));
}
/** The table a call is about: its second argument for `op.`; `batch_op.` calls name none (their `with` block does). */
function tableOf(call) {
    if (call.receiver === 'batch_op')
        return undefined;
    return stringValue(argument(call, 1, call.name === 'create_foreign_key' ? 'source_table' : 'table_name'));
}
/** The name PostgreSQL chooses for an unnamed constraint (`<table>_<columns>_fkey`), when the call shows its table and columns. */
function defaultName(call) {
    const spec = CREATES[call.name];
    const table = tableOf(call);
    if (!table)
        return undefined;
    if (spec.type === 'primary')
        return `${table}_pkey`;
    const at = spec.columnsAt[call.receiver];
    const columns = at < 0 ? undefined : listValue(argument(call, at, call.name === 'create_foreign_key' ? 'local_cols' : 'columns'));
    return spec.suffix && columns?.length ? `${table}_${columns.join('_')}_${spec.suffix}`.slice(0, 63) : undefined;
}
/** Positional argument `index`, or the keyword argument `keyword=…`. */
function argument(call, index, keyword) {
    const named = call.args.find((a) => new RegExp(`^${keyword}\\s*=`).test(a));
    if (named)
        return named.slice(named.indexOf('=') + 1).trim();
    const positional = call.args.filter((a) => !/^\w+\s*=[^=]/.test(a));
    return positional[index];
}
function isNone(value) {
    return value === 'None';
}
function stringValue(value) {
    const m = /^[rRuU]?(['"])(.*)\1$/.exec(value ?? '');
    return m?.[2];
}
function listValue(value) {
    const m = /^[[(](.*)[\])]$/.exec(value ?? '');
    if (!m)
        return undefined;
    const items = m[1]
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .map(stringValue);
    return items.every((item) => item !== undefined) ? items : undefined;
}

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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || body.whereClause !== undefined)
            return [];
        return schema.onTable((0,ast/* tableKey */.ih)(ref), { message: `updates every row of ${(0,ast/* tableKey */.ih)(ref)}` });
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
    check: ({ body, schema }) => {
        // `VACUUM (FULL false)` is a plain VACUUM.
        if (!(0,parse/* defElemTrue */.RH)(body.options, 'full') || !body.is_vacuumcmd)
            return [];
        const tables = (0,ast/* list */.p_)(body.rels)
            .map((r) => (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)(r, 'VacuumRelation')?.relation))
            .filter((r) => r !== undefined)
            .map((r) => (0,ast/* tableKey */.ih)(r));
        if (tables.length === 0)
            return [{ message: 'runs VACUUM FULL on every table of the database' }];
        return tables.flatMap((table) => schema.onTable(table, { message: `runs VACUUM FULL on ${table}` }));
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/validate-in-same-transaction.ts


/* harmony default export */ const validate_in_same_transaction = ((0,rule/* defineRule */.Km)({
    id: 'validate-in-same-transaction',
    risk: 'medium',
    title: 'Validates a constraint in the same transaction that added it NOT VALID',
    saferWay: 'Move `VALIDATE CONSTRAINT` to a later migration (and with Alembic, to a later deploy unless `transaction_per_migration` is on): on its own it takes only a SHARE UPDATE EXCLUSIVE lock, and reads and writes continue while it checks the rows.',
    docs: {
        why: 'NOT VALID makes adding the constraint instant, so its lock is brief. Validating it in the same transaction checks every row while that lock is still held (ACCESS EXCLUSIVE for a check constraint: no reads or writes; SHARE ROW EXCLUSIVE on both tables for a foreign key: no writes), which is exactly what NOT VALID was for.',
        bad: 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID;\nALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn;',
        good: 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID;\n-- in a later migration:\n-- ALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn;'
    },
    checkRevision: ({ statements, verdicts, schema, transactional }) => {
        // Statement by statement, the ADD's lock is released when it commits.
        if (!transactional)
            return [];
        const added = new Map();
        const hits = [];
        for (const [i, s] of statements.entries()) {
            if (s.kind !== 'AlterTableStmt')
                continue;
            const body = s.node[s.kind];
            const ref = (0,ast/* relationOf */.Ke)(body.relation);
            if (!ref || body.objtype === 'OBJECT_INDEX')
                continue;
            const table = (0,ast/* tableKey */.ih)(ref);
            for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
                const constraint = (0,ast/* nodeOf */.E7)(cmd.def, 'Constraint');
                if (cmd.subtype === 'AT_AddConstraint' && constraint?.skip_validation && typeof constraint.conname === 'string') {
                    added.set(`${table}.${constraint.conname}`, { statementIndex: i, constraint });
                }
                const earlier = cmd.subtype === 'AT_ValidateConstraint' ? added.get(`${table}.${String(cmd.name)}`) : undefined;
                if (!earlier)
                    continue;
                const referenced = earlier.constraint.contype === 'CONSTR_FOREIGN' ? (0,ast/* relationOf */.Ke)(earlier.constraint.pktable) : undefined;
                const lock = referenced
                    ? `the SHARE ROW EXCLUSIVE locks the ADD took on ${table} and ${(0,ast/* tableKey */.ih)(referenced)} are held while every row is checked: writes to both wait`
                    : `the ACCESS EXCLUSIVE lock the ADD took on ${table} is held while every row is checked: reads and writes wait`;
                // The verdict on the table as the ADD met it: a table new in the pending set has no rows to check.
                const verdict = verdicts[earlier.statementIndex] ?? schema.tableVerdict(table);
                for (const hit of schema.onVerdict(verdict, { kind: 'table', table }, { message: `validates ${String(cmd.name)} in the transaction that added it NOT VALID: ${lock}`, table }))
                    hits.push({ ...hit, statementIndex: i });
            }
        }
        return hits;
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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            if (cmd.subtype !== 'AT_AlterColumnType')
                continue;
            const column = String(cmd.name);
            const target = (0,ast/* typeString */.w3)((0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef')?.typeName);
            if (!(0,ast/* vectorType */.yL)(target))
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
            hits.push(...schema.onObject({ kind: 'column', table, column }, { message: `changes ${table}.${column} from ${before ?? 'its current type'} to ${target}${consequence}`, risk: rows === true ? 'critical' : undefined, table }, { ifExists: Boolean(body.missing_ok), touchesRows: true }));
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

// EXTERNAL MODULE: ./src/extensions.ts + 3 modules
var extensions = __webpack_require__(5147);
// EXTERNAL MODULE: ./src/vector/versions.ts
var versions = __webpack_require__(2478);
;// CONCATENATED MODULE: ./src/lint/rules/vector-feature-unsupported.ts



/** One per lint run (the schema model is), carried across its revisions in the order they run. */
const inEffect = new WeakMap();
/* harmony default export */ const vector_feature_unsupported = ((0,rule/* defineRule */.Km)({
    id: 'vector-feature-unsupported',
    risk: 'critical',
    title: "Uses a pgvector feature that the server's pgvector version lacks",
    saferWay: "Update the extension first: `ALTER EXTENSION vector UPDATE;` (in a migration before this one, or by hand), and where the server's pgvector package itself is older than the feature, upgrade the package (e.g. the pgvector/pgvector image) before that. This finding stops the run whatever fail-on-risk says: the statement would fail.",
    docs: {
        why: 'HNSW came in pgvector 0.5.0; halfvec, sparsevec, bit and L1 indexing in 0.7.0; iterative index scans in 0.8.0. A database whose vector extension is older fails at the statement (access method "hnsw" does not exist, type "halfvec" does not exist), possibly after earlier migrations were applied; an iterative scan setting on an older library is not even an error when set before pgvector loads. The run stops before anything is applied instead, naming the statement.',
        bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops);',
        good: 'ALTER EXTENSION vector UPDATE;\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops);',
        assumes: { description: 'the database at pgvector 0.6.2 and the server shipping 0.8.0', server: { installed: '0.6.2', available: '0.8.0' } }
    },
    checkRevision: ({ statements, schema, server }) => {
        if (!server)
            return [];
        const state = inEffect.get(schema) ?? start(server);
        inEffect.set(schema, state);
        const hits = [];
        for (const [index, statement] of statements.entries()) {
            const body = statement.node[statement.kind] ?? {};
            const change = (0,versions/* extensionChange */.gE)(statement.kind, body);
            if (change && (change.action === 'update' || state.objects === undefined))
                state.objects = change.version ?? server.available;
            for (const id of (0,versions/* featuresOf */.Hi)(statement.kind, body)) {
                const feature = versions/* VECTOR_FEATURES */.oV[id];
                // Not created by then: the extensions input creates it before the migrations, at the server's version.
                const have = feature.kind === 'objects' ? (state.objects ?? server.available) : state.library;
                if (!have || (0,extensions/* versionAtLeast */.zy)(have, feature.since))
                    continue;
                hits.push({ message: missing(feature, have, server), statementIndex: index });
            }
        }
        return hits;
    }
}));
function start(server) {
    return { objects: server.installed, library: server.available };
}
function missing(feature, have, server) {
    const needs = `uses ${feature.name}, which needs pgvector ${feature.since} (${feature.source})`;
    if (feature.kind === 'library') {
        return `${needs}; the server's pgvector library is ${have}: upgrade the pgvector package on the server (e.g. a newer pgvector/pgvector image), then run ALTER EXTENSION vector UPDATE`;
    }
    const libraryHasIt = server.available !== undefined && (0,extensions/* versionAtLeast */.zy)(server.available, feature.since);
    return libraryHasIt
        ? `${needs}; the vector extension in this database is ${have} while the server ships ${server.available}: run ALTER EXTENSION vector UPDATE first (by hand, or in a migration before this one)`
        : `${needs}; the vector extension in this database is ${have} and the server ships ${server.available ?? 'no newer version'}: upgrade the pgvector package on the server, then run ALTER EXTENSION vector UPDATE`;
}

;// CONCATENATED MODULE: ./src/lint/rules/vector-index-memory.ts



/* harmony default export */ const vector_index_memory = ((0,rule/* defineRule */.Km)({
    id: 'vector-index-memory',
    appliesTo: ['IndexStmt'],
    risk: 'medium',
    title: 'An HNSW or IVFFlat build on an existing table that needs more memory than maintenance_work_mem',
    saferWay: 'Give the migration session the memory the build needs, as long as the database server has that much free: set the `maintenance-work-mem` input to the size the finding names, or to `auto` (the estimate, up to `maintenance-work-mem-max`), or `SET maintenance_work_mem` in the migration before the build.',
    docs: {
        why: 'HNSW builds its graph in maintenance_work_mem (64MB by default). Once the graph no longer fits, the server says only "hnsw graph no longer fits into maintenance_work_mem after N tuples" and goes on on disk, many times slower: builds that take minutes in memory take hours or days. IVFFlat refuses outright ("memory required is N MB, maintenance_work_mem is M MB") when its k-means sample does not fit, and the migration fails there. The estimate comes from the live row count and the indexed type; see the README, "Vector index builds".',
        bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        good: "-- Or, instead of the SET: the input maintenance-work-mem: 9GB (or auto, with maintenance-work-mem-max: 9GB).\nSET maintenance_work_mem = '9GB';\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);",
        assumes: {
            description: 'table chunks holding 1,000,000 rows of vector(1536) and maintenance_work_mem at its default of 64MB',
            tables: { chunks: { estimatedRows: 1_000_000, hasRows: true, columns: new Map([['embedding', 'vector(1536)']]) } },
            server: { maintenanceWorkMemKb: 64 * 1024, maintenanceWorkMemFrom: 'server', serverMaintenanceWorkMemKb: 64 * 1024, autoMaxKb: 2 * 1024 * 1024 }
        }
    },
    checkRevision: ({ statements, schema, server }) => server
        ? vectorBuilds(statements, schema, server)
            .filter((b) => b.estimate.bytes > available(b.session) * 1024)
            .map((b) => ({
            message: `${describe(b.estimate, b.table, b.column, b.type)}; ${shortfall(b.session, available(b.session), b.estimate)}`,
            table: b.table,
            statementIndex: b.statementIndex
        }))
        : []
}));
const SOURCE = { server: "the server's", input: 'the input', migration: 'set by the migration', auto: 'auto' };
/** What the migration session will have: with `auto`, as much as the cap allows (never less than the server's). */
function available(server) {
    return server.maintenanceWorkMemFrom === 'auto' ? Math.max(server.serverMaintenanceWorkMemKb, server.autoMaxKb) : server.maintenanceWorkMemKb;
}
function describe(estimate, table, column, type) {
    const what = estimate.method === 'hnsw' ? 'its graph needs' : 'its k-means needs';
    return `builds ${estimate.method.toUpperCase()} on ${table}.${column}${type ? ` (${type})` : ''}: ${what} ~${(0,build_memory/* formatBytes */.z3)(estimate.bytes)} (${estimate.basis})`;
}
function shortfall(server, limitKb, estimate) {
    const setting = (0,build_memory/* settingFor */.yJ)(estimate.bytes).text;
    const from = server.maintenanceWorkMemFrom === 'auto'
        ? `maintenance-work-mem: auto stops at maintenance-work-mem-max ${(0,build_memory/* formatSetting */.w_)(limitKb)}`
        : `maintenance_work_mem is ${(0,build_memory/* formatSetting */.w_)(limitKb)} (${SOURCE[server.maintenanceWorkMemFrom]})`;
    const consequence = estimate.method === 'hnsw'
        ? 'the graph spills to disk part-way and the build slows down many times'
        : 'the build fails with "memory required is … MB, maintenance_work_mem is … MB"';
    return `${from}, so ${consequence}. Set the input maintenance-work-mem: ${setting}${server.maintenanceWorkMemFrom === 'auto' ? ` (raise maintenance-work-mem-max to at least ${setting})` : ' (or auto)'} if the database server has that much memory free${parallelNote(server, estimate)}`;
}
/** HNSW builds in parallel since pgvector 0.6.0: say what the session allows and what limits it. */
function parallelNote(server, estimate) {
    if (estimate.method !== 'hnsw')
        return '.';
    const workers = server.maxParallelMaintenanceWorkers;
    if (workers === 0)
        return '; parallel workers are off (max_parallel_maintenance_workers 0): max-parallel-maintenance-workers gives the build more.';
    const capped = Math.min(workers, server.maxParallelWorkers, server.maxWorkerProcesses);
    const limit = capped < workers ? `, of which max_parallel_workers ${server.maxParallelWorkers} / max_worker_processes ${server.maxWorkerProcesses} let ${capped} start` : '';
    return `; the build may use ${workers} parallel ${workers === 1 ? 'worker' : 'workers'} (max_parallel_maintenance_workers, ${SOURCE[server.maxParallelMaintenanceWorkersFrom]})${limit}.`;
}

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
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref || body.concurrent || !isVectorIndex(body))
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        return schema.onTable(table, { message: `builds ${String(body.accessMethod)} index ${String(body.idxname ?? '(unnamed)')} on ${table} while blocking writes` });
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

;// CONCATENATED MODULE: ./src/lint/rules/vector-version-advisory.ts



/** PostgreSQL plans no parallel workers for a table smaller than min_parallel_table_scan_size (8MB by default). */
const PARALLEL_FROM_BYTES = 8 * 1024 * 1024;
/* harmony default export */ const vector_version_advisory = ((0,rule/* defineRule */.Km)({
    id: 'vector-version-advisory',
    risk: 'medium',
    title: 'An HNSW build with parallel workers on a pgvector version with a security advisory for it',
    saferWay: 'Upgrade pgvector on the server to the fixed version the finding names; until then build without parallel workers: the input max-parallel-maintenance-workers: 0, or `SET max_parallel_maintenance_workers = 0` before the build.',
    docs: {
        why: 'CVE-2026-3172: in pgvector 0.6.0 to 0.8.1 an HNSW build with parallel workers can overflow a buffer, leak data of other relations or crash the server (https://github.com/pgvector/pgvector/issues/959, fixed in 0.8.2). A table large enough for parallel workers (min_parallel_table_scan_size, 8MB) gets them by default (max_parallel_maintenance_workers 2). The advisories are kept in one table in src/vector/versions.ts with their sources.',
        bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        good: 'SET max_parallel_maintenance_workers = 0;\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
        assumes: {
            description: 'pgvector 0.8.0 on the server, table chunks of 1 GB, and max_parallel_maintenance_workers at its default of 2',
            tables: { chunks: { estimatedRows: 1_000_000, hasRows: true, totalBytes: 1024 ** 3, columns: new Map([['embedding', 'vector(128)']]) } },
            server: { installed: '0.8.0', available: '0.8.0', maxParallelMaintenanceWorkers: 2, maxParallelMaintenanceWorkersFrom: 'server' }
        }
    },
    checkRevision: ({ statements, schema, server }) => {
        const advisories = (0,versions/* advisoriesFor */.Jw)(server?.available ?? server?.installed, 'hnsw-parallel-build');
        if (!server || advisories.length === 0)
            return [];
        let session = server;
        const hits = [];
        for (const [index, statement] of statements.entries()) {
            const body = statement.node[statement.kind] ?? {};
            if (statement.kind === 'VariableSetStmt')
                session = (0,vector_server/* afterSet */.j)(session, body);
            if (statement.kind !== 'IndexStmt' || String(body.accessMethod).toLowerCase() !== 'hnsw' || session.maxParallelMaintenanceWorkers === 0)
                continue;
            const table = schema.existingTable(body.relation);
            const facts = table === undefined ? undefined : schema.facts(table);
            if (table === undefined || schema.hasRows(table) === false || (facts?.totalBytes !== undefined && facts.totalBytes < PARALLEL_FROM_BYTES))
                continue;
            const version = server.available ?? server.installed;
            hits.push({
                message: `builds HNSW on ${table} with up to ${session.maxParallelMaintenanceWorkers} parallel workers on pgvector ${version}, affected by ${advisories.map(versions/* describeAdvisory */.xR).join('; ')}: upgrade pgvector, or build without parallel workers (max-parallel-maintenance-workers: 0)`,
                table,
                statementIndex: index
            });
        }
        return hits;
    }
}));

;// CONCATENATED MODULE: ./src/lint/rules/volatile-default.ts


/* harmony default export */ const volatile_default = ((0,rule/* defineRule */.Km)({
    id: 'volatile-default',
    appliesTo: ['AlterTableStmt'],
    risk: 'high',
    title: 'Adds a column with a volatile default (or a serial, identity or stored generated column) to an existing table',
    saferWay: 'Add the column without a default (or with a constant one), set the default afterwards for new rows, and backfill existing rows in batches.',
    docs: {
        why: 'A constant or stable default (now()) is evaluated once and stored in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), a sequence, any function declared VOLATILE, which is the default for user functions) must be computed per row, as must identity and stored generated columns: the whole table is rewritten under an ACCESS EXCLUSIVE lock. Volatility is read from the target (pg_proc.provolatile).',
        bad: 'ALTER TABLE documents ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
        good: 'ALTER TABLE documents ADD COLUMN public_id uuid;\nALTER TABLE documents ALTER COLUMN public_id SET DEFAULT gen_random_uuid();'
    },
    check: ({ body, schema }) => {
        const ref = (0,ast/* relationOf */.Ke)(body.relation);
        if (!ref)
            return [];
        const table = (0,ast/* tableKey */.ih)(ref);
        const hits = [];
        for (const cmd of (0,ast/* alterTableCommands */.Bb)(body)) {
            const column = cmd.subtype === 'AT_AddColumn' ? (0,ast/* nodeOf */.E7)(cmd.def, 'ColumnDef') : undefined;
            if (!column)
                continue;
            const name = `${table}.${String(column.colname)}`;
            const serial = (0,ast/* serialType */.tW)(column);
            const constraints = (0,ast/* columnConstraints */.zD)(column);
            const rewrite = (message) => void hits.push(...schema.onTable(table, { message }, { ifExists: Boolean(body.missing_ok) }));
            if (serial) {
                rewrite(`adds ${name} as ${serial}: every row gets a sequence value, so the table is rewritten`);
                continue;
            }
            if (constraints.some((k) => k.contype === 'CONSTR_IDENTITY')) {
                rewrite(`adds ${name} as an identity column: every row gets a sequence value, so the table is rewritten`);
                continue;
            }
            // A VIRTUAL column (PostgreSQL 18) is computed on read: nothing is written.
            if (constraints.some((k) => k.contype === 'CONSTR_GENERATED' && k.generated_kind !== 'v')) {
                rewrite(`adds ${name} as a stored generated column: it is computed for every row, so the table is rewritten`);
                continue;
            }
            // Volatility as the server has it (pg_proc.provolatile), so user functions count and stable ones (now()) do not.
            const calls = (0,ast/* calledFunctionRefs */.Uu)(constraints.filter((k) => k.contype === 'CONSTR_DEFAULT').map((d) => d.raw_expr)).map(ast/* tableKey */.ih);
            const volatile = calls.find((f) => schema.volatility(f) === 'v');
            const unknown = calls.find((f) => schema.volatility(f) === undefined);
            if (volatile)
                rewrite(`adds ${name} with the volatile default ${volatile}(): it is computed for every row, so the table is rewritten`);
            else if (unknown)
                rewrite(`adds ${name} with the default ${unknown}(), whose volatility could not be checked (${schema.serverVersion ? 'no such function in the target' : 'not connected'}): if it is volatile, the table is rewritten`);
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
    detach_partition_not_concurrent,
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
    refused_in_transaction_block,
    reindex_not_concurrent,
    rename_column,
    rename_table,
    set_not_null,
    syntax_error,
    truncate,
    unbalanced_transaction,
    unique_constraint_without_index,
    unnamed_constraint,
    update_without_where,
    vacuum_full,
    validate_in_same_transaction,
    vector_dimension_change,
    vector_extension_without_if_not_exists,
    vector_feature_unsupported,
    vector_index_memory,
    vector_index_not_concurrent,
    vector_index_too_many_dimensions,
    vector_index_without_opclass,
    vector_opclass_mismatch,
    vector_version_advisory,
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
/**
 * `isText(index, column)` says whether the comment that line `index` (0-based, in `lines`) holds from
 * `column` is really text: inside a string, dollar-quoted body or block comment. There it acknowledges
 * nothing, as section markers there mark nothing.
 */
function readAcknowledgements(lines, firstLine, isText = () => false) {
    const acknowledgements = [];
    const problems = [];
    for (const [i, text] of lines.entries()) {
        const match = ALLOW.exec(text);
        if (!match || isText(i, text.length - text.trimStart().length))
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
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
    addNotLintedFindings(prepared);
    const schema = await readSchema(prepared, options);
    await addServerSyntaxFindings(prepared, schema, options);
    const findings = [];
    const builds = [];
    for (const revision of prepared) {
        if (revision.unread)
            schema.markUnread(revision.pending.revision.id, revision.unread);
        findings.push(...lintRevision(revision, schema, options));
        if (!options.server)
            continue;
        const { id, file } = revision.pending.revision;
        for (const { session: _session, ...build } of vectorBuilds(revision.statements, schema, options.server)) {
            builds.push({ ...build, revision: id, file, line: revision.lines[build.statementIndex].line });
        }
    }
    return {
        ...(options.server ? { vectorBuilds: builds } : {}),
        findings,
        maxRisk: findings.reduce((max, f) => (max === 'none' || (0,rule/* riskRank */.wv)(f.risk) > (0,rule/* riskRank */.wv)(max) ? f.risk : max), 'none'),
        revisions: pending.length,
        statements: prepared.reduce((n, r) => n + r.statements.length, 0)
    };
}
/** The live catalog for every object the pending statements name; without it (not connected, or the read failed) every verdict is "could not check". */
async function readSchema(prepared, options) {
    if (!options.catalog)
        return new schema_model/* SchemaModel */.Vx();
    try {
        return new schema_model/* SchemaModel */.Vx(await options.catalog.read((0,schema_model/* catalogRequest */.$j)(prepared.flatMap((r) => r.statements))));
    }
    catch (error) {
        return new schema_model/* SchemaModel */.Vx(undefined, `the catalog could not be read: ${(0,redact/* redact */.E$)(error instanceof Error ? error.message : String(error))}`);
    }
}
/**
 * The lint's parser may know newer syntax than the target server (it carries the grammar of
 * PostgreSQL PARSER_POSTGRES_MAJOR): the server parses every statement too (without running it), and
 * a statement it rejects is a finding that names its version, instead of a failure at apply.
 */
async function addServerSyntaxFindings(prepared, schema, options) {
    if (!options.catalog?.rejectedSyntax || schema.serverVersion === undefined)
        return;
    const all = prepared.flatMap((revision) => revision.statements.map((statement, index) => ({ revision, statement, index })));
    if (all.length === 0)
        return;
    let rejected;
    try {
        rejected = await options.catalog.rejectedSyntax(all.map(({ statement }) => ({ text: statement.text, kind: statement.kind })));
    }
    catch {
        // The server could not be asked: its apply will say.
        return;
    }
    const version = schema.serverVersion;
    const major = Number.parseInt(version, 10);
    for (const { index, message } of rejected) {
        const { revision, index: statementIndex } = all[index];
        const newer = Number.isFinite(major) && major < parse/* PARSER_POSTGRES_MAJOR */.ON;
        revision.serverRejects.set(statementIndex, `the target server, PostgreSQL ${version}, rejects this statement: ${(0,redact/* redact */.E$)(message)}` +
            (newer
                ? `; the lint's parser (PostgreSQL ${parse/* PARSER_POSTGRES_MAJOR */.ON}) accepts it: it uses syntax newer than PostgreSQL ${major}, so it fails at apply`
                : '; it fails at apply'));
    }
}
/**
 * One fact once: when offline SQL generation stopped, one not-linted finding on the revision where
 * it stopped names the stop, why, how many revisions after it are unlinted and the command that
 * writes their SQL, instead of one identical finding per revision.
 */
function addNotLintedFindings(prepared) {
    const groups = new Map();
    for (const revision of prepared) {
        const stop = revision.pending.offlineStop;
        if (revision.pending.sql !== undefined || !stop)
            continue;
        const key = `${stop.revision ?? ''}\n${stop.rerun}`;
        groups.set(key, [...(groups.get(key) ?? []), revision]);
    }
    for (const group of groups.values()) {
        const stop = group[0].pending.offlineStop;
        const at = group.find((r) => r.pending.revision.id === stop.revision) ?? group[0];
        const later = group.filter((r) => r !== at).map((r) => r.pending.revision.id);
        const where = stop.file ? ` (${stop.file}${stop.line ? `:${stop.line}` : ''})` : '';
        const stoppedAt = at.pending.revision.id === stop.revision
            ? `Alembic's offline SQL generation stopped at this revision${where}`
            : `Alembic's offline SQL generation stopped ${stop.revision ? `at ${stop.revision}` : 'before the first revision'}${where}`;
        const rest = later.length === 0
            ? 'no later pending revision is affected'
            : `${(0,markdown/* plural */.LS)(later.length, 'later pending revision')} ${later.length === 1 ? 'is' : 'are'} not linted either (${listSome(later)}); \`${stop.rerun}\` writes the SQL of the revisions after it to review`;
        const line = stop.line !== undefined && stop.file !== undefined && sameFile(stop.file, at.pending.revision.file) ? stop.line : (at.pending.revision.line ?? 1);
        at.findings.push(at.meta('not-linted', line, `not linted: ${stoppedAt}: ${stop.message}${stop.reason ? `; ${stop.reason}` : ''}; ${rest}`));
    }
}
function listSome(ids, shown = 5) {
    return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`;
}
function sameFile(a, b) {
    return external_node_path_default().resolve(a) === external_node_path_default().resolve(b);
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
            table: hit.facts ?? (hit.table ? schema.describe(hit.table) : undefined),
            lineNote: lines[index].note
        };
    };
    const verdicts = [];
    for (const [index, statement] of statements.entries()) {
        const body = statement.node[statement.kind] ?? {};
        const rejected = revision.serverRejects.get(index);
        if (rejected)
            findings.push(finding('syntax-error', { message: rejected }, index));
        for (const rule of RULES_BY_KIND.get(statement.kind) ?? []) {
            if (!rule.check)
                continue;
            for (const hit of rule.check({ statement, body, schema, engine: options.engine, server: options.server }))
                findings.push(finding(rule.id, hit, index));
        }
        const table = statementTable(statement.kind, body);
        verdicts.push(table === undefined ? undefined : schema.tableVerdict(table));
        schema.apply(statement, pending.revision.id);
    }
    for (const rule of RULES) {
        if (!rule.checkRevision)
            continue;
        for (const hit of rule.checkRevision({
            statements,
            schema,
            verdicts,
            engine: options.engine,
            transactional: pending.transactional,
            lockTimeout: options.lockTimeout,
            server: options.server
        }))
            findings.push(finding(rule.id, hit, hit.statementIndex));
    }
    return findings.map((f) => acknowledge(f, revision)).sort((a, b) => a.line - b.line);
}
/** The table a statement locks first, for revision-wide rules (missing-lock-timeout). */
function statementTable(kind, body) {
    const ref = (0,ast/* relationOf */.Ke)(body.relation) ?? (kind === 'TruncateStmt' || kind === 'LockStmt' ? (0,ast/* relationOf */.Ke)((0,ast/* nodeOf */.E7)((0,ast/* list */.p_)(body.relations)[0], 'RangeVar')) : undefined);
    return ref && (kind !== 'AlterTableStmt' || body.objtype !== 'OBJECT_INDEX') && kind !== 'ReindexStmt' ? (0,ast/* tableKey */.ih)(ref) : undefined;
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
    const meta = (rule, line, message) => ({
        rule,
        risk: ruleById(rule).risk,
        revision: revision.id,
        file: revision.file,
        line,
        message,
        saferWay: ruleById(rule).saferWay
    });
    const result = { pending, statements: [], lines: [], acknowledgements: [], fileWide: [], findings: [], serverRejects: new Map(), meta };
    if (pending.sql === undefined || !parser) {
        const why = pending.notes.find((n) => /no SQL|no section/i.test(n)) ?? pending.notes[0] ?? 'no SQL was produced for it';
        result.unread = 'it has no SQL';
        // A stop of offline generation is said once, for every revision it left without SQL (addNotLintedFindings).
        if (!pending.offlineStop)
            result.findings.push(meta('not-linted', revision.line ?? 1, `not linted: ${why}`));
        const source = options.engine === 'alembic' ? (options.readSource ?? readSourceFile)(revision.file) : undefined;
        if (source !== undefined) {
            readFileAcknowledgements(result, source.split(/\r?\n/), 1, (0,alembic_ops/* listUpgradeCalls */.Yr)(source, options.direction)?.line ?? Number.MAX_SAFE_INTEGER, meta);
            addSourceFindings(result, source);
        }
        return result;
    }
    const split = await splitStatements(parser, pending.sql);
    const sqlLine = pending.sqlLine ?? 1;
    if (options.engine === 'alembic') {
        const source = (options.readSource ?? readSourceFile)(revision.file);
        const statements = split.statements.filter((s) => !isAlembicBookkeeping(s));
        const upgrade = source === undefined ? undefined : (0,alembic_ops/* listUpgradeCalls */.Yr)(source, options.direction);
        const calls = upgrade
            ? (0,alembic_ops/* mapStatementsToCalls */.re)(statements.map((s) => s.kind), upgrade.calls)
            : [];
        const fallback = upgrade?.line ?? revision.line ?? 1;
        const why = upgrade
            ? `no op. call of upgrade() matched this statement; line ${fallback} is upgrade()`
            : `the op. calls of ${revision.file} could not be listed; line ${fallback} is the revision`;
        result.statements = statements;
        result.lines = statements.map((_, i) => (calls[i] ? { line: calls[i].line } : { line: fallback, note: why }));
        // op. calls that wrote no offline SQL (an `if context.is_offline_mode()` guard, dynamic SQL), or
        // code that wrote none at all: what they create in the database, the lint cannot see.
        const silent = upgrade?.calls.find((call) => !calls.includes(call));
        if (silent)
            result.unread = `op.${silent.name} at line ${silent.line} wrote no offline SQL`;
        else if (statements.length === 0 && upgrade?.firstCodeLine !== undefined)
            result.unread = `upgrade() runs code from line ${upgrade.firstCodeLine} but wrote no offline SQL`;
        for (const error of split.errors)
            result.findings.push(meta('syntax-error', fallback, `Alembic's offline SQL does not parse: ${error.message}`));
        if (split.errors.length > 0)
            result.unread = 'a statement that does not parse';
        if (source !== undefined) {
            readFileAcknowledgements(result, source.split(/\r?\n/), 1, upgrade?.line ?? Number.MAX_SAFE_INTEGER, meta);
            addSourceFindings(result, source);
        }
        return result;
    }
    const statements = split.statements;
    result.statements = statements;
    result.lines = statements.map((s) => ({ line: sqlLine + s.line - 1 }));
    for (const error of split.errors)
        result.findings.push(meta('syntax-error', sqlLine + error.line - 1, `does not parse: ${error.message}`));
    if (split.errors.length > 0)
        result.unread = 'a statement that does not parse';
    const firstStatementLine = result.lines[0]?.line ?? Number.MAX_SAFE_INTEGER;
    const lines = pending.sql.split('\n');
    readFileAcknowledgements(result, lines, sqlLine, firstStatementLine, meta, insideLiteral(parser, pending.sql, lines));
    return result;
}
/** Rules that read the revision file itself (an Alembic revision's op calls, downgrade() included). */
function addSourceFindings(result, source) {
    for (const rule of RULES) {
        if (!rule.checkSource)
            continue;
        for (const hit of rule.checkSource({ source }))
            result.findings.push({ ...result.meta(rule.id, hit.line, hit.message), risk: hit.risk ?? rule.risk });
    }
}
/**
 * Whether a position (line index, column) of `text` lies inside a string, dollar-quoted body or block
 * comment, as PostgreSQL's lexer reads it. The text is scanned on the first question only: most files
 * hold no acknowledgement at all.
 */
function insideLiteral(parser, text, lines) {
    let tokens;
    let lineStarts;
    return (index, column) => {
        tokens ??= parser.scan(text) ?? [];
        if (!lineStarts) {
            lineStarts = [0];
            for (const line of lines)
                lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1);
        }
        const offset = lineStarts[index] + column;
        return tokens.some((t) => t.start < offset && offset < t.end);
    };
}
function readFileAcknowledgements(result, lines, firstLine, fileWideBefore, meta, isText) {
    const { acknowledgements, problems } = readAcknowledgements(lines, firstLine, isText);
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
