import { loadSqlParser } from '../../sql/parse.js'
import { registerSqlSecrets } from '../../sql/secrets.js'
import { parseProgressLine } from './output.js'

/**
 * Alembic's offline (`--sql`) output, split per revision on its `-- Running upgrade a -> b`
 * comments, so plan and lint see each revision's SQL on its own.
 */
export interface OfflineChunk {
  revision: string
  sql: string
  /** A COMMIT inside the chunk: part of it runs outside the migration transaction (autocommit_block). */
  leavesTransaction: boolean
}

export interface OfflineSql {
  /** What Alembic emits before the first revision (BEGIN, CREATE TABLE alembic_version). */
  preamble: string
  chunks: OfflineChunk[]
}

/** Registers the password literals in Alembic's offline SQL as secrets, before any of it is shown. */
export async function registerOfflineSqlSecrets(output: string): Promise<void> {
  registerSqlSecrets(await loadSqlParser(), output)
}

const FRAMING = /^(BEGIN|COMMIT);$/

export function splitOfflineSql(output: string): OfflineSql {
  const lines = output.split(/\r?\n/)
  let preamble: string[] = []
  const chunks: { revision: string; lines: string[] }[] = []
  for (const line of lines) {
    const progress = line.startsWith('-- Running upgrade') ? parseProgressLine(line) : undefined
    if (progress) {
      chunks.push({ revision: progress.to, lines: [] })
      continue
    }
    if (chunks.length === 0) preamble.push(line)
    else chunks[chunks.length - 1].lines.push(line)
  }
  preamble = trimFraming(preamble)
  return {
    preamble: preamble.join('\n').trim(),
    chunks: chunks.map((chunk) => {
      const body = trimFraming(chunk.lines)
      return {
        revision: chunk.revision,
        sql: body.join('\n').trim(),
        leavesTransaction: body.some((l) => FRAMING.test(l.trim()))
      }
    })
  }
}

/** Drops the transaction framing at either end (one transaction per run or per migration); keeps any in the middle. */
function trimFraming(lines: string[]): string[] {
  const out = [...lines]
  const blank = (l: string | undefined): boolean => l !== undefined && l.trim() === ''
  for (;;) {
    while (blank(out[0])) out.shift()
    while (blank(out[out.length - 1])) out.pop()
    if (out.length > 0 && FRAMING.test(out[0].trim())) {
      out.shift()
      continue
    }
    if (out.length > 0 && FRAMING.test(out[out.length - 1].trim())) {
      out.pop()
      continue
    }
    return out
  }
}
