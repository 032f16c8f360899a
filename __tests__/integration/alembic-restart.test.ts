import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun } from '../support/action-run.js'
import { PYTHON, STACKS, removeProjects, useStack, writeProject } from '../support/alembic-project.js'
import { describeNeeding } from '../support/capabilities.js'
import { withClient } from '../support/database.js'
import { ScratchServer } from '../support/scratch-server.js'

/**
 * issue 16 #17: a server restart while Alembic runs a revision was reported as "Internal error … This
 * is a bug", and as "unchanged, nothing applied" although a revision had been committed. It is a
 * failure with its own code, saying what the version table records once the server is back. The
 * bundle as the runner runs it, against a scratch server restarted for real during a slow revision.
 */
describeNeeding(['scratch-server', 'alembic'], 'a server restart during an Alembic upgrade (bundle)', () => {
  let server: ScratchServer
  let restore: () => void
  beforeAll(async () => {
    server = await ScratchServer.create()
    server.start()
  })
  afterAll(() => server?.destroy())
  beforeEach(() => {
    restore = useStack(STACKS[0])
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  it('says what was committed, read again once the server is back, under its own code', async () => {
    server.psql('DROP DATABASE IF EXISTS restart_target')
    server.psql('CREATE DATABASE restart_target')
    const url = server.url.replace(/\/postgres$/, '/restart_target')
    const project = writeProject({
      configure: 'transaction_per_migration=True',
      revisions: [
        { id: '0001', down: null, message: 'things', upgrade: ['op.execute("CREATE TABLE things (id int)")'] },
        { id: '0002', down: '0001', message: 'slow', upgrade: ['op.execute("CREATE TABLE slow_one (id int)")', 'op.execute("SELECT pg_sleep(8)")'] },
        { id: '0003', down: '0002', message: 'third', upgrade: ['op.execute("CREATE TABLE third (id int)")'] }
      ]
    })
    let restarted = false
    const result = (await runAction({
      inputs: { 'database-url': url, 'migrations-path': project, python: PYTHON, extensions: '' },
      onStdout: (chunk: string) => {
        if (restarted || !chunk.includes('Running upgrade 0001 -> 0002')) return
        restarted = true
        // Once 0002 is inside its pg_sleep: the action's sessions and Alembic's all end with the server.
        setTimeout(() => {
          server.stop('fast')
          server.start()
        }, 1500)
      }
    })) as ActionRun
    expect(restarted).toBe(true)
    expect(result.exitCode).toBe(1)

    const truth = await withClient(url, async (c) => ({
      recorded: (await c.query<{ v: string }>('SELECT version_num AS v FROM alembic_version')).rows.map((r) => r.v),
      tables: (await c.query<{ things: boolean; slow: boolean }>(`SELECT to_regclass('things') IS NOT NULL AS things, to_regclass('slow_one') IS NOT NULL AS slow`)).rows[0]
    }))
    expect(truth).toEqual({ recorded: ['0001'], tables: { things: true, slow: false } })
    const recorded = truth.recorded.join(',')

    expect(result.summary).not.toContain('Internal error')
    expect(result.summary).not.toContain('This is a bug')
    expect(result.summary).toContain('[`migration-connection-lost`]')
    expect(result.summary).toContain('> **Migration `0002` failed: The connection to the server was lost while Alembic ran 0002')
    const state = result.summary.split('\n').find((l) => l.startsWith('> **Database state:**'))
    expect(state).toBe(
      `> **Database state:** 1 revision, \`0001\`, committed in this run; now at \`${recorded}\`. Partly applied: 0002 was rolled back with the lost connection (before this run, alembic_version recorded no revision); the catalog shows none of 0002's schema changes (read on a new connection once the server answered again).`
    )
    expect(result.summary).toContain('> **What to do:** Run again once the server is stable: Alembic continues from 0001.')
    expect(result.outputs['current-version']).toBe(recorded)
    expect(result.outputs['applied-count']).toBe('1')
  }, 120_000)

  it('says the state is unknown, under the same code, when the server does not come back within wait-timeout', async () => {
    server.psql('DROP DATABASE IF EXISTS gone_target')
    server.psql('CREATE DATABASE gone_target')
    const url = server.url.replace(/\/postgres$/, '/gone_target')
    const project = writeProject({
      revisions: [
        { id: '0001', down: null, message: 'things', upgrade: ['op.execute("CREATE TABLE things (id int)")'] },
        { id: '0002', down: '0001', message: 'slow', upgrade: ['op.execute("SELECT pg_sleep(8)")'] }
      ]
    })
    let stopped = false
    const result = (await runAction({
      inputs: { 'database-url': url, 'migrations-path': project, python: PYTHON, extensions: '', 'wait-timeout': '3' },
      onStdout: (chunk: string) => {
        if (stopped || !chunk.includes('Running upgrade 0001 -> 0002')) return
        stopped = true
        setTimeout(() => server.stop('fast'), 1500)
      }
    })) as ActionRun
    server.start()
    expect(stopped).toBe(true)
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('[`migration-connection-lost`]')
    expect(result.summary).toContain('the server did not answer again within wait-timeout (3 s): what was committed is unknown.')
    expect(result.summary).toContain('> **Database state:** unknown: applying stopped and the database could not be read afterwards (before this run it was no revision applied)')
    expect(result.summary).not.toContain('unchanged')
    expect(result.summary).not.toContain('Internal error')
    // One transaction: nothing was committed, which the run could not know.
    const recorded = await withClient(url, async (c) => (await c.query(`SELECT to_regclass('alembic_version') AS t`)).rows[0].t)
    expect(recorded).toBeNull()
  }, 120_000)
})
