/** A stand-in for `@actions/core`, as in the TypeScript action template: tests mock the module with it. */
import type * as core from '@actions/core'
import { jest } from '@jest/globals'

export const getInput = jest.fn<typeof core.getInput>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const error = jest.fn<typeof core.error>()
export const warning = jest.fn<typeof core.warning>()
export const notice = jest.fn<typeof core.notice>()
export const info = jest.fn<typeof core.info>()
export const debug = jest.fn<typeof core.debug>()
export const group = jest.fn(async <T>(_title: string, fn: () => Promise<T>): Promise<T> => fn())

/** `core.summary` is a buffer: `addRaw` returns it, `write` appends the buffer to the summary file. */
export const summary = {
  addRaw: jest.fn((_text: string, _addEOL?: boolean) => summary),
  write: jest.fn(async () => summary)
}
