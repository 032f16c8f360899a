/**
 * Every code the action can report: the codes of ActionErrors (the run stops) and of chain
 * Problems (listed in the report; errors stop the run, warnings do not). docs/errors.md is generated
 * from this catalogue (`npm run docs`) and the summary links each code to its entry there.
 */

import { actionDocUrl } from './report/links.js'

/** Where the summary's code links point: the generated troubleshooting page. */
export const ERRORS_DOC = 'docs/errors.md'

export interface CodeEntry {
  /** `error`: an ActionError that stops the run; `problem`: a finding of the chain validation. */
  kind: 'error' | 'problem'
  title: string
  /** What the code means, in one or two sentences. */
  meaning: string
  /** What usually leads to it. */
  cause: string
  /** What to do about it. */
  fix: string
}

export const CODES = {
  // Inputs and the migrations directory
  'invalid-input': {
    kind: 'error',
    title: 'An input has an invalid value',
    meaning: 'One of the action inputs (named in the message) does not have an accepted value, or database-url is missing or not a PostgreSQL URL.',
    cause: 'A typo in the workflow file, a value out of range, or an unset secret that left database-url empty.',
    fix: 'Set the input to one of the accepted values listed in the message (the README lists every input with its default).'
  },
  'fleet-query-failed': {
    kind: 'error',
    title: 'databases-query did not give a list of databases',
    meaning:
      'The databases-query input runs on database-url and must return one database name or postgres:// URL per row (first column); it failed, or a row held something else (NULL, a number, a URL the action cannot read). No target was migrated.',
    cause: 'A typo in the query, a role that cannot read pg_database or the tenant table, or a column of another type than text.',
    fix: "Run the query with psql on database-url's database; select one text column (e.g. SELECT datname FROM pg_database WHERE datname LIKE 'tenant_%' ORDER BY 1) and filter out NULLs."
  },
  'reports-missing': {
    kind: 'error',
    title: 'mode: summarize found no report to merge',
    meaning: 'reports-path is not a directory, or no file under it is a report JSON of pg-migrate-action (the report-json output of a step).',
    cause:
      'The artifacts were not downloaded into reports-path, the migrate jobs did not upload their report-json (a job that failed before the upload step, without if: always()), or a different path.',
    fix: "Upload each job's report-json output with actions/upload-artifact (if: always()), download them all with actions/download-artifact (pattern, path: reports-path) in the summarize job, then run it (docs/recipes/fleet-matrix.yml)."
  },
  'migrations-path-missing': {
    kind: 'error',
    title: 'The migrations directory does not exist',
    meaning: 'migrations-path does not name a readable directory, relative to the working directory.',
    cause: 'The repository was not checked out (no actions/checkout step), or the path is relative to the wrong directory.',
    fix: 'Check out the repository first and set migrations-path relative to its root.'
  },
  'migrations-path-outside-workspace': {
    kind: 'error',
    title: 'migrations-path is outside the workspace',
    meaning:
      'migrations-path resolves (symbolic links followed) to a directory outside the workspace (GITHUB_WORKSPACE, else the working directory). The action reads migrations only from the checkout, so nothing of it was read.',
    cause: 'An absolute path or `..` in migrations-path, or a symbolic link pointing out of the checkout.',
    fix: 'Set migrations-path relative to the repository root, to a directory inside the checkout.'
  },
  'file-outside-workspace': {
    kind: 'error',
    title: 'A file the chain reads is outside the workspace',
    meaning:
      'A migration file, alembic.ini, script_location, a version location, a revision file or the alembic-requirements file (or a file it includes with -r/-c) resolves, symbolic links followed, outside the workspace. The action refuses it before reading it: a link added by a pull request could otherwise show a runner file such as /proc/self/environ (with its tokens) in the plan or the log.',
    cause: 'A symbolic link pointing out of the repository, or an absolute or `..` path in alembic.ini or the requirements file.',
    fix: 'Replace the link with the file itself, or point it at a file inside the repository; keep every path in alembic.ini and the requirements inside the checkout.'
  },
  // Connecting
  'auth-failed': {
    kind: 'error',
    title: 'The server refused the credentials',
    meaning: 'PostgreSQL rejected the user or password in database-url (SQLSTATE 28P01 or 28000). Not retried: waiting cannot fix it.',
    cause: "A password that differs from the service container's POSTGRES_PASSWORD, a wrong user, or a pg_hba.conf rule.",
    fix: 'Use the same user and password as the server (for a service container: its POSTGRES_USER / POSTGRES_PASSWORD), percent-encoding special characters.'
  },
  'database-missing': {
    kind: 'error',
    title: 'The database does not exist',
    meaning: 'The server answered, but the database named in database-url does not exist (SQLSTATE 3D000).',
    cause: 'The service container was started with another POSTGRES_DB, or the database is created by a later step.',
    fix: 'Create the database first, or point database-url at an existing one (e.g. set POSTGRES_DB on the service).'
  },
  'connection-failed': {
    kind: 'error',
    title: 'The connection failed in a way waiting cannot fix',
    meaning: 'Connecting failed with an error that is not transient (for example an SSL requirement or an unknown host), so the action did not retry.',
    cause: 'A wrong host name, an sslmode the server does not support, or a server that rejects this client.',
    fix: "Read the server's message in the report and correct database-url (host, port, sslmode)."
  },
  'tls-failed': {
    kind: 'error',
    title: 'TLS/SSL negotiation failed',
    meaning:
      'The TLS settings of database-url (sslmode, sslrootcert, …) do not match what the server offers, or its certificate could not be verified. Not retried: waiting cannot fix it.',
    cause:
      'sslmode=require (or prefer, which the pg driver treats like require) against a server without TLS, such as a service container; or a missing CA certificate for a managed server.',
    fix: 'Use sslmode=disable for a server without TLS; for a managed server use sslmode=require and give its CA with sslrootcert=<file>.'
  },
  'server-not-ready': {
    kind: 'error',
    title: 'The server was not ready within wait-timeout',
    meaning: 'The action retried connecting until wait-timeout ran out; the report counts each reason it saw.',
    cause: 'Nothing listens on the host and port (a missing `ports:` mapping), the wrong host for a container job, or a server that starts slowly.',
    fix: "Check the service's ports mapping and the host (localhost on the runner, the service label in a container job), or raise wait-timeout."
  },
  // Extensions
  'extension-missing': {
    kind: 'error',
    title: 'A requested extension is not available on the server',
    meaning: 'The server has no package for an extension listed in `extensions`, so CREATE EXTENSION cannot work.',
    cause: 'A plain postgres image instead of one that ships the extension (pgvector/pgvector for vector).',
    fix: 'Use an image that provides the extension, install its package, or remove it from `extensions` (or set require-extensions: false).'
  },
  'extension-not-permitted': {
    kind: 'error',
    title: 'The user may not create a requested extension',
    meaning: 'CREATE EXTENSION was refused for lack of privilege; pgvector is not a trusted extension, so it needs a superuser or the database owner with the right grants.',
    cause: 'Migrations run as an application role rather than the database owner or a superuser.',
    fix: 'Create the extension once as a superuser, or run this step with a role allowed to create it.'
  },
  'extension-failed': {
    kind: 'error',
    title: 'Creating or checking an extension failed',
    meaning: 'CREATE EXTENSION (or reading its state) failed with a server error other than missing or not permitted.',
    cause: 'A broken extension installation, a conflicting schema, or a server error named in the report.',
    fix: "Read the server's message in the report; repair the extension installation or its schema."
  },
  'extension-read-only': {
    kind: 'error',
    title: 'A requested extension is missing and the session is read-only',
    meaning: 'The extension is not installed and CREATE EXTENSION cannot run, because the session is read-only (default_transaction_read_only, or a standby server).',
    cause: 'Migrating through a read-only role or a replica.',
    fix: 'Create the extension once as a role with a writable session, or connect to the primary with such a role.'
  },
  'vector-smoke-test-failed': {
    kind: 'error',
    title: 'pgvector is installed but does not work',
    meaning: 'At least one of the pgvector smoke checks (operators, a vector column, an HNSW index, an index-backed query) failed.',
    cause: 'A pgvector build that does not match the server, or an outdated extension version in the database.',
    fix: 'Reinstall pgvector, run ALTER EXTENSION vector UPDATE, or use a pgvector/pgvector image.'
  },
  // Loading the chain
  'alembic-ini-missing': {
    kind: 'error',
    title: 'No readable alembic.ini',
    meaning: 'engine is alembic, but migrations-path holds no readable alembic.ini.',
    cause: 'migrations-path points at the versions directory or the script_location instead of the directory with alembic.ini.',
    fix: 'Point migrations-path at the directory that holds alembic.ini, or use engine: sql for plain SQL files.'
  },
  'alembic-ini-invalid': {
    kind: 'error',
    title: 'alembic.ini cannot be used',
    meaning: 'alembic.ini lacks script_location or has a value Alembic itself would reject (e.g. version_path_separator).',
    cause: 'A hand-edited alembic.ini.',
    fix: "Set script_location (e.g. `%(here)s/migrations`) and use one of Alembic's accepted values."
  },
  'alembic-ini-unsupported': {
    kind: 'error',
    title: 'alembic.ini names a package resource',
    meaning: 'script_location or version_locations is a package resource (`package:dir`), which the action cannot read without importing Python.',
    cause: 'A project that ships its migrations inside a Python package.',
    fix: 'Use a directory path instead, e.g. `%(here)s/migrations`.'
  },
  'alembic-env-missing': {
    kind: 'error',
    title: 'script_location has no env.py',
    meaning: 'The directory named by script_location has no env.py, so Alembic could not run.',
    cause: 'script_location points at the wrong directory.',
    fix: 'Point script_location at the directory created by `alembic init` (it holds env.py and versions/).'
  },
  'alembic-revision-unreadable': {
    kind: 'error',
    title: 'A revision file cannot be read statically',
    meaning: 'A file in a versions directory has no literal `revision = "…"` (or down_revision, branch_labels, depends_on is not a literal).',
    cause: 'A computed revision id, a helper module placed in versions/, or an unreadable file.',
    fix: 'Write the revision attributes as literals, as `alembic revision` does, and keep non-revision modules out of versions/.'
  },
  'sql-bad-file-name': {
    kind: 'error',
    title: 'A SQL file name does not follow <version>_<name>.sql',
    meaning: 'The SQL engine found .sql files whose names carry no version.',
    cause: 'A helper script or seed file inside the migrations directory, or a misnamed migration.',
    fix: 'Rename the file to <version>_<name>.sql, or move non-migration files out of the directory.'
  },
  'sql-duplicate-version': {
    kind: 'error',
    title: 'Two migrations share a version',
    meaning: 'Several files resolve to the same version (versions compare as numbers, so 0001 and 1 are equal), or a single file and an .up.sql pair define the same migration.',
    cause: 'Two branches each added a migration with the next free number.',
    fix: 'Renumber the newer migration.'
  },
  'sql-missing-up': {
    kind: 'error',
    title: 'A .down.sql file has no .up.sql',
    meaning: 'A down migration exists without the up migration it reverts.',
    cause: 'The up file was renamed or deleted.',
    fix: 'Add the up file, or remove the down file.'
  },
  'sql-empty-migration': {
    kind: 'error',
    title: 'A migration holds no SQL',
    meaning: 'The up part of a migration is empty (or only comments).',
    cause: 'A file created by a generator and never filled in.',
    fix: 'Write the migration, or delete the file.'
  },
  'sql-unreadable-file': {
    kind: 'error',
    title: 'A migration file cannot be read',
    meaning: 'Reading a migration file failed (permissions, a dangling link).',
    cause: 'File permissions or a broken symbolic link in the checkout.',
    fix: 'Check that the file exists and is readable by the runner user.'
  },
  'sql-not-utf8': {
    kind: 'error',
    title: 'A migration file is not UTF-8',
    meaning: 'A migration file contains bytes that are not valid UTF-8; migrations are sent to PostgreSQL as UTF-8.',
    cause: 'A file saved in Latin-1 or another legacy encoding.',
    fix: 'Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).'
  },
  'sql-nul-byte': {
    kind: 'error',
    title: 'A migration file holds a NUL byte',
    meaning:
      "A migration file contains a NUL (zero) byte. PostgreSQL's parser stops reading at it, so everything after it would silently not run while the migration is recorded as applied; the action refuses the file instead.",
    cause: 'A file saved as UTF-16, a binary file named *.sql, or a stray control character pasted into the SQL.',
    fix: 'Remove the NUL byte at the line and column in the message; save a UTF-16 file as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`).'
  },
  'sql-bad-sections': {
    kind: 'error',
    title: 'The up / down sections are malformed',
    meaning:
      'A file with section markers (dbmate `-- migrate:up` / `-- migrate:down`, goose `-- +goose Up` / `-- +goose Down`, sql-migrate `-- +migrate Up` / `-- +migrate Down`) has them missing, repeated or in the wrong order, SQL before the first, an unpaired StatementBegin/StatementEnd, or markers of two tools in one file.',
    cause: 'A file edited by hand, or one assembled from files of different tools.',
    fix: "Give the file exactly one up marker, optionally followed by one down marker, with the SQL below them and every StatementBegin closed by a StatementEnd in the same section; use one tool's markers per file."
  },
  'sql-bad-section-marker': {
    kind: 'error',
    title: 'A line looks like a section marker but is not one',
    meaning:
      'A comment reads like a dbmate, goose or sql-migrate marker but its tool would not read it as one: a typo, another case or spacing the tool does not accept (`-- +migrate up`, an indented `-- +goose Down`), a block comment (`/* migrate:down */`), or a look-alike character such as a fullwidth colon (`-- migrate：down`) or a zero-width space. Taken as a plain comment, everything below it would silently run as part of the section above it, so the file is refused.',
    cause: 'A mistyped marker, or a marker copied through a tool that replaced characters.',
    fix: 'Write the line as the marker the message names (for example `-- migrate:down`, `-- +goose Down`, `-- +migrate Down`); if it is meant as a comment, reword it so it does not read like a marker.'
  },
  'sql-migration-too-large': {
    kind: 'error',
    title: 'A migration holds more statements than the action handles',
    meaning:
      "A pending migration holds more than 100,000 statements. The action keeps every statement with its parse tree for the plan, the lint and the report (about 2 KB each), so it refuses such a file before anything runs rather than exhaust the runner's memory. The SQL itself is not at fault.",
    cause: 'A data load written as one INSERT per row (a dump with --inserts, generated seed data).',
    fix: 'Split the file into several migrations, or load the rows with one COPY … FROM a file on the database server, or in a separate workflow step.'
  },
  'sql-unsupported-marker': {
    kind: 'error',
    title: "A migration uses a tool's marker this action does not support",
    meaning:
      "A migration file uses a marker of another tool whose effect the action does not reproduce, such as goose's `-- +goose ENVSUB ON` (environment variables substituted into the SQL). Running the file without it would not run the migration that tool would run, so it is refused before anything runs.",
    cause: 'A file written for goose that relies on environment substitution.',
    fix: 'Write the values into the SQL and remove the marker; secrets belong in the database, not in migration files.'
  },
  // Reading the database
  'server-version-unreadable': {
    kind: 'error',
    title: 'The server version cannot be read',
    meaning: 'Reading server_version_num failed, so the SQL engine cannot decide which statements may run in a transaction.',
    cause: 'A proxy or a server that does not implement current_setting, or a lost connection.',
    fix: 'Connect to PostgreSQL directly (not through a proxy that rewrites queries) and re-run.'
  },
  'history-table-incompatible': {
    kind: 'error',
    title: 'history-table names a table of another tool',
    meaning: 'The table named by history-table exists but lacks the columns pg-migrate-action records.',
    cause: "history-table points at another migration tool's table (e.g. schema_migrations).",
    fix: 'Choose another history-table name; the action creates its own table.'
  },
  'history-table-shape': {
    kind: 'error',
    title: 'The history table does not have the expected shape',
    meaning: 'The history table exists, but a column is missing, has the wrong type or a NOT NULL the action cannot satisfy, or the version has no key; nothing was applied.',
    cause: 'A history table created or altered by hand, or by an older or other tool.',
    fix: 'Run the ALTER TABLE statements the message lists (as the owner, after checking them against your data), or set history-table to a new table name.'
  },
  'history-table-create-failed': {
    kind: 'error',
    title: 'The history table cannot be created',
    meaning: 'Creating the history table failed, usually for lack of the CREATE privilege on its schema.',
    cause: 'Migrations run as a role that may not create tables in the schema.',
    fix: 'Grant CREATE on the schema, create the table once as its owner, or point history-table at a schema the role may write to.'
  },
  'history-table-unreadable': {
    kind: 'error',
    title: 'The history table cannot be read',
    meaning: 'Reading the history table failed.',
    cause: 'The role lacks SELECT on the table or USAGE on its schema.',
    fix: 'Grant SELECT on the history table and USAGE on its schema.'
  },
  // Running Python / Alembic
  'python-not-found': {
    kind: 'error',
    title: 'The Python interpreter does not run',
    meaning: 'The interpreter named by the python input could not be started or did not report its version.',
    cause: 'No Python on the runner image, or a python input naming a missing path.',
    fix: 'Set the python input to a working Python 3 (e.g. the one actions/setup-python provides).'
  },
  'alembic-not-installed': {
    kind: 'error',
    title: 'Alembic is not importable',
    meaning: 'The chosen Python interpreter cannot import alembic (or SQLAlchemy).',
    cause: 'Alembic was installed into another interpreter or virtual environment than the one the python input names.',
    fix: 'Install Alembic and your driver for that interpreter (pip install alembic psycopg2-binary), or use alembic-requirements.'
  },
  'alembic-requirements-missing': {
    kind: 'error',
    title: 'alembic-requirements names no readable file',
    meaning: 'The pip requirements file named by alembic-requirements cannot be read.',
    cause: 'A path relative to the wrong directory, or a file that is not checked out.',
    fix: 'Give a requirements file path relative to the repository root.'
  },
  'alembic-venv-failed': {
    kind: 'error',
    title: 'Creating the virtual environment failed',
    meaning: '`python -m venv` failed, so the requirements could not be installed.',
    cause: 'A Debian/Ubuntu Python without the python3-venv package.',
    fix: 'Install python3-venv, or use actions/setup-python, whose interpreters include venv.'
  },
  'alembic-requirements-failed': {
    kind: 'error',
    title: 'pip could not install alembic-requirements',
    meaning: 'pip failed to install the requirements file; the collapsed log has its output.',
    cause: 'A misspelt package, a version that does not exist for this Python, or no network access.',
    fix: 'Correct the requirement names and versions in the file.'
  },
  'alembic-version-table-incompatible': {
    kind: 'error',
    title: 'The Alembic version table is not one Alembic can use',
    meaning: "The table named as Alembic's version table exists but is not one: it lacks a varchar version_num column, or has columns Alembic cannot fill.",
    cause: 'Another table with the same name (alembic_version by default), or version_table pointing at a table of another tool.',
    fix: "Give Alembic its own version table: set version_table in alembic.ini (and env.py's context.configure) or the alembic-version-table input to an unused name."
  },
  'alembic-unknown-revision': {
    kind: 'error',
    title: 'Alembic refused: the database is stamped with an unknown revision',
    meaning: 'The version table names a revision no file declares, so Alembic cannot compute what to run.',
    cause: 'A revision file was deleted or renamed after it was applied, or the database was migrated from another branch.',
    fix: 'Resolve the unknown-stamped-revision problem first (restore the file or re-stamp the database).'
  },
  'alembic-session-lost': {
    kind: 'error',
    title: 'The Alembic process ended before it was told to apply',
    meaning:
      'The Python process that loaded the chain and wrote the offline SQL for lint exited or was killed while it waited for the verdict to apply; it never received it, so nothing was applied.',
    cause: 'Something on the runner ended the process (the out-of-memory killer, a step timeout, a cleanup step), or env.py or a revision ended the interpreter by itself.',
    fix: 'Run the job again; if it recurs, find what ends processes on the runner. The error lists what the process printed last.'
  },
  // Lock, validation, apply
  'lock-timeout': {
    kind: 'error',
    title: 'Another run held the migration lock for longer than wait-timeout',
    meaning: 'Another run of this action on the same database held the advisory lock for the whole wait; nothing was applied by this run.',
    cause: 'A concurrent job migrating the same database with long migrations, or a stuck job.',
    fix: 'Wait for the other job to finish (or cancel it) and re-run, or raise wait-timeout.'
  },
  'lock-session-failed': {
    kind: 'error',
    title: 'The session for the migration lock could not be opened',
    meaning: 'The server answered the readiness check but refused the one more connection that holds the migration lock; nothing was applied.',
    cause: "max_connections (or a connection pooler's limit) reached by other clients.",
    fix: "Check max_connections or the pooler's limit, then run again."
  },
  'lock-lost': {
    kind: 'error',
    title: 'The migration lock was lost and could not be re-acquired',
    meaning:
      'The connection holding the migration lock broke (a server restart, a network failure) and the lock could not be taken again; migrations applied before the loss stay applied.',
    cause: 'A server restart or network failure during the run, or another run that took the lock in the meantime.',
    fix: 'Run again once the server is stable and no other migration run is active; raise wait-timeout if the server takes longer to come back.'
  },
  'migration-still-running': {
    kind: 'error',
    title: 'A migration of an earlier run was still running on the server',
    meaning:
      'The migration lock was free, but a migration session of an earlier run (application_name `pg-migrate-action migration` or `pg-migrate-action (alembic)`) was still executing on this database for longer than wait-timeout. This run waited for it instead of applying the same migration beside it, and applied nothing.',
    cause:
      'The earlier run was killed (`kill -9`, a runner that lost its machine) during a long statement: its lock session ended with it, but the server finishes the statement before it notices the client is gone. Its transaction then either commits (the statement was the last of the migration message) or rolls back.',
    fix: 'Wait for the statement to finish, or end it with the `SELECT pg_terminate_backend(<pid>)` the message gives (its transaction rolls back), then run again: the next run reads what it left.'
  },
  cancelled: {
    kind: 'error',
    title: 'The run was cancelled',
    meaning:
      'The runner sent SIGINT or SIGTERM (a cancel). The action stopped what was in flight — the migration statement is cancelled on the server, or the Alembic interpreter is killed and its session ended, so its open transaction rolls back — then read what the database holds, released the migration lock and wrote this report.',
    cause: 'Someone cancelled the workflow, a newer run in a `concurrency` group with `cancel-in-progress` replaced this one, or the step ran past its `timeout-minutes`.',
    fix: 'Run the job again: it continues from what the database holds, which the report shows. A non-transactional migration stopped part-way is marked dirty; repair it as the report says first.'
  },
  'lint-blocked': {
    kind: 'error',
    title: 'The risk lint stopped the run',
    meaning:
      'At least one unacknowledged lint finding of a pending migration is at or above fail-on-risk; nothing was applied. Each finding names its rule, whose page in docs/rules explains it.',
    cause: 'A risky statement (e.g. a blocking index build, a dropped column) in a pending migration.',
    fix: 'Make the change the safer way the finding describes, or once reviewed acknowledge it with `-- pg-migrate:allow <rule> reason: <why>` (`#` in Python); fail-on-risk sets the threshold.'
  },
  'vector-version-too-old': {
    kind: 'error',
    title: "A pending migration needs a newer pgvector than the server's",
    meaning:
      'A pending statement uses a pgvector feature (HNSW from 0.5.0; halfvec, sparsevec, bit and L1 indexing from 0.7.0; iterative index scans from 0.8.0) that the vector extension in this database, or the pgvector library on the server, lacks. Nothing was applied: the run stopped after the lint.',
    cause: 'The extension was created at an older version and never updated, or the server ships an older pgvector.',
    fix: "Run `ALTER EXTENSION vector UPDATE` in the database (by hand or in an earlier migration); where the server's pgvector package is itself older, upgrade it first (e.g. a newer pgvector/pgvector image). The finding (rule vector-feature-unsupported) names the statement and the version it needs."
  },
  'chain-invalid': {
    kind: 'error',
    title: 'The migration chain has errors',
    meaning: 'Validation found at least one error problem (listed under Chain problems, each with its own code); nothing was applied.',
    cause: 'See the individual problem codes in the report.',
    fix: 'Fix each error problem listed in the report; their entries on this page say how.'
  },
  'migration-failed': {
    kind: 'error',
    title: 'A migration failed',
    meaning: "The server rejected a statement of a pending migration; the report shows the file, line, statement, the server's error and what is applied now.",
    cause: "An error in the migration's SQL or Python, data that violates a new constraint, or a timeout.",
    fix: 'Follow the "How to recover" steps in the report, fix the migration and re-run.'
  },
  'migration-connection-lost': {
    kind: 'error',
    title: 'The connection to the server was lost during the Alembic upgrade',
    meaning:
      'The server restarted, failed over or dropped the session while Alembic ran a revision. What was not committed was rolled back with the lost session; the report says what the version table records, read on a new connection once the server was back, and what of the running revision stayed (from the catalog). The migration lock was lost with the connection.',
    cause:
      'A server restart or failover (a managed database applying maintenance, a container restart), pg_terminate_backend, or a network failure between the runner and the server.',
    fix: 'Run again once the server is stable: Alembic continues from what the version table records. If the report lists changes of the interrupted revision that stayed, undo them (or finish the revision by hand and `alembic stamp` it) first.'
  },
  'transaction-all-non-transactional': {
    kind: 'error',
    title: 'transaction: all, but a pending migration cannot run in a transaction',
    meaning:
      'With transaction: all every pending migration runs in one transaction, and one of them cannot: a statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) or a file marked to run outside one. Refused before anything was applied.',
    cause:
      'A non-transactional migration (detected, -- pg-migrate:no-transaction or -- migrate:up transaction:false) among the pending ones of a chain that asks for all-or-nothing.',
    fix: 'Apply the migrations before it in one run and it in a later one (split the chain across deployments), or use transaction: per-migration for this run.'
  },
  'transaction-all-alembic': {
    kind: 'error',
    title: 'transaction: all is for the SQL engine',
    meaning:
      "Alembic's env.py decides how the upgrade is split into transactions (transaction_per_migration), so the action cannot make it all-or-nothing; the run is refused before anything is applied.",
    cause: 'transaction: all with engine: alembic, or with engine: auto on a directory that holds alembic.ini.',
    fix: "Remove the transaction input (Alembic's default env.py already runs the whole upgrade in one transaction unless it sets transaction_per_migration=True)."
  },
  // Safety nets: backup, repair, verify-downgrade
  'backup-client-missing': {
    kind: 'error',
    title: 'No pg_dump new enough for the server',
    meaning: "backup needs a pg_dump whose major version is at least the server's; none was found on PATH or under /usr/lib/postgresql/*/bin, so nothing was applied.",
    cause: "GitHub's Ubuntu runners ship an older PostgreSQL client than a pgvector/pgvector:pg17 service container.",
    fix: 'Install the matching client in an earlier step (the message gives the apt.postgresql.org command, e.g. postgresql-client-17), or set backup: never.'
  },
  'backup-failed': {
    kind: 'error',
    title: 'The backup before applying failed',
    meaning: 'pg_dump failed, or pg_restore could not read the archive it wrote; the partial file was deleted and nothing was applied.',
    cause:
      'A role without SELECT on every table, sequence or large object of the database, or a dropped connection. (A full disk or an unwritable RUNNER_TEMP is backup-write-failed.)',
    fix: "Read pg_dump's error in the report; give the role read access (owner, or pg_read_all_data on PostgreSQL 14+) and run again, or set backup: never."
  },
  'backup-write-failed': {
    kind: 'error',
    title: 'The backup could not be written to RUNNER_TEMP',
    meaning:
      'The dump before applying could not be written: RUNNER_TEMP does not exist, is read-only, or ran out of space while pg_dump wrote to it. Nothing was applied, and no partial file is left.',
    cause:
      'A runner disk filled by earlier steps (caches, build output, containers), a database larger than the free space, or a RUNNER_TEMP pointed at a read-only or missing directory.',
    fix: 'Free space on the runner (df -h "$RUNNER_TEMP") or use a larger runner, make RUNNER_TEMP a writable directory, and run again; or set backup: never to migrate without a backup.'
  },
  'repair-revision-unknown': {
    kind: 'error',
    title: 'repair-revision is not a revision of the chain',
    meaning: 'mode: repair records a revision as applied or pending, and the one named in repair-revision is not declared by any migration file; nothing was changed.',
    cause: 'A typo, a shortened Alembic id, or migrations-path pointing at another chain.',
    fix: 'Set repair-revision to a version or revision id exactly as the file declares it (the message lists some).'
  },
  'repair-would-skip': {
    kind: 'error',
    title: 'mark-applied would skip a dirty or unapplied migration',
    meaning:
      'mode: repair with repair-action: mark-applied names a SQL migration that never ran (it has no history row) while a migration before it is dirty or has not run; recording it would claim a chain the database does not hold, so nothing was changed.',
    cause: 'A repair-revision one version too far (the failed migration is the dirty one, not the next), or a migration run by hand out of order.',
    fix: 'Repair the dirty migration first (the message names it), or apply / record the earlier ones oldest first; then record this one if it really was run by hand.'
  },
  'repair-failed': {
    kind: 'error',
    title: 'alembic stamp failed in repair mode',
    meaning: 'mode: repair runs `alembic stamp` to record the revision, and Alembic failed; the version table is unchanged.',
    cause: 'An env.py that cannot connect or import, or a version table Alembic cannot write.',
    fix: 'Run the command from the report locally (DATABASE_URL=<url> alembic stamp …) to see the whole error, fix it and run the repair again.'
  },
  'verify-target-not-disposable': {
    kind: 'error',
    title: 'verify-downgrade refused a target that is not disposable',
    meaning:
      'verify-downgrade runs the down migrations, which drop what the upgrade created, so it needs a throwaway server and an empty database: the host resolves to an address that is not loopback (nor a private address of a one-label service container name), or the database already holds tables (another history table included) or applied migrations. Nothing was applied.',
    cause:
      'verify-downgrade turned on in a job that migrates a shared or production database, a host given as a numeric address of another machine, or a database holding migrations recorded under another history-table.',
    fix: 'Run verify-downgrade in a job with a throwaway service container, or set allow-destructive-verify: true if losing the data is fine.'
  },
  'downgrade-mismatch': {
    kind: 'error',
    title: 'A down migration does not restore the schema',
    meaning: 'verify-downgrade found a down step that does not give back the schema its upgrade started from; the report shows the difference as a diff and names the migration.',
    cause: 'A forgotten column or index in the down step, a wrong index dropped, a vector column or an HNSW index restored with other parameters.',
    fix: 'Make the down migration undo exactly what the upgrade does (the diff: - expected, + after the down step), then run again.'
  },
  'downgrade-failed': {
    kind: 'error',
    title: 'A down migration failed',
    meaning: 'verify-downgrade ran a down step (or the upgrade after it) and it failed; the migration is named.',
    cause: 'An autogenerated op.drop_constraint(None, …) (unnamed constraint), a down step that needs no transaction, or SQL that does not match the upgraded schema.',
    fix: 'Fix the down migration named in the report (name the constraint, match the upgrade) and run again.'
  },
  // mode: downgrade
  'downgrade-target-invalid': {
    kind: 'error',
    title: 'target-revision is not a revision the database can return to',
    meaning:
      'mode: downgrade reverts the applied migrations above target-revision, which must be base or a revision the database has applied (for Alembic: an ancestor of what it is at). Nothing was reverted.',
    cause: 'A typo or a shortened id, a revision that is not applied yet (it is above the current one), or one on another branch.',
    fix: 'Set target-revision to an applied version or revision id exactly as the chain declares it (the message lists the applied ones), or to base to revert everything.'
  },
  'downgrade-irreversible': {
    kind: 'error',
    title: 'A migration on the way down has no down step',
    meaning:
      'mode: downgrade checks every migration it would revert before reverting any: one of them has no down section (-- migrate:down, a .down.sql file) or, with Alembic, a downgrade() that does nothing. Nothing was reverted.',
    cause: 'A migration written without its way back, or a target below a migration that cannot be undone (a data migration).',
    fix: 'Write the down section of the migration named in the message (and review it), or choose a target-revision above it; the backup is the way back from an irreversible migration.'
  },
  'revert-failed': {
    kind: 'error',
    title: 'A down migration failed in mode: downgrade',
    meaning:
      'mode: downgrade ran the down step of a migration and the server (or Alembic) rejected it. The migrations reverted before it stay reverted; the failing one is rolled back when its down step ran in a transaction, and the report reads the state reached from the database.',
    cause: 'A down section that does not match the schema (an object already gone, a renamed column), a lock timeout, or rows that block the change.',
    fix: "Fix the down section named in the report and run mode: downgrade again: it continues from the state reached. If the down step cannot be fixed, restore the backup (the README's rollback section)."
  },
  // Post-migration checks
  'checks-path-invalid': {
    kind: 'error',
    title: 'The checks input does not name readable SQL in the workspace',
    meaning:
      'checks must name a .sql file or a directory holding .sql files, inside the workspace (GITHUB_WORKSPACE, else the working directory), readable and valid UTF-8. It was refused before anything was applied.',
    cause: 'A wrong path or a missing checkout, an absolute or `..` path, a symbolic link leaving the repository, or an empty directory.',
    fix: 'Set checks relative to the repository root, to a file or directory of .sql files in the checkout.'
  },
  'check-sql-invalid': {
    kind: 'error',
    title: 'A check does not parse or is not a query',
    meaning:
      "PostgreSQL's parser rejects a check, or a check is a statement that would change how the checks run (BEGIN/COMMIT, SET, COPY). Found before anything was applied, at the check's file and line.",
    cause: 'A typo, a psql meta-command, or transaction control copied from a script.',
    fix: 'Fix the SQL at the line given; write each check as a SELECT of the rows that break the rule it states.'
  },
  'check-failed': {
    kind: 'error',
    title: 'A post-migration check returned rows',
    meaning:
      'A check is a query for the rows that break a rule (as dbt data tests are written), so it passes when it returns none. This one returned rows; the summary shows up to 10 of them and the annotation points at the check.',
    cause: 'Data the migrations left inconsistent (a missed backfill, orphaned rows, NULL embeddings), or a check that is wrong.',
    fix: 'Fix the data, or the migration that produced it, or the check; the rows in the summary show what breaks the rule.'
  },
  'check-error': {
    kind: 'error',
    title: 'A post-migration check failed with an error',
    meaning: "The server rejected a check (an unknown column, a type mismatch, …); the error points at the check's file and line. The other checks still ran.",
    cause: 'A check written for another schema than the migrations produce, or a typo the parser cannot see (names are resolved by the server).',
    fix: 'Fix the check at the line given, against the schema the migrations produce.'
  },
  'check-read-only': {
    kind: 'error',
    title: 'A post-migration check tried to write',
    meaning:
      'Checks run in a read-only transaction that is rolled back at the end, so a check can never change the database; this one tried to (an INSERT, UPDATE, DELETE, DDL, nextval(), a function that writes) and the server refused it.',
    cause: 'A write statement among the checks, e.g. a fix-up script pointed at by the checks input.',
    fix: 'Keep only queries in the checks: each one a SELECT of the rows that break a rule. Data fixes belong in a migration.'
  },
  'check-timeout': {
    kind: 'error',
    title: 'A post-migration check ran longer than checks-timeout',
    meaning: 'Each check runs with statement_timeout set to the checks-timeout input; this one was cancelled by the server when it ran out.',
    cause: 'A check scanning a large table without an index, or waiting on a lock (lock-timeout applies too).',
    fix: 'Make the query cheaper (an index, a narrower WHERE, LIMIT in an EXISTS), or raise checks-timeout.'
  },
  'schema-drift': {
    kind: 'error',
    title: 'The database differs from what its applied migrations create (drift: fail)',
    meaning:
      'The applied migrations, replayed on a scratch database, make a schema other than the database has: an object no migration creates (a hand-made index), one a migration creates that is missing (a column dropped by hand), or one defined differently (an index rebuilt without its operator class, a vector column of another dimension). With drift: fail the run stops before anything is applied; the Drift section names each object and the migration that creates it.',
    cause:
      'A change made by hand or by another tool (a hotfix in production, an index added from a console), or a migration file edited after it was applied without changing its checksum.',
    fix: 'Put the change into a migration (or undo it in the database) and run again; or set drift: warn to report drift without stopping.'
  },
  'drift-replay-failed': {
    kind: 'error',
    title: 'The applied migrations could not be replayed to check for drift (drift: fail)',
    meaning:
      'The drift check replays the applied migrations on a scratch database, and one of them failed there; with drift: fail the run stops before anything is applied, since drift could not be ruled out.',
    cause:
      'A migration that depends on something made outside the chain: a role, an extension not listed in the extensions input, a schema or data created by hand; or an extension the role may not create in the scratch database.',
    fix: 'Make the chain replayable on an empty database (create what it needs in a migration, or list the extension in extensions), or set drift: warn.'
  },
  'internal-error': {
    kind: 'error',
    title: 'A bug in pg-migrate-action',
    meaning: 'Something failed that the action did not anticipate; the report carries the stack trace.',
    cause: 'A bug in the action, not in your migrations.',
    fix: 'Report it with the stack trace from the summary.'
  },
  // Chain problems: the graph
  'duplicate-revision': {
    kind: 'problem',
    title: 'Two files declare the same revision',
    meaning: 'Revision ids must be unique; two files declare the same one.',
    cause: 'A file copied to start a new revision without changing its id.',
    fix: 'Give one of them a new, unique revision id and point its children at it.'
  },
  'missing-parent': {
    kind: 'problem',
    title: 'A revision names a parent no file declares',
    meaning: 'A down_revision (or, for SQL files, the previous version) does not exist.',
    cause: 'A deleted or renamed revision file, or a typo in down_revision.',
    fix: "Restore the parent's file, or correct down_revision to an existing revision."
  },
  'missing-dependency': {
    kind: 'problem',
    title: 'A revision depends on a revision no file declares',
    meaning: 'An Alembic depends_on entry names a revision that does not exist.',
    cause: 'A deleted revision, or a typo in depends_on.',
    fix: 'Restore the file of that revision, or remove it from depends_on.'
  },
  cycle: {
    kind: 'problem',
    title: 'The revisions form a cycle',
    meaning: 'Following down_revision from some revision leads back to itself, so no order exists.',
    cause: 'A revision that names one of its descendants as its parent.',
    fix: 'Correct the down_revision that points at a descendant.'
  },
  'multiple-roots': {
    kind: 'problem',
    title: 'The chain has several roots',
    meaning: 'More than one revision has no parent, so the chain is several unrelated chains.',
    cause: 'A revision created with down_revision = None by mistake, often after a merge of two branches.',
    fix: "Set the extra root's down_revision to the revision it was meant to follow."
  },
  'multiple-heads': {
    kind: 'problem',
    title: 'The chain has several heads',
    meaning: 'More than one revision has no children, so "upgrade to head" is ambiguous.',
    cause: 'Two branches each added a revision on top of the same parent.',
    fix: 'Merge them: `alembic merge -m "merge heads" <head1> <head2>`, or give one the other as its parent.'
  },
  'no-revisions': {
    kind: 'problem',
    title: 'The chain has no revisions',
    meaning: 'No revision files were found, so there is nothing to apply.',
    cause: 'A new project, or script_location / version_locations pointing at the wrong directory.',
    fix: 'Create a revision, or check the directories alembic.ini names.'
  },
  // Chain problems: the migrations directory
  'migrations-path-empty': {
    kind: 'problem',
    title: 'migrations-path holds no migrations',
    meaning: 'The migrations directory exists but holds no migrations, so the run would pass with nothing applied. A warning: a new project may have none yet.',
    cause: 'A wrong migrations-path, or a job that did not check out the repository.',
    fix: 'Check migrations-path, relative to the repository root, and that actions/checkout ran first.'
  },
  // Chain problems: engine-specific
  'unknown-directive': {
    kind: 'problem',
    title: 'A SQL file uses an unknown -- pg-migrate: directive',
    meaning: 'A `-- pg-migrate:<name>` comment names a directive the action does not know, so its intent would be ignored.',
    cause: 'A typo in the directive name.',
    fix: 'Use one of the known directives listed in the message.'
  },
  'duplicate-branch-label': {
    kind: 'problem',
    title: 'Two revisions carry the same branch label',
    meaning: 'A branch label must name one branch; two revisions declare it.',
    cause: 'branch_labels copied along with a revision file.',
    fix: 'Keep the label only on the first revision of that branch.'
  },
  'branch-label-shadows-revision': {
    kind: 'problem',
    title: 'A branch label equals a revision id',
    meaning: 'A branch label has the same text as a revision id, so references to it are ambiguous.',
    cause: 'A label chosen to match an id.',
    fix: 'Rename the branch label.'
  },
  'alembic-progress-silenced': {
    kind: 'problem',
    title: "Alembic's logger is silenced",
    meaning:
      'alembic.ini sets the alembic logger above INFO, so Alembic does not log "Running upgrade" lines and the action cannot tell which migration was running when one fails.',
    cause: 'A logging section changed from the one `alembic init` writes.',
    fix: 'Set `level = INFO` in [logger_alembic].'
  },
  'unknown-stamped-revision': {
    kind: 'problem',
    title: 'The database is stamped with a revision no file declares',
    meaning: 'The Alembic version table names a revision that is not in the chain.',
    cause: 'A revision file deleted or renamed after it was applied, or a database migrated from another branch.',
    fix: 'Restore the revision file, or re-stamp the database at the revision its schema matches (`alembic stamp`).'
  },
  'stamped-ancestor-and-descendant': {
    kind: 'problem',
    title: 'The version table holds a revision and its ancestor',
    meaning: 'The version table lists two revisions on the same line of descent, which Alembic never writes itself.',
    cause: 'Rows inserted by hand or by a failed `alembic stamp`.',
    fix: 'Find which revision the schema matches and delete the stale row (or `alembic stamp --purge <revision>`).'
  },
  'dirty-migration': {
    kind: 'problem',
    title: 'A migration was left half-done',
    meaning: 'A non-transactional migration failed part-way on an earlier run; the history table marks it dirty.',
    cause: 'A failed CREATE INDEX CONCURRENTLY or another statement that cannot run in a transaction.',
    fix: 'Repair the database as the message describes (e.g. drop the invalid index), then delete the dirty history row and re-run.'
  },
  'missing-migration-file': {
    kind: 'problem',
    title: 'An applied migration has no file',
    meaning: 'The history table records a migration whose file is gone.',
    cause: 'A migration file deleted or renamed after it was applied.',
    fix: 'Restore the file (applied migrations must stay), or delete its history row if it was rolled back by hand.'
  },
  'checksum-mismatch': {
    kind: 'problem',
    title: 'An applied migration was edited',
    meaning: "The checksum of an applied migration's file differs from the one recorded when it ran.",
    cause: 'An applied migration edited afterwards instead of adding a new migration.',
    fix: 'Revert the edit and add a new migration with the change.'
  },
  'out-of-order': {
    kind: 'problem',
    title: 'A pending migration is older than the newest applied one',
    meaning: 'A migration with a lower version than the newest applied one is still pending.',
    cause: 'A branch merged with an older version number than migrations already applied.',
    fix: 'Renumber the migration above the newest applied version, or set allow-out-of-order: true.'
  }
} as const satisfies Record<string, CodeEntry>

export type Code = keyof typeof CODES
export type ErrorCode = { [K in Code]: (typeof CODES)[K]['kind'] extends 'error' ? K : never }[Code]
export type ProblemCode = { [K in Code]: (typeof CODES)[K]['kind'] extends 'problem' ? K : never }[Code]

/** The code's entry on the troubleshooting page, in the action's own repository at the ref that runs. */
export function codeDocUrl(code: Code, env: NodeJS.ProcessEnv = process.env): string {
  return `${actionDocUrl(ERRORS_DOC, env)}#${code}`
}
