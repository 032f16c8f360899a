// Prints one version's section of CHANGELOG.md, without its heading: the release notes the release
// workflow publishes for a tag. `node scripts/changelog-section.mjs v1.2.3 [CHANGELOG.md] [owner/repo]`.
// Fails, naming the version, when the changelog has no such section or the section is empty, so a
// tag pushed before its changelog entry publishes nothing. With owner/repo, links to files of the
// repository (`[errors](docs/errors.md)`) point at that tag's files: a release page resolves no
// relative link.
import { readFileSync } from 'node:fs'

/** The body of `## [version]` (any date after it), up to the next `## ` heading or the link references. */
export function changelogSection(changelog, tagOrVersion, repository) {
  const version = tagOrVersion.replace(/^v(?=\d)/, '')
  const lines = changelog.split(/\r?\n/)
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`) && /^## \[[^\]]+\](\s+-\s+.*)?\s*$/.test(line))
  if (start < 0) throw new Error(`CHANGELOG.md has no section for ${version} (a "## [${version}] - YYYY-MM-DD" heading): add it before tagging.`)
  const rest = lines.slice(start + 1)
  // A link reference definition ("[1.0.0]: https://…") starts the footer, not the section's text.
  const end = rest.findIndex((line) => line.startsWith('## ') || /^\[[^\]]+\]:\s/.test(line))
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
  if (!body) throw new Error(`The CHANGELOG.md section for ${version} is empty: say what changed before tagging.`)
  return (repository ? linkFilesAt(body, repository, tagOrVersion) : body) + '\n'
}

/** `](path)` → `](https://github.com/owner/repo/blob/<tag>/path)`, leaving absolute URLs and #anchors alone. */
function linkFilesAt(markdown, repository, tag) {
  return markdown.replace(/\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)/gi, (_, path) => `](https://github.com/${repository}/blob/${tag}/${path.replace(/^\.\//, '')})`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [tag, file = 'CHANGELOG.md', repository] = process.argv.slice(2)
  if (!tag) {
    console.error('usage: node scripts/changelog-section.mjs <tag or version> [CHANGELOG.md]')
    process.exit(2)
  }
  try {
    process.stdout.write(changelogSection(readFileSync(file, 'utf8'), tag, repository))
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
