import type { VectorType } from '../lint/ast.js'

/**
 * How much memory a pgvector index build wants, so the lint can say it before the build runs and
 * `maintenance-work-mem: auto` can set it.
 *
 * HNSW keeps its graph in maintenance_work_mem while it fits; past that it writes the rest on disk,
 * tuple by tuple, which takes many times as long ("hnsw graph no longer fits into maintenance_work_mem
 * after N tuples"). The maintainers' rule of thumb is rows × (8 + 4 × dims) × 1.3 for vector
 * (pgvector#745, pgvector#844), 2 × dims per element for halfvec. It undercounts small vectors, whose
 * neighbour lists outweigh them: measured here on pgvector 0.8.0 (dims 128, m 16 and 32, vector and
 * halfvec), every element took its value plus 258 + 32 × m bytes (2 × m neighbours on layer 0 at
 * 16 bytes each, and the element itself). The estimate is the larger of the two.
 *
 * IVFFlat refuses to build ("memory required is N MB, maintenance_work_mem is M MB") when its k-means
 * does not fit: the sample of max(lists × 50, 10000) vectors, the centres, and a float per sample and
 * list (ElkanKmeans in pgvector's src/ivfkmeans.c).
 */

export interface BuildEstimate {
  method: 'hnsw' | 'ivfflat'
  /** Bytes the build wants in maintenance_work_mem. */
  bytes: number
  /** How it was reckoned, for the finding: "200,000 rows × 1,062 bytes". */
  basis: string
}

/** The value's size as pgvector stores it, MAXALIGNed; undefined when it varies (sparsevec) or the dimension is unknown. */
export function elementBytes(type: VectorType | undefined): number | undefined {
  if (!type?.dimensions) return undefined
  const d = type.dimensions
  const raw = type.family === 'vector' ? 8 + 4 * d : type.family === 'halfvec' ? 8 + 2 * d : type.family === 'bit' ? 8 + Math.ceil(d / 8) : undefined
  return raw === undefined ? undefined : Math.ceil(raw / 8) * 8
}

export const HNSW_DEFAULT_M = 16
export const IVFFLAT_DEFAULT_LISTS = 100
const RULE_OF_THUMB = 1.3
/** Measured per-element overhead of the in-memory HNSW graph beyond the value: 258 + 32 × m bytes. */
const graphOverhead = (m: number): number => 258 + 32 * m

export function hnswBuildBytes(rows: number, element: number, m = HNSW_DEFAULT_M): BuildEstimate {
  const perRow = Math.max(Math.ceil(element * RULE_OF_THUMB), element + graphOverhead(m))
  return { method: 'hnsw', bytes: rows * perRow, basis: `${count(rows)} rows × ~${count(perRow)} bytes (m ${m})` }
}

export function ivfflatBuildBytes(rows: number, element: number, lists = IVFFLAT_DEFAULT_LISTS): BuildEstimate | undefined {
  const maxSamples = Math.max(lists * 50, 10_000)
  const samples = Math.min(maxSamples, rows)
  // Up to `lists` samples, the centres are the samples themselves: no k-means, no memory check.
  if (samples <= lists) return undefined
  const bytes = maxSamples * element + 2 * lists * element + 4 * samples * lists + 8 * samples + 4 * lists * lists + 12 * lists
  return { method: 'ivfflat', bytes, basis: `k-means over ${count(samples)} sampled rows into ${count(lists)} lists` }
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** A size as PostgreSQL prints memory settings, rounded up to what a setting can say: "2GB", "640MB", "100kB". */
export function formatSetting(kb: number): string {
  const whole = Math.ceil(kb)
  if (whole >= 1024 * 1024 && whole % (1024 * 1024) === 0) return `${whole / (1024 * 1024)}GB`
  if (whole >= 1024) return `${Math.ceil(whole / 1024)}MB`
  return `${whole}kB`
}

/** A size for a setting that covers `bytes`, with 10 % to spare, in whole MB (whole GB from 10 GB up). */
export function settingFor(bytes: number): { kb: number; text: string } {
  const mb = Math.ceil((bytes * 1.1) / (1024 * 1024))
  if (mb >= 10 * 1024) {
    const gb = Math.ceil(mb / 1024)
    return { kb: gb * 1024 * 1024, text: `${gb}GB` }
  }
  return { kb: mb * 1024, text: `${mb}MB` }
}

const SETTING = /^\s*(\d+(?:\.\d+)?)\s*(B|kB|MB|GB|TB)?\s*$/
const UNIT_KB: Record<string, number> = { B: 1 / 1024, kB: 1, MB: 1024, GB: 1024 ** 2, TB: 1024 ** 3 }

/** A memory setting's value (`'2GB'`, `'65536'` in kB) in kB; undefined when PostgreSQL would not read it so. */
export function settingKb(value: string): number | undefined {
  const match = SETTING.exec(value)
  return match ? Math.round(Number(match[1]) * UNIT_KB[match[2] ?? 'kB']) : undefined
}

/** "1.3 GB", "640 MB": a size in prose. */
export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`
  if (mb >= 1) return `${Math.ceil(mb)} MB`
  return `${Math.ceil(bytes / 1024)} kB`
}
