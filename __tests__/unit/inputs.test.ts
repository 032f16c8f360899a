import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { readCommentInputs, readSettings, type InputName } from '../../src/inputs.js'

function settingsFrom(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}) {
  return readSettings((name) => inputs[name], env)
}

function errorFrom(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}): ActionError {
  try {
    settingsFrom(inputs, env)
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected readSettings to fail')
}

const url = 'postgres://app:s3cret@db.internal:5433/app'

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const s = settingsFrom({ 'database-url': url })
    expect(s).toMatchObject({
      engine: 'auto',
      migrationsPath: 'migrations',
      mode: 'migrate',
      extensions: ['vector'],
      requireExtensions: true,
      waitTimeoutMs: 120_000,
      retryDelayMs: 100,
      maxRetryDelayMs: 2000,
      retries: 3,
      connectTimeoutMs: 5000,
      lockTimeout: '10s',
      statementTimeout: '0',
      summary: true,
      python: 'python3',
      historyTable: { schema: 'public', table: 'pg_migrate_history' },
      allowOutOfOrder: false
    })
    expect(s.alembicRequirements).toBeUndefined()
    expect(s.alembicVersionTable).toBeUndefined()
    expect(s.databaseUrl).toMatchObject({ host: 'db.internal', port: 5433, database: 'app', user: 'app', password: 's3cret' })
  })

  it('falls back to DATABASE_URL from the environment', () => {
    expect(settingsFrom({}, { DATABASE_URL: url }).databaseUrl.host).toBe('db.internal')
  })

  it('strips a SQLAlchemy driver suffix for its own connection but keeps the original', () => {
    const s = settingsFrom({ 'database-url': 'postgresql+asyncpg://u:p@h/db' })
    expect(s.databaseUrl.forPg).toBe('postgresql://u:p@h:5432/db')
    expect(s.databaseUrl.forSqlAlchemy).toBe('postgresql+asyncpg://u:p@h:5432/db')
    expect(s.databaseUrl.driver).toBe('asyncpg')
    expect(settingsFrom({ 'database-url': 'postgresql+psycopg2://u:p@h/db' }).databaseUrl.driver).toBe('psycopg2')
  })

  it('parses lists, booleans, durations and qualified names', () => {
    const s = settingsFrom({
      'database-url': url,
      extensions: ' vector , pg_trgm,,',
      'require-extensions': 'False',
      'lock-timeout': '500ms',
      'statement-timeout': '2 min',
      'history-table': 'ops.history',
      'alembic-version-table': 'audit.alembic_version'
    })
    expect(s.extensions).toEqual(['vector', 'pg_trgm'])
    expect(s.requireExtensions).toBe(false)
    expect(s.lockTimeout).toBe('500ms')
    expect(s.statementTimeout).toBe('2min')
    expect(s.historyTable).toEqual({ schema: 'ops', table: 'history' })
    expect(s.alembicVersionTable).toEqual({ schema: 'audit', table: 'alembic_version' })
    expect(settingsFrom({ 'database-url': url, extensions: ' ' }).extensions).toEqual([])
    expect(settingsFrom({ 'database-url': url, extensions: 'none' }).extensions).toEqual([])
  })

  it.each([
    [{ engine: 'flyway' }, 'engine', 'auto, sql, alembic'],
    [{ mode: 'apply' }, 'mode', 'migrate, validate, plan, check'],
    [{ 'wait-timeout': '-1' }, 'wait-timeout', 'whole number'],
    [{ 'wait-timeout': '10s' }, 'wait-timeout', 'whole number'],
    [{ 'wait-timeout': '99999' }, 'wait-timeout', 'from 0 to 3600'],
    [{ 'retry-delay': '1' }, 'retry-delay', 'from 10 to 60000'],
    [{ 'retry-delay': '500', 'max-retry-delay': '100' }, 'max-retry-delay', 'not be less than retry-delay'],
    [{ retries: 'many' }, 'retries', 'whole number'],
    [{ 'connect-timeout': '0' }, 'connect-timeout', 'from 1 to 300'],
    [{ 'lock-timeout': '10 seconds' }, 'lock-timeout', 'Postgres duration'],
    [{ 'statement-timeout': 'forever' }, 'statement-timeout', 'Postgres duration'],
    [{ summary: 'yes' }, 'summary', 'true or false'],
    [{ 'require-extensions': '1' }, 'require-extensions', 'true or false'],
    [{ 'allow-out-of-order': 'maybe' }, 'allow-out-of-order', 'true or false'],
    [{ extensions: 'vector; drop table x' }, 'extensions', 'extension names'],
    [{ 'history-table': 'a.b.c' }, 'history-table', 'schema.table'],
    [{ 'history-table': 'bad-name' }, 'history-table', 'schema.table']
  ] as const)('rejects %j naming the input, the value and what it accepts', (inputs, name, accepted) => {
    const error = errorFrom({ 'database-url': url, ...inputs })
    expect(error.code).toBe('invalid-input')
    expect(error.location.input).toBe(name)
    expect(error.message).toContain(`'${name}'`)
    const value = (inputs as Record<string, string>)[name]
    expect(error.message).toContain(`got '${value}'`)
    expect(error.message + ' ' + error.hint).toContain(accepted)
  })

  it("reads maintenance-work-mem as PostgreSQL reads a memory setting, or auto, and leaves the server's when empty", () => {
    const memory = (value: string) => settingsFrom({ 'database-url': url, 'maintenance-work-mem': value }).maintenanceWorkMem
    expect(memory('')).toBeUndefined()
    expect(memory('auto')).toEqual({ kind: 'auto' })
    expect(memory('2GB')).toEqual({ kind: 'size', text: '2GB', kb: 2 * 1024 * 1024 })
    expect(memory('512 MB')).toEqual({ kind: 'size', text: '512MB', kb: 512 * 1024 })
    expect(memory('1.5GB')).toMatchObject({ kb: 1572864 })
    expect(memory('65536')).toMatchObject({ text: '65536', kb: 65536 })
    expect(memory('1048576B')).toMatchObject({ kb: 1024 })
    // PostgreSQL reads a leading zero as octal: the value sent has none.
    expect(memory('0100MB')).toMatchObject({ text: '100MB', kb: 100 * 1024 })
    const defaults = settingsFrom({ 'database-url': url })
    expect(defaults.maintenanceWorkMemMaxKb).toBe(2 * 1024 * 1024)
    expect(defaults.maxParallelMaintenanceWorkers).toBeUndefined()
    expect(settingsFrom({ 'database-url': url, 'max-parallel-maintenance-workers': '0' }).maxParallelMaintenanceWorkers).toBe(0)
  })

  it.each([
    [
      'maintenance-work-mem',
      '2gb',
      "Input 'maintenance-work-mem' has the unit 'gb', which PostgreSQL does not accept (units are case-sensitive: write GB); valid units are B, kB, MB, GB and TB; got '2gb'."
    ],
    ['maintenance-work-mem', 'lots', "Input 'maintenance-work-mem' must be a PostgreSQL size: a number with a unit B, kB, MB, GB or TB (e.g. 512MB, 2GB); got 'lots'."],
    [
      'maintenance-work-mem',
      '512kB',
      "Input 'maintenance-work-mem' is outside PostgreSQL's range for maintenance_work_mem, 1MB (1024kB) to 2147483647kB (2TB less 1kB); got '512kB'."
    ],
    ['maintenance-work-mem', '3TB', "Input 'maintenance-work-mem' is outside PostgreSQL's range for maintenance_work_mem, 1MB (1024kB) to 2147483647kB (2TB less 1kB); got '3TB'."],
    ['maintenance-work-mem-max', 'auto', "Input 'maintenance-work-mem-max' must be a PostgreSQL size: a number with a unit B, kB, MB, GB or TB (e.g. 512MB, 2GB); got 'auto'."],
    ['max-parallel-maintenance-workers', '1025', "Input 'max-parallel-maintenance-workers' must be from 0 to 1024; got '1025'."],
    ['max-parallel-maintenance-workers', '-1', "Input 'max-parallel-maintenance-workers' must be a whole number from 0 to 1024; got '-1'."]
  ] as const)('refuses %s: %s, naming the input and what it accepts', (name, value, message) => {
    const error = errorFrom({ 'database-url': url, [name]: value })
    expect(error.message).toBe(message)
    expect(error.hint).toContain('Accepted:')
  })

  it('requires a database URL and names both places to set it', () => {
    const error = errorFrom({})
    expect(error.location.input).toBe('database-url')
    expect(error.message).toContain('DATABASE_URL')
  })

  it('rejects a URL of another database without echoing its password', () => {
    const error = errorFrom({ 'database-url': 'mysql://root:topsecret@h/db' })
    expect(error.location.input).toBe('database-url')
    expect(error.message).not.toContain('topsecret')
    expect(error.hint).toContain('postgres://')
  })

  it('refuses a password the runner cannot pass on, with the encoding to use and without echoing it', () => {
    const error = errorFrom({ 'database-url': 'postgresql://u:p@ss@w0rd@host/db' })
    expect(error.location.input).toBe('database-url')
    expect(error.hint).toContain('@ as %40')
    expect(JSON.stringify([error.message, error.hint])).not.toMatch(/ss@w0rd|p@ss/)
  })

  it.each([
    ['99999999999999999999s', "exceeds PostgreSQL's limit"],
    ['3000000000', "exceeds PostgreSQL's limit"],
    ['25d', "exceeds PostgreSQL's limit"],
    ['2147483.6475s', "exceeds PostgreSQL's limit"],
    ['0.0001us', 'rounds to 0 ms'],
    ['0.5ms', 'rounds to 0 ms'],
    ['500us', 'rounds to 0 ms']
  ])('refuses the timeout %s before connecting: %s', (value, reason) => {
    for (const name of ['lock-timeout', 'statement-timeout'] as const) {
      const error = errorFrom({ 'database-url': url, [name]: value })
      expect(error.location.input).toBe(name)
      expect(error.message).toContain(`got '${value}'`)
      expect(error.message).toContain(reason)
    }
  })

  it.each([
    ['2147483647', '2147483647'],
    ['24d', '24d'],
    ['2147483.647s', '2147483.647s'],
    ['0.6ms', '0.6ms'],
    ['1500 us', '1500us'],
    ['0', '0'],
    ['0s', '0s'],
    ['010', '10']
  ])('accepts the timeout %s as %s', (value, normalized) => {
    expect(settingsFrom({ 'database-url': url, 'lock-timeout': value }).lockTimeout).toBe(normalized)
  })

  it('refuses a table name PostgreSQL would cut to 63 bytes', () => {
    const long = 'h'.repeat(64)
    const error = errorFrom({ 'database-url': url, 'history-table': `ops.${long}` })
    expect(error.location.input).toBe('history-table')
    expect(error.message).toContain('64 bytes')
    expect(settingsFrom({ 'database-url': url, 'history-table': 'h'.repeat(63) }).historyTable.table).toHaveLength(63)
    expect(errorFrom({ 'database-url': url, 'alembic-version-table': `${long}.v` }).location.input).toBe('alembic-version-table')
  })

  it('warns that a mixed-case table name is a quoted, case-sensitive identifier', () => {
    const s = settingsFrom({ 'database-url': url, 'history-table': 'Public.MyHist' })
    expect(s.historyTable).toEqual({ schema: 'Public', table: 'MyHist' })
    expect(s.warnings).toEqual([expect.stringContaining('"Public"."MyHist"')])
    expect(settingsFrom({ 'database-url': url }).warnings).toEqual([])
  })

  it('reads backup, defaulting to never, and refuses other values naming the input', () => {
    expect(settingsFrom({ 'database-url': url }).backup).toBe('never')
    expect(settingsFrom({ 'database-url': url, backup: 'Auto' }).backup).toBe('auto')
    const error = errorFrom({ 'database-url': url, backup: 'yes' })
    expect(error.message).toBe("Input 'backup' must be one of never, auto, always; got 'yes'.")
    expect(error.location).toEqual({ input: 'backup' })
  })

  it('reads transaction, defaulting to per-migration, and refuses other values naming the input and the accepted ones', () => {
    expect(settingsFrom({ 'database-url': url }).transaction).toBe('per-migration')
    expect(settingsFrom({ 'database-url': url, transaction: 'All' }).transaction).toBe('all')
    const error = errorFrom({ 'database-url': url, transaction: 'single' })
    expect(error.message).toBe("Input 'transaction' must be one of per-migration, all; got 'single'.")
    expect(error.location).toEqual({ input: 'transaction' })
    expect(error.hint).toBe('Accepted: per-migration or all (SQL engine: every pending migration in one transaction).')
  })

  it('reads pr-comment (auto or never) and refuses other values naming the input and the accepted ones', () => {
    expect(readCommentInputs((name) => ({ 'github-token': 'ghs_x' })[name as string])).toEqual({ prComment: 'auto', githubToken: 'ghs_x' })
    expect(readCommentInputs((name) => ({ 'pr-comment': 'Never' })[name as string])).toEqual({ prComment: 'never', githubToken: '' })
    const error = errorFrom({ 'database-url': url, 'pr-comment': 'always' })
    expect(error.message).toBe("Input 'pr-comment' must be one of auto, never; got 'always'.")
    expect(error.location).toEqual({ input: 'pr-comment' })
    expect(error.hint).toBe('Accepted: auto (comment on pull_request and pull_request_target events) or never.')
  })

  it('refuses a github-token no GitHub token looks like, without showing any of it; an empty one means no comment', () => {
    const error = errorFrom({ 'database-url': url, 'github-token': 'ghs_abc ${{ secrets.X }}' })
    expect(error.message).toBe("Input 'github-token' holds spaces or control characters, which no GitHub token has (its value is not shown).")
    expect(error.location).toEqual({ input: 'github-token' })
    expect(error.hint).toMatch(/^Accepted: a GitHub token without spaces/)
    expect(`${error.message} ${error.hint}`).not.toContain('ghs_abc')
    expect(settingsFrom({ 'database-url': url, 'github-token': '' }).mode).toBe('migrate')
  })

  it("reads action.yml's default token expression, as @github/local-action passes it unevaluated, as no token rather than a bad one", () => {
    expect(readCommentInputs((name) => ({ 'github-token': '${{ github.token }}' })[name as string])).toEqual({ prComment: 'auto', githubToken: '' })
    expect(settingsFrom({ 'database-url': url, 'github-token': '${{ github.token }}' }).mode).toBe('migrate')
  })

  it('mode: repair needs repair-revision; repair-action is optional there and refused outside repair mode', () => {
    expect(settingsFrom({ 'database-url': url }).repair).toBeUndefined()
    expect(settingsFrom({ 'database-url': url, mode: 'repair', 'repair-revision': '0002', 'repair-action': 'mark-pending' }).repair).toEqual({
      revision: '0002',
      action: 'mark-pending'
    })
    expect(settingsFrom({ 'database-url': url, mode: 'repair', 'repair-revision': 'ae1027a6acf' }).repair).toEqual({ revision: 'ae1027a6acf', action: undefined })

    const missing = errorFrom({ 'database-url': url, mode: 'repair', 'repair-action': 'mark-applied' })
    expect(missing.message).toBe("Input 'repair-revision' is required with mode: repair (the migration to record as applied or pending); got ''.")
    expect(missing.location).toEqual({ input: 'repair-revision' })
    expect(errorFrom({ 'database-url': url, mode: 'repair', 'repair-revision': '1', 'repair-action': 'skip' }).location).toEqual({ input: 'repair-action' })

    const stray = errorFrom({ 'database-url': url, 'repair-revision': '0002' })
    expect(stray.message).toBe("Input 'repair-revision' is only used with mode: repair, but mode is migrate; got '0002'.")
    expect(errorFrom({ 'database-url': url, mode: 'plan', 'repair-action': 'mark-applied' }).location).toEqual({ input: 'repair-action' })
  })

  it('mode: downgrade needs target-revision, which is refused in any other mode', () => {
    expect(settingsFrom({ 'database-url': url }).targetRevision).toBeUndefined()
    expect(settingsFrom({ 'database-url': url, mode: 'downgrade', 'target-revision': 'base' })).toEqual(expect.objectContaining({ mode: 'downgrade', targetRevision: 'base' }))
    const missing = errorFrom({ 'database-url': url, mode: 'downgrade' })
    expect(missing.message).toBe("Input 'target-revision' is required with mode: downgrade (the applied revision to return to, or base); got ''.")
    expect(missing.location).toEqual({ input: 'target-revision' })
    const stray = errorFrom({ 'database-url': url, mode: 'validate', 'target-revision': '0001' })
    expect(stray.message).toBe("Input 'target-revision' is only used with mode: downgrade, but mode is validate; got '0001'.")
  })

  it('reads checks in the modes that run them, refuses it in the others, and checks-timeout as a Postgres duration defaulting to 30s', () => {
    expect(settingsFrom({ 'database-url': url })).toEqual(expect.objectContaining({ checks: undefined, checksTimeout: '30s' }))
    for (const mode of ['migrate', 'validate', 'check']) expect(settingsFrom({ 'database-url': url, mode, checks: 'db/checks' }).checks).toBe('db/checks')
    for (const mode of ['plan', 'repair', 'downgrade']) {
      const error = errorFrom({
        'database-url': url,
        mode,
        checks: 'db/checks',
        'repair-revision': mode === 'repair' ? '1' : '',
        'target-revision': mode === 'downgrade' ? '1' : ''
      })
      expect([mode, error.message]).toEqual([mode, `Input 'checks' runs in modes migrate, validate, check, but mode is ${mode}; got 'db/checks'.`])
    }
    expect(settingsFrom({ 'database-url': url, 'checks-timeout': '2min' }).checksTimeout).toBe('2min')
    expect(errorFrom({ 'database-url': url, 'checks-timeout': 'soon' }).location).toEqual({ input: 'checks-timeout' })
  })
})
