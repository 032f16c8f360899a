import { describe, expect, it } from '@jest/globals'
import { cell, code, plural, prose, table } from '../../src/report/markdown.js'
import { codeContents, LITERAL_ENTITY, renderGfm, tableRows } from '../support/gfm.js'

/** Each builder's output rendered as GitHub renders it (GFM), and checked on the HTML. */
describe('markdown builders, rendered with GFM', () => {
  it('keeps code spans in prose literal: `alembic stamp <revision>` shows <revision>, not &lt;revision&gt;', () => {
    const hint = 'Re-stamp with `alembic stamp <revision>` after checking; a <b> & "c" outside stays text.'
    const html = renderGfm(prose(hint))
    expect(codeContents(html)).toEqual(['alembic stamp &lt;revision&gt;'])
    expect(codeContents(html).some((c) => LITERAL_ENTITY.test(c))).toBe(false)
    expect(html).toContain('a &lt;b&gt; &amp; &quot;c&quot; outside')
    // The same hint in a table cell.
    const inTable = renderGfm(table(['What to do'], [[cell(hint)]]))
    expect(codeContents(inTable)).toEqual(['alembic stamp &lt;revision&gt;'])
    // An unclosed backtick is text, and what follows it is still escaped.
    expect(renderGfm(prose('a ` then <x>'))).toContain('a ` then &lt;x&gt;')
  })

  it('does not turn postgres@db.internal into a mailto link, in prose, in cells and in code', () => {
    for (const markdown of [
      prose('connected as postgres@db.internal:5432'),
      table(['Database'], [[cell('postgres@db.internal:5432/app')]]),
      code('postgres@db.internal:5432/app')
    ]) {
      const html = renderGfm(markdown)
      expect(html).not.toContain('mailto:')
      expect(html).toMatch(/postgres@(<!-- -->)?db\.internal:5432/)
    }
  })

  it('renders code() as a literal span: no markdown inside, backticks and pipes survive a table cell', () => {
    expect(codeContents(renderGfm(code('__init__.py')))).toEqual(['__init__.py'])
    expect(codeContents(renderGfm(code('a `b` c')))).toEqual(['a `b` c'])
    expect(codeContents(renderGfm(code('`x`')))).toEqual(['`x`'])
    const html = renderGfm(table(['SQL'], [[code('SELECT a || b <> c')]]))
    expect(codeContents(html)).toEqual(['SELECT a || b &lt;&gt; c'])
    expect(tableRows(html)).toEqual(['SQL', 'SELECT a || b <> c'])
  })

  it('says 1 attempt and 2 attempts', () => {
    expect(plural(1, 'attempt')).toBe('1 attempt')
    expect(plural(2, 'attempt')).toBe('2 attempts')
    expect(plural(0, 'query', 'queries')).toBe('0 queries')
  })
})
