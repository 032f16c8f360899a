import { defineRule } from '../rule.js'

export default defineRule({
  id: 'vector-extension-without-if-not-exists',
  appliesTo: ['CreateExtensionStmt'],
  risk: 'high',
  title: 'CREATE EXTENSION vector without IF NOT EXISTS',
  saferWay: 'Write `CREATE EXTENSION IF NOT EXISTS vector;`, or leave it to the `extensions` input (default `vector`).',
  docs: {
    why: 'The action creates pgvector before the migrations by default (`extensions: vector`), and managed databases often have it already: the migration then fails with "extension \\"vector\\" already exists".',
    bad: 'CREATE EXTENSION vector;',
    good: 'CREATE EXTENSION IF NOT EXISTS vector;'
  },
  check: ({ body }) => (String(body.extname) === 'vector' && !body.if_not_exists ? [{ message: 'creates extension vector without IF NOT EXISTS' }] : [])
})
