import { defineRule } from '../rule.js'

export default defineRule({
  id: 'syntax-error',
  risk: 'critical',
  title: 'A statement that does not parse',
  saferWay: 'Fix the SQL. Migration files are plain SQL for the server: psql meta-commands (\\i, \\connect, \\set) are not supported.',
  docs: {
    why: "The lint reads migrations with PostgreSQL's own grammar. A statement it cannot parse cannot be checked for risk, and the server will most likely refuse it too.",
    bad: 'CREATE TABLE documents (id bigint PRIMARY KEY,);',
    good: 'CREATE TABLE documents (id bigint PRIMARY KEY);'
  }
})
