import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
// @ts-expect-error -- a plain ESM script without type declarations
import { changelogSection } from '../../scripts/changelog-section.mjs'

/** The release notes a tag publishes (.github/workflows/release.yml) come from CHANGELOG.md through this script. */
const section = changelogSection as (changelog: string, tag: string, repository?: string) => string

const changelog = `# Changelog

## [Unreleased]

## [1.1.0] - 2027-01-10

### Added

- \`verify-downgrade: all\` ([docs](docs/errors.md#downgrade-mismatch), [site](https://example.com/x)).

## [1.0.0] - 2026-12-05

The first release.

[Unreleased]: https://github.com/org/pg-migrate-action/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/org/pg-migrate-action/compare/v1.0.0...v1.1.0
`

describe('changelog-section', () => {
  it("gives a tag's section without its heading, up to the next version", () => {
    expect(section(changelog, 'v1.1.0')).toBe('### Added\n\n- `verify-downgrade: all` ([docs](docs/errors.md#downgrade-mismatch), [site](https://example.com/x)).\n')
  })

  it('stops the last section before the link references', () => {
    expect(section(changelog, '1.0.0')).toBe('The first release.\n')
  })

  it("points links to the repository's files at the tag, leaving absolute links alone", () => {
    expect(section(changelog, 'v1.1.0', 'org/pg-migrate-action')).toContain(
      '([docs](https://github.com/org/pg-migrate-action/blob/v1.1.0/docs/errors.md#downgrade-mismatch), [site](https://example.com/x))'
    )
  })

  it('refuses a version without a section, and an empty one, naming it', () => {
    expect(() => section(changelog, 'v1.2.0')).toThrow('CHANGELOG.md has no section for 1.2.0')
    expect(() => section(changelog, 'Unreleased')).toThrow('The CHANGELOG.md section for Unreleased is empty')
    // 1.1.0 is not 1.1.0-rc.1, nor the other way round.
    expect(() => section(changelog, 'v1.1')).toThrow('no section for 1.1')
  })

  it("has the section package.json's version would publish, and the release workflow uses it", () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    expect(section(readFileSync('CHANGELOG.md', 'utf8'), `v${version}`).length).toBeGreaterThan(200)
    expect(readFileSync('.github/workflows/release.yml', 'utf8')).toContain('node scripts/changelog-section.mjs "$TAG" CHANGELOG.md "$GITHUB_REPOSITORY"')
  })
})
