import { defineRule } from '../rule.js'

export default defineRule({
  id: 'create-extension',
  appliesTo: ['CreateExtensionStmt'],
  risk: 'low',
  title: 'CREATE EXTENSION IF NOT EXISTS',
  saferWay: 'Nothing to change; the `extensions` input can create extensions before the migrations run (and checks privileges).',
  docs: {
    why: 'Creating an extension adds types and functions without touching data; it needs the right privileges on the server (pgvector: superuser or a trusted setup).',
    bad: 'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
    good: '-- Nothing to flag: the extensions input creates it.\nSELECT 1;'
  },
  check: ({ body }) => {
    const name = String(body.extname)
    // `CREATE EXTENSION vector` without IF NOT EXISTS is its own, higher-risk rule.
    if (!body.if_not_exists && name === 'vector') return []
    return [{ message: `creates extension ${name}${body.if_not_exists ? ' if it does not exist' : ''}` }]
  }
})
