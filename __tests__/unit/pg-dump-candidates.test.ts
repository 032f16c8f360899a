import { afterAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { candidatePaths } from '../../src/backup/client.js'

describe('the pg_dump candidates', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'pgma-pg-dump-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('lists a file reached through a linked directory once (/bin → /usr/bin on merged-/usr systems), by the first path on PATH', () => {
    const usrBin = path.join(root, 'usr', 'bin')
    mkdirSync(usrBin, { recursive: true })
    writeFileSync(path.join(usrBin, 'pg_dump'), '#!/bin/sh\n')
    chmodSync(path.join(usrBin, 'pg_dump'), 0o755)
    symlinkSync(usrBin, path.join(root, 'bin'))
    const other = path.join(root, 'pg16', 'bin')
    mkdirSync(other, { recursive: true })
    writeFileSync(path.join(other, 'pg_dump'), '#!/bin/sh\n')
    chmodSync(path.join(other, 'pg_dump'), 0o755)
    const PATH = [usrBin, path.join(root, 'bin'), other].join(path.delimiter)
    expect(candidatePaths({ PATH }, path.join(root, 'none'))).toEqual([path.join(usrBin, 'pg_dump'), path.join(other, 'pg_dump')])
  })
})
