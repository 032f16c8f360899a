// Prints the one closing line every CI reads, whatever jest's own summary looks like:
// "N passed, N failed, N skipped" — preceded by what was skipped and why. Suites skipped for a
// missing capability carry the reason in their title (see capabilities.ts); a skip without one
// is listed too, so none goes unnoticed. Under CI=true nothing may skip: any skip fails the run.
const path = require('node:path')

const SKIPPED_TITLE = /^(.*) \[skipped: (.*)\]$/
const SKIPPED_UNDER_CI = 'CI=true: tests were skipped (listed above); under CI nothing may skip.'

class PlainSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir
    // With -t, jest reports every test the pattern leaves out as skipped: those are not skips to list.
    this.filtered = Boolean(globalConfig.testNamePattern)
    this.skips = new Map()
  }

  onTestResult(_test, result) {
    const file = path.relative(this.rootDir, result.testFilePath)
    for (const test of result.testResults) {
      if (test.status !== 'pending' && test.status !== 'todo') continue
      const titles = [...test.ancestorTitles, test.title]
      const marked = titles.findIndex((title) => SKIPPED_TITLE.test(title))
      if (marked < 0 && this.filtered) continue
      const [, name, reason] =
        marked >= 0 ? titles[marked].match(SKIPPED_TITLE) : [undefined, titles.join(' › '), `${test.status === 'todo' ? 'todo' : 'skipped'} without a declared reason`]
      const where = [...titles.slice(0, Math.max(marked, 0)), name].join(' › ')
      const key = `${file} › ${where}\n${reason}`
      this.skips.set(key, (this.skips.get(key) ?? 0) + 1)
    }
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const skipped = results.numPendingTests + results.numTodoTests
    if (this.skips.size > 0) {
      process.stdout.write('\nSkipped:\n')
      for (const [key, count] of this.skips) {
        const [where, reason] = key.split('\n')
        process.stdout.write(`  ${where} (${count} ${count === 1 ? 'test' : 'tests'})\n    ${reason}\n`)
      }
    }
    if (this.skippedUnderCi()) process.stdout.write(`\n${SKIPPED_UNDER_CI}\n`)
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`)
  }

  /** Jest fails the run when a reporter has an error (it does not print it: onRunComplete does). */
  getLastError() {
    return this.skippedUnderCi() ? new Error(SKIPPED_UNDER_CI) : undefined
  }

  skippedUnderCi() {
    return process.env.CI === 'true' && this.skips.size > 0
  }
}
module.exports = PlainSummaryReporter
