import { listCalls, type OpCallWithArguments } from '../alembic-ops.js'
import { defineRule, type Hit } from '../rule.js'

/** Alembic's constraint ops, whose first argument is the constraint's name, and the `type_` each makes. */
const CREATES: Record<string, { type: string; suffix?: string; columnsAt: { op: number; batch_op: number } }> = {
  create_foreign_key: { type: 'foreignkey', suffix: 'fkey', columnsAt: { op: 3, batch_op: 2 } },
  create_unique_constraint: { type: 'unique', suffix: 'key', columnsAt: { op: 2, batch_op: 1 } },
  create_primary_key: { type: 'primary', columnsAt: { op: 2, batch_op: 1 } },
  create_check_constraint: { type: 'check', columnsAt: { op: -1, batch_op: -1 } },
  create_exclude_constraint: { type: 'exclude', columnsAt: { op: -1, batch_op: -1 } }
}

export default defineRule({
  id: 'unnamed-constraint',
  risk: 'medium',
  title: 'An Alembic revision that drops a constraint by the name None (autogenerate leaves it for unnamed constraints)',
  saferWay:
    "Name the constraint where it is created (`op.create_foreign_key('chunks_document_id_fkey', …)`, or a `naming_convention` on the MetaData that autogenerate reads), and drop it by that name in downgrade().",
  docs: {
    why: 'Autogenerate writes `op.create_foreign_key(None, …)` for a constraint without a name, and `op.drop_constraint(None, …)` in downgrade(). PostgreSQL names the constraint itself, but SQLAlchemy cannot emit DROP CONSTRAINT without a name ("Can\'t emit DROP CONSTRAINT for constraint …; it has no name"): the downgrade of the revision fails, typically when it is needed to roll back. In upgrade() the same call fails the upgrade.',
    language: 'python',
    bad: "def upgrade():\n    op.create_foreign_key(None, 'chunks', 'documents', ['document_id'], ['id'])\n\n\ndef downgrade():\n    op.drop_constraint(None, 'chunks', type_='foreignkey')",
    good: "def upgrade():\n    op.create_foreign_key('chunks_document_id_fkey', 'chunks', 'documents', ['document_id'], ['id'])\n\n\ndef downgrade():\n    op.drop_constraint('chunks_document_id_fkey', 'chunks', type_='foreignkey')"
  },
  checkSource: ({ source }) => {
    const upgrade = listCalls(source, 'upgrade')
    const downgrade = listCalls(source, 'downgrade')
    const hits: (Hit & { line: number })[] = []
    for (const drop of upgrade.filter(dropsUnnamed)) {
      hits.push({
        line: drop.line,
        risk: 'high',
        message: `op.drop_constraint(None${tableOf(drop) ? `, '${tableOf(drop)}'` : ''}) in upgrade() cannot be emitted (SQLAlchemy: "it has no name"): upgrading to this revision fails; drop the constraint by its name`
      })
    }
    const creates = upgrade.filter((call) => CREATES[call.name] && isNone(argument(call, 0, 'constraint_name')))
    for (const drop of downgrade.filter(dropsUnnamed)) {
      const table = tableOf(drop)
      const type = stringValue(argument(drop, drop.receiver === 'op' ? 2 : 1, 'type_'))
      const created = creates.find((c) => (table === undefined || tableOf(c) === undefined || tableOf(c) === table) && (type === undefined || CREATES[c.name].type === type))
      const name = created && defaultName(created)
      const where = created ? `op.${created.name}(None, …) at line ${created.line} leaves the name to PostgreSQL${name ? ` (${name})` : ''}, and ` : ''
      // Reported on the create when there is one: that is where the name is missing, and it is in the pending upgrade.
      hits.push({
        line: created?.line ?? drop.line,
        message: `${where}op.drop_constraint(None${table ? `, '${table}'` : ''}) in downgrade() (line ${drop.line}) cannot be emitted (SQLAlchemy: "it has no name"): the downgrade of this revision will fail; name the constraint${name ? ` (e.g. '${name}')` : ''} and drop it by that name`
      })
    }
    return hits
  }
})

function dropsUnnamed(call: OpCallWithArguments): boolean {
  return call.name === 'drop_constraint' && isNone(argument(call, 0, 'constraint_name'))
}

/** The table a call is about: its second argument for `op.`; `batch_op.` calls name none (their `with` block does). */
function tableOf(call: OpCallWithArguments): string | undefined {
  if (call.receiver === 'batch_op') return undefined
  return stringValue(argument(call, 1, call.name === 'create_foreign_key' ? 'source_table' : 'table_name'))
}

/** The name PostgreSQL chooses for an unnamed constraint (`<table>_<columns>_fkey`), when the call shows its table and columns. */
function defaultName(call: OpCallWithArguments): string | undefined {
  const spec = CREATES[call.name]
  const table = tableOf(call)
  if (!table) return undefined
  if (spec.type === 'primary') return `${table}_pkey`
  const at = spec.columnsAt[call.receiver]
  const columns = at < 0 ? undefined : listValue(argument(call, at, call.name === 'create_foreign_key' ? 'local_cols' : 'columns'))
  return spec.suffix && columns?.length ? `${table}_${columns.join('_')}_${spec.suffix}`.slice(0, 63) : undefined
}

/** Positional argument `index`, or the keyword argument `keyword=…`. */
function argument(call: OpCallWithArguments, index: number, keyword: string): string | undefined {
  const named = call.args.find((a) => new RegExp(`^${keyword}\\s*=`).test(a))
  if (named) return named.slice(named.indexOf('=') + 1).trim()
  const positional = call.args.filter((a) => !/^\w+\s*=[^=]/.test(a))
  return positional[index]
}

function isNone(value: string | undefined): boolean {
  return value === 'None'
}

function stringValue(value: string | undefined): string | undefined {
  const m = /^[rRuU]?(['"])(.*)\1$/.exec(value ?? '')
  return m?.[2]
}

function listValue(value: string | undefined): string[] | undefined {
  const m = /^[[(](.*)[\])]$/.exec(value ?? '')
  if (!m) return undefined
  const items = m[1]
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(stringValue)
  return items.every((item) => item !== undefined) ? (items as string[]) : undefined
}
