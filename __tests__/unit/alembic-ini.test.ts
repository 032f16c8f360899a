import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { interpolate, parseIni, readAlembicIni, splitVersionLocations } from '../../src/engines/alembic/ini.js'

const dirs: string[] = []
function iniFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pgma-ini-'))
  dirs.push(dir)
  const file = path.join(dir, 'alembic.ini')
  writeFileSync(file, text)
  return file
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('parseIni', () => {
  it('reads sections, both delimiters, lower-cases keys, joins continuation lines and skips comments', () => {
    const sections = parseIni(`# top
[alembic]
Script_Location = migrations
version_locations: a
    b
; comment
[other]
x=1
`)
    expect(sections.get('alembic')?.get('script_location')).toBe('migrations')
    expect(sections.get('alembic')?.get('version_locations')).toBe('a\nb')
    expect(sections.get('other')?.get('x')).toBe('1')
  })

  it('interpolates %(here)s and other keys and unescapes %%', () => {
    const section = new Map([
      ['name', 'app'],
      ['path', '%(here)s/%(name)s'],
      ['pct', '100%%']
    ])
    const defaults = new Map([['here', '/repo/db']])
    expect(interpolate(section.get('path')!, section, defaults)).toBe('/repo/db/app')
    expect(interpolate(section.get('pct')!, section, defaults)).toBe('100%')
  })
})

describe('splitVersionLocations', () => {
  it("follows Alembic's separators, with the legacy space/comma split when none is set", () => {
    expect(splitVersionLocations('a, b c', undefined)).toEqual(['a', 'b', 'c'])
    expect(splitVersionLocations('a b', 'space')).toEqual(['a', 'b'])
    expect(splitVersionLocations('a:b', 'os', ':')).toEqual(['a', 'b'])
    expect(splitVersionLocations('a;b c', ';')).toEqual(['a', 'b c'])
    expect(() => splitVersionLocations('a', 'pipe')).toThrow(/version_path_separator/)
  })
})

describe('readAlembicIni', () => {
  it('resolves script_location with %(here)s, defaults versions/ under it, and reads the version table keys', async () => {
    const file = iniFile(`[alembic]
script_location = %(here)s/migrations
version_table = app_versions
version_table_schema = meta
`)
    const ini = await readAlembicIni(file)
    const dir = path.dirname(file)
    expect(ini.dir).toBe(dir)
    expect(ini.scriptLocation).toBe(path.join(dir, 'migrations'))
    expect(ini.versionLocations).toEqual([path.join(dir, 'migrations', 'versions')])
    expect(ini.versionTable).toBe('app_versions')
    expect(ini.versionTableSchema).toBe('meta')
    expect(ini.alembicLogsInfo).toBe(true)
  })

  it('uses only version_locations when set, relative to the ini, and tolerates the inline comment alembic init writes', async () => {
    const file = iniFile(`[alembic]
script_location = db
version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.
version_locations = %(here)s/db/versions${path.delimiter}extra/versions
`)
    const ini = await readAlembicIni(file)
    const dir = path.dirname(file)
    expect(ini.scriptLocation).toBe(path.join(dir, 'db'))
    expect(ini.versionLocations).toEqual([path.join(dir, 'db', 'versions'), path.join(dir, 'extra', 'versions')])
  })

  it('notices a logging config that silences the alembic logger, including through NOTSET', async () => {
    const silenced = await readAlembicIni(
      iniFile(`[alembic]\nscript_location = m\n[loggers]\nkeys = root,alembic\n[logger_root]\nlevel = WARN\n[logger_alembic]\nlevel = WARN\nqualname = alembic\n`)
    )
    expect(silenced.alembicLogsInfo).toBe(false)
    const inherits = await readAlembicIni(
      iniFile(`[alembic]\nscript_location = m\n[loggers]\nkeys = root,alembic\n[logger_root]\nlevel = ERROR\n[logger_alembic]\nlevel = NOTSET\nqualname = alembic\n`)
    )
    expect(inherits.alembicLogsInfo).toBe(false)
    const info = await readAlembicIni(
      iniFile(`[alembic]\nscript_location = m\n[loggers]\nkeys = root,alembic\n[logger_root]\nlevel = WARN\n[logger_alembic]\nlevel = INFO\nqualname = alembic\n`)
    )
    expect(info.alembicLogsInfo).toBe(true)
  })

  it('fails naming the file when script_location is missing, and when the file does not exist', async () => {
    const file = iniFile(`[alembic]\nsqlalchemy.url = x\n`)
    await expect(readAlembicIni(file)).rejects.toMatchObject({ code: 'alembic-ini-invalid', message: expect.stringContaining('no script_location') })
    await expect(readAlembicIni(path.join(path.dirname(file), 'nope.ini'))).rejects.toMatchObject({ code: 'alembic-ini-missing' })
  })

  it('refuses package-resource locations it cannot resolve without Python', async () => {
    await expect(readAlembicIni(iniFile(`[alembic]\nscript_location = myapp:migrations\n`))).rejects.toMatchObject({ code: 'alembic-ini-unsupported' })
  })
})
