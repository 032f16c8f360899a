import { describe, expect, it } from '@jest/globals'
import { describeChanges, type SchemaChange } from '../../src/verify/diff.js'

describe('describeChanges', () => {
  const change = (object: string, kind: SchemaChange['change']): SchemaChange => ({ object, change: kind })

  it('lets a table added or removed stand for its columns, indexes and constraints', () => {
    const changes = [
      change('column public.c.id', 'removed'),
      change('constraint public.c.c_pkey', 'removed'),
      change('index public.c_pkey on c', 'removed'),
      change('table public.c', 'removed'),
      change('column public.a.note', 'added')
    ]
    expect(describeChanges(changes)).toBe('table public.c removed, column public.a.note added')
  })

  it('names a column of a table that stays, and counts what it does not name', () => {
    const changes = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => change(`column public.t.${name}`, 'added'))
    expect(describeChanges(changes)).toBe('column public.t.a added, column public.t.b added, column public.t.c added, column public.t.d added and 2 more')
  })
})
