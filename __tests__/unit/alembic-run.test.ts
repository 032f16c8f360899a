import { describe, expect, it } from '@jest/globals'
import { parseVersionsMarker } from '../../src/engines/alembic/run.js'
import { venvKey, venvPython } from '../../src/engines/alembic/venv.js'

describe('parseVersionsMarker', () => {
  it("reads the versions, or the import error, from the launcher's line", () => {
    expect(parseVersionsMarker('PGMA-VERSIONS {"python": "3.11.2", "alembic": "1.8.1", "sqlalchemy": "1.4.46"}')).toEqual({
      python: '3.11.2',
      alembic: '1.8.1',
      sqlalchemy: '1.4.46'
    })
    expect(parseVersionsMarker('PGMA-VERSIONS {"python": "3.12.1", "error": "ModuleNotFoundError: No module named \'alembic\'"}')).toEqual({
      python: '3.12.1',
      error: "ModuleNotFoundError: No module named 'alembic'"
    })
  })

  it('ignores every other line, including ones that merely look like it', () => {
    expect(parseVersionsMarker('INFO  [alembic.runtime.migration] Running upgrade  -> 0001, first')).toBeUndefined()
    expect(parseVersionsMarker('{"python": "3.11.2", "alembic": "1.8.1", "sqlalchemy": "1.4.46"}')).toBeUndefined()
    expect(parseVersionsMarker(' PGMA-VERSIONS {"python": "3.11.2"}')).toBeUndefined()
    expect(parseVersionsMarker('PGMA-VERSIONS {"python": "3.11')).toBeUndefined()
    expect(parseVersionsMarker('PGMA-VERSIONS ["3.11.2"]')).toBeUndefined()
    expect(parseVersionsMarker('PGMA-VERSIONS null')).toBeUndefined()
  })
})

describe('venvKey', () => {
  it('changes with the requirements, the Python version and the platform', () => {
    const key = venvKey('linux', 'x64', '3.12.1', 'alembic==1.13.2\n')
    expect(key).toMatch(/^pgma-alembic-venv-linux-x64-py3\.12\.1-[0-9a-f]{64}$/)
    expect(venvKey('linux', 'x64', '3.12.1', 'alembic==1.13.3\n')).not.toBe(key)
    expect(venvKey('linux', 'x64', '3.11.9', 'alembic==1.13.2\n')).not.toBe(key)
    expect(venvKey('darwin', 'arm64', '3.12.1', 'alembic==1.13.2\n')).not.toBe(key)
    expect(venvKey('linux', 'x64', '3.12.1', 'alembic==1.13.2\n')).toBe(key)
  })

  it('finds the interpreter where venv puts it', () => {
    expect(venvPython('/t/v', 'linux')).toBe('/t/v/bin/python')
    expect(venvPython('/t/v', 'win32')).toMatch(/Scripts[\\/]python\.exe$/)
  })
})
