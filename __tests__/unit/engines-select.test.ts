import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { selectEngine } from '../../src/engines/index.js'
import type { Problem } from '../../src/engines/engine.js'
import type { Settings } from '../../src/inputs.js'
import { sqlSettings } from '../support/sql-engine.js'

const root = mkdtempSync(path.join(tmpdir(), 'pgma-select-'))
const workspace = path.join(root, 'workspace')
afterAll(() => rmSync(root, { recursive: true, force: true }))

function directory(relative: string, files: Record<string, string> = {}): string {
  const dir = path.join(root, relative)
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

async function problemsFor(migrationsPath: string, overrides: Partial<Settings> = {}): Promise<Problem[]> {
  const engine = await selectEngine(sqlSettings('postgresql://u@localhost/db', { migrationsPath, ...overrides }), workspace)
  return engine.checkChain(await engine.loadChain())
}

describe('selectEngine: where migrations-path points', () => {
  it('warns about an empty migrations directory, with the resolved path, strongest in migrate mode', async () => {
    const empty = directory('workspace/db/migratoins')
    const [migrate] = await problemsFor(empty)
    expect(migrate).toMatchObject({ code: 'migrations-path-empty', severity: 'warning' })
    expect(migrate.message).toBe(`migrations-path '${empty}' (${empty}) holds no migrations: nothing will be applied, and the run would still pass.`)
    expect(migrate.hint).toContain('wrong migrations-path')
    expect((await problemsFor(empty, { mode: 'plan' }))[0].message).toMatch(/holds no migrations\.$/)
  })

  it('refuses a path outside the workspace, relative or through a symbolic link, naming where it resolves, before reading it', async () => {
    const outside = directory('elsewhere/migrations', { '0001_a.sql': 'SELECT 1;' })
    const climbing = path.relative(process.cwd(), outside)
    expect(climbing.startsWith('..')).toBe(true)
    await expect(problemsFor(climbing)).rejects.toMatchObject({
      code: 'migrations-path-outside-workspace',
      location: { input: 'migrations-path' },
      message: `Input 'migrations-path' names '${climbing}', which resolves to ${outside}, outside the workspace ${workspace}; the action reads migrations only from the checkout.`
    })
    symlinkSync(outside, path.join(workspace, 'linked'))
    await expect(problemsFor(path.join(workspace, 'linked'))).rejects.toMatchObject({ code: 'migrations-path-outside-workspace' })
    // The same for an Alembic project.
    const alembic = directory('elsewhere/alembic', { 'alembic.ini': '[alembic]\nscript_location = .\n' })
    await expect(problemsFor(alembic)).rejects.toMatchObject({ code: 'migrations-path-outside-workspace' })
  })

  it('says nothing about a non-empty directory inside the workspace', async () => {
    const inside = directory('workspace/db/migrations', { '0001_a.sql': 'SELECT 1;' })
    expect(await problemsFor(inside)).toEqual([])
    expect(await problemsFor(path.relative(process.cwd(), inside))).toEqual([])
  })

  it('names the resolved path of a migrations-path that is not a directory', async () => {
    await expect(selectEngine(sqlSettings('postgresql://u@localhost/db', { migrationsPath: 'no/such/dir' }), workspace)).rejects.toThrow(
      `'no/such/dir' (${path.resolve('no/such/dir')})`
    )
  })
})

describe('selectEngine: transaction: all', () => {
  const alembicProject = (): string => directory('workspace/alembic-project', { 'alembic.ini': '[alembic]\nscript_location = .\n' })

  it.each(['auto', 'alembic'] as const)('is refused for an Alembic chain (engine: %s), naming the input', async (engine) => {
    const select = () => selectEngine(sqlSettings('postgresql://u@localhost/db', { migrationsPath: alembicProject(), engine, transaction: 'all' }), workspace)
    await expect(select()).rejects.toThrow(expect.objectContaining({ code: 'transaction-all-alembic', location: { input: 'transaction' } }))
    await expect(select()).rejects.toThrow(/Input 'transaction' is 'all', but the chain in '.*alembic-project' runs with Alembic, whose env.py decides the transactions/)
  })

  it('is accepted for SQL files, and per-migration for Alembic', async () => {
    const sql = directory('workspace/sql-chain', { '0001_a.sql': 'SELECT 1;' })
    expect((await selectEngine(sqlSettings('postgresql://u@localhost/db', { migrationsPath: sql, engine: 'auto', transaction: 'all' }), workspace)).name).toBe('sql')
    expect((await selectEngine(sqlSettings('postgresql://u@localhost/db', { migrationsPath: alembicProject(), engine: 'auto' }), workspace)).name).toBe('alembic')
  })
})
