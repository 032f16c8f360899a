import { describe, expect, it } from '@jest/globals'
import { classifyConnectionError, describeMigrationError, isConnectionLost, isTransientMigrationError, sqlState } from '../../src/pg-errors.js'

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('classifyConnectionError', () => {
  it.each([
    ['ECONNREFUSED', 'poll'],
    ['ECONNRESET', 'poll'],
    ['57P03', 'poll'],
    ['53300', 'backoff'],
    ['ENOTFOUND', 'backoff'],
    ['EAI_AGAIN', 'backoff'],
    ['ETIMEDOUT', 'backoff'],
    ['28P01', 'fatal'],
    ['28000', 'fatal'],
    ['3D000', 'fatal'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'fatal']
  ])('%s → %s', (code, kind) => {
    expect(classifyConnectionError(withCode(code)).kind).toBe(kind)
  })

  it('reads the code of an AggregateError from happy-eyeballs connects', () => {
    const aggregate = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')
    expect(classifyConnectionError(aggregate)).toMatchObject({ kind: 'poll', reason: 'connection refused' })
  })

  it('tells starting up from shutting down', () => {
    expect(classifyConnectionError(withCode('57P03', 'the database system is starting up')).reason).toContain('starting up')
    expect(classifyConnectionError(withCode('57P03', 'the database system is shutting down')).reason).toContain('shutting down')
  })

  it('gives service-container hints for fatal errors', () => {
    expect(classifyConnectionError(withCode('28P01')).hint).toContain('POSTGRES_PASSWORD')
    expect(classifyConnectionError(withCode('3D000')).hint).toContain('POSTGRES_DB')
    expect(classifyConnectionError(new Error('The server does not support SSL connections'))).toMatchObject({ kind: 'fatal' })
  })

  it('backs off on pg connection timeouts', () => {
    expect(classifyConnectionError(new Error('Connection terminated due to connection timeout')).kind).toBe('backoff')
  })
})

describe('isTransientMigrationError', () => {
  it.each(['55P03', '40P01', '40001', '57P01', '57P03', '08006', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'])('%s is transient', (code) => {
    expect(isTransientMigrationError(withCode(code))).toBe(true)
  })
  it.each(['42P01', '42601', '23505', '25P02', '57014'])('%s is not (57014: statement_timeout)', (code) => {
    expect(isTransientMigrationError(withCode(code))).toBe(false)
  })
  it('knows node-postgres connection failures without a code', () => {
    expect(isTransientMigrationError(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isConnectionLost(new Error('Client has encountered a connection error and is not queryable'))).toBe(true)
    expect(isConnectionLost(new AggregateError([withCode('ECONNREFUSED')], 'connect failed'))).toBe(true)
  })
  it('tells a lost connection from a lock timeout', () => {
    expect(isConnectionLost(withCode('55P03'))).toBe(false)
    expect(describeMigrationError(withCode('55P03'))).toBe('lock_not_available (55P03)')
    expect(describeMigrationError(withCode('57P01'))).toBe('a lost connection (57P01)')
    expect(describeMigrationError(withCode('ECONNRESET'))).toBe('a lost connection')
  })
})

describe('sqlState', () => {
  it('is the code of server errors only', () => {
    expect(sqlState(withCode('42P01'))).toBe('42P01')
    expect(sqlState(withCode('ECONNRESET'))).toBeUndefined()
    expect(sqlState(withCode('EPIPE'))).toBeUndefined()
  })
})
