// jest globalSetup: probes every capability once for the whole run. Test files run in separate
// module registries (and worker processes, started after this and inheriting its environment), so
// the results travel as JSON in an environment variable. Plain ESM loading the TypeScript probes
// through tsx, because jest hands globalSetup's own imports to Node's resolver, which knows no .ts.
import { tsImport } from 'tsx/esm/api'

export default async function probeOnce() {
  // In-process tests keep their migrations in temporary directories, outside the project checkout that
  // GITHUB_WORKSPACE names on a CI runner (or the working directory, without it): the whole file system
  // is their workspace. Tests of the workspace boundary pass their own, and the bundle runs get their own environment.
  process.env.GITHUB_WORKSPACE = '/'
  const { CAPABILITIES_VARIABLE, probeCapabilities } = await tsImport('./capability-probes.ts', import.meta.url)
  process.env[CAPABILITIES_VARIABLE] = JSON.stringify(await probeCapabilities())
}
