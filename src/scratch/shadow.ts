import type pg from 'pg'
import { NOT_FROM_EXTENSION, SYSTEM_SCHEMAS, takeSnapshot } from '../verify/snapshot.js'

/**
 * Emptying the shadow database: everything the migrations can create goes, in one transaction;
 * the extensions of the `extensions` input stay (an administrator may have installed them for a
 * role that cannot), and with them the schemas they live in. What is left is checked with the
 * same snapshot the comparisons use, so a kind of object this does not drop is reported, not
 * replayed over.
 */

/** Each query yields the DROP statements for one kind of object; CASCADE and IF EXISTS, as an earlier drop may have taken it. */
const DROPS = (keep: string): string[] => [
  `SELECT format('DROP EVENT TRIGGER IF EXISTS %I CASCADE', e.evtname) FROM pg_event_trigger e WHERE ${NOT_FROM_EXTENSION('pg_event_trigger', 'e.oid')}`,
  `SELECT format('DROP PUBLICATION IF EXISTS %I', p.pubname) FROM pg_publication p`,
  `SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e WHERE e.extname <> 'plpgsql' AND NOT e.extname = ANY (${keep})`,
  `SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) FROM pg_namespace n
    WHERE ${SYSTEM_SCHEMAS} AND n.nspname <> 'public' AND ${NOT_FROM_EXTENSION('pg_namespace', 'n.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_extension e WHERE e.extnamespace = n.oid)`,
  `SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')}`,
  `SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
    WHERE t.typtype IN ('e', 'd', 'r', 'm', 'c') AND (t.typrelid = 0 OR c.relkind = 'c') AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_type', 't.oid')}`,
  `SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind <> 'a' AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_proc', 'p.oid')}`,
  `SELECT format('DROP AGGREGATE IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind = 'a' AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_proc', 'p.oid')}`
]

/** Returns the snapshot keys of what is still there and should not be: empty when the database is empty. */
export async function emptyShadowDatabase(client: pg.Client, keepExtensions: string[]): Promise<string[]> {
  await client.query('BEGIN')
  try {
    for (const query of DROPS('$1::text[]')) {
      const { rows } = await client.query<{ format: string }>(query, query.includes('$1') ? [keepExtensions] : [])
      for (const { format } of rows) await client.query(format)
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
  return [...(await takeSnapshot(client, { exclude: [] })).keys()].filter((key) => !/^(extension|schema) /.test(key))
}
