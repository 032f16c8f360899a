// `npm run screenshot -- docs/examples/sql-failure.md [out.png] [--height=2000]`: renders a job
// summary as GitHub would (GFM via micromark, GitHub's markdown CSS essentials, the 1,012 px summary
// card, `> [!CAUTION]` alerts) and screenshots it with headless Chromium (Debian: `apt-get install -y
// chromium`). Mermaid blocks stay code: there is no network to load Mermaid, so a diagram takes the
// height of its source here, not of the drawing. The HTML is written next to the PNG.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/** GitHub's job summary card: the markdown body is this wide. */
export const CARD_WIDTH = 1012

const CSS = `
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: ${CARD_WIDTH}px; padding: 16px 24px; color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; word-wrap: break-word; }
.markdown-body h2 { font-size: 1.5em; font-weight: 600; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; margin: 24px 0 16px; }
.markdown-body h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table, .markdown-body pre, .markdown-body blockquote, .markdown-body details, .markdown-alert { margin: 0 0 16px; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 85%;
  padding: .2em .4em; background: #818b981f; border-radius: 6px; white-space: break-spaces; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; background: transparent; font-size: 100%; white-space: pre; }
/* GitHub's tables scroll inside themselves instead of widening the page. */
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
.markdown-body th { font-weight: 600; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; margin-left: 0; }
.markdown-alert { padding: .5rem 1rem; border-left: .25em solid #d1d9e0; }
.markdown-alert > :last-child { margin-bottom: 0; }
.markdown-alert-title { display: flex; font-weight: 500; align-items: center; line-height: 1; }
.markdown-alert-caution { border-left-color: #cf222e; }
.markdown-alert-caution .markdown-alert-title { color: #d1242f; }
.markdown-alert-warning { border-left-color: #9a6700; }
.markdown-alert-warning .markdown-alert-title { color: #9a6700; }
.markdown-alert-note { border-left-color: #0969da; }
.markdown-alert-note .markdown-alert-title { color: #0969da; }
`

/** GitHub renders `> [!CAUTION]` (and the other alert kinds) as a titled callout; micromark does not. */
function alerts(html) {
  return html.replace(/<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?([\s\S]*?)<\/blockquote>/g, (_whole, kind, rest) => {
    const title = kind[0] + kind.slice(1).toLowerCase()
    return `<div class="markdown-alert markdown-alert-${kind.toLowerCase()}"><p class="markdown-alert-title">${title}</p>\n<p>${rest}</div>`
  })
}

export function summaryHtml(markdown, title = 'job summary') {
  const body = alerts(micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }))
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>${CSS}</style></head><body><div class="markdown-body">\n${body}\n</div></body></html>\n`
}

export function screenshot(htmlFile, pngFile, height = 2000) {
  const chromium = process.env.CHROMIUM ?? 'chromium'
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars=false',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'pgma-chromium-'))}`,
    `--window-size=${CARD_WIDTH},${height}`,
    `--screenshot=${resolve(pngFile)}`,
    `file://${resolve(htmlFile)}`
  ]
  const run = spawnSync(chromium, args, { encoding: 'utf8', timeout: 120_000 })
  if (run.error || run.status !== 0) {
    throw new Error(`${chromium} failed (${run.error?.message ?? `exit ${run.status}`}); on Debian: apt-get install -y chromium\n${run.stderr ?? ''}`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const [input, output] = args.filter((a) => !a.startsWith('--'))
  if (!input) {
    console.error('usage: node scripts/screenshot-summary.mjs summary.md [out.png] [--height=2000]')
    process.exit(2)
  }
  const height = Number(args.find((a) => a.startsWith('--height='))?.slice('--height='.length) ?? 2000)
  const png = output ?? join(tmpdir(), `${basename(input, '.md')}.png`)
  const html = png.replace(/\.png$/, '') + '.html'
  writeFileSync(html, summaryHtml(readFileSync(input, 'utf8'), basename(input)))
  screenshot(html, png, height)
  console.log(`${png} (${CARD_WIDTH} × ${height} px), from ${html}`)
}
