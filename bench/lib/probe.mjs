// The independent readiness reference: a separate process that tries a real PostgreSQL connection and
// `SELECT 1` every 5 ms, and prints when TCP first got past "connection refused" and when the first
// query succeeded (wall-clock ms, sub-ms resolution). Usage: node probe.mjs <url> <timeout-ms>
import pg from 'pg'

const [url, timeoutArg] = process.argv.slice(2)
const deadline = Date.now() + Number(timeoutArg ?? 120000)
const now = () => performance.timeOrigin + performance.now()
const INTERVAL_MS = 5

let tcpAt
let attempts = 0
for (;;) {
  attempts++
  const attemptAt = now()
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query('SELECT 1')
    const queryAt = now()
    tcpAt ??= attemptAt
    await client.end().catch(() => undefined)
    process.stdout.write(JSON.stringify({ tcpAt, queryAt, attempts }) + '\n')
    process.exit(0)
  } catch (error) {
    await client.end().catch(() => undefined)
    // Anything but "refused" means something accepted the TCP connection (e.g. "the database system is starting up").
    if (tcpAt === undefined && error?.code !== 'ECONNREFUSED') tcpAt = attemptAt
  }
  if (Date.now() > deadline) {
    process.stdout.write(JSON.stringify({ tcpAt, queryAt: null, attempts }) + '\n')
    process.exit(1)
  }
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS))
}
