import { describe, it } from '@jest/globals'
import { CAPABILITIES, CAPABILITIES_VARIABLE, type Capability, type Probes } from './capability-probes.js'

/**
 * Every suite declares what it needs beyond Node. When something is missing, the suite is skipped
 * with the reason in its title (the plain summary reporter lists them), except under CI=true, where
 * nothing may skip: the suite is replaced by one failing test that says what is missing.
 */
export type { Capability }

/** Marks a skipped title; plain-summary-reporter.cjs reads the reason back from it. */
const SKIP_MARKER = ' [skipped: '

const underCi = process.env.CI === 'true'

function probes(): Probes {
  const json = process.env[CAPABILITIES_VARIABLE]
  if (!json) throw new Error(`${CAPABILITIES_VARIABLE} is not set: run jest with jest.config.js, whose globalSetup probes what the tests need.`)
  return JSON.parse(json) as Probes
}

/** Whether the global setup found `capability` on this machine. */
export function isAvailable(capability: Capability): boolean {
  return probes()[capability].available
}

/**
 * Why a test needing `needs` cannot run here, or undefined when everything it needs is there.
 * `because` says why the test needs them, when the capability's name does not (e.g. what PGlite lacks).
 */
export function missingReason(needs: Capability[], because?: string): string | undefined {
  const results = probes()
  const reasons = needs.flatMap((need) => {
    const probe = results[need]
    return probe.available ? [] : [`needs ${CAPABILITIES[need]}${because ? ` (${because})` : ''} — ${probe.reason}`]
  })
  return reasons.length > 0 ? reasons.join('; ') : undefined
}

function failUnderCi(reason: string): never {
  const error = new Error(`Under CI=true nothing may skip, but this ${reason}. Provision it as .ci/run does (scripts/provision-postgres.sh).`)
  // The reason is the whole story; a code frame of this helper would only hide it.
  error.stack = error.message
  throw error
}

export function describeNeeding(needs: Capability[], name: string, fn: () => void): void {
  const reason = missingReason(needs)
  if (reason === undefined) describe(name, fn)
  else if (underCi) describe(name, () => it('has what it needs', () => failUnderCi(reason)))
  else describe.skip(name + SKIP_MARKER + reason + ']', fn)
}

/** describe.each for rows that say what they need on top of `needs`; `$name` in the title is replaced by the row's name. */
export function describeEachNeeding<Row extends { name: string; needs: Capability[] }>(needs: Capability[], rows: Row[], title: string, fn: (row: Row) => void): void {
  for (const row of rows) describeNeeding([...needs, ...row.needs], title.replace('$name', row.name), () => fn(row))
}

/** One test that needs more than its suite. The options come first so that the test body stays the last argument, as Prettier formats it. */
export function itNeeding({ needs, because, timeout }: { needs: Capability[]; because?: string; timeout?: number }, name: string, fn: Parameters<typeof it>[1]): void {
  const reason = missingReason(needs, because)
  if (reason === undefined) it(name, fn, timeout)
  else if (underCi) it(name, () => failUnderCi(reason))
  else it.skip(name + SKIP_MARKER + reason + ']', fn, timeout)
}
