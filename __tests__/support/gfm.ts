import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/**
 * Markdown to HTML as GitHub renders a job summary: CommonMark + GFM (tables, autolink literals,
 * strikethrough, tag filter) with raw HTML allowed (`<details>`, `<br>`). micromark follows
 * cmark-gfm, GitHub's own parser, to the spec.
 */
export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}

/** The HTML inside each rendered `<code>` element (inline spans and fenced blocks). */
export function codeContents(html: string): string[] {
  return [...html.matchAll(/<code(?: [^>]*)?>([\s\S]*?)<\/code>/g)].map((m) => m[1])
}

/** An entity in rendered code that the reader sees literally: `&amp;lt;` shows as "&lt;". */
export const LITERAL_ENTITY = /&amp;(?:[a-z]+|#\d+|#x[0-9a-f]+);/i

/** Visible text of each rendered table row (cells joined by " | "), tags dropped and entities decoded. */
export function tableRows(html: string): string[] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => visibleText(c[1])).join(' | '))
}

export function visibleText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .trim()
}
