import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type pg from 'pg'
import { ActionError } from '../../src/errors.js'
import { readSettings } from '../../src/inputs.js'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases } from '../support/database.js'

/** What the inputs check says about a timeout: accepted, or refused. */
function actionAccepts(value: string, url: string): boolean {
  try {
    readSettings((name) => (name === 'database-url' ? url : name === 'lock-timeout' ? value : undefined), {})
    return true
  } catch (error) {
    if (error instanceof ActionError && error.location.input === 'lock-timeout') return false
    throw error
  }
}

const units = ['', 'us', 'ms', 's', 'min', 'h', 'd']
/** Boundaries of PostgreSQL's range (INT_MAX ms) and of rounding to 0, in every unit, plus a seeded spread. */
function candidates(): string[] {
  const values = new Set([
    '0',
    '0.0001us',
    '0.5',
    '0.5004ms',
    '0.5ms',
    '0.6ms',
    '499us',
    '500us',
    '501us',
    '2147483647',
    '2147483647.4',
    '2147483647.5',
    '2147483646.5',
    '2147483.647s',
    '2147483.6475s',
    '35791.39411666min',
    '596h',
    '597h',
    '24d',
    '25d',
    '99999999999999999999s',
    '3000000000',
    '10 s'
  ])
  let seed = 7
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  for (const [unit, max] of [
    ['', 2147483647],
    ['us', 2147483647000],
    ['ms', 2147483647],
    ['s', 2147483.647],
    ['min', 35791.394],
    ['h', 596.523],
    ['d', 24.855]
  ] as const) {
    for (let i = 0; i < 12; i++) values.add(`${(max * (0.999 + random() * 0.002)).toFixed(i % 4)}${unit}`)
    values.add(`${(random() * 0.002).toFixed(4)}${unit}`)
  }
  expect(units.every((u) => [...values].some((v) => v.endsWith(u)))).toBe(true)
  return [...values]
}

describeWithAnyDatabase('lock-timeout and statement-timeout agree with what PostgreSQL accepts', () => {
  let client: pg.Client
  let url: string
  beforeAll(async () => {
    url = (await createTestDatabase()).url
    client = await connectClient(url)
  })
  afterAll(async () => {
    await client?.end()
    await dropTestDatabases()
  })

  it('accepts exactly the values the server takes as a timeout, and refuses those it would reject or read as "no timeout"', async () => {
    const disagreements: string[] = []
    for (const value of candidates()) {
      let server: 'refused' | number
      try {
        await client.query(`SELECT set_config('lock_timeout', $1, false)`, [value])
        server = Number((await client.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'lock_timeout'`)).rows[0].setting)
      } catch {
        server = 'refused'
      }
      const meant = Number.parseFloat(value) !== 0
      const expected = server !== 'refused' && (server > 0 || !meant)
      if (actionAccepts(value, url) !== expected) disagreements.push(`${value}: server ${server}, action ${expected ? 'refuses' : 'accepts'}`)
    }
    expect(disagreements).toEqual([])
  })
})
