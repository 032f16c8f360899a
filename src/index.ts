/* The bundle's entry: everything lives in run(). */
import { run } from './main.js'

await run()
