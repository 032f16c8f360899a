// An embedded PostgreSQL with pgvector, served over TCP: PGlite (Postgres compiled to WASM) behind
// pglite-socket. No Docker, no system packages — only npm. Used by `npm run demo` and the benchmarks.
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

/** Starts the server on `port` (0 = any free port) and returns its URL and a stop function. */
export async function startPgliteServer({ port = 0, dataDir } = {}) {
  const db = await PGlite.create({ dataDir, extensions: { vector } })
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
