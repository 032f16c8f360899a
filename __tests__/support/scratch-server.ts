import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, chmodSync, chownSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findPgBin } from './capability-probes.js'

/**
 * A throwaway PostgreSQL cluster that a test can stop, start and restart — to reproduce a server
 * that comes up late, or the pgvector/pgvector image's init phase (a temporary server listening
 * only on the unix socket, then a restart with TCP). Suites that use it need 'scratch-server'.
 */
// Without binaries the suites that need 'scratch-server' are skipped, so the fallback is never run.
const PG_BIN = findPgBin() ?? ''
const isRoot = process.getuid?.() === 0

export const SCRATCH_PASSWORD = 'scratch-Pa55word'

export class ScratchServer {
  readonly dir: string
  readonly port: number

  private constructor(dir: string, port: number) {
    this.dir = dir
    this.port = port
  }

  static async create(): Promise<ScratchServer> {
    const dir = mkdtempSync(join(tmpdir(), 'pgma-scratch-'))
    const port = await freePort()
    const pwfile = join(dir, 'pw')
    writeFileSync(pwfile, SCRATCH_PASSWORD + '\n')
    if (isRoot) {
      const { uid, gid } = postgresIds()
      chownSync(dir, uid, gid)
      chownSync(pwfile, uid, gid)
    }
    chmodSync(dir, 0o700)
    asPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '--no-sync',
      '-E',
      'UTF8'
    ])
    return new ScratchServer(dir, port)
  }

  get url(): string {
    return `postgres://postgres:${SCRATCH_PASSWORD}@127.0.0.1:${this.port}/postgres`
  }

  /** `tcp: false` mimics the docker entrypoint's init server: unix socket only. */
  start({ tcp = true, wait = true }: { tcp?: boolean; wait?: boolean } = {}): void {
    if (this.running()) return
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=${tcp ? '127.0.0.1' : "''"} -c fsync=off`
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-o', options, ...(wait ? ['-w'] : ['-W']), 'start'])
  }

  running(): boolean {
    return asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), 'status'], true).includes('server is running')
  }

  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop'], true)
  }

  /** Runs SQL through the unix socket as the superuser (works while TCP is off). */
  psql(sql: string): string {
    return asPostgres(join(PG_BIN, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-qAt', '-c', sql])
  }

  destroy(): void {
    this.stop('immediate')
    rmSync(this.dir, { recursive: true, force: true })
  }
}

function asPostgres(command: string, args: string[], allowFailure = false): string {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    if (allowFailure) return ''
    throw error
  }
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
