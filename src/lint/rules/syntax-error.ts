import { defineRule } from '../rule.js'

export default defineRule({
  id: 'syntax-error',
  risk: 'critical',
  title: 'A statement that does not parse',
  saferWay:
    "Fix the SQL. Migration files are plain SQL for the server: psql meta-commands (\\i, \\connect, \\set) are not supported. Syntax the target server's version does not have yet needs a newer server, or the older spelling.",
  docs: {
    why: "The lint reads migrations with PostgreSQL's own grammar (that of PostgreSQL 18). A statement it cannot parse cannot be checked for risk, and the server will most likely refuse it too. Connected, the target server parses every pending statement as well, without running it: a statement its older grammar rejects (syntax added in PostgreSQL 16 to 18) is reported with the server's version, before anything is applied, instead of failing at apply.",
    bad: 'CREATE TABLE documents (id bigint PRIMARY KEY,);',
    good: 'CREATE TABLE documents (id bigint PRIMARY KEY);'
  }
})
