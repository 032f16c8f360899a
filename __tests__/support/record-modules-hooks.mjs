// Module customization hooks (they run on a thread of their own) for record-modules.mjs.
import { appendFileSync } from 'node:fs'

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && process.env.PGMA_MODULE_LOG) appendFileSync(process.env.PGMA_MODULE_LOG, `${url}\n`)
  return nextLoad(url, context)
}
