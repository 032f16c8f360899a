import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadProject } from '../../src/engines/alembic/project.js'
import { includedFiles, prepareVenv } from '../../src/engines/alembic/venv.js'
import { loadSqlMigrations } from '../../src/engines/sql/files.js'
import { silentLogger } from '../../src/logger.js'

/**
 * Nothing the chain reads may come from outside the workspace: a symbolic link in a pull request
 * must not put a runner file (/proc/self/environ, a credentials file) into the plan or the log.
 */

const root = mkdtempSync(path.join(tmpdir(), 'pgma-workspace-'))
const workspace = path.join(root, 'workspace')
const outside = path.join(root, 'outside')
afterAll(() => rmSync(root, { recursive: true, force: true }))

let count = 0
/** A fresh directory inside the workspace holding `files`; a `{ link }` entry becomes a symbolic link. */
function project(files: Record<string, string | { link: string }>): string {
  const dir = path.join(workspace, `p${++count}`)
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    if (typeof content === 'string') writeFileSync(file, content)
    else symlinkSync(content.link, file)
  }
  return dir
}

mkdirSync(outside, { recursive: true })
const secret = path.join(outside, 'secret.sql')
writeFileSync(secret, "SELECT 'GITHUB_TOKEN=ghs_not_for_the_plan';\n")

describe('SQL migration files', () => {
  it('refuses a link to a file outside the workspace, naming the file and where it points, before reading it', async () => {
    const dir = project({ 'db/0001_a.sql': 'SELECT 1;', 'db/0002_env.sql': { link: '/proc/self/environ' } })
    const error = await loadSqlMigrations('db', dir, { workspace }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'file-outside-workspace', location: { file: 'db/0002_env.sql' } })
    expect(String(error)).toContain('The migration file db/0002_env.sql is a symbolic link that resolves to /proc/')
    expect(String(error)).toContain(`outside the workspace ${workspace}`)
    const linked = project({ 'db/0001_a.sql': { link: secret } })
    await expect(loadSqlMigrations('db', linked, { workspace })).rejects.toMatchObject({ code: 'file-outside-workspace' })
  })

  it('reads a link that stays inside the workspace', async () => {
    const dir = project({ 'shared/one.sql': 'SELECT 1;', 'db/0001_a.sql': { link: '../shared/one.sql' } })
    expect((await loadSqlMigrations('db', dir, { workspace })).map((m) => m.up.text)).toEqual(['SELECT 1;'])
  })

  it('refuses a migrations directory that is a link out of the workspace', async () => {
    const dir = project({ db: { link: outside } })
    await expect(loadSqlMigrations('db', dir, { workspace })).rejects.toMatchObject({ code: 'migrations-path-outside-workspace', location: { input: 'migrations-path' } })
  })
})

describe('an Alembic project', () => {
  const ini = (scriptLocation = '%(here)s/migrations'): string => `[alembic]\nscript_location = ${scriptLocation}\n`
  const revision = "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    pass\n"

  it('reads a project inside the workspace, with a revision linked from inside', async () => {
    const dir = project({ 'alembic.ini': ini(), 'migrations/env.py': '', 'shared/a1.py': revision, 'migrations/versions/a1.py': { link: '../../shared/a1.py' } })
    expect((await loadProject(dir, workspace)).revisions.map((r) => r.revision.id)).toEqual(['a1'])
  })

  it.each([
    ['alembic.ini', () => ({ 'alembic.ini': { link: path.join(outside, 'alembic.ini') } }), /alembic\.ini resolves to/],
    ['script_location', () => ({ 'alembic.ini': ini(path.join(outside, 'scripts')) }), /script_location .* resolves to/],
    ['env.py', () => ({ 'alembic.ini': ini(), 'migrations/env.py': { link: path.join(outside, 'env.py') } }), /env\.py resolves to/],
    [
      'a version location',
      () => ({ 'alembic.ini': `${ini()}version_locations = ${path.join(outside, 'versions')}\n`, 'migrations/env.py': '' }),
      /The version location .* resolves to/
    ],
    [
      'a revision file',
      () => ({ 'alembic.ini': ini(), 'migrations/env.py': '', 'migrations/versions/a1.py': { link: path.join(outside, 'a1.py') } }),
      /The revision file .*a1\.py resolves to/
    ]
  ])('refuses %s outside the workspace', async (_what, files, message) => {
    for (const name of ['alembic.ini', 'env.py', 'a1.py']) writeFileSync(path.join(outside, name), name === 'alembic.ini' ? ini() : name === 'a1.py' ? revision : '')
    for (const dir of ['scripts', 'versions']) mkdirSync(path.join(outside, dir), { recursive: true })
    writeFileSync(path.join(outside, 'scripts', 'env.py'), '')
    const error = await loadProject(project(files()), workspace).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'file-outside-workspace' })
    expect(String(error)).toMatch(message)
  })
})

describe('alembic-requirements', () => {
  const venv = (requirementsPath: string) =>
    // The check comes before Python runs: a missing interpreter proves nothing was installed.
    prepareVenv({ python: '/nonexistent/python3', requirementsPath, env: {}, log: silentLogger(), root, workspace })

  it('refuses a requirements file outside the workspace, and one that includes a file outside it', async () => {
    writeFileSync(path.join(outside, 'requirements.txt'), 'alembic\n')
    await expect(venv(path.join(outside, 'requirements.txt'))).rejects.toMatchObject({ code: 'file-outside-workspace', location: { input: 'alembic-requirements' } })
    const linked = project({ 'requirements.txt': { link: '/proc/self/environ' } })
    await expect(venv(path.join(linked, 'requirements.txt'))).rejects.toThrow(/alembic-requirements '.*requirements\.txt' resolves to \/proc\//)
    const including = project({ 'requirements.txt': 'alembic\n-r base.txt\n', 'base.txt': `--constraint=${path.join(outside, 'requirements.txt')}\n` })
    await expect(venv(path.join(including, 'requirements.txt'))).rejects.toThrow(/included by .*base\.txt\) resolves to .*outside/)
  })

  it('reads the files pip includes, in all their spellings', () => {
    expect(
      includedFiles('-r a.txt\n-rb.txt\n--requirement=c.txt\n  --requirement d.txt\n-c e.txt\n--constraint f.txt\n# -r g.txt\nalembic\n-r https://example.com/x.txt\n')
    ).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt'])
  })
})
