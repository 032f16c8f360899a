// `node --import` this file: every module file the process loads is appended to $PGMA_MODULE_LOG,
// one file: URL a line, so a test can see which bundle chunks a run of dist/index.js loaded.
import { register } from 'node:module'

register('./record-modules-hooks.mjs', import.meta.url)
