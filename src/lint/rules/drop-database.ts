import { defineRule } from '../rule.js'

export default defineRule({
  id: 'drop-database',
  appliesTo: ['DropdbStmt'],
  risk: 'critical',
  title: 'Drops a database',
  saferWay: 'Databases are not dropped by migrations: drop it by hand, after a backup, outside the migration chain.',
  docs: {
    why: 'Every table of the database and all its data are removed; a migration chain is the wrong place for it.',
    bad: 'DROP DATABASE staging_copy;',
    good: '-- Nothing to migrate: the database is dropped by hand after a backup.\nSELECT 1;'
  },
  check: ({ body }) => [{ message: `drops database ${String(body.dbname)}` }].filter(() => body.dbname !== undefined)
})
