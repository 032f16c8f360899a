import type { RunReport } from './model.js'
import { code, plural } from './markdown.js'

/** When GitHub's limit per step kept findings or problems from being annotated: how many, and where each one is. */
export function renderAnnotationsNote(report: RunReport): string {
  const left = report.annotationsLeftOut
  if (!left) return ''
  const kinds = (['error', 'warning', 'notice'] as const).filter((kind) => left.kinds[kind] > 0).map((kind) => plural(left.kinds[kind], kind))
  const what = [
    left.lockWaits && plural(left.lockWaits, 'lock wait warning'),
    left.findings && plural(left.findings, 'lint finding'),
    left.problems && plural(left.problems, 'chain problem'),
    left.notices && plural(left.notices, 'server notice')
  ].filter(Boolean)
  const where = [left.lockWaits && 'Migrations', left.findings && 'Risk lint', left.problems && 'Chain problems', left.notices && 'Server notices'].filter(Boolean)
  return (
    `**Annotations:** GitHub shows at most ${left.perKind} annotations of each kind per step, so ${left.total} of ${left.of} ` +
    `(${kinds.join(', ')}) were left out: ${what.join(' and ')}. ` +
    `Each one is listed in this summary (${where.join(', ')})` +
    (left.findings ? `, and the ${code('findings')} output holds every lint finding as JSON.` : '.') +
    '\n'
  )
}
