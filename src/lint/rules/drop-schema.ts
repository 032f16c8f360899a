import { list, nodeOf } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'drop-schema',
  appliesTo: ['DropStmt'],
  risk: 'critical',
  title: 'Drops a schema',
  saferWay: 'Drop the objects you mean to drop one by one, each reviewed; if the whole schema must go, back it up and acknowledge the drop with a reason.',
  docs: {
    why: 'A schema holds tables, functions and types; `DROP SCHEMA … CASCADE` removes all of them and their data in one statement.',
    bad: 'DROP SCHEMA analytics CASCADE;',
    good: '-- pg-migrate:allow drop-schema reason: analytics moved to the warehouse in release 40, backed up\nDROP SCHEMA analytics CASCADE;'
  },
  check: ({ body, schema }) => {
    if (body.removeType !== 'OBJECT_SCHEMA') return []
    return list(body.objects).flatMap((o) => {
      const name = String(nodeOf(o, 'String')?.sval ?? '?')
      const cascade = body.behavior === 'DROP_CASCADE' ? ' CASCADE' : ''
      return schema.onObject(
        { kind: 'schema', schema: name },
        { message: `drops schema ${name}${body.missing_ok ? ' IF EXISTS' : ''}${cascade}` },
        { ifExists: Boolean(body.missing_ok) }
      )
    })
  }
})
