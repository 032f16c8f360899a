// An embedded PostgreSQL with pgvector, served over TCP: PGlite (Postgres compiled to WASM) behind
// pglite-socket. No Docker, no system packages — only npm. Used by `npm run demo`, the benchmarks and,
// on a machine without TEST_DATABASE_URL, the test suites that can run on it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

/**
 * Starts the server on `port` (0 = any free port) and returns its URL and a stop function.
 * `template`: a data directory written by `writePgliteTemplate`, loaded instead of running initdb
 * (several times faster: what the tests do for each database they create).
 */
export async function startPgliteServer({ port = 0, dataDir, template } = {}) {
  const loadDataDir = template ? new Blob([readFileSync(template)]) : undefined
  const db = await PGlite.create({ dataDir, loadDataDir, extensions: { vector } })
  // PGlite runs one session; the socket server multiplexes a few clients onto it, which is enough
  // for the action's lock-holding connection plus one migration session at a time.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 8 })
  await server.start()
  const address = server.server?.address?.() ?? { port }
  const actualPort = typeof address === 'object' && address ? address.port : port
  return {
    url: `postgres://postgres:pglite-demo@127.0.0.1:${actualPort}/postgres`,
    port: actualPort,
    stop: async () => {
      await server.stop()
      await db.close()
    }
  }
}

/**
 * Writes a freshly initialised data directory (initdb's result, nothing created in it) to `file`,
 * unless it is already there. The name should carry the PGlite versions (see `pgliteTemplatePath`):
 * a data directory only loads into the PGlite that wrote it.
 */
export async function writePgliteTemplate(file) {
  if (existsSync(file)) return file
  mkdirSync(dirname(file), { recursive: true })
  const db = await PGlite.create({ extensions: { vector } })
  const dump = await db.dumpDataDir('none')
  await db.close()
  // Written aside and renamed, so a concurrent run never reads half a file.
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
  renameSync(partial, file)
  return file
}

/** Where the template of this install's PGlite and pgvector versions lives under `cacheDir`. */
export function pgliteTemplatePath(cacheDir) {
  // Neither package exports its package.json; both keep their entry point in dist/.
  const version = (name) => JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.resolve(name))), '..', 'package.json'), 'utf8')).version
  return join(cacheDir, `pglite-${version('@electric-sql/pglite')}-pgvector-${version('@electric-sql/pglite-pgvector')}.tar`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 5433)
  const { url, stop } = await startPgliteServer({ port })
  console.log(`PGlite + pgvector listening: ${url}`)
  const shutdown = async () => {
    await stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}
