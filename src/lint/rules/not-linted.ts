import { defineRule } from '../rule.js'

export default defineRule({
  id: 'not-linted',
  risk: 'high',
  title: 'A pending revision whose SQL could not be produced, so it was not linted',
  saferWay:
    "Make the revision work in Alembic's offline mode (`alembic upgrade <from>:<to> --sql`): no `op.get_bind()` queries or reads of the database in upgrade(); or review it and the revisions after it by hand (the finding names the command that writes their SQL) and acknowledge it with `# pg-migrate:allow not-linted reason: …`.",
  docs: {
    why: "For Alembic the lint reads each revision's offline SQL. A revision that reads the database while it runs cannot produce it, so its risk is unknown: the lint says so instead of staying silent. Offline generation stops at such a revision, so the revisions after it have no SQL either: one finding, on the revision where it stopped, counts them.",
    language: 'python',
    bad: 'def upgrade():\n    rows = op.get_bind().execute(sa.text("SELECT id FROM documents")).fetchall()\n    for (id,) in rows:\n        op.execute(f"UPDATE documents SET slug = \'doc-{id}\' WHERE id = {id}")',
    good: 'def upgrade():\n    op.execute("UPDATE documents SET slug = \'doc-\' || id WHERE slug IS NULL")'
  }
})
