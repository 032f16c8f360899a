import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../../errors.js'

/**
 * The parts of alembic.ini the action needs, read the way Alembic's ConfigParser reads them, so
 * the chain can be checked before Python runs.
 */
export interface AlembicIni {
  /** Absolute path of the ini file. */
  file: string
  /** Its directory: `%(here)s`, and the working directory Alembic runs in. */
  dir: string
  /** Absolute script_location (holds env.py). */
  scriptLocation: string
  /** Absolute directories scanned for revision files, in Alembic's order. */
  versionLocations: string[]
  /** `recursive_version_locations = true` (Alembic 1.10+). */
  recursive: boolean
  /** Not Alembic keys: teams put them in [alembic] for their env.py; the action honours them. */
  versionTable?: string
  versionTableSchema?: string
  /** Whether the [logger_alembic] section lets INFO through (progress lines). */
  alembicLogsInfo: boolean
}

export type IniSections = Map<string, Map<string, string>>

/** Python's ConfigParser with its defaults: `=`/`:` delimiters, full-line `#`/`;` comments, indented continuation lines, lower-cased keys. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map()
  let current: Map<string, string> | undefined
  let lastKey: string | undefined
  let lastIndent = 0
  for (const raw of text.split(/\r?\n/)) {
    const stripped = raw.trim()
    const indent = raw.length - raw.trimStart().length
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      // ConfigParser keeps empty lines inside values, but only trailing ones, which it then strips.
      if (stripped === '') lastKey = undefined
      continue
    }
    if (current && lastKey !== undefined && indent > lastIndent) {
      current.set(lastKey, `${current.get(lastKey)!}\n${stripped}`)
      continue
    }
    const section = /^\[([^\]]+)\]/.exec(stripped)
    if (section) {
      const name = section[1]
      current = sections.get(name) ?? new Map<string, string>()
      sections.set(name, current)
      lastKey = undefined
      continue
    }
    const delimiter = /[=:]/.exec(stripped)
    if (!current || !delimiter) continue
    lastKey = stripped.slice(0, delimiter.index).trim().toLowerCase()
    lastIndent = indent
    current.set(lastKey, stripped.slice(delimiter.index + 1).trim())
  }
  return sections
}

/** ConfigParser's BasicInterpolation: `%(name)s` from the same section or the defaults, `%%` is `%`. */
export function interpolate(value: string, section: Map<string, string>, defaults: Map<string, string>, depth = 0): string {
  if (depth > 10) return value
  return value.replace(/%(%|\(([^)]+)\)s)/g, (whole: string, _m: string, name: string | undefined) => {
    if (name === undefined) return '%'
    const key = name.toLowerCase()
    const found = section.get(key) ?? defaults.get(key)
    return found === undefined ? whole : interpolate(found, section, defaults, depth + 1)
  })
}

/** Alembic's rules for splitting version_locations (script/base.py, `from_config`). */
export function splitVersionLocations(value: string, separator: string | undefined, pathSeparator = path.delimiter): string[] {
  if (separator === undefined) return value.split(/, *| +/).filter((x) => x.length > 0)
  const chars: Record<string, string> = { space: ' ', os: pathSeparator, ':': ':', ';': ';', newline: '\n' }
  const split = chars[separator]
  if (split === undefined) {
    throw new ActionError('alembic-ini-invalid', `alembic.ini: '${separator}' is not a valid value for version_path_separator.`, {
      hint: "Use one of space, os, ':', ';' or newline (Alembic's accepted values)."
    })
  }
  return value
    .split(split)
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
}

export async function readAlembicIni(iniPath: string): Promise<AlembicIni> {
  const file = path.resolve(iniPath)
  const relative = path.relative(process.cwd(), file) || file
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ActionError('alembic-ini-missing', `Cannot read ${relative}: ${(error as Error).message}`, {
      location: { file: relative },
      hint: "Point migrations-path at the directory that holds your project's alembic.ini."
    })
  }
  const dir = path.dirname(file)
  const sections = parseIni(text)
  const defaults = new Map(sections.get('DEFAULT') ?? [])
  defaults.set('here', dir)
  const main = sections.get('alembic')
  const get = (key: string): string | undefined => {
    const raw = main?.get(key)
    return raw === undefined ? undefined : interpolate(raw, main!, defaults)
  }
  const scriptLocation = get('script_location')
  if (!main || !scriptLocation) {
    throw new ActionError('alembic-ini-invalid', `${relative} has no script_location in its [alembic] section.`, {
      location: { file: relative },
      hint: 'Add `script_location = %(here)s/migrations` (the directory that holds env.py and versions/).'
    })
  }
  // Alembic resolves relative paths against its working directory, which the action sets to the ini's directory.
  const resolveLocation = (location: string): string => {
    if (/^[A-Za-z_][\w.]*:[^\\/]/.test(location) && !/^[A-Za-z]:[\\/]/.test(location)) {
      throw new ActionError(
        'alembic-ini-unsupported',
        `${relative}: script_location/version_locations '${location}' is a package resource, which the action cannot read without Python.`,
        {
          location: { file: relative },
          hint: 'Use a directory path instead, e.g. `%(here)s/migrations`.'
        }
      )
    }
    return path.resolve(dir, location)
  }
  const script = resolveLocation(scriptLocation)
  const locationsValue = get('version_locations')
  const separator = get('version_path_separator')
    ?.replace(/\s+#.*$/, '')
    .trim()
  // Like Alembic: when version_locations is set, only those directories hold revisions.
  const versionLocations = locationsValue ? splitVersionLocations(locationsValue, separator === '' ? undefined : separator).map(resolveLocation) : [path.join(script, 'versions')]
  return {
    file,
    dir,
    scriptLocation: script,
    versionLocations,
    recursive: get('recursive_version_locations') === 'true',
    versionTable: get('version_table') || undefined,
    versionTableSchema: get('version_table_schema') || undefined,
    alembicLogsInfo: logsInfo(sections)
  }
}

/** True unless the logging config visibly raises the `alembic` logger (or root, which it inherits) above INFO. */
function logsInfo(sections: IniSections): boolean {
  const loggers = sections.get('loggers')?.get('keys')
  if (!loggers) return true
  const byQualname = new Map<string, string | undefined>()
  for (const key of loggers.split(',').map((k) => k.trim())) {
    const section = sections.get(`logger_${key}`)
    if (!section) continue
    byQualname.set(key === 'root' ? '' : (section.get('qualname') ?? key), section.get('level')?.toUpperCase())
  }
  // A NOTSET logger defers to its parent, as in Python's logging.
  const level = ['alembic.runtime.migration', 'alembic.runtime', 'alembic', ''].map((name) => byQualname.get(name)).find((l) => l !== undefined && l !== 'NOTSET')
  return level === undefined || level === 'DEBUG' || level === 'INFO'
}
