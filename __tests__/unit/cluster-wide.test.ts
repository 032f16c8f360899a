import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Revision } from '../../src/engines/engine.js'
import { findClusterWideChange } from '../../src/scratch/cluster-wide.js'

/** Which migration texts may not run on a scratch database of the target's server. */
describe('server-wide changes in a migration file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgma-cluster-wide-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const found = async (text: string): Promise<string | undefined> => {
    const file = path.join(dir, `${Math.random().toString(16).slice(2)}.sql`)
    writeFileSync(file, text)
    const revision: Revision = { id: '1', parents: [], dependsOn: [], branchLabels: [], description: '', file }
    const change = await findClusterWideChange([revision])
    return change && `${change.line}: ${change.text} (${change.what})`
  }

  it('finds roles, memberships, tablespaces, databases, server settings and subscriptions, with their line', async () => {
    expect(await found('CREATE TABLE a (id int);\ncreate role app login;')).toBe('2: create role (a role)')
    expect(await found("DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles) THEN\n    CREATE USER app PASSWORD 'x';\n  END IF;\nEND $$;")).toBe('3: CREATE USER (a role)')
    expect(await found('op.execute("ALTER ROLE app SET search_path = app")')).toBe('1: ALTER ROLE (a role)')
    expect(await found('GRANT readers TO app;')).toBe('1: GRANT readers (a role membership)')
    expect(await found("op.execute('revoke admins from app')")).toBe('1: revoke admins (a role membership)')
    expect(await found("CREATE TABLESPACE fast LOCATION '/ssd';")).toBe('1: CREATE TABLESPACE (a tablespace)')
    expect(await found("ALTER DATABASE app SET work_mem = '64MB';")).toBe('1: ALTER DATABASE (a database)')
    expect(await found('ALTER SYSTEM SET max_connections = 200;')).toBe('1: ALTER SYSTEM (the server configuration)')
    expect(await found("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;")).toBe('1: CREATE SUBSCRIPTION (a subscription)')
  })

  it('leaves what stays inside the database: object grants, user mappings, schemas, prose', async () => {
    expect(await found('GRANT SELECT ON ALL TABLES IN SCHEMA public TO app;')).toBeUndefined()
    expect(await found('REVOKE INSERT ON docs FROM app;')).toBeUndefined()
    expect(await found('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app;')).toBeUndefined()
    expect(await found("CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'x');")).toBeUndefined()
    expect(await found('CREATE SCHEMA app;\nCREATE TABLE app.roles (id int);')).toBeUndefined()
    expect(await found('-- We grant nothing here; the table is read by the API.\nCREATE TABLE t (id int);')).toBeUndefined()
  })
})
