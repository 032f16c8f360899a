import { isRuleId, type RuleId } from './registry.js'

/**
 * Acknowledgements written in the migration file: `-- pg-migrate:allow <rule-id> reason: <text>`
 * (`# pg-migrate:allow …` in an Alembic revision). One covers the next statement, or the whole file
 * when it stands before the first statement. Several ids may be given, comma-separated.
 */
export interface Acknowledgement {
  rules: RuleId[]
  reason: string
  /** 1-based line in the file. */
  line: number
}

export interface AcknowledgementProblem {
  line: number
  message: string
}

const ALLOW = /^\s*(?:--|#)\s*pg-migrate:\s*allow\b(.*)$/i

/**
 * `isText(index, column)` says whether the comment that line `index` (0-based, in `lines`) holds from
 * `column` is really text: inside a string, dollar-quoted body or block comment. There it acknowledges
 * nothing, as section markers there mark nothing.
 */
export function readAcknowledgements(
  lines: string[],
  firstLine: number,
  isText: (index: number, column: number) => boolean = () => false
): { acknowledgements: Acknowledgement[]; problems: AcknowledgementProblem[] } {
  const acknowledgements: Acknowledgement[] = []
  const problems: AcknowledgementProblem[] = []
  for (const [i, text] of lines.entries()) {
    const match = ALLOW.exec(text)
    if (!match || isText(i, text.length - text.trimStart().length)) continue
    const line = firstLine + i
    const [idsPart, ...reasonParts] = match[1].split(/\breason\s*:/i)
    const ids = idsPart.split(/[\s,]+/).filter(Boolean)
    const reason = reasonParts.join('reason:').trim()
    if (ids.length === 0) {
      problems.push({ line, message: 'pg-migrate:allow names no rule' })
      continue
    }
    const unknown = ids.filter((id) => !isRuleId(id))
    for (const id of unknown) problems.push({ line, message: `pg-migrate:allow names an unknown rule '${id}'` })
    if (reason === '') {
      problems.push({ line, message: `pg-migrate:allow ${ids.join(', ')} gives no reason, so it acknowledges nothing` })
      continue
    }
    const known = ids.filter(isRuleId)
    if (known.length > 0) acknowledgements.push({ rules: known, reason, line })
  }
  return { acknowledgements, problems }
}
