import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 785:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
// This is an empty module that is served up when outside of a workerd environment
// See the `exports` field in package.json
exports["default"] = {};
//# sourceMappingURL=empty.js.map

/***/ }),

/***/ 6122:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



//Parse method copied from https://github.com/brianc/node-postgres
//Copyright (c) 2010-2014 Brian Carlson (brian.m.carlson@gmail.com)
//MIT License

//parses a connection string
function parse(str, options = {}) {
  //unix socket
  if (str.charAt(0) === '/') {
    const config = str.split(' ')
    return { host: config[0], database: config[1] }
  }

  // Check for empty host in URL

  const config = Object.create(null)
  let result
  let dummyHost = false
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(str)) {
    // Ensure spaces are encoded as %20
    str = encodeURI(str).replace(/%25(\d\d)/g, '%$1')
  }

  try {
    try {
      result = new URL(str, 'postgres://base')
    } catch (e) {
      // The URL is invalid so try again with a dummy host
      result = new URL(str.replace('@/', '@___DUMMY___/'), 'postgres://base')
      dummyHost = true
    }
  } catch (err) {
    // Remove the input from the error message to avoid leaking sensitive information
    err.input && (err.input = '*****REDACTED*****')
    throw err
  }

  // We'd like to use Object.fromEntries() here but Node.js 10 does not support it
  for (const entry of result.searchParams.entries()) {
    config[entry[0]] = entry[1]
  }

  config.user = config.user || decodeURIComponent(result.username)
  config.password = config.password || decodeURIComponent(result.password)

  if (result.protocol == 'socket:') {
    config.host = decodeURI(result.pathname)
    config.database = result.searchParams.get('db')
    config.client_encoding = result.searchParams.get('encoding')
    return config
  }
  const hostname = (dummyHost ? '' : result.hostname).replace(/^\[(.+)\]$/, '$1')
  if (!config.host) {
    // Only set the host if there is no equivalent query param.
    config.host = decodeURIComponent(hostname)
  } else if (hostname && /^%2f/i.test(hostname)) {
    // Only prepend the hostname to the pathname if it is not a URL encoded Unix socket host.
    result.pathname = hostname + result.pathname
  }
  if (!config.port) {
    // Only set the port if there is no equivalent query param.
    config.port = result.port
  }

  const pathname = result.pathname.slice(1) || null
  config.database = pathname ? decodeURI(pathname) : null

  if (config.ssl === 'true' || config.ssl === '1') {
    config.ssl = true
  }

  if (config.ssl === '0') {
    config.ssl = false
  }

  if (config.sslcert || config.sslkey || config.sslrootcert || config.sslmode) {
    config.ssl = {}
  }

  // sslnegotiation=direct implies SSL is in use (libpq requires sslmode>=require),
  // so enable SSL if the connection string did not otherwise configure it.
  if (config.sslnegotiation === 'direct' && config.ssl === undefined) {
    config.ssl = true
  }

  // Only try to load fs if we expect to read from the disk
  const fs = config.sslcert || config.sslkey || config.sslrootcert ? __nccwpck_require__(9896) : null

  if (config.sslcert) {
    config.ssl.cert = fs.readFileSync(config.sslcert).toString()
  }

  if (config.sslkey) {
    config.ssl.key = fs.readFileSync(config.sslkey).toString()
  }

  if (config.sslrootcert) {
    config.ssl.ca = fs.readFileSync(config.sslrootcert).toString()
  }

  if (options.useLibpqCompat && config.uselibpqcompat) {
    throw new Error('Both useLibpqCompat and uselibpqcompat are set. Please use only one of them.')
  }

  if (config.uselibpqcompat === 'true' || options.useLibpqCompat) {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer': {
        config.ssl.rejectUnauthorized = false
        break
      }
      case 'require': {
        if (config.sslrootcert) {
          // If a root CA is specified, behavior of `sslmode=require` will be the same as that of `verify-ca`
          config.ssl.checkServerIdentity = function () {}
        } else {
          config.ssl.rejectUnauthorized = false
        }
        break
      }
      case 'verify-ca': {
        if (!config.ssl.ca) {
          throw new Error(
            'SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security.'
          )
        }
        config.ssl.checkServerIdentity = function () {}
        break
      }
      case 'verify-full': {
        break
      }
    }
  } else {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer':
      case 'require':
      case 'verify-ca':
      case 'verify-full': {
        if (config.sslmode !== 'verify-full') {
          deprecatedSslModeWarning(config.sslmode)
        }
        break
      }
      case 'no-verify': {
        config.ssl.rejectUnauthorized = false
        break
      }
    }
  }

  return config
}

// convert pg-connection-string ssl config to a ClientConfig.ConnectionOptions
function toConnectionOptions(sslConfig) {
  const connectionOptions = Object.entries(sslConfig).reduce((c, [key, value]) => {
    // we explicitly check for undefined and null instead of `if (value)` because some
    // options accept falsy values. Example: `ssl.rejectUnauthorized = false`
    if (value !== undefined && value !== null) {
      c[key] = value
    }

    return c
  }, Object.create(null))

  return connectionOptions
}

// convert pg-connection-string config to a ClientConfig
function toClientConfig(config) {
  const poolConfig = Object.entries(config).reduce((c, [key, value]) => {
    if (key === 'ssl') {
      const sslConfig = value

      if (typeof sslConfig === 'boolean') {
        c[key] = sslConfig
      }

      if (typeof sslConfig === 'object') {
        c[key] = toConnectionOptions(sslConfig)
      }
    } else if (value !== undefined && value !== null) {
      if (key === 'port') {
        // when port is not specified, it is converted into an empty string
        // we want to avoid NaN or empty string as a values in ClientConfig
        if (value !== '') {
          const v = parseInt(value, 10)
          if (isNaN(v)) {
            throw new Error(`Invalid ${key}: ${value}`)
          }

          c[key] = v
        }
      } else {
        c[key] = value
      }
    }

    return c
  }, Object.create(null))

  return poolConfig
}

// parses a connection string into ClientConfig
function parseIntoClientConfig(str) {
  return toClientConfig(parse(str))
}

function deprecatedSslModeWarning(sslmode) {
  if (!deprecatedSslModeWarning.warned && typeof process !== 'undefined' && process.emitWarning) {
    deprecatedSslModeWarning.warned = true
    process.emitWarning(`SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.
In the next major version (pg-connection-string v3.0.0 and pg v9.0.0), these modes will adopt standard libpq semantics, which have weaker security guarantees.

To prepare for this change:
- If you want the current behavior, explicitly use 'sslmode=verify-full'
- If you want libpq compatibility now, use 'uselibpqcompat=true&sslmode=${sslmode}'

See https://www.postgresql.org/docs/current/libpq-ssl.html for libpq SSL mode definitions.`)
  }
}

module.exports = parse

parse.parse = parse
parse.toClientConfig = toClientConfig
parse.parseIntoClientConfig = parseIntoClientConfig


/***/ }),

/***/ 2299:
/***/ ((module) => {



// selected so (BASE - 1) * 0x100000000 + 0xffffffff is a safe integer
var BASE = 1000000;

function readInt8(buffer) {
	var high = buffer.readInt32BE(0);
	var low = buffer.readUInt32BE(4);
	var sign = '';

	if (high < 0) {
		high = ~high + (low === 0);
		low = (~low + 1) >>> 0;
		sign = '-';
	}

	var result = '';
	var carry;
	var t;
	var digits;
	var pad;
	var l;
	var i;

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		t = 0x100000000 * carry + low;
		digits = '' + t % BASE;

		return sign + digits + result;
	}
}

module.exports = readInt8;


/***/ }),

/***/ 7558:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const EventEmitter = (__nccwpck_require__(4434).EventEmitter)

const NOOP = function () {}

const removeWhere = (list, predicate) => {
  const i = list.findIndex(predicate)

  return i === -1 ? undefined : list.splice(i, 1)[0]
}

class IdleItem {
  constructor(client, idleListener, timeoutId) {
    this.client = client
    this.idleListener = idleListener
    this.timeoutId = timeoutId
  }
}

class PendingItem {
  constructor(callback) {
    this.callback = callback
  }
}

function throwOnDoubleRelease() {
  throw new Error('Release called on client which has already been released to the pool.')
}

function promisify(Promise, callback) {
  if (callback) {
    return { callback: callback, result: undefined }
  }
  let rej
  let res
  const cb = function (err, client) {
    err ? rej(err) : res(client)
  }
  const result = new Promise(function (resolve, reject) {
    res = resolve
    rej = reject
  }).catch((err) => {
    // replace the stack trace that leads to `TCP.onStreamRead` with one that leads back to the
    // application that created the query
    Error.captureStackTrace(err)
    throw err
  })
  return { callback: cb, result: result }
}

function makeIdleListener(pool, client) {
  return function idleListener(err) {
    err.client = client

    client.removeListener('error', idleListener)
    client.on('error', () => {
      pool.log('additional client error after disconnection due to error', err)
    })
    pool._remove(client)
    // TODO - document that once the pool emits an error
    // the client has already been closed & purged and is unusable
    pool.emit('error', err, client)
  }
}

class Pool extends EventEmitter {
  constructor(options, Client) {
    super()
    this.options = Object.assign({}, options)

    if (options != null && 'password' in options) {
      // "hiding" the password so it doesn't show up in stack traces
      // or if the client is console.logged
      Object.defineProperty(this.options, 'password', {
        configurable: true,
        enumerable: false,
        writable: true,
        value: options.password,
      })
    }
    if (options != null && options.ssl && options.ssl.key) {
      // "hiding" the ssl->key so it doesn't show up in stack traces
      // or if the client is console.logged
      Object.defineProperty(this.options.ssl, 'key', {
        enumerable: false,
      })
    }

    this.options.max = this.options.max || this.options.poolSize || 10
    this.options.min = this.options.min || 0
    this.options.maxUses = this.options.maxUses || Infinity
    this.options.allowExitOnIdle = this.options.allowExitOnIdle || false
    this.options.maxLifetimeSeconds = this.options.maxLifetimeSeconds || 0
    this.log = this.options.log || function () {}
    this.Client = this.options.Client || Client || (__nccwpck_require__(3273).Client)
    this.Promise = this.options.Promise || global.Promise

    if (typeof this.options.idleTimeoutMillis === 'undefined') {
      this.options.idleTimeoutMillis = 10000
    }

    this._clients = []
    this._idle = []
    this._expired = new WeakSet()
    this._pendingQueue = []
    this._endCallback = undefined
    this.ending = false
    this.ended = false
  }

  _promiseTry(f) {
    const Promise = this.Promise
    if (typeof Promise.try === 'function') {
      return Promise.try(f)
    }
    return new Promise((resolve) => resolve(f()))
  }

  _isFull() {
    return this._clients.length >= this.options.max
  }

  _isAboveMin() {
    return this._clients.length > this.options.min
  }

  _pulseQueue() {
    this.log('pulse queue')
    if (this.ended) {
      this.log('pulse queue ended')
      return
    }
    if (this.ending) {
      this.log('pulse queue on ending')
      if (this._idle.length) {
        this._idle.slice().map((item) => {
          this._remove(item.client)
        })
      }
      if (!this._clients.length) {
        this.ended = true
        this._endCallback()
      }
      return
    }

    // if we don't have any waiting, do nothing
    if (!this._pendingQueue.length) {
      this.log('no queued requests')
      return
    }
    // if we don't have any idle clients and we have no more room do nothing
    if (!this._idle.length && this._isFull()) {
      return
    }
    const pendingItem = this._pendingQueue.shift()
    if (this._idle.length) {
      const idleItem = this._idle.pop()
      clearTimeout(idleItem.timeoutId)
      const client = idleItem.client
      client.ref && client.ref()
      const idleListener = idleItem.idleListener

      return this._acquireClient(client, pendingItem, idleListener, false)
    }
    if (!this._isFull()) {
      return this.newClient(pendingItem)
    }
    throw new Error('unexpected condition')
  }

  _remove(client, callback) {
    const removed = removeWhere(this._idle, (item) => item.client === client)

    if (removed !== undefined) {
      clearTimeout(removed.timeoutId)
    }

    this._clients = this._clients.filter((c) => c !== client)
    const context = this
    client.end(() => {
      context.emit('remove', client)

      if (typeof callback === 'function') {
        callback()
      }
    })
  }

  connect(cb) {
    if (this.ending) {
      const err = new Error('Cannot use a pool after calling end on the pool')
      return cb ? cb(err) : this.Promise.reject(err)
    }

    const response = promisify(this.Promise, cb)
    const result = response.result

    // if we don't have to connect a new client, don't do so
    if (this._isFull() || this._idle.length) {
      // if we have idle clients schedule a pulse immediately
      if (this._idle.length) {
        process.nextTick(() => this._pulseQueue())
      }

      if (!this.options.connectionTimeoutMillis) {
        this._pendingQueue.push(new PendingItem(response.callback))
        return result
      }

      const queueCallback = (err, res, done) => {
        clearTimeout(tid)
        response.callback(err, res, done)
      }

      const pendingItem = new PendingItem(queueCallback)

      // set connection timeout on checking out an existing client
      const tid = setTimeout(() => {
        // remove the callback from pending waiters because
        // we're going to call it with a timeout error
        removeWhere(this._pendingQueue, (i) => i.callback === queueCallback)
        pendingItem.timedOut = true
        response.callback(new Error('timeout exceeded when trying to connect'))
      }, this.options.connectionTimeoutMillis)

      if (tid.unref) {
        tid.unref()
      }

      this._pendingQueue.push(pendingItem)
      return result
    }

    this.newClient(new PendingItem(response.callback))

    return result
  }

  newClient(pendingItem) {
    const client = new this.Client(this.options)
    this._clients.push(client)
    const idleListener = makeIdleListener(this, client)

    this.log('checking client timeout')

    // connection timeout logic
    let tid
    let timeoutHit = false
    if (this.options.connectionTimeoutMillis) {
      tid = setTimeout(() => {
        if (client.connection) {
          this.log('ending client due to timeout')
          timeoutHit = true
          client.connection.stream.destroy()
        } else if (!client.isConnected()) {
          this.log('ending client due to timeout')
          timeoutHit = true
          // force kill the node driver, and let libpq do its teardown
          client.end()
        }
      }, this.options.connectionTimeoutMillis)
    }

    this.log('connecting new client')
    client.connect((err) => {
      if (tid) {
        clearTimeout(tid)
      }
      client.on('error', idleListener)
      if (err) {
        this.log('client failed to connect', err)
        // remove the dead client from our list of clients
        this._clients = this._clients.filter((c) => c !== client)
        if (timeoutHit) {
          err = new Error('Connection terminated due to connection timeout', { cause: err })
        }

        // this client won’t be released, so move on immediately
        this._pulseQueue()

        if (!pendingItem.timedOut) {
          pendingItem.callback(err, undefined, NOOP)
        }
      } else {
        this.log('new client connected')

        if (this.options.onConnect) {
          this._promiseTry(() => this.options.onConnect(client)).then(
            () => {
              this._afterConnect(client, pendingItem, idleListener)
            },
            (hookErr) => {
              this._clients = this._clients.filter((c) => c !== client)
              client.end(() => {
                this._pulseQueue()
                if (!pendingItem.timedOut) {
                  pendingItem.callback(hookErr, undefined, NOOP)
                }
              })
            }
          )
          return
        }

        return this._afterConnect(client, pendingItem, idleListener)
      }
    })
  }

  _afterConnect(client, pendingItem, idleListener) {
    if (this.options.maxLifetimeSeconds !== 0) {
      const maxLifetimeTimeout = setTimeout(() => {
        this.log('ending client due to expired lifetime')
        this._expired.add(client)
        const idleIndex = this._idle.findIndex((idleItem) => idleItem.client === client)
        if (idleIndex !== -1) {
          this._acquireClient(
            client,
            new PendingItem((err, client, clientRelease) => clientRelease()),
            idleListener,
            false
          )
        }
      }, this.options.maxLifetimeSeconds * 1000)

      maxLifetimeTimeout.unref()
      client.once('end', () => clearTimeout(maxLifetimeTimeout))
    }

    return this._acquireClient(client, pendingItem, idleListener, true)
  }

  // acquire a client for a pending work item
  _acquireClient(client, pendingItem, idleListener, isNew) {
    if (isNew) {
      this.emit('connect', client)
    }

    this.emit('acquire', client)

    client.release = this._releaseOnce(client, idleListener)

    client.removeListener('error', idleListener)

    if (!pendingItem.timedOut) {
      if (isNew && this.options.verify) {
        this.options.verify(client, (err) => {
          if (err) {
            client.release(err)
            return pendingItem.callback(err, undefined, NOOP)
          }

          pendingItem.callback(undefined, client, client.release)
        })
      } else {
        pendingItem.callback(undefined, client, client.release)
      }
    } else {
      if (isNew && this.options.verify) {
        this.options.verify(client, client.release)
      } else {
        client.release()
      }
    }
  }

  // returns a function that wraps _release and throws if called more than once
  _releaseOnce(client, idleListener) {
    let released = false

    return (err) => {
      if (released) {
        throwOnDoubleRelease()
      }

      released = true
      this._release(client, idleListener, err)
    }
  }

  // release a client back to the poll, include an error
  // to remove it from the pool
  _release(client, idleListener, err) {
    client.on('error', idleListener)

    client._poolUseCount = (client._poolUseCount || 0) + 1

    this.emit('release', err, client)

    // TODO(bmc): expose a proper, public interface _queryable and _ending
    if (err || this.ending || !client._queryable || client._ending || client._poolUseCount >= this.options.maxUses) {
      if (client._poolUseCount >= this.options.maxUses) {
        this.log('remove expended client')
      }

      return this._remove(client, this._pulseQueue.bind(this))
    }

    const isExpired = this._expired.has(client)
    if (isExpired) {
      this.log('remove expired client')
      this._expired.delete(client)
      return this._remove(client, this._pulseQueue.bind(this))
    }

    // idle timeout
    let tid
    if (this.options.idleTimeoutMillis && this._isAboveMin()) {
      tid = setTimeout(() => {
        if (this._isAboveMin()) {
          this.log('remove idle client')
          this._remove(client, this._pulseQueue.bind(this))
        }
      }, this.options.idleTimeoutMillis)

      if (this.options.allowExitOnIdle) {
        // allow Node to exit if this is all that's left
        tid.unref()
      }
    }

    if (this.options.allowExitOnIdle) {
      client.unref()
    }

    this._idle.push(new IdleItem(client, idleListener, tid))
    this._pulseQueue()
  }

  query(text, values, cb) {
    // guard clause against passing a function as the first parameter
    if (typeof text === 'function') {
      const response = promisify(this.Promise, text)
      setImmediate(function () {
        return response.callback(new Error('Passing a function as the first parameter to pool.query is not supported'))
      })
      return response.result
    }

    // allow plain text query without values, but callback
    if (typeof values === 'function') {
      cb = values
      values = undefined
    }
    const response = promisify(this.Promise, cb)
    cb = response.callback

    this.connect((err, client) => {
      if (err) {
        return cb(err)
      }

      let clientReleased = false
      const onError = (err) => {
        if (clientReleased) {
          return
        }
        clientReleased = true
        client.release(err)
        cb(err)
      }

      client.once('error', onError)
      this.log('dispatching query')
      try {
        client.query(text, values, (err, res) => {
          this.log('query dispatched')
          client.removeListener('error', onError)
          if (clientReleased) {
            return
          }
          clientReleased = true
          client.release(err)
          if (err) {
            return cb(err)
          }
          return cb(undefined, res)
        })
      } catch (err) {
        client.release(err)
        return cb(err)
      }
    })
    return response.result
  }

  end(cb) {
    this.log('ending')
    if (this.ending) {
      const err = new Error('Called end on pool more than once')
      return cb ? cb(err) : this.Promise.reject(err)
    }
    this.ending = true
    const promised = promisify(this.Promise, cb)
    this._endCallback = promised.callback
    this._pulseQueue()
    return promised.result
  }

  get waitingCount() {
    return this._pendingQueue.length
  }

  get idleCount() {
    return this._idle.length
  }

  get expiredCount() {
    return this._clients.reduce((acc, client) => acc + (this._expired.has(client) ? 1 : 0), 0)
  }

  get totalCount() {
    return this._clients.length
  }
}
module.exports = Pool


/***/ }),

/***/ 9971:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.BufferReader = void 0;
class BufferReader {
    constructor(offset = 0) {
        this.offset = offset;
        this.buffer = Buffer.allocUnsafe(0);
        // TODO(bmc): support non-utf8 encoding?
        this.encoding = 'utf-8';
    }
    setBuffer(offset, buffer) {
        this.offset = offset;
        this.buffer = buffer;
    }
    int16() {
        const result = this.buffer.readInt16BE(this.offset);
        this.offset += 2;
        return result;
    }
    byte() {
        const result = this.buffer[this.offset];
        this.offset++;
        return result;
    }
    int32() {
        const result = this.buffer.readInt32BE(this.offset);
        this.offset += 4;
        return result;
    }
    uint32() {
        const result = this.buffer.readUInt32BE(this.offset);
        this.offset += 4;
        return result;
    }
    string(length) {
        const result = this.buffer.toString(this.encoding, this.offset, this.offset + length);
        this.offset += length;
        return result;
    }
    cstring() {
        const start = this.offset;
        let end = start;
        // eslint-disable-next-line no-empty
        while (this.buffer[end++]) { }
        this.offset = end;
        return this.buffer.toString(this.encoding, start, end - 1);
    }
    bytes(length) {
        const result = this.buffer.slice(this.offset, this.offset + length);
        this.offset += length;
        return result;
    }
}
exports.BufferReader = BufferReader;
//# sourceMappingURL=buffer-reader.js.map

/***/ }),

/***/ 9315:
/***/ ((__unused_webpack_module, exports) => {


//binary data writer tuned for encoding binary specific to the postgres binary protocol
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Writer = void 0;
class Writer {
    constructor(size = 256) {
        this.size = size;
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(size);
    }
    ensure(size) {
        const remaining = this.buffer.length - this.offset;
        if (remaining < size) {
            const oldBuffer = this.buffer;
            // exponential growth factor of around ~ 1.5
            // https://stackoverflow.com/questions/2269063/buffer-growth-strategy
            const newSize = oldBuffer.length + (oldBuffer.length >> 1) + size;
            this.buffer = Buffer.allocUnsafe(newSize);
            oldBuffer.copy(this.buffer, 0, 0, this.offset);
        }
    }
    addInt32(num) {
        this.ensure(4);
        this.buffer[this.offset++] = (num >>> 24) & 0xff;
        this.buffer[this.offset++] = (num >>> 16) & 0xff;
        this.buffer[this.offset++] = (num >>> 8) & 0xff;
        this.buffer[this.offset++] = (num >>> 0) & 0xff;
        return this;
    }
    addInt16(num) {
        this.ensure(2);
        this.buffer[this.offset++] = (num >>> 8) & 0xff;
        this.buffer[this.offset++] = (num >>> 0) & 0xff;
        return this;
    }
    addCString(string) {
        if (!string) {
            this.ensure(1);
        }
        else {
            const len = Buffer.byteLength(string);
            this.ensure(len + 1); // +1 for null terminator
            this.buffer.write(string, this.offset, 'utf-8');
            this.offset += len;
        }
        this.buffer[this.offset++] = 0; // null terminator
        return this;
    }
    addString(string = '') {
        const len = Buffer.byteLength(string);
        this.ensure(len);
        this.buffer.write(string, this.offset);
        this.offset += len;
        return this;
    }
    // Write an Int32 byte-length prefix immediately followed by the string's UTF-8
    // bytes. Postgres' Bind wire format prefixes every parameter with its length,
    // and doing it in one method computes Buffer.byteLength ONCE — the previous
    // `addInt32(Buffer.byteLength(s)).addString(s)` pairing scanned the string
    // three times (byteLength for the prefix, byteLength again inside addString,
    // then the encode), which is costly for large text parameters.
    addInt32PrefixedString(string) {
        const len = Buffer.byteLength(string);
        this.ensure(4 + len);
        const buffer = this.buffer;
        let offset = this.offset;
        buffer[offset++] = (len >>> 24) & 0xff;
        buffer[offset++] = (len >>> 16) & 0xff;
        buffer[offset++] = (len >>> 8) & 0xff;
        buffer[offset++] = (len >>> 0) & 0xff;
        buffer.write(string, offset, 'utf-8');
        this.offset = offset + len;
        return this;
    }
    add(otherBuffer) {
        this.ensure(otherBuffer.length);
        otherBuffer.copy(this.buffer, this.offset);
        this.offset += otherBuffer.length;
        return this;
    }
    /**
     * Appends an uninitialized block of {@link size} bytes to the buffer and returns its offset.
     */
    reserveUnsafe(size) {
        const offset = this.offset;
        this.ensure(size);
        this.offset += size;
        return offset;
    }
    join(code) {
        if (code) {
            this.buffer[this.headerPosition] = code;
            //length is everything in this packet minus the code
            const length = this.offset - (this.headerPosition + 1);
            this.buffer.writeInt32BE(length, this.headerPosition + 1);
        }
        return this.buffer.slice(code ? 0 : 5, this.offset);
    }
    flush(code) {
        const result = this.join(code);
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(this.size);
        return result;
    }
    clear() {
        this.offset = 5;
        this.headerPosition = 0;
    }
}
exports.Writer = Writer;
//# sourceMappingURL=buffer-writer.js.map

/***/ }),

/***/ 4233:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DatabaseError = exports.serialize = void 0;
exports.parse = parse;
const messages_1 = __nccwpck_require__(5809);
Object.defineProperty(exports, "DatabaseError", ({ enumerable: true, get: function () { return messages_1.DatabaseError; } }));
const serializer_1 = __nccwpck_require__(6513);
Object.defineProperty(exports, "serialize", ({ enumerable: true, get: function () { return serializer_1.serialize; } }));
const parser_1 = __nccwpck_require__(3318);
function parse(stream, callback) {
    const parser = new parser_1.Parser();
    stream.on('data', (buffer) => parser.parse(buffer, callback));
    return new Promise((resolve) => stream.on('end', () => resolve()));
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 5809:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.NoticeMessage = exports.DataRowMessage = exports.CommandCompleteMessage = exports.ReadyForQueryMessage = exports.NotificationResponseMessage = exports.BackendKeyDataMessage = exports.AuthenticationMD5Password = exports.ParameterStatusMessage = exports.ParameterDescriptionMessage = exports.RowDescriptionMessage = exports.Field = exports.CopyResponse = exports.CopyDataMessage = exports.DatabaseError = exports.copyDone = exports.emptyQuery = exports.replicationStart = exports.portalSuspended = exports.noData = exports.closeComplete = exports.bindComplete = exports.parseComplete = void 0;
exports.parseComplete = {
    name: 'parseComplete',
    length: 5,
};
exports.bindComplete = {
    name: 'bindComplete',
    length: 5,
};
exports.closeComplete = {
    name: 'closeComplete',
    length: 5,
};
exports.noData = {
    name: 'noData',
    length: 5,
};
exports.portalSuspended = {
    name: 'portalSuspended',
    length: 5,
};
exports.replicationStart = {
    name: 'replicationStart',
    length: 4,
};
exports.emptyQuery = {
    name: 'emptyQuery',
    length: 4,
};
exports.copyDone = {
    name: 'copyDone',
    length: 4,
};
class DatabaseError extends Error {
    constructor(message, length, name) {
        super(message);
        this.length = length;
        this.name = name;
    }
}
exports.DatabaseError = DatabaseError;
class CopyDataMessage {
    constructor(length, chunk) {
        this.length = length;
        this.chunk = chunk;
        this.name = 'copyData';
    }
}
exports.CopyDataMessage = CopyDataMessage;
class CopyResponse {
    constructor(length, name, binary, columnCount) {
        this.length = length;
        this.name = name;
        this.binary = binary;
        this.columnTypes = new Array(columnCount);
    }
}
exports.CopyResponse = CopyResponse;
class Field {
    constructor(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format) {
        this.name = name;
        this.tableID = tableID;
        this.columnID = columnID;
        this.dataTypeID = dataTypeID;
        this.dataTypeSize = dataTypeSize;
        this.dataTypeModifier = dataTypeModifier;
        this.format = format;
    }
}
exports.Field = Field;
class RowDescriptionMessage {
    constructor(length, fieldCount) {
        this.length = length;
        this.fieldCount = fieldCount;
        this.name = 'rowDescription';
        this.fields = new Array(this.fieldCount);
    }
}
exports.RowDescriptionMessage = RowDescriptionMessage;
class ParameterDescriptionMessage {
    constructor(length, parameterCount) {
        this.length = length;
        this.parameterCount = parameterCount;
        this.name = 'parameterDescription';
        this.dataTypeIDs = new Array(this.parameterCount);
    }
}
exports.ParameterDescriptionMessage = ParameterDescriptionMessage;
class ParameterStatusMessage {
    constructor(length, parameterName, parameterValue) {
        this.length = length;
        this.parameterName = parameterName;
        this.parameterValue = parameterValue;
        this.name = 'parameterStatus';
    }
}
exports.ParameterStatusMessage = ParameterStatusMessage;
class AuthenticationMD5Password {
    constructor(length, salt) {
        this.length = length;
        this.salt = salt;
        this.name = 'authenticationMD5Password';
    }
}
exports.AuthenticationMD5Password = AuthenticationMD5Password;
class BackendKeyDataMessage {
    constructor(length, processID, secretKey) {
        this.length = length;
        this.processID = processID;
        this.secretKey = secretKey;
        this.name = 'backendKeyData';
    }
}
exports.BackendKeyDataMessage = BackendKeyDataMessage;
class NotificationResponseMessage {
    constructor(length, processId, channel, payload) {
        this.length = length;
        this.processId = processId;
        this.channel = channel;
        this.payload = payload;
        this.name = 'notification';
    }
}
exports.NotificationResponseMessage = NotificationResponseMessage;
class ReadyForQueryMessage {
    constructor(length, status) {
        this.length = length;
        this.status = status;
        this.name = 'readyForQuery';
    }
}
exports.ReadyForQueryMessage = ReadyForQueryMessage;
class CommandCompleteMessage {
    constructor(length, text) {
        this.length = length;
        this.text = text;
        this.name = 'commandComplete';
    }
}
exports.CommandCompleteMessage = CommandCompleteMessage;
class DataRowMessage {
    constructor(length, fields) {
        this.length = length;
        this.fields = fields;
        this.name = 'dataRow';
        this.fieldCount = fields.length;
    }
}
exports.DataRowMessage = DataRowMessage;
class NoticeMessage {
    constructor(length, message) {
        this.length = length;
        this.message = message;
        this.name = 'notice';
    }
}
exports.NoticeMessage = NoticeMessage;
//# sourceMappingURL=messages.js.map

/***/ }),

/***/ 3318:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Parser = void 0;
const messages_1 = __nccwpck_require__(5809);
const buffer_reader_1 = __nccwpck_require__(9971);
// every message is prefixed with a single byte
const CODE_LENGTH = 1;
// every message has an int32 length which includes itself but does
// NOT include the code in the length
const LEN_LENGTH = 4;
const HEADER_LENGTH = CODE_LENGTH + LEN_LENGTH;
// A placeholder for a `BackendMessage`’s length value that will be set after construction.
const LATEINIT_LENGTH = -1;
const emptyBuffer = Buffer.allocUnsafe(0);
class Parser {
    constructor(opts) {
        this.buffer = emptyBuffer;
        this.bufferLength = 0;
        this.bufferOffset = 0;
        this.reader = new buffer_reader_1.BufferReader();
        if ((opts === null || opts === void 0 ? void 0 : opts.mode) === 'binary') {
            throw new Error('Binary mode not supported yet');
        }
        this.mode = (opts === null || opts === void 0 ? void 0 : opts.mode) || 'text';
    }
    parse(buffer, callback) {
        this.mergeBuffer(buffer);
        const bufferFullLength = this.bufferOffset + this.bufferLength;
        let offset = this.bufferOffset;
        while (offset + HEADER_LENGTH <= bufferFullLength) {
            // code is 1 byte long - it identifies the message type
            const code = this.buffer[offset];
            // length is 1 Uint32BE - it is the length of the message EXCLUDING the code
            const length = this.buffer.readUInt32BE(offset + CODE_LENGTH);
            const fullMessageLength = CODE_LENGTH + length;
            if (fullMessageLength + offset <= bufferFullLength) {
                const message = this.handlePacket(offset + HEADER_LENGTH, code, length, this.buffer);
                callback(message);
                offset += fullMessageLength;
            }
            else {
                break;
            }
        }
        if (offset === bufferFullLength) {
            // No more use for the buffer
            this.buffer = emptyBuffer;
            this.bufferLength = 0;
            this.bufferOffset = 0;
        }
        else {
            // Adjust the cursors of remainingBuffer
            this.bufferLength = bufferFullLength - offset;
            this.bufferOffset = offset;
        }
    }
    mergeBuffer(buffer) {
        if (this.bufferLength > 0) {
            const newLength = this.bufferLength + buffer.byteLength;
            const newFullLength = newLength + this.bufferOffset;
            if (newFullLength > this.buffer.byteLength) {
                // We can't concat the new buffer with the remaining one
                let newBuffer;
                if (newLength <= this.buffer.byteLength && this.bufferOffset >= this.bufferLength) {
                    // We can move the relevant part to the beginning of the buffer instead of allocating a new buffer
                    newBuffer = this.buffer;
                }
                else {
                    // Allocate a new larger buffer
                    let newBufferLength = this.buffer.byteLength * 2;
                    while (newLength >= newBufferLength) {
                        newBufferLength *= 2;
                    }
                    newBuffer = Buffer.allocUnsafe(newBufferLength);
                }
                // Move the remaining buffer to the new one
                this.buffer.copy(newBuffer, 0, this.bufferOffset, this.bufferOffset + this.bufferLength);
                this.buffer = newBuffer;
                this.bufferOffset = 0;
            }
            // Concat the new buffer with the remaining one
            buffer.copy(this.buffer, this.bufferOffset + this.bufferLength);
            this.bufferLength = newLength;
        }
        else {
            this.buffer = buffer;
            this.bufferOffset = 0;
            this.bufferLength = buffer.byteLength;
        }
    }
    handlePacket(offset, code, length, bytes) {
        const { reader } = this;
        // NOTE: This undesirably retains the buffer in `this.reader` if the `parse*Message` calls below throw. However, those should only throw in the case of a protocol error, which normally results in the reader being discarded.
        reader.setBuffer(offset, bytes);
        let message;
        switch (code) {
            case 50 /* MessageCodes.BindComplete */:
                message = messages_1.bindComplete;
                break;
            case 49 /* MessageCodes.ParseComplete */:
                message = messages_1.parseComplete;
                break;
            case 51 /* MessageCodes.CloseComplete */:
                message = messages_1.closeComplete;
                break;
            case 110 /* MessageCodes.NoData */:
                message = messages_1.noData;
                break;
            case 115 /* MessageCodes.PortalSuspended */:
                message = messages_1.portalSuspended;
                break;
            case 99 /* MessageCodes.CopyDone */:
                message = messages_1.copyDone;
                break;
            case 87 /* MessageCodes.ReplicationStart */:
                message = messages_1.replicationStart;
                break;
            case 73 /* MessageCodes.EmptyQuery */:
                message = messages_1.emptyQuery;
                break;
            case 68 /* MessageCodes.DataRow */:
                message = parseDataRowMessage(reader);
                break;
            case 67 /* MessageCodes.CommandComplete */:
                message = parseCommandCompleteMessage(reader);
                break;
            case 90 /* MessageCodes.ReadyForQuery */:
                message = parseReadyForQueryMessage(reader);
                break;
            case 65 /* MessageCodes.NotificationResponse */:
                message = parseNotificationMessage(reader);
                break;
            case 82 /* MessageCodes.AuthenticationResponse */:
                message = parseAuthenticationResponse(reader, length);
                break;
            case 83 /* MessageCodes.ParameterStatus */:
                message = parseParameterStatusMessage(reader);
                break;
            case 75 /* MessageCodes.BackendKeyData */:
                message = parseBackendKeyData(reader);
                break;
            case 69 /* MessageCodes.ErrorMessage */:
                message = parseErrorMessage(reader, 'error');
                break;
            case 78 /* MessageCodes.NoticeMessage */:
                message = parseErrorMessage(reader, 'notice');
                break;
            case 84 /* MessageCodes.RowDescriptionMessage */:
                message = parseRowDescriptionMessage(reader);
                break;
            case 116 /* MessageCodes.ParameterDescriptionMessage */:
                message = parseParameterDescriptionMessage(reader);
                break;
            case 71 /* MessageCodes.CopyIn */:
                message = parseCopyInMessage(reader);
                break;
            case 72 /* MessageCodes.CopyOut */:
                message = parseCopyOutMessage(reader);
                break;
            case 100 /* MessageCodes.CopyData */:
                message = parseCopyData(reader, length);
                break;
            default:
                return new messages_1.DatabaseError('received invalid response: ' + code.toString(16), length, 'error');
        }
        reader.setBuffer(0, emptyBuffer);
        message.length = length;
        return message;
    }
}
exports.Parser = Parser;
const parseReadyForQueryMessage = (reader) => {
    const status = reader.string(1);
    return new messages_1.ReadyForQueryMessage(LATEINIT_LENGTH, status);
};
const parseCommandCompleteMessage = (reader) => {
    const text = reader.cstring();
    return new messages_1.CommandCompleteMessage(LATEINIT_LENGTH, text);
};
const parseCopyData = (reader, length) => {
    const chunk = reader.bytes(length - 4);
    return new messages_1.CopyDataMessage(LATEINIT_LENGTH, chunk);
};
const parseCopyInMessage = (reader) => parseCopyMessage(reader, 'copyInResponse');
const parseCopyOutMessage = (reader) => parseCopyMessage(reader, 'copyOutResponse');
const parseCopyMessage = (reader, messageName) => {
    const isBinary = reader.byte() !== 0;
    const columnCount = reader.int16();
    const message = new messages_1.CopyResponse(LATEINIT_LENGTH, messageName, isBinary, columnCount);
    for (let i = 0; i < columnCount; i++) {
        message.columnTypes[i] = reader.int16();
    }
    return message;
};
const parseNotificationMessage = (reader) => {
    const processId = reader.int32();
    const channel = reader.cstring();
    const payload = reader.cstring();
    return new messages_1.NotificationResponseMessage(LATEINIT_LENGTH, processId, channel, payload);
};
const parseRowDescriptionMessage = (reader) => {
    const fieldCount = reader.int16();
    const message = new messages_1.RowDescriptionMessage(LATEINIT_LENGTH, fieldCount);
    for (let i = 0; i < fieldCount; i++) {
        message.fields[i] = parseField(reader);
    }
    return message;
};
const parseField = (reader) => {
    const name = reader.cstring();
    const tableID = reader.uint32();
    const columnID = reader.int16();
    const dataTypeID = reader.uint32();
    const dataTypeSize = reader.int16();
    const dataTypeModifier = reader.int32();
    const mode = reader.int16() === 0 ? 'text' : 'binary';
    return new messages_1.Field(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, mode);
};
const parseParameterDescriptionMessage = (reader) => {
    const parameterCount = reader.int16();
    const message = new messages_1.ParameterDescriptionMessage(LATEINIT_LENGTH, parameterCount);
    for (let i = 0; i < parameterCount; i++) {
        // OIDs are unsigned, same as dataTypeID in parseField above
        message.dataTypeIDs[i] = reader.uint32();
    }
    return message;
};
const parseDataRowMessage = (reader) => {
    const fieldCount = reader.int16();
    const fields = new Array(fieldCount);
    for (let i = 0; i < fieldCount; i++) {
        const len = reader.int32();
        // a -1 for length means the value of the field is null
        fields[i] = len === -1 ? null : reader.string(len);
    }
    return new messages_1.DataRowMessage(LATEINIT_LENGTH, fields);
};
const parseParameterStatusMessage = (reader) => {
    const name = reader.cstring();
    const value = reader.cstring();
    return new messages_1.ParameterStatusMessage(LATEINIT_LENGTH, name, value);
};
const parseBackendKeyData = (reader) => {
    const processID = reader.int32();
    const secretKey = reader.int32();
    return new messages_1.BackendKeyDataMessage(LATEINIT_LENGTH, processID, secretKey);
};
const parseAuthenticationResponse = (reader, length) => {
    const code = reader.int32();
    // TODO(bmc): maybe better types here
    const message = {
        name: 'authenticationOk',
        length,
    };
    switch (code) {
        case 0: // AuthenticationOk
            break;
        case 3: // AuthenticationCleartextPassword
            if (message.length === 8) {
                message.name = 'authenticationCleartextPassword';
            }
            break;
        case 5: // AuthenticationMD5Password
            if (message.length === 12) {
                message.name = 'authenticationMD5Password';
                const salt = reader.bytes(4);
                return new messages_1.AuthenticationMD5Password(LATEINIT_LENGTH, salt);
            }
            break;
        case 10: // AuthenticationSASL
            {
                message.name = 'authenticationSASL';
                message.mechanisms = [];
                let mechanism;
                do {
                    mechanism = reader.cstring();
                    if (mechanism) {
                        message.mechanisms.push(mechanism);
                    }
                } while (mechanism);
            }
            break;
        case 11: // AuthenticationSASLContinue
            message.name = 'authenticationSASLContinue';
            message.data = reader.string(length - 8);
            break;
        case 12: // AuthenticationSASLFinal
            message.name = 'authenticationSASLFinal';
            message.data = reader.string(length - 8);
            break;
        default:
            throw new Error('Unknown authenticationOk message type ' + code);
    }
    return message;
};
const parseErrorMessage = (reader, name) => {
    const fields = {};
    let fieldType = reader.string(1);
    while (fieldType !== '\0') {
        fields[fieldType] = reader.cstring();
        fieldType = reader.string(1);
    }
    const messageValue = fields.M;
    const message = name === 'notice'
        ? new messages_1.NoticeMessage(LATEINIT_LENGTH, messageValue)
        : new messages_1.DatabaseError(messageValue, LATEINIT_LENGTH, name);
    message.severity = fields.S;
    message.code = fields.C;
    message.detail = fields.D;
    message.hint = fields.H;
    message.position = fields.P;
    message.internalPosition = fields.p;
    message.internalQuery = fields.q;
    message.where = fields.W;
    message.schema = fields.s;
    message.table = fields.t;
    message.column = fields.c;
    message.dataType = fields.d;
    message.constraint = fields.n;
    message.file = fields.F;
    message.line = fields.L;
    message.routine = fields.R;
    return message;
};
//# sourceMappingURL=parser.js.map

/***/ }),

/***/ 6513:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.serialize = void 0;
const buffer_writer_1 = __nccwpck_require__(9315);
const writer = new buffer_writer_1.Writer();
const startup = (opts) => {
    // protocol version
    writer.addInt16(3).addInt16(0);
    for (const key of Object.keys(opts)) {
        writer.addCString(key).addCString(opts[key]);
    }
    writer.addCString('client_encoding').addCString('UTF8');
    const bodyBuffer = writer.addCString('').flush();
    // this message is sent without a code
    const length = bodyBuffer.length + 4;
    return new buffer_writer_1.Writer().addInt32(length).add(bodyBuffer).flush();
};
const requestSsl = () => {
    const response = Buffer.allocUnsafe(8);
    response.writeInt32BE(8, 0);
    response.writeInt32BE(80877103, 4);
    return response;
};
const password = (password) => {
    return writer.addCString(password).flush(112 /* code.startup */);
};
const sendSASLInitialResponseMessage = function (mechanism, initialResponse) {
    // 0x70 = 'p'
    writer.addCString(mechanism).addInt32PrefixedString(initialResponse);
    return writer.flush(112 /* code.startup */);
};
const sendSCRAMClientFinalMessage = function (additionalData) {
    return writer.addString(additionalData).flush(112 /* code.startup */);
};
const query = (text) => {
    return writer.addCString(text).flush(81 /* code.query */);
};
const emptyArray = [];
const parse = (query) => {
    // expect something like this:
    // { name: 'queryName',
    //   text: 'select * from blah',
    //   types: ['int8', 'bool'] }
    // normalize missing query names to allow for null
    const name = query.name || '';
    if (name.length > 63) {
        console.error('Warning! Postgres only supports 63 characters for query names.');
        console.error('You supplied %s (%s)', name, name.length);
        console.error('This can cause conflicts and silent errors executing queries');
    }
    const types = query.types || emptyArray;
    const len = types.length;
    const buffer = writer
        .addCString(name) // name of query
        .addCString(query.text) // actual query text
        .addInt16(len);
    for (let i = 0; i < len; i++) {
        buffer.addInt32(types[i]);
    }
    return writer.flush(80 /* code.parse */);
};
const writeValues = function (values, valueMapper, formatsOffset) {
    const len = values.length;
    for (let i = 0; i < len; i++) {
        const mappedVal = valueMapper ? valueMapper(values[i], i) : values[i];
        let formatByte = 0 /* ParamType.STRING */;
        if (mappedVal == null) {
            // write -1 to indicate null
            writer.addInt32(-1);
        }
        else if (mappedVal instanceof Buffer) {
            formatByte = 1 /* ParamType.BINARY */;
            // add the buffer to the param writer
            writer.addInt32(mappedVal.length);
            writer.add(mappedVal);
        }
        else {
            // length prefix + UTF-8 bytes in one pass (Buffer.byteLength computed once)
            writer.addInt32PrefixedString(mappedVal);
        }
        // beware: `writer` operations can replace `writer.buffer` with a new buffer
        const buf = writer.buffer;
        buf[formatsOffset++] = 0;
        buf[formatsOffset++] = formatByte;
    }
};
const bind = (config = {}) => {
    // normalize config
    const portal = config.portal || '';
    const statement = config.statement || '';
    const binary = config.binary || false;
    const values = config.values || emptyArray;
    const len = values.length;
    writer.addCString(portal).addCString(statement);
    // number of parameter format codes
    writer.addInt16(len);
    // space for those codes, filled by `writeValues`
    const formatsOffset = writer.reserveUnsafe(len * 2);
    // number of parameter values
    writer.addInt16(len);
    try {
        writeValues(values, config.valueMapper, formatsOffset);
    }
    catch (err) {
        writer.clear();
        throw err;
    }
    // all results use the same format code
    writer.addInt16(1);
    // format code
    writer.addInt16(binary ? 1 /* ParamType.BINARY */ : 0 /* ParamType.STRING */);
    return writer.flush(66 /* code.bind */);
};
const emptyExecute = Buffer.from([69 /* code.execute */, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00]);
const execute = (config) => {
    // this is the happy path for most queries
    if (!config || (!config.portal && !config.rows)) {
        return emptyExecute;
    }
    const portal = config.portal || '';
    const rows = config.rows || 0;
    const portalLength = Buffer.byteLength(portal);
    const len = 4 + portalLength + 1 + 4;
    // one extra bit for code
    const buff = Buffer.allocUnsafe(1 + len);
    buff[0] = 69 /* code.execute */;
    buff.writeInt32BE(len, 1);
    buff.write(portal, 5, 'utf-8');
    buff[portalLength + 5] = 0; // null terminate portal cString
    buff.writeUInt32BE(rows, buff.length - 4);
    return buff;
};
const cancel = (processID, secretKey) => {
    const buffer = Buffer.allocUnsafe(16);
    buffer.writeInt32BE(16, 0);
    buffer.writeInt16BE(1234, 4);
    buffer.writeInt16BE(5678, 6);
    buffer.writeInt32BE(processID, 8);
    buffer.writeInt32BE(secretKey, 12);
    return buffer;
};
const cstringMessage = (code, string) => {
    const stringLen = Buffer.byteLength(string);
    const len = 4 + stringLen + 1;
    // one extra bit for code
    const buffer = Buffer.allocUnsafe(1 + len);
    buffer[0] = code;
    buffer.writeInt32BE(len, 1);
    buffer.write(string, 5, 'utf-8');
    buffer[len] = 0; // null terminate cString
    return buffer;
};
const emptyDescribePortal = writer.addCString('P').flush(68 /* code.describe */);
const emptyDescribeStatement = writer.addCString('S').flush(68 /* code.describe */);
const describe = (msg) => {
    return msg.name
        ? cstringMessage(68 /* code.describe */, `${msg.type}${msg.name || ''}`)
        : msg.type === 'P'
            ? emptyDescribePortal
            : emptyDescribeStatement;
};
const close = (msg) => {
    const text = `${msg.type}${msg.name || ''}`;
    return cstringMessage(67 /* code.close */, text);
};
const copyData = (chunk) => {
    return writer.add(chunk).flush(100 /* code.copyFromChunk */);
};
const copyFail = (message) => {
    return cstringMessage(102 /* code.copyFail */, message);
};
const codeOnlyBuffer = (code) => Buffer.from([code, 0x00, 0x00, 0x00, 0x04]);
const flushBuffer = codeOnlyBuffer(72 /* code.flush */);
const syncBuffer = codeOnlyBuffer(83 /* code.sync */);
const endBuffer = codeOnlyBuffer(88 /* code.end */);
const copyDoneBuffer = codeOnlyBuffer(99 /* code.copyDone */);
const serialize = {
    startup,
    password,
    requestSsl,
    sendSASLInitialResponseMessage,
    sendSCRAMClientFinalMessage,
    query,
    parse,
    bind,
    execute,
    describe,
    close,
    flush: () => flushBuffer,
    sync: () => syncBuffer,
    end: () => endBuffer,
    copyData,
    copyDone: () => copyDoneBuffer,
    copyFail,
    cancel,
};
exports.serialize = serialize;
//# sourceMappingURL=serializer.js.map

/***/ }),

/***/ 1549:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var textParsers = __nccwpck_require__(4784);
var binaryParsers = __nccwpck_require__(7522);
var arrayParser = __nccwpck_require__(6471);
var builtinTypes = __nccwpck_require__(6345);

exports.getTypeParser = getTypeParser;
exports.setTypeParser = setTypeParser;
exports.arrayParser = arrayParser;
exports.builtins = builtinTypes;

var typeParsers = {
  text: {},
  binary: {}
};

//the empty parse function
function noParse (val) {
  return String(val);
};

//returns a function used to convert a specific type (specified by
//oid) into a result javascript type
//note: the oid can be obtained via the following sql query:
//SELECT oid FROM pg_type WHERE typname = 'TYPE_NAME_HERE';
function getTypeParser (oid, format) {
  format = format || 'text';
  if (!typeParsers[format]) {
    return noParse;
  }
  return typeParsers[format][oid] || noParse;
};

function setTypeParser (oid, format, parseFn) {
  if(typeof format == 'function') {
    parseFn = format;
    format = 'text';
  }
  typeParsers[format][oid] = parseFn;
};

textParsers.init(function(oid, converter) {
  typeParsers.text[oid] = converter;
});

binaryParsers.init(function(oid, converter) {
  typeParsers.binary[oid] = converter;
});


/***/ }),

/***/ 6471:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var array = __nccwpck_require__(3879);

module.exports = {
  create: function (source, transform) {
    return {
      parse: function() {
        return array.parse(source, transform);
      }
    };
  }
};


/***/ }),

/***/ 7522:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var parseInt64 = __nccwpck_require__(2299);

var parseBits = function(data, bits, offset, invert, callback) {
  offset = offset || 0;
  invert = invert || false;
  callback = callback || function(lastValue, newValue, bits) { return (lastValue * Math.pow(2, bits)) + newValue; };
  var offsetBytes = offset >> 3;

  var inv = function(value) {
    if (invert) {
      return ~value & 0xff;
    }

    return value;
  };

  // read first (maybe partial) byte
  var mask = 0xff;
  var firstBits = 8 - (offset % 8);
  if (bits < firstBits) {
    mask = (0xff << (8 - bits)) & 0xff;
    firstBits = bits;
  }

  if (offset) {
    mask = mask >> (offset % 8);
  }

  var result = 0;
  if ((offset % 8) + bits >= 8) {
    result = callback(0, inv(data[offsetBytes]) & mask, firstBits);
  }

  // read bytes
  var bytes = (bits + offset) >> 3;
  for (var i = offsetBytes + 1; i < bytes; i++) {
    result = callback(result, inv(data[i]), 8);
  }

  // bits to read, that are not a complete byte
  var lastBits = (bits + offset) % 8;
  if (lastBits > 0) {
    result = callback(result, inv(data[bytes]) >> (8 - lastBits), lastBits);
  }

  return result;
};

var parseFloatFromBits = function(data, precisionBits, exponentBits) {
  var bias = Math.pow(2, exponentBits - 1) - 1;
  var sign = parseBits(data, 1);
  var exponent = parseBits(data, exponentBits, 1);

  if (exponent === 0) {
    return 0;
  }

  // parse mantissa
  var precisionBitsCounter = 1;
  var parsePrecisionBits = function(lastValue, newValue, bits) {
    if (lastValue === 0) {
      lastValue = 1;
    }

    for (var i = 1; i <= bits; i++) {
      precisionBitsCounter /= 2;
      if ((newValue & (0x1 << (bits - i))) > 0) {
        lastValue += precisionBitsCounter;
      }
    }

    return lastValue;
  };

  var mantissa = parseBits(data, precisionBits, exponentBits + 1, false, parsePrecisionBits);

  // special cases
  if (exponent == (Math.pow(2, exponentBits + 1) - 1)) {
    if (mantissa === 0) {
      return (sign === 0) ? Infinity : -Infinity;
    }

    return NaN;
  }

  // normale number
  return ((sign === 0) ? 1 : -1) * Math.pow(2, exponent - bias) * mantissa;
};

var parseInt16 = function(value) {
  if (parseBits(value, 1) == 1) {
    return -1 * (parseBits(value, 15, 1, true) + 1);
  }

  return parseBits(value, 15, 1);
};

var parseInt32 = function(value) {
  if (parseBits(value, 1) == 1) {
    return -1 * (parseBits(value, 31, 1, true) + 1);
  }

  return parseBits(value, 31, 1);
};

var parseFloat32 = function(value) {
  return parseFloatFromBits(value, 23, 8);
};

var parseFloat64 = function(value) {
  return parseFloatFromBits(value, 52, 11);
};

var parseNumeric = function(value) {
  var sign = parseBits(value, 16, 32);
  if (sign == 0xc000) {
    return NaN;
  }

  var weight = Math.pow(10000, parseBits(value, 16, 16));
  var result = 0;

  var digits = [];
  var ndigits = parseBits(value, 16);
  for (var i = 0; i < ndigits; i++) {
    result += parseBits(value, 16, 64 + (16 * i)) * weight;
    weight /= 10000;
  }

  var scale = Math.pow(10, parseBits(value, 16, 48));
  return ((sign === 0) ? 1 : -1) * Math.round(result * scale) / scale;
};

var parseDate = function(isUTC, value) {
  var sign = parseBits(value, 1);
  var rawValue = parseBits(value, 63, 1);

  // discard usecs and shift from 2000 to 1970
  var result = new Date((((sign === 0) ? 1 : -1) * rawValue / 1000) + 946684800000);

  if (!isUTC) {
    result.setTime(result.getTime() + result.getTimezoneOffset() * 60000);
  }

  // add microseconds to the date
  result.usec = rawValue % 1000;
  result.getMicroSeconds = function() {
    return this.usec;
  };
  result.setMicroSeconds = function(value) {
    this.usec = value;
  };
  result.getUTCMicroSeconds = function() {
    return this.usec;
  };

  return result;
};

var parseArray = function(value) {
  var dim = parseBits(value, 32);

  var flags = parseBits(value, 32, 32);
  var elementType = parseBits(value, 32, 64);

  var offset = 96;
  var dims = [];
  for (var i = 0; i < dim; i++) {
    // parse dimension
    dims[i] = parseBits(value, 32, offset);
    offset += 32;

    // ignore lower bounds
    offset += 32;
  }

  var parseElement = function(elementType) {
    // parse content length
    var length = parseBits(value, 32, offset);
    offset += 32;

    // parse null values
    if (length == 0xffffffff) {
      return null;
    }

    var result;
    if ((elementType == 0x17) || (elementType == 0x14)) {
      // int/bigint
      result = parseBits(value, length * 8, offset);
      offset += length * 8;
      return result;
    }
    else if (elementType == 0x19) {
      // string
      result = value.toString(this.encoding, offset >> 3, (offset += (length << 3)) >> 3);
      return result;
    }
    else {
      console.log("ERROR: ElementType not implemented: " + elementType);
    }
  };

  var parse = function(dimension, elementType) {
    var array = [];
    var i;

    if (dimension.length > 1) {
      var count = dimension.shift();
      for (i = 0; i < count; i++) {
        array[i] = parse(dimension, elementType);
      }
      dimension.unshift(count);
    }
    else {
      for (i = 0; i < dimension[0]; i++) {
        array[i] = parseElement(elementType);
      }
    }

    return array;
  };

  return parse(dims, elementType);
};

var parseText = function(value) {
  return value.toString('utf8');
};

var parseBool = function(value) {
  if(value === null) return null;
  return (parseBits(value, 8) > 0);
};

var init = function(register) {
  register(20, parseInt64);
  register(21, parseInt16);
  register(23, parseInt32);
  register(26, parseInt32);
  register(1700, parseNumeric);
  register(700, parseFloat32);
  register(701, parseFloat64);
  register(16, parseBool);
  register(1114, parseDate.bind(null, false));
  register(1184, parseDate.bind(null, true));
  register(1000, parseArray);
  register(1007, parseArray);
  register(1016, parseArray);
  register(1008, parseArray);
  register(1009, parseArray);
  register(25, parseText);
};

module.exports = {
  init: init
};


/***/ }),

/***/ 6345:
/***/ ((module) => {

/**
 * Following query was used to generate this file:

 SELECT json_object_agg(UPPER(PT.typname), PT.oid::int4 ORDER BY pt.oid)
 FROM pg_type PT
 WHERE typnamespace = (SELECT pgn.oid FROM pg_namespace pgn WHERE nspname = 'pg_catalog') -- Take only builting Postgres types with stable OID (extension types are not guaranted to be stable)
 AND typtype = 'b' -- Only basic types
 AND typelem = 0 -- Ignore aliases
 AND typisdefined -- Ignore undefined types
 */

module.exports = {
    BOOL: 16,
    BYTEA: 17,
    CHAR: 18,
    INT8: 20,
    INT2: 21,
    INT4: 23,
    REGPROC: 24,
    TEXT: 25,
    OID: 26,
    TID: 27,
    XID: 28,
    CID: 29,
    JSON: 114,
    XML: 142,
    PG_NODE_TREE: 194,
    SMGR: 210,
    PATH: 602,
    POLYGON: 604,
    CIDR: 650,
    FLOAT4: 700,
    FLOAT8: 701,
    ABSTIME: 702,
    RELTIME: 703,
    TINTERVAL: 704,
    CIRCLE: 718,
    MACADDR8: 774,
    MONEY: 790,
    MACADDR: 829,
    INET: 869,
    ACLITEM: 1033,
    BPCHAR: 1042,
    VARCHAR: 1043,
    DATE: 1082,
    TIME: 1083,
    TIMESTAMP: 1114,
    TIMESTAMPTZ: 1184,
    INTERVAL: 1186,
    TIMETZ: 1266,
    BIT: 1560,
    VARBIT: 1562,
    NUMERIC: 1700,
    REFCURSOR: 1790,
    REGPROCEDURE: 2202,
    REGOPER: 2203,
    REGOPERATOR: 2204,
    REGCLASS: 2205,
    REGTYPE: 2206,
    UUID: 2950,
    TXID_SNAPSHOT: 2970,
    PG_LSN: 3220,
    PG_NDISTINCT: 3361,
    PG_DEPENDENCIES: 3402,
    TSVECTOR: 3614,
    TSQUERY: 3615,
    GTSVECTOR: 3642,
    REGCONFIG: 3734,
    REGDICTIONARY: 3769,
    JSONB: 3802,
    REGNAMESPACE: 4089,
    REGROLE: 4096
};


/***/ }),

/***/ 4784:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var array = __nccwpck_require__(3879)
var arrayParser = __nccwpck_require__(6471);
var parseDate = __nccwpck_require__(2690);
var parseInterval = __nccwpck_require__(8755);
var parseByteA = __nccwpck_require__(463);

function allowNull (fn) {
  return function nullAllowed (value) {
    if (value === null) return value
    return fn(value)
  }
}

function parseBool (value) {
  if (value === null) return value
  return value === 'TRUE' ||
    value === 't' ||
    value === 'true' ||
    value === 'y' ||
    value === 'yes' ||
    value === 'on' ||
    value === '1';
}

function parseBoolArray (value) {
  if (!value) return null
  return array.parse(value, parseBool)
}

function parseBaseTenInt (string) {
  return parseInt(string, 10)
}

function parseIntegerArray (value) {
  if (!value) return null
  return array.parse(value, allowNull(parseBaseTenInt))
}

function parseBigIntegerArray (value) {
  if (!value) return null
  return array.parse(value, allowNull(function (entry) {
    return parseBigInteger(entry).trim()
  }))
}

var parsePointArray = function(value) {
  if(!value) { return null; }
  var p = arrayParser.create(value, function(entry) {
    if(entry !== null) {
      entry = parsePoint(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseFloatArray = function(value) {
  if(!value) { return null; }
  var p = arrayParser.create(value, function(entry) {
    if(entry !== null) {
      entry = parseFloat(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseStringArray = function(value) {
  if(!value) { return null; }

  var p = arrayParser.create(value);
  return p.parse();
};

var parseDateArray = function(value) {
  if (!value) { return null; }

  var p = arrayParser.create(value, function(entry) {
    if (entry !== null) {
      entry = parseDate(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseIntervalArray = function(value) {
  if (!value) { return null; }

  var p = arrayParser.create(value, function(entry) {
    if (entry !== null) {
      entry = parseInterval(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseByteAArray = function(value) {
  if (!value) { return null; }

  return array.parse(value, allowNull(parseByteA));
};

var parseInteger = function(value) {
  return parseInt(value, 10);
};

var parseBigInteger = function(value) {
  var valStr = String(value);
  if (/^\d+$/.test(valStr)) { return valStr; }
  return value;
};

var parseJsonArray = function(value) {
  if (!value) { return null; }

  return array.parse(value, allowNull(JSON.parse));
};

var parsePoint = function(value) {
  if (value[0] !== '(') { return null; }

  value = value.substring( 1, value.length - 1 ).split(',');

  return {
    x: parseFloat(value[0])
  , y: parseFloat(value[1])
  };
};

var parseCircle = function(value) {
  if (value[0] !== '<' && value[1] !== '(') { return null; }

  var point = '(';
  var radius = '';
  var pointParsed = false;
  for (var i = 2; i < value.length - 1; i++){
    if (!pointParsed) {
      point += value[i];
    }

    if (value[i] === ')') {
      pointParsed = true;
      continue;
    } else if (!pointParsed) {
      continue;
    }

    if (value[i] === ','){
      continue;
    }

    radius += value[i];
  }
  var result = parsePoint(point);
  result.radius = parseFloat(radius);

  return result;
};

var init = function(register) {
  register(20, parseBigInteger); // int8
  register(21, parseInteger); // int2
  register(23, parseInteger); // int4
  register(26, parseInteger); // oid
  register(700, parseFloat); // float4/real
  register(701, parseFloat); // float8/double
  register(16, parseBool);
  register(1082, parseDate); // date
  register(1114, parseDate); // timestamp without timezone
  register(1184, parseDate); // timestamp
  register(600, parsePoint); // point
  register(651, parseStringArray); // cidr[]
  register(718, parseCircle); // circle
  register(1000, parseBoolArray);
  register(1001, parseByteAArray);
  register(1005, parseIntegerArray); // _int2
  register(1007, parseIntegerArray); // _int4
  register(1028, parseIntegerArray); // oid[]
  register(1016, parseBigIntegerArray); // _int8
  register(1017, parsePointArray); // point[]
  register(1021, parseFloatArray); // _float4
  register(1022, parseFloatArray); // _float8
  register(1231, parseFloatArray); // _numeric
  register(1014, parseStringArray); //char
  register(1015, parseStringArray); //varchar
  register(1008, parseStringArray);
  register(1009, parseStringArray);
  register(1040, parseStringArray); // macaddr[]
  register(1041, parseStringArray); // inet[]
  register(1115, parseDateArray); // timestamp without time zone[]
  register(1182, parseDateArray); // _date
  register(1185, parseDateArray); // timestamp with time zone[]
  register(1186, parseInterval);
  register(1187, parseIntervalArray);
  register(17, parseByteA);
  register(114, JSON.parse.bind(JSON)); // json
  register(3802, JSON.parse.bind(JSON)); // jsonb
  register(199, parseJsonArray); // json[]
  register(3807, parseJsonArray); // jsonb[]
  register(3907, parseStringArray); // numrange[]
  register(2951, parseStringArray); // uuid[]
  register(791, parseStringArray); // money[]
  register(1183, parseStringArray); // time[]
  register(1270, parseStringArray); // timetz[]
};

module.exports = {
  init: init
};


/***/ }),

/***/ 5042:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const utils = __nccwpck_require__(9652)
const nodeUtils = __nccwpck_require__(9023)
const sasl = __nccwpck_require__(948)
const TypeOverrides = __nccwpck_require__(365)

const ConnectionParameters = __nccwpck_require__(646)
const Query = __nccwpck_require__(4473)
const defaults = __nccwpck_require__(8995)
const Connection = __nccwpck_require__(9809)
const crypto = __nccwpck_require__(4150)

const activeQueryDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Client.activeQuery is deprecated and will be removed in pg@9.0'
)

const queryQueueDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Client.queryQueue is deprecated and will be removed in pg@9.0.'
)

const pgPassDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'pgpass support is deprecated and will be removed in pg@9.0. ' +
    'You can provide an async function as the password property to the Client/Pool constructor that returns a password instead. Within this function you can call the pgpass module in your own code.'
)

const byoPromiseDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Passing a custom Promise implementation to the Client/Pool constructor is deprecated and will be removed in pg@9.0.'
)

const queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead.'
)

function coerceNumberOrDefault(value, defaultValue) {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : defaultValue
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : defaultValue
  }
  return defaultValue
}

class Client extends EventEmitter {
  constructor(config) {
    super()

    this.connectionParameters = new ConnectionParameters(config)
    this.user = this.connectionParameters.user
    this.database = this.connectionParameters.database
    this.port = this.connectionParameters.port
    this.host = this.connectionParameters.host

    // "hiding" the password so it doesn't show up in stack traces
    // or if the client is console.logged
    Object.defineProperty(this, 'password', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: this.connectionParameters.password,
    })

    this.replication = this.connectionParameters.replication

    const c = config || {}

    if (c.Promise) {
      byoPromiseDeprecationNotice()
    }
    this._Promise = c.Promise || global.Promise
    this._types = new TypeOverrides(c.types)
    this._ending = false
    this._ended = false
    this._connecting = false
    this._connected = false
    this._connectionError = false
    this._queryable = true
    this._activeQuery = null
    this._txStatus = null

    this.enableChannelBinding = Boolean(c.enableChannelBinding) // set true to use SCRAM-SHA-256-PLUS when offered
    this.scramMaxIterations = coerceNumberOrDefault(c.scramMaxIterations, sasl.DEFAULT_MAX_SCRAM_ITERATIONS)
    this.connection =
      c.connection ||
      new Connection({
        stream: c.stream,
        ssl: this.connectionParameters.ssl,
        sslNegotiation: this.connectionParameters.sslnegotiation,
        keepAlive: c.keepAlive || false,
        keepAliveInitialDelayMillis: c.keepAliveInitialDelayMillis || 0,
        encoding: this.connectionParameters.client_encoding || 'utf8',
      })
    this._queryQueue = []
    this._sentQueryQueue = []
    this.pipeline = Boolean(c.pipeline)
    this.binary = c.binary || defaults.binary
    this.processID = null
    this.secretKey = null
    this.ssl = this.connectionParameters.ssl || false
    this.sslNegotiation = this.connectionParameters.sslnegotiation || 'postgres'
    // As with Password, make SSL->Key (the private key) non-enumerable.
    // It won't show up in stack traces
    // or if the client is console.logged
    if (this.ssl && this.ssl.key) {
      Object.defineProperty(this.ssl, 'key', {
        enumerable: false,
      })
    }

    this._connectionTimeoutMillis = c.connectionTimeoutMillis || 0
  }

  get activeQuery() {
    activeQueryDeprecationNotice()
    return this._activeQuery
  }

  set activeQuery(val) {
    activeQueryDeprecationNotice()
    this._activeQuery = val
  }

  _getActiveQuery() {
    return this._activeQuery
  }

  _errorAllQueries(err) {
    const enqueueError = (query) => {
      process.nextTick(() => {
        query.handleError(err, this.connection)
      })
    }

    const activeQuery = this._getActiveQuery()
    if (activeQuery) {
      enqueueError(activeQuery)
      this._activeQuery = null
    }

    this._sentQueryQueue.forEach(enqueueError)
    this._sentQueryQueue.length = 0

    this._queryQueue.forEach(enqueueError)
    this._queryQueue.length = 0
  }

  _connect(callback) {
    const self = this
    const con = this.connection
    this._connectionCallback = callback

    if (this._connecting || this._connected) {
      const err = new Error('Client has already been connected. You cannot reuse a client.')
      process.nextTick(() => {
        callback(err)
      })
      return
    }
    this._connecting = true

    if (this._connectionTimeoutMillis > 0) {
      this.connectionTimeoutHandle = setTimeout(() => {
        con._ending = true
        con.stream.destroy(new Error('timeout expired'))
      }, this._connectionTimeoutMillis)

      if (this.connectionTimeoutHandle.unref) {
        this.connectionTimeoutHandle.unref()
      }
    }

    if (this.host && this.host.indexOf('/') === 0) {
      con.connect(this.host + '/.s.PGSQL.' + this.port)
    } else {
      con.connect(this.port, this.host)
    }

    // once connection is established send startup message
    con.on('connect', function () {
      if (self.ssl) {
        // With direct SSL negotiation the connection upgrades to TLS without an
        // SSLRequest packet, so the startup message is sent after 'sslconnect'.
        if (self.sslNegotiation !== 'direct') {
          con.requestSsl()
        }
      } else {
        con.startup(self.getStartupConf())
      }
    })

    con.on('sslconnect', function () {
      con.startup(self.getStartupConf())
    })

    this._attachListeners(con)

    con.once('end', () => {
      const error = this._ending ? new Error('Connection terminated') : new Error('Connection terminated unexpectedly')

      clearTimeout(this.connectionTimeoutHandle)
      this._errorAllQueries(error)
      this._ended = true

      if (!this._ending) {
        // if the connection is ended without us calling .end()
        // on this client then we have an unexpected disconnection
        // treat this as an error unless we've already emitted an error
        // during connection.
        if (this._connecting && !this._connectionError) {
          if (this._connectionCallback) {
            this._connectionCallback(error)
          } else {
            this._handleErrorEvent(error)
          }
        } else if (!this._connectionError) {
          this._handleErrorEvent(error)
        }
      }

      process.nextTick(() => {
        this.emit('end')
      })
    })
  }

  connect(callback) {
    if (callback) {
      this._connect(callback)
      return
    }

    return new this._Promise((resolve, reject) => {
      this._connect((error) => {
        if (error) {
          reject(error)
        } else {
          resolve(this)
        }
      })
    })
  }

  _attachListeners(con) {
    // password request handling
    con.on('authenticationCleartextPassword', this._handleAuthCleartextPassword.bind(this))
    // password request handling
    con.on('authenticationMD5Password', this._handleAuthMD5Password.bind(this))
    // password request handling (SASL)
    con.on('authenticationSASL', this._handleAuthSASL.bind(this))
    con.on('authenticationSASLContinue', this._handleAuthSASLContinue.bind(this))
    con.on('authenticationSASLFinal', this._handleAuthSASLFinal.bind(this))
    con.on('backendKeyData', this._handleBackendKeyData.bind(this))
    con.on('error', this._handleErrorEvent.bind(this))
    con.on('errorMessage', this._handleErrorMessage.bind(this))
    con.on('readyForQuery', this._handleReadyForQuery.bind(this))
    con.on('notice', this._handleNotice.bind(this))
    con.on('rowDescription', this._handleRowDescription.bind(this))
    con.on('dataRow', this._handleDataRow.bind(this))
    con.on('portalSuspended', this._handlePortalSuspended.bind(this))
    con.on('emptyQuery', this._handleEmptyQuery.bind(this))
    con.on('commandComplete', this._handleCommandComplete.bind(this))
    con.on('parseComplete', this._handleParseComplete.bind(this))
    con.on('copyInResponse', this._handleCopyInResponse.bind(this))
    con.on('copyData', this._handleCopyData.bind(this))
    con.on('notification', this._handleNotification.bind(this))
  }

  _getPassword(cb) {
    const con = this.connection
    if (typeof this.password === 'function') {
      this._Promise
        .resolve()
        .then(() => this.password(this.connectionParameters))
        .then((pass) => {
          if (pass !== undefined) {
            if (typeof pass !== 'string') {
              con.emit('error', new TypeError('Password must be a string'))
              return
            }
            this.connectionParameters.password = this.password = pass
          } else {
            this.connectionParameters.password = this.password = null
          }
          cb()
        })
        .catch((err) => {
          con.emit('error', err)
        })
    } else if (this.password !== null) {
      cb()
    } else {
      try {
        const pgPass = __nccwpck_require__(3272)
        pgPass(this.connectionParameters, (pass) => {
          if (undefined !== pass) {
            pgPassDeprecationNotice()
            this.connectionParameters.password = this.password = pass
          }
          cb()
        })
      } catch (e) {
        this.emit('error', e)
      }
    }
  }

  _handleAuthCleartextPassword(msg) {
    this._getPassword(() => {
      this.connection.password(this.password)
    })
  }

  _handleAuthMD5Password(msg) {
    this._getPassword(async () => {
      try {
        const hashedPassword = await crypto.postgresMd5PasswordHash(this.user, this.password, msg.salt)
        this.connection.password(hashedPassword)
      } catch (e) {
        this.emit('error', e)
      }
    })
  }

  _handleAuthSASL(msg) {
    this._getPassword(() => {
      try {
        this.saslSession = sasl.startSession(
          msg.mechanisms,
          this.enableChannelBinding && this.connection.stream,
          this.scramMaxIterations
        )
        this.connection.sendSASLInitialResponseMessage(this.saslSession.mechanism, this.saslSession.response)
      } catch (err) {
        this.connection.emit('error', err)
      }
    })
  }

  async _handleAuthSASLContinue(msg) {
    try {
      await sasl.continueSession(
        this.saslSession,
        this.password,
        msg.data,
        this.enableChannelBinding && this.connection.stream
      )
      this.connection.sendSCRAMClientFinalMessage(this.saslSession.response)
    } catch (err) {
      this.connection.emit('error', err)
    }
  }

  _handleAuthSASLFinal(msg) {
    try {
      sasl.finalizeSession(this.saslSession, msg.data)
      this.saslSession = null
    } catch (err) {
      this.connection.emit('error', err)
    }
  }

  _handleBackendKeyData(msg) {
    this.processID = msg.processID
    this.secretKey = msg.secretKey
  }

  _handleReadyForQuery(msg) {
    if (this._connecting) {
      this._connecting = false
      this._connected = true
      clearTimeout(this.connectionTimeoutHandle)

      // process possible callback argument to Client#connect
      if (this._connectionCallback) {
        this._connectionCallback(null, this)
        // remove callback for proper error handling
        // after the connect event
        this._connectionCallback = null
      }
      this.emit('connect')
    }
    const activeQuery = this._getActiveQuery()
    this._activeQuery = null
    this._txStatus = msg?.status ?? null
    this.readyForQuery = true
    if (activeQuery) {
      activeQuery.handleReadyForQuery(this.connection)
    }
    this._pulseQueryQueue()
  }

  // if we receive an error event or error message
  // during the connection process we handle it here
  _handleErrorWhileConnecting(err) {
    if (this._connectionError) {
      // TODO(bmc): this is swallowing errors - we shouldn't do this
      return
    }
    this._connectionError = true
    clearTimeout(this.connectionTimeoutHandle)
    if (this._connectionCallback) {
      return this._connectionCallback(err)
    }
    this.emit('error', err)
  }

  // if we're connected and we receive an error event from the connection
  // this means the socket is dead - do a hard abort of all queries and emit
  // the socket error on the client as well
  _handleErrorEvent(err) {
    if (this._connecting) {
      return this._handleErrorWhileConnecting(err)
    }
    this._queryable = false
    this._errorAllQueries(err)
    this.emit('error', err)
  }

  // handle error messages from the postgres backend
  _handleErrorMessage(msg) {
    if (this._connecting) {
      return this._handleErrorWhileConnecting(msg)
    }
    const activeQuery = this._getActiveQuery()

    if (!activeQuery) {
      this._handleErrorEvent(msg)
      return
    }

    this._activeQuery = null
    if (activeQuery.name) {
      delete this.connection.submittedNamedStatements[activeQuery.name]
    }
    activeQuery.handleError(msg, this.connection)
  }

  _handleRowDescription(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected rowDescription message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate rowDescription to active query
    activeQuery.handleRowDescription(msg)
  }

  _handleDataRow(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected dataRow message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate dataRow to active query
    activeQuery.handleDataRow(msg)
  }

  _handlePortalSuspended(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected portalSuspended message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate portalSuspended to active query
    activeQuery.handlePortalSuspended(this.connection)
  }

  _handleEmptyQuery(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected emptyQuery message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate emptyQuery to active query
    activeQuery.handleEmptyQuery(this.connection)
  }

  _handleCommandComplete(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected commandComplete message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate commandComplete to active query
    activeQuery.handleCommandComplete(msg, this.connection)
  }

  _handleParseComplete() {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected parseComplete message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // if a prepared statement has a name and properly parses
    // we track that its already been executed so we don't parse
    // it again on the same client
    if (activeQuery.name) {
      this.connection.parsedStatements[activeQuery.name] = activeQuery.text
      delete this.connection.submittedNamedStatements[activeQuery.name]
    }
  }

  _handleCopyInResponse(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected copyInResponse message from backend.')
      this._handleErrorEvent(error)
      return
    }
    activeQuery.handleCopyInResponse(this.connection)
  }

  _handleCopyData(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected copyData message from backend.')
      this._handleErrorEvent(error)
      return
    }
    activeQuery.handleCopyData(msg, this.connection)
  }

  _handleNotification(msg) {
    this.emit('notification', msg)
  }

  _handleNotice(msg) {
    this.emit('notice', msg)
  }

  getStartupConf() {
    const params = this.connectionParameters

    const data = {
      user: params.user,
      database: params.database,
    }

    const appName = params.application_name || params.fallback_application_name
    if (appName) {
      data.application_name = appName
    }
    if (params.replication) {
      data.replication = '' + params.replication
    }
    if (params.statement_timeout) {
      data.statement_timeout = String(parseInt(params.statement_timeout, 10))
    }
    if (params.lock_timeout) {
      data.lock_timeout = String(parseInt(params.lock_timeout, 10))
    }
    if (params.idle_in_transaction_session_timeout) {
      data.idle_in_transaction_session_timeout = String(parseInt(params.idle_in_transaction_session_timeout, 10))
    }
    if (params.options) {
      data.options = params.options
    }

    return data
  }

  cancel(client, query) {
    if (client.activeQuery === query) {
      const con = this.connection

      if (this.host && this.host.indexOf('/') === 0) {
        con.connect(this.host + '/.s.PGSQL.' + this.port)
      } else {
        con.connect(this.port, this.host)
      }

      // once connection is established send cancel message
      con.on('connect', function () {
        con.cancel(client.processID, client.secretKey)
      })
    } else if (client._queryQueue.indexOf(query) !== -1) {
      client._queryQueue.splice(client._queryQueue.indexOf(query), 1)
    } else if (client._sentQueryQueue.indexOf(query) !== -1) {
      // Query already sent on wire — can't remove it without corrupting the
      // pipeline. No-op the callback so the result is silently discarded.
      query.callback = () => {}
    }
  }

  setTypeParser(oid, format, parseFn) {
    return this._types.setTypeParser(oid, format, parseFn)
  }

  getTypeParser(oid, format) {
    return this._types.getTypeParser(oid, format)
  }

  // escapeIdentifier and escapeLiteral moved to utility functions & exported
  // on PG
  // re-exported here for backwards compatibility
  escapeIdentifier(str) {
    return utils.escapeIdentifier(str)
  }

  escapeLiteral(str) {
    return utils.escapeLiteral(str)
  }

  _pulseQueryQueue() {
    if (this.pipeline) {
      this._pulsePipelinedQueryQueue()
      return
    }
    if (this.readyForQuery === true) {
      this._activeQuery = this._queryQueue.shift()
      const activeQuery = this._getActiveQuery()
      if (activeQuery) {
        this.readyForQuery = false
        this.hasExecuted = true

        const queryError = activeQuery.submit(this.connection)
        if (queryError) {
          process.nextTick(() => {
            activeQuery.handleError(queryError, this.connection)
            this.readyForQuery = true
            this._pulseQueryQueue()
          })
        }
      } else if (this.hasExecuted) {
        this._activeQuery = null
        this.emit('drain')
      }
    }
  }

  _pulsePipelinedQueryQueue() {
    if (!this._connected || !this._queryable) {
      return
    }
    while (this._queryQueue.length > 0) {
      const query = this._queryQueue.shift()
      this.hasExecuted = true
      const queryError = query.submit(this.connection)
      if (queryError) {
        process.nextTick(() => {
          query.handleError(queryError, this.connection)
        })
        continue
      }
      this._sentQueryQueue.push(query)
    }
    if (this.readyForQuery && !this._activeQuery && this._sentQueryQueue.length > 0) {
      this._activeQuery = this._sentQueryQueue.shift()
      this.readyForQuery = false
    }
    if (!this._activeQuery && this._sentQueryQueue.length === 0 && this._queryQueue.length === 0 && this.hasExecuted) {
      this.emit('drain')
    }
  }

  query(config, values, callback) {
    // can take in strings, config object or query object
    let query
    let result

    if (config == null) {
      throw new TypeError('Client was passed a null or undefined query')
    }

    if (typeof config.submit === 'function') {
      result = query = config
      if (!query.callback) {
        if (typeof values === 'function') {
          query.callback = values
        } else if (callback) {
          query.callback = callback
        }
      }
    } else {
      query = new Query(config, values, callback)
      if (!query.callback) {
        result = new this._Promise((resolve, reject) => {
          query.callback = (err, res) => (err ? reject(err) : resolve(res))
        }).catch((err) => {
          // replace the stack trace that leads to `TCP.onStreamRead` with one that leads back to the
          // application that created the query
          Error.captureStackTrace(err)
          throw err
        })
      } else if (typeof query.callback !== 'function') {
        throw new TypeError('callback is not a function')
      }
    }

    const readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    if (readTimeout) {
      const queryCallback = query.callback || (() => {})

      const readTimeoutTimer = setTimeout(() => {
        const error = new Error('Query read timeout')

        process.nextTick(() => {
          query.handleError(error, this.connection)
        })

        queryCallback(error)

        // we already returned an error,
        // just do nothing if query completes
        query.callback = () => {}

        // Remove from queue (only safe if not yet sent)
        const index = this._queryQueue.indexOf(query)
        if (index > -1) {
          this._queryQueue.splice(index, 1)
        } else if (this.pipeline) {
          // Query already sent — the pipeline is blocked until it completes.
          // Destroy the connection to unblock all remaining pipelined queries.
          this.connection.stream.destroy()
          return
        }

        this._pulseQueryQueue()
      }, readTimeout)

      query.callback = (err, res) => {
        clearTimeout(readTimeoutTimer)
        queryCallback(err, res)
      }
    }

    if (this.binary && !query.binary) {
      query.binary = true
    }

    if (query._result && !query._result._types) {
      query._result._types = this._types
    }

    // A query that keeps a portal open across round trips cannot share a pipelined connection: the
    // queries written behind it are answered out of its portal, so rows land on the wrong query and
    // the reads that follow fail with 'portal does not exist'. Refuse it instead of corrupting.
    if (this.pipeline) {
      const portalQuery =
        typeof config.submit === 'function' && !(query instanceof Query)
          ? 'Custom query classes such as pg-cursor and pg-query-stream are'
          : query.rows
          ? 'The `rows` option is'
          : null
      if (portalQuery) {
        process.nextTick(() => {
          query.handleError(new Error(`${portalQuery} not supported in pipeline mode`), this.connection)
        })
        return result
      }
    }

    if (!this._queryable) {
      process.nextTick(() => {
        query.handleError(new Error('Client has encountered a connection error and is not queryable'), this.connection)
      })
      return result
    }

    if (this._ending) {
      process.nextTick(() => {
        query.handleError(new Error('Client was closed and is not queryable'), this.connection)
      })
      return result
    }

    if (this._queryQueue.length > 0 && !this.pipeline) {
      queryQueueLengthDeprecationNotice()
    }
    this._queryQueue.push(query)
    this._pulseQueryQueue()
    return result
  }

  ref() {
    this.connection.ref()
  }

  unref() {
    this.connection.unref()
  }

  getTransactionStatus() {
    return this._txStatus
  }

  end(cb) {
    this._ending = true

    // if we have never connected, then end is a noop, callback immediately
    if (!this.connection._connecting || this._ended) {
      if (cb) {
        cb()
        return
      } else {
        return this._Promise.resolve()
      }
    }

    if (!this._queryable) {
      // socket is dead — force close
      this.connection.stream.destroy()
    } else if (
      this.pipeline &&
      (this._getActiveQuery() || this._sentQueryQueue.length > 0 || this._queryQueue.length > 0)
    ) {
      // pipelined queries are already on the wire (or queued to send) and will
      // complete normally; wait for drain then do a graceful goodbye
      this.once('drain', () => this.connection.end())
    } else if (this._getActiveQuery()) {
      // non-pipeline: a hung query could block end forever — force disconnect
      this.connection.stream.destroy()
    } else {
      this.connection.end()
    }

    if (cb) {
      this.connection.once('end', cb)
    } else {
      return new this._Promise((resolve) => {
        this.connection.once('end', resolve)
      })
    }
  }
  get queryQueue() {
    queryQueueDeprecationNotice()
    return this._queryQueue
  }
}

// expose a Query constructor
Client.Query = Query

module.exports = Client


/***/ }),

/***/ 646:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const dns = __nccwpck_require__(2250)

const defaults = __nccwpck_require__(8995)

const parse = (__nccwpck_require__(6122).parse) // parses a connection string

const val = function (key, config, envVar) {
  if (config[key]) {
    return config[key]
  }

  if (envVar === undefined) {
    envVar = process.env['PG' + key.toUpperCase()]
  } else if (envVar === false) {
    // do nothing ... use false
  } else {
    envVar = process.env[envVar]
  }

  return envVar || defaults[key]
}

const readSSLConfigFromEnvironment = function () {
  switch (process.env.PGSSLMODE) {
    case 'disable':
      return false
    case 'prefer':
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return true
    case 'no-verify':
      return { rejectUnauthorized: false }
  }
  return defaults.ssl
}

// Convert arg to a string, surround in single quotes, and escape single quotes and backslashes
const quoteParamValue = function (value) {
  return "'" + ('' + value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'"
}

const add = function (params, config, paramName) {
  const value = config[paramName]
  if (value !== undefined && value !== null) {
    params.push(paramName + '=' + quoteParamValue(value))
  }
}

class ConnectionParameters {
  constructor(config) {
    // if a string is passed, it is a raw connection string so we parse it into a config
    config = typeof config === 'string' ? parse(config) : config || {}

    // if the config has a connectionString defined, parse IT into the config we use
    // this will override other default values with what is stored in connectionString
    if (config.connectionString) {
      config = Object.assign({}, config, parse(config.connectionString))
    }

    this.user = val('user', config)
    this.database = val('database', config)

    if (this.database === undefined) {
      this.database = this.user
    }

    this.port = parseInt(val('port', config), 10)
    this.host = val('host', config)

    // "hiding" the password so it doesn't show up in stack traces
    // or if the client is console.logged
    Object.defineProperty(this, 'password', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: val('password', config),
    })

    this.binary = val('binary', config)
    this.options = val('options', config)

    this.ssl = typeof config.ssl === 'undefined' ? readSSLConfigFromEnvironment() : config.ssl

    if (typeof this.ssl === 'string') {
      if (this.ssl === 'true') {
        this.ssl = true
      }
    }
    // support passing in ssl=no-verify via connection string
    if (this.ssl === 'no-verify') {
      this.ssl = { rejectUnauthorized: false }
    }
    if (this.ssl && this.ssl.key) {
      Object.defineProperty(this.ssl, 'key', {
        enumerable: false,
      })
    }

    // How to negotiate SSL: 'postgres' (default, the traditional SSLRequest
    // handshake) or 'direct' (start the TLS handshake immediately on connect).
    this.sslnegotiation = val('sslnegotiation', config, 'PGSSLNEGOTIATION')
    if (this.sslnegotiation !== undefined && this.sslnegotiation !== 'postgres' && this.sslnegotiation !== 'direct') {
      throw new Error(
        `Invalid sslnegotiation value: "${this.sslnegotiation}". Valid values are "postgres" and "direct".`
      )
    }
    if (this.sslnegotiation === 'direct' && !this.ssl) {
      throw new Error('sslnegotiation=direct requires SSL to be enabled')
    }

    this.client_encoding = val('client_encoding', config)
    this.replication = val('replication', config)
    // a domain socket begins with '/'
    this.isDomainSocket = !(this.host || '').indexOf('/')

    this.application_name = val('application_name', config, 'PGAPPNAME')
    this.fallback_application_name = val('fallback_application_name', config, false)
    this.statement_timeout = val('statement_timeout', config, false)
    this.lock_timeout = val('lock_timeout', config, false)
    this.idle_in_transaction_session_timeout = val('idle_in_transaction_session_timeout', config, false)
    this.query_timeout = val('query_timeout', config, false)

    if (config.connectionTimeoutMillis === undefined) {
      this.connect_timeout = process.env.PGCONNECT_TIMEOUT || 0
    } else {
      this.connect_timeout = Math.floor(config.connectionTimeoutMillis / 1000)
    }

    if (config.keepAlive === false) {
      this.keepalives = 0
    } else if (config.keepAlive === true) {
      this.keepalives = 1
    }

    if (typeof config.keepAliveInitialDelayMillis === 'number') {
      this.keepalives_idle = Math.floor(config.keepAliveInitialDelayMillis / 1000)
    }
  }

  getLibpqConnectionString(cb) {
    const params = []
    add(params, this, 'user')
    add(params, this, 'password')
    add(params, this, 'port')
    add(params, this, 'application_name')
    add(params, this, 'fallback_application_name')
    add(params, this, 'connect_timeout')
    add(params, this, 'options')

    const ssl = typeof this.ssl === 'object' ? this.ssl : this.ssl ? { sslmode: this.ssl } : {}
    add(params, ssl, 'sslmode')
    add(params, ssl, 'sslca')
    add(params, ssl, 'sslkey')
    add(params, ssl, 'sslcert')
    add(params, ssl, 'sslrootcert')
    add(params, this, 'sslnegotiation')

    if (this.database) {
      params.push('dbname=' + quoteParamValue(this.database))
    }
    if (this.replication) {
      params.push('replication=' + quoteParamValue(this.replication))
    }
    if (this.host) {
      params.push('host=' + quoteParamValue(this.host))
    }
    if (this.isDomainSocket) {
      return cb(null, params.join(' '))
    }
    if (this.client_encoding) {
      params.push('client_encoding=' + quoteParamValue(this.client_encoding))
    }
    dns.lookup(this.host, function (err, address) {
      if (err) return cb(err, null)
      params.push('hostaddr=' + quoteParamValue(address))
      return cb(null, params.join(' '))
    })
  }
}

module.exports = ConnectionParameters


/***/ }),

/***/ 9809:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const EventEmitter = (__nccwpck_require__(4434).EventEmitter)

const { parse, serialize } = __nccwpck_require__(4233)
const stream = __nccwpck_require__(829)
const { getStream } = stream

const flushBuffer = serialize.flush()
const syncBuffer = serialize.sync()
const endBuffer = serialize.end()

// TODO(bmc) support binary mode at some point
class Connection extends EventEmitter {
  constructor(config) {
    super()
    config = config || {}

    this.stream = config.stream || getStream(config.ssl)
    if (typeof this.stream === 'function') {
      this.stream = this.stream(config)
    }

    this._keepAlive = config.keepAlive
    this._keepAliveInitialDelayMillis = config.keepAliveInitialDelayMillis
    this.parsedStatements = {}
    this.submittedNamedStatements = {}
    this.ssl = config.ssl || false
    this.sslNegotiation = config.sslNegotiation || 'postgres'
    this._ending = false
    this._emitMessage = false
    const self = this
    this.on('newListener', function (eventName) {
      if (eventName === 'message') {
        self._emitMessage = true
      }
    })
  }

  connect(port, host) {
    const self = this

    this._connecting = true
    this.stream.setNoDelay(true)
    this.stream.connect(port, host)

    this.stream.once('connect', function () {
      if (self._keepAlive) {
        self.stream.setKeepAlive(true, self._keepAliveInitialDelayMillis)
      }
      self.emit('connect')
    })

    const reportStreamError = function (error) {
      // errors about disconnections should be ignored during disconnect
      if (self._ending && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        return
      }
      self.emit('error', error)
    }
    this.stream.on('error', reportStreamError)

    this.stream.on('close', function () {
      self.emit('end')
    })

    if (!this.ssl) {
      return this.attachListeners(this.stream)
    }

    // With direct SSL negotiation the TLS handshake starts immediately on the
    // raw socket, skipping the SSLRequest packet and the server's 'S'/'N' reply.
    if (this.sslNegotiation === 'direct') {
      return this.stream.once('connect', function () {
        self.upgradeToSSL(host, reportStreamError)
      })
    }

    this.stream.once('data', function (buffer) {
      const responseCode = buffer.toString('utf8')
      switch (responseCode) {
        case 'S': // Server supports SSL connections, continue with a secure connection
          break
        case 'N': // Server does not support SSL connections
          self.stream.end()
          return self.emit('error', new Error('The server does not support SSL connections'))
        default:
          // Any other response byte, including 'E' (ErrorResponse) indicating a server error
          self.stream.end()
          return self.emit('error', new Error('There was an error establishing an SSL connection'))
      }
      self.upgradeToSSL(host, reportStreamError)
    })
  }

  upgradeToSSL(host, reportStreamError) {
    const self = this
    const options = {
      socket: self.stream,
      // tls.connect checks the server identity against `servername`, falling
      // back to `host` and then to 'localhost'. `servername` must stay unset
      // for IP addresses (see below), so `host` is needed to keep certificate
      // validation working when connecting to an IP address.
      host,
    }

    if (self.ssl !== true) {
      Object.assign(options, self.ssl)

      if ('key' in self.ssl) {
        options.key = self.ssl.key
      }
    }

    // Direct SSL negotiation requires ALPN so the server can confirm it is
    // speaking the PostgreSQL protocol over the TLS connection.
    if (self.sslNegotiation === 'direct') {
      options.ALPNProtocols = ['postgresql']
    }

    // SNI must not be set to an IP address (RFC 6066 section 3)
    const net = __nccwpck_require__(9278)
    if (net.isIP && net.isIP(host) === 0) {
      options.servername = host
    }
    try {
      self.stream = stream.getSecureStream(options)
    } catch (err) {
      return self.emit('error', err)
    }
    self.attachListeners(self.stream)
    self.stream.on('error', reportStreamError)

    self.emit('sslconnect')
  }

  attachListeners(stream) {
    parse(stream, (msg) => {
      const eventName = msg.name === 'error' ? 'errorMessage' : msg.name
      if (this._emitMessage) {
        this.emit('message', msg)
      }
      this.emit(eventName, msg)
    })
  }

  requestSsl() {
    this.stream.write(serialize.requestSsl())
  }

  startup(config) {
    this.stream.write(serialize.startup(config))
  }

  cancel(processID, secretKey) {
    this._send(serialize.cancel(processID, secretKey))
  }

  password(password) {
    this._send(serialize.password(password))
  }

  sendSASLInitialResponseMessage(mechanism, initialResponse) {
    this._send(serialize.sendSASLInitialResponseMessage(mechanism, initialResponse))
  }

  sendSCRAMClientFinalMessage(additionalData) {
    this._send(serialize.sendSCRAMClientFinalMessage(additionalData))
  }

  _send(buffer) {
    if (!this.stream.writable) {
      return false
    }
    return this.stream.write(buffer)
  }

  query(text) {
    this._send(serialize.query(text))
  }

  // send parse message
  parse(query) {
    this._send(serialize.parse(query))
  }

  // send bind message
  bind(config) {
    this._send(serialize.bind(config))
  }

  // send execute message
  execute(config) {
    this._send(serialize.execute(config))
  }

  flush() {
    if (this.stream.writable) {
      this.stream.write(flushBuffer)
    }
  }

  sync() {
    // Sync is the extended-query protocol barrier, not a disconnect.
    // Only end()/Terminate (and connect-timeout teardown) should set _ending.
    this._send(syncBuffer)
  }

  ref() {
    this.stream.ref()
  }

  unref() {
    this.stream.unref()
  }

  end() {
    // 0x58 = 'X'
    this._ending = true
    if (!this._connecting || !this.stream.writable) {
      this.stream.end()
      return
    }
    return this.stream.write(endBuffer, () => {
      this.stream.end()
    })
  }

  close(msg) {
    this._send(serialize.close(msg))
  }

  describe(msg) {
    this._send(serialize.describe(msg))
  }

  sendCopyFromChunk(chunk) {
    this._send(serialize.copyData(chunk))
  }

  endCopyFrom() {
    this._send(serialize.copyDone())
  }

  sendCopyFail(msg) {
    this._send(serialize.copyFail(msg))
  }
}

module.exports = Connection


/***/ }),

/***/ 9765:
/***/ ((module) => {

function x509Error(msg, cert) {
  return new Error('SASL channel binding: ' + msg + ' when parsing public certificate ' + cert.toString('base64'))
}

function readASN1Length(data, index) {
  let length = data[index++]
  if (length < 0x80) return { length, index }

  const lengthBytes = length & 0x7f
  if (lengthBytes > 4) throw x509Error('bad length', data)

  length = 0
  for (let i = 0; i < lengthBytes; i++) {
    length = (length << 8) | data[index++]
  }

  return { length, index }
}

function readASN1OID(data, index) {
  if (data[index++] !== 0x6) throw x509Error('non-OID data', data) // 6 = OID

  const { length: OIDLength, index: indexAfterOIDLength } = readASN1Length(data, index)
  index = indexAfterOIDLength
  const lastIndex = index + OIDLength

  const byte1 = data[index++]
  let oid = ((byte1 / 40) >> 0) + '.' + (byte1 % 40)

  while (index < lastIndex) {
    // loop over numbers in OID
    let value = 0
    while (index < lastIndex) {
      // loop over bytes in number
      const nextByte = data[index++]
      value = (value << 7) | (nextByte & 0x7f)
      if (nextByte < 0x80) break
    }
    oid += '.' + value
  }

  return { oid, index }
}

function expectASN1Seq(data, index) {
  if (data[index++] !== 0x30) throw x509Error('non-sequence data', data) // 30 = Sequence
  return readASN1Length(data, index)
}

function signatureAlgorithmHashFromCertificate(data, index) {
  // read this thread: https://www.postgresql.org/message-id/17760-b6c61e752ec07060%40postgresql.org
  if (index === undefined) index = 0
  index = expectASN1Seq(data, index).index
  const { length: certInfoLength, index: indexAfterCertInfoLength } = expectASN1Seq(data, index)
  index = indexAfterCertInfoLength + certInfoLength // skip over certificate info
  index = expectASN1Seq(data, index).index // skip over signature length field
  const { oid, index: indexAfterOID } = readASN1OID(data, index)
  switch (oid) {
    // RSA
    case '1.2.840.113549.1.1.4':
      return 'MD5'
    case '1.2.840.113549.1.1.5':
      return 'SHA-1'
    case '1.2.840.113549.1.1.11':
      return 'SHA-256'
    case '1.2.840.113549.1.1.12':
      return 'SHA-384'
    case '1.2.840.113549.1.1.13':
      return 'SHA-512'
    case '1.2.840.113549.1.1.14':
      return 'SHA-224'
    case '1.2.840.113549.1.1.15':
      return 'SHA512-224'
    case '1.2.840.113549.1.1.16':
      return 'SHA512-256'
    // ECDSA
    case '1.2.840.10045.4.1':
      return 'SHA-1'
    case '1.2.840.10045.4.3.1':
      return 'SHA-224'
    case '1.2.840.10045.4.3.2':
      return 'SHA-256'
    case '1.2.840.10045.4.3.3':
      return 'SHA-384'
    case '1.2.840.10045.4.3.4':
      return 'SHA-512'
    // RSASSA-PSS: hash is indicated separately
    case '1.2.840.113549.1.1.10': {
      index = indexAfterOID
      index = expectASN1Seq(data, index).index
      if (data[index++] !== 0xa0) throw x509Error('non-tag data', data) // a0 = constructed tag 0
      index = readASN1Length(data, index).index // skip over tag length field
      index = expectASN1Seq(data, index).index // skip over sequence length field
      const { oid: hashOID } = readASN1OID(data, index)
      switch (hashOID) {
        // standalone hash OIDs
        case '1.2.840.113549.2.5':
          return 'MD5'
        case '1.3.14.3.2.26':
          return 'SHA-1'
        case '2.16.840.1.101.3.4.2.1':
          return 'SHA-256'
        case '2.16.840.1.101.3.4.2.2':
          return 'SHA-384'
        case '2.16.840.1.101.3.4.2.3':
          return 'SHA-512'
      }
      throw x509Error('unknown hash OID ' + hashOID, data)
    }
    // Ed25519 -- see https://github.com/openssl/openssl/issues/15477
    case '1.3.101.110':
    case '1.3.101.112': // ph
      return 'SHA-512'
    // Ed448 -- still not in pg 17.2 (if supported, digest would be SHAKE256 x 64 bytes)
    case '1.3.101.111':
    case '1.3.101.113': // ph
      throw x509Error('Ed448 certificate channel binding is not currently supported by Postgres')
  }
  throw x509Error('unknown OID ' + oid, data)
}

module.exports = { signatureAlgorithmHashFromCertificate }


/***/ }),

/***/ 948:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const crypto = __nccwpck_require__(4150)
const { signatureAlgorithmHashFromCertificate } = __nccwpck_require__(9765)

// SASLprep (RFC 4013) — minimal in-tree implementation.
//
// Per RFC 5802 §2.2, the SCRAM-SHA-256 client must normalize the password via
// SASLprep before feeding it into PBKDF2. PostgreSQL's server applies the same
// SASLprep when computing the stored verifier, and libpq does the same client
// side, so passwords whose NFKC form differs from the raw form
// would otherwise authenticate against psql/libpq but fail against pg with `28P01`.
//
// We deliberately implement only the three steps that change the byte content:
//   1. RFC 3454 Table C.1.2 (non-ASCII space) → U+0020 SPACE.
//   2. RFC 3454 Table B.1 (commonly mapped to nothing) → empty.
//   3. NFKC normalization.
// We skip the prohibition (RFC 4013 §2.3) and bidi (RFC 3454 §6) checks.
// libpq is forgiving on those paths and Postgres's own SASLprep matches that
// leniency for legacy roles, so omitting the rejection logic keeps existing
// roles working without adding complexity.
function saslprep(password) {
  // RFC 3454 Table C.1.2 — non-ASCII space characters, mapped to U+0020.
  const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g
  // RFC 3454 Table B.1 — "commonly mapped to nothing". The set intentionally
  // contains zero-width joiners and variation selectors — the very characters
  // ESLint's no-misleading-character-class warns about — because they combine
  // with their neighbors and the RFC strips them for that reason.
  // eslint-disable-next-line no-misleading-character-class
  const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g
  return password.replace(nonAsciiSpace, ' ').replace(mappedToNothing, '').normalize('NFKC')
}

const DEFAULT_MAX_SCRAM_ITERATIONS = 100000

function startSession(mechanisms, stream, scramMaxIterations = DEFAULT_MAX_SCRAM_ITERATIONS) {
  const candidates = ['SCRAM-SHA-256']
  if (stream) candidates.unshift('SCRAM-SHA-256-PLUS') // higher-priority, so placed first

  const mechanism = candidates.find((candidate) => mechanisms.includes(candidate))

  if (!mechanism) {
    throw new Error('SASL: Only mechanism(s) ' + candidates.join(' and ') + ' are supported')
  }

  if (mechanism === 'SCRAM-SHA-256-PLUS' && typeof stream.getPeerCertificate !== 'function') {
    // this should never happen if we are really talking to a Postgres server
    throw new Error('SASL: Mechanism SCRAM-SHA-256-PLUS requires a certificate')
  }

  const clientNonce = crypto.randomBytes(18).toString('base64')
  const gs2Header = mechanism === 'SCRAM-SHA-256-PLUS' ? 'p=tls-server-end-point' : stream ? 'y' : 'n'

  return {
    mechanism,
    clientNonce,
    response: gs2Header + ',,n=*,r=' + clientNonce,
    message: 'SASLInitialResponse',
    scramMaxIterations,
  }
}

async function continueSession(session, password, serverData, stream) {
  if (session.message !== 'SASLInitialResponse') {
    throw new Error('SASL: Last message was not SASLInitialResponse')
  }
  if (typeof password !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')
  }
  if (password === '') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string')
  }
  if (typeof serverData !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: serverData must be a string')
  }

  const sv = parseServerFirstMessage(serverData)

  if (!sv.nonce.startsWith(session.clientNonce)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce does not start with client nonce')
  } else if (sv.nonce.length === session.clientNonce.length) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce is too short')
  }

  const scramMaxIterations =
    typeof session.scramMaxIterations === 'number' ? session.scramMaxIterations : DEFAULT_MAX_SCRAM_ITERATIONS
  // a value of 0 disables the iteration count check
  if (scramMaxIterations !== 0 && sv.iteration > scramMaxIterations) {
    throw new Error(
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration count ' +
        sv.iteration +
        ' exceeds scramMaxIterations of ' +
        scramMaxIterations
    )
  }

  const clientFirstMessageBare = 'n=*,r=' + session.clientNonce
  const serverFirstMessage = 'r=' + sv.nonce + ',s=' + sv.salt + ',i=' + sv.iteration

  // without channel binding:
  let channelBinding = stream ? 'eSws' : 'biws' // 'y,,' or 'n,,', base64-encoded

  // override if channel binding is in use:
  if (session.mechanism === 'SCRAM-SHA-256-PLUS') {
    const peerCert = stream.getPeerCertificate().raw
    let hashName = signatureAlgorithmHashFromCertificate(peerCert)
    if (hashName === 'MD5' || hashName === 'SHA-1') hashName = 'SHA-256'
    const certHash = await crypto.hashByName(hashName, peerCert)
    const bindingData = Buffer.concat([Buffer.from('p=tls-server-end-point,,'), Buffer.from(certHash)])
    channelBinding = bindingData.toString('base64')
  }

  const clientFinalMessageWithoutProof = 'c=' + channelBinding + ',r=' + sv.nonce
  const authMessage = clientFirstMessageBare + ',' + serverFirstMessage + ',' + clientFinalMessageWithoutProof

  const saltBytes = Buffer.from(sv.salt, 'base64')
  const saltedPassword = await crypto.deriveKey(saslprep(password), saltBytes, sv.iteration)
  const clientKey = await crypto.hmacSha256(saltedPassword, 'Client Key')
  const storedKey = await crypto.sha256(clientKey)
  const clientSignature = await crypto.hmacSha256(storedKey, authMessage)
  const clientProof = xorBuffers(Buffer.from(clientKey), Buffer.from(clientSignature)).toString('base64')
  const serverKey = await crypto.hmacSha256(saltedPassword, 'Server Key')
  const serverSignatureBytes = await crypto.hmacSha256(serverKey, authMessage)

  session.message = 'SASLResponse'
  session.serverSignature = Buffer.from(serverSignatureBytes).toString('base64')
  session.response = clientFinalMessageWithoutProof + ',p=' + clientProof
}

function finalizeSession(session, serverData) {
  if (session.message !== 'SASLResponse') {
    throw new Error('SASL: Last message was not SASLResponse')
  }
  if (typeof serverData !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: serverData must be a string')
  }

  const { serverSignature } = parseServerFinalMessage(serverData)

  if (serverSignature !== session.serverSignature) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature does not match')
  }
}

/**
 * printable       = %x21-2B / %x2D-7E
 *                   ;; Printable ASCII except ",".
 *                   ;; Note that any "printable" is also
 *                   ;; a valid "value".
 */
function isPrintableChars(text) {
  if (typeof text !== 'string') {
    throw new TypeError('SASL: text must be a string')
  }
  return text
    .split('')
    .map((_, i) => text.charCodeAt(i))
    .every((c) => (c >= 0x21 && c <= 0x2b) || (c >= 0x2d && c <= 0x7e))
}

/**
 * base64-char     = ALPHA / DIGIT / "/" / "+"
 *
 * base64-4        = 4base64-char
 *
 * base64-3        = 3base64-char "="
 *
 * base64-2        = 2base64-char "=="
 *
 * base64          = *base64-4 [base64-3 / base64-2]
 */
function isBase64(text) {
  return /^(?:[a-zA-Z0-9+/]{4})*(?:[a-zA-Z0-9+/]{2}==|[a-zA-Z0-9+/]{3}=)?$/.test(text)
}

function parseAttributePairs(text) {
  if (typeof text !== 'string') {
    throw new TypeError('SASL: attribute pairs text must be a string')
  }

  return new Map(
    text.split(',').map((attrValue) => {
      if (!/^.=/.test(attrValue)) {
        throw new Error('SASL: Invalid attribute pair entry')
      }
      const name = attrValue[0]
      const value = attrValue.substring(2)
      return [name, value]
    })
  )
}

function parseServerFirstMessage(data) {
  const attrPairs = parseAttributePairs(data)

  const nonce = attrPairs.get('r')
  if (!nonce) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce missing')
  } else if (!isPrintableChars(nonce)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce must only contain printable characters')
  }
  const salt = attrPairs.get('s')
  if (!salt) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt missing')
  } else if (!isBase64(salt)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt must be base64')
  }
  const iterationText = attrPairs.get('i')
  if (!iterationText) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration missing')
  } else if (!/^[1-9][0-9]*$/.test(iterationText)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: invalid iteration count')
  }
  const iteration = parseInt(iterationText, 10)

  return {
    nonce,
    salt,
    iteration,
  }
}

function parseServerFinalMessage(serverData) {
  const attrPairs = parseAttributePairs(serverData)
  const error = attrPairs.get('e')
  const serverSignature = attrPairs.get('v')

  if (error) {
    throw new Error(`SASL: SCRAM-SERVER-FINAL-MESSAGE: server returned error: "${error}"`)
  }

  if (!serverSignature) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature is missing')
  } else if (!isBase64(serverSignature)) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature must be base64')
  }
  return {
    serverSignature,
  }
}

function xorBuffers(a, b) {
  if (!Buffer.isBuffer(a)) {
    throw new TypeError('first argument must be a Buffer')
  }
  if (!Buffer.isBuffer(b)) {
    throw new TypeError('second argument must be a Buffer')
  }
  if (a.length !== b.length) {
    throw new Error('Buffer lengths must match')
  }
  if (a.length === 0) {
    throw new Error('Buffers cannot be empty')
  }
  return Buffer.from(a.map((_, i) => a[i] ^ b[i]))
}

module.exports = {
  startSession,
  continueSession,
  finalizeSession,
  DEFAULT_MAX_SCRAM_ITERATIONS,
}


/***/ }),

/***/ 4150:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const nodeCrypto = __nccwpck_require__(6982)

module.exports = {
  postgresMd5PasswordHash,
  randomBytes,
  deriveKey,
  sha256,
  hashByName,
  hmacSha256,
  md5,
}

/**
 * The Web Crypto API - grabbed from the Node.js library or the global
 * @type Crypto
 */
// eslint-disable-next-line no-undef
const webCrypto = nodeCrypto.webcrypto || globalThis.crypto
/**
 * The SubtleCrypto API for low level crypto operations.
 * @type SubtleCrypto
 */
const subtleCrypto = webCrypto.subtle
const textEncoder = new TextEncoder()

/**
 *
 * @param {*} length
 * @returns
 */
function randomBytes(length) {
  return webCrypto.getRandomValues(Buffer.alloc(length))
}

async function md5(string) {
  try {
    return nodeCrypto.createHash('md5').update(string, 'utf-8').digest('hex')
  } catch (e) {
    // `createHash()` failed so we are probably not in Node.js, use the WebCrypto API instead.
    // Note that the MD5 algorithm on WebCrypto is not available in Node.js.
    // This is why we cannot just use WebCrypto in all environments.
    const data = typeof string === 'string' ? textEncoder.encode(string) : string
    const hash = await subtleCrypto.digest('MD5', data)
    return Array.from(new Uint8Array(hash))
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
  }
}

// See AuthenticationMD5Password at https://www.postgresql.org/docs/current/static/protocol-flow.html
async function postgresMd5PasswordHash(user, password, salt) {
  const inner = await md5(password + user)
  const outer = await md5(Buffer.concat([Buffer.from(inner), salt]))
  return 'md5' + outer
}

/**
 * Create a SHA-256 digest of the given data
 * @param {Buffer} data
 */
async function sha256(text) {
  return await subtleCrypto.digest('SHA-256', text)
}

async function hashByName(hashName, text) {
  return await subtleCrypto.digest(hashName, text)
}

/**
 * Sign the message with the given key
 * @param {ArrayBuffer} keyBuffer
 * @param {string} msg
 */
async function hmacSha256(keyBuffer, msg) {
  const key = await subtleCrypto.importKey('raw', keyBuffer, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return await subtleCrypto.sign('HMAC', key, textEncoder.encode(msg))
}

/**
 * Derive a key from the password and salt
 * @param {string} password
 * @param {Uint8Array} salt
 * @param {number} iterations
 */
async function deriveKey(password, salt, iterations) {
  const key = await subtleCrypto.importKey('raw', textEncoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations }
  return await subtleCrypto.deriveBits(params, key, 32 * 8, ['deriveBits'])
}


/***/ }),

/***/ 8995:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



let user
try {
  user = process.platform === 'win32' ? process.env.USERNAME : process.env.USER
} catch {
  // ignore, e.g., Deno without --allow-env
}

module.exports = {
  // database host. defaults to localhost
  host: 'localhost',

  // database user's name
  user,

  // name of database to connect
  database: undefined,

  // database user's password
  password: null,

  // a Postgres connection string to be used instead of setting individual connection items
  // NOTE:  Setting this value will cause it to override any other value (such as database or user) defined
  // in the defaults object.
  connectionString: undefined,

  // database port
  port: 5432,

  // number of rows to return at a time from a prepared statement's
  // portal. 0 will return all rows at once
  rows: 0,

  // binary result mode
  binary: false,

  // Connection pool options - see https://github.com/brianc/node-pg-pool

  // number of connections to use in connection pool
  // 0 will disable connection pooling
  max: 10,

  // max milliseconds a client can go unused before it is removed
  // from the pool and destroyed
  idleTimeoutMillis: 30000,

  client_encoding: '',

  ssl: false,

  // SSL negotiation style: 'postgres' (traditional SSLRequest) or 'direct'
  sslnegotiation: undefined,

  application_name: undefined,

  fallback_application_name: undefined,

  options: undefined,

  parseInputDatesAsUTC: false,

  // max milliseconds any query using this connection will execute for before timing out in error.
  // false=unlimited
  statement_timeout: false,

  // Abort any statement that waits longer than the specified duration in milliseconds while attempting to acquire a lock.
  // false=unlimited
  lock_timeout: false,

  // Terminate any session with an open transaction that has been idle for longer than the specified duration in milliseconds
  // false=unlimited
  idle_in_transaction_session_timeout: false,

  // max milliseconds to wait for query to complete (client side)
  query_timeout: false,

  connect_timeout: 0,

  keepalives: 1,

  keepalives_idle: 0,
}

const pgTypes = __nccwpck_require__(1549)
// save default parsers
const parseBigInteger = pgTypes.getTypeParser(20, 'text')
const parseBigIntegerArray = pgTypes.getTypeParser(1016, 'text')

// parse int8 so you can get your count values as actual numbers
module.exports.__defineSetter__('parseInt8', function (val) {
  pgTypes.setTypeParser(20, 'text', val ? pgTypes.getTypeParser(23, 'text') : parseBigInteger)
  pgTypes.setTypeParser(1016, 'text', val ? pgTypes.getTypeParser(1007, 'text') : parseBigIntegerArray)
})


/***/ }),

/***/ 3273:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Client = __nccwpck_require__(5042)
const defaults = __nccwpck_require__(8995)
const Connection = __nccwpck_require__(9809)
const Result = __nccwpck_require__(6424)
const utils = __nccwpck_require__(9652)
const Pool = __nccwpck_require__(7558)
const TypeOverrides = __nccwpck_require__(365)
const { DatabaseError } = __nccwpck_require__(4233)
const { escapeIdentifier, escapeLiteral } = __nccwpck_require__(9652)

const poolFactory = (Client) => {
  return class BoundPool extends Pool {
    constructor(options) {
      super(options, Client)
    }
  }
}

const PG = function (clientConstructor) {
  this.defaults = defaults
  this.Client = clientConstructor
  this.Query = this.Client.Query
  this.Pool = poolFactory(this.Client)
  this._pools = []
  this.Connection = Connection
  this.types = __nccwpck_require__(1549)
  this.DatabaseError = DatabaseError
  this.TypeOverrides = TypeOverrides
  this.escapeIdentifier = escapeIdentifier
  this.escapeLiteral = escapeLiteral
  this.Result = Result
  this.utils = utils
}

let clientConstructor = Client

let forceNative = false
try {
  forceNative = !!process.env.NODE_PG_FORCE_NATIVE
} catch {
  // ignore, e.g., Deno without --allow-env
}

if (forceNative) {
  clientConstructor = __nccwpck_require__(5301)
}

module.exports = new PG(clientConstructor)

// lazy require native module...the native module may not have installed
Object.defineProperty(module.exports, "native", ({
  configurable: true,
  enumerable: false,
  get() {
    let native = null
    try {
      native = new PG(__nccwpck_require__(5301))
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') {
        throw err
      }
    }

    // overwrite module.exports.native so that getter is never called again
    Object.defineProperty(module.exports, "native", ({
      value: native,
    }))

    return native
  },
}))


/***/ }),

/***/ 8942:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const nodeUtils = __nccwpck_require__(9023)
// eslint-disable-next-line
var Native
// eslint-disable-next-line no-useless-catch
try {
  // Wrap this `require()` in a try-catch to avoid upstream bundlers from complaining that this might not be available since it is an optional import
  Native = __nccwpck_require__(4390)
} catch (e) {
  throw e
}
const TypeOverrides = __nccwpck_require__(365)
const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const util = __nccwpck_require__(9023)
const ConnectionParameters = __nccwpck_require__(646)

const NativeQuery = __nccwpck_require__(7581)

const queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead.'
)

const Client = (module.exports = function (config) {
  EventEmitter.call(this)
  config = config || {}

  this._Promise = config.Promise || global.Promise
  this._types = new TypeOverrides(config.types)

  this.native = new Native({
    types: this._types,
  })

  this._queryQueue = []
  this._ending = false
  this._connecting = false
  this._connected = false
  this._queryable = true
  this.pipeline = Boolean(config.pipeline)
  this._pipelineInFlight = false

  // keep these on the object for legacy reasons
  // for the time being. TODO: deprecate all this jazz
  const cp = (this.connectionParameters = new ConnectionParameters(config))
  if (config.nativeConnectionString) cp.nativeConnectionString = config.nativeConnectionString
  this.user = cp.user

  // "hiding" the password so it doesn't show up in stack traces
  // or if the client is console.logged
  Object.defineProperty(this, 'password', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: cp.password,
  })
  this.database = cp.database
  this.host = cp.host
  this.port = cp.port

  // a hash to hold named queries
  this.namedQueries = {}
})

Client.Query = NativeQuery

util.inherits(Client, EventEmitter)

Client.prototype._errorAllQueries = function (err) {
  const enqueueError = (query) => {
    process.nextTick(() => {
      query.native = this.native
      query.handleError(err)
    })
  }

  if (this._hasActiveQuery()) {
    enqueueError(this._activeQuery)
    this._activeQuery = null
  }

  this._queryQueue.forEach(enqueueError)
  this._queryQueue.length = 0
}

// connect to the backend
// pass an optional callback to be called once connected
// or with an error if there was a connection error
Client.prototype._connect = function (cb) {
  const self = this

  if (this._connecting) {
    process.nextTick(() => cb(new Error('Client has already been connected. You cannot reuse a client.')))
    return
  }

  this._connecting = true

  this.connectionParameters.getLibpqConnectionString(function (err, conString) {
    if (self.connectionParameters.nativeConnectionString) conString = self.connectionParameters.nativeConnectionString
    if (err) return cb(err)
    self.native.connect(conString, function (err) {
      if (err) {
        self.native.end()
        return cb(err)
      }

      // set internal states to connected
      self._connected = true

      // handle connection errors from the native layer
      self.native.on('error', function (err) {
        self._queryable = false
        self._errorAllQueries(err)
        self.emit('error', err)
      })

      self.native.on('notification', function (msg) {
        self.emit('notification', {
          channel: msg.relname,
          payload: msg.extra,
        })
      })

      // signal we are connected now
      self.emit('connect')
      self._pulseQueryQueue(true)

      cb(null, this)
    })
  })
}

Client.prototype.connect = function (callback) {
  if (callback) {
    this._connect(callback)
    return
  }

  return new this._Promise((resolve, reject) => {
    this._connect((error) => {
      if (error) {
        reject(error)
      } else {
        resolve(this)
      }
    })
  })
}

// send a query to the server
// this method is highly overloaded to take
// 1) string query, optional array of parameters, optional function callback
// 2) object query with {
//    string query
//    optional array values,
//    optional function callback instead of as a separate parameter
//    optional string name to name & cache the query plan
//    optional string rowMode = 'array' for an array of results
//  }
Client.prototype.query = function (config, values, callback) {
  let query
  let result
  let readTimeout
  let readTimeoutTimer
  let queryCallback

  if (config === null || config === undefined) {
    throw new TypeError('Client was passed a null or undefined query')
  } else if (typeof config.submit === 'function') {
    readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    result = query = config
    // accept query(new Query(...), (err, res) => { }) style
    if (typeof values === 'function') {
      config.callback = values
    }
  } else {
    readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    query = new NativeQuery(config, values, callback)
    if (!query.callback) {
      let resolveOut, rejectOut
      result = new this._Promise((resolve, reject) => {
        resolveOut = resolve
        rejectOut = reject
      }).catch((err) => {
        Error.captureStackTrace(err)
        throw err
      })
      query.callback = (err, res) => (err ? rejectOut(err) : resolveOut(res))
    }
  }

  if (readTimeout) {
    queryCallback = query.callback || (() => {})

    readTimeoutTimer = setTimeout(() => {
      const error = new Error('Query read timeout')

      process.nextTick(() => {
        query.handleError(error, this.connection)
      })

      queryCallback(error)

      // we already returned an error,
      // just do nothing if query completes
      query.callback = () => {}

      // Remove from queue
      const index = this._queryQueue.indexOf(query)
      if (index > -1) {
        this._queryQueue.splice(index, 1)
      }

      this._pulseQueryQueue()
    }, readTimeout)

    query.callback = (err, res) => {
      clearTimeout(readTimeoutTimer)
      queryCallback(err, res)
    }
  }

  if (!this._queryable) {
    query.native = this.native
    process.nextTick(() => {
      query.handleError(new Error('Client has encountered a connection error and is not queryable'))
    })
    return result
  }

  if (this._ending) {
    query.native = this.native
    process.nextTick(() => {
      query.handleError(new Error('Client was closed and is not queryable'))
    })
    return result
  }

  if (this._queryQueue.length > 0 && !this.pipeline) {
    queryQueueLengthDeprecationNotice()
  }

  this._queryQueue.push(query)
  this._pulseQueryQueue()
  return result
}

// disconnect from the backend server
Client.prototype.end = function (cb) {
  const self = this

  this._ending = true

  if (this._connecting && !this._connected) {
    this.once('connect', () => {
      this.end(() => {})
    })
  }
  let result
  if (!cb) {
    result = new this._Promise(function (resolve, reject) {
      cb = (err) => (err ? reject(err) : resolve())
    })
  }

  const doEnd = function () {
    self.native.end(function () {
      self._connected = false

      self._errorAllQueries(new Error('Connection terminated'))

      process.nextTick(() => {
        self.emit('end')
        if (cb) cb()
      })
    })
  }

  // If pipeline has in-flight or queued queries, wait for them to drain before closing
  if (this.pipeline && (this._pipelineInFlight || this._queryQueue.length > 0)) {
    this.once('drain', doEnd)
  } else {
    doEnd()
  }
  return result
}

Client.prototype._hasActiveQuery = function () {
  return this._activeQuery && this._activeQuery.state !== 'error' && this._activeQuery.state !== 'end'
}

Client.prototype._pulseQueryQueue = function (initialConnection) {
  if (!this._connected) {
    return
  }
  if (this.pipeline && !initialConnection) {
    return this._pulsePipelinedQueryQueue()
  }
  if (this._hasActiveQuery()) {
    return
  }
  const query = this._queryQueue.shift()
  if (!query) {
    if (!initialConnection) {
      this.emit('drain')
    }
    return
  }
  this._activeQuery = query
  query.submit(this)
  const self = this
  query.once('_done', function () {
    self._pulseQueryQueue()
  })
}

Client.prototype._pulsePipelinedQueryQueue = function () {
  if (!this._connected || this._pipelineInFlight) {
    return
  }
  if (this._queryQueue.length === 0) {
    if (this.hasExecuted) {
      this.emit('drain')
    }
    return
  }

  this._pipelineInFlight = true
  const self = this
  const queries = []
  const nativeQueries = []
  const utils = __nccwpck_require__(9652)

  while (this._queryQueue.length > 0) {
    const query = this._queryQueue.shift()
    this.hasExecuted = true
    nativeQueries.push(query)

    const values = query.values ? query.values.map(utils.prepareValue) : null
    const pipelineEntry = { text: query.text, name: query.name, arrayMode: query._arrayMode }
    if (values) {
      pipelineEntry.values = values
    }
    if (query.name && this.namedQueries[query.name]) {
      pipelineEntry._alreadyPrepared = true
    }
    queries.push(pipelineEntry)
  }

  this.native.pipeline(queries, function (err, results) {
    self._pipelineInFlight = false

    if (err) {
      // Total pipeline failure. Per-query errors arrive on results[i].err, so reaching here means
      // the connection itself is gone: mark it unusable and say so, the way the JS client and the
      // non-pipelined native path both do. Without this the client looks healthy after losing its
      // backend, a Pool never discards it, and everything routed to it fails one query at a time
      // for the life of the process.
      self._connected = false
      self._queryable = false
      for (let i = 0; i < nativeQueries.length; i++) {
        const q = nativeQueries[i]
        q.native = self.native
        q.handleError(err)
      }
      self._errorAllQueries(err)
      self.emit('error', err)
      self.emit('end')
      return
    }

    // Deliver results to each query
    for (let i = 0; i < nativeQueries.length; i++) {
      const q = nativeQueries[i]
      const r = results[i]
      q.native = self.native

      if (r.err) {
        q.handleError(r.err)
      } else {
        // Track named queries on success
        if (q.name) {
          self.namedQueries[q.name] = q.text
        }
        q.state = 'end'
        q.emit('end', r.result)
        if (q.callback) {
          q.callback(null, r.result)
        }
      }

      setImmediate(function () {
        q.emit('_done')
      })
    }

    // Process any queries that arrived while we were reading
    self._pulsePipelinedQueryQueue()
  })
}

// attempt to cancel an in-progress query
Client.prototype.cancel = function (query) {
  if (this._activeQuery === query) {
    this.native.cancel(function () {})
  } else if (this._queryQueue.indexOf(query) !== -1) {
    this._queryQueue.splice(this._queryQueue.indexOf(query), 1)
  }
}

Client.prototype.ref = function () {}
Client.prototype.unref = function () {}

Client.prototype.setTypeParser = function (oid, format, parseFn) {
  return this._types.setTypeParser(oid, format, parseFn)
}

Client.prototype.getTypeParser = function (oid, format) {
  return this._types.getTypeParser(oid, format)
}

Client.prototype.isConnected = function () {
  return this._connected
}

Client.prototype.getTransactionStatus = function () {
  return this.native.getTransactionStatus()
}


/***/ }),

/***/ 5301:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = __nccwpck_require__(8942)


/***/ }),

/***/ 7581:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const util = __nccwpck_require__(9023)
const utils = __nccwpck_require__(9652)

const NativeQuery = (module.exports = function (config, values, callback) {
  EventEmitter.call(this)
  config = utils.normalizeQueryConfig(config, values, callback)
  this.text = config.text
  this.values = config.values
  this.name = config.name
  this.queryMode = config.queryMode
  this.callback = config.callback
  this.state = 'new'
  this._arrayMode = config.rowMode === 'array'

  // if the 'row' event is listened for
  // then emit them as they come in
  // without setting singleRowMode to true
  // this has almost no meaning because libpq
  // reads all rows into memory before returning any
  this._emitRowEvents = false
  this.on(
    'newListener',
    function (event) {
      if (event === 'row') this._emitRowEvents = true
    }.bind(this)
  )
})

util.inherits(NativeQuery, EventEmitter)

const errorFieldMap = {
  sqlState: 'code',
  statementPosition: 'position',
  messagePrimary: 'message',
  messageDetail: 'detail',
  messageHint: 'hint',
  context: 'where',
  schemaName: 'schema',
  tableName: 'table',
  columnName: 'column',
  dataTypeName: 'dataType',
  constraintName: 'constraint',
  sourceFile: 'file',
  sourceLine: 'line',
  sourceFunction: 'routine',
}

NativeQuery.prototype.handleError = function (err) {
  // copy pq error fields into the error object
  const fields = this.native && this.native.pq.resultErrorFields()
  if (fields) {
    for (const key in fields) {
      const normalizedFieldName = errorFieldMap[key] || key
      err[normalizedFieldName] = fields[key]
    }
  }
  if (this.callback) {
    this.callback(err)
  } else {
    this.emit('error', err)
  }
  this.state = 'error'
}

NativeQuery.prototype.then = function (onSuccess, onFailure) {
  return this._getPromise().then(onSuccess, onFailure)
}

NativeQuery.prototype.catch = function (callback) {
  return this._getPromise().catch(callback)
}

NativeQuery.prototype._getPromise = function () {
  if (this._promise) return this._promise
  this._promise = new Promise(
    function (resolve, reject) {
      this._once('end', resolve)
      this._once('error', reject)
    }.bind(this)
  )
  return this._promise
}

NativeQuery.prototype.submit = function (client) {
  this.state = 'running'
  const self = this
  this.native = client.native
  client.native.arrayMode = this._arrayMode

  let after = function (err, rows, results) {
    client.native.arrayMode = false
    setImmediate(function () {
      self.emit('_done')
    })

    // handle possible query error
    if (err) {
      return self.handleError(err)
    }

    // emit row events for each row in the result
    if (self._emitRowEvents) {
      if (results.length > 1) {
        rows.forEach((rowOfRows, i) => {
          rowOfRows.forEach((row) => {
            self.emit('row', row, results[i])
          })
        })
      } else {
        rows.forEach(function (row) {
          self.emit('row', row, results)
        })
      }
    }

    // handle successful result
    self.state = 'end'
    self.emit('end', results)
    if (self.callback) {
      self.callback(null, results)
    }
  }

  if (process.domain) {
    after = process.domain.bind(after)
  }

  // named query
  if (this.name) {
    if (this.name.length > 63) {
      console.error('Warning! Postgres only supports 63 characters for query names.')
      console.error('You supplied %s (%s)', this.name, this.name.length)
      console.error('This can cause conflicts and silent errors executing queries')
    }
    const values = (this.values || []).map(utils.prepareValue)

    // check if the client has already executed this named query
    // if so...just execute it again - skip the planning phase
    if (client.namedQueries[this.name] !== undefined) {
      if (this.text && client.namedQueries[this.name] !== this.text) {
        const err = new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`)
        return after(err)
      }
      return client.native.execute(this.name, values, after)
    }
    // plan the named query the first time, then execute it
    return client.native.prepare(this.name, this.text, values.length, function (err) {
      if (err) return after(err)
      client.namedQueries[self.name] = self.text
      return self.native.execute(self.name, values, after)
    })
  } else if (this.values) {
    if (!Array.isArray(this.values)) {
      const err = new Error('Query values must be an array')
      return after(err)
    }
    const vals = this.values.map(utils.prepareValue)
    client.native.query(this.text, vals, after)
  } else if (this.queryMode === 'extended') {
    client.native.query(this.text, [], after)
  } else {
    client.native.query(this.text, after)
  }
}


/***/ }),

/***/ 4473:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const { EventEmitter } = __nccwpck_require__(4434)

const Result = __nccwpck_require__(6424)
const utils = __nccwpck_require__(9652)

class Query extends EventEmitter {
  constructor(config, values, callback) {
    super()

    config = utils.normalizeQueryConfig(config, values, callback)

    this.text = config.text
    this.values = config.values
    this.rows = config.rows
    this.types = config.types
    this.name = config.name
    this.queryMode = config.queryMode
    this.binary = config.binary
    // use unique portal name each time
    this.portal = config.portal || ''
    this.callback = config.callback
    this._rowMode = config.rowMode
    if (process.domain && config.callback) {
      this.callback = process.domain.bind(config.callback)
    }
    this._result = new Result(this._rowMode, this.types)

    // potential for multiple results
    this._results = this._result
    this._canceledDueToError = false
  }

  requiresPreparation() {
    if (this.queryMode === 'extended') {
      return true
    }

    // named queries must always be prepared
    if (this.name) {
      return true
    }
    // always prepare if there are max number of rows expected per
    // portal execution
    if (this.rows) {
      return true
    }
    // don't prepare empty text queries
    if (!this.text) {
      return false
    }
    // prepare if there are values
    if (!this.values) {
      return false
    }
    return this.values.length > 0
  }

  _checkForMultirow() {
    // if we already have a result with a command property
    // then we've already executed one query in a multi-statement simple query
    // turn our results into an array of results
    if (this._result.command) {
      if (!Array.isArray(this._results)) {
        this._results = [this._result]
      }
      this._result = new Result(this._rowMode, this._result._types)
      this._results.push(this._result)
    }
  }

  // associates row metadata from the supplied
  // message with this query object
  // metadata used when parsing row results
  handleRowDescription(msg) {
    this._checkForMultirow()
    this._result.addFields(msg.fields)
    this._accumulateRows = this.callback || !this.listeners('row').length
  }

  handleDataRow(msg) {
    let row

    if (this._canceledDueToError) {
      return
    }

    try {
      row = this._result.parseRow(msg.fields)
    } catch (err) {
      this._canceledDueToError = err
      return
    }

    this.emit('row', row, this._result)
    if (this._accumulateRows) {
      this._result.addRow(row)
    }
  }

  handleCommandComplete(msg, connection) {
    this._checkForMultirow()
    this._result.addCommandComplete(msg)
    // need to sync after each command complete of a prepared statement
    // if we were using a row count which results in multiple calls to _getRows
    if (this.rows) {
      connection.sync()
    }
  }

  // if a named prepared statement is created with empty query text
  // the backend will send an emptyQuery message but *not* a command complete message
  // since we pipeline sync immediately after execute we don't need to do anything here
  // unless we have rows specified, in which case we did not pipeline the initial sync call
  handleEmptyQuery(connection) {
    if (this.rows) {
      connection.sync()
    }
  }

  handleError(err, connection) {
    // need to sync after error during a prepared statement
    if (this._canceledDueToError) {
      err = this._canceledDueToError
      this._canceledDueToError = false
    }
    // if callback supplied do not emit error event as uncaught error
    // events will bubble up to node process
    if (this.callback) {
      return this.callback(err)
    }
    this.emit('error', err)
  }

  handleReadyForQuery(con) {
    if (this._canceledDueToError) {
      return this.handleError(this._canceledDueToError, con)
    }
    if (this.callback) {
      try {
        this.callback(null, this._results)
      } catch (err) {
        process.nextTick(() => {
          throw err
        })
      }
    }
    this.emit('end', this._results)
  }

  submit(connection) {
    if (typeof this.text !== 'string' && typeof this.name !== 'string') {
      return new Error('A query must have either text or a name. Supplying neither is unsupported.')
    }
    const previous = connection.parsedStatements[this.name] || connection.submittedNamedStatements[this.name]
    if (this.text && previous && this.text !== previous) {
      return new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`)
    }
    if (this.values && !Array.isArray(this.values)) {
      return new Error('Query values must be an array')
    }
    if (this.requiresPreparation()) {
      // If we're using the extended query protocol we fire off several separate commands
      // to the backend. On some versions of node & some operating system versions
      // the network stack writes each message separately instead of buffering them together
      // causing the client & network to send more slowly. Corking & uncorking the stream
      // allows node to buffer up the messages internally before sending them all off at once.
      // note: we're checking for existence of cork/uncork because some versions of streams
      // might not have this (cloudflare?)
      connection.stream.cork && connection.stream.cork()
      try {
        this.prepare(connection)
      } finally {
        // while unlikely for this.prepare to throw, if it does & we don't uncork this stream
        // this client becomes unresponsive, so put in finally block "just in case"
        connection.stream.uncork && connection.stream.uncork()
      }
    } else {
      connection.query(this.text)
    }
    return null
  }

  hasBeenParsed(connection) {
    return (
      this.name &&
      (connection.parsedStatements[this.name] !== undefined ||
        connection.submittedNamedStatements[this.name] !== undefined)
    )
  }

  handlePortalSuspended(connection) {
    this._getRows(connection, this.rows)
  }

  _getRows(connection, rows) {
    connection.execute({
      portal: this.portal,
      rows: rows,
    })
    // if we're not reading pages of rows send the sync command
    // to indicate the pipeline is finished
    if (!rows) {
      connection.sync()
    } else {
      // otherwise flush the call out to read more rows
      connection.flush()
    }
  }

  // http://developer.postgresql.org/pgdocs/postgres/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
  prepare(connection) {
    // TODO refactor this poor encapsulation
    if (!this.hasBeenParsed(connection)) {
      connection.parse({
        text: this.text,
        name: this.name,
        types: this.types,
      })
      if (this.name) {
        connection.submittedNamedStatements[this.name] = this.text
      }
    }

    // because we're mapping user supplied values to
    // postgres wire protocol compatible values it could
    // throw an exception, so try/catch this section
    try {
      connection.bind({
        portal: this.portal,
        statement: this.name,
        values: this.values,
        binary: this.binary,
        valueMapper: utils.prepareValue,
      })
    } catch (err) {
      // we should close parse to avoid leaking connections
      connection.close({ type: 'S', name: this.name })
      connection.sync()

      this.handleError(err, connection)
      return
    }

    connection.describe({
      type: 'P',
      name: this.portal || '',
    })

    this._getRows(connection, this.rows)
  }

  handleCopyInResponse(connection) {
    connection.sendCopyFail('No source stream defined')
  }

  handleCopyData(msg, connection) {
    // noop
  }
}

module.exports = Query


/***/ }),

/***/ 6424:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const types = __nccwpck_require__(1549)

const matchRegexp = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/

// result object returned from query
// in the 'end' event and also
// passed as second argument to provided callback
class Result {
  constructor(rowMode, types) {
    this.command = null
    this.rowCount = null
    this.oid = null
    this.rows = []
    this.fields = []
    this._parsers = undefined
    this._types = types
    this.RowCtor = null
    this.rowAsArray = rowMode === 'array'
    if (this.rowAsArray) {
      this.parseRow = this._parseRowAsArray
    }
    this._prebuiltEmptyResultObject = null
  }

  // adds a command complete message
  addCommandComplete(msg) {
    let match
    if (msg.text) {
      // pure javascript
      match = matchRegexp.exec(msg.text)
    } else {
      // native bindings
      match = matchRegexp.exec(msg.command)
    }
    if (match) {
      this.command = match[1]
      if (match[3]) {
        // COMMAND OID ROWS
        this.oid = parseInt(match[2], 10)
        this.rowCount = parseInt(match[3], 10)
      } else if (match[2]) {
        // COMMAND ROWS
        this.rowCount = parseInt(match[2], 10)
      }
    }
  }

  _parseRowAsArray(rowData) {
    const row = new Array(rowData.length)
    for (let i = 0, len = rowData.length; i < len; i++) {
      const rawValue = rowData[i]
      if (rawValue !== null) {
        row[i] = this._parsers[i](rawValue)
      } else {
        row[i] = null
      }
    }
    return row
  }

  parseRow(rowData) {
    const row = { ...this._prebuiltEmptyResultObject }
    for (let i = 0, len = rowData.length; i < len; i++) {
      const rawValue = rowData[i]
      const field = this.fields[i].name
      if (rawValue !== null) {
        const v = this.fields[i].format === 'binary' ? Buffer.from(rawValue) : rawValue
        row[field] = this._parsers[i](v)
      } else {
        row[field] = null
      }
    }
    return row
  }

  addRow(row) {
    this.rows.push(row)
  }

  addFields(fieldDescriptions) {
    // clears field definitions
    // multiple query statements in 1 action can result in multiple sets
    // of rowDescriptions...eg: 'select NOW(); select 1::int;'
    // you need to reset the fields
    this.fields = fieldDescriptions
    if (this.fields.length) {
      this._parsers = new Array(fieldDescriptions.length)
    }

    const row = Object.create(null)

    for (let i = 0; i < fieldDescriptions.length; i++) {
      const desc = fieldDescriptions[i]
      row[desc.name] = null

      if (this._types) {
        this._parsers[i] = this._types.getTypeParser(desc.dataTypeID, desc.format || 'text')
      } else {
        this._parsers[i] = types.getTypeParser(desc.dataTypeID, desc.format || 'text')
      }
    }

    this._prebuiltEmptyResultObject = { ...row }
  }
}

module.exports = Result


/***/ }),

/***/ 829:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const { getStream, getSecureStream } = getStreamFuncs()

module.exports = {
  /**
   * Get a socket stream compatible with the current runtime environment.
   * @returns {Duplex}
   */
  getStream,
  /**
   * Get a TLS secured socket, compatible with the current environment,
   * using the socket and other settings given in `options`.
   * @returns {Duplex}
   */
  getSecureStream,
}

/**
 * The stream functions that work in Node.js
 */
function getNodejsStreamFuncs() {
  function getStream(ssl) {
    const net = __nccwpck_require__(9278)
    return new net.Socket()
  }

  function getSecureStream(options) {
    const tls = __nccwpck_require__(4756)
    return tls.connect(options)
  }
  return {
    getStream,
    getSecureStream,
  }
}

/**
 * The stream functions that work in Cloudflare Workers
 */
function getCloudflareStreamFuncs() {
  function getStream(ssl) {
    const { CloudflareSocket } = __nccwpck_require__(785)
    return new CloudflareSocket(ssl)
  }

  function getSecureStream(options) {
    options.socket.startTls(options)
    return options.socket
  }
  return {
    getStream,
    getSecureStream,
  }
}

/**
 * Are we running in a Cloudflare Worker?
 *
 * @returns true if the code is currently running inside a Cloudflare Worker.
 */
function isCloudflareRuntime() {
  // Since 2022-03-21 the `global_navigator` compatibility flag is on for Cloudflare Workers
  // which means that `navigator.userAgent` will be defined.
  // eslint-disable-next-line no-undef
  if (typeof navigator === 'object' && navigator !== null && typeof navigator.userAgent === 'string') {
    // eslint-disable-next-line no-undef
    return navigator.userAgent === 'Cloudflare-Workers'
  }
  // In case `navigator` or `navigator.userAgent` is not defined then try a more sneaky approach
  if (typeof Response === 'function') {
    const resp = new Response(null, { cf: { thing: true } })
    if (typeof resp.cf === 'object' && resp.cf !== null && resp.cf.thing) {
      return true
    }
  }
  return false
}

function getStreamFuncs() {
  if (isCloudflareRuntime()) {
    return getCloudflareStreamFuncs()
  }
  return getNodejsStreamFuncs()
}


/***/ }),

/***/ 365:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const types = __nccwpck_require__(1549)

function TypeOverrides(userTypes) {
  this._types = userTypes || types
  this.text = {}
  this.binary = {}
}

TypeOverrides.prototype.getOverrides = function (format) {
  switch (format) {
    case 'text':
      return this.text
    case 'binary':
      return this.binary
    default:
      return {}
  }
}

TypeOverrides.prototype.setTypeParser = function (oid, format, parseFn) {
  if (typeof format === 'function') {
    parseFn = format
    format = 'text'
  }
  this.getOverrides(format)[oid] = parseFn
}

TypeOverrides.prototype.getTypeParser = function (oid, format) {
  format = format || 'text'
  return this.getOverrides(format)[oid] || this._types.getTypeParser(oid, format)
}

module.exports = TypeOverrides


/***/ }),

/***/ 9652:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const defaults = __nccwpck_require__(8995)
const nodeUtils = __nccwpck_require__(9023)

const { isDate } = __nccwpck_require__(8253)

const invalidDateDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Sending an invalid date to Postgres is deprecated and will throw an error in the next major version of pg. Ensure any Date object passed as a query parameter is valid.',
  'PG_INVALID_DATE'
)

function escapeElement(elementRepresentation) {
  const escaped = elementRepresentation.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

  return '"' + escaped + '"'
}

// convert a JS array to a postgres array literal
// uses comma separator so won't work for types like box that use
// a different array separator.
function arrayString(val) {
  let result = '{'
  for (let i = 0; i < val.length; i++) {
    if (i > 0) {
      result += ','
    }
    let item = val[i]
    if (item == null) {
      result += 'NULL'
    } else if (Array.isArray(item)) {
      result += arrayString(item)
    } else if (ArrayBuffer.isView(item)) {
      if (!(item instanceof Buffer)) {
        item = Buffer.from(item.buffer, item.byteOffset, item.byteLength)
      }
      result += '\\\\x' + item.toString('hex')
    } else {
      result += escapeElement(prepareValue(item))
    }
  }
  result += '}'
  return result
}

// converts values from javascript types
// to their 'raw' counterparts for use as a postgres parameter
// note: you can override this function to provide your own conversion mechanism
// for complex types, etc...
const prepareValue = function (val, seen) {
  // null and undefined are both null for postgres
  if (val == null) {
    return null
  }
  if (typeof val === 'object') {
    if (val instanceof Buffer) {
      return val
    }
    if (ArrayBuffer.isView(val)) {
      return Buffer.from(val.buffer, val.byteOffset, val.byteLength)
    }
    if (isDate(val)) {
      if (isNaN(val.getTime())) {
        invalidDateDeprecationNotice()
      }
      if (defaults.parseInputDatesAsUTC) {
        return dateToStringUTC(val)
      } else {
        return dateToString(val)
      }
    }
    if (Array.isArray(val)) {
      return arrayString(val)
    }

    return prepareObject(val, seen)
  }
  return val.toString()
}

function prepareObject(val, seen) {
  if (val && typeof val.toPostgres === 'function') {
    seen = seen || []
    if (seen.indexOf(val) !== -1) {
      throw new Error('circular reference detected while preparing "' + val + '" for query')
    }
    seen.push(val)

    return prepareValue(val.toPostgres(prepareValue), seen)
  }
  return JSON.stringify(val)
}

function dateToString(date) {
  let offset = -date.getTimezoneOffset()

  let year = date.getFullYear()
  const isBCYear = year < 1
  if (isBCYear) year = Math.abs(year) + 1 // negative years are 1 off their BC representation

  let ret =
    String(year).padStart(4, '0') +
    '-' +
    String(date.getMonth() + 1).padStart(2, '0') +
    '-' +
    String(date.getDate()).padStart(2, '0') +
    'T' +
    String(date.getHours()).padStart(2, '0') +
    ':' +
    String(date.getMinutes()).padStart(2, '0') +
    ':' +
    String(date.getSeconds()).padStart(2, '0') +
    '.' +
    String(date.getMilliseconds()).padStart(3, '0')

  if (offset < 0) {
    ret += '-'
    offset *= -1
  } else {
    ret += '+'
  }

  ret += String(Math.floor(offset / 60)).padStart(2, '0') + ':' + String(offset % 60).padStart(2, '0')
  if (isBCYear) ret += ' BC'
  return ret
}

function dateToStringUTC(date) {
  let year = date.getUTCFullYear()
  const isBCYear = year < 1
  if (isBCYear) year = Math.abs(year) + 1 // negative years are 1 off their BC representation

  let ret =
    String(year).padStart(4, '0') +
    '-' +
    String(date.getUTCMonth() + 1).padStart(2, '0') +
    '-' +
    String(date.getUTCDate()).padStart(2, '0') +
    'T' +
    String(date.getUTCHours()).padStart(2, '0') +
    ':' +
    String(date.getUTCMinutes()).padStart(2, '0') +
    ':' +
    String(date.getUTCSeconds()).padStart(2, '0') +
    '.' +
    String(date.getUTCMilliseconds()).padStart(3, '0')

  ret += '+00:00'
  if (isBCYear) ret += ' BC'
  return ret
}

function normalizeQueryConfig(config, values, callback) {
  // can take in strings or config objects
  // Copy config so normalization does not mutate the caller's object.
  config = typeof config === 'string' ? { text: config } : cloneQueryConfig(config)
  if (values) {
    if (typeof values === 'function') {
      config.callback = values
    } else {
      config.values = values
    }
  }
  if (callback) {
    config.callback = callback
  }
  return config
}

function cloneQueryConfig(config) {
  if (config == null) {
    return config
  }
  return Object.defineProperties(Object.create(Object.getPrototypeOf(config)), Object.getOwnPropertyDescriptors(config))
}

// Ported from PostgreSQL 9.2.4 source code in src/interfaces/libpq/fe-exec.c
const escapeIdentifier = function (str) {
  return '"' + str.replace(/"/g, '""') + '"'
}

const escapeLiteral = function (str) {
  let hasBackslash = false
  let escaped = "'"

  if (str == null) {
    return "''"
  }

  if (typeof str !== 'string') {
    return "''"
  }

  for (let i = 0; i < str.length; i++) {
    const c = str[i]
    if (c === "'") {
      escaped += c + c
    } else if (c === '\\') {
      escaped += c + c
      hasBackslash = true
    } else {
      escaped += c
    }
  }

  escaped += "'"

  if (hasBackslash === true) {
    escaped = ' E' + escaped
  }

  return escaped
}

module.exports = {
  prepareValue: function prepareValueWrapper(value) {
    // this ensures that extra arguments do not get passed into prepareValue
    // by accident, eg: from calling values.map(utils.prepareValue)
    return prepareValue(value)
  },
  normalizeQueryConfig,
  escapeIdentifier,
  escapeLiteral,
}


/***/ }),

/***/ 8702:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var path = __nccwpck_require__(6928)
  , Stream = (__nccwpck_require__(2203).Stream)
  , split = __nccwpck_require__(5286)
  , util = __nccwpck_require__(9023)
  , defaultPort = 5432
  , isWin = (process.platform === 'win32')
  , warnStream = process.stderr
;


var S_IRWXG = 56     //    00070(8)
  , S_IRWXO = 7      //    00007(8)
  , S_IFMT  = 61440  // 00170000(8)
  , S_IFREG = 32768  //  0100000(8)
;
function isRegFile(mode) {
    return ((mode & S_IFMT) == S_IFREG);
}

var fieldNames = [ 'host', 'port', 'database', 'user', 'password' ];
var nrOfFields = fieldNames.length;
var passKey = fieldNames[ nrOfFields -1 ];


function warn() {
    var isWritable = (
        warnStream instanceof Stream &&
          true === warnStream.writable
    );

    if (isWritable) {
        var args = Array.prototype.slice.call(arguments).concat("\n");
        warnStream.write( util.format.apply(util, args) );
    }
}


Object.defineProperty(module.exports, "isWin", ({
    get : function() {
        return isWin;
    } ,
    set : function(val) {
        isWin = val;
    }
}));


module.exports.warnTo = function(stream) {
    var old = warnStream;
    warnStream = stream;
    return old;
};

module.exports.getFileName = function(rawEnv){
    var env = rawEnv || process.env;
    var file = env.PGPASSFILE || (
        isWin ?
          path.join( env.APPDATA || './' , 'postgresql', 'pgpass.conf' ) :
          path.join( env.HOME || './', '.pgpass' )
    );
    return file;
};

module.exports.usePgPass = function(stats, fname) {
    if (Object.prototype.hasOwnProperty.call(process.env, 'PGPASSWORD')) {
        return false;
    }

    if (isWin) {
        return true;
    }

    fname = fname || '<unkn>';

    if (! isRegFile(stats.mode)) {
        warn('WARNING: password file "%s" is not a plain file', fname);
        return false;
    }

    if (stats.mode & (S_IRWXG | S_IRWXO)) {
        /* If password file is insecure, alert the user and ignore it. */
        warn('WARNING: password file "%s" has group or world access; permissions should be u=rw (0600) or less', fname);
        return false;
    }

    return true;
};


var matcher = module.exports.match = function(connInfo, entry) {
    return fieldNames.slice(0, -1).reduce(function(prev, field, idx){
        if (idx == 1) {
            // the port
            if ( Number( connInfo[field] || defaultPort ) === Number( entry[field] ) ) {
                return prev && true;
            }
        }
        return prev && (
            entry[field] === '*' ||
              entry[field] === connInfo[field]
        );
    }, true);
};


module.exports.getPassword = function(connInfo, stream, cb) {
    var pass;
    var lineStream = stream.pipe(split());

    function onLine(line) {
        var entry = parseLine(line);
        if (entry && isValidEntry(entry) && matcher(connInfo, entry)) {
            pass = entry[passKey];
            lineStream.end(); // -> calls onEnd(), but pass is set now
        }
    }

    var onEnd = function() {
        stream.destroy();
        cb(pass);
    };

    var onErr = function(err) {
        stream.destroy();
        warn('WARNING: error on reading file: %s', err);
        cb(undefined);
    };

    stream.on('error', onErr);
    lineStream
        .on('data', onLine)
        .on('end', onEnd)
        .on('error', onErr)
    ;

};


var parseLine = module.exports.parseLine = function(line) {
    if (line.length < 11 || line.match(/^\s+#/)) {
        return null;
    }

    var curChar = '';
    var prevChar = '';
    var fieldIdx = 0;
    var startIdx = 0;
    var endIdx = 0;
    var obj = {};
    var isLastField = false;
    var addToObj = function(idx, i0, i1) {
        var field = line.substring(i0, i1);

        if (! Object.hasOwnProperty.call(process.env, 'PGPASS_NO_DEESCAPE')) {
            field = field.replace(/\\([:\\])/g, '$1');
        }

        obj[ fieldNames[idx] ] = field;
    };

    for (var i = 0 ; i < line.length-1 ; i += 1) {
        curChar = line.charAt(i+1);
        prevChar = line.charAt(i);

        isLastField = (fieldIdx == nrOfFields-1);

        if (isLastField) {
            addToObj(fieldIdx, startIdx);
            break;
        }

        if (i >= 0 && curChar == ':' && prevChar !== '\\') {
            addToObj(fieldIdx, startIdx, i+1);

            startIdx = i+2;
            fieldIdx += 1;
        }
    }

    obj = ( Object.keys(obj).length === nrOfFields ) ? obj : null;

    return obj;
};


var isValidEntry = module.exports.isValidEntry = function(entry){
    var rules = {
        // host
        0 : function(x){
            return x.length > 0;
        } ,
        // port
        1 : function(x){
            if (x === '*') {
                return true;
            }
            x = Number(x);
            return (
                isFinite(x) &&
                  x > 0 &&
                  x < 9007199254740992 &&
                  Math.floor(x) === x
            );
        } ,
        // database
        2 : function(x){
            return x.length > 0;
        } ,
        // username
        3 : function(x){
            return x.length > 0;
        } ,
        // password
        4 : function(x){
            return x.length > 0;
        }
    };

    for (var idx = 0 ; idx < fieldNames.length ; idx += 1) {
        var rule = rules[idx];
        var value = entry[ fieldNames[idx] ] || '';

        var res = rule(value);
        if (!res) {
            return false;
        }
    }

    return true;
};



/***/ }),

/***/ 3272:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var path = __nccwpck_require__(6928)
  , fs = __nccwpck_require__(9896)
  , helper = __nccwpck_require__(8702)
;


module.exports = function(connInfo, cb) {
    var file = helper.getFileName();
    
    fs.stat(file, function(err, stat){
        if (err || !helper.usePgPass(stat, file)) {
            return cb(undefined);
        }

        var st = fs.createReadStream(file);

        helper.getPassword(connInfo, st, cb);
    });
};

module.exports.warnTo = helper.warnTo;


/***/ }),

/***/ 3879:
/***/ ((__unused_webpack_module, exports) => {



exports.parse = function (source, transform) {
  return new ArrayParser(source, transform).parse()
}

class ArrayParser {
  constructor (source, transform) {
    this.source = source
    this.transform = transform || identity
    this.position = 0
    this.entries = []
    this.recorded = []
    this.dimension = 0
  }

  isEof () {
    return this.position >= this.source.length
  }

  nextCharacter () {
    var character = this.source[this.position++]
    if (character === '\\') {
      return {
        value: this.source[this.position++],
        escaped: true
      }
    }
    return {
      value: character,
      escaped: false
    }
  }

  record (character) {
    this.recorded.push(character)
  }

  newEntry (includeEmpty) {
    var entry
    if (this.recorded.length > 0 || includeEmpty) {
      entry = this.recorded.join('')
      if (entry === 'NULL' && !includeEmpty) {
        entry = null
      }
      if (entry !== null) entry = this.transform(entry)
      this.entries.push(entry)
      this.recorded = []
    }
  }

  consumeDimensions () {
    if (this.source[0] === '[') {
      while (!this.isEof()) {
        var char = this.nextCharacter()
        if (char.value === '=') break
      }
    }
  }

  parse (nested) {
    var character, parser, quote
    this.consumeDimensions()
    while (!this.isEof()) {
      character = this.nextCharacter()
      if (character.value === '{' && !quote) {
        this.dimension++
        if (this.dimension > 1) {
          parser = new ArrayParser(this.source.substr(this.position - 1), this.transform)
          this.entries.push(parser.parse(true))
          this.position += parser.position - 2
        }
      } else if (character.value === '}' && !quote) {
        this.dimension--
        if (!this.dimension) {
          this.newEntry()
          if (nested) return this.entries
        }
      } else if (character.value === '"' && !character.escaped) {
        if (quote) this.newEntry(true)
        quote = !quote
      } else if (character.value === ',' && !quote) {
        this.newEntry()
      } else {
        this.record(character.value)
      }
    }
    if (this.dimension !== 0) {
      throw new Error('array dimension not balanced')
    }
    return this.entries
  }
}

function identity (value) {
  return value
}


/***/ }),

/***/ 463:
/***/ ((module) => {



var bufferFrom = Buffer.from || Buffer

module.exports = function parseBytea (input) {
  if (/^\\x/.test(input)) {
    // new 'hex' style response (pg >9.0)
    return bufferFrom(input.substr(2), 'hex')
  }
  var output = ''
  var i = 0
  while (i < input.length) {
    if (input[i] !== '\\') {
      output += input[i]
      ++i
    } else {
      if (/[0-7]{3}/.test(input.substr(i + 1, 3))) {
        output += String.fromCharCode(parseInt(input.substr(i + 1, 3), 8))
        i += 4
      } else {
        var backslashes = 1
        while (i + backslashes < input.length && input[i + backslashes] === '\\') {
          backslashes++
        }
        for (var k = 0; k < Math.floor(backslashes / 2); ++k) {
          output += '\\'
        }
        i += Math.floor(backslashes / 2) * 2
      }
    }
  }
  return bufferFrom(output, 'binary')
}


/***/ }),

/***/ 2690:
/***/ ((module) => {



var DATE_TIME = /(\d{1,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,})?.*?( BC)?$/
var DATE = /^(\d{1,})-(\d{2})-(\d{2})( BC)?$/
var TIME_ZONE = /([Z+-])(\d{2})?:?(\d{2})?:?(\d{2})?/
var INFINITY = /^-?infinity$/

module.exports = function parseDate (isoDate) {
  if (INFINITY.test(isoDate)) {
    // Capitalize to Infinity before passing to Number
    return Number(isoDate.replace('i', 'I'))
  }
  var matches = DATE_TIME.exec(isoDate)

  if (!matches) {
    // Force YYYY-MM-DD dates to be parsed as local time
    return getDate(isoDate) || null
  }

  var isBC = !!matches[8]
  var year = parseInt(matches[1], 10)
  if (isBC) {
    year = bcYearToNegativeYear(year)
  }

  var month = parseInt(matches[2], 10) - 1
  var day = matches[3]
  var hour = parseInt(matches[4], 10)
  var minute = parseInt(matches[5], 10)
  var second = parseInt(matches[6], 10)

  var ms = matches[7]
  ms = ms ? 1000 * parseFloat(ms) : 0

  var date
  var offset = timeZoneOffset(isoDate)
  if (offset != null) {
    date = new Date(Date.UTC(year, month, day, hour, minute, second, ms))

    // Account for years from 0 to 99 being interpreted as 1900-1999
    // by Date.UTC / the multi-argument form of the Date constructor
    if (is0To99(year)) {
      date.setUTCFullYear(year)
    }

    if (offset !== 0) {
      date.setTime(date.getTime() - offset)
    }
  } else {
    date = new Date(year, month, day, hour, minute, second, ms)

    if (is0To99(year)) {
      date.setFullYear(year)
    }
  }

  return date
}

function getDate (isoDate) {
  var matches = DATE.exec(isoDate)
  if (!matches) {
    return
  }

  var year = parseInt(matches[1], 10)
  var isBC = !!matches[4]
  if (isBC) {
    year = bcYearToNegativeYear(year)
  }

  var month = parseInt(matches[2], 10) - 1
  var day = matches[3]
  // YYYY-MM-DD will be parsed as local time
  var date = new Date(year, month, day)

  if (is0To99(year)) {
    date.setFullYear(year)
  }

  return date
}

// match timezones:
// Z (UTC)
// -05
// +06:30
function timeZoneOffset (isoDate) {
  if (isoDate.endsWith('+00')) {
    return 0
  }

  var zone = TIME_ZONE.exec(isoDate.split(' ')[1])
  if (!zone) return
  var type = zone[1]

  if (type === 'Z') {
    return 0
  }
  var sign = type === '-' ? -1 : 1
  var offset = parseInt(zone[2], 10) * 3600 +
    parseInt(zone[3] || 0, 10) * 60 +
    parseInt(zone[4] || 0, 10)

  return offset * sign * 1000
}

function bcYearToNegativeYear (year) {
  // Account for numerical difference between representations of BC years
  // See: https://github.com/bendrucker/postgres-date/issues/5
  return -(year - 1)
}

function is0To99 (num) {
  return num >= 0 && num < 100
}


/***/ }),

/***/ 8755:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var extend = __nccwpck_require__(223)

module.exports = PostgresInterval

function PostgresInterval (raw) {
  if (!(this instanceof PostgresInterval)) {
    return new PostgresInterval(raw)
  }
  extend(this, parse(raw))
}
var properties = ['seconds', 'minutes', 'hours', 'days', 'months', 'years']
PostgresInterval.prototype.toPostgres = function () {
  var filtered = properties.filter(this.hasOwnProperty, this)

  // In addition to `properties`, we need to account for fractions of seconds.
  if (this.milliseconds && filtered.indexOf('seconds') < 0) {
    filtered.push('seconds')
  }

  if (filtered.length === 0) return '0'
  return filtered
    .map(function (property) {
      var value = this[property] || 0

      // Account for fractional part of seconds,
      // remove trailing zeroes.
      if (property === 'seconds' && this.milliseconds) {
        value = (value + this.milliseconds / 1000).toFixed(6).replace(/\.?0+$/, '')
      }

      return value + ' ' + property
    }, this)
    .join(' ')
}

var propertiesISOEquivalent = {
  years: 'Y',
  months: 'M',
  days: 'D',
  hours: 'H',
  minutes: 'M',
  seconds: 'S'
}
var dateProperties = ['years', 'months', 'days']
var timeProperties = ['hours', 'minutes', 'seconds']
// according to ISO 8601
PostgresInterval.prototype.toISOString = PostgresInterval.prototype.toISO = function () {
  var datePart = dateProperties
    .map(buildProperty, this)
    .join('')

  var timePart = timeProperties
    .map(buildProperty, this)
    .join('')

  return 'P' + datePart + 'T' + timePart

  function buildProperty (property) {
    var value = this[property] || 0

    // Account for fractional part of seconds,
    // remove trailing zeroes.
    if (property === 'seconds' && this.milliseconds) {
      value = (value + this.milliseconds / 1000).toFixed(6).replace(/0+$/, '')
    }

    return value + propertiesISOEquivalent[property]
  }
}

var NUMBER = '([+-]?\\d+)'
var YEAR = NUMBER + '\\s+years?'
var MONTH = NUMBER + '\\s+mons?'
var DAY = NUMBER + '\\s+days?'
var TIME = '([+-])?([\\d]*):(\\d\\d):(\\d\\d)\\.?(\\d{1,6})?'
var INTERVAL = new RegExp([YEAR, MONTH, DAY, TIME].map(function (regexString) {
  return '(' + regexString + ')?'
})
  .join('\\s*'))

// Positions of values in regex match
var positions = {
  years: 2,
  months: 4,
  days: 6,
  hours: 9,
  minutes: 10,
  seconds: 11,
  milliseconds: 12
}
// We can use negative time
var negatives = ['hours', 'minutes', 'seconds', 'milliseconds']

function parseMilliseconds (fraction) {
  // add omitted zeroes
  var microseconds = fraction + '000000'.slice(fraction.length)
  return parseInt(microseconds, 10) / 1000
}

function parse (interval) {
  if (!interval) return {}
  var matches = INTERVAL.exec(interval)
  var isNegative = matches[8] === '-'
  return Object.keys(positions)
    .reduce(function (parsed, property) {
      var position = positions[property]
      var value = matches[position]
      // no empty string
      if (!value) return parsed
      // milliseconds are actually microseconds (up to 6 digits)
      // with omitted trailing zeroes.
      value = property === 'milliseconds'
        ? parseMilliseconds(value)
        : parseInt(value, 10)
      // no zeros
      if (!value) return parsed
      if (isNegative && ~negatives.indexOf(property)) {
        value *= -1
      }
      parsed[property] = value
      return parsed
    }, {})
}


/***/ }),

/***/ 5286:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

/*
Copyright (c) 2014-2021, Matteo Collina <hello@matteocollina.com>

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR
IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
*/



const { Transform } = __nccwpck_require__(2203)
const { StringDecoder } = __nccwpck_require__(3193)
const kLast = Symbol('last')
const kDecoder = Symbol('decoder')

function transform (chunk, enc, cb) {
  let list
  if (this.overflow) { // Line buffer is full. Skip to start of next line.
    const buf = this[kDecoder].write(chunk)
    list = buf.split(this.matcher)

    if (list.length === 1) return cb() // Line ending not found. Discard entire chunk.

    // Line ending found. Discard trailing fragment of previous line and reset overflow state.
    list.shift()
    this.overflow = false
  } else {
    this[kLast] += this[kDecoder].write(chunk)
    list = this[kLast].split(this.matcher)
  }

  this[kLast] = list.pop()

  for (let i = 0; i < list.length; i++) {
    try {
      push(this, this.mapper(list[i]))
    } catch (error) {
      return cb(error)
    }
  }

  this.overflow = this[kLast].length > this.maxLength
  if (this.overflow && !this.skipOverflow) {
    cb(new Error('maximum buffer reached'))
    return
  }

  cb()
}

function flush (cb) {
  // forward any gibberish left in there
  this[kLast] += this[kDecoder].end()

  if (this[kLast]) {
    try {
      push(this, this.mapper(this[kLast]))
    } catch (error) {
      return cb(error)
    }
  }

  cb()
}

function push (self, val) {
  if (val !== undefined) {
    self.push(val)
  }
}

function noop (incoming) {
  return incoming
}

function split (matcher, mapper, options) {
  // Set defaults for any arguments not supplied.
  matcher = matcher || /\r?\n/
  mapper = mapper || noop
  options = options || {}

  // Test arguments explicitly.
  switch (arguments.length) {
    case 1:
      // If mapper is only argument.
      if (typeof matcher === 'function') {
        mapper = matcher
        matcher = /\r?\n/
      // If options is only argument.
      } else if (typeof matcher === 'object' && !(matcher instanceof RegExp) && !matcher[Symbol.split]) {
        options = matcher
        matcher = /\r?\n/
      }
      break

    case 2:
      // If mapper and options are arguments.
      if (typeof matcher === 'function') {
        options = mapper
        mapper = matcher
        matcher = /\r?\n/
      // If matcher and options are arguments.
      } else if (typeof mapper === 'object') {
        options = mapper
        mapper = noop
      }
  }

  options = Object.assign({}, options)
  options.autoDestroy = true
  options.transform = transform
  options.flush = flush
  options.readableObjectMode = true

  const stream = new Transform(options)

  stream[kLast] = ''
  stream[kDecoder] = new StringDecoder('utf8')
  stream.matcher = matcher
  stream.mapper = mapper
  stream.maxLength = options.maxLength
  stream.skipOverflow = options.skipOverflow || false
  stream.overflow = false
  stream._destroy = function (err, cb) {
    // Weird Node v12 bug that we need to work around
    this._writableState.errorEmitted = false
    cb(err)
  }

  return stream
}

module.exports = split


/***/ }),

/***/ 223:
/***/ ((module) => {

module.exports = extend

var hasOwnProperty = Object.prototype.hasOwnProperty;

function extend(target) {
    for (var i = 1; i < arguments.length; i++) {
        var source = arguments[i]

        for (var key in source) {
            if (hasOwnProperty.call(source, key)) {
                target[key] = source[key]
            }
        }
    }

    return target
}


/***/ }),

/***/ 3765:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gw: () => (/* binding */ ancestorsOf),
/* harmony export */   dG: () => (/* binding */ analyzeGraph),
/* harmony export */   pZ: () => (/* binding */ pendingPath)
/* harmony export */ });
function analyzeGraph(revisions) {
    const problems = [];
    const byId = new Map();
    for (const revision of revisions) {
        const earlier = byId.get(revision.id);
        if (earlier) {
            problems.push({
                code: 'duplicate-revision',
                severity: 'error',
                message: `Revision '${revision.id}' is declared twice: in ${earlier.file} and in ${revision.file}.`,
                hint: 'Give one of them a new, unique revision id and point its children at it.',
                revisions: [revision.id],
                file: revision.file,
                line: revision.line
            });
            continue;
        }
        byId.set(revision.id, revision);
    }
    const unique = [...byId.values()];
    const children = new Map(unique.map((r) => [r.id, []]));
    for (const revision of unique) {
        for (const parent of revision.parents) {
            if (!byId.has(parent)) {
                problems.push({
                    code: 'missing-parent',
                    severity: 'error',
                    message: `Revision '${revision.id}' (${revision.file}) names parent '${parent}', which no migration file declares.`,
                    hint: `Restore the file of revision '${parent}', or correct down_revision of '${revision.id}' to an existing revision.`,
                    revisions: [revision.id, parent],
                    file: revision.file,
                    line: revision.line
                });
            }
            else {
                children.get(parent).push(revision.id);
            }
        }
        for (const dependency of revision.dependsOn) {
            if (!byId.has(dependency)) {
                problems.push({
                    code: 'missing-dependency',
                    severity: 'error',
                    message: `Revision '${revision.id}' (${revision.file}) depends on '${dependency}', which no migration file declares.`,
                    hint: `Restore the file of revision '${dependency}', or remove it from depends_on of '${revision.id}'.`,
                    revisions: [revision.id, dependency],
                    file: revision.file,
                    line: revision.line
                });
            }
        }
    }
    const order = topologicalOrder(unique, byId);
    if (order.length < unique.length) {
        const ordered = new Set(order);
        const inCycle = unique.filter((r) => !ordered.has(r.id)).map((r) => r.id);
        problems.push({
            code: 'cycle',
            severity: 'error',
            message: `The revisions ${list(inCycle)} form a cycle: following their parents never reaches a root.`,
            hint: 'One of them names a descendant as its parent; correct its down_revision.',
            revisions: inCycle,
            file: byId.get(inCycle[0])?.file
        });
    }
    const roots = unique.filter((r) => r.parents.length === 0).map((r) => r.id);
    const heads = unique.filter((r) => children.get(r.id).length === 0).map((r) => r.id);
    if (roots.length > 1) {
        const [, ...extra] = roots;
        problems.push({
            code: 'multiple-roots',
            severity: 'error',
            message: `The chain has ${roots.length} roots (${list(roots)}): ${list(extra)} ${extra.length > 1 ? 'have' : 'has'} no parent, so the files hold more than one independent history.`,
            hint: `Set the parent (down_revision) of ${list(extra)} to the revision it was meant to follow, usually the head of the other chain.`,
            revisions: roots,
            file: byId.get(extra[0])?.file,
            line: byId.get(extra[0])?.line
        });
    }
    if (heads.length > 1 && unique.length > 0) {
        problems.push({
            code: 'multiple-heads',
            severity: 'error',
            message: `The chain has ${heads.length} heads (${list(heads)}): two branches were added and never merged.`,
            hint: `Merge them into one head: \`alembic merge -m "merge heads" ${heads.join(' ')}\` (or give one of them the other as its parent).`,
            revisions: heads,
            file: byId.get(heads[heads.length - 1])?.file,
            line: byId.get(heads[heads.length - 1])?.line
        });
    }
    return {
        summary: {
            roots,
            heads,
            merges: unique.filter((r) => r.parents.length > 1).map((r) => r.id),
            branchPoints: unique.filter((r) => children.get(r.id).length > 1).map((r) => r.id),
            order
        },
        problems
    };
}
/** Every revision reachable from `ids` through parents and depends_on, `ids` included. */
function ancestorsOf(revisions, ids) {
    const byId = new Map(revisions.map((r) => [r.id, r]));
    const seen = new Set();
    const stack = [...ids];
    while (stack.length > 0) {
        const id = stack.pop();
        if (seen.has(id))
            continue;
        seen.add(id);
        const revision = byId.get(id);
        if (revision)
            stack.push(...revision.parents, ...revision.dependsOn);
    }
    return seen;
}
/** The revisions not yet applied when the database is at `current`, parents first. */
function pendingPath(revisions, current) {
    const applied = ancestorsOf(revisions, current);
    const byId = new Map(revisions.map((r) => [r.id, r]));
    return topologicalOrder(revisions, byId)
        .filter((id) => !applied.has(id))
        .map((id) => byId.get(id));
}
/**
 * Kahn's algorithm, linear in revisions + edges. The order is that of repeated passes over the
 * files (take every revision whose parents are taken, in file order, until nothing changes), which
 * keeps the output stable and readable; it is computed without the passes: a revision is taken in
 * the pass of its last-taken parent, or in the next pass when it comes before that parent in the files.
 */
function topologicalOrder(revisions, byId) {
    const canonical = revisions.filter((r) => byId.get(r.id) === r);
    const n = canonical.length;
    const position = new Map(canonical.map((r, i) => [r.id, i]));
    const waitingOn = new Int32Array(n);
    const dependents = Array.from({ length: n }, () => []);
    canonical.forEach((r, i) => {
        for (const p of [...r.parents, ...r.dependsOn]) {
            const parent = position.get(p);
            if (parent === undefined)
                continue;
            waitingOn[i]++;
            dependents[parent].push(i);
        }
    });
    const pass = new Int32Array(n).fill(-1);
    // Of each waiting revision, the last-taken parent so far: its pass and file position.
    const lastPass = new Int32Array(n).fill(-1);
    const lastPosition = new Int32Array(n).fill(-1);
    const ready = [];
    for (let i = 0; i < n; i++) {
        if (waitingOn[i] === 0) {
            pass[i] = 0;
            ready.push(i);
        }
    }
    for (let next = 0; next < ready.length; next++) {
        const taken = ready[next];
        for (const child of dependents[taken]) {
            if (pass[taken] > lastPass[child] || (pass[taken] === lastPass[child] && taken > lastPosition[child])) {
                lastPass[child] = pass[taken];
                lastPosition[child] = taken;
            }
            if (--waitingOn[child] > 0)
                continue;
            pass[child] = child > lastPosition[child] ? lastPass[child] : lastPass[child] + 1;
            ready.push(child);
        }
    }
    // Bucket by pass; filling the buckets in file order keeps ties in file order.
    const passes = [];
    for (let i = 0; i < n; i++)
        if (pass[i] >= 0)
            (passes[pass[i]] ??= []).push(canonical[i].id);
    return passes.flat();
}
function list(ids) {
    return ids.map((id) => `'${id}'`).join(', ');
}


/***/ }),

/***/ 7199:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $s: () => (/* binding */ quoteQualified),
/* harmony export */   EO: () => (/* binding */ closeQuietly),
/* harmony export */   IU: () => (/* binding */ resetSessionCommands),
/* harmony export */   My: () => (/* binding */ openClient),
/* harmony export */   v4: () => (/* binding */ quoteIdent),
/* harmony export */   wD: () => (/* binding */ resetSession)
/* harmony export */ });
/* unused harmony export clientConfig */
/* harmony import */ var pg__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3849);

function clientConfig(url, options) {
    return {
        connectionString: url.forPg,
        connectionTimeoutMillis: options.connectTimeoutMs,
        application_name: options.applicationName ?? 'pg-migrate-action',
        // Keep the server's answers in the session's own types; timestamps stay Date, bigint stays string.
        keepAlive: true
    };
}
/** Connects and applies session settings; on any failure the half-open client is closed. */
async function openClient(url, options) {
    const client = new pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].Client */ .Ay.Client(clientConfig(url, options));
    // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
    client.on('error', () => undefined);
    try {
        await client.connect();
        for (const [name, value] of Object.entries(options.sessionSettings ?? {})) {
            await client.query(`SELECT set_config($1, $2, false)`, [name, value]);
        }
        return client;
    }
    catch (error) {
        await client.end().catch(() => undefined);
        throw error;
    }
}
/**
 * Returns a used session to the state a fresh connection has (what DISCARD ALL does, less
 * pg_advisory_unlock_all: on a multiplexing server such as PGlite the migration lock may share the
 * backend) and re-applies the session settings. Much cheaper than a new backend: no authentication,
 * and the catalog caches stay warm.
 */
async function resetSession(client, sessionSettings = {}) {
    // One round trip: the settings go as literals in the same simple-query message.
    await client.query(resetSessionCommands(sessionSettings).join('; '));
}
/** The commands of `resetSession`; all of them may also run inside a transaction block. */
function resetSessionCommands(sessionSettings = {}) {
    const settings = Object.entries(sessionSettings).map(([name, value]) => `SELECT set_config(${pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].escapeLiteral */ .Ay.escapeLiteral(name)}, ${pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].escapeLiteral */ .Ay.escapeLiteral(value)}, false)`);
    return ['SET SESSION AUTHORIZATION DEFAULT', 'RESET ALL', 'CLOSE ALL', 'DEALLOCATE ALL', 'UNLISTEN *', 'DISCARD TEMP', 'DISCARD SEQUENCES', ...settings];
}
async function closeQuietly(client) {
    if (!client)
        return;
    await client.end().catch(() => undefined);
}
/** Double-quotes an identifier the way Postgres' quote_ident does. */
function quoteIdent(name) {
    return '"' + name.replace(/"/g, '""') + '"';
}
function quoteQualified(schema, table) {
    return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}


/***/ }),

/***/ 7358:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   iM: () => (/* binding */ splitUrl),
/* harmony export */   iY: () => (/* binding */ rawPassword),
/* harmony export */   mx: () => (/* binding */ parseDatabaseUrl)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3916);


const ANY_SCHEME = /^([a-z][a-z0-9+.-]{0,31}):\/\//i;
const POSTGRES_SCHEME = /^(postgres|postgresql)(?:\+([a-z0-9_]+))?$/i;
function splitUrl(value) {
    const scheme = ANY_SCHEME.exec(value);
    if (!scheme)
        return undefined;
    const afterScheme = value.slice(scheme[0].length);
    const at = afterScheme.lastIndexOf('@');
    return at < 0 ? { scheme: scheme[1], rest: afterScheme } : { scheme: scheme[1], userinfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) };
}
/** The password part of the credentials (after the first `:`), raw as written. */
function rawPassword(userinfo) {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? undefined : userinfo.slice(colon + 1);
}
/** Query parameters that name the server or the credentials; the rest are passed on unchanged. */
const STRUCTURAL_PARAMS = new Set(['host', 'port', 'user', 'password', 'dbname']);
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];
/** Parameters whose value the pg driver reads as a file when it builds the connection. */
const FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey'];
/**
 * Accepts `postgres://`, `postgresql://` and the SQLAlchemy form `postgresql+driver://`, with the
 * server as a host, an IPv6 address in brackets, or a unix-socket directory (`host=` query
 * parameter or a percent-encoded path, as libpq takes it). Throws an ActionError naming the part
 * of the URL that is wrong, without ever echoing the credentials.
 */
function parseDatabaseUrl(raw, inputName = 'database-url') {
    const fail = (message, hint) => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ('invalid-input', `Input '${inputName}' ${message}.`, { location: { input: inputName }, hint });
    const value = raw.trim();
    const split = splitUrl(value);
    const scheme = split && POSTGRES_SCHEME.exec(split.scheme);
    if (!split || !scheme) {
        const shown = value.replace(/:\/\/.*$/s, '://…');
        throw fail(`must be a PostgreSQL URL; got '${shown}'`, 'Use postgres://user:password@host:5432/database (postgresql:// and SQLAlchemy forms such as postgresql+psycopg2:// are accepted too).');
    }
    const driver = scheme[2]?.toLowerCase();
    const { userinfo, rest } = split;
    let user;
    let password;
    if (userinfo !== undefined) {
        const colon = userinfo.indexOf(':');
        user = decodeCredential(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name', fail);
        const passwordText = rawPassword(userinfo);
        if (passwordText !== undefined)
            password = decodeCredential(passwordText, 'password', fail);
    }
    if (rest.includes('#')) {
        throw fail('has a # after the host', 'A URL ends at a raw #: percent-encode # as %23 in a database name or parameter value.');
    }
    const queryAt = rest.indexOf('?');
    const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
    const params = parseQuery(queryAt < 0 ? '' : rest.slice(queryAt + 1), fail);
    const slash = beforeQuery.indexOf('/');
    const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
    const path = slash < 0 ? '' : beforeQuery.slice(slash + 1);
    const server = parseHostPort(authority, fail);
    const host = params.get('host') ?? server.host;
    const portText = params.get('port') ?? server.port;
    const port = portText === undefined ? 5432 : Number(portText);
    if (!/^\d+$/.test(portText ?? '5432') || port < 1 || port > 65535) {
        throw fail(`has the port '${portText}', which is not a port number`, 'The port must be a number from 1 to 65535, e.g. postgres://user:password@host:5432/database.');
    }
    user = params.get('user') ?? user;
    password = params.get('password') ?? password;
    const pathDatabase = path === '' ? undefined : decodePart(path, 'database name', fail);
    const database = params.get('dbname') ?? pathDatabase ?? user ?? 'postgres';
    const passOn = [...params].filter(([name]) => !STRUCTURAL_PARAMS.has(name));
    checkTlsParams(new Map(passOn), fail);
    const tlsParam = passOn.find(([name]) => name === 'sslmode') ?? passOn.find(([name]) => name === 'ssl');
    // Without a user the driver's default applies (PGUSER, then the OS user), as with libpq.
    const parts = { host: host || 'localhost', port, database, user: user || undefined, password, params: passOn };
    return {
        forPg: buildUrl('postgresql', parts),
        forSqlAlchemy: buildUrl(driver ? `postgresql+${driver}` : 'postgresql', parts),
        driver,
        host: parts.host,
        port,
        database,
        user: parts.user ?? 'postgres',
        password,
        tls: tlsParam && `${tlsParam[0]}=${tlsParam[1]}`,
        display: buildUrl('postgresql', { ...parts, password: password === undefined ? undefined : '***' }, false)
    };
}
/**
 * Characters that end a user name or password early in some parser (`@` in libpq and SQLAlchemy,
 * `/ ? #` in WHATWG URLs), and a `%` that does not start an escape: each would make the action,
 * the driver and Alembic read different credentials, so they must be percent-encoded.
 */
const UNSAFE_IN_CREDENTIALS = /[@/?#]|%(?![0-9a-f]{2})/gi;
function decodeCredential(text, part, fail) {
    const unsafe = [...new Set(text.match(UNSAFE_IN_CREDENTIALS) ?? [])];
    if (unsafe.length > 0) {
        const listed = unsafe.map((c) => `'${c}'`).join(', ');
        throw fail(`has a ${part} with ${listed} not percent-encoded, which a URL cannot carry as is (the ${part} is not shown)`, `Percent-encode the ${part}: ${unsafe.map((c) => `${c} as ${percentEncode(c)}`).join(', ')}. ` +
            (unsafe.some((c) => '/?#'.includes(c))
                ? 'The credentials end at the last @ of the URL, so an @ after them (in a database name or a parameter value) must be written %40 too. '
                : '') +
            `To encode a whole value: python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' 'value' (or encodeURIComponent in JavaScript).`);
    }
    return decodePart(text, part, fail);
}
function decodePart(text, part, fail) {
    if (/%(?![0-9a-f]{2})/i.test(text)) {
        throw fail(`has a ${part} with a % that does not start an escape such as %25`, `Write a literal % in the ${part} as %25.`);
    }
    try {
        return decodeURIComponent(text);
    }
    catch {
        throw fail(`has a ${part} whose percent-escapes are not UTF-8 (the ${part} is not shown)`, `Percent-encode the ${part} from its UTF-8 bytes, e.g. ä as %C3%A4.`);
    }
}
function percentEncode(character) {
    return character === '%' ? '%25' : encodeURIComponent(character);
}
function parseQuery(query, fail) {
    const params = new Map();
    for (const pair of query.split('&')) {
        if (pair === '')
            continue;
        const eq = pair.indexOf('=');
        // Not echoed: a raw & in a password= value leaves a piece of the password here.
        if (eq <= 0)
            throw fail('has a query parameter without a name=value form', 'Write parameters as ?name=value&name2=value2, and percent-encode & as %26 and = as %3D inside a value.');
        const name = decodePart(pair.slice(0, eq), 'query parameter name', fail);
        params.set(name, decodePart(pair.slice(eq + 1), `value of the query parameter ${name}`, fail));
    }
    return params;
}
function parseHostPort(authority, fail) {
    if (authority.includes(',')) {
        throw fail('names several hosts', 'The action connects to one server: give a single host:port (libpq-style host lists are not supported).');
    }
    const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(authority);
    if (bracketed)
        return { host: bracketed[1], port: bracketed[2] || undefined };
    const colon = authority.lastIndexOf(':');
    const hostText = colon < 0 ? authority : authority.slice(0, colon);
    const port = colon < 0 ? undefined : authority.slice(colon + 1) || undefined;
    return { host: decodePart(hostText, 'host', fail), port };
}
function checkTlsParams(params, fail) {
    const sslmode = params.get('sslmode');
    if (sslmode !== undefined && !SSL_MODES.includes(sslmode)) {
        throw fail(`has sslmode=${sslmode}, which is not an sslmode`, `Use one of ${SSL_MODES.join(', ')} (disable for a service container without TLS).`);
    }
    for (const name of FILE_PARAMS) {
        const file = params.get(name);
        if (file === undefined)
            continue;
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.R_OK);
        }
        catch {
            throw fail(`has ${name}=${file}, but that file does not exist or is not readable`, `Write the certificate to that path in an earlier step, or fix the path in ${name}.`);
        }
    }
}
/**
 * Rebuilds a URL from parsed parts with every part percent-encoded, so that `pg` (WHATWG URL),
 * libpq and SQLAlchemy all decode the same values. A socket directory goes into `host=`, which all
 * three accept.
 */
function buildUrl(scheme, parts, encodePassword = true) {
    const encode = encodeURIComponent;
    const password = parts.password === undefined ? '' : `:${encodePassword ? encode(parts.password) : parts.password}`;
    const credentials = parts.user === undefined && parts.password === undefined ? '' : `${encode(parts.user ?? '')}${password}@`;
    const socket = parts.host.startsWith('/');
    const authority = socket ? '' : `${parts.host.includes(':') ? `[${parts.host}]` : encode(parts.host)}:${parts.port}`;
    const params = socket ? [['host', parts.host], ['port', String(parts.port)], ...parts.params] : parts.params;
    const query = params.length === 0 ? '' : '?' + params.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
    return `${scheme}://${credentials}${authority}/${encode(parts.database)}${query}`;
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bd: () => (/* binding */ isActionError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
class ActionError extends Error {
    /** A code from the catalogue (src/codes.ts), e.g. `auth-failed`, `chain-invalid`. */
    code;
    /** What the user should do about it. */
    hint;
    location;
    /** Extra lines for the report (server detail, the statement, …). */
    details;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'ActionError';
        this.code = code;
        this.hint = options.hint;
        this.location = options.location ?? {};
        this.details = options.details ?? [];
    }
}
function isActionError(error) {
    return error instanceof ActionError;
}
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 8811:
/***/ ((__unused_webpack_module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);


/**
 * libpg-query's Emscripten glue finds `libpg-query.wasm` through `__dirname`, which does not exist in
 * an ES module. In the ncc bundle `import.meta.url` is dist/index.js, and the build copies the WASM
 * next to it (scripts/copy-wasm.mjs). Import this module first, before anything that may load the parser.
 */
const shimmed = globalThis;
shimmed.__dirname ??= (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url));


/***/ }),

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _esm_dirname_shim_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8811);
/* harmony import */ var _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6342);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(577);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(6670);
/* The bundle's entry: everything lives in run(). */
// Must be first: libpg-query's Emscripten glue reads __dirname, which ESM bundles do not define.




// run() reports everything itself; this is the last line of defence, so a bug still fails the step.
await (0,_main_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .e)().catch((error) => _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__.setFailed((0,_redact_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 4001:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bb: () => (/* binding */ alterTableCommands),
/* harmony export */   Bm: () => (/* binding */ calledFunctions),
/* harmony export */   E7: () => (/* binding */ nodeOf),
/* harmony export */   Ke: () => (/* binding */ relationOf),
/* harmony export */   P$: () => (/* binding */ strings),
/* harmony export */   TM: () => (/* binding */ firstLine),
/* harmony export */   YB: () => (/* binding */ addedColumns),
/* harmony export */   be: () => (/* binding */ relationFromNames),
/* harmony export */   ih: () => (/* binding */ tableKey),
/* harmony export */   p_: () => (/* binding */ list),
/* harmony export */   w3: () => (/* binding */ typeString),
/* harmony export */   yL: () => (/* binding */ vectorType),
/* harmony export */   zD: () => (/* binding */ columnConstraints)
/* harmony export */ });
/**
 * Small readers over libpg-query's JSON parse tree, shared by the rules. The tree is untyped here
 * (`Record<string, unknown>`): the rules only look at a handful of fields.
 */
function list(value) {
    return Array.isArray(value) ? value : [];
}
/** `{ Constraint: {...} }` → `{...}` when the node has that type. */
function nodeOf(value, type) {
    return value?.[type];
}
function strings(value) {
    return list(value).map((item) => String(nodeOf(item, 'String')?.sval ?? ''));
}
/** A RangeVar (`relation`) as a name. */
function relationOf(value) {
    const range = value ?? undefined;
    if (!range || typeof range.relname !== 'string')
        return undefined;
    return { schema: typeof range.schemaname === 'string' ? range.schemaname : undefined, name: range.relname };
}
/** Names as the pending set and the catalog are keyed: `public` is the default schema. */
function tableKey(ref) {
    return ref.schema && ref.schema !== 'public' ? `${ref.schema}.${ref.name}` : ref.name;
}
/** A dotted name list (`DROP TABLE a, b.c` objects) as a relation. */
function relationFromNames(names) {
    return names.length > 1 ? { schema: names[names.length - 2], name: names[names.length - 1] } : { name: names[0] ?? '' };
}
/** `vector(1536)`, `text`, `int4[]` from a TypeName node. */
function typeString(typeName) {
    const t = typeName;
    if (!t)
        return 'unknown';
    const names = strings(t.names).filter((n) => n !== 'pg_catalog');
    const mods = list(t.typmods).map((m) => {
        const c = nodeOf(m, 'A_Const');
        return String(c?.ival?.ival ?? c?.sval?.sval ?? '?');
    });
    const arrays = list(t.arrayBounds).length > 0 ? '[]' : '';
    return `${names.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${arrays}`;
}
/** The pgvector family and dimension of a type string such as `vector(1536)` or `public.halfvec(3)`. */
function vectorType(type) {
    const m = /^(?:[a-z_][a-z0-9_]*\.)?(vector|halfvec|sparsevec|bit)(?:\((\d+)\))?$/i.exec(type?.trim() ?? '');
    if (!m)
        return undefined;
    return { family: m[1].toLowerCase(), dimensions: m[2] ? Number(m[2]) : undefined };
}
function alterTableCommands(body) {
    return list(body.cmds)
        .map((c) => nodeOf(c, 'AlterTableCmd'))
        .filter((c) => c !== undefined);
}
/** The column definitions an ALTER TABLE adds (ADD COLUMN). */
function addedColumns(body) {
    return alterTableCommands(body)
        .filter((c) => c.subtype === 'AT_AddColumn')
        .flatMap((c) => {
        const column = nodeOf(c.def, 'ColumnDef');
        return column ? [column] : [];
    });
}
function columnConstraints(column) {
    return list(column.constraints)
        .map((c) => nodeOf(c, 'Constraint'))
        .filter((c) => c !== undefined);
}
/** Every function name called anywhere inside a node, lower-cased and without schema. */
function calledFunctions(value, out = []) {
    if (Array.isArray(value)) {
        for (const v of value)
            calledFunctions(v, out);
    }
    else if (value && typeof value === 'object') {
        const call = value.FuncCall;
        if (call)
            out.push(strings(call.funcname).at(-1)?.toLowerCase() ?? '');
        for (const v of Object.values(value))
            calledFunctions(v, out);
    }
    return out;
}
function firstLine(text, max = 100) {
    const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
    return line.length > max ? line.slice(0, max - 1) + '…' : line.trim();
}


/***/ }),

/***/ 5619:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Km: () => (/* binding */ defineRule),
/* harmony export */   wv: () => (/* binding */ riskRank)
/* harmony export */ });
/* unused harmony export RISKS */
/**
 * The shape of one lint rule (squawk's layout: one module per rule under `rules/`, listed in
 * `registry.ts`). Documentation pages (`docs/rules/<id>.md`) are generated from the same object.
 */
const RISKS = ['low', 'medium', 'high', 'critical'];
function riskRank(risk) {
    return RISKS.indexOf(risk);
}
/** Keeps the id a string literal type, so the registry can derive the union of ids. */
function defineRule(rule) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id))
        throw new Error(`lint rule id '${rule.id}' is not kebab-case`);
    if (rule.check && !rule.appliesTo?.length)
        throw new Error(`lint rule '${rule.id}' has a check but no appliesTo`);
    return rule;
}


/***/ }),

/***/ 4698:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Pc: () => (/* binding */ referencedTables),
/* harmony export */   Vx: () => (/* binding */ SchemaModel),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* unused harmony export formatCount */
/* harmony import */ var _ast_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4001);

class SchemaModel {
    catalog;
    newTables = new Map();
    newIndexes = new Set();
    alteredColumns = new Map();
    addedColumns = new Set();
    constructor(catalog = new Map()) {
        this.catalog = catalog;
    }
    /** Created earlier in the pending set. */
    isNewTable(table) {
        return this.newTables.has(table);
    }
    /** The table a statement's relation names, when it existed before this pending set; undefined for a new one. */
    existingTable(relation) {
        const ref = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)(relation);
        if (!ref)
            return undefined;
        const table = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref);
        return this.isNewTable(table) ? undefined : table;
    }
    isNewIndex(index) {
        return this.newIndexes.has(index);
    }
    /** Added earlier in the pending set (to a table that already existed). */
    isNewColumn(table, column) {
        return this.newTables.has(table) || this.addedColumns.has(`${table}.${column}`);
    }
    /** What the live catalog says, when connected and the table exists. */
    facts(table) {
        return this.newTables.has(table) ? undefined : this.catalog.get(table);
    }
    /** The column's type before the current statement, from the pending set or the catalog. */
    columnType(table, column) {
        return this.alteredColumns.get(`${table}.${column}`) ?? this.newTables.get(table)?.get(column) ?? this.catalog.get(table)?.columns.get(column);
    }
    /** True when the table is known to hold rows; false when known empty or new; undefined when unknown. */
    hasRows(table) {
        if (this.newTables.has(table))
            return false;
        const facts = this.catalog.get(table);
        if (!facts)
            return undefined;
        return facts.hasRows ?? (facts.estimatedRows === undefined ? undefined : facts.estimatedRows > 0);
    }
    /** "table chunks: ~1.2 M rows, 3.4 GB", or undefined without catalog facts. */
    describe(table) {
        if (this.newTables.has(table))
            return `table ${table}: created in this pending set`;
        const facts = this.catalog.get(table);
        if (!facts)
            return undefined;
        const rows = facts.estimatedRows !== undefined
            ? `~${formatCount(facts.estimatedRows)} rows`
            : facts.hasRows === false
                ? 'empty'
                : facts.hasRows
                    ? 'has rows (not analyzed yet)'
                    : 'rows unknown';
        return `table ${table}: ${rows}${facts.totalBytes !== undefined ? `, ${formatBytes(facts.totalBytes)}` : ''}`;
    }
    /** Records what the statement creates or changes, after the rules have seen it. */
    apply(statement) {
        const body = statement.node[statement.kind];
        switch (statement.kind) {
            case 'CreateStmt':
            case 'CreateTableAsStmt': {
                const ref = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)(body.relation ?? body.into?.rel);
                if (!ref)
                    return;
                const columns = new Map();
                for (const element of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_)(body.tableElts)) {
                    const column = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(element, 'ColumnDef');
                    if (column)
                        columns.set(String(column.colname), (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .typeString */ .w3)(column.typeName));
                }
                this.newTables.set((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref), columns);
                return;
            }
            case 'IndexStmt':
                if (typeof body.idxname === 'string')
                    this.newIndexes.add(body.idxname);
                return;
            case 'AlterTableStmt': {
                const ref = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)(body.relation);
                if (!ref)
                    return;
                const table = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref);
                for (const cmd of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .alterTableCommands */ .Bb)(body)) {
                    const column = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(cmd.def, 'ColumnDef');
                    if (cmd.subtype === 'AT_AddColumn' && column) {
                        this.alteredColumns.set(`${table}.${String(column.colname)}`, (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .typeString */ .w3)(column.typeName));
                        this.addedColumns.add(`${table}.${String(column.colname)}`);
                    }
                    if (cmd.subtype === 'AT_AlterColumnType' && column)
                        this.alteredColumns.set(`${table}.${String(cmd.name)}`, (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .typeString */ .w3)(column.typeName));
                }
                return;
            }
            case 'RenameStmt': {
                const ref = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)(body.relation);
                if (body.renameType === 'OBJECT_TABLE' && ref && this.newTables.has((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref))) {
                    const key = (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref);
                    this.newTables.set((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)({ schema: ref.schema, name: String(body.newname) }), this.newTables.get(key));
                }
                return;
            }
            case 'DropStmt':
                if (body.removeType === 'OBJECT_TABLE') {
                    for (const object of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_)(body.objects))
                        this.newTables.delete((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationFromNames */ .be)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .strings */ .P$)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(object, 'List')?.items))));
                }
                return;
            default:
                return;
        }
    }
}
/** Every table a set of statements names, to read from the catalog in one go before linting. */
function referencedTables(statements) {
    const seen = new Map();
    const add = (ref) => {
        if (ref && ref.name)
            seen.set((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .tableKey */ .ih)(ref), ref);
    };
    for (const statement of statements) {
        const body = statement.node[statement.kind];
        add((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)(body.relation));
        if (statement.kind === 'DropStmt' && body.removeType === 'OBJECT_TABLE') {
            for (const object of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_)(body.objects))
                add((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationFromNames */ .be)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .strings */ .P$)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(object, 'List')?.items)));
        }
        if (statement.kind === 'TruncateStmt')
            for (const r of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_)(body.relations))
                add((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(r, 'RangeVar')));
        if (statement.kind === 'VacuumStmt')
            for (const r of (0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_)(body.rels))
                add((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .relationOf */ .Ke)((0,_ast_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeOf */ .E7)(r, 'VacuumRelation')?.relation));
    }
    return [...seen.values()];
}
function formatCount(n) {
    if (n >= 1e9)
        return `${(n / 1e9).toFixed(1)} G`;
    if (n >= 1e6)
        return `${(n / 1e6).toFixed(1)} M`;
    if (n >= 1e3)
        return `${(n / 1e3).toFixed(1)} k`;
    return String(Math.round(n));
}
function formatBytes(n) {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}


/***/ }),

/***/ 577:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/runner/commands.ts
var commands = __nccwpck_require__(6342);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __nccwpck_require__(6670);
;// CONCATENATED MODULE: ./src/logger.ts


const runnerLogger = {
    info: (m) => commands.info((0,redact/* redact */.E$)(m)),
    warning: (m) => commands.warning((0,redact/* redact */.E$)(m)),
    debug: (m) => commands.debug((0,redact/* redact */.E$)(m)),
    group: (title, fn) => commands.group((0,redact/* redact */.E$)(title), fn)
};
function silentLogger(lines = []) {
    return {
        info: (m) => void lines.push(m),
        warning: (m) => void lines.push(`warning: ${m}`),
        debug: () => undefined,
        group: async (title, fn) => {
            lines.push(`[${title}]`);
            return fn();
        }
    };
}

// EXTERNAL MODULE: ./src/connection.ts
var connection = __nccwpck_require__(7199);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __nccwpck_require__(3916);
;// CONCATENATED MODULE: ./src/engines/context.ts

/** What every migration session is set up with: the timeouts from the inputs. */
function migrationSessionSettings(settings) {
    return { lock_timeout: settings.lockTimeout, statement_timeout: settings.statementTimeout };
}
function createEngineContext(settings, client, log, lock) {
    const sessionSettings = migrationSessionSettings(settings);
    return {
        settings,
        client,
        lock,
        log,
        connect: () => (0,connection/* openClient */.My)(settings.databaseUrl, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action migration', sessionSettings }),
        resetSession: (session) => (0,connection/* resetSession */.wD)(session, sessionSettings)
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/report/markdown.ts
/** Small, escaping markdown builders: `core.summary` escapes nothing, and SQL is full of `<`, `|` and backticks. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
/**
 * Prose that may carry `code spans` (hints do: "run `alembic stamp <revision>`"): HTML is escaped
 * outside the spans only, because GFM shows a span's content literally, entities included. Email
 * shapes such as `postgres@db.internal` outside spans are kept from becoming mailto links.
 */
function prose(text) {
    let out = '';
    let i = 0;
    while (i < text.length) {
        const tick = text.indexOf('`', i);
        if (tick < 0)
            break;
        const run = /^`+/.exec(text.slice(tick))[0];
        const close = findRun(text, tick + run.length, run.length);
        if (close < 0) {
            out += plainText(text.slice(i, tick + run.length));
            i = tick + run.length;
            continue;
        }
        out += plainText(text.slice(i, tick)) + text.slice(tick, close + run.length);
        i = close + run.length;
    }
    return out + plainText(text.slice(i));
}
/** The index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(text, from, length) {
    for (const match of text.slice(from).matchAll(/`+/g))
        if (match[0].length === length)
            return from + match.index;
    return -1;
}
// GitHub autolinks `local@domain.tld`; an empty HTML comment after the @ ends the match invisibly and copies as nothing.
function plainText(text) {
    return escapeHtml(text).replace(/([A-Za-z0-9._+-])@(?=[A-Za-z0-9_-]+\.)/g, '$1@<!-- -->');
}
/** Text safe inside a table cell: escaped (code spans kept), pipes protected, one line. */
function cell(text) {
    if (text === undefined || text === '')
        return '';
    return prose(String(text)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
/**
 * Inline code as a GFM code span: shown literally (no entities, no autolinks, no emphasis, unlike
 * `<code>` whose content GitHub parses as markdown), fenced past any backticks inside, one line,
 * pipes escaped so it also survives a table cell.
 */
function code(text) {
    if (text === '')
        return '';
    const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
    const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
    const ticks = '`'.repeat(longest + 1);
    // A span that starts or ends with a backtick (or a space) needs a space of padding, which GFM strips.
    const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
    return `${ticks}${pad}${flat}${pad}${ticks}`;
}
/** `1 attempt`, `2 attempts`; `plural(2, 'query', 'queries')`. */
function plural(count, singular, pluralForm = `${singular}s`) {
    return `${count} ${count === 1 ? singular : pluralForm}`;
}
function table(header, rows) {
    if (rows.length === 0)
        return '';
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}
/** A fenced block whose fence is longer than any backtick run inside it. */
function fence(content, lang = '') {
    const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
    const ticks = '`'.repeat(longest + 1);
    return `${ticks}${lang}\n${content.replace(/\s+$/, '')}\n${ticks}\n`;
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n</details>\n`;
}
/** Keeps one block from eating the job summary's 1 MiB budget. */
function truncate(text, maxChars) {
    if (text.length <= maxChars)
        return text;
    return text.slice(0, maxChars) + `\n… (${text.length - maxChars} more characters cut; see the step log)`;
}

// EXTERNAL MODULE: ./src/sql/parse.ts + 1 modules
var parse = __nccwpck_require__(5862);
;// CONCATENATED MODULE: ./src/blockers.ts
const QUERY_CHARS = 200;
/** First look soon enough for a short lock_timeout; then every second at most. */
const FIRST_LOOK_MS = 50;
const MAX_LOOK_INTERVAL_MS = 1000;
/**
 * Looks, while a statement runs, for the sessions blocking it. The answer must be taken while the
 * statement still waits: once lock_timeout cancels it, pg_blocking_pids of its session is empty.
 * The observer is another session (the one holding the migration lock); most statements end before
 * the first look, so they cost a timer and nothing else.
 */
class BlockerWatch {
    observer;
    blockedPid;
    /** The last sessions seen blocking the statement (empty when it never waited on a lock). */
    blockers = [];
    constructor(observer, blockedPid) {
        this.observer = observer;
        this.blockedPid = blockedPid;
    }
    async during(run) {
        const blockedPid = this.blockedPid;
        if (blockedPid === null)
            return run();
        this.blockers = [];
        let delay = FIRST_LOOK_MS;
        let timer;
        let running = true;
        const look = async () => {
            const found = await blockingSessions(this.observer, blockedPid).catch(() => []);
            if (!running)
                return;
            if (found.length > 0)
                this.blockers = found;
            delay = Math.min(delay * 2, MAX_LOOK_INTERVAL_MS);
            timer = setTimeout(() => void look(), delay);
        };
        timer = setTimeout(() => void look(), delay);
        try {
            return await run();
        }
        finally {
            running = false;
            clearTimeout(timer);
        }
    }
}
async function blockingSessions(client, blockedPid) {
    const result = await client.query(`SELECT pid, application_name AS app, state, left(query, $2) AS query,
            (extract(epoch FROM now() - COALESCE(xact_start, backend_start)) * 1000)::float8 AS ms
       FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids($1)) ORDER BY pid`, [blockedPid, QUERY_CHARS + 1]);
    return result.rows.map((r) => ({
        pid: r.pid,
        applicationName: r.app ?? '',
        state: r.state ?? 'unknown',
        query: r.query && r.query.length > QUERY_CHARS ? `${r.query.slice(0, QUERY_CHARS)}…` : (r.query ?? ''),
        runningForMs: Math.round(r.ms)
    }));
}
/** The backend pid of a connected node-postgres client (not in its type declarations). */
function backendPid(client) {
    return client.processID ?? null;
}
/** "pid 4711 (psql, idle in transaction for 12.3 s): LOCK TABLE busy IN ACCESS EXCLUSIVE MODE" */
function describeBlocker(b) {
    const app = b.applicationName ? `${b.applicationName}, ` : '';
    return `pid ${b.pid} (${app}${b.state} for ${(b.runningForMs / 1000).toFixed(1)} s)${b.query ? `: ${b.query.replace(/\s+/g, ' ').trim()}` : ''}`;
}

;// CONCATENATED MODULE: ./src/pg-errors.ts
function errorCode(error) {
    const e = error;
    if (!e || typeof e !== 'object')
        return undefined;
    if (typeof e.code === 'string' && e.code)
        return e.code;
    // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code.
    if (Array.isArray(e.errors)) {
        for (const inner of e.errors) {
            const code = errorCode(inner);
            if (code)
                return code;
        }
    }
    return undefined;
}
const TLS_CODES = new Set([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'EPROTO'
]);
const NO_PASSWORD_HINT = "Put the password into database-url, percent-encoded: postgres://user:PASSWORD@host:5432/database (for a service container, the POSTGRES_PASSWORD of the service's env).";
function classifyConnectionError(error, context = {}) {
    const code = errorCode(error);
    const message = error?.message ?? String(error);
    const tls = context.tls;
    switch (code) {
        case 'ECONNREFUSED':
            return { kind: 'poll', reason: 'connection refused', code };
        case 'ENOENT':
            // A unix socket appears when the server starts listening, like a port that stops refusing.
            return { kind: 'poll', reason: 'no server socket in that directory', code };
        case 'ECONNRESET':
        case 'EPIPE':
            return { kind: 'poll', reason: 'connection reset', code };
        case '57P03':
            return { kind: 'poll', reason: /shut/i.test(message) ? 'the database system is shutting down' : 'the database system is starting up', code };
        case '53300':
            return { kind: 'backoff', reason: 'too many connections', code };
        case '53400':
            return { kind: 'backoff', reason: 'connection limit exceeded', code };
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return { kind: 'backoff', reason: 'host name not resolvable (yet)', code };
        case 'ETIMEDOUT':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return { kind: 'backoff', reason: 'network timeout or unreachable host', code };
        case '28P01':
            // MD5 authentication hashes a missing password as the text "null": the server just says "wrong".
            if (context.hasPassword === false) {
                return { kind: 'fatal', reason: 'password authentication failed, and database-url has no password', code, actionCode: 'auth-failed', hint: NO_PASSWORD_HINT };
            }
            return {
                kind: 'fatal',
                reason: 'password authentication failed',
                code,
                actionCode: 'auth-failed',
                hint: "Check the password in database-url: for a service container it is the POSTGRES_PASSWORD of the service's env."
            };
        case '28000':
            return {
                kind: 'fatal',
                reason: 'the server rejected the role or host (pg_hba.conf)',
                code,
                actionCode: 'auth-failed',
                hint: 'Check the user name in database-url (POSTGRES_USER of a service container) and that pg_hba.conf allows this host and authentication method.'
            };
        case '3D000':
            return {
                kind: 'fatal',
                reason: 'the database does not exist',
                code,
                actionCode: 'database-missing',
                hint: 'Create the database first, or fix the database name in database-url (POSTGRES_DB of a service container; the default database is "postgres").'
            };
        case 'ERR_INVALID_URL':
            return { kind: 'fatal', reason: 'malformed database URL', code, hint: 'Check database-url; percent-encode special characters in the password.' };
    }
    if (code && TLS_CODES.has(code)) {
        return {
            kind: 'fatal',
            reason: `TLS/SSL error (${code})`,
            code,
            actionCode: 'tls-failed',
            hint: `Fix ${tls ?? 'sslmode'} in database-url: service containers usually do not use TLS (sslmode=disable); for a managed server use sslmode=require or give its CA with sslrootcert=<file>.`
        };
    }
    // pg sends the SCRAM or MD5 answer without asking anyone: no password in the URL, PGPASSWORD or ~/.pgpass.
    if (/client password must be a (non-empty )?string/i.test(message)) {
        return {
            kind: 'fatal',
            reason: 'the server asks for a password, but database-url has none',
            code,
            actionCode: 'auth-failed',
            hint: NO_PASSWORD_HINT
        };
    }
    if (/does not support SSL/i.test(message)) {
        return {
            kind: 'fatal',
            reason: 'the server does not accept TLS connections',
            code,
            actionCode: 'tls-failed',
            hint: `database-url asks for TLS (${tls ?? 'ssl'}), which this server does not offer: use sslmode=disable for a server without TLS such as a service container (the pg driver treats prefer like require), or enable TLS on the server.`
        };
    }
    if (/SSL|TLS|certificate/i.test(message)) {
        return { kind: 'fatal', reason: 'TLS/SSL error', code, actionCode: 'tls-failed', hint: `Check ${tls ?? 'sslmode'} and the certificates in database-url.` };
    }
    if (/timeout/i.test(message)) {
        return { kind: 'backoff', reason: 'connection attempt timed out', code };
    }
    if (/Connection terminated unexpectedly|terminated/i.test(message)) {
        return { kind: 'poll', reason: 'connection closed by the server', code };
    }
    if (code && /^08/.test(code)) {
        return { kind: 'backoff', reason: `connection failure (${code})`, code };
    }
    if (code && /^[0-9A-Z]{5}$/.test(code)) {
        // Any other SQLSTATE on connect is the server answering deliberately: waiting will not change it.
        return { kind: 'fatal', reason: message, code };
    }
    return { kind: 'backoff', reason: message, code };
}
/** The SQLSTATE of a server error; undefined for network and driver errors ("EPIPE" has five capitals too). */
function sqlState(error) {
    const code = errorCode(error);
    return code && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E') ? code : undefined;
}
/** Server errors after which a rolled-back migration may simply be run again. */
const RETRYABLE_STATES = { '55P03': 'lock_not_available', '40P01': 'deadlock_detected', '40001': 'serialization_failure' };
/** Connection failures (08xxx), and the server shutting down, restarting or terminating the session (57P01–57P03). */
const CONNECTION_STATES = /^(08|57P0[123])/;
const CONNECTION_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres reports a dropped or closed connection without a code. */
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|server closed the connection/i;
/** The server went away or the network failed: whatever the session had not committed was rolled back. */
function isConnectionLost(error) {
    const code = errorCode(error);
    if (code && (CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code)))
        return true;
    return CONNECTION_MESSAGES.test(error?.message ?? String(error));
}
/** Failures after which a transactional migration was rolled back completely and may simply be run again. */
function isTransientMigrationError(error) {
    const state = sqlState(error);
    return (state !== undefined && state in RETRYABLE_STATES) || isConnectionLost(error);
}
/** "lock_not_available (55P03)" or "a lost connection (57P01)", for retry notes. */
function describeMigrationError(error) {
    const state = sqlState(error);
    if (isConnectionLost(error))
        return `a lost connection${state ? ` (${state})` : ''}`;
    return `${(state && RETRYABLE_STATES[state]) ?? 'SQLSTATE'} (${state})`;
}

// EXTERNAL MODULE: ./src/sql/error-position.ts
var error_position = __nccwpck_require__(7332);
// EXTERNAL MODULE: ./src/sql/secrets.ts
var secrets = __nccwpck_require__(7985);
;// CONCATENATED MODULE: ./src/engines/sql/plan.ts


/**
 * Also registers the file's password literals as secrets: planning comes before anything of a
 * pending file is shown (plan, lint, a failure excerpt).
 */
function planMigration(parser, migration, serverVersionNum) {
    // The down section too: a failure excerpt near the end of the up section shows its first lines.
    for (const section of [migration.up, migration.down])
        if (section)
            (0,secrets/* registerSqlSecrets */.R)(parser, section.text);
    let statements;
    try {
        statements = parser.parse(migration.up.text, { serverVersionNum });
    }
    catch (error) {
        if (!(error instanceof parse/* SqlSyntaxError */.MO))
            throw error;
        const copy = copyFromClientBefore(parser, migration.up.text, error.offset);
        if (copy)
            return invalid(migration, [], copyFromClientError(migration, copy));
        return invalid(migration, [], {
            message: `${error.message} (PostgreSQL parser)`,
            line: fileLine(migration, error.line),
            column: error.column,
            hint: 'Fix the SQL. Files are plain SQL: psql meta-commands such as \\connect or \\i are not supported.',
            sqlState: '42601'
        });
    }
    if (statements.length === 0) {
        return invalid(migration, [], {
            message: `${migration.file} holds no SQL statement.`,
            line: migration.up.startLine,
            hint: 'Write the migration, or delete the file if it was created by mistake.'
        });
    }
    const copy = statements.find(copiesFromClient);
    if (copy)
        return invalid(migration, statements, copyFromClientError(migration, copy));
    const directive = migration.directives.find((d) => d.name === 'no-transaction');
    if (directive || migration.dbmateNoTransaction) {
        const why = directive ? `-- pg-migrate:no-transaction (line ${directive.line})` : '-- migrate:up transaction:false';
        return {
            migration,
            statements,
            transactional: false,
            notes: [`Runs outside a transaction, statement by statement (${why}).`]
        };
    }
    const refusing = statements.filter((s) => s.noTransaction);
    if (refusing.length > 0) {
        const reasons = refusing.map((s) => `line ${fileLine(migration, s.line)}: ${s.noTransaction.reason}`);
        return {
            migration,
            statements,
            transactional: false,
            notes: [`Runs outside a transaction, statement by statement, detected automatically (${reasons.join('; ')}). A failure part-way leaves the earlier statements applied.`]
        };
    }
    return unwrapTransaction(migration, statements);
}
/**
 * Each transactional migration runs in the action's own transaction together with its history row,
 * so the file's own BEGIN/COMMIT would commit early. A file wrapped in exactly one BEGIN … COMMIT
 * (golang-migrate files often are) is unwrapped; any other transaction control is refused.
 */
function unwrapTransaction(migration, statements) {
    const first = statements[0];
    const last = statements[statements.length - 1];
    const wrapped = statements.length >= 2 && first.transactionControl === 'begin' && last.transactionControl === 'commit';
    const inner = wrapped ? statements.slice(1, -1) : statements;
    const control = inner.find((s) => s.transactionControl && s.transactionControl !== 'savepoint');
    if (control) {
        return invalid(migration, statements, {
            message: `${migration.file} line ${fileLine(migration, control.line)}: "${firstLine(control.text)}" controls the transaction, but each migration already runs in its own transaction together with its history row.`,
            line: fileLine(migration, control.line),
            column: control.column,
            hint: 'Remove BEGIN/COMMIT/ROLLBACK from the file (SAVEPOINT is fine), or add the line -- pg-migrate:no-transaction at the top to run the file statement by statement exactly as written.'
        });
    }
    if (!wrapped)
        return { migration, statements, transactional: true, notes: [] };
    if (inner.length === 0) {
        return invalid(migration, statements, {
            message: `${migration.file} holds only BEGIN and COMMIT.`,
            line: fileLine(migration, first.line),
            hint: 'Write the migration between them, or delete the file.'
        });
    }
    return {
        migration,
        statements: inner,
        transactional: true,
        begin: first.text,
        notes: [`The file's own BEGIN (line ${fileLine(migration, first.line)}) and COMMIT (line ${fileLine(migration, last.line)}) are used as the migration's transaction.`]
    };
}
/** `COPY … FROM STDIN`: its rows would have to come from the client, as psql sends them. */
function copiesFromClient(statement) {
    const copy = statement.node.CopyStmt;
    return copy !== undefined && copy.is_from === true && copy.filename === undefined && !copy.is_program;
}
/**
 * psql's inline rows after `COPY … FROM stdin;` are a syntax error for the server's grammar, at the
 * first row. The text up to there parses when the statement before the rows is such a COPY.
 */
function copyFromClientBefore(parser, text, errorOffset) {
    try {
        const before = parser.parse(text.slice(0, errorOffset));
        const last = before.at(-1);
        return last && copiesFromClient(last) ? last : undefined;
    }
    catch (error) {
        if (error instanceof parse/* SqlSyntaxError */.MO)
            return undefined;
        throw error;
    }
}
function copyFromClientError(migration, copy) {
    const line = fileLine(migration, copy.line);
    return {
        message: `${migration.file} line ${line}: "${firstLine(copy.text)}" reads its rows from the client: rows written inline after it (ending with \\.) are a psql feature, and this action sends the file to the server as SQL statements.`,
        line,
        column: copy.column,
        hint: "Load the rows with INSERT … VALUES (…), or with COPY … FROM '/path/on/the/database/server' (a file the server itself can read), or run psql's \\copy in a separate workflow step."
    };
}
function invalid(migration, statements, error) {
    return { migration, statements, transactional: true, notes: [], invalid: error };
}
/** The history row of a transactional migration. */
function historyEntry(p) {
    const m = p.migration;
    return { version: m.version, name: m.name, checksum: m.checksum, transactional: true, statements: p.statements.length };
}
/** A line of the up section as a line of its file. */
function fileLine(migration, sectionLine) {
    return migration.up.startLine + sectionLine - 1;
}
function firstLine(text) {
    const line = text.split('\n')[0];
    return line.length > 60 ? line.slice(0, 57) + '…' : line;
}

;// CONCATENATED MODULE: ./src/engines/sql/failures.ts








function transactionalFailure(p, failed, attempts) {
    const m = p.migration;
    const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    const recovery = [`Fix ${m.file} and run again: the run starts from ${m.version}.`];
    if (sqlState(failed.error) === '55P03')
        recovery.unshift(lockTimeoutAdvice(failed.blockers ?? []));
    else if (isTransientMigrationError(failed.error))
        recovery.unshift('The failure was transient; running again may succeed (consider raising retries).');
    return {
        ...failureLocation(p, failed),
        databaseState: `Rolled back${tried}: nothing of ${m.file} was applied; the migrations before it stay applied.`,
        recovery
    };
}
/**
 * transaction: all — the run's one transaction failed in `planned[failedIndex]` (the first migration
 * when it failed before any statement, the last at COMMIT): all of it is rolled back.
 */
function runFailure(planned, failedIndex, failed, attempts) {
    const p = planned[failedIndex];
    const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    const ran = failed.phase === 'connect' || failed.phase === 'begin' ? [] : planned.slice(0, failedIndex);
    const notRun = planned.slice(failedIndex + 1);
    const what = [ran.length > 0 && `${versionSpan(ran)} ran and ${ran.length === 1 ? 'was' : 'were'} rolled back with it`, notRun.length > 0 && `${versionSpan(notRun)} did not run`];
    const told = what.filter(Boolean).join('; ');
    const recovery = [`Fix ${p.migration.file} and run again: the run starts again from ${planned[0].migration.version}, all ${planned.length} migrations in one transaction.`];
    if (sqlState(failed.error) === '55P03')
        recovery.unshift(lockTimeoutAdvice(failed.blockers ?? []));
    else if (isTransientMigrationError(failed.error))
        recovery.unshift('The failure was transient; running again may succeed (consider raising retries).');
    return {
        ...failureLocation(p, failed),
        databaseState: `Rolled back${tried}: with transaction: all nothing of this run was applied${told ? ` (${told})` : ''}.`,
        recovery
    };
}
/** transaction: all, but `p` runs outside a transaction: the run is refused before anything is applied. */
function outsideTransactionRefusal(p, index, count) {
    const m = p.migration;
    const statement = p.statements.find((s) => s.noTransaction);
    const directive = m.directives.find((d) => d.name === 'no-transaction');
    const line = statement ? fileLine(m, statement.line) : (directive?.line ?? m.up.startLine - 1);
    const why = statement
        ? `"${firstLine(statement.text)}" cannot run inside a transaction block (${statement.noTransaction.what})`
        : `is marked to run outside a transaction (${directive ? '-- pg-migrate:no-transaction' : '-- migrate:up transaction:false'})`;
    const others = count > 1 ? ` (${plural(index, 'migration')} before it and ${plural(count - index - 1, 'migration')} after it were not run either)` : '';
    return {
        code: 'transaction-all-non-transactional',
        revision: m.version,
        file: m.up.file,
        line,
        column: statement?.column,
        statement: statement?.text,
        excerpt: (0,error_position/* excerptAround */.nk)(m.up.fileText, line, statement?.column),
        message: `Input 'transaction' is 'all' (every pending migration in one transaction), but ${m.file} line ${line} ${why}.`,
        databaseState: `Nothing was applied: the run was refused before it started${others}.`,
        recovery: [
            `Split the chain: apply the migrations before ${m.version} in one run and ${m.file} in a later one, or use transaction: per-migration (the default) for this run.`,
            statement?.noTransaction?.what === 'CREATE INDEX CONCURRENTLY'
                ? `On a table created in the same run (nothing reads it yet), a plain CREATE INDEX without CONCURRENTLY runs in the transaction.`
                : ''
        ].filter(Boolean)
    };
}
/** "0003", "0003 and 0004", "0003 … 0007 (5 migrations)". */
function versionSpan(planned) {
    const versions = planned.map((p) => p.migration.version);
    if (versions.length <= 2)
        return versions.join(' and ');
    return `${versions[0]} … ${versions.at(-1)} (${versions.length} migrations)`;
}
function lockTimeoutAdvice(blockers) {
    if (blockers.length === 0) {
        return 'Another session held a lock the migration needed and was gone before it could be identified. Sessions that block others show in SELECT pid, state, query FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0; or raise lock-timeout / retries, then run again.';
    }
    const who = blockers.map(describeBlocker).join('; ');
    const pids = blockers.map((b) => b.pid).join(', ');
    return `Held the lock the migration needed: ${who}. Let it finish, or end it with SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[${pids}]) AS pid; or raise lock-timeout / retries, then run again.`;
}
function autocommitFailure(p, failed, effect, history) {
    const m = p.migration;
    const base = failureLocation(p, failed);
    if (failed.phase === 'connect') {
        return { ...base, databaseState: `Nothing of ${m.file} was applied: no migration session could be opened.`, recovery: ['Check the server is reachable and run again.'] };
    }
    const failedNumber = effect.stoppedAt + 1;
    const failedLine = failed.statement ? ` Statement ${failedNumber} (line ${fileLine(m, failed.statement.line)}) failed` : '';
    const rest = failedNumber < p.statements.length ? `; statements ${failedNumber + 1}–${p.statements.length} did not run.` : '.';
    const recovery = [`Check what took effect: ${tookEffect(p, effect, 'short')}${failed.statement ? `; statement ${failedNumber} failed and did not complete` : ''}.`];
    if (failed.statement?.noTransaction?.what === 'CREATE INDEX CONCURRENTLY') {
        const index = indexName(failed.statement);
        recovery.push(`A failed CREATE INDEX CONCURRENTLY can leave an INVALID index behind: ${index ? `DROP INDEX CONCURRENTLY IF EXISTS ${index};` : 'find it with SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; and drop it with DROP INDEX CONCURRENTLY.'}`);
    }
    recovery.push(`To retry it: undo the statements that took effect, delete its history row with ${history.sqlDelete(m.version)} fix the file and run again.`, `Or finish it by hand: run the remaining statements, then mark it applied with ${history.sqlMarkClean(m.version)}`, `Either way the action can record it for you: run it once with mode: repair, repair-revision: ${m.version} and repair-action: mark-pending (retry) or mark-applied (finished by hand).`);
    return {
        ...base,
        databaseState: `${m.file} ran outside a transaction: ${tookEffect(p, effect, 'long')}.${rolledBackText(p, effect)}${failedLine}${failed.statement ? rest : ''} Its history row is marked dirty, so later runs stop until it is resolved.`,
        recovery
    };
}
/** Recording that a file run statement by statement has started failed: none of it ran. */
function historyStartFailure(p, error, history) {
    const m = p.migration;
    return {
        revision: m.version,
        file: m.up.file,
        sqlState: sqlState(error),
        message: `Recording the start of ${m.file} in the history table ${history.display} failed: ${(0,src_errors/* errorMessage */.gJ)(error)}`,
        databaseState: `Nothing of ${m.file} was applied: it runs outside a transaction, so it is started only once its history row is written; the migrations before it stay applied.`,
        recovery: [`Check the history table ${history.display} is writable by the database user (INSERT, UPDATE), then run again.`]
    };
}
function invalidFailure(p, index, count) {
    const e = p.invalid;
    const m = p.migration;
    const others = count > 1 ? ` No migration of this run was started (${index} before it and ${count - index - 1} after it were not run either).` : '';
    return {
        revision: m.version,
        file: m.up.file,
        line: e.line,
        column: e.column,
        excerpt: (0,error_position/* excerptAround */.nk)(m.up.fileText, e.line, e.column),
        sqlState: e.sqlState,
        message: e.message,
        serverHint: undefined,
        databaseState: `Nothing was applied: ${m.file} cannot run as written.${others}`,
        recovery: [e.hint, 'Then run again.']
    };
}
/** The lock check before a migration failed: the lock is gone, or the history cannot be re-read. */
function notStartedFailure(p, error) {
    const m = p.migration;
    return {
        revision: m.version,
        file: m.up.file,
        message: (0,src_errors/* errorMessage */.gJ)(error),
        databaseState: `Nothing of ${m.file} was applied: without the migration lock it could race another run. The migrations before it stay applied.`,
        recovery: [(0,src_errors/* isActionError */.Bd)(error) && error.hint ? error.hint : 'Run again once the server is reachable.']
    };
}
/** After re-acquiring a lost lock, the history shows another run left this migration in another state. */
function changedByAnotherRun(p, row, history) {
    const m = p.migration;
    const what = row.dirty ? 'half-applied (its row is dirty)' : `applied from a different file (checksum ${row.checksum}, the file has ${m.checksum})`;
    return {
        revision: m.version,
        file: m.up.file,
        message: `While this run reconnected, another run took the migration lock and left ${m.file} ${what}.`,
        databaseState: `This run did not apply ${m.file}; the migrations before it stay applied.`,
        recovery: [
            row.dirty
                ? `Resolve the half-applied migration (see its row in ${history.display}; the next run explains how), then run again.`
                : 'Two different versions of the chain ran against this database: check which commit the other run applied, then run again.'
        ]
    };
}
/** "Attempt 1 failed with lock_not_available (55P03): … at line 2; rolled back, retrying in 120 ms." */
function retryNote(p, failed, attempt, delayMs) {
    const where = failed.statement ? ` at line ${fileLine(p.migration, failed.statement.line)}` : failed.phase === 'statement' ? '' : ` (${failed.phase})`;
    return `Attempt ${attempt} failed with ${describeMigrationError(failed.error)}: ${(0,src_errors/* errorMessage */.gJ)(failed.error)}${where}; rolled back, retrying in ${delayMs} ms.`;
}
/** Revision, file, line, statement, server fields and excerpt for a failed attempt. */
function failureLocation(p, failed) {
    const m = p.migration;
    const err = failed.error;
    let line;
    let column;
    if (failed.statement) {
        const within = (0,error_position/* serverPositionIndex */.Xm)(failed.statement.text, err.position === undefined ? undefined : Number(err.position) - (failed.positionOffset ?? 0));
        const at = within === undefined ? failed.statement : new parse/* OffsetMap */.cF(m.up.text).lineColumn(failed.statement.start + within);
        line = fileLine(m, at.line);
        column = at.column;
    }
    const detail = [err.detail, err.where ? `Context: ${err.where}` : undefined, err.internalQuery ? `Internal query: ${err.internalQuery}` : undefined].filter(Boolean).join('\n');
    return {
        revision: m.version,
        file: m.up.file,
        line,
        column,
        statement: failed.statement?.text ?? phaseStatement(failed.phase),
        excerpt: line !== undefined ? (0,error_position/* excerptAround */.nk)(m.up.fileText, line, column) : undefined,
        sqlState: sqlState(failed.error),
        message: phaseMessage(failed) + (0,src_errors/* errorMessage */.gJ)(failed.error),
        detail: detail || undefined,
        serverHint: err.hint,
        blockedBy: failed.blockers?.length ? failed.blockers : undefined
    };
}
function phaseStatement(phase) {
    return phase === 'begin' ? 'BEGIN' : phase === 'commit' ? 'COMMIT' : undefined;
}
function phaseMessage(failed) {
    switch (failed.phase) {
        case 'connect':
            return 'Could not open a migration session: ';
        case 'reset':
            return 'Resetting the session before the migration failed: ';
        case 'history':
            return 'Recording the migration in the history table failed: ';
        case 'commit':
            return 'COMMIT failed (deferred constraints and serialization checks run at commit): ';
        default:
            return '';
    }
}
/** "statements 1–2 of 5 (up to line 3) took effect and stay applied", or "… ran" for the recovery step. */
function tookEffect(p, effect, style) {
    const numbers = effect.applied.map((i) => i + 1);
    if (numbers.length === 0)
        return 'none of its statements took effect';
    const prefix = numbers.every((n, i) => n === i + 1);
    const list = prefix ? `1–${numbers.length}` : ranges(numbers);
    if (style === 'short')
        return `statements ${list} ran and stay applied`;
    const upTo = prefix ? ` (up to line ${fileLine(p.migration, p.statements[numbers.length - 1].line)})` : '';
    return `statements ${list} of ${p.statements.length}${upTo} took effect and stay applied`;
}
/** The file's own transactions that did not commit: their statements ran but left nothing behind. */
function rolledBackText(p, effect) {
    return effect.rolledBack
        .filter((block) => block.to >= block.from)
        .map((block) => {
        const begin = fileLine(p.migration, p.statements[block.from].line);
        return ` Statements ${block.from + 1}–${block.to + 1} ran inside the file's own transaction (BEGIN at line ${begin}), which was rolled back: they left nothing behind.`;
    })
        .join('');
}
/** [1, 2, 3, 5] → "1–3, 5" */
function ranges(numbers) {
    const out = [];
    for (let i = 0; i < numbers.length;) {
        let j = i;
        while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1)
            j++;
        out.push(i === j ? String(numbers[i]) : `${numbers[i]}–${numbers[j]}`);
        i = j + 1;
    }
    return out.join(', ');
}
function indexName(statement) {
    const body = statement.node.IndexStmt;
    return body?.idxname ? (0,connection/* quoteQualified */.$s)(body.relation?.schemaname ?? '', body.idxname) : undefined;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
;// CONCATENATED MODULE: ./src/engines/sql/files.ts







const KNOWN_DIRECTIVES = ['no-transaction', 'allow'];
const FILE_NAME = /^(\d+)_([^/\\]+?)(\.up|\.down)?\.sql$/;
const DIRECTIVE = /^--\s*pg-migrate:\s*([A-Za-z0-9_-]+)\s*$/;
/** dbmate's markers, case-insensitive and with optional space after the colon: `-- Migrate: Down`. */
const DBMATE_MARKER = /^--\s*migrate:\s*(up|down)(?=\s|$)(.*)$/i;
/** A comment line shaped like a marker (`-- migration:down`, `--migrate dwn`): word, colon or space, one word, options. */
const MARKER_SHAPE = /^--\s*([a-z]+)(\s*:\s*|\s+)([a-z]*)((?:\s+[\w-]+\s*:\s*[\w-]+)*)$/i;
/** A marker with something glued to it: `-- migrate:down;`, `-- migrate :up`. */
const GLUED_MARKER = /^--\s*migrate\s*:\s*(up|down)/i;
const VALID_MARKERS = '-- migrate:up and -- migrate:down (any case, optionally followed by transaction:false)';
/** Numeric order for versions of any length: `0002` < `10` < `20251016103800`. */
function compareVersions(a, b) {
    const x = canonicalVersion(a);
    const y = canonicalVersion(b);
    if (x.length !== y.length)
        return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
}
/** `0001` and `1` are the same version. Leading zeros that precede a digit go (the regex /^0+(?=\d)/, without one per comparison of a sort). */
function canonicalVersion(version) {
    let start = 0;
    while (version.charCodeAt(start) === 48 && isDigit(version.charCodeAt(start + 1)))
        start++;
    return start === 0 ? version : version.slice(start);
}
function isDigit(code) {
    return code >= 48 && code <= 57;
}
/**
 * Checksums are taken over the up section with CRLF normalized to LF: a checkout with
 * core.autocrlf on Windows must not look like a changed migration.
 */
function checksumOf(upText) {
    return (0,external_node_crypto_.hash)('sha256', normalizeNewlines(upText), 'hex');
}
function normalizeNewlines(text) {
    return text.replace(/\r\n/g, '\n');
}
async function loadSqlMigrations(directory, cwd = process.cwd(), options = {}) {
    const absolute = external_node_path_default().resolve(cwd, directory);
    const entries = await listSqlFiles(absolute, directory);
    // One path.relative for the directory, not one per file: it resolves both paths each time.
    const relativeDirectory = toPosix(external_node_path_default().relative(cwd, absolute));
    const relative = (fileName) => (relativeDirectory ? `${relativeDirectory}/${fileName}` : fileName);
    const bad = entries.filter((f) => !FILE_NAME.test(f));
    if (bad.length > 0) {
        throw new src_errors/* ActionError */.lZ('sql-bad-file-name', `${plural(bad.length, 'SQL file')} in ${directory} ${bad.length === 1 ? 'does' : 'do'} not match <version>_<name>.sql: ${bad.join(', ')}.`, {
            location: { file: relative(bad[0]) },
            hint: 'Name migrations like 0001_create_documents.sql or 20251016103800_add_chunks.sql (digits, underscore, name), or <version>_<name>.up.sql / .down.sql pairs. Move other SQL files out of the migrations directory.'
        });
    }
    const groups = new Map();
    const byVersion = new Map();
    for (const fileName of entries) {
        const [, version, name, suffix] = FILE_NAME.exec(fileName);
        const key = `${version}_${name}`;
        const group = groups.get(key) ?? { version, name };
        if (suffix === '.up')
            group.up = fileName;
        else if (suffix === '.down')
            group.down = fileName;
        else
            group.plain = fileName;
        groups.set(key, group);
        const canonical = canonicalVersion(version);
        const files = byVersion.get(canonical) ?? [];
        if (suffix !== '.down')
            files.push(fileName);
        byVersion.set(canonical, files);
    }
    for (const group of groups.values()) {
        if (group.plain && (group.up || group.down)) {
            const others = [group.up, group.down].filter(Boolean).join(' and ');
            throw new src_errors/* ActionError */.lZ('sql-duplicate-version', `${group.plain} and ${others} define the same migration twice.`, {
                location: { file: relative(group.plain) },
                hint: 'Keep either the single file (with -- migrate:up / -- migrate:down sections) or the .up.sql/.down.sql pair.'
            });
        }
        if (group.down && !group.up) {
            throw new src_errors/* ActionError */.lZ('sql-missing-up', `${group.down} has no matching ${group.version}_${group.name}.up.sql.`, {
                location: { file: relative(group.down) },
                hint: 'Add the up file, or remove the down file.'
            });
        }
    }
    const duplicates = [...byVersion.values()].filter((files) => files.length > 1);
    if (duplicates.length > 0) {
        const lines = duplicates.map((files) => files.join(' and '));
        throw new src_errors/* ActionError */.lZ('sql-duplicate-version', `Several migrations share a version: ${lines.join('; ')}.`, {
            location: { file: relative(duplicates[0][1]) },
            hint: 'Every migration needs its own version number; renumber the newer file (versions compare as numbers, so 0001 and 1 are the same).'
        });
    }
    const migrations = [];
    for (const group of groups.values()) {
        migrations.push(await loadGroup(absolute, relative, group, options));
    }
    return migrations.sort((a, b) => compareVersions(a.version, b.version));
}
async function listSqlFiles(absolute, directory) {
    let entries;
    try {
        entries = await (0,promises_.readdir)(absolute, { withFileTypes: true });
    }
    catch (error) {
        throw new src_errors/* ActionError */.lZ('migrations-path-missing', `The migrations directory ${directory} cannot be read: ${(0,src_errors/* errorMessage */.gJ)(error)}.`, {
            location: { input: 'migrations-path' },
            hint: 'Set migrations-path to the directory that holds the <version>_<name>.sql files, relative to the repository root (and check out the repository first).'
        });
    }
    const sql = entries.filter((e) => e.name.toLowerCase().endsWith('.sql'));
    // Only links need a stat (the directory listing gives every other entry's type); subdirectories and dangling links are not migrations.
    const isFile = await Promise.all(sql.map(async (e) => (e.isSymbolicLink() ? ((await (0,promises_.stat)(external_node_path_default().join(absolute, e.name)).catch(() => undefined))?.isFile() ?? false) : e.isFile())));
    return sql
        .filter((_, i) => isFile[i])
        .map((e) => e.name)
        .sort();
}
/** A file the directory listing named: path.join would normalize the whole path again for each of them. */
function inDirectory(absoluteDirectory, fileName) {
    return absoluteDirectory.endsWith((external_node_path_default()).sep) ? absoluteDirectory + fileName : absoluteDirectory + (external_node_path_default()).sep + fileName;
}
async function loadGroup(absolute, relative, group, options) {
    const { version, name } = group;
    if (group.plain) {
        const file = relative(group.plain);
        const text = readText(inDirectory(absolute, group.plain), file);
        const lines = text.split('\n');
        const suspects = suspectMarkers(lines);
        if (suspects.length > 0 && options.provisionalSplits) {
            const provisional = provisionalSplit(version, name, file, text, suspects);
            if (provisional)
                return provisional;
        }
        return splitPlainFile(version, name, file, text, await linesInsideLiterals(text, lines, suspects));
    }
    const upFile = relative(group.up);
    const upText = readText(inDirectory(absolute, group.up), upFile);
    const up = { text: upText, startLine: 1, file: upFile, fileText: upText };
    let down;
    if (group.down) {
        const downFile = relative(group.down);
        const downText = readText(inDirectory(absolute, group.down), downFile);
        down = { text: downText, startLine: 1, file: downFile, fileText: downText };
    }
    return finish({ version, name, style: 'pair', file: upFile, up, down, dbmateNoTransaction: false });
}
function splitPlainFile(version, name, file, text, insideLiteral) {
    const sections = splitDbmateSections(text, file, insideLiteral);
    const up = { text: sections?.up.text ?? text, startLine: sections?.up.startLine ?? 1, file, fileText: text };
    const down = sections?.down ? { ...sections.down, file, fileText: text } : undefined;
    return finish({ version, name, style: sections ? 'dbmate' : 'plain', file, up, down, dbmateNoTransaction: sections?.noTransaction ?? false });
}
/**
 * Every marker taken at its word, when that split stands on its own: the up marker comes before any
 * line that may open a literal (so it is a marker), and no marker-like line would be an error (the
 * lexer's split, which can only drop markers, could not fail either). Undefined otherwise.
 */
function provisionalSplit(version, name, file, text, suspects) {
    let split;
    try {
        split = splitPlainFile(version, name, file, text, new Set());
    }
    catch {
        return undefined;
    }
    const upMarkerLine = split.up.startLine - 1;
    return suspects.every((s) => s.line > upMarkerLine) ? { ...split, provisional: true } : undefined;
}
/**
 * The lexer's split of a provisionally split file. The history's checksum can stand in for it: equal
 * up sections hash alike, and the up section a run applied ended where its lexer put a marker (or at
 * the end of the file, after SQL the server accepted, so outside any literal); lexed from the same
 * certain up marker, the file splits there again.
 */
async function settleSections(migration) {
    if (!migration.provisional)
        return migration;
    const { version, name, file } = migration;
    const text = migration.up.fileText;
    const lines = text.split('\n');
    return splitPlainFile(version, name, file, text, await linesInsideLiterals(text, lines, suspectMarkers(lines)));
}
function finish(m) {
    if (!hasSql(m.up.text)) {
        const where = m.style === 'dbmate' ? ` (its -- migrate:up section, from line ${m.up.startLine})` : '';
        throw new src_errors/* ActionError */.lZ('sql-empty-migration', `The up migration of ${m.file}${where} is empty: it holds no SQL.`, {
            location: { file: m.file, line: m.up.startLine, revision: m.version },
            hint: 'Write the migration, or delete the file if it was created by mistake.'
        });
    }
    return { ...m, checksum: checksumOf(m.up.text), directives: readDirectives(m.up.text, m.up.startLine) };
}
/**
 * Read synchronously: migrations are small files, and for 1,000 of them a blocking read took a
 * fifth of the time (and an eighth of the CPU) of reading them in parallel through the thread pool
 * (bench/README.md); nothing else waits on the event loop while the chain loads.
 */
/** `fatal` rejects invalid UTF-8 instead of silently inserting U+FFFD into the SQL; a BOM is dropped. One for all files: each decode starts afresh. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
function readText(absolutePath, file) {
    let bytes;
    try {
        bytes = (0,external_node_fs_.readFileSync)(absolutePath);
    }
    catch (error) {
        throw new src_errors/* ActionError */.lZ('sql-unreadable-file', `The migration file ${file} cannot be read: ${(0,src_errors/* errorMessage */.gJ)(error)}.`, {
            location: { file },
            hint: 'Check the file exists and is readable by the runner user.'
        });
    }
    try {
        return normalizeNewlines(UTF8.decode(bytes));
    }
    catch {
        const at = firstInvalidUtf8(bytes);
        throw new src_errors/* ActionError */.lZ('sql-not-utf8', `The migration file ${file} is not valid UTF-8 (first bad byte at offset ${at}).`, {
            location: { file },
            hint: 'Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8). PostgreSQL migrations are sent as UTF-8.'
        });
    }
}
function firstInvalidUtf8(bytes) {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let low = 0;
    let high = bytes.length;
    // The longest valid prefix, give or take one multi-byte sequence.
    while (low < high) {
        const mid = (low + high + 1) >> 1;
        try {
            decoder.decode(bytes.subarray(0, mid));
            low = mid;
        }
        catch {
            high = mid - 1;
        }
    }
    return low;
}
/**
 * Undefined for a file without `-- migrate:` markers. `insideLiteral` holds the 1-based lines that
 * start inside a string, dollar-quoted body or block comment: a marker there is text, not a marker.
 */
function splitDbmateSections(text, file, insideLiteral = new Set()) {
    const lines = text.split('\n');
    const markers = [];
    for (const candidate of markerCandidates(lines)) {
        if (insideLiteral.has(candidate.line))
            continue;
        if (candidate.kind === 'look-alike')
            rejectLookAlike(file, candidate.line, lines[candidate.line - 1].trim());
        else
            markers.push({ kind: candidate.kind, line: candidate.line, options: candidate.options });
    }
    if (markers.length === 0)
        return undefined;
    const reject = (message, line, hint) => {
        throw new src_errors/* ActionError */.lZ('sql-bad-sections', `${file}: ${message}`, { location: { file, line }, hint });
    };
    const ups = markers.filter((m) => m.kind === 'up');
    const downs = markers.filter((m) => m.kind === 'down');
    if (ups.length === 0)
        reject('has a -- migrate:down section but no -- migrate:up section.', downs[0].line, 'Add a -- migrate:up line before the up migration.');
    if (ups.length > 1)
        reject(`has ${ups.length} -- migrate:up lines (lines ${ups.map((m) => m.line).join(', ')}).`, ups[1].line, 'Keep one -- migrate:up section.');
    if (downs.length > 1)
        reject(`has ${downs.length} -- migrate:down lines (lines ${downs.map((m) => m.line).join(', ')}).`, downs[1].line, 'Keep one -- migrate:down section.');
    const before = lines.slice(0, markers[0].line - 1).join('\n');
    if (hasSql(before)) {
        reject(`has SQL before its first -- migrate: line (line ${markers[0].line}).`, 1, 'Move the SQL into the -- migrate:up or -- migrate:down section.');
    }
    const section = (marker) => {
        const next = markers.find((m) => m.line > marker.line);
        const end = next ? next.line - 1 : lines.length;
        return { text: lines.slice(marker.line, end).join('\n'), startLine: marker.line + 1 };
    };
    return {
        up: section(ups[0]),
        down: downs[0] ? section(downs[0]) : undefined,
        noTransaction: /\btransaction\s*:\s*false\b/i.test(ups[0].options)
    };
}
/** Marker lines and lines that look like a mistyped marker, before knowing which are inside literals. */
function markerCandidates(lines) {
    const candidates = [];
    lines.forEach((raw, i) => {
        const line = raw.trim();
        if (!line.startsWith('--'))
            return;
        const marker = DBMATE_MARKER.exec(line);
        if (marker)
            candidates.push({ kind: marker[1].toLowerCase(), line: i + 1, options: marker[2].trim() });
        else if (looksLikeMarker(line))
            candidates.push({ kind: 'look-alike', line: i + 1, options: '' });
    });
    return candidates;
}
/**
 * A mistyped marker would otherwise be a plain comment, so a down section would run as part of the
 * up migration. `-- migrate:` followed by one other word is one; so is a word close to "migrate"
 * followed by a word close to up/down and nothing but options (`-- migration: down`, `-- migrate dwn`).
 * Prose (`-- migrate: move the rows to b`) is not.
 */
function looksLikeMarker(line) {
    // Markers are short; the length bound also keeps the pattern linear on long runs of spaces.
    const shape = line.length <= 120 ? MARKER_SHAPE.exec(line) : null;
    if (!shape)
        return GLUED_MARKER.test(line);
    const [first, separator, second] = [shape[1].toLowerCase(), shape[2].trim(), shape[3].toLowerCase()];
    if (first === 'migrate' && separator === ':')
        return true;
    const nearMigrate = first.startsWith('migrat') || editDistance(first, 'migrate') <= 2;
    const nearDirection = second.length >= 2 && (editDistance(second, 'up') <= 1 || editDistance(second, 'down') <= 2);
    return nearMigrate && nearDirection;
}
function rejectLookAlike(file, line, text) {
    throw new src_errors/* ActionError */.lZ('sql-bad-section-marker', `${file}:${line}: "${text}" looks like a dbmate section marker but is not one, so everything below it would run as part of the section above it. The markers are ${VALID_MARKERS}.`, {
        location: { file, line },
        hint: `Write the line as -- migrate:up or -- migrate:down. If it is meant as a comment, reword it so it does not read like a marker.`
    });
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
/**
 * The marker-like lines that follow a line that may leave a literal open: only PostgreSQL's lexer
 * can tell whether they are markers. Most files have none, so loading a chain stays parser-free.
 */
function suspectMarkers(lines) {
    const candidates = markerCandidates(lines);
    if (candidates.length === 0)
        return [];
    const firstOpener = lines.findIndex(mayLeaveLiteralOpen);
    return candidates.filter((c) => firstOpener >= 0 && c.line > firstOpener + 1);
}
/** The suspect lines (1-based) that start inside a literal or block comment, found by PostgreSQL's own lexer (loaded only for suspects). */
async function linesInsideLiterals(text, lines, suspects) {
    const inside = new Set();
    if (suspects.length === 0)
        return inside;
    // Without tokens every marker counts; the section holding the broken SQL then fails to parse.
    const tokens = (await (0,parse/* loadSqlParser */.Ok)()).scan(text) ?? [];
    const lineStarts = [0];
    for (const line of lines)
        lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1);
    for (const { line } of suspects) {
        const offset = lineStarts[line - 1];
        if (tokens.some((t) => t.start < offset && offset < t.end))
            inside.add(line);
    }
    return inside;
}
/**
 * Conservative: false only when the line cannot end inside a string, quoted identifier, dollar
 * quote or block comment — after removing its closed simple strings and identifiers, no quote, `$`
 * or `/*` is left.
 */
function mayLeaveLiteralOpen(line) {
    return /['"$]|\/\*/.test(line.replace(/'[^'\\\n]*'|"[^"\n]*"/g, ''));
}
/** `-- pg-migrate:<name>` lines in the comment block at the top of the section. */
function readDirectives(text, startLine) {
    const directives = [];
    // Line by line from the top, not text.split: the comment block is short, the migration may be long.
    for (let start = 0, i = 0; start <= text.length; i++) {
        const end = text.indexOf('\n', start);
        const line = text.slice(start, end === -1 ? text.length : end).trim();
        start = end === -1 ? text.length + 1 : end + 1;
        if (line === '')
            continue;
        if (!line.startsWith('--'))
            break;
        const m = DIRECTIVE.exec(line);
        if (m)
            directives.push({ name: m[1].toLowerCase(), line: startLine + i });
    }
    return directives;
}
/**
 * True when the text holds anything but whitespace and comments. A small scanner, not a SQL parser:
 * it only has to tell "empty" from "not empty", and strings cannot start before the first token.
 */
function hasSql(text) {
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (/\s/.test(c) || c === ';') {
            i++;
        }
        else if (text.startsWith('--', i)) {
            const nl = text.indexOf('\n', i);
            i = nl === -1 ? text.length : nl + 1;
        }
        else if (text.startsWith('/*', i)) {
            // Postgres block comments nest.
            let depth = 0;
            while (i < text.length) {
                if (text.startsWith('/*', i)) {
                    depth++;
                    i += 2;
                }
                else if (text.startsWith('*/', i)) {
                    depth--;
                    i += 2;
                    if (depth === 0)
                        break;
                }
                else
                    i++;
            }
        }
        else {
            return true;
        }
    }
    return false;
}
function toPosix(p) {
    return p.split((external_node_path_default()).sep).join('/');
}

;// CONCATENATED MODULE: ./src/engines/sql/lock-guard.ts


/**
 * How long a confirmed lock is trusted for a transactional migration's first attempt while its
 * session stays open: the pg_locks query was one more round trip per migration. Losing the lock
 * means losing its session, which closes it (server restart, terminated backend), and a lost server
 * fails the migration too, whose retry checks for real; the interval bounds the time a silently
 * dead connection could go unnoticed.
 */
const TRUST_MS = 1000;
/**
 * Checked before every attempt of every migration: the migration lock is still held. When it was
 * lost (its session died with the server) and re-acquired, another runner may have applied
 * migrations in between: the history is read again, and what it lists is not applied twice.
 */
class LockGuard {
    lock;
    history;
    /** The history as read after the last re-acquisition; undefined while the lock was never lost. */
    rows;
    /** The lock session last confirmed, when, and whether it has closed since. */
    confirmed;
    constructor(lock, history) {
        this.lock = lock;
        this.history = history;
    }
    /** The lock's session: alive after `check`, it records the progress of non-transactional files. */
    get session() {
        return this.lock.session;
    }
    /** `attempt` > 1 follows a failure, after which the lock is always checked on the server. */
    async check(p, attempt) {
        try {
            if (!(p.transactional && attempt === 1 && (await this.trustedAfterPendingEvents())))
                await this.hold();
        }
        catch (error) {
            return { status: 'failed', failure: notStartedFailure(p, error) };
        }
        return this.verdict(p);
    }
    /**
     * transaction: all — the lock checked once before each attempt of the whole run; the versions
     * another run applied while the lock was lost are left out of the attempt.
     */
    async checkAll(planned, attempt) {
        try {
            if (!(attempt === 1 && (await this.trustedAfterPendingEvents())))
                await this.hold();
        }
        catch (error) {
            return { status: 'failed', failure: notStartedFailure(planned[0], error) };
        }
        const appliedElsewhere = [];
        for (const p of planned) {
            const verdict = this.verdict(p);
            if (verdict.status === 'failed')
                return verdict;
            if (verdict.status === 'applied-elsewhere')
                appliedElsewhere.push(p.migration.version);
        }
        return { status: 'go', appliedElsewhere };
    }
    verdict(p) {
        const row = this.rows?.get(canonicalVersion(p.migration.version));
        if (!row)
            return { status: 'go' };
        if (row.dirty || row.checksum !== p.migration.checksum)
            return { status: 'failed', failure: changedByAnotherRun(p, row, this.history) };
        return { status: 'applied-elsewhere' };
    }
    /** After the connection was lost at COMMIT: whether the commit went through. */
    async committed(p) {
        try {
            await this.hold();
            return await this.history.has(this.lock.session, p.migration.version);
        }
        catch {
            return false;
        }
    }
    async hold() {
        const reacquired = await this.lock.ensureHeld();
        this.confirm();
        if (!reacquired)
            return;
        const rows = (await this.history.read(this.lock.session)) ?? [];
        this.rows = new Map(rows.map((r) => [canonicalVersion(r.version), r]));
    }
    /** A close that arrived together with the last migration's result is handled first. */
    async trustedAfterPendingEvents() {
        await new Promise((resolve) => setImmediate(resolve));
        return this.trusted();
    }
    trusted() {
        const c = this.confirmed;
        return c !== undefined && !c.closed && c.session === this.lock.session && Date.now() - c.at < TRUST_MS;
    }
    confirm() {
        const session = this.lock.session;
        if (this.confirmed?.session === session) {
            this.confirmed.at = Date.now();
            return;
        }
        const confirmed = { session, at: Date.now(), closed: false };
        session.once('end', () => (confirmed.closed = true));
        this.confirmed = confirmed;
    }
}

;// CONCATENATED MODULE: ./src/backoff.ts
/**
 * Exponential backoff with jitter between `minMs` and `maxMs`. `poll()` returns the short interval
 * for cheap failures; `next()` grows for costly ones. Randomness is injected for tests.
 */
class Backoff {
    minMs;
    maxMs;
    random;
    failures = 0;
    constructor(minMs, maxMs, random = Math.random) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }
    /** The short interval: cheap failures are polled, not backed off. */
    poll() {
        return this.minMs;
    }
    /** Full jitter over [min, min·2^n] capped at max — spreads concurrent jobs apart. */
    next() {
        const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.failures);
        this.failures++;
        return Math.round(this.minMs + this.random() * (ceiling - this.minMs));
    }
    reset() {
        this.failures = 0;
    }
}
const backoff_sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __nccwpck_require__(3849);
;// CONCATENATED MODULE: ./src/engines/sql/history.ts




const { escapeLiteral } = esm/* default */.Ay;
function provenanceFromEnv(env = process.env) {
    const runId = env.GITHUB_RUN_ID ? [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('/') : null;
    return {
        appliedBy: env.GITHUB_ACTOR || null,
        gitSha: env.GITHUB_SHA || null,
        runId,
        repository: env.GITHUB_REPOSITORY || null
    };
}
/**
 * Every column the action reads or writes — the columns of the CREATE TABLE in ensure(); keep the two
 * in step — with the types it works with and how to add it to a table that has rows. All are
 * required: the table has had these 13 columns since its first version, and every insert writes
 * them. `mayBeNull`: the action inserts NULL there (an explicit NULL, which a default does not replace).
 */
const COLUMNS = [
    { name: 'version', add: 'text', types: ['text', 'character varying'] },
    { name: 'name', add: "text NOT NULL DEFAULT ''", types: ['text', 'character varying'] },
    { name: 'checksum', add: "text NOT NULL DEFAULT ''", types: ['text', 'character varying'] },
    { name: 'applied_at', add: 'timestamptz NOT NULL DEFAULT now()', types: ['timestamp with time zone', 'timestamp without time zone'] },
    { name: 'execution_ms', add: 'integer', types: ['integer', 'bigint'], mayBeNull: true },
    { name: 'applied_by', add: 'text DEFAULT current_user', types: ['text', 'character varying', 'name'] },
    { name: 'transactional', add: 'boolean NOT NULL DEFAULT true', types: ['boolean'] },
    { name: 'dirty', add: 'boolean NOT NULL DEFAULT false', types: ['boolean'] },
    { name: 'statements_done', add: 'integer', types: ['integer', 'bigint'] },
    { name: 'statements_total', add: 'integer', types: ['integer', 'bigint'] },
    { name: 'git_sha', add: 'text', types: ['text', 'character varying'], mayBeNull: true },
    { name: 'run_id', add: 'text', types: ['text', 'character varying'], mayBeNull: true },
    { name: 'repository', add: 'text', types: ['text', 'character varying'], mayBeNull: true }
];
/** Without these the table is some other tool's, not an older or hand-made copy of ours. */
const IDENTIFYING_COLUMNS = ['version', 'checksum'];
/** transaction: all — when the current migration started, transaction-local so nothing of it outlives the run. */
const MIGRATION_STARTED = 'pg_migrate_action.migration_started';
const MARK_MIGRATION_STARTED = `SELECT set_config('${MIGRATION_STARTED}', clock_timestamp()::text, true)`;
class HistoryTable {
    name;
    qualified;
    /** As the user would write it, for messages. */
    display;
    constructor(name) {
        this.name = name;
        this.qualified = (0,connection/* quoteQualified */.$s)(name.schema, name.table);
        this.display = name.schema ? `${name.schema}.${name.table}` : name.table;
    }
    /** Null when the table does not exist. Throws ActionError when it exists but is not ours. */
    async read(client) {
        const facts = await this.facts(client);
        if (facts === null)
            return null;
        this.checkShape(facts);
        let result;
        try {
            // Cast to the types the rows are read as: varchar and bigint columns are accepted too.
            result = await client.query(`SELECT version::text, name::text, checksum::text, applied_at, execution_ms::integer, applied_by::text,
                transactional, dirty, statements_done::integer, statements_total::integer
           FROM ${this.qualified}`);
        }
        catch (error) {
            throw this.unreadable(error);
        }
        const rows = result.rows.map((r) => ({
            version: String(r.version),
            name: r.name ?? '',
            checksum: r.checksum ?? '',
            appliedAt: r.applied_at,
            executionMs: r.execution_ms,
            appliedBy: r.applied_by,
            transactional: r.transactional !== false,
            dirty: r.dirty === true,
            statementsDone: r.statements_done,
            statementsTotal: r.statements_total
        }));
        return rows.sort((a, b) => compareVersions(a.version, b.version));
    }
    /** Columns and the key on version, or null when the table does not exist (its schema may not exist either). */
    async facts(client) {
        try {
            const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [this.qualified]);
            if (!exists.rows[0].exists)
                return null;
            const columns = await client.query(`SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AS "notNull", atthasdef AS "hasDefault"
           FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [this.qualified]);
            const unique = await client.query(`SELECT EXISTS (
           SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL AND a.attname = 'version'
         ) AS unique`, [this.qualified]);
            return { columns: columns.rows, versionUnique: unique.rows[0].unique };
        }
        catch (error) {
            throw this.unreadable(error);
        }
    }
    /**
     * Checked before anything is applied: a table of another shape would otherwise fail the first
     * insert, and the failure would point at the migration instead of the table.
     */
    checkShape({ columns, versionUnique }) {
        const byName = new Map(columns.map((c) => [c.name, c]));
        const foreign = IDENTIFYING_COLUMNS.filter((c) => !byName.has(c));
        if (foreign.length > 0) {
            throw new src_errors/* ActionError */.lZ('history-table-incompatible', `The table ${this.display} exists but is not a pg-migrate-action history table (it has no column ${foreign.join(', ')}).`, {
                location: { input: 'history-table' },
                hint: 'Another tool probably owns it. Set the history-table input to a name no other tool uses, e.g. public.pg_migrate_history.'
            });
        }
        const problems = [];
        const fixes = [];
        for (const column of COLUMNS) {
            const found = byName.get(column.name);
            if (!found) {
                problems.push(`no column ${column.name}`);
                fixes.push(`ALTER TABLE ${this.qualified} ADD COLUMN ${(0,connection/* quoteIdent */.v4)(column.name)} ${column.add};`);
                continue;
            }
            if (!column.types.includes(found.type)) {
                const [type] = column.add.split(' ');
                problems.push(`column ${column.name} is ${found.type}, not ${column.types.join(' or ')}`);
                fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${(0,connection/* quoteIdent */.v4)(column.name)} TYPE ${type} USING ${(0,connection/* quoteIdent */.v4)(column.name)}::${type};`);
            }
            if (column.mayBeNull && found.notNull) {
                problems.push(`column ${column.name} is NOT NULL, but the action records NULL there when it has no value`);
                fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${(0,connection/* quoteIdent */.v4)(column.name)} DROP NOT NULL;`);
            }
        }
        const known = new Set(COLUMNS.map((c) => c.name));
        for (const extra of columns.filter((c) => !known.has(c.name) && c.notNull && !c.hasDefault)) {
            problems.push(`column ${extra.name} is NOT NULL without a default, and the action does not write it`);
            fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${(0,connection/* quoteIdent */.v4)(extra.name)} DROP NOT NULL;`);
        }
        if (!versionUnique && byName.has('version')) {
            problems.push('no primary key or unique index on version, so nothing stops a migration from being recorded twice');
            fixes.push(`ALTER TABLE ${this.qualified} ADD PRIMARY KEY (version);`);
        }
        if (problems.length === 0)
            return;
        throw new src_errors/* ActionError */.lZ('history-table-shape', `The history table ${this.display} does not have the shape pg-migrate-action writes: ${problems.join('; ')}. Nothing was applied.`, {
            location: { input: 'history-table' },
            hint: `Bring it into shape (as its owner, after checking the statements against your data), or set the history-table input to a new table name and let the action create it:\n${fixes.join('\n')}`
        });
    }
    /**
     * Creates the table (and its schema) when missing. Existence is checked first because
     * CREATE … IF NOT EXISTS still demands CREATE privilege, which a migration role may lack.
     */
    async ensure(client) {
        try {
            const found = await client.query(`SELECT to_regclass($1) IS NOT NULL AS table, to_regnamespace($2) IS NOT NULL AS schema`, [
                this.qualified,
                (0,connection/* quoteIdent */.v4)(this.name.schema || 'public')
            ]);
            if (found.rows[0].table)
                return;
            if (this.name.schema && !found.rows[0].schema)
                await client.query(`CREATE SCHEMA IF NOT EXISTS ${(0,connection/* quoteIdent */.v4)(this.name.schema)}`);
            await client.query(`CREATE TABLE IF NOT EXISTS ${this.qualified} (
           version text PRIMARY KEY,
           name text NOT NULL,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now(),
           execution_ms integer,
           applied_by text DEFAULT current_user,
           transactional boolean NOT NULL DEFAULT true,
           dirty boolean NOT NULL DEFAULT false,
           statements_done integer,
           statements_total integer,
           git_sha text,
           run_id text,
           repository text
         )`);
        }
        catch (error) {
            throw new src_errors/* ActionError */.lZ('history-table-create-failed', `The history table ${this.display} cannot be created: ${(0,src_errors/* errorMessage */.gJ)(error)}.`, {
                location: { input: 'history-table' },
                hint: 'The database user needs CREATE on the schema (or create the table once as its owner), or point history-table at a schema it may write to.',
                cause: error
            });
        }
    }
    /**
     * The statement that records an applied migration, sent in the migration's own transaction and
     * message (simple protocol: values as literals). Its execution time is the server's, from BEGIN.
     */
    insertAppliedSql(entry, who, startedAt = 'now()') {
        const text = (value) => (value === null ? 'NULL' : escapeLiteral(value));
        return `INSERT INTO ${this.qualified}
               (version, name, checksum, execution_ms, applied_by, transactional, dirty, statements_done, statements_total, git_sha, run_id, repository)
             VALUES (${text(entry.version)}, ${text(entry.name)}, ${text(entry.checksum)}, (extract(epoch FROM clock_timestamp() - ${startedAt}) * 1000)::integer,
                     COALESCE(${text(who.appliedBy)}, current_user), ${entry.transactional}, false, ${Math.trunc(entry.statements)}, ${Math.trunc(entry.statements)},
                     ${text(who.gitSha)}, ${text(who.runId)}, ${text(who.repository)})`;
    }
    /**
     * transaction: all — the history row of one migration among several in the same transaction,
     * where now() is the start of the whole run: its execution time counts from MARK_MIGRATION_STARTED, sent
     * just before the migration's statements, and is returned for the report.
     */
    insertAppliedInRunSql(entry, who) {
        return `${this.insertAppliedSql(entry, who, `COALESCE(NULLIF(current_setting('${MIGRATION_STARTED}', true), '')::timestamptz, now())`)} RETURNING execution_ms`;
    }
    /** Marks a non-transactional migration as started; it stays dirty until `markClean`. */
    async markDirty(client, entry, who) {
        await client.query(`INSERT INTO ${this.qualified}
         (version, name, checksum, applied_by, transactional, dirty, statements_done, statements_total, git_sha, run_id, repository)
       VALUES ($1, $2, $3, COALESCE($4, current_user), false, true, 0, $5, $6, $7, $8)`, [entry.version, entry.name, entry.checksum, who.appliedBy, entry.statements, who.gitSha, who.runId, who.repository]);
    }
    async recordProgress(client, version, statementsDone) {
        await client.query(`UPDATE ${this.qualified} SET statements_done = $2 WHERE version = $1`, [version, statementsDone]);
    }
    async markClean(client, version, executionMs) {
        await client.query(`UPDATE ${this.qualified} SET dirty = false, applied_at = now(), execution_ms = $2 WHERE version = $1`, [version, executionMs]);
    }
    /**
     * `mode: repair`: records a migration the user finished by hand as applied — its dirty row made
     * clean with the checksum of the file as it is now, or a new row when a failure left none.
     */
    async markApplied(client, entry, who) {
        const updated = await client.query(`UPDATE ${this.qualified} SET dirty = false, checksum = $2, statements_done = statements_total, applied_by = COALESCE($3, current_user) WHERE version = $1`, [entry.version, entry.checksum, who.appliedBy]);
        if ((updated.rowCount ?? 0) > 0)
            return;
        await client.query(`INSERT INTO ${this.qualified} (version, name, checksum, applied_by, transactional, dirty, git_sha, run_id, repository)
       VALUES ($1, $2, $3, COALESCE($4, current_user), true, false, $5, $6, $7)`, [entry.version, entry.name, entry.checksum, who.appliedBy, who.gitSha, who.runId, who.repository]);
    }
    /** `mode: repair`: forgets a migration, so the next run applies it again. */
    async remove(client, version) {
        await client.query(`DELETE FROM ${this.qualified} WHERE version = $1`, [version]);
    }
    async has(client, version) {
        const result = await client.query(`SELECT 1 FROM ${this.qualified} WHERE version = $1 AND NOT dirty`, [version]);
        return (result.rowCount ?? 0) > 0;
    }
    /** SQL the user can paste, with the real table name and version. */
    sqlMarkClean(version) {
        return `UPDATE ${this.qualified} SET dirty = false, statements_done = statements_total WHERE version = ${literal(version)};`;
    }
    sqlDelete(version) {
        return `DELETE FROM ${this.qualified} WHERE version = ${literal(version)};`;
    }
    sqlUpdateChecksum(version, checksum) {
        return `UPDATE ${this.qualified} SET checksum = ${literal(checksum)} WHERE version = ${literal(version)};`;
    }
    unreadable(error) {
        return new src_errors/* ActionError */.lZ('history-table-unreadable', `The history table ${this.display} cannot be read: ${(0,src_errors/* errorMessage */.gJ)(error)}.`, {
            location: { input: 'history-table' },
            hint: 'The database user needs SELECT on the history table (and USAGE on its schema).',
            cause: error
        });
    }
}
function literal(value) {
    return `'${value.replace(/'/g, "''")}'`;
}

;// CONCATENATED MODULE: ./src/engines/sql/retry.ts


/**
 * When a failed transactional attempt is tried again, and after how long. The delays grow to
 * max-retry-delay, the bounds of the readiness wait; after a lost connection the lock check before
 * the next attempt also waits for the server to be ready again (up to wait-timeout), so a server
 * restart of a few seconds does not use up the retries.
 */
class RetryPolicy {
    settings;
    backoff;
    constructor(settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.retryDelayMs, settings.maxRetryDelayMs);
    }
    /** Whether attempt number `attempt`, which failed with `error`, is followed by another. */
    allows(error, attempt) {
        return attempt <= this.settings.retries && isTransientMigrationError(error);
    }
    nextDelayMs() {
        return this.backoff.next();
    }
}

;// CONCATENATED MODULE: ./src/engines/sql/session-state.ts
/**
 * Statements that change only the catalog, never the session running them (when they create
 * nothing TEMP). Anything else — SET, DISCARD, PREPARE, LISTEN, DECLARE, DO, CALL, DML and queries
 * (which may call functions or fire triggers that SET or create temp tables), CREATE EXTENSION (its
 * script runs in the session) — may leave state behind, and the session is reset after it.
 */
const CATALOG_ONLY = new Set([
    'AlterDefaultPrivilegesStmt',
    'AlterDomainStmt',
    'AlterEnumStmt',
    'AlterFunctionStmt',
    'AlterObjectSchemaStmt',
    'AlterOwnerStmt',
    'AlterPolicyStmt',
    'AlterRoleStmt',
    'AlterSeqStmt',
    'AlterTableStmt',
    'CommentStmt',
    'CompositeTypeStmt',
    'CreateCastStmt',
    'CreateDomainStmt',
    'CreateEnumStmt',
    'CreateFunctionStmt',
    'CreatePolicyStmt',
    'CreateRoleStmt',
    'CreateSchemaStmt',
    'CreateSeqStmt',
    'CreateStmt',
    'CreateTrigStmt',
    'DefineStmt',
    'DropRoleStmt',
    'DropStmt',
    'GrantRoleStmt',
    'GrantStmt',
    'IndexStmt',
    'RenameStmt',
    'RuleStmt',
    'ViewStmt'
]);
/** Whether the session must be reset before it runs the next migration. */
function mayChangeSessionState(statements) {
    return statements.some((s) => !CATALOG_ONLY.has(s.kind) || createsTemp(s.node));
}
/** A TEMP relation anywhere in the tree (CREATE TEMP TABLE/VIEW/SEQUENCE, CREATE SCHEMA … elements). */
function createsTemp(node) {
    if (Array.isArray(node))
        return node.some(createsTemp);
    if (node === null || typeof node !== 'object')
        return false;
    for (const [key, value] of Object.entries(node)) {
        if (key === 'relpersistence' && value === 't')
            return true;
        if (createsTemp(value))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/engines/sql/transaction-message.ts
/** A newline before each `;`: a statement may end in a `--` comment. */
const SEPARATOR = '\n;\n';
function transactionMessage(begin, parts) {
    const chunks = [begin];
    let length = begin.length + SEPARATOR.length;
    let commands = 1;
    const starts = [];
    const firstCommands = [];
    const add = (command) => {
        const start = length;
        chunks.push(command);
        length += command.length + SEPARATOR.length;
        commands++;
        return start;
    };
    for (const part of parts) {
        for (const command of part.before ?? [])
            add(command);
        firstCommands.push(commands);
        for (const statement of part.statements)
            starts.push(add(statement.text));
        add(part.historyInsert);
    }
    chunks.push('COMMIT');
    return { text: chunks.join(SEPARATOR), starts, firstCommands };
}
/** Counts the commands the server completed on `session` while `run` was in flight. */
async function countingCompletions(session, run, completed) {
    const onComplete = () => {
        completed.count++;
    };
    session.connection.on('commandComplete', onComplete);
    try {
        return await run();
    }
    finally {
        session.connection.off('commandComplete', onComplete);
    }
}
/**
 * Where the message failed, from the number of commands completed before the error: BEGIN, then
 * for each part its commands before, its statements and its history row, then COMMIT.
 */
function failedPart(message, parts, completed) {
    if (completed === 0)
        return { phase: 'begin' };
    let statementsBefore = 0;
    for (const [part, { statements }] of parts.entries()) {
        const index = completed - message.firstCommands[part];
        if (index < 0)
            return { part, phase: 'reset' };
        if (index < statements.length) {
            // The server counts code points; the statement's own position is counted from its first one.
            const positionOffset = [...message.text.slice(0, message.starts[statementsBefore + index])].length;
            return { part, phase: 'statement', statement: statements[index], positionOffset };
        }
        if (index === statements.length)
            return { part, phase: 'history' };
        statementsBefore += statements.length;
    }
    return { phase: 'commit' };
}
/** The index, among the message's commands, of each part's history row. */
function historyCommands(message, parts) {
    return parts.map((part, i) => message.firstCommands[i] + part.statements.length);
}

;// CONCATENATED MODULE: ./src/engines/sql/run-transactional.ts








/**
 * A migration in one transaction together with its history row: a failure rolls all of it back, so
 * transient failures (lock timeouts, deadlocks, lost connections) are simply tried again.
 */
async function runTransactional(ctx, p, run, deps) {
    const retry = new RetryPolicy(ctx.settings);
    for (let attempt = 1;; attempt++) {
        const verdict = await deps.guard.check(p, attempt);
        if (verdict.status !== 'go')
            return verdict;
        run.attempts = attempt;
        const failed = await transactionalAttempt(p, deps);
        if (!failed)
            return { status: 'applied' };
        if (failed.phase === 'commit' && isConnectionLost(failed.error) && (await deps.guard.committed(p))) {
            run.notes.push(`The connection was lost while committing; the history table shows the migration was committed.`);
            return { status: 'applied' };
        }
        if (!retry.allows(failed.error, attempt)) {
            if (attempt > 1)
                run.notes.push(`Gave up after ${attempt} attempts.`);
            return { status: 'failed', failure: transactionalFailure(p, failed, attempt) };
        }
        const delay = retry.nextDelayMs();
        const note = retryNote(p, failed, attempt, delay);
        run.notes.push(note);
        ctx.log.info(`${p.migration.file}: ${note}`);
        await backoff_sleep(delay);
    }
}
async function transactionalAttempt(p, deps) {
    const parts = [{ statements: p.statements, historyInsert: deps.history.insertAppliedSql(historyEntry(p), deps.provenance) }];
    const sent = await sendTransaction(transactionMessage(p.begin ?? 'BEGIN', parts), parts, deps);
    if ('error' in sent)
        return sent;
    await deps.sessions.release(mayChangeSessionState(p.statements));
    return undefined;
}
/**
 * Sends a transaction message on a migration session and returns each command's result. On failure
 * the transaction is rolled back, the session discarded, and the part that failed is named.
 */
async function sendTransaction(message, parts, deps) {
    let session;
    try {
        session = await deps.sessions.acquire();
    }
    catch (error) {
        await deps.sessions.discard();
        return { error, phase: 'connect' };
    }
    const watch = new BlockerWatch(deps.guard.session, backendPid(session));
    const completed = { count: 0 };
    try {
        // A multi-statement simple query resolves to one result per command.
        const results = await countingCompletions(session, () => watch.during(() => session.query(message.text)), completed);
        return { results: results };
    }
    catch (error) {
        // The first error is the one reported; ROLLBACK only ends the aborted transaction.
        await session.query('ROLLBACK').catch(() => undefined);
        await deps.sessions.discard();
        return { error, ...failedPart(message, parts, completed.count), blockers: watch.blockers };
    }
}

;// CONCATENATED MODULE: ./src/engines/sql/run-all.ts













/**
 * transaction: all — every pending migration and its history row in one transaction, sent as one
 * simple-query message: one round trip for the whole run, and all or nothing. A failure rolls all
 * of it back, so a transient one (lock timeout, deadlock, lost connection) is retried from the
 * start, as a single transactional migration is. Each migration still starts with the session as a
 * fresh connection has it: after one that may have changed it, the reset runs inside the transaction.
 */
async function applyAllInOneTransaction(ctx, planned, runs, deps) {
    const retry = new RetryPolicy(ctx.settings);
    let appliedElsewhere = [];
    const outcome = (failure) => ({ runs: runs.filter((r) => !appliedElsewhere.includes(r.id)), failure, appliedElsewhere });
    for (let attempt = 1;; attempt++) {
        const verdict = await deps.guard.checkAll(planned, attempt);
        if (verdict.status === 'failed') {
            runs.find((r) => r.id === verdict.failure.revision).status = 'failed';
            return outcome(verdict.failure);
        }
        appliedElsewhere = verdict.appliedElsewhere;
        const pending = planned.filter((p) => !appliedElsewhere.includes(p.migration.version));
        const pendingRuns = runs.filter((r) => !appliedElsewhere.includes(r.id));
        if (pending.length === 0)
            return outcome();
        for (const run of pendingRuns)
            run.attempts = attempt;
        if (attempt === 1)
            noteUnusedBegins(pending, pendingRuns);
        const started = Date.now();
        ctx.log.info(`Applying ${plural(pending.length, 'migration')} in one transaction (transaction: all)${attempt > 1 ? `, attempt ${attempt}` : ''}`);
        const result = await attemptAll(ctx, pending, deps);
        if (!('error' in result)) {
            pendingRuns.forEach((run, i) => Object.assign(run, { status: 'applied', durationMs: result.durationsMs[i] }));
            ctx.log.info(`${plural(pending.length, 'migration')} applied and committed together in ${Date.now() - started} ms`);
            return outcome();
        }
        const failed = result;
        const failedIndex = failed.part ?? (failed.phase === 'commit' ? pending.length - 1 : 0);
        const failedRun = pendingRuns[failedIndex];
        if (failed.phase === 'commit' && isConnectionLost(failed.error) && (await deps.guard.committed(pending[failedIndex]))) {
            for (const run of pendingRuns)
                run.status = 'applied';
            failedRun.notes.push(`The connection was lost while committing; the history table shows the run's transaction was committed.`);
            return outcome();
        }
        if (!retry.allows(failed.error, attempt)) {
            markFailed(pendingRuns, failedIndex, failed);
            failedRun.durationMs = Date.now() - started;
            if (attempt > 1)
                failedRun.notes.push(`Gave up after ${attempt} attempts.`);
            ctx.log.info(`${pending[failedIndex].migration.file} failed; the whole run is rolled back: ${(0,src_errors/* errorMessage */.gJ)(failed.error)}`);
            return outcome(runFailure(pending, failedIndex, failed, attempt));
        }
        const delay = retry.nextDelayMs();
        const note = `${retryNote(pending[failedIndex], failed, attempt, delay)} The whole run is tried again.`;
        failedRun.notes.push(note);
        ctx.log.info(`${pending[failedIndex].migration.file}: ${note}`);
        await backoff_sleep(delay);
    }
}
/** The failed migration; those before it ran and were rolled back with it, unless nothing ran at all. */
function markFailed(runs, failedIndex, failed) {
    const ranBefore = failed.phase !== 'connect' && failed.phase !== 'begin';
    runs.forEach((run, i) => (run.status = i === failedIndex ? 'failed' : i < failedIndex && ranBefore ? 'rolled-back' : 'not-run'));
}
/** A later file's own BEGIN with options (an isolation level): only the first one opens the transaction. */
function noteUnusedBegins(pending, runs) {
    pending.forEach(({ begin }, i) => {
        if (i === 0 || !begin || isPlainBegin(begin))
            return;
        runs[i].notes.push(`Its own "${begin.trim()}" is not used: with transaction: all the run's one transaction is opened by the first pending migration's BEGIN.`);
    });
}
async function attemptAll(ctx, pending, deps) {
    const parts = messageParts(ctx, pending, deps);
    // A file's own BEGIN can carry options (an isolation level) only when it opens the transaction.
    const message = transactionMessage(pending[0].begin ?? 'BEGIN', parts);
    const sent = await sendTransaction(message, parts, deps);
    if ('error' in sent)
        return sent;
    return { durationsMs: historyCommands(message, parts).map((i) => sent.results[i]?.rows[0]?.execution_ms) };
}
/** Each migration: the session reset when the one before may have changed it, its timing mark, its statements and its history row. */
function messageParts(ctx, pending, deps) {
    const reset = (0,connection/* resetSessionCommands */.IU)(migrationSessionSettings(ctx.settings));
    return pending.map((p, i) => ({
        before: i > 0 && mayChangeSessionState(pending[i - 1].statements) ? [...reset, MARK_MIGRATION_STARTED] : [MARK_MIGRATION_STARTED],
        statements: p.statements,
        historyInsert: deps.history.insertAppliedInRunSql(historyEntry(p), deps.provenance)
    }));
}
/** BEGIN, BEGIN WORK, START TRANSACTION…: no isolation level or access mode that would be lost. */
function isPlainBegin(begin) {
    const words = begin
        .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
        .trim()
        .replace(/\s+/g, ' ');
    return /^(begin|start transaction)( work| transaction)?$/i.test(words);
}

;// CONCATENATED MODULE: ./src/engines/sql/run-autocommit.ts



/**
 * A file that runs outside a transaction, statement by statement. Never retried: a statement that
 * already ran stays applied, so running the file again would repeat it. The history row is marked
 * dirty first and cleared at the end, on the lock's session (never on the migration session, where
 * the file's own BEGIN would take the bookkeeping into its transaction), so an interrupted run is
 * visible to the next one.
 */
async function runAutocommit(p, run, deps) {
    const verdict = await deps.guard.check(p, 1);
    if (verdict.status !== 'go')
        return verdict;
    run.attempts = 1;
    const { history, guard } = deps;
    const m = p.migration;
    const effect = new FileTransactions(p.statements);
    const fail = (failed) => ({ status: 'failed', failure: autocommitFailure(p, failed, effect.result(), history) });
    let session;
    try {
        session = await deps.sessions.acquire();
    }
    catch (error) {
        return fail({ error, phase: 'connect' });
    }
    let succeeded = false;
    try {
        try {
            await history.markDirty(guard.session, { version: m.version, name: m.name, checksum: m.checksum, statements: p.statements.length }, deps.provenance);
        }
        catch (error) {
            return { status: 'failed', failure: historyStartFailure(p, error, history) };
        }
        const started = Date.now();
        const watch = new BlockerWatch(guard.session, backendPid(session));
        for (const [i, statement] of p.statements.entries()) {
            try {
                await watch.during(() => session.query(statement.text));
            }
            catch (error) {
                effect.stop(i);
                return fail({ error, statement, phase: 'statement', blockers: watch.blockers });
            }
            if (!effect.completed(i))
                continue;
            try {
                await history.recordProgress(guard.session, m.version, i + 1);
            }
            catch (error) {
                effect.stop(i + 1);
                return fail({ error, phase: 'history' });
            }
        }
        const unclosed = effect.openBegin();
        if (unclosed) {
            effect.stop(p.statements.length);
            return fail({
                error: new Error(`The file's BEGIN at line ${fileLine(m, unclosed.line)} has no COMMIT: what ran after it is rolled back when the session closes.`),
                phase: 'statement'
            });
        }
        try {
            await history.markClean(guard.session, m.version, Date.now() - started);
        }
        catch (error) {
            effect.stop(p.statements.length);
            return fail({ error, phase: 'history' });
        }
        succeeded = true;
        return { status: 'applied' };
    }
    finally {
        // Closing a failed session also rolls back a transaction the file had opened.
        if (succeeded)
            await deps.sessions.release(true);
        else
            await deps.sessions.discard();
    }
}
/**
 * What of a file run statement by statement stays applied, given its own BEGIN … COMMIT blocks: a
 * statement inside a block takes effect only when the block commits; a ROLLBACK, a failure inside
 * the block or the end of the session undoes it.
 */
class FileTransactions {
    statements;
    applied = [];
    rolledBack = [];
    begin;
    stoppedAt;
    constructor(statements) {
        this.statements = statements;
        this.stoppedAt = statements.length;
    }
    /** Statement `i` completed. True when its effect is settled: no block of the file is open. */
    completed(i) {
        const control = this.statements[i].transactionControl;
        if (this.begin === undefined) {
            if (control === 'begin') {
                this.begin = i;
                return false;
            }
            this.applied.push(i);
            return true;
        }
        if (control === 'commit') {
            for (let j = this.begin; j <= i; j++)
                this.applied.push(j);
        }
        else if (control === 'rollback') {
            this.rolledBack.push({ from: this.begin, to: i });
        }
        else {
            return false;
        }
        this.begin = undefined;
        return true;
    }
    openBegin() {
        return this.begin === undefined ? undefined : this.statements[this.begin];
    }
    /** The run stopped before statement `i`; an open block goes with the session. */
    stop(i) {
        this.stoppedAt = i;
        if (this.begin !== undefined)
            this.rolledBack.push({ from: this.begin, to: i - 1 });
        this.begin = undefined;
    }
    result() {
        return { applied: [...this.applied], rolledBack: [...this.rolledBack], stoppedAt: this.stoppedAt };
    }
}

;// CONCATENATED MODULE: ./src/engines/sql/sessions.ts

/**
 * One migration session, reused while migrations succeed: a new backend per migration (connect,
 * authenticate, cold catalog caches) cost ~25 ms each, most of the per-migration overhead measured
 * in bench/. After a success that may have changed the session (SET, TEMP objects, …: see
 * session-state.ts) it is reset to a fresh state, so nothing leaks into the next migration; after
 * any failure it is dropped, so a retry starts clean.
 */
class MigrationSessions {
    ctx;
    session;
    constructor(ctx) {
        this.ctx = ctx;
    }
    async acquire() {
        this.session ??= await this.ctx.connect();
        return this.session;
    }
    /** The migration succeeded: keep the session for the next one, reset when it may have changed. */
    async release(reset) {
        if (!this.session || !reset)
            return;
        try {
            await this.ctx.resetSession(this.session);
        }
        catch {
            await this.discard();
        }
    }
    /** Closing the session also rolls back whatever it left open. */
    async discard() {
        const session = this.session;
        this.session = undefined;
        await (0,connection/* closeQuietly */.EO)(session);
    }
}

;// CONCATENATED MODULE: ./src/engines/sql/apply.ts






async function applyPlanned(ctx, planned, options) {
    const runs = planned.map((p) => ({
        id: p.migration.version,
        description: p.migration.name,
        file: p.migration.file,
        status: 'not-run',
        attempts: 0,
        transactional: p.transactional,
        notes: [...p.notes]
    }));
    // A file that cannot run as written is found before anything is applied.
    const invalidIndex = planned.findIndex((p) => p.invalid);
    if (invalidIndex >= 0) {
        runs[invalidIndex].status = 'failed';
        return { runs, failure: invalidFailure(planned[invalidIndex], invalidIndex, planned.length), appliedElsewhere: [] };
    }
    if (ctx.settings.transaction === 'all') {
        const outsideIndex = planned.findIndex((p) => !p.transactional);
        if (outsideIndex >= 0) {
            runs[outsideIndex].status = 'failed';
            return { runs, failure: outsideTransactionRefusal(planned[outsideIndex], outsideIndex, planned.length), appliedElsewhere: [] };
        }
    }
    if (!ctx.lock)
        throw new Error('The SQL engine applies migrations only while it holds the migration lock (EngineContext.lock).');
    const guard = new LockGuard(ctx.lock, options.history);
    await options.history.ensure(guard.session);
    const sessions = new MigrationSessions(ctx);
    try {
        const deps = { sessions, guard, ...options };
        return ctx.settings.transaction === 'all' ? await applyAllInOneTransaction(ctx, planned, runs, deps) : await applyInOrder(ctx, planned, runs, deps);
    }
    finally {
        await sessions.discard();
    }
}
async function applyInOrder(ctx, planned, runs, deps) {
    const appliedElsewhere = [];
    const outcome = (failure) => ({ runs: runs.filter((r) => !appliedElsewhere.includes(r.id)), failure, appliedElsewhere });
    for (const [i, p] of planned.entries()) {
        const run = runs[i];
        const started = Date.now();
        const mode = p.transactional ? 'in a transaction' : 'outside a transaction, statement by statement';
        ctx.log.info(`Applying ${p.migration.file} (${mode})`);
        const result = p.transactional ? await runTransactional(ctx, p, run, deps) : await runAutocommit(p, run, deps);
        run.durationMs = Date.now() - started;
        if (result.status === 'applied-elsewhere') {
            appliedElsewhere.push(run.id);
            ctx.log.info(`${p.migration.file} was applied by another run while this one re-acquired the migration lock; skipped.`);
            continue;
        }
        if (result.status === 'failed') {
            run.status = 'failed';
            ctx.log.info(`${p.migration.file} failed after ${run.durationMs} ms: ${result.failure.message}`);
            return outcome(result.failure);
        }
        run.status = 'applied';
        ctx.log.info(`${p.migration.file} applied in ${run.durationMs} ms${run.attempts > 1 ? ` (attempt ${run.attempts})` : ''}`);
    }
    return outcome();
}

;// CONCATENATED MODULE: ./src/engines/sql/down.ts




/**
 * verify-downgrade: a migration's down section (dbmate `-- migrate:down`, a `.down.sql` file),
 * planned like an up section. In a transaction together with the removal of its history row, so a
 * failing down step leaves the database as it was; a section that cannot run in a transaction block
 * (DROP INDEX CONCURRENTLY) runs statement by statement, and its history row goes once all of them
 * succeeded.
 */
async function runDownSection(ctx, history, migration, parser, serverVersionNum) {
    const down = migration.down;
    if (!down || down.text.trim() === '') {
        return { status: 'irreversible', reason: `${migration.file} has no down section (-- migrate:down or a .down.sql file)` };
    }
    const planned = planMigration(parser, asUpSection(migration, down), serverVersionNum);
    if (planned.invalid)
        return { status: 'failed', message: `the down section of ${down.file} cannot run as written: ${planned.invalid.message} (line ${planned.invalid.line})` };
    const session = await ctx.connect();
    let step = '';
    try {
        if (planned.transactional)
            await session.query(planned.begin ?? 'BEGIN');
        for (const statement of planned.statements) {
            step = ` at line ${fileLine(planned.migration, statement.line)}`;
            await session.query(statement.text);
        }
        step = ' removing its history row';
        await history.remove(session, migration.version);
        if (planned.transactional)
            await session.query('COMMIT');
        return { status: 'ok' };
    }
    catch (error) {
        if (planned.transactional)
            await session.query('ROLLBACK').catch(() => undefined);
        const kept = planned.transactional ? '' : '; it ran outside a transaction, so the statements before it stay applied';
        return { status: 'failed', message: `the down section of ${down.file} failed${step}: ${(0,src_errors/* errorMessage */.gJ)(error)}${kept}` };
    }
    finally {
        await (0,connection/* closeQuietly */.EO)(session);
    }
}
/** The migration with its down section in place of the up section, so the up section's planning applies to it. */
function asUpSection(migration, down) {
    return { ...migration, file: down.file, up: down, down: undefined, directives: readDirectives(down.text, down.startLine), dbmateNoTransaction: false };
}

;// CONCATENATED MODULE: ./src/engines/sql/repair.ts


/**
 * `mode: repair` for SQL chains: after the user finished or undid a failed migration by hand, record
 * it as applied (clean, with the file's current checksum) or delete its row so the next run applies
 * it again. Nothing of the migration itself runs.
 */
const repair_COLUMNS = ['version', 'name', 'checksum', 'dirty', 'statements done', 'applied at'];
async function repairSql(client, history, migration, request, who) {
    if (!request.action) {
        throw new src_errors/* ActionError */.lZ('invalid-input', `Input 'repair-action' is required with mode: repair for SQL migrations; got ''.`, {
            location: { input: 'repair-action' },
            hint: `Use mark-applied when ${migration.file} has been completed by hand, or mark-pending when its effects were undone and it should run again.`
        });
    }
    const before = rowOf((await history.read(client)) ?? [], migration.version);
    let done;
    let command;
    if (request.action === 'mark-applied') {
        const clean = before !== undefined && !before.dirty && before.checksum === migration.checksum;
        done = clean
            ? `${migration.version} was already recorded as applied with the current file's checksum; nothing changed`
            : before
                ? `recorded ${migration.version} as applied: ${before.dirty ? 'cleared its dirty flag and ' : ''}stored the checksum of ${migration.file} as it is now`
                : `recorded ${migration.version} as applied (it had no history row), with the checksum of ${migration.file}`;
        command = before
            ? `UPDATE ${history.qualified} SET dirty = false, checksum = '${migration.checksum}', statements_done = statements_total WHERE version = '${before.version}'`
            : `INSERT INTO ${history.qualified} (version, name, checksum, …) VALUES ('${migration.version}', …)`;
        if (!clean) {
            await history.ensure(client);
            await history.markApplied(client, { version: before?.version ?? migration.version, name: migration.name, checksum: migration.checksum }, who);
        }
    }
    else {
        done = before
            ? `deleted the history row of ${migration.version}: the next run applies ${migration.file} again`
            : `${migration.version} had no history row, so it is already pending; nothing changed`;
        command = `DELETE FROM ${history.qualified} WHERE version = '${before?.version ?? migration.version}'`;
        if (before)
            await history.remove(client, before.version);
    }
    const after = rowOf((await history.read(client)) ?? [], migration.version);
    return { revision: migration.version, done, changed: !sameRow(before, after), command, columns: repair_COLUMNS, before: rowCells(before), after: rowCells(after) };
}
function rowOf(rows, version) {
    return rows.find((r) => canonicalVersion(r.version) === canonicalVersion(version));
}
function rowCells(row) {
    if (!row)
        return [];
    const statements = row.statementsTotal === null ? '' : `${row.statementsDone ?? '?'} of ${row.statementsTotal}`;
    return [[row.version, row.name, row.checksum, String(row.dirty), statements, row.appliedAt.toISOString()]];
}
function sameRow(a, b) {
    return JSON.stringify(rowCells(a)) === JSON.stringify(rowCells(b));
}

;// CONCATENATED MODULE: ./src/engines/sql/state.ts

/**
 * Compares the files with the history table. Everything that makes applying unsafe is an error
 * problem, so the validate stage stops the run before anything is applied.
 */
function stateFromHistory(migrations, rows, history, allowOutOfOrder) {
    if (rows === null)
        return { current: [], applied: [], versionTableExists: false, problems: [] };
    const byVersion = new Map(migrations.map((m) => [canonicalVersion(m.version), m]));
    const problems = [];
    for (const row of rows) {
        const migration = byVersion.get(canonicalVersion(row.version));
        if (row.dirty)
            problems.push(dirtyProblem(row, migration, history));
        if (!migration) {
            problems.push(missingFileProblem(row, history));
        }
        else if (row.checksum !== migration.checksum) {
            problems.push(checksumProblem(row, migration, history));
        }
    }
    const appliedKeys = new Set(rows.map((r) => canonicalVersion(r.version)));
    const newest = rows.at(-1);
    if (newest) {
        const late = migrations.filter((m) => !appliedKeys.has(canonicalVersion(m.version)) && compareVersions(m.version, newest.version) < 0);
        if (late.length > 0)
            problems.push(outOfOrderProblem(late, newest, allowOutOfOrder));
    }
    const applied = rows.map((row) => ({
        id: row.version,
        description: row.name,
        checksum: row.checksum,
        appliedAt: row.appliedAt,
        executionMs: row.executionMs ?? undefined,
        dirty: row.dirty
    }));
    return { current: newest ? [newest.version] : [], applied, versionTableExists: true, problems };
}
/** The migrations the history table does not list, in version order. */
function pendingMigrations(migrations, appliedVersions) {
    const applied = new Set(appliedVersions.map(canonicalVersion));
    return migrations.filter((m) => !applied.has(canonicalVersion(m.version))).sort((a, b) => compareVersions(a.version, b.version));
}
function dirtyProblem(row, migration, history) {
    const what = migration ? migration.file : `version ${row.version} (${row.name})`;
    const progress = row.statementsDone !== null && row.statementsTotal !== null
        ? `${row.statementsDone} of its ${row.statementsTotal} statements completed`
        : 'it is unknown how many of its statements completed';
    return {
        code: 'dirty-migration',
        severity: 'error',
        message: `Migration ${row.version} (${what}) was left half-applied by an earlier run: it runs outside a transaction and ` +
            `failed or was interrupted after it started on ${row.appliedAt.toISOString()}; ${progress}. Nothing is applied until this is resolved.`,
        hint: [
            `Inspect the database to see which statements of ${what} took effect (statements_done in ${history.display} counts the ones that completed; a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid).`,
            `Then either finish it: run the remaining statements by hand and mark it applied with ${history.sqlMarkClean(row.version)}`,
            `or undo it: revert the statements that took effect (drop invalid indexes with DROP INDEX CONCURRENTLY) and delete its row with ${history.sqlDelete(row.version)} so the next run applies it again.`,
            `Instead of the SQL, run this action once with mode: repair, repair-revision: ${row.version} and repair-action: mark-applied (which also records the checksum of the file as it is now) or mark-pending.`
        ].join(' '),
        revisions: [row.version],
        file: migration?.file,
        line: migration ? 1 : undefined
    };
}
function missingFileProblem(row, history) {
    return {
        code: 'missing-migration-file',
        severity: 'error',
        message: `Migration ${row.version} (${row.name}) is recorded as applied in ${history.display}, but no file in the migrations directory has version ${row.version}.`,
        hint: `Restore the file (\`git log --diff-filter=D --name-only -- '*${row.version}_*'\` finds it), or check migrations-path points at the right directory. ` +
            `If the migration was removed on purpose and its changes are gone from the database too, delete its history row: \`${history.sqlDelete(row.version)}\``,
        revisions: [row.version]
    };
}
function checksumProblem(row, migration, history) {
    return {
        code: 'checksum-mismatch',
        severity: 'error',
        message: `${migration.file} was changed after it was applied on ${row.appliedAt.toISOString()}: ` +
            `the history table has checksum ${row.checksum}, the file now has ${migration.checksum}.`,
        hint: `Applied migrations must not change. Restore the file as it was (\`git log -p -- ${migration.file}\`) and put the change into a new migration. ` +
            `If the edit does not change what the migration does (a comment, formatting) accept the new checksum: \`${history.sqlUpdateChecksum(row.version, migration.checksum)}\``,
        revisions: [row.version],
        file: migration.file,
        line: migration.up.startLine
    };
}
function outOfOrderProblem(late, newest, allowed) {
    const files = late.map((m) => m.file).join(', ');
    return {
        code: 'out-of-order',
        severity: allowed ? 'warning' : 'error',
        message: allowed
            ? `${late.length === 1 ? 'Migration' : 'Migrations'} ${files} ${late.length === 1 ? 'is' : 'are'} older than the newest applied migration ${newest.version} and will be applied out of order (allow-out-of-order is true).`
            : `${late.length === 1 ? 'Migration' : 'Migrations'} ${files} ${late.length === 1 ? 'is' : 'are'} not applied but older than the newest applied migration ${newest.version}: ${late.length === 1 ? 'it was' : 'they were'} probably merged from a branch after newer migrations ran.`,
        hint: allowed
            ? 'Check the migration does not depend on running before the newer ones.'
            : `Renumber ${late.length === 1 ? 'it' : 'them'} after ${newest.version} (recommended), or set allow-out-of-order: true if ${late.length === 1 ? 'it does' : 'they do'} not depend on running before the newer migrations.`,
        revisions: late.map((m) => m.version),
        file: late[0].file,
        line: 1
    };
}

;// CONCATENATED MODULE: ./src/engines/sql/index.ts










function createSqlEngine(settings, cwd = process.cwd()) {
    const history = new HistoryTable(settings.historyTable);
    const engine = {
        name: 'sql',
        async loadChain() {
            const migrations = await loadSqlMigrations(settings.migrationsPath, cwd, { provisionalSplits: true });
            const revisions = migrations.map((m, i) => ({
                id: m.version,
                parents: i === 0 ? [] : [migrations[i - 1].version],
                dependsOn: [],
                branchLabels: [],
                description: m.name.replace(/_/g, ' '),
                file: m.file,
                line: 1,
                checksum: m.checksum
            }));
            return {
                engine: 'sql',
                directory: settings.migrationsPath,
                revisions,
                notes: chainNotes(migrations, history),
                versionTable: settings.historyTable,
                data: new Map(migrations.map((m) => [m.version, m]))
            };
        },
        checkChain(chain) {
            const problems = [];
            for (const migration of chain.data.values()) {
                for (const directive of migration.directives) {
                    if (KNOWN_DIRECTIVES.includes(directive.name))
                        continue;
                    problems.push({
                        code: 'unknown-directive',
                        severity: 'error',
                        message: `${migration.file} line ${directive.line}: unknown directive -- pg-migrate:${directive.name}.`,
                        hint: `Known directives: ${KNOWN_DIRECTIVES.map((d) => `-- pg-migrate:${d}`).join(', ')}.`,
                        revisions: [migration.version],
                        file: migration.file,
                        line: directive.line
                    });
                }
            }
            return problems;
        },
        async readState(ctx, chain) {
            const rows = await history.read(ctx.client);
            // A provisional split stands where the history recorded its checksum (files.ts says why); the lexer settles the rest.
            const recorded = new Set((rows ?? []).map((row) => `${canonicalVersion(row.version)} ${row.checksum}`));
            for (const m of [...chain.data.values()]) {
                if (m.provisional && !recorded.has(`${canonicalVersion(m.version)} ${m.checksum}`))
                    await settled(chain, m.version);
            }
            return stateFromHistory([...chain.data.values()], rows, history, settings.allowOutOfOrder);
        },
        pending(chain, state) {
            const migrations = pendingMigrations([...chain.data.values()], state.applied.map((a) => a.id));
            const byId = new Map(chain.revisions.map((r) => [r.id, r]));
            return migrations.map((m) => byId.get(m.version));
        },
        async plan(ctx, chain, _state, pending) {
            if (pending.length === 0)
                return { revisions: [], notes: [], data: [] };
            const parser = await (0,parse/* loadSqlParser */.Ok)();
            const serverVersionNum = await readServerVersionNum(ctx.client);
            const migrations = await Promise.all(pending.map((r) => settled(chain, r.id)));
            const planned = migrations.map((m) => planMigration(parser, m, serverVersionNum));
            const revisions = planned.map((p, i) => ({
                revision: pending[i],
                sql: p.migration.up.text,
                sqlLine: p.migration.up.startLine,
                transactional: p.transactional,
                notes: [
                    ...p.notes,
                    ...(p.invalid ? [`Cannot run as written: ${p.invalid.message} (line ${p.invalid.line}).`] : []),
                    ...(!p.transactional && settings.transaction === 'all' ? ['transaction: all refuses it: it cannot run in the one transaction of the run.'] : [])
                ]
            }));
            return { revisions, notes: [], data: planned };
        },
        async apply(ctx, _chain, state, plan) {
            if (plan.data.length === 0)
                return { runs: [], current: state.current };
            const outcome = await applyPlanned(ctx, plan.data, { history, provenance: provenanceFromEnv() });
            const applied = [...state.applied.map((a) => a.id), ...outcome.runs.filter((r) => r.status === 'applied').map((r) => r.id), ...outcome.appliedElsewhere];
            const newest = applied.sort(compareVersions).at(-1);
            return { runs: outcome.runs, failure: outcome.failure, current: newest ? [newest] : [], appliedElsewhere: outcome.appliedElsewhere };
        },
        async repair(ctx, chain, revision, request) {
            return repairSql(ctx.client, history, await settled(chain, revision.id), request, provenanceFromEnv());
        },
        async downgradeOne(ctx, chain, revision) {
            return runDownSection(ctx, history, await settled(chain, revision.id), await (0,parse/* loadSqlParser */.Ok)(), await readServerVersionNum(ctx.client));
        },
        async upgradeOne(ctx, chain, revision) {
            const state = await engine.readState(ctx, chain);
            const result = await engine.apply(ctx, chain, state, await engine.plan(ctx, chain, state, [revision]));
            return result.failure ? { status: 'failed', message: result.failure.message } : { status: 'ok' };
        }
    };
    return engine;
}
/** The migration as the lexer splits its file: a provisional split is settled once, in the chain's own data. */
async function settled(chain, id) {
    const migration = chain.data.get(id);
    if (!migration)
        throw new Error(`The SQL engine has no file for revision ${id}.`);
    if (!migration.provisional)
        return migration;
    const lexed = await settleSections(migration);
    chain.data.set(id, lexed);
    const revision = chain.revisions.find((r) => r.id === id);
    if (revision)
        revision.checksum = lexed.checksum;
    return lexed;
}
async function readServerVersionNum(client) {
    try {
        const result = await client.query(`SELECT current_setting('server_version_num')::int AS v`);
        return Number(result.rows[0].v);
    }
    catch (error) {
        throw new src_errors/* ActionError */.lZ('server-version-unreadable', 'Could not read the server version (server_version_num).', { cause: error });
    }
}
function chainNotes(migrations, history) {
    const styles = new Set(migrations.map((m) => m.style));
    const described = [...styles].map((s) => (s === 'plain' ? 'plain files' : s === 'dbmate' ? 'dbmate sections' : '.up.sql/.down.sql pairs'));
    const notes = [`${plural(migrations.length, 'SQL migration')}${described.length ? ` (${described.join(', ')})` : ''}; history table ${history.display}.`];
    const withoutDown = migrations.filter((m) => !m.down).length;
    if (migrations.length > 0 && withoutDown > 0)
        notes.push(`${withoutDown} of ${migrations.length} migrations have no down section.`);
    return notes;
}

;// CONCATENATED MODULE: ./src/engines/index.ts




/**
 * `engine: auto` picks Alembic when the migrations directory holds an alembic.ini, plain SQL otherwise.
 * The engine's checkChain also reports a migrations path that is empty or outside the workspace.
 * The Alembic engine is its own bundle chunk, loaded only for an Alembic project.
 */
async function selectEngine(settings, workspace = defaultWorkspace()) {
    const dir = settings.migrationsPath;
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory()) {
        throw new src_errors/* ActionError */.lZ('migrations-path-missing', `Input 'migrations-path' names '${dir}' (${external_node_path_default().resolve(dir)}), which is not a directory (working directory: ${process.cwd()}).`, {
            location: { input: 'migrations-path' },
            hint: 'Check out the repository first (actions/checkout) and set migrations-path relative to its root.'
        });
    }
    const hasAlembicIni = (0,external_node_fs_.existsSync)(external_node_path_default().join(dir, 'alembic.ini'));
    const choice = settings.engine === 'auto' ? (hasAlembicIni ? 'alembic' : 'sql') : settings.engine;
    if (choice === 'alembic' && !hasAlembicIni) {
        throw new src_errors/* ActionError */.lZ('alembic-ini-missing', `engine is 'alembic' but '${dir}' holds no alembic.ini.`, {
            location: { input: 'migrations-path' },
            hint: 'Point migrations-path at the directory that contains alembic.ini, or use engine: sql for plain SQL files.'
        });
    }
    if (choice === 'alembic' && settings.transaction === 'all') {
        throw new src_errors/* ActionError */.lZ('transaction-all-alembic', `Input 'transaction' is 'all', but the chain in '${dir}' runs with Alembic, whose env.py decides the transactions.`, {
            location: { input: 'transaction' },
            hint: "Remove the transaction input: Alembic's default env.py already runs the whole upgrade in one transaction, unless it sets transaction_per_migration=True."
        });
    }
    const engine = choice === 'alembic' ? (await Promise.all(/* import() */[__nccwpck_require__.e(955), __nccwpck_require__.e(244)]).then(__nccwpck_require__.bind(__nccwpck_require__, 3244))).createAlembicEngine(settings) : createSqlEngine(settings);
    return { ...engine, checkChain: (chain) => [...migrationsPathProblems(settings, chain, workspace), ...engine.checkChain(chain)] };
}
/** The repository checkout on a runner; the working directory elsewhere. */
function defaultWorkspace() {
    return process.env.GITHUB_WORKSPACE || process.cwd();
}
/**
 * Warnings, not errors: a path outside the workspace may be deliberate (a shared checkout), and a new
 * project may have no migrations yet. But both are usually a wrong migrations-path, which would
 * otherwise pass as "nothing to apply".
 */
function migrationsPathProblems(settings, chain, workspace) {
    const given = settings.migrationsPath;
    const resolved = realPath(external_node_path_default().resolve(given));
    const root = realPath(external_node_path_default().resolve(workspace));
    const problems = [];
    const fromRoot = external_node_path_default().relative(root, resolved);
    if (fromRoot === '..' || fromRoot.startsWith(`..${(external_node_path_default()).sep}`) || external_node_path_default().isAbsolute(fromRoot)) {
        problems.push({
            code: 'migrations-path-outside-workspace',
            severity: 'warning',
            message: `migrations-path '${given}' resolves to ${resolved}, outside the workspace ${root}.`,
            hint: 'Set migrations-path relative to the repository root, to a directory inside the checkout.',
            revisions: []
        });
    }
    if (chain.revisions.length === 0) {
        const consequence = settings.mode === 'migrate' ? ': nothing will be applied, and the run would still pass' : '';
        problems.push({
            code: 'migrations-path-empty',
            severity: 'warning',
            message: `migrations-path '${given}' (${resolved}) holds no migrations${consequence}.`,
            hint: 'An empty migrations directory almost always means a wrong migrations-path or a missing checkout: check the path, relative to the repository root, and that actions/checkout ran first.',
            revisions: []
        });
    }
    return problems;
}
/** Symbolic links resolved, so a link cannot hide where the directory really is. */
function realPath(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
    }
    catch {
        return p;
    }
}

// EXTERNAL MODULE: ./src/database-url.ts
var database_url = __nccwpck_require__(7358);
;// CONCATENATED MODULE: ./src/inputs.ts


/** The public interface: every input, its default, and what it accepts. action.yml and README must agree (tested). */
const INPUTS = {
    'database-url': { default: undefined, accepts: 'a postgres://, postgresql:// or postgresql+<driver>:// URL (or env DATABASE_URL)' },
    engine: { default: 'auto', accepts: 'auto, sql or alembic' },
    'migrations-path': { default: 'migrations', accepts: 'a directory path' },
    mode: { default: 'migrate', accepts: 'migrate, validate, plan, check or repair' },
    extensions: { default: 'vector', accepts: "a comma-separated list of extension names, or '' / none for no extensions" },
    'require-extensions': { default: 'true', accepts: 'true or false' },
    'wait-timeout': { default: '120', accepts: 'whole seconds from 0 to 3600' },
    'retry-delay': { default: '100', accepts: 'whole milliseconds from 10 to 60000' },
    'max-retry-delay': { default: '2000', accepts: 'whole milliseconds from 10 to 300000, not less than retry-delay' },
    retries: { default: '3', accepts: 'a whole number from 0 to 20' },
    'connect-timeout': { default: '5', accepts: 'whole seconds from 1 to 300' },
    'lock-timeout': { default: '10s', accepts: "a Postgres duration such as 0, 500ms, 10s, 2min ('0' disables)" },
    'statement-timeout': { default: '0', accepts: "a Postgres duration such as 0, 500ms, 10s, 2min ('0' disables)" },
    summary: { default: 'true', accepts: 'true or false' },
    python: { default: 'python3', accepts: 'a Python interpreter command or path' },
    'history-table': { default: 'public.pg_migrate_history', accepts: 'a table name, optionally schema-qualified' },
    'allow-out-of-order': { default: 'false', accepts: 'true or false' },
    'alembic-requirements': { default: '', accepts: 'a path to a pip requirements file, or empty' },
    'alembic-version-table': { default: '', accepts: "a table name, optionally schema-qualified, or empty for alembic's default" },
    'fail-on-risk': { default: 'critical', accepts: 'none, low, medium, high or critical' },
    backup: { default: 'never', accepts: 'never, auto (when the pending set has a high or critical lint risk) or always' },
    'repair-action': { default: '', accepts: 'mark-applied or mark-pending (mode: repair, SQL engine)' },
    'repair-revision': { default: '', accepts: 'a version or revision id of the migration chain (mode: repair)' },
    'verify-downgrade': { default: 'none', accepts: 'none, pending or all' },
    'allow-destructive-verify': { default: 'false', accepts: 'true or false' },
    transaction: { default: 'per-migration', accepts: 'per-migration or all (SQL engine: every pending migration in one transaction)' }
};
function readSettings(read, env = process.env) {
    const get = (name) => {
        const value = (read(name) ?? '').trim();
        return value === '' ? (INPUTS[name].default ?? '') : value;
    };
    const rawUrl = get('database-url') || env.DATABASE_URL?.trim() || '';
    if (!rawUrl) {
        throw inputs_invalid('database-url', '', 'is required (set the input or the DATABASE_URL environment variable)');
    }
    const databaseUrl = (0,database_url/* parseDatabaseUrl */.mx)(rawUrl);
    const retryDelayMs = integer('retry-delay', get('retry-delay'), 10, 60_000);
    const maxRetryDelayMs = integer('max-retry-delay', get('max-retry-delay'), 10, 300_000);
    if (maxRetryDelayMs < retryDelayMs) {
        throw inputs_invalid('max-retry-delay', String(maxRetryDelayMs), `must not be less than retry-delay (${retryDelayMs})`);
    }
    const extensionsInput = read('extensions');
    const extensions = (extensionsInput === undefined ? INPUTS.extensions.default : extensionsInput)
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e.length > 0 && e.toLowerCase() !== 'none');
    for (const extension of extensions) {
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(extension)) {
            throw inputs_invalid('extensions', extension, 'must be extension names such as vector or pg_trgm');
        }
    }
    const requirements = get('alembic-requirements');
    const versionTable = get('alembic-version-table');
    const warnings = [];
    const historyTable = qualifiedName('history-table', get('history-table'), 'public', warnings);
    const alembicVersionTable = versionTable === '' ? undefined : qualifiedName('alembic-version-table', versionTable, '', warnings);
    const mode = oneOf('mode', get('mode'), ['migrate', 'validate', 'plan', 'check', 'repair']);
    return {
        databaseUrl,
        engine: oneOf('engine', get('engine'), ['auto', 'sql', 'alembic']),
        migrationsPath: nonEmpty('migrations-path', get('migrations-path')),
        mode,
        extensions,
        requireExtensions: inputs_boolean('require-extensions', get('require-extensions')),
        waitTimeoutMs: integer('wait-timeout', get('wait-timeout'), 0, 3600) * 1000,
        retryDelayMs,
        maxRetryDelayMs,
        retries: integer('retries', get('retries'), 0, 20),
        connectTimeoutMs: integer('connect-timeout', get('connect-timeout'), 1, 300) * 1000,
        lockTimeout: duration('lock-timeout', get('lock-timeout')),
        statementTimeout: duration('statement-timeout', get('statement-timeout')),
        summary: inputs_boolean('summary', get('summary')),
        python: nonEmpty('python', get('python')),
        historyTable,
        allowOutOfOrder: inputs_boolean('allow-out-of-order', get('allow-out-of-order')),
        alembicRequirements: requirements === '' ? undefined : requirements,
        alembicVersionTable,
        warnings,
        failOnRisk: oneOf('fail-on-risk', get('fail-on-risk'), ['none', 'low', 'medium', 'high', 'critical']),
        backup: oneOf('backup', get('backup'), ['never', 'auto', 'always']),
        repair: repairRequest(mode, get('repair-action'), get('repair-revision')),
        verifyDowngrade: oneOf('verify-downgrade', get('verify-downgrade'), ['none', 'pending', 'all']),
        allowDestructiveVerify: inputs_boolean('allow-destructive-verify', get('allow-destructive-verify')),
        transaction: oneOf('transaction', get('transaction'), ['per-migration', 'all'])
    };
}
/** Repair inputs outside repair mode are refused rather than ignored: a repair that silently did not happen is worse than an error. */
function repairRequest(mode, action, revision) {
    if (mode !== 'repair') {
        const given = action !== '' ? 'repair-action' : revision !== '' ? 'repair-revision' : undefined;
        if (given)
            throw inputs_invalid(given, given === 'repair-action' ? action : revision, `is only used with mode: repair, but mode is ${mode}`);
        return undefined;
    }
    if (revision === '')
        throw inputs_invalid('repair-revision', revision, 'is required with mode: repair (the migration to record as applied or pending)');
    return { revision, action: action === '' ? undefined : oneOf('repair-action', action, ['mark-applied', 'mark-pending']) };
}
function inputs_invalid(name, value, problem) {
    return new src_errors/* ActionError */.lZ('invalid-input', `Input '${name}' ${problem}; got '${value}'.`, {
        location: { input: name },
        hint: `Accepted: ${INPUTS[name].accepts}.`
    });
}
function oneOf(name, value, allowed) {
    const normalized = value.toLowerCase();
    const match = allowed.find((a) => a === normalized);
    if (!match)
        throw inputs_invalid(name, value, `must be one of ${allowed.join(', ')}`);
    return match;
}
function inputs_boolean(name, value) {
    // The same spellings as core.getBooleanInput (YAML 1.2 core schema).
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw inputs_invalid(name, value, 'must be true or false');
}
function integer(name, value, min, max) {
    if (!/^\d+$/.test(value))
        throw inputs_invalid(name, value, `must be a whole number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max)
        throw inputs_invalid(name, value, `must be from ${min} to ${max}`);
    return n;
}
function nonEmpty(name, value) {
    if (value === '')
        throw inputs_invalid(name, value, 'must not be empty');
    return value;
}
/** Units Postgres accepts for time settings such as lock_timeout, in milliseconds, largest first. */
const DURATION_UNITS = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
    ['ms', 1],
    ['us', 1 / 1000]
];
const DURATION = /^(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/;
/** lock_timeout and statement_timeout are int GUCs in milliseconds. */
const MAX_TIMEOUT_MS = 2_147_483_647;
function duration(name, value) {
    const match = DURATION.exec(value);
    if (!match)
        throw inputs_invalid(name, value, 'must be a Postgres duration (a number with an optional unit us, ms, s, min, h or d)');
    const [, number, unit] = match;
    const ms = timeoutMilliseconds(Number(number), unit);
    if (ms > MAX_TIMEOUT_MS)
        throw inputs_invalid(name, value, `exceeds PostgreSQL's limit for timeouts, ${MAX_TIMEOUT_MS} ms (24d 20h 31min 23.647s)`);
    if (ms === 0 && Number(number) !== 0) {
        throw inputs_invalid(name, value, 'rounds to 0 ms, which PostgreSQL takes as no timeout at all; write 0 to disable the timeout, or give at least 1ms');
    }
    // Leading zeros dropped: PostgreSQL reads '010' as octal (8 ms).
    return value.replace(/\s+/g, '').replace(/^0+(?=\d)/, '');
}
/**
 * The milliseconds PostgreSQL makes of a duration (parse_int and convert_to_base_unit in guc.c): a
 * fraction is first rounded to the next smaller unit, then to whole milliseconds, both half to even.
 */
function timeoutMilliseconds(value, unit) {
    if (unit === undefined)
        return roundHalfEven(value);
    const index = DURATION_UNITS.findIndex(([u]) => u === unit);
    const multiplier = DURATION_UNITS[index][1];
    const smaller = DURATION_UNITS[index + 1]?.[1];
    const inMs = smaller === undefined ? value * multiplier : roundHalfEven((value * multiplier) / smaller) * smaller;
    return roundHalfEven(inMs);
}
/** C's rint() in the default rounding mode. */
function roundHalfEven(x) {
    const rounded = Math.round(x);
    return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers. */
const MAX_IDENTIFIER_BYTES = 63;
function qualifiedName(name, value, defaultSchema, warnings) {
    const parts = value.split('.');
    if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
        throw inputs_invalid(name, value, 'must be a table name or schema.table made of letters, digits and underscores');
    }
    const tooLong = parts.find((p) => Buffer.byteLength(p, 'utf8') > MAX_IDENTIFIER_BYTES);
    if (tooLong !== undefined) {
        throw inputs_invalid(name, value, `has the name '${tooLong}' of ${Buffer.byteLength(tooLong, 'utf8')} bytes; PostgreSQL cuts names to ${MAX_IDENTIFIER_BYTES} bytes, so use a shorter one`);
    }
    if (parts.some((p) => p !== p.toLowerCase())) {
        warnings.push(`Input '${name}' '${value}' has upper-case letters, so it names the case-sensitive table ${parts.map((p) => `"${p}"`).join('.')}: ` +
            `queries must quote it that way (unquoted, PostgreSQL reads ${value.toLowerCase()}). Write it in lower case unless the quoted name is intended.`);
    }
    return parts.length === 2 ? { schema: parts[0], table: parts[1] } : { schema: defaultSchema, table: parts[0] };
}

;// CONCATENATED MODULE: ./src/pipeline/report.ts

/** The one place that turns what the stages returned into the report model. */
function buildReport({ startedAt, durationMs, stages, outcomes, failure, cleanupWarnings = [] }) {
    const settings = outcomes.inputs;
    const selected = outcomes['load chain'];
    const chain = selected && 'chain' in selected ? selected.chain : undefined;
    const validation = outcomes.validate;
    const plan = outcomes.plan;
    const lint = outcomes.lint;
    const extensions = outcomes.extensions;
    const url = settings?.databaseUrl;
    return {
        status: failure ? 'failure' : 'success',
        mode: settings?.mode,
        engine: selected?.engine.name,
        database: url && `${url.user}@${url.host}:${url.port}/${url.database}`,
        migrationsPath: selected && settings?.migrationsPath,
        startedAt,
        durationMs,
        stages,
        serverVersion: outcomes.wait?.wait.serverVersion,
        wait: outcomes.wait?.wait,
        extensions: extensions?.result,
        chain: chain &&
            {
                engine: chain.engine,
                directory: chain.directory,
                revisions: chain.revisions,
                notes: unique([...chain.notes, ...(lint?.plan.notes ?? []), ...(outcomes.apply?.notes ?? [])])
            },
        graph: validation?.graph,
        state: validation?.state,
        problems: validation?.problems ?? [],
        lock: outcomes.lock?.result,
        pending: validation && 'pending' in validation ? validation.pending : undefined,
        plan: plan?.revisions,
        apply: outcomes.apply,
        repair: outcomes.repair,
        backup: outcomes.backup,
        verifyDowngrade: outcomes['verify downgrade'],
        lint: lint && { result: lint.result, gate: lint.gate },
        error: failure && reportedError(failure.stage, failure.error),
        warnings: [
            ...(settings?.warnings ?? []),
            ...(extensions?.result.warnings ?? []),
            ...(extensions?.ignoredFailure ? [`${extensions.ignoredFailure.message} (continuing: require-extensions is false)`] : []),
            ...(validation?.problems ?? []).filter((p) => p.severity === 'warning').map((p) => p.message),
            ...cleanupWarnings
        ]
    };
}
function reportedError(stage, error) {
    if ((0,src_errors/* isActionError */.Bd)(error)) {
        return { stage, code: error.code, message: error.message, hint: error.hint, details: error.details, location: error.location, bug: false, stack: error.stack };
    }
    return {
        stage,
        code: 'internal-error',
        message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'This is a bug in pg-migrate-action, not in your migrations.',
        details: [],
        location: {},
        bug: true,
        stack: error instanceof Error ? error.stack : undefined
    };
}
function unique(lines) {
    return [...new Set(lines)];
}

;// CONCATENATED MODULE: ./src/pipeline/stage.ts

/** Thrown by the runner after a failure was recorded, to end the pipeline without recording it twice. */
class StageStopped extends Error {
}
/** Runs stages, times them, and keeps their records and outcomes; the first failure ends the run. */
class StageRunner {
    records = [];
    outcomes = {};
    failure;
    async stage(name, run) {
        const start = Date.now();
        const failed = (error) => {
            this.records.push({ name, status: 'failed', durationMs: Date.now() - start, summary: (0,src_errors/* isActionError */.Bd)(error) ? error.message : 'internal error' });
            this.fail(name, error);
            return new StageStopped();
        };
        let answer;
        try {
            answer = await run();
        }
        catch (error) {
            throw failed(error);
        }
        if ('failure' in answer) {
            if (answer.known)
                this.outcomes[name] = answer.known;
            throw failed(answer.failure);
        }
        this.outcomes[name] = answer.result;
        this.records.push({ name, status: answer.status ?? 'ok', durationMs: Date.now() - start, summary: answer.summary });
        return answer.result;
    }
    skip(name, summary) {
        this.records.push({ name, status: 'skipped', durationMs: 0, summary });
    }
    /** Records the run's error; the first one is the cause, later ones are consequences. */
    fail(stage, error) {
        this.failure ??= { stage, error };
    }
}

;// CONCATENATED MODULE: ./src/pipeline/stages/apply.ts


/** The apply stage (migrate mode). */
async function applyStage(engine, ctx, chain, state, plan) {
    const count = plan.revisions.length;
    let result;
    try {
        result = count === 0 ? { runs: [], current: state.current } : await ctx.log.group(`Applying ${plural(count, 'migration')}`, () => engine.apply(ctx, chain, state, plan));
    }
    catch (error) {
        return { failure: error, known: await appliedAfterThrow(engine, ctx, chain, plan) };
    }
    if (result.failure)
        return { failure: migrationFailed(result.failure), known: result };
    const applied = result.runs.filter((r) => r.status === 'applied').length;
    return { result, summary: result.runs.length === 0 ? 'nothing to apply' : `applied ${plural(applied, 'migration')}` };
}
function migrationFailed(failure) {
    return new src_errors/* ActionError */.lZ(failure.code ?? 'migration-failed', `Migration ${failure.revision} failed: ${failure.message}`, {
        location: { file: failure.file, line: failure.line, column: failure.column, revision: failure.revision },
        hint: failure.recovery[0],
        details: [failure.databaseState]
    });
}
/**
 * An engine that throws instead of returning its failure still may have applied some migrations;
 * the database knows which, so the report and the outputs say so. Undefined when it cannot be read.
 */
async function appliedAfterThrow(engine, ctx, chain, plan) {
    const after = await engine.readState(ctx, chain).catch(() => undefined);
    if (!after)
        return undefined;
    const applied = new Set(after.applied.map((a) => a.id));
    return {
        current: after.current,
        runs: plan.revisions.map(({ revision, transactional }) => ({
            id: revision.id,
            description: revision.description,
            file: revision.file,
            status: applied.has(revision.id) ? 'applied' : 'not-run',
            attempts: 1,
            transactional,
            notes: []
        }))
    };
}

// EXTERNAL MODULE: ./src/lint/schema-model.ts
var schema_model = __nccwpck_require__(4698);
;// CONCATENATED MODULE: ./src/wait.ts




/** A connect attempt shorter than this is pointless; the last attempt may overrun the deadline by it. */
const MIN_ATTEMPT_MS = 1000;
/** Repeated identical failures are logged at most this often, so a long wait stays readable. */
const LOG_EVERY_MS = 5000;
async function waitForServer(url, options, log, deps = {}) {
    const connect = deps.connect ?? connection/* openClient */.My;
    const sleep = deps.sleep ?? backoff_sleep;
    const now = deps.now ?? Date.now;
    const backoff = new Backoff(options.retryDelayMs, options.maxRetryDelayMs, deps.random);
    const start = now();
    const deadline = start + options.timeoutMs;
    const result = { attempts: 0, waitedMs: 0, reasons: {} };
    let lastLogged;
    return log.group(`Waiting for PostgreSQL at ${url.host}:${url.port}/${url.database}`, async () => {
        for (;;) {
            result.attempts++;
            const attemptStart = now();
            const connectTimeoutMs = Math.max(MIN_ATTEMPT_MS, Math.min(options.connectTimeoutMs, deadline - attemptStart));
            let client;
            try {
                client = await connect(url, { connectTimeoutMs });
                const row = await client.query(`SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`);
                result.waitedMs = now() - start;
                result.serverVersion = row.rows[0].version;
                result.serverVersionNum = Number(row.rows[0].num);
                log.info(`ready after ${result.attempts} attempt(s), ${formatMs(result.waitedMs)}: PostgreSQL ${result.serverVersion}`);
                return { client, result };
            }
            catch (error) {
                await (0,connection/* closeQuietly */.EO)(client);
                const failure = classifyConnectionError(error, { tls: url.tls, hasPassword: url.password !== undefined });
                result.reasons[failure.reason] = (result.reasons[failure.reason] ?? 0) + 1;
                result.lastError = (0,src_errors/* errorMessage */.gJ)(error);
                result.waitedMs = now() - start;
                if (failure.kind === 'fatal')
                    throw fatalError(failure, error, url, result);
                const remaining = deadline - now();
                if (remaining <= 0)
                    throw timeoutError(failure, url, result, options);
                const delay = Math.min(failure.kind === 'poll' ? backoff.poll() : backoff.next(), remaining);
                if (failure.kind === 'poll')
                    backoff.reset();
                const at = now();
                if (!lastLogged || lastLogged.reason !== failure.reason || at - lastLogged.at >= LOG_EVERY_MS) {
                    log.info(`attempt ${result.attempts} (+${formatMs(at - start)}): ${failure.reason}; retrying every ${delay} ms`);
                    lastLogged = { reason: failure.reason, at };
                }
                await sleep(delay);
            }
        }
    });
}
function fatalError(failure, error, url, result) {
    return new src_errors/* ActionError */.lZ(failure.actionCode ?? 'connection-failed', `Cannot connect to ${url.host}:${url.port}/${url.database} as '${url.user}': ${failure.reason}${failure.code ? ` (${failure.code})` : ''}. Not retried: waiting cannot fix this.`, { hint: failure.hint, details: [`Server said: ${(0,src_errors/* errorMessage */.gJ)(error)}`, `Attempts: ${result.attempts}`], cause: error });
}
function timeoutError(failure, url, result, options) {
    const seen = Object.entries(result.reasons)
        .map(([reason, n]) => `${reason} ×${n}`)
        .join(', ');
    return new src_errors/* ActionError */.lZ('server-not-ready', `PostgreSQL at ${url.host}:${url.port} was not ready within wait-timeout (${options.timeoutMs / 1000} s) after ${result.attempts} attempts; last error: ${failure.reason}.`, {
        hint: failure.code === 'ENOENT'
            ? `No server socket ${url.host}/.s.PGSQL.${url.port} appeared: check host= (a directory in the server's unix_socket_directories) and the port in database-url, or raise wait-timeout.`
            : failure.reason === 'connection refused'
                ? "Nothing listens on that host and port. Check the service container's `ports:` mapping (e.g. 5432:5432) and the host (localhost for a job on the runner, the service label for a container job), or raise wait-timeout."
                : 'Raise wait-timeout if the server is just slow to start, or check the host and port in database-url.',
        details: [`Seen: ${seen}`, `Last error: ${result.lastError ?? ''}`]
    });
}
function formatMs(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

;// CONCATENATED MODULE: ./src/backup/report.ts



/** How the backup shows in the stages table and in its own summary section. */
function describeBackupStage(result) {
    if (result.status === 'skipped')
        return { status: 'skipped', summary: result.reason };
    return { status: 'ok', summary: `${(0,schema_model/* formatBytes */.z3)(result.sizeBytes ?? 0)} in ${formatMs(result.durationMs ?? 0)} (${result.reason})` };
}
function renderBackupSection(result) {
    if (!result || result.status !== 'written')
        return '';
    const rows = [
        ['File', code(result.path ?? '')],
        ['Size', (0,schema_model/* formatBytes */.z3)(result.sizeBytes ?? 0)],
        ['Took', formatMs(result.durationMs ?? 0)],
        ['Why', cell(result.reason)]
    ];
    if (result.client)
        rows.push(['Client', `${code(result.client.pgDump)} ${cell(result.client.version)}`]);
    return (`### Backup\n\n` +
        table(['', ''], rows) +
        `\nThe dump holds the database's data; it lives in this job's RUNNER_TEMP and is gone when the job ends unless you upload it. ` +
        `To restore it over the database (drops and recreates every object it contains; the password from PGPASSWORD or ~/.pgpass):\n\n` +
        fence(result.restoreCommand ?? '', 'sh'));
}

;// CONCATENATED MODULE: ./src/pipeline/stages/backup.ts

/** The backup stage (migrate mode, backup not never): after the lint gate, before anything is applied. */
async function backupStage(settings, maxRisk, pendingCount, serverVersionNum, env, log) {
    // A bundle chunk of its own (with @actions/exec): most runs never back up.
    const { runBackup } = await Promise.all(/* import() */[__nccwpck_require__.e(955), __nccwpck_require__.e(521)]).then(__nccwpck_require__.bind(__nccwpck_require__, 5521));
    const result = await runBackup({ policy: settings.backup, maxRisk, pendingCount, databaseUrl: settings.databaseUrl, serverVersionNum, env, log });
    return { result, ...describeBackupStage(result) };
}

;// CONCATENATED MODULE: ./src/pipeline/stages/chain.ts

/** The load chain stage: pick the engine for the migrations directory and read the chain from disk. */
async function loadChainStage(settings, selectEngine) {
    const engine = await selectEngine(settings);
    let chain;
    try {
        chain = await engine.loadChain();
    }
    catch (error) {
        return { failure: error, known: { engine } };
    }
    return { result: { engine, chain }, summary: `${plural(chain.revisions.length, 'revision')} in ${chain.directory} (engine ${engine.name})` };
}

;// CONCATENATED MODULE: ./src/pipeline/stages/connect.ts


async function connectStage(settings, log, deps) {
    const { client, result } = await waitForServer(settings.databaseUrl, { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs }, log, deps);
    return { result: { client, wait: result }, summary: `ready after ${plural(result.attempts, 'attempt')}, ${formatMs(result.waitedMs)}` };
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(7975);
;// CONCATENATED MODULE: ./node_modules/pgvector/src/sparse-vector.js


class SparseVector {
  /** @type {number} */
  dimensions = 0;

  /** @type {number[]} */
  indices = [];

  /** @type {number[]} */
  values = [];

  /**
   * @overload
   * @param {string | number[]} value
   */

  /**
   * @overload
   * @param {Map<number, number> | object} value
   * @param {number} dimensions
   */

  /**
   * @param {string | number[] | Map<number, number> | object} value
   * @param {number} [dimensions]
   */
  constructor(value, dimensions) {
    if (typeof dimensions !== 'undefined') {
      // @ts-ignore
      this.#fromMap(value, dimensions);
    } else if (typeof value === 'string') {
      this.#fromSql(value);
    } else {
      // @ts-ignore
      this.#fromDense(value);
    }
  }

  /**
   * @returns {string}
   */
  toPostgres() {
    const values = this.values;
    const elements = this.indices.map((index, i) => (0,external_node_util_.format)('%i:%f', index + 1, values[i])).join(',');
    return (0,external_node_util_.format)('{%s}/%d', elements, this.dimensions);
  }

  /**
   * @returns {string}
   */
  toString() {
    return this.toPostgres();
  }

  /**
   * @returns {number[]}
   */
  toArray() {
    const arr = Array(this.dimensions).fill(0.0);
    for (const [i, index] of this.indices.entries()) {
      arr[index] = this.values[i];
    }
    return arr;
  }

  /**
   * @param {string} value
   */
  #fromSql(value) {
    const parts = value.split('/', 2);

    this.dimensions = parseInt(parts[1]);

    const elements = parts[0].slice(1, -1).split(',');
    for (const element of elements) {
      const ep = element.split(':', 2);
      this.indices.push(parseInt(ep[0]) - 1);
      this.values.push(parseFloat(ep[1]));
    }
  }

  /**
   * @param {number[]} value
   */
  #fromDense(value) {
    this.dimensions = value.length;

    for (const [i, v] of value.entries()) {
      const f = Number(v);
      if (f != 0) {
        this.indices.push(Number(i));
        this.values.push(f);
      }
    }
  }

  /**
   * @param {Map<number, number>} map
   * @param {number} dimensions
   */
  #fromMap(map, dimensions) {
    this.dimensions = Number(dimensions);

    const entries = map instanceof Map ? map.entries() : Object.entries(map);
    for (const [i, v] of entries) {
      const f = Number(v);
      if (f != 0) {
        this.indices.push(Number(i));
        this.values.push(f);
      }
    }
  }
}

;// CONCATENATED MODULE: ./node_modules/pgvector/src/utils.js



/**
 * @param {?string} value
 * @returns {?number[]}
 */
function vectorFromSql(value) {
  if (value === null) {
    return null;
  }
  return value.substring(1, value.length - 1).split(',').map((v) => parseFloat(v));
}

/**
 * @param {?number[]} value
 * @returns {?string}
 */
function vectorToSql(value) {
  if (Array.isArray(value)) {
    return JSON.stringify(value.map((v) => Number(v)));
  }
  return value;
}




/**
 * @param {?string} value
 * @returns {?SparseVector}
 */
function sparsevecFromSql(value) {
  if (value === null) {
    return null;
  }
  return new SparseVector(value);
}

/**
 * @param {?SparseVector} value
 * @returns {?string}
 */
function sparsevecToSql(value) {
  if (value instanceof SparseVector) {
    return value.toPostgres();
  }
  return value;
}

/**
 * @param {string} name
 * @param {number | null | undefined} dimensions
 * @returns {string}
 */
function typeWithDimensions(name, dimensions) {
  if (dimensions === undefined || dimensions === null) {
    return name;
  }

  if (!Number.isInteger(dimensions)) {
    throw new Error('expected integer');
  }

  return format('%s(%d)', name, dimensions);
}

/**
 * @param {number | null | undefined} dimensions
 * @returns {string}
 */
function vectorType(dimensions) {
  return typeWithDimensions('vector', dimensions);
}

/**
 * @param {number | null | undefined} dimensions
 * @returns {string}
 */
function halfvecType(dimensions) {
  return typeWithDimensions('halfvec', dimensions);
}

/**
 * @param {number | null | undefined} dimensions
 * @returns {string}
 */
function bitType(dimensions) {
  return typeWithDimensions('bit', dimensions);
}

/**
 * @param {number | null | undefined} dimensions
 * @returns {string}
 */
function sparsevecType(dimensions) {
  return typeWithDimensions('sparsevec', dimensions);
}

;// CONCATENATED MODULE: ./node_modules/pgvector/src/index.js



/**
 * @param {?string} value
 * @returns {number[] | SparseVector | null}
 */
function fromSql(value) {
  if (value === null) {
    return null;
  } else if (value[0] == '[') {
    return vectorFromSql(value);
  } else if (value[0] == '{') {
    return sparsevecFromSql(value);
  } else {
    throw new Error('invalid text representation');
  }
}

/**
 * @param {number[] | SparseVector | null} value
 * @returns {?string}
 */
function toSql(value) {
  if (value === null) {
    return null;
  } else if (Array.isArray(value)) {
    return vectorToSql(value);
  } else if (value instanceof SparseVector) {
    return sparsevecToSql(value);
  } else {
    throw new Error('expected array or sparse vector');
  }
}



/* harmony default export */ const src = ({ fromSql, toSql });

;// CONCATENATED MODULE: ./src/extensions.ts




/** Which image provides an extension, for the "not available" message. */
const PROVIDERS = {
    vector: 'the pgvector/pgvector:pg17 image (or any pgvector/pgvector:pgNN), or install the postgresql-NN-pgvector package',
    postgis: 'the postgis/postgis image',
    timescaledb: 'the timescale/timescaledb image',
    vectorscale: 'the timescale/timescaledb-ha image (pgvectorscale)'
};
async function ensureExtensions(client, names, log, options) {
    const result = { extensions: [], smoke: [], smokeSkipped: [], warnings: [] };
    const access = await sessionAccess(client);
    if (access.readOnly)
        log.info(`the session is read-only (${readOnlyCause(access)})`);
    for (const name of names) {
        const status = await ensureExtension(client, name, access, options);
        result.extensions.push(status);
        if (status.schema && status.schemaUsable === false) {
            result.warnings.push(`Role ${access.role} lacks USAGE on schema '${status.schema}', which holds extension '${name}': its types and operators do not resolve for this role. Run GRANT USAGE ON SCHEMA ${(0,connection/* quoteIdent */.v4)(status.schema)} TO ${(0,connection/* quoteIdent */.v4)(access.role)}, or connect as a role that has it.`);
        }
        else if (status.schema && status.onSearchPath === false) {
            result.warnings.push(`Extension '${name}' lives in schema '${status.schema}', which is not on the search_path: unqualified types and operators (e.g. vector, <->) will not resolve. Add the schema to search_path or qualify them (${status.schema}.${name === 'vector' ? 'vector' : '…'}).`);
        }
        log.info(`${name}: ${status.status}${status.version ? ` ${status.version}` : ''}${status.schema ? ` in schema ${status.schema}` : ''}${status.message ? ` — ${status.message}` : ''}`);
    }
    const vector = result.extensions.find((e) => e.name === 'vector');
    if (vector?.schemaUsable === false) {
        result.smokeSkipped = SMOKE_CHECKS.map((name) => ({ name, reason: `role ${access.role} lacks USAGE on schema ${vector.schema}` }));
    }
    else if (vector && (vector.status === 'installed' || vector.status === 'created')) {
        ;
        ({ checks: result.smoke, skipped: result.smokeSkipped } = await smokeTestVector(client, vector, access));
    }
    else if (vector?.status === 'would-create') {
        result.smokeSkipped = SMOKE_CHECKS.map((name) => ({ name, reason: 'vector is not created yet (this mode creates nothing)' }));
    }
    for (const check of result.smoke)
        log.info(`smoke test ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
    for (const check of result.smokeSkipped)
        log.info(`smoke test skip ${check.name}: ${check.reason}`);
    return result;
}
async function sessionAccess(client) {
    const r = await client.query(`SELECT current_user AS role, current_database() AS database,
            current_setting('is_superuser') = 'on' AS superuser,
            current_setting('transaction_read_only') = 'on' AS "readOnly",
            pg_is_in_recovery() AS standby,
            has_database_privilege(current_database(), 'CREATE') AS "createOnDatabase",
            has_database_privilege(current_database(), 'TEMP') AS "tempOnDatabase"`);
    return r.rows[0];
}
function readOnlyCause(access) {
    return access.standby
        ? 'the server is a standby in recovery'
        : `transaction_read_only is on: default_transaction_read_only is set for role ${access.role} or database ${access.database}`;
}
/** The error for extensions that are required but unusable; undefined when all is well. */
function extensionsFailure(result) {
    const broken = result.extensions.filter((e) => e.status === 'missing' || e.status === 'not-permitted' || e.status === 'read-only' || e.status === 'failed');
    const failedSmoke = result.smoke.filter((c) => !c.ok);
    if (broken.length === 0 && failedSmoke.length === 0)
        return undefined;
    if (broken.length > 0) {
        const first = broken[0];
        return new src_errors/* ActionError */.lZ(`extension-${first.status}`, broken.map((e) => `Extension '${e.name}': ${e.message}`).join(' '), {
            hint: broken
                .map((e) => e.hint)
                .filter(Boolean)
                .join(' '),
            details: broken.slice(1).map((e) => `${e.name}: ${e.hint ?? ''}`)
        });
    }
    return new src_errors/* ActionError */.lZ('vector-smoke-test-failed', `pgvector is installed but does not work: ${failedSmoke.map((c) => `${c.name} (${c.detail})`).join('; ')}.`, {
        hint: "The server's pgvector build is broken or mismatched: reinstall it, run ALTER EXTENSION vector UPDATE, or use a pgvector/pgvector image."
    });
}
const PERMISSION_DENIED = '42501';
async function ensureExtension(client, name, access, options) {
    // `trusted` exists from PostgreSQL 13; through to_jsonb an older server reads it as null (not trusted).
    const available = await client.query(`SELECT a.installed_version, a.default_version, (to_jsonb(v) ->> 'trusted')::boolean AS trusted
       FROM pg_available_extensions a
       LEFT JOIN pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
      WHERE a.name = $1`, [name]);
    if (available.rowCount === 0) {
        return {
            name,
            status: 'missing',
            message: `not available on this server (no ${name}.control file in its extension directory).`,
            hint: `Use a server that ships it: ${PROVIDERS[name] ?? `a server or image with the ${name} extension installed`}.`
        };
    }
    let status = 'installed';
    if (available.rows[0].installed_version === null) {
        if (!options.create)
            return couldCreate(name, available.rows[0].trusted === true, access);
        if (access.readOnly) {
            return {
                name,
                status: 'read-only',
                message: `not installed, and CREATE EXTENSION cannot run: the session is read-only (${readOnlyCause(access)}).`,
                hint: `Create it once as a role with a writable session (CREATE EXTENSION ${(0,connection/* quoteIdent */.v4)(name)}), or connect as such a role; mode: validate and plan only check that it could be created.`
            };
        }
        try {
            await client.query(`CREATE EXTENSION IF NOT EXISTS ${(0,connection/* quoteIdent */.v4)(name)}`);
            status = 'created';
        }
        catch (error) {
            const code = errorCode(error);
            // Two runners creating it at once: the loser sees a unique violation, but the extension is there.
            if (code !== '23505') {
                if (code === PERMISSION_DENIED) {
                    return { name, status: 'not-permitted', message: `permission denied to create it: ${(0,src_errors/* errorMessage */.gJ)(error)}`, hint: notPermittedHint(name) };
                }
                return { name, status: 'failed', message: (0,src_errors/* errorMessage */.gJ)(error), hint: 'See the server message; the extension is installed on disk but could not be created.' };
            }
        }
    }
    const installed = await client.query(`SELECT e.extversion AS version, n.nspname AS schema, n.nspname = ANY (current_schemas(false)) AS on_path,
            has_schema_privilege(n.oid, 'USAGE') AS usable
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`, [name]);
    const row = installed.rows[0];
    return { name, status, version: row?.version, schema: row?.schema, onSearchPath: row?.on_path, schemaUsable: row?.usable };
}
/** The check that CREATE EXTENSION would pass, without running it: superuser, or a trusted extension and CREATE on the database. */
function couldCreate(name, trusted, access) {
    const statement = `CREATE EXTENSION ${(0,connection/* quoteIdent */.v4)(name)}`;
    if (access.superuser || (trusted && access.createOnDatabase)) {
        return {
            name,
            status: 'would-create',
            message: `not installed; this mode creates nothing. A migrate run would run ${statement}, which role ${access.role} may (${access.superuser ? 'superuser' : 'trusted extension, CREATE on the database'}).`
        };
    }
    const why = trusted ? `it lacks CREATE on database ${access.database}` : `${name} is not a trusted extension and ${access.role} is no superuser`;
    return {
        name,
        status: 'not-permitted',
        message: `not installed, and role ${access.role} may not create it: ${why}.`,
        hint: notPermittedHint(name)
    };
}
function notPermittedHint(name) {
    return name === 'vector'
        ? 'pgvector is not a trusted extension: CREATE EXTENSION vector needs a superuser (or the database owner on PG 13+ only for trusted extensions). Connect as a superuser for this step, or have an administrator run CREATE EXTENSION vector in this database beforehand.'
        : `Connect as a role allowed to create '${name}', or have an administrator create it beforehand.`;
}
const A = [1, 2, 3];
const B = [3, 2, 1];
const EXPECTED = { l2: Math.sqrt(8), cosine: 1 - 10 / 14, negativeInnerProduct: -10 };
const CHECK = {
    operators: 'distance operators <-> <=> <#>',
    column: 'vector(3) column round trip',
    value: 'vector(3) value round trip',
    hnsw: 'HNSW index build',
    search: 'index-backed nearest-neighbour query',
    halfvec: 'halfvec'
};
/** The checks a writable session runs. */
const SMOKE_CHECKS = [CHECK.operators, CHECK.column, CHECK.hnsw, CHECK.search, CHECK.halfvec];
/**
 * Exercises the extension the way an application does, inside a transaction that is rolled back,
 * so nothing is left behind: operators, a typed column, an HNSW build and an index-backed search.
 * A session that may not create a temporary table (read-only, no TEMP privilege) gets the checks
 * that need none, a typed value instead of a column, and the rest listed as skipped with the reason.
 */
async function smokeTestVector(client, vector, access) {
    const checks = [];
    const skipped = [];
    const check = async (name, fn) => {
        try {
            checks.push({ name, ok: true, detail: await fn() });
        }
        catch (error) {
            checks.push({ name, ok: false, detail: (0,src_errors/* errorMessage */.gJ)(error) });
            throw error;
        }
    };
    const noTable = temporaryTableRestriction(access);
    await client.query('BEGIN');
    try {
        // Resolve vector's types and operators even when its schema is not on the caller's search_path.
        await client.query(`SELECT set_config('search_path', $1, true)`, [`${(0,connection/* quoteIdent */.v4)(vector.schema ?? 'public')}, pg_temp`]);
        await check(CHECK.operators, async () => {
            const r = await client.query('SELECT $1::vector <-> $2::vector AS l2, $1::vector <=> $2::vector AS cosine, $1::vector <#> $2::vector AS nip', [toSql(A), toSql(B)]);
            const { l2, cosine, nip } = r.rows[0];
            expectClose('l2 distance', l2, EXPECTED.l2);
            expectClose('cosine distance', cosine, EXPECTED.cosine);
            expectClose('negative inner product', nip, EXPECTED.negativeInnerProduct);
            return `l2 ${l2.toFixed(4)}, cosine ${cosine.toFixed(4)}, inner product ${nip}`;
        });
        if (noTable) {
            await check(CHECK.value, async () => {
                const r = await client.query('SELECT $1::vector(3)::text AS embedding', [toSql(A)]);
                expectRoundTrip(r.rows[0].embedding);
                return 'cast to vector(3) and read back [1,2,3]';
            });
            skipped.push(...[CHECK.column, CHECK.hnsw, CHECK.search].map((name) => ({ name, reason: noTable })));
        }
        else {
            await checkWithTable(client, check);
        }
        if (vector.version && versionAtLeast(vector.version, '0.7.0')) {
            await check(CHECK.halfvec, async () => {
                const r = await client.query('SELECT $1::halfvec <-> $2::halfvec AS d', [toSql(A), toSql(B)]);
                expectClose('halfvec l2 distance', r.rows[0].d, EXPECTED.l2, 1e-2);
                return `halfvec l2 ${r.rows[0].d.toFixed(3)}`;
            });
        }
    }
    catch {
        // The failed check is recorded; the remaining ones cannot run in an aborted transaction.
    }
    finally {
        await client.query('ROLLBACK');
    }
    return { checks, skipped };
}
/** Why this session cannot create the temporary table the column and index checks use; undefined when it can. */
function temporaryTableRestriction(access) {
    if (access.readOnly)
        return `needs a temporary table, and the session is read-only (${readOnlyCause(access)})`;
    if (!access.tempOnDatabase)
        return `needs a temporary table, and role ${access.role} lacks TEMP on database ${access.database}`;
    return undefined;
}
async function checkWithTable(client, check) {
    await check(CHECK.column, async () => {
        await client.query('CREATE TEMP TABLE pgma_smoke (id int PRIMARY KEY, embedding vector(3)) ON COMMIT DROP');
        await client.query(`INSERT INTO pgma_smoke VALUES (1, $1), (2, $2), (3, $3), (4, $4)`, [toSql(A), toSql(B), toSql([1, 1, 1]), toSql([10, 10, 10])]);
        const r = await client.query('SELECT embedding::text AS embedding FROM pgma_smoke WHERE id = 1');
        expectRoundTrip(r.rows[0].embedding);
        return 'stored and read back [1,2,3]';
    });
    await check(CHECK.hnsw, async () => {
        await client.query('CREATE INDEX pgma_smoke_hnsw ON pgma_smoke USING hnsw (embedding vector_l2_ops)');
        return 'CREATE INDEX … USING hnsw (embedding vector_l2_ops)';
    });
    await check(CHECK.search, async () => {
        await client.query(`SELECT set_config('enable_seqscan', 'off', true)`);
        const query = 'SELECT id FROM pgma_smoke ORDER BY embedding <-> $1 LIMIT 2';
        const plan = await client.query(`EXPLAIN (FORMAT JSON) ${query}`, [toSql([1, 2, 4])]);
        const planText = JSON.stringify(plan.rows[0]['QUERY PLAN']);
        if (!planText.includes('pgma_smoke_hnsw'))
            throw new Error(`the planner did not use the HNSW index: ${planText.slice(0, 200)}`);
        const r = await client.query(query, [toSql([1, 2, 4])]);
        const ids = r.rows.map((row) => row.id);
        if (ids[0] !== 1)
            throw new Error(`nearest neighbours of [1,2,4] were ${JSON.stringify(ids)}, expected 1 first`);
        return `index scan on pgma_smoke_hnsw; nearest to [1,2,4]: ${ids.join(', ')}`;
    });
}
/** The pgvector package's parser must read back what it wrote. */
function expectRoundTrip(text) {
    const back = fromSql(text);
    if (JSON.stringify(back) !== JSON.stringify(A))
        throw new Error(`stored ${JSON.stringify(A)}, read back ${JSON.stringify(back)}`);
}
function expectClose(what, actual, expected, tolerance = 1e-6) {
    if (typeof actual !== 'number' || Math.abs(actual - expected) > tolerance) {
        throw new Error(`${what} was ${actual}, expected ${expected.toFixed(6)}`);
    }
}
function versionAtLeast(version, minimum) {
    const a = version.split('.').map((n) => parseInt(n, 10) || 0);
    const b = minimum.split('.').map((n) => parseInt(n, 10) || 0);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0))
            return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
}

;// CONCATENATED MODULE: ./src/pipeline/stages/extensions.ts

async function extensionsStage(client, settings, log) {
    // Only the modes that change the database create extensions; validate and plan check they could.
    const create = settings.mode === 'migrate' || settings.mode === 'check';
    const result = await log.group('Extensions', () => ensureExtensions(client, settings.extensions, log, { create }));
    const failure = extensionsFailure(result);
    if (failure && settings.requireExtensions)
        return { failure, known: { result } };
    const smoke = result.smoke.length ? `; smoke test ${result.smoke.filter((c) => c.ok).length}/${result.smoke.length} passed` : '';
    return {
        result: { result, ignoredFailure: failure },
        status: failure || result.warnings.length > 0 ? 'warning' : 'ok',
        summary: result.extensions.map((e) => `${e.name} ${e.version ?? e.status}`).join(', ') + smoke
    };
}

// EXTERNAL MODULE: ./src/lint/ast.ts
var ast = __nccwpck_require__(4001);
;// CONCATENATED MODULE: ./src/lint/catalog.ts

/**
 * The lint's view of the live database, over `pg`: which tables exist, how big they are and what
 * type each column has. Read-only, on the action's own connection, before anything is applied.
 * Sizes and the row probe take ACCESS SHARE locks, so a table locked by someone else must not stall
 * the lint: it reads under a short lock_timeout and goes without what it could not read.
 */
const LOCK_TIMEOUT = '2s';
function pgCatalogReader(client) {
    return {
        async describeTables(tables) {
            const facts = new Map();
            if (tables.length === 0)
                return facts;
            await client.query(`BEGIN READ ONLY; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
            try {
                // to_regclass resolves unqualified names through the search_path, as the migration will.
                const found = await client.query(`SELECT t.i, c.oid::int8 AS oid, c.oid::regclass::text AS regclass, c.reltuples::float8 AS reltuples,
                  CASE WHEN l.locked IS NULL THEN pg_total_relation_size(c.oid)::text END AS bytes
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, rel_name, i)
             JOIN pg_class c ON c.oid = to_regclass(CASE WHEN t.schema_name = '' THEN quote_ident(t.rel_name) ELSE quote_ident(t.schema_name) || '.' || quote_ident(t.rel_name) END)
             LEFT JOIN LATERAL (SELECT true AS locked FROM pg_locks WHERE relation = c.oid AND mode = 'AccessExclusiveLock' AND pid <> pg_backend_pid() LIMIT 1) l ON true
            WHERE c.relkind IN ('r', 'p', 'm')`, [tables.map((t) => t.schema ?? ''), tables.map((t) => t.name)]);
                for (const row of found.rows) {
                    const table = tables[Number(row.i) - 1];
                    const columns = await client.query(`SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`, [row.oid]);
                    facts.set((0,ast/* tableKey */.ih)(table), {
                        estimatedRows: row.reltuples >= 0 ? row.reltuples : undefined,
                        hasRows: await hasRows(client, row.regclass),
                        totalBytes: row.bytes === null ? undefined : Number(row.bytes),
                        columns: new Map(columns.rows.map((c) => [c.attname, c.type]))
                    });
                }
            }
            catch {
                // A lock that came in between (lock_timeout): lint with what was read.
            }
            finally {
                await client.query('ROLLBACK');
            }
            return facts;
        }
    };
}
/** The estimate is -1 until the table is first analyzed; one row read says whether it is empty. */
async function hasRows(client, regclass) {
    await client.query('SAVEPOINT pgma_lint_rows');
    try {
        // regclass::text is already quoted as an identifier.
        const result = await client.query(`SELECT EXISTS (SELECT 1 FROM ${regclass}) AS e`);
        return result.rows[0].e;
    }
    catch {
        // No SELECT privilege, or locked by someone else: the estimate has to do.
        await client.query('ROLLBACK TO SAVEPOINT pgma_lint_rows');
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/lint/rule.ts
var rule = __nccwpck_require__(5619);
;// CONCATENATED MODULE: ./src/lint/gate.ts


function isBlocking(finding, failOnRisk) {
    return failOnRisk !== 'none' && !finding.acknowledged && (0,rule/* riskRank */.wv)(finding.risk) >= (0,rule/* riskRank */.wv)(failOnRisk);
}
function gate(result, failOnRisk) {
    const blocked = result.findings.filter((f) => isBlocking(f, failOnRisk));
    if (blocked.length === 0)
        return { failOnRisk, blocked };
    const first = blocked[0];
    const error = new src_errors/* ActionError */.lZ('lint-blocked', `The risk lint stopped the run before anything was applied: ${blocked.length === 1 ? '1 finding' : `${blocked.length} findings`} at or above fail-on-risk '${failOnRisk}'; the first: ${first.file}:${first.line} ${first.message} (${first.rule}, ${first.risk}).`, {
        location: { file: first.file, line: first.line, revision: first.revision },
        hint: `Make the change the safer way (${first.saferWay}) or, once reviewed, acknowledge it above the statement with \`${first.file.endsWith('.py') ? '#' : '--'} pg-migrate:allow ${first.rule} reason: <why it is safe>\`; fail-on-risk sets the threshold.`,
        details: blocked.slice(1).map((f) => `${f.file}:${f.line} ${f.message} (${f.rule}, ${f.risk})`)
    });
    return { failOnRisk, blocked, error };
}

;// CONCATENATED MODULE: ./src/lint/stage.ts



async function runLintStage({ engine, ctx, rendered }) {
    // What lintPending finds in an empty pending set, without loading the rules.
    const nothingToLint = { findings: [], maxRisk: 'none', revisions: 0, statements: 0 };
    const result = rendered.length === 0 ? nothingToLint : await lint(rendered, { engine, lockTimeout: ctx.settings.lockTimeout, catalog: pgCatalogReader(ctx.client) });
    return { result, gate: gate(result, ctx.settings.failOnRisk) };
}
/** The rules are a bundle chunk of their own: a run with nothing pending (the most common one) does not load them. */
async function lint(...args) {
    const { lintPending } = await __nccwpck_require__.e(/* import() */ 486).then(__nccwpck_require__.bind(__nccwpck_require__, 4486));
    return lintPending(...args);
}
function describeLintStage({ result, gate }) {
    if (result.findings.length === 0)
        return { status: 'ok', summary: `no findings in ${plural(result.statements, 'statement')}` };
    const acknowledged = result.findings.filter((f) => f.acknowledged).length;
    return {
        // Like the headline: low-risk findings alone (new tables) are listed, not flagged.
        status: result.maxRisk === 'low' ? 'ok' : 'warning',
        summary: `${plural(result.findings.length, 'finding')}, highest risk ${result.maxRisk}${acknowledged ? `, ${acknowledged} acknowledged` : ''}; fail-on-risk ${gate.failOnRisk}: ${gate.blocked.length === 0 ? 'nothing blocked' : `${gate.blocked.length} blocked`}`
    };
}
/** The `findings` output. */
function findingsJson({ result, gate }) {
    return JSON.stringify(result.findings.map((f) => ({
        rule: f.rule,
        risk: f.risk,
        revision: f.revision,
        file: f.file,
        line: f.line,
        message: f.message,
        table: f.table ?? null,
        acknowledged: f.acknowledged ? f.acknowledged.reason : null,
        blocked: isBlocking(f, gate.failOnRisk)
    })));
}
const LEVEL_ORDER = { error: 0, warning: 1, notice: 2 };
/**
 * One annotation per finding, most important first: `error` at or above the threshold, `warning`
 * below; low-risk findings (a new table) are `notice`s, so they neither alarm nor crowd out the rest.
 */
function lintAnnotations({ result, gate }) {
    return result.findings
        .map((f) => ({
        level: isBlocking(f, gate.failOnRisk) ? 'error' : f.risk === 'low' ? 'notice' : 'warning',
        title: `Risk lint: ${f.rule} (${f.risk})${f.acknowledged ? ' — acknowledged' : ''}`,
        message: [f.message, f.table, `Safer: ${f.saferWay}`, f.acknowledged ? `Acknowledged: ${f.acknowledged.reason}` : ''].filter(Boolean).join('\n'),
        file: f.file,
        line: f.line
    }))
        .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
}

;// CONCATENATED MODULE: ./src/pipeline/stages/lint.ts

/**
 * The lint stage, in every mode that has a chain: the engine plans the pending revisions with their
 * SQL once, the lint reads it, and the gate stops the run before anything is applied.
 */
async function lintStage(engine, ctx, chain, state, pending) {
    const plan = await engine.plan(ctx, chain, state, pending);
    const linted = await runLintStage({ engine: engine.name, ctx, rendered: plan.revisions });
    const outcome = { ...linted, plan };
    if (linted.gate.error)
        return { failure: linted.gate.error, known: outcome };
    return { result: outcome, ...describeLintStage(linted) };
}

;// CONCATENATED MODULE: ./src/lock.ts





/**
 * One session-level advisory lock per database serialises every runner of this action (SQL and
 * Alembic alike). Session-level, not transaction-level: it must survive the per-migration commits
 * and the non-transactional statements (CONCURRENTLY) in between.
 *
 * The key is visible in pg_locks as classid 1885824353 ('pgma'), objid 1.
 */
const LOCK_KEY = [1885824353, 1];
/** How the lock's own session shows in pg_stat_activity. */
const LOCK_APPLICATION_NAME = 'pg-migrate-action lock';
/**
 * The migration lock of one run, held on a session of its own. A session dies with the server (a
 * restart, a failover) and its lock with it, while the run may reconnect and carry on: so the
 * engine calls `ensureHeld()` before every migration, which re-acquires a lost lock — waiting for
 * the server and for another runner as at the start — and says so, because another runner may have
 * applied migrations in between.
 */
class MigrationLock {
    settings;
    log;
    current;
    constructor(settings, log) {
        this.settings = settings;
        this.log = log;
    }
    /** The session holding the lock, for bookkeeping that must not depend on a migration session. */
    get session() {
        if (!this.current)
            throw new Error('The migration lock is not held.');
        return this.current;
    }
    async acquire() {
        let session;
        try {
            session = await (0,connection/* openClient */.My)(this.settings.databaseUrl, { connectTimeoutMs: this.settings.connectTimeoutMs, applicationName: LOCK_APPLICATION_NAME });
        }
        catch (error) {
            throw new src_errors/* ActionError */.lZ('lock-session-failed', `Could not open the session that holds the migration lock: ${classifyConnectionError(error).reason}.`, {
                hint: "The server answered the readiness check but refused one more connection: check max_connections (or the pooler's limit) and run again.",
                cause: error
            });
        }
        return this.acquireOn(session);
    }
    /**
     * Resolves to false when the lock is still held, true when it had been lost and was re-acquired
     * (re-read what is applied before going on). Throws an ActionError when the server does not come
     * back or another runner keeps the lock for longer than wait-timeout.
     */
    async ensureHeld() {
        if (await this.stillHeld())
            return false;
        this.log.info('The migration lock was lost with its connection; waiting for the server and re-acquiring it (wait-timeout).');
        await (0,connection/* closeQuietly */.EO)(this.current);
        this.current = undefined;
        try {
            const { client } = await waitForServer(this.settings.databaseUrl, waitOptions(this.settings), ungrouped(this.log), {
                connect: (url, options) => (0,connection/* openClient */.My)(url, { ...options, applicationName: LOCK_APPLICATION_NAME })
            });
            const result = await this.acquireOn(client);
            this.log.info(`Migration lock re-acquired${result.waitedMs > 0 ? ` after waiting ${result.waitedMs} ms for ${result.heldBy}` : ''}.`);
        }
        catch (error) {
            throw lockLost(error);
        }
        return true;
    }
    async release() {
        const session = this.current;
        this.current = undefined;
        if (!session)
            return;
        await session.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY]).catch(() => undefined);
        await (0,connection/* closeQuietly */.EO)(session);
    }
    async acquireOn(session) {
        try {
            const result = await acquireMigrationLock(session, lockOptions(this.settings), this.log);
            this.current = session;
            return result;
        }
        catch (error) {
            await (0,connection/* closeQuietly */.EO)(session);
            throw error;
        }
    }
    /** One query on the lock's own session: alive, and the lock is still this backend's. */
    async stillHeld() {
        if (!this.current)
            return false;
        try {
            const result = await this.current.query(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted AND pid = pg_backend_pid()) AS held`, [...LOCK_KEY]);
            return result.rows[0].held;
        }
        catch {
            return false;
        }
    }
}
/** Capped at 1 s: a waiting run should notice the release promptly, without hammering the server. */
function lockOptions(settings) {
    return { timeoutMs: settings.waitTimeoutMs, minPollMs: settings.retryDelayMs, maxPollMs: Math.min(settings.maxRetryDelayMs, 1000) };
}
function waitOptions(settings) {
    return { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs };
}
/** The readiness wait opens a log group of its own; inside the apply group its lines stay plain. */
function ungrouped(log) {
    return { ...log, group: (_title, fn) => fn() };
}
/**
 * Polls with pg_try_advisory_lock instead of blocking in pg_advisory_lock: a session blocked in a
 * statement holds a snapshot, and the lock holder's CREATE INDEX CONCURRENTLY waits for every older
 * snapshot to finish — so a blocked waiter would deadlock the run it is waiting for.
 */
async function acquireMigrationLock(client, options, log, deps = {}) {
    const now = deps.now ?? Date.now;
    const sleep = deps.sleep ?? backoff_sleep;
    const start = now();
    if (await tryLock(client))
        return { waitedMs: 0 };
    const heldBy = await describeHolder(client);
    log.info(`Another migration run holds the lock (${heldBy}); waiting up to ${options.timeoutMs / 1000} s (wait-timeout).`);
    const backoff = new Backoff(options.minPollMs, Math.max(options.minPollMs, options.maxPollMs));
    for (;;) {
        const remaining = start + options.timeoutMs - now();
        if (remaining <= 0)
            throw lockTimeout(heldBy, options.timeoutMs);
        await sleep(Math.min(backoff.next(), remaining));
        if (await tryLock(client)) {
            const waitedMs = now() - start;
            log.info(`Lock acquired after ${waitedMs} ms.`);
            return { waitedMs, heldBy };
        }
    }
}
async function tryLock(client) {
    const result = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY]);
    return result.rows[0].ok;
}
async function describeHolder(client) {
    const holder = await client.query(`SELECT l.pid, a.application_name AS app, extract(epoch FROM now() - a.backend_start)::float AS seconds
       FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`, [...LOCK_KEY]);
    const row = holder.rows[0];
    if (!row)
        return 'holder already gone';
    return `pid ${row.pid} (${row.app || 'unknown application'}), connected ${row.seconds.toFixed(1)} s ago`;
}
function lockTimeout(heldBy, timeoutMs) {
    return new src_errors/* ActionError */.lZ('lock-timeout', `Another migration run kept the migration lock for longer than wait-timeout (${timeoutMs / 1000} s): ${heldBy}.`, {
        hint: 'Wait for the other job to finish (or cancel it) and re-run; raise wait-timeout if migrations legitimately take longer. Nothing was applied by this run.'
    });
}
function lockLost(error) {
    return new src_errors/* ActionError */.lZ('lock-lost', `The migration lock was lost with its connection (a server restart or a network failure) and could not be re-acquired: ${(0,src_errors/* errorMessage */.gJ)(error)}`, {
        hint: 'Run again once the server is stable and no other migration run is active; the migrations this run applied before the loss stay applied. Raise wait-timeout if the server takes longer to come back.',
        cause: error
    });
}

;// CONCATENATED MODULE: ./src/pipeline/stages/lock.ts


/** The lock stage (migrate mode): one run at a time per database, on a session of its own. */
async function lockStage(settings, log) {
    const lock = new MigrationLock(settings, log);
    try {
        const result = await lock.acquire();
        return { result: { lock, result }, summary: result.waitedMs > 0 ? `waited ${formatMs(result.waitedMs)} for another run` : 'acquired' };
    }
    catch (error) {
        // Not acquired, but its session may be open (a lock timeout): close it.
        await lock.release();
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/repair.ts


async function runRepair({ engine, ctx, chain, request }) {
    const revision = chain.revisions.find((r) => r.id === request.revision);
    if (!revision) {
        const known = chain.revisions.map((r) => r.id);
        throw new src_errors/* ActionError */.lZ('repair-revision-unknown', `Input 'repair-revision' names '${request.revision}', which is not a revision of the chain in ${chain.directory}.`, {
            location: { input: 'repair-revision' },
            hint: known.length === 0
                ? 'The migrations directory holds no migrations: check migrations-path.'
                : `Use one of the chain's revisions, e.g. ${known.slice(-5).join(', ')} (exactly as the file or revision declares it).`
        });
    }
    if (!ctx.lock)
        throw new Error('mode: repair must hold the migration lock');
    // The lock may have been lost with its session since it was taken; never write without it.
    await ctx.lock.ensureHeld();
    return engine.repair(ctx, chain, revision, request);
}
function describeRepairStage(result) {
    return { status: result.changed ? 'ok' : 'warning', summary: result.done };
}
function renderRepairSection(result) {
    if (!result)
        return '';
    const rows = (label, cells) => cells.length === 0 ? [[label, ...result.columns.map((_, i) => (i === 0 ? '*(no row)*' : ''))]] : cells.map((c) => [label, ...c.map(cell)]);
    // The full checksum is in the command below; a table cell only needs enough to tell the two apart.
    const short = (value) => (/^[0-9a-f]{40,}$/.test(value) ? `${value.slice(0, 12)}…` : value);
    const shortened = (cells) => cells.map((row) => row.map(short));
    return (`### Repair of ${code(result.revision)}\n\n` +
        `${cell(result.done)}. What was run:\n\n${fence(result.command, /^alembic\s/.test(result.command) ? 'sh' : 'sql')}\n` +
        table(['row', ...result.columns], [...rows('before', shortened(result.before)), ...rows('after', shortened(result.after))]));
}

;// CONCATENATED MODULE: ./src/pipeline/stages/repair.ts

/** The repair stage (mode: repair), in place of validate and apply. */
async function repairStage(engine, ctx, chain, request) {
    const result = await runRepair({ engine, ctx, chain, request });
    return { result, ...describeRepairStage(result) };
}

// EXTERNAL MODULE: ./src/chain/graph.ts
var chain_graph = __nccwpck_require__(3765);
;// CONCATENATED MODULE: ./src/pipeline/stages/validate.ts


/** The validate stage: the chain as a graph, the engine's own checks and the database's state, checked as a whole. */
async function validateStage(engine, ctx, chain) {
    const analysis = (0,chain_graph/* analyzeGraph */.dG)(chain.revisions);
    const staticProblems = [...analysis.problems, ...engine.checkChain(chain)];
    let state;
    try {
        state = await engine.readState(ctx, chain);
    }
    catch (error) {
        return { failure: error, known: { graph: analysis.summary, problems: staticProblems } };
    }
    const problems = [...staticProblems, ...state.problems];
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0)
        return { failure: chainInvalid(errors), known: { graph: analysis.summary, problems, state } };
    return {
        result: { graph: analysis.summary, state, problems, pending: engine.pending(chain, state) },
        summary: `valid; database at ${state.current.join(', ') || 'nothing applied'}`
    };
}
function chainInvalid(errors) {
    const first = errors[0];
    return new src_errors/* ActionError */.lZ('chain-invalid', errors.length === 1 ? first.message : `${errors.length} problems in the migration chain; the first: ${first.message}`, {
        hint: first.hint,
        location: { file: first.file, line: first.line, revision: first.revisions[0] },
        details: errors.slice(1).map((p) => `${p.message} — ${p.hint}`)
    });
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __nccwpck_require__(7030);
;// CONCATENATED MODULE: ./src/verify/diff.ts
function diffSnapshots(before, after) {
    const changes = [];
    for (const [object, definition] of before) {
        if (!after.has(object))
            changes.push({ object, change: 'removed', before: definition });
        else if (after.get(object) !== definition)
            changes.push({ object, change: 'changed', before: definition, after: after.get(object) });
    }
    for (const [object, definition] of after)
        if (!before.has(object))
            changes.push({ object, change: 'added', after: definition });
    return changes.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}
/** A unified-diff-like text: `-` what the first snapshot had, `+` what the second has, one object per pair of lines. */
function formatDiff(changes) {
    const line = (sign, object, definition) => `${sign} ${object}${definition ? `: ${definition.replace(/\s*\n\s*/g, ' ')}` : ''}`;
    return changes.flatMap((c) => [...(c.before !== undefined ? [line('-', c.object, c.before)] : []), ...(c.after !== undefined ? [line('+', c.object, c.after)] : [])]).join('\n');
}

;// CONCATENATED MODULE: ./src/verify/snapshot.ts
/** Schemas that belong to the server or to extensions' internals, never to migrations. */
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;
/** Objects an extension created are the extension's: its version covers them. */
const NOT_FROM_EXTENSION = (classid, oid) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
const QUERIES = [
    `SELECT 'schema ' || n.nspname AS key, '' AS def FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} AND n.nspname <> 'public' AND ${NOT_FROM_EXTENSION('pg_namespace', 'n.oid')}`,
    `SELECT 'extension ' || e.extname AS key, 'version ' || e.extversion || ' in schema ' || n.nspname AS def FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'`,
    `SELECT (CASE c.relkind WHEN 'r' THEN 'table ' WHEN 'p' THEN 'table ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence ' WHEN 'f' THEN 'foreign table ' END) || n.nspname || '.' || c.relname AS key,
          CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true)
               WHEN c.relkind = 'S' THEN (SELECT format('%s start %s increment %s min %s max %s%s', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END) FROM pg_sequence s WHERE s.seqrelid = c.oid)
               ELSE concat_ws(' ', CASE c.relpersistence WHEN 'u' THEN 'unlogged' END, CASE WHEN c.relkind = 'p' THEN 'partitioned by ' || pg_get_partkeydef(c.oid) END, CASE WHEN c.relispartition THEN 'partition ' || pg_get_expr(c.relpartbound, c.oid) END) END AS def
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')} AND (n.nspname, c.relname) NOT IN (SELECT * FROM excluded)`,
    `SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname AS key,
          concat_ws(' ', format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attcollation <> t.typcollation THEN 'collate ' || co.collname END,
                    CASE WHEN a.attnotnull THEN 'not null' END,
                    CASE a.attidentity WHEN 'a' THEN 'generated always as identity' WHEN 'd' THEN 'generated by default as identity' END,
                    CASE WHEN a.attgenerated = 's' THEN 'generated always as (' || pg_get_expr(ad.adbin, ad.adrelid) || ') stored'
                         WHEN ad.adbin IS NOT NULL THEN 'default ' || pg_get_expr(ad.adbin, ad.adrelid) END) AS def
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum LEFT JOIN pg_collation co ON co.oid = a.attcollation
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')} AND (n.nspname, c.relname) NOT IN (SELECT * FROM excluded)`,
    `SELECT 'index ' || n.nspname || '.' || c.relname || ' on ' || t.relname AS key, pg_get_indexdef(i.indexrelid) || CASE WHEN NOT i.indisvalid THEN ' (INVALID)' ELSE '' END AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_class', 't.oid')} AND (n.nspname, t.relname) NOT IN (SELECT * FROM excluded)`,
    `SELECT 'constraint ' || n.nspname || '.' || coalesce(t.relname, ty.typname) || '.' || co.conname AS key, pg_get_constraintdef(co.oid) AS def
     FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace LEFT JOIN pg_class t ON t.oid = co.conrelid LEFT JOIN pg_type ty ON ty.oid = co.contypid
    WHERE ${SYSTEM_SCHEMAS} AND (t.oid IS NULL OR ${NOT_FROM_EXTENSION('pg_class', 't.oid')}) AND (n.nspname, coalesce(t.relname, '')) NOT IN (SELECT * FROM excluded)`,
    `SELECT 'enum ' || n.nspname || '.' || t.typname AS key, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) AS def
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_type', 't.oid')} GROUP BY n.nspname, t.typname`,
    `SELECT (CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END) || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS key,
          CASE WHEN p.prokind = 'a' THEN pg_get_function_result(p.oid) ELSE pg_get_functiondef(p.oid) END AS def
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_proc', 'p.oid')}`,
    `SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || tg.tgname AS key, pg_get_triggerdef(tg.oid) AS def
     FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal AND ${SYSTEM_SCHEMAS} AND (n.nspname, c.relname) NOT IN (SELECT * FROM excluded)`
];
async function takeSnapshot(client, options) {
    const excluded = options.exclude.map((t) => [t.schema || 'public', t.table]);
    // One values list for every query; an impossible row keeps it non-empty.
    const values = [['', ''], ...excluded].map((_, i) => `($${2 * i + 1}::name, $${2 * i + 2}::name)`).join(', ');
    const params = [['', ''], ...excluded].flat();
    const snapshot = new Map();
    for (const query of QUERIES) {
        const result = await client.query(`WITH excluded(nspname, relname) AS (VALUES ${values}) ${query}`, params);
        for (const row of result.rows)
            snapshot.set(row.key, row.def ?? '');
    }
    return new Map([...snapshot].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

;// CONCATENATED MODULE: ./src/verify/round-trip.ts



async function verifyRoundTrip(input) {
    const { engine, ctx, chain, revisions } = input;
    const steps = [];
    const ids = revisions.map((r) => r.id);
    const snapshot = () => takeSnapshot(ctx.client, { exclude: input.exclude });
    const stop = (status, revision, problem, diff) => ({
        status,
        revisions: ids,
        revision: revision?.id,
        file: revision?.file,
        problem,
        diff,
        steps
    });
    const step = async (revision, direction) => {
        const outcome = direction === 'down' ? await engine.downgradeOne(ctx, chain, revision) : await engine.upgradeOne(ctx, chain, revision);
        steps.push({ revision: revision.id, direction, outcome });
        return outcome;
    };
    const problemOf = (revision, outcome) => outcome.status === 'irreversible'
        ? stop('irreversible', revision, `${revision.id} cannot be downgraded: ${outcome.reason}. verify-downgrade stopped there; the revisions below it were not checked.`)
        : stop('failed', revision, `The down step of ${revision.id} failed: ${outcome.message}`);
    // Down to the state before the checked revisions, newest first.
    const undone = [];
    for (const revision of [...revisions].reverse()) {
        const outcome = await step(revision, 'down');
        if (outcome.status === 'irreversible') {
            // Not a failure, so the run must end where the upgrade left it: re-apply what was undone.
            for (const again of undone.reverse()) {
                const up = await step(again, 'up');
                if (up.status !== 'ok')
                    return stop('failed', again, `Upgrading ${again.id} again after the down steps failed: ${up.status === 'failed' ? up.message : up.reason}.`);
            }
            return problemOf(revision, outcome);
        }
        if (outcome.status !== 'ok')
            return problemOf(revision, outcome);
        undone.push(revision);
    }
    let expected = await snapshot();
    const bottom = input.before ? diffSnapshots(input.before, expected) : [];
    // Each revision on its own: up, down (must give back `expected`), up again.
    for (const revision of revisions) {
        const up = await step(revision, 'up');
        if (up.status !== 'ok') {
            // Usually a down step that left something behind which the upgrade creates again: the bottom diff shows it.
            const leftBehind = bottom.length > 0 ? ` The down steps left the schema different from before the upgrade.` : '';
            return stop('failed', revision, `Upgrading ${revision.id} again after the down steps failed: ${up.status === 'failed' ? up.message : up.reason}.${leftBehind}`, bottom.length > 0 ? formatDiff(bottom) : undefined);
        }
        const upgraded = await snapshot();
        const down = await step(revision, 'down');
        if (down.status !== 'ok')
            return problemOf(revision, down);
        const changes = diffSnapshots(expected, await snapshot());
        if (changes.length > 0) {
            return stop('failed', revision, `The down step of ${revision.id} does not restore the schema its upgrade started from (${plural(changes.length, 'difference')}).`, formatDiff(changes));
        }
        const again = await step(revision, 'up');
        if (again.status !== 'ok')
            return stop('failed', revision, `Upgrading ${revision.id} a second time failed: ${again.status === 'failed' ? again.message : again.reason}`);
        expected = upgraded;
    }
    if (bottom.length > 0) {
        return stop('failed', undefined, `The down steps of ${ids.join(', ')} together do not restore the schema from before the upgrade.`, formatDiff(bottom));
    }
    const top = diffSnapshots(input.after, await snapshot());
    if (top.length > 0)
        return stop('failed', undefined, 'Upgrading again after the round trip does not give the schema of the first upgrade.', formatDiff(top));
    return { status: 'passed', revisions: ids, steps };
}

;// CONCATENATED MODULE: ./src/verify/index.ts





/** Loopback, a unix socket, or a one-label name such as a job's service container (`postgres`, `db`). */
function looksDisposable(host) {
    if (host.startsWith('/') || host === 'localhost' || host === '::1')
        return true;
    if ((0,external_node_net_.isIP)(host) === 4)
        return host.startsWith('127.');
    return (0,external_node_net_.isIP)(host) === 0 && /^[a-z0-9_-]+$/i.test(host);
}
async function prepareVerify(settings, state, client, chain) {
    const reasons = [];
    const host = settings.databaseUrl.host;
    if (!looksDisposable(host))
        reasons.push(`the host ${host} is neither loopback, a unix socket nor a service container name`);
    if (state.applied.length > 0)
        reasons.push(`the database already had ${state.applied.length} applied migration(s) before this run (at ${state.current.join(', ')})`);
    if (reasons.length > 0 && !settings.allowDestructiveVerify) {
        throw new src_errors/* ActionError */.lZ('verify-target-not-disposable', `verify-downgrade runs the down migrations, which drop what the upgrade created, and this target does not look disposable: ${reasons.join('; ')}. Nothing was applied.`, {
            location: { input: 'verify-downgrade' },
            hint: 'Run verify-downgrade against a throwaway database (a service container in the job), or set allow-destructive-verify: true if losing its data is fine.'
        });
    }
    return { before: await takeSnapshot(client, { exclude: excluded(chain) }), scope: settings.verifyDowngrade === 'all' ? 'all' : 'pending' };
}
async function runVerifyDowngrade({ engine, ctx, chain, preparation, applied }) {
    const exclude = excluded(chain);
    const after = await takeSnapshot(ctx.client, { exclude });
    let revisions = applied;
    if (preparation.scope === 'all') {
        const state = await engine.readState(ctx, chain);
        const byId = new Map(chain.revisions.map((r) => [r.id, r]));
        revisions = state.applied.map((a) => byId.get(a.id)).filter((r) => r !== undefined);
    }
    // The snapshot from before the upgrade is the bottom of the round trip only when nothing below the checked revisions was applied.
    const before = preparation.scope === 'pending' || revisions.length === applied.length ? preparation.before : undefined;
    const result = await verifyRoundTrip({ engine, ctx, chain, revisions, before, after, exclude });
    return { ...result, scope: preparation.scope };
}
/** The error that fails the run after a round trip found a difference; irreversible migrations are findings, not failures. */
function verifyFailure(result) {
    if (result.status !== 'failed')
        return undefined;
    return new src_errors/* ActionError */.lZ(result.diff ? 'downgrade-mismatch' : 'downgrade-failed', `verify-downgrade: ${result.problem}`, {
        location: { revision: result.revision, file: result.file },
        hint: (result.revision
            ? `Fix the down migration of ${result.revision} so it undoes exactly what its upgrade does`
            : 'Check the down migrations of the listed revisions against their upgrades') +
            (result.diff ? '; the schema difference is in the Down-migration round trip section (- expected, + after the down step).' : '.')
    });
}
function excluded(chain) {
    return chain.versionTable ? [{ schema: chain.versionTable.schema || 'public', table: chain.versionTable.table }] : [];
}
function describeVerifyStage(result) {
    if (result.status === 'irreversible')
        return { status: 'warning', summary: result.problem ?? 'irreversible' };
    return { status: 'ok', summary: `round trip of ${result.revisions.length} migration(s) (${result.scope}): every down step restores the schema` };
}
function renderVerifySection(result) {
    if (!result)
        return '';
    const icon = result.status === 'passed' ? '✅' : result.status === 'failed' ? '❌' : '⚠️';
    const headline = result.status === 'passed' ? `Every down step of ${result.revisions.map(code).join(', ')} restores the schema its upgrade started from.` : (result.problem ?? '');
    const steps = table(['Revision', 'Step', 'Result'], result.steps.map((s) => [
        code(s.revision),
        s.direction,
        s.outcome.status === 'ok' ? 'ok' : cell(s.outcome.status === 'failed' ? `failed: ${s.outcome.message}` : `irreversible: ${s.outcome.reason}`)
    ]));
    return `### Down-migration round trip (${result.scope})\n\n${icon} ${cell(headline)}\n\n${result.diff ? fence(result.diff, 'diff') + '\n' : ''}${details('Steps', steps)}`;
}

;// CONCATENATED MODULE: ./src/pipeline/stages/verify.ts

/** verify-downgrade, part 1: refuse a target that is not disposable, and record the schema before applying. */
async function snapshotStage(settings, state, ctx, chain) {
    const result = await prepareVerify(settings, state, ctx.client, chain);
    return { result, summary: `${result.before.size} schema objects recorded for verify-downgrade: ${result.scope}` };
}
/** verify-downgrade, part 2: the round trip of the down migrations, after a successful apply. */
async function verifyDowngradeStage(engine, ctx, chain, preparation, applied) {
    const result = await ctx.log.group('verify-downgrade', () => runVerifyDowngrade({ engine, ctx, chain, preparation, applied }));
    const failure = verifyFailure(result);
    if (failure)
        return { failure, known: result };
    return { result, ...describeVerifyStage(result) };
}

;// CONCATENATED MODULE: ./src/pipeline/index.ts


















async function runPipeline(readInput, deps) {
    const startedAt = new Date();
    const runner = new StageRunner();
    const cleanupWarnings = [];
    try {
        await runStages(runner, readInput, deps);
    }
    catch (error) {
        // A stage failure is already recorded; anything else is a bug in the orchestrator itself.
        if (!(error instanceof StageStopped))
            runner.fail('report', error);
    }
    finally {
        // Before the lock goes: nothing may be applied without it. A release that fails must not keep the lock held.
        await Promise.resolve(runner.outcomes.lint?.plan.release?.()).catch((error) => cleanupWarnings.push(`Could not stop the migration engine cleanly: ${(0,src_errors/* errorMessage */.gJ)(error)}`));
        await runner.outcomes.lock?.lock.release();
        await (0,connection/* closeQuietly */.EO)(runner.outcomes.wait?.client);
    }
    const report = buildReport({
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        stages: runner.records,
        outcomes: runner.outcomes,
        failure: runner.failure,
        cleanupWarnings
    });
    return { report, settings: runner.outcomes.inputs };
}
async function runStages(runner, readInput, deps) {
    const { log } = deps;
    const settings = await runner.stage('inputs', async () => {
        const s = readSettings(readInput, deps.env ?? process.env);
        return { result: s, summary: `mode ${s.mode}, engine ${s.engine}, migrations ${s.migrationsPath}` };
    });
    const { client } = await runner.stage('wait', () => connectStage(settings, log, deps.wait));
    if (settings.extensions.length > 0)
        await runner.stage('extensions', () => extensionsStage(client, settings, log));
    else
        runner.skip('extensions', 'no extensions requested');
    if (settings.mode === 'check')
        return;
    const { engine, chain } = await runner.stage('load chain', () => loadChainStage(settings, deps.selectEngine ?? selectEngine));
    const held = settings.mode === 'migrate' || settings.mode === 'repair' ? await runner.stage('lock', () => lockStage(settings, log)) : undefined;
    const ctx = createEngineContext(settings, client, log, held?.lock);
    // Instead of validate and apply, which refuse the dirty or mis-stamped state a repair fixes.
    const repair = settings.repair;
    if (repair) {
        await runner.stage('repair', () => repairStage(engine, ctx, chain, repair));
        return;
    }
    const { state, pending } = await runner.stage('validate', () => validateStage(engine, ctx, chain));
    const { plan, result: lint } = await runner.stage('lint', () => lintStage(engine, ctx, chain, state, pending));
    if (settings.mode === 'validate')
        return;
    if (settings.mode === 'plan') {
        await runner.stage('plan', async () => ({ result: plan, summary: plural(plan.revisions.length, 'pending migration') }));
        return;
    }
    if (settings.backup !== 'never') {
        const serverVersionNum = runner.outcomes.wait?.wait.serverVersionNum ?? 0;
        await runner.stage('backup', () => backupStage(settings, lint.maxRisk, pending.length, serverVersionNum, deps.env ?? process.env, log));
    }
    const verify = settings.verifyDowngrade === 'none' ? undefined : await runner.stage('snapshot', () => snapshotStage(settings, state, ctx, chain));
    const applied = await runner.stage('apply', () => applyStage(engine, ctx, chain, state, plan));
    if (verify) {
        const byId = new Map(chain.revisions.map((r) => [r.id, r]));
        const revisions = applied.runs.filter((r) => r.status === 'applied').map((r) => byId.get(r.id));
        await runner.stage('verify downgrade', () => verifyDowngradeStage(engine, ctx, chain, verify, revisions));
    }
}

;// CONCATENATED MODULE: ./src/codes.ts
/**
 * Every code the action can report: the codes of ActionErrors (the run stops) and of chain
 * Problems (listed in the report; errors stop the run, warnings do not). docs/errors.md is generated
 * from this catalogue (`npm run docs`) and the summary links each code to its entry there.
 */
/** Where the summary's code links point: the generated troubleshooting page. */
const ERRORS_DOC_URL = 'https://github.com/org/pg-migrate-action/blob/main/docs/errors.md';
const CODES = {
    // Inputs and the migrations directory
    'invalid-input': {
        kind: 'error',
        title: 'An input has an invalid value',
        meaning: 'One of the action inputs (named in the message) does not have an accepted value, or database-url is missing or not a PostgreSQL URL.',
        cause: 'A typo in the workflow file, a value out of range, or an unset secret that left database-url empty.',
        fix: 'Set the input to one of the accepted values listed in the message (the README lists every input with its default).'
    },
    'migrations-path-missing': {
        kind: 'error',
        title: 'The migrations directory does not exist',
        meaning: 'migrations-path does not name a readable directory, relative to the working directory.',
        cause: 'The repository was not checked out (no actions/checkout step), or the path is relative to the wrong directory.',
        fix: 'Check out the repository first and set migrations-path relative to its root.'
    },
    // Connecting
    'auth-failed': {
        kind: 'error',
        title: 'The server refused the credentials',
        meaning: 'PostgreSQL rejected the user or password in database-url (SQLSTATE 28P01 or 28000). Not retried: waiting cannot fix it.',
        cause: "A password that differs from the service container's POSTGRES_PASSWORD, a wrong user, or a pg_hba.conf rule.",
        fix: 'Use the same user and password as the server (for a service container: its POSTGRES_USER / POSTGRES_PASSWORD), percent-encoding special characters.'
    },
    'database-missing': {
        kind: 'error',
        title: 'The database does not exist',
        meaning: 'The server answered, but the database named in database-url does not exist (SQLSTATE 3D000).',
        cause: 'The service container was started with another POSTGRES_DB, or the database is created by a later step.',
        fix: 'Create the database first, or point database-url at an existing one (e.g. set POSTGRES_DB on the service).'
    },
    'connection-failed': {
        kind: 'error',
        title: 'The connection failed in a way waiting cannot fix',
        meaning: 'Connecting failed with an error that is not transient (for example an SSL requirement or an unknown host), so the action did not retry.',
        cause: 'A wrong host name, an sslmode the server does not support, or a server that rejects this client.',
        fix: "Read the server's message in the report and correct database-url (host, port, sslmode)."
    },
    'tls-failed': {
        kind: 'error',
        title: 'TLS/SSL negotiation failed',
        meaning: 'The TLS settings of database-url (sslmode, sslrootcert, …) do not match what the server offers, or its certificate could not be verified. Not retried: waiting cannot fix it.',
        cause: 'sslmode=require (or prefer, which the pg driver treats like require) against a server without TLS, such as a service container; or a missing CA certificate for a managed server.',
        fix: 'Use sslmode=disable for a server without TLS; for a managed server use sslmode=require and give its CA with sslrootcert=<file>.'
    },
    'server-not-ready': {
        kind: 'error',
        title: 'The server was not ready within wait-timeout',
        meaning: 'The action retried connecting until wait-timeout ran out; the report counts each reason it saw.',
        cause: 'Nothing listens on the host and port (a missing `ports:` mapping), the wrong host for a container job, or a server that starts slowly.',
        fix: "Check the service's ports mapping and the host (localhost on the runner, the service label in a container job), or raise wait-timeout."
    },
    // Extensions
    'extension-missing': {
        kind: 'error',
        title: 'A requested extension is not available on the server',
        meaning: 'The server has no package for an extension listed in `extensions`, so CREATE EXTENSION cannot work.',
        cause: 'A plain postgres image instead of one that ships the extension (pgvector/pgvector for vector).',
        fix: 'Use an image that provides the extension, install its package, or remove it from `extensions` (or set require-extensions: false).'
    },
    'extension-not-permitted': {
        kind: 'error',
        title: 'The user may not create a requested extension',
        meaning: 'CREATE EXTENSION was refused for lack of privilege; pgvector is not a trusted extension, so it needs a superuser or the database owner with the right grants.',
        cause: 'Migrations run as an application role rather than the database owner or a superuser.',
        fix: 'Create the extension once as a superuser, or run this step with a role allowed to create it.'
    },
    'extension-failed': {
        kind: 'error',
        title: 'Creating or checking an extension failed',
        meaning: 'CREATE EXTENSION (or reading its state) failed with a server error other than missing or not permitted.',
        cause: 'A broken extension installation, a conflicting schema, or a server error named in the report.',
        fix: "Read the server's message in the report; repair the extension installation or its schema."
    },
    'extension-read-only': {
        kind: 'error',
        title: 'A requested extension is missing and the session is read-only',
        meaning: 'The extension is not installed and CREATE EXTENSION cannot run, because the session is read-only (default_transaction_read_only, or a standby server).',
        cause: 'Migrating through a read-only role or a replica.',
        fix: 'Create the extension once as a role with a writable session, or connect to the primary with such a role.'
    },
    'vector-smoke-test-failed': {
        kind: 'error',
        title: 'pgvector is installed but does not work',
        meaning: 'At least one of the pgvector smoke checks (operators, a vector column, an HNSW index, an index-backed query) failed.',
        cause: 'A pgvector build that does not match the server, or an outdated extension version in the database.',
        fix: 'Reinstall pgvector, run ALTER EXTENSION vector UPDATE, or use a pgvector/pgvector image.'
    },
    // Loading the chain
    'alembic-ini-missing': {
        kind: 'error',
        title: 'No readable alembic.ini',
        meaning: 'engine is alembic, but migrations-path holds no readable alembic.ini.',
        cause: 'migrations-path points at the versions directory or the script_location instead of the directory with alembic.ini.',
        fix: 'Point migrations-path at the directory that holds alembic.ini, or use engine: sql for plain SQL files.'
    },
    'alembic-ini-invalid': {
        kind: 'error',
        title: 'alembic.ini cannot be used',
        meaning: 'alembic.ini lacks script_location or has a value Alembic itself would reject (e.g. version_path_separator).',
        cause: 'A hand-edited alembic.ini.',
        fix: "Set script_location (e.g. `%(here)s/migrations`) and use one of Alembic's accepted values."
    },
    'alembic-ini-unsupported': {
        kind: 'error',
        title: 'alembic.ini names a package resource',
        meaning: 'script_location or version_locations is a package resource (`package:dir`), which the action cannot read without importing Python.',
        cause: 'A project that ships its migrations inside a Python package.',
        fix: 'Use a directory path instead, e.g. `%(here)s/migrations`.'
    },
    'alembic-env-missing': {
        kind: 'error',
        title: 'script_location has no env.py',
        meaning: 'The directory named by script_location has no env.py, so Alembic could not run.',
        cause: 'script_location points at the wrong directory.',
        fix: 'Point script_location at the directory created by `alembic init` (it holds env.py and versions/).'
    },
    'alembic-revision-unreadable': {
        kind: 'error',
        title: 'A revision file cannot be read statically',
        meaning: 'A file in a versions directory has no literal `revision = "…"` (or down_revision, branch_labels, depends_on is not a literal).',
        cause: 'A computed revision id, a helper module placed in versions/, or an unreadable file.',
        fix: 'Write the revision attributes as literals, as `alembic revision` does, and keep non-revision modules out of versions/.'
    },
    'sql-bad-file-name': {
        kind: 'error',
        title: 'A SQL file name does not follow <version>_<name>.sql',
        meaning: 'The SQL engine found .sql files whose names carry no version.',
        cause: 'A helper script or seed file inside the migrations directory, or a misnamed migration.',
        fix: 'Rename the file to <version>_<name>.sql, or move non-migration files out of the directory.'
    },
    'sql-duplicate-version': {
        kind: 'error',
        title: 'Two migrations share a version',
        meaning: 'Several files resolve to the same version (versions compare as numbers, so 0001 and 1 are equal), or a single file and an .up.sql pair define the same migration.',
        cause: 'Two branches each added a migration with the next free number.',
        fix: 'Renumber the newer migration.'
    },
    'sql-missing-up': {
        kind: 'error',
        title: 'A .down.sql file has no .up.sql',
        meaning: 'A down migration exists without the up migration it reverts.',
        cause: 'The up file was renamed or deleted.',
        fix: 'Add the up file, or remove the down file.'
    },
    'sql-empty-migration': {
        kind: 'error',
        title: 'A migration holds no SQL',
        meaning: 'The up part of a migration is empty (or only comments).',
        cause: 'A file created by a generator and never filled in.',
        fix: 'Write the migration, or delete the file.'
    },
    'sql-unreadable-file': {
        kind: 'error',
        title: 'A migration file cannot be read',
        meaning: 'Reading a migration file failed (permissions, a dangling link).',
        cause: 'File permissions or a broken symbolic link in the checkout.',
        fix: 'Check that the file exists and is readable by the runner user.'
    },
    'sql-not-utf8': {
        kind: 'error',
        title: 'A migration file is not UTF-8',
        meaning: 'A migration file contains bytes that are not valid UTF-8; migrations are sent to PostgreSQL as UTF-8.',
        cause: 'A file saved in Latin-1 or another legacy encoding.',
        fix: 'Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).'
    },
    'sql-bad-sections': {
        kind: 'error',
        title: 'The migrate:up / migrate:down sections are malformed',
        meaning: 'A file with `-- migrate:up` / `-- migrate:down` markers has them missing, repeated or in the wrong order.',
        cause: 'A dbmate-style file edited by hand.',
        fix: 'Give the file exactly one `-- migrate:up` section, optionally followed by one `-- migrate:down` section.'
    },
    'sql-bad-section-marker': {
        kind: 'error',
        title: 'A line looks like a dbmate section marker but is not one',
        meaning: 'A comment reads almost like `-- migrate:up` or `-- migrate:down` (a typo, other case or spacing), so everything below it would silently run as part of the section above it.',
        cause: 'A mistyped marker such as `-- migrate:dwon` or `--migrate: down`.',
        fix: 'Write the line as `-- migrate:up` or `-- migrate:down`; if it is meant as a comment, reword it so it does not read like a marker.'
    },
    // Reading the database
    'server-version-unreadable': {
        kind: 'error',
        title: 'The server version cannot be read',
        meaning: 'Reading server_version_num failed, so the SQL engine cannot decide which statements may run in a transaction.',
        cause: 'A proxy or a server that does not implement current_setting, or a lost connection.',
        fix: 'Connect to PostgreSQL directly (not through a proxy that rewrites queries) and re-run.'
    },
    'history-table-incompatible': {
        kind: 'error',
        title: 'history-table names a table of another tool',
        meaning: 'The table named by history-table exists but lacks the columns pg-migrate-action records.',
        cause: "history-table points at another migration tool's table (e.g. schema_migrations).",
        fix: 'Choose another history-table name; the action creates its own table.'
    },
    'history-table-shape': {
        kind: 'error',
        title: 'The history table does not have the expected shape',
        meaning: 'The history table exists, but a column is missing, has the wrong type or a NOT NULL the action cannot satisfy, or the version has no key; nothing was applied.',
        cause: 'A history table created or altered by hand, or by an older or other tool.',
        fix: 'Run the ALTER TABLE statements the message lists (as the owner, after checking them against your data), or set history-table to a new table name.'
    },
    'history-table-create-failed': {
        kind: 'error',
        title: 'The history table cannot be created',
        meaning: 'Creating the history table failed, usually for lack of the CREATE privilege on its schema.',
        cause: 'Migrations run as a role that may not create tables in the schema.',
        fix: 'Grant CREATE on the schema, create the table once as its owner, or point history-table at a schema the role may write to.'
    },
    'history-table-unreadable': {
        kind: 'error',
        title: 'The history table cannot be read',
        meaning: 'Reading the history table failed.',
        cause: 'The role lacks SELECT on the table or USAGE on its schema.',
        fix: 'Grant SELECT on the history table and USAGE on its schema.'
    },
    // Running Python / Alembic
    'python-not-found': {
        kind: 'error',
        title: 'The Python interpreter does not run',
        meaning: 'The interpreter named by the python input could not be started or did not report its version.',
        cause: 'No Python on the runner image, or a python input naming a missing path.',
        fix: 'Set the python input to a working Python 3 (e.g. the one actions/setup-python provides).'
    },
    'alembic-not-installed': {
        kind: 'error',
        title: 'Alembic is not importable',
        meaning: 'The chosen Python interpreter cannot import alembic (or SQLAlchemy).',
        cause: 'Alembic was installed into another interpreter or virtual environment than the one the python input names.',
        fix: 'Install Alembic and your driver for that interpreter (pip install alembic psycopg2-binary), or use alembic-requirements.'
    },
    'alembic-requirements-missing': {
        kind: 'error',
        title: 'alembic-requirements names no readable file',
        meaning: 'The pip requirements file named by alembic-requirements cannot be read.',
        cause: 'A path relative to the wrong directory, or a file that is not checked out.',
        fix: 'Give a requirements file path relative to the repository root.'
    },
    'alembic-venv-failed': {
        kind: 'error',
        title: 'Creating the virtual environment failed',
        meaning: '`python -m venv` failed, so the requirements could not be installed.',
        cause: 'A Debian/Ubuntu Python without the python3-venv package.',
        fix: 'Install python3-venv, or use actions/setup-python, whose interpreters include venv.'
    },
    'alembic-requirements-failed': {
        kind: 'error',
        title: 'pip could not install alembic-requirements',
        meaning: 'pip failed to install the requirements file; the collapsed log has its output.',
        cause: 'A misspelt package, a version that does not exist for this Python, or no network access.',
        fix: 'Correct the requirement names and versions in the file.'
    },
    'alembic-version-table-incompatible': {
        kind: 'error',
        title: 'The Alembic version table is not one Alembic can use',
        meaning: "The table named as Alembic's version table exists but is not one: it lacks a varchar version_num column, or has columns Alembic cannot fill.",
        cause: 'Another table with the same name (alembic_version by default), or version_table pointing at a table of another tool.',
        fix: "Give Alembic its own version table: set version_table in alembic.ini (and env.py's context.configure) or the alembic-version-table input to an unused name."
    },
    'alembic-unknown-revision': {
        kind: 'error',
        title: 'Alembic refused: the database is stamped with an unknown revision',
        meaning: 'The version table names a revision no file declares, so Alembic cannot compute what to run.',
        cause: 'A revision file was deleted or renamed after it was applied, or the database was migrated from another branch.',
        fix: 'Resolve the unknown-stamped-revision problem first (restore the file or re-stamp the database).'
    },
    'alembic-session-lost': {
        kind: 'error',
        title: 'The Alembic process ended before it was told to apply',
        meaning: 'The Python process that loaded the chain and wrote the offline SQL for lint exited or was killed while it waited for the verdict to apply; it never received it, so nothing was applied.',
        cause: 'Something on the runner ended the process (the out-of-memory killer, a step timeout, a cleanup step), or env.py or a revision ended the interpreter by itself.',
        fix: 'Run the job again; if it recurs, find what ends processes on the runner. The error lists what the process printed last.'
    },
    // Lock, validation, apply
    'lock-timeout': {
        kind: 'error',
        title: 'Another run held the migration lock for longer than wait-timeout',
        meaning: 'Another run of this action on the same database held the advisory lock for the whole wait; nothing was applied by this run.',
        cause: 'A concurrent job migrating the same database with long migrations, or a stuck job.',
        fix: 'Wait for the other job to finish (or cancel it) and re-run, or raise wait-timeout.'
    },
    'lock-session-failed': {
        kind: 'error',
        title: 'The session for the migration lock could not be opened',
        meaning: 'The server answered the readiness check but refused the one more connection that holds the migration lock; nothing was applied.',
        cause: "max_connections (or a connection pooler's limit) reached by other clients.",
        fix: "Check max_connections or the pooler's limit, then run again."
    },
    'lock-lost': {
        kind: 'error',
        title: 'The migration lock was lost and could not be re-acquired',
        meaning: 'The connection holding the migration lock broke (a server restart, a network failure) and the lock could not be taken again; migrations applied before the loss stay applied.',
        cause: 'A server restart or network failure during the run, or another run that took the lock in the meantime.',
        fix: 'Run again once the server is stable and no other migration run is active; raise wait-timeout if the server takes longer to come back.'
    },
    'lint-blocked': {
        kind: 'error',
        title: 'The risk lint stopped the run',
        meaning: 'At least one unacknowledged lint finding of a pending migration is at or above fail-on-risk; nothing was applied. Each finding names its rule, whose page in docs/rules explains it.',
        cause: 'A risky statement (e.g. a blocking index build, a dropped column) in a pending migration.',
        fix: 'Make the change the safer way the finding describes, or once reviewed acknowledge it with `-- pg-migrate:allow <rule> reason: <why>` (`#` in Python); fail-on-risk sets the threshold.'
    },
    'chain-invalid': {
        kind: 'error',
        title: 'The migration chain has errors',
        meaning: 'Validation found at least one error problem (listed under Chain problems, each with its own code); nothing was applied.',
        cause: 'See the individual problem codes in the report.',
        fix: 'Fix each error problem listed in the report; their entries on this page say how.'
    },
    'migration-failed': {
        kind: 'error',
        title: 'A migration failed',
        meaning: "The server rejected a statement of a pending migration; the report shows the file, line, statement, the server's error and what is applied now.",
        cause: "An error in the migration's SQL or Python, data that violates a new constraint, or a timeout.",
        fix: 'Follow the "How to recover" steps in the report, fix the migration and re-run.'
    },
    'transaction-all-non-transactional': {
        kind: 'error',
        title: 'transaction: all, but a pending migration cannot run in a transaction',
        meaning: 'With transaction: all every pending migration runs in one transaction, and one of them cannot: a statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) or a file marked to run outside one. Refused before anything was applied.',
        cause: 'A non-transactional migration (detected, -- pg-migrate:no-transaction or -- migrate:up transaction:false) among the pending ones of a chain that asks for all-or-nothing.',
        fix: 'Apply the migrations before it in one run and it in a later one (split the chain across deployments), or use transaction: per-migration for this run.'
    },
    'transaction-all-alembic': {
        kind: 'error',
        title: 'transaction: all is for the SQL engine',
        meaning: "Alembic's env.py decides how the upgrade is split into transactions (transaction_per_migration), so the action cannot make it all-or-nothing; the run is refused before anything is applied.",
        cause: 'transaction: all with engine: alembic, or with engine: auto on a directory that holds alembic.ini.',
        fix: "Remove the transaction input (Alembic's default env.py already runs the whole upgrade in one transaction unless it sets transaction_per_migration=True)."
    },
    // Safety nets: backup, repair, verify-downgrade
    'backup-client-missing': {
        kind: 'error',
        title: 'No pg_dump new enough for the server',
        meaning: "backup needs a pg_dump whose major version is at least the server's; none was found on PATH or under /usr/lib/postgresql/*/bin, so nothing was applied.",
        cause: "GitHub's Ubuntu runners ship an older PostgreSQL client than a pgvector/pgvector:pg17 service container.",
        fix: 'Install the matching client in an earlier step (the message gives the apt.postgresql.org command, e.g. postgresql-client-17), or set backup: never.'
    },
    'backup-failed': {
        kind: 'error',
        title: 'The backup before applying failed',
        meaning: 'pg_dump failed, or pg_restore could not read the archive it wrote; the partial file was deleted and nothing was applied.',
        cause: 'A role without SELECT on every table, sequence or large object of the database, a dropped connection, or a full disk.',
        fix: "Read pg_dump's error in the report; give the role read access (owner, or pg_read_all_data on PostgreSQL 14+) and run again, or set backup: never."
    },
    'repair-revision-unknown': {
        kind: 'error',
        title: 'repair-revision is not a revision of the chain',
        meaning: 'mode: repair records a revision as applied or pending, and the one named in repair-revision is not declared by any migration file; nothing was changed.',
        cause: 'A typo, a shortened Alembic id, or migrations-path pointing at another chain.',
        fix: 'Set repair-revision to a version or revision id exactly as the file declares it (the message lists some).'
    },
    'repair-failed': {
        kind: 'error',
        title: 'alembic stamp failed in repair mode',
        meaning: 'mode: repair runs `alembic stamp` to record the revision, and Alembic failed; the version table is unchanged.',
        cause: 'An env.py that cannot connect or import, or a version table Alembic cannot write.',
        fix: 'Run the command from the report locally (DATABASE_URL=<url> alembic stamp …) to see the whole error, fix it and run the repair again.'
    },
    'verify-target-not-disposable': {
        kind: 'error',
        title: 'verify-downgrade refused a target that is not disposable',
        meaning: 'verify-downgrade runs the down migrations, which drop what the upgrade created; the target is not loopback, a unix socket or a service container, or already had applied migrations. Nothing was applied.',
        cause: 'verify-downgrade turned on in a job that migrates a shared or production database.',
        fix: 'Run verify-downgrade in a job with a throwaway service container, or set allow-destructive-verify: true if losing the data is fine.'
    },
    'downgrade-mismatch': {
        kind: 'error',
        title: 'A down migration does not restore the schema',
        meaning: 'verify-downgrade found a down step that does not give back the schema its upgrade started from; the report shows the difference as a diff and names the migration.',
        cause: 'A forgotten column or index in the down step, a wrong index dropped, a vector column or an HNSW index restored with other parameters.',
        fix: 'Make the down migration undo exactly what the upgrade does (the diff: - expected, + after the down step), then run again.'
    },
    'downgrade-failed': {
        kind: 'error',
        title: 'A down migration failed',
        meaning: 'verify-downgrade ran a down step (or the upgrade after it) and it failed; the migration is named.',
        cause: 'An autogenerated op.drop_constraint(None, …) (unnamed constraint), a down step that needs no transaction, or SQL that does not match the upgraded schema.',
        fix: 'Fix the down migration named in the report (name the constraint, match the upgrade) and run again.'
    },
    'internal-error': {
        kind: 'error',
        title: 'A bug in pg-migrate-action',
        meaning: 'Something failed that the action did not anticipate; the report carries the stack trace.',
        cause: 'A bug in the action, not in your migrations.',
        fix: 'Report it with the stack trace from the summary.'
    },
    // Chain problems: the graph
    'duplicate-revision': {
        kind: 'problem',
        title: 'Two files declare the same revision',
        meaning: 'Revision ids must be unique; two files declare the same one.',
        cause: 'A file copied to start a new revision without changing its id.',
        fix: 'Give one of them a new, unique revision id and point its children at it.'
    },
    'missing-parent': {
        kind: 'problem',
        title: 'A revision names a parent no file declares',
        meaning: 'A down_revision (or, for SQL files, the previous version) does not exist.',
        cause: 'A deleted or renamed revision file, or a typo in down_revision.',
        fix: "Restore the parent's file, or correct down_revision to an existing revision."
    },
    'missing-dependency': {
        kind: 'problem',
        title: 'A revision depends on a revision no file declares',
        meaning: 'An Alembic depends_on entry names a revision that does not exist.',
        cause: 'A deleted revision, or a typo in depends_on.',
        fix: 'Restore the file of that revision, or remove it from depends_on.'
    },
    cycle: {
        kind: 'problem',
        title: 'The revisions form a cycle',
        meaning: 'Following down_revision from some revision leads back to itself, so no order exists.',
        cause: 'A revision that names one of its descendants as its parent.',
        fix: 'Correct the down_revision that points at a descendant.'
    },
    'multiple-roots': {
        kind: 'problem',
        title: 'The chain has several roots',
        meaning: 'More than one revision has no parent, so the chain is several unrelated chains.',
        cause: 'A revision created with down_revision = None by mistake, often after a merge of two branches.',
        fix: "Set the extra root's down_revision to the revision it was meant to follow."
    },
    'multiple-heads': {
        kind: 'problem',
        title: 'The chain has several heads',
        meaning: 'More than one revision has no children, so "upgrade to head" is ambiguous.',
        cause: 'Two branches each added a revision on top of the same parent.',
        fix: 'Merge them: `alembic merge -m "merge heads" <head1> <head2>`, or give one the other as its parent.'
    },
    'no-revisions': {
        kind: 'problem',
        title: 'The chain has no revisions',
        meaning: 'No revision files were found, so there is nothing to apply.',
        cause: 'A new project, or script_location / version_locations pointing at the wrong directory.',
        fix: 'Create a revision, or check the directories alembic.ini names.'
    },
    // Chain problems: the migrations directory
    'migrations-path-empty': {
        kind: 'problem',
        title: 'migrations-path holds no migrations',
        meaning: 'The migrations directory exists but holds no migrations, so the run would pass with nothing applied. A warning: a new project may have none yet.',
        cause: 'A wrong migrations-path, or a job that did not check out the repository.',
        fix: 'Check migrations-path, relative to the repository root, and that actions/checkout ran first.'
    },
    'migrations-path-outside-workspace': {
        kind: 'problem',
        title: 'migrations-path is outside the workspace',
        meaning: 'migrations-path resolves (symbolic links followed) to a directory outside the repository checkout. A warning: it may be deliberate.',
        cause: 'An absolute path or `..` in migrations-path, or a link pointing out of the checkout.',
        fix: 'Set migrations-path relative to the repository root, to a directory inside the checkout.'
    },
    // Chain problems: engine-specific
    'unknown-directive': {
        kind: 'problem',
        title: 'A SQL file uses an unknown -- pg-migrate: directive',
        meaning: 'A `-- pg-migrate:<name>` comment names a directive the action does not know, so its intent would be ignored.',
        cause: 'A typo in the directive name.',
        fix: 'Use one of the known directives listed in the message.'
    },
    'duplicate-branch-label': {
        kind: 'problem',
        title: 'Two revisions carry the same branch label',
        meaning: 'A branch label must name one branch; two revisions declare it.',
        cause: 'branch_labels copied along with a revision file.',
        fix: 'Keep the label only on the first revision of that branch.'
    },
    'branch-label-shadows-revision': {
        kind: 'problem',
        title: 'A branch label equals a revision id',
        meaning: 'A branch label has the same text as a revision id, so references to it are ambiguous.',
        cause: 'A label chosen to match an id.',
        fix: 'Rename the branch label.'
    },
    'alembic-progress-silenced': {
        kind: 'problem',
        title: "Alembic's logger is silenced",
        meaning: 'alembic.ini sets the alembic logger above INFO, so Alembic does not log "Running upgrade" lines and the action cannot tell which migration was running when one fails.',
        cause: 'A logging section changed from the one `alembic init` writes.',
        fix: 'Set `level = INFO` in [logger_alembic].'
    },
    'unknown-stamped-revision': {
        kind: 'problem',
        title: 'The database is stamped with a revision no file declares',
        meaning: 'The Alembic version table names a revision that is not in the chain.',
        cause: 'A revision file deleted or renamed after it was applied, or a database migrated from another branch.',
        fix: 'Restore the revision file, or re-stamp the database at the revision its schema matches (`alembic stamp`).'
    },
    'stamped-ancestor-and-descendant': {
        kind: 'problem',
        title: 'The version table holds a revision and its ancestor',
        meaning: 'The version table lists two revisions on the same line of descent, which Alembic never writes itself.',
        cause: 'Rows inserted by hand or by a failed `alembic stamp`.',
        fix: 'Find which revision the schema matches and delete the stale row (or `alembic stamp --purge <revision>`).'
    },
    'dirty-migration': {
        kind: 'problem',
        title: 'A migration was left half-done',
        meaning: 'A non-transactional migration failed part-way on an earlier run; the history table marks it dirty.',
        cause: 'A failed CREATE INDEX CONCURRENTLY or another statement that cannot run in a transaction.',
        fix: 'Repair the database as the message describes (e.g. drop the invalid index), then delete the dirty history row and re-run.'
    },
    'missing-migration-file': {
        kind: 'problem',
        title: 'An applied migration has no file',
        meaning: 'The history table records a migration whose file is gone.',
        cause: 'A migration file deleted or renamed after it was applied.',
        fix: 'Restore the file (applied migrations must stay), or delete its history row if it was rolled back by hand.'
    },
    'checksum-mismatch': {
        kind: 'problem',
        title: 'An applied migration was edited',
        meaning: "The checksum of an applied migration's file differs from the one recorded when it ran.",
        cause: 'An applied migration edited afterwards instead of adding a new migration.',
        fix: 'Revert the edit and add a new migration with the change.'
    },
    'out-of-order': {
        kind: 'problem',
        title: 'A pending migration is older than the newest applied one',
        meaning: 'A migration with a lower version than the newest applied one is still pending.',
        cause: 'A branch merged with an older version number than migrations already applied.',
        fix: 'Renumber the migration above the newest applied version, or set allow-out-of-order: true.'
    }
};
/** The code's entry on the troubleshooting page. */
function codeDocUrl(code) {
    return `${ERRORS_DOC_URL}#${code}`;
}

;// CONCATENATED MODULE: ./src/report/mermaid.ts

/**
 * The revision graph as a Mermaid flowchart (GitHub renders ```mermaid blocks in job summaries):
 * parents above children, roots, heads, merges, the database's current revision(s), the pending
 * path and what went wrong (the failed revision, revisions missing from the files, drifted ones)
 * marked; plain linear stretches folded into one node so big histories stay readable.
 */
/** Above this many drawn nodes, plain runs of a branched chain are folded. */
const FOLD_ABOVE = 15;
const MAX_LABEL = 48;
/** Problem codes whose revisions the database has but the files lack. */
const MISSING_CODES = new Set(['unknown-stamped-revision', 'missing-migration-file', 'missing-parent', 'missing-dependency']);
/** Problem codes whose revisions changed after they were applied. */
const DRIFT_CODES = new Set(['checksum-mismatch']);
/**
 * The flowchart, or undefined when a graph adds nothing to the report: a single revision, or a
 * straight line with nothing wrong in it (the migrations table already says it all).
 */
function renderRevisionGraph(chain, graph, marks) {
    const revisions = uniqueRevisions(chain.revisions);
    const byId = new Map(revisions.map((r) => [r.id, r]));
    const problems = marks.problems ?? [];
    const named = (codes) => new Set(problems.filter((p) => codes.has(p.code)).flatMap((p) => p.revisions));
    // A missing-parent problem also names the child, which has a file: only ids without one are missing.
    const missing = new Set([...named(MISSING_CODES), ...marks.current].filter((id) => !byId.has(id)));
    const drifted = named(DRIFT_CODES);
    const troubledIds = new Set(problems.flatMap((p) => p.revisions));
    const failed = marks.failed !== undefined && byId.has(marks.failed) ? marks.failed : undefined;
    const branched = graph.roots.length > 1 || graph.heads.length > 1 || graph.merges.length > 0 || graph.branchPoints.length > 0 || revisions.some((r) => r.dependsOn.length > 0);
    const troubled = failed !== undefined || missing.size > 0 || revisions.some((r) => r.parents.some((p) => !byId.has(p))) || [...troubledIds].some((id) => byId.has(id));
    if (revisions.length < 2 || !(branched || troubled))
        return undefined;
    const order = graph.order.length === revisions.length ? graph.order : revisions.map((r) => r.id);
    const children = new Map(revisions.map((r) => [r.id, []]));
    for (const r of revisions)
        for (const p of r.parents)
            children.get(p)?.push(r.id);
    const roots = new Set(graph.roots);
    const heads = new Set(graph.heads);
    const merges = new Set(graph.merges);
    const currentSet = new Set(marks.current);
    // After an apply the "pending" revisions may already be applied; only those still ahead are pending.
    const applied = (0,chain_graph/* ancestorsOf */.Gw)(revisions, marks.current.filter((id) => byId.has(id)));
    const pendingSet = new Set(marks.pending.filter((id) => !applied.has(id) && id !== failed));
    const dependedOn = new Set(revisions.flatMap((r) => r.dependsOn));
    const special = (id) => {
        const r = byId.get(id);
        return (roots.has(id) ||
            heads.has(id) ||
            merges.has(id) ||
            currentSet.has(id) ||
            id === failed ||
            troubledIds.has(id) ||
            r.parents.length !== 1 ||
            children.get(id).length !== 1 ||
            r.dependsOn.length > 0 ||
            dependedOn.has(id));
    };
    // A straight line is folded down to its marked revisions; a branched chain only when it is big.
    const foldFrom = !branched ? 2 : revisions.length > FOLD_ABOVE ? 3 : Infinity;
    // Fold maximal runs of plain revisions (one parent, one child, nothing marked) that share a pending state.
    const groupOf = new Map();
    const nodes = new Map();
    const visited = new Set();
    for (const id of order) {
        if (visited.has(id) || special(id))
            continue;
        const run = [id];
        visited.add(id);
        let next = children.get(id)[0];
        while (next !== undefined && !visited.has(next) && !special(next) && pendingSet.has(next) === pendingSet.has(id) && byId.get(next).parents[0] === run[run.length - 1]) {
            run.push(next);
            visited.add(next);
            next = children.get(next)[0];
        }
        // Extend backwards too, in case `order` reached the middle of a run first.
        let previous = byId.get(id).parents[0];
        while (previous !== undefined && byId.has(previous) && !visited.has(previous) && !special(previous) && pendingSet.has(previous) === pendingSet.has(id)) {
            run.unshift(previous);
            visited.add(previous);
            previous = byId.get(previous).parents[0];
        }
        if (run.length >= foldFrom) {
            const key = `c${nodes.size}`;
            for (const member of run)
                groupOf.set(member, key);
            nodes.set(key, {
                key,
                label: `${escapeLabel(run[0])} … ${escapeLabel(run[run.length - 1])}<br/>(${run.length} revisions)`,
                roles: ['collapsed', ...(pendingSet.has(id) ? ['pending'] : [])]
            });
        }
    }
    const keyOf = new Map();
    let n = 0;
    for (const id of order) {
        const group = groupOf.get(id);
        if (group) {
            keyOf.set(id, group);
            continue;
        }
        const key = `r${n++}`;
        keyOf.set(id, key);
        const r = byId.get(id);
        const roles = [];
        if (roots.has(id))
            roles.push('root');
        if (heads.has(id))
            roles.push('head');
        if (merges.has(id))
            roles.push('merge');
        if (pendingSet.has(id))
            roles.push('pending');
        if (currentSet.has(id))
            roles.push('current');
        if (drifted.has(id))
            roles.push('drifted');
        if (id === failed)
            roles.push('failed');
        const description = r.description ? `<br/>${escapeLabel(mermaid_truncate(r.description))}` : '';
        const tagText = roles.length > 0 ? `<br/><i>${roles.join(', ')}</i>` : '';
        nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b>${description}${tagText}`, roles });
    }
    // Parents and dependencies the files do not declare, and revisions the database has without a file.
    const missingKey = (id) => {
        let key = keyOf.get(id);
        if (key)
            return key;
        key = `m${keyOf.size}`;
        keyOf.set(id, key);
        const roles = ['missing'];
        const stamped = currentSet.has(id);
        if (stamped)
            roles.push('current');
        const what = stamped ? 'stamped, no file' : missing.has(id) ? 'applied, no file' : 'missing file';
        nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b><br/><i>${what}</i>`, roles });
        return key;
    };
    const edges = [];
    const seenEdges = new Set();
    const edge = (from, to, dashed) => {
        if (from === to)
            return;
        const text = dashed ? `  ${from} -. depends on .-> ${to}` : `  ${from} --> ${to}`;
        if (seenEdges.has(text))
            return;
        seenEdges.add(text);
        edges.push(text);
    };
    for (const id of order) {
        const r = byId.get(id);
        for (const p of r.parents)
            edge(byId.has(p) ? keyOf.get(p) : missingKey(p), keyOf.get(id), false);
        for (const d of r.dependsOn)
            edge(byId.has(d) ? keyOf.get(d) : missingKey(d), keyOf.get(id), true);
    }
    for (const id of missing)
        missingKey(id);
    const lines = ['flowchart TD'];
    for (const node of nodes.values()) {
        lines.push(node.roles.includes('collapsed') ? `  ${node.key}[["${node.label}"]]` : `  ${node.key}["${node.label}"]`);
    }
    lines.push(...edges);
    lines.push('  classDef root stroke:#1f6feb,stroke-width:3px', '  classDef head stroke:#8250df,stroke-width:3px', '  classDef merge stroke:#bf8700,stroke-width:3px,stroke-dasharray:4 2', '  classDef pending fill:#fff8c5,color:#3b2300', '  classDef current fill:#dafbe1,color:#0f2e18,stroke:#1a7f37,stroke-width:3px', '  classDef drifted fill:#fff1e5,color:#3d1300,stroke:#bc4c00,stroke-width:3px,stroke-dasharray:2 2', '  classDef missing fill:#ffebe9,color:#5c0000,stroke:#cf222e,stroke-dasharray:5 3', '  classDef failed fill:#cf222e,color:#ffffff,stroke:#82071e,stroke-width:4px', '  classDef collapsed fill:#f6f8fa,color:#24292f');
    // Mermaid lets the later class win (in class-line and classDef order alike): fills after borders,
    // and what went wrong after the healthy states, so a stamped-but-missing or drifted current
    // revision is never drawn green and a failed one never pending.
    for (const role of ['root', 'head', 'merge', 'collapsed', 'pending', 'current', 'drifted', 'missing', 'failed']) {
        const keys = [...nodes.values()].filter((node) => node.roles.includes(role)).map((node) => node.key);
        if (keys.length > 0)
            lines.push(`  class ${keys.join(',')} ${role}`);
    }
    return lines.join('\n');
}
function uniqueRevisions(revisions) {
    const seen = new Set();
    return revisions.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
function mermaid_truncate(text) {
    return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}
/** Mermaid labels take entity codes; anything beyond a safe set is encoded so quotes, brackets and markup cannot break out. */
function escapeLabel(text) {
    let out = '';
    for (const ch of text) {
        out += /[A-Za-z0-9 _.,:/+\-()'…]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/report/render.ts











/**
 * The one place that turns a run's results into the job summary and the report file. The summary
 * is read on a red run at GitHub's ~1,000 px card width, so it is laid out failure first: the
 * headline, one callout with what failed, where, why, the database state and the next command,
 * the migrations of this run, and everything else folded.
 */
/** GitHub rejects a job summary over 1 MiB (bytes, not characters); leave room for the cut note. */
const SUMMARY_BUDGET_BYTES = 1_000_000;
const SQL_BLOCK_LIMIT = 20_000;
/** SQL up to this many lines is shown inline in the plan; longer SQL is folded. */
const INLINE_SQL_LINES = 12;
/** A migrations table longer than this shows the rows around what happened and folds the rest. */
const MIGRATION_ROWS_SHOWN = 12;
/** Rows shown on each side of the failed migration (or after the last applied one) in a long table. */
const MIGRATION_ROWS_AROUND = 3;
function renderReport(report) {
    // In order of importance: when the budget runs out, the sections at the end are the ones cut.
    const parts = [
        headline(report),
        callout(report),
        renderRepairSection(report.repair),
        migrationsSection(report),
        planSection(report),
        renderVerifySection(report.verifyDowngrade),
        renderBackupSection(report.backup),
        problemsSection(report),
        report.lint ? renderLintSection(report.lint.result, report.lint.gate) : '',
        warningsSection(report),
        chainSection(report),
        detailsSection(report),
        logSection(report.apply?.failure),
        bugSection(report)
    ].filter((p) => p.length > 0);
    return (0,redact/* redact */.E$)(withinBudget(parts));
}
/** Whole sections while they fit; a section that does not is dropped with a note, never cut mid-way. */
function withinBudget(parts) {
    const note = '\n… the sections after this point were cut to fit the job summary limit (1 MiB); the step log has them.\n';
    let out = '';
    for (const part of parts) {
        const next = out + (out ? '\n' : '') + part;
        if (Buffer.byteLength(next) + Buffer.byteLength(note) > SUMMARY_BUDGET_BYTES)
            return out + note;
        out = next;
    }
    return out;
}
/**
 * A renderer bug must not cost the user the summary: fall back to a minimal report that still
 * carries the run's own error, and mark the run failed so the bug is seen.
 */
function renderReportSafely(report, render = renderReport) {
    try {
        return render(report);
    }
    catch (error) {
        const original = report.error;
        report.status = 'failure';
        report.error ??= {
            stage: 'report',
            code: 'internal-error',
            message: `Internal error while rendering the report: ${error instanceof Error ? error.message : String(error)}`,
            hint: 'This is a bug in pg-migrate-action, not in your migrations; the step log has every stage.',
            details: [],
            location: {},
            bug: true,
            stack: error instanceof Error ? error.stack : undefined
        };
        const lines = [
            `## ❌ pg-migrate-action: the report could not be rendered`,
            '',
            `Rendering failed with: ${escapeHtml(error instanceof Error ? error.message : String(error))}. This is a bug in pg-migrate-action.`,
            '',
            table(['Stage', 'Result', 'Time', 'Summary'], report.stages.map((s) => [s.name, s.status, formatMs(s.durationMs), cell(s.summary)])),
            original ? `**The run's own error** (${escapeHtml(original.stage)}): ${escapeHtml(original.message)}${original.hint ? ` — ${escapeHtml(original.hint)}` : ''}` : ''
        ];
        return (0,redact/* redact */.E$)(lines.join('\n') + '\n');
    }
}
// ── headline ──
const TRAIL_ICON = { ok: '✓', warning: '⚠', failed: '✗', skipped: '–' };
/** Status, mode and what happened in a few words; under it the stages as one line. */
function headline(report) {
    const mode = report.mode ? `${report.mode}: ` : '';
    const [icon, what] = report.status === 'failure' ? ['❌', failureWords(report)] : successWords(report);
    const trail = report.stages.map((s) => `${s.name} ${TRAIL_ICON[s.status]}`).join(' → ');
    return `## ${icon} pg-migrate-action · ${mode}${what}\n` + (trail ? `\n<sub>${escapeHtml(trail)}</sub>\n` : '');
}
function failureWords(report) {
    const apply = report.apply;
    const stage = `failed at **${report.error?.stage ?? (apply?.failure ? 'apply' : 'unknown')}**`;
    if (apply?.failure) {
        const applied = apply.runs.filter((r) => r.status === 'applied').length;
        return `${stage} on migration ${code(apply.failure.revision)}` + (apply.runs.length ? ` (${applied} of ${apply.runs.length} applied)` : '');
    }
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const what = report.error?.stage === 'validate' && errors > 0 ? [plural(errors, 'problem') + ' in the chain'] : [];
    if (report.mode === 'migrate' && !apply)
        what.push('nothing applied');
    return what.length ? `${stage}: ${what.join(', ')}` : stage;
}
function successWords(report) {
    const applied = report.apply?.runs.filter((r) => r.status === 'applied').length ?? 0;
    const pending = report.pending?.length ?? 0;
    const stop = offlineStop(report);
    const what = report.mode === 'check'
        ? 'server ready, extensions verified'
        : report.mode === 'validate'
            ? `chain valid, ${pending} pending`
            : report.mode === 'plan'
                ? `${plural(pending, 'pending migration')}` + (stop ? `, offline SQL stopped at ${code(stop.revision.id)}` : '')
                : report.repair
                    ? report.repair.done
                    : applied > 0
                        ? `applied ${plural(applied, 'migration')}`
                        : 'database already up to date';
    // Findings are worth a look even when nothing was blocked; low-risk ones (a new table) are only listed.
    const findings = report.lint?.result.findings.filter((f) => f.risk !== 'low').length ?? 0;
    if (findings > 0)
        return ['⚠️', `${what}, ${plural(findings, 'lint finding')} to review`];
    return [stop ? '⚠️' : '✅', what];
}
// ── the problem callout ──
/** Where a plan's offline SQL generation stopped: the revision whose note says so. */
function offlineStop(report) {
    if (report.mode !== 'plan')
        return undefined;
    for (const p of report.plan ?? []) {
        const note = p.notes.find((n) => n.startsWith('offline SQL generation stopped here'));
        if (note)
            return { revision: p.revision, note };
    }
    return undefined;
}
/** What failed, where, the server's error, the excerpt, the database state and the next step, once. */
function callout(report) {
    const failure = report.apply?.failure;
    const error = report.error;
    if (!failure && !error)
        return '';
    const blocks = [];
    const errorProblems = error?.stage === 'validate' ? report.problems.filter((p) => p.severity === 'error') : [];
    if (failure) {
        blocks.push(...failureBlocks(report, failure));
    }
    else if (errorProblems.length > 0) {
        errorProblems.forEach((p, i) => {
            const number = errorProblems.length > 1 ? `${i + 1}. ` : '';
            blocks.push(`**${number}${shortHashes(prose(p.message))} <sub>${codeLink(p.code)}</sub>**`);
            if (p.file)
                blocks.push(`In ${code(p.file + (p.line ? `:${p.line}` : ''))}`);
            if (i === 0)
                blocks.push(databaseState(report));
            blocks.push(...nextStep([p.hint]));
        });
    }
    else if (error) {
        blocks.push(`**${shortHashes(prose(error.message))}**`);
        if (error.location.file)
            blocks.push(`In ${code(error.location.file + (error.location.line ? `:${error.location.line}` : ''))}`);
        if (error.location.input)
            blocks.push(`Input: ${code(error.location.input)}`);
        const state = databaseState(report);
        if (state)
            blocks.push(state);
        if (error.hint)
            blocks.push(...nextStep([error.hint]));
        for (const detail of error.details)
            blocks.push(shortHashes(prose(detail)));
    }
    if (error)
        blocks.push(`Code: ${codeLink(error.code)}`);
    return '> [!CAUTION]\n' + blocks.filter(Boolean).map(quote).join('\n>\n') + '\n';
}
/** Inline code inside HTML such as `<summary>`, where GFM does not parse markdown. */
function htmlCode(text) {
    return `<code>${escapeHtml(text)}</code>`;
}
/** Cell text longer than this (a note carrying SQL, a long reason) goes below the table instead. */
const LONG_CELL = 90;
/**
 * Keeps rows narrow: a long cell text becomes "note a" and is written out under the table
 * (lettered, so it is not mistaken for the numbered advice). The same text keeps its letter.
 */
class CellNotes {
    notes = [];
    cell(text) {
        if ([...text].length <= LONG_CELL)
            return cell(text);
        if (!this.notes.includes(text))
            this.notes.push(text);
        return `see note ${this.letter(this.notes.indexOf(text))}`;
    }
    list() {
        return this.notes.length === 0 ? '' : '\n' + this.notes.map((n, i) => `- **${this.letter(i)}.** ${prose(n)}`).join('\n') + '\n';
    }
    /** a … z, then aa, ab, … as spreadsheet columns go: a long table has more notes than letters. */
    letter(index) {
        const head = index >= 26 ? this.letter(Math.floor(index / 26) - 1) : '';
        return head + String.fromCharCode(97 + (index % 26));
    }
}
/** A table without the columns no row fills (Notes when nothing is worth noting). */
function compactTable(header, rows) {
    const used = header.map((_, i) => rows.some((row) => row[i] !== ''));
    return table(header.filter((_, i) => used[i]), rows.map((row) => row.filter((_, i) => used[i])));
}
/** A code links to its entry on the troubleshooting page (docs/errors.md), where the fix is explained at length. */
function codeLink(value) {
    return `[${code(value)}](${codeDocUrl(value)})`;
}
function failureBlocks(report, failure) {
    const sqlState = failure.sqlState ? ` (SQLSTATE ${code(failure.sqlState)})` : '';
    const where = `${failure.file}${failure.line ? `:${failure.line}` : ''}${failure.column ? `:${failure.column}` : ''}`;
    const blocks = [`**Migration ${code(failure.revision)} failed: ${prose(failure.message)}${sqlState}**`, `In ${code(where)}`, databaseState(report)];
    const server = [failure.detail && `Detail: ${prose(failure.detail)}`, failure.serverHint && `Server hint: ${prose(failure.serverHint)}`].filter(Boolean);
    if (server.length)
        blocks.push(server.join('<br>'));
    if (failure.blockedBy?.length)
        blocks.push(`Lock held by: ${failure.blockedBy.map((b) => prose(describeBlocker(b))).join('<br>')}`);
    const excerptLanguage = failure.file.endsWith('.py') ? 'python' : 'sql';
    if (failure.excerpt)
        blocks.push(fence(truncate(failure.excerpt, SQL_BLOCK_LIMIT), excerptLanguage));
    // The statement adds something when the excerpt is not SQL (Alembic) or does not contain all of it.
    if (failure.statement && !(excerptLanguage === 'sql' && failure.excerpt?.includes(failure.statement.trim().split('\n')[0]))) {
        blocks.push(`**Statement sent to the server:**\n\n` + fence(truncate(failure.statement, SQL_BLOCK_LIMIT), 'sql'));
    }
    blocks.push(...nextStep(failure.recovery));
    return blocks;
}
/**
 * One line: how many revisions this run committed and where the database is now, then what the
 * engine knows about the failed one (rolled back, partly applied, dirty).
 */
function databaseState(report) {
    const apply = report.apply;
    if (apply) {
        const committed = apply.runs.filter((r) => r.status === 'applied').map((r) => r.id);
        const now = apply.current.length ? `now at ${revisions(apply.current)}` : 'no revision applied';
        const ours = committed.length > 0 ? `${committedRange(committed)} committed in this run; ${now}.` : '';
        // With nothing committed, the engine's own words (rolled back, still at …) say it all.
        const engineSays = apply.failure ? sentence(apply.failure.databaseState) : '';
        return `**Database state:** ${[ours || (engineSays ? '' : `${now}.`), engineSays].filter(Boolean).join(' ')}`;
    }
    if (!report.state)
        return '';
    const at = report.state.current.length ? `at ${revisions(report.state.current)}` : 'no revision applied';
    return report.mode === 'migrate' ? `**Database state:** unchanged, ${at}; this run applied nothing.` : `**Database state:** ${at}.`;
}
/** "1 revision, `0001`," or "11 revisions, `fab151c2af82` → `35731cac8b89`,". */
function committedRange(ids) {
    return ids.length === 1 ? `1 revision, ${code(ids[0])},` : `${ids.length} revisions, ${code(ids[0])} → ${code(ids[ids.length - 1])},`;
}
function revisions(ids) {
    return ids.length ? ids.map(code).join(', ') : 'nothing applied';
}
function sentence(text) {
    const trimmed = prose(text.trim());
    return (trimmed.charAt(0).toUpperCase() + trimmed.slice(1)).replace(/([^.])$/, '$1.');
}
/** Shell and SQL commands a step names in a code span: copied into a fenced block below it. */
const COMMAND = /^(?:[A-Z_]+=\S*\s+)?(?:alembic|python3?|pip3?|git|psql|pg_dump|dropdb|createdb|UPDATE|DELETE|INSERT|SELECT|ALTER|DROP|CREATE)\s/;
/**
 * "What to do": each step as prose, its commands taken out of the sentence into a copyable
 * fenced block (GitHub puts a copy button on it), the sentence pointing at it.
 */
function nextStep(steps) {
    const unique = steps.filter((s, i) => s && steps.indexOf(s) === i);
    if (unique.length === 0)
        return [];
    const rendered = unique.map((step) => {
        const commands = [];
        const text = step.replace(/(`+)([^`]+)\1/g, (span, _ticks, content) => {
            const command = content.trim();
            if (!COMMAND.test(command + ' '))
                return span;
            commands.push(command);
            return '§CMD§';
        });
        let n = 0;
        const words = prose(text).replace(/§CMD§/g, () => (commands.length === 1 ? 'the command below' : `command ${++n} below`));
        return { words: shortHashes(words), commands };
    });
    const [first, ...rest] = rendered;
    const out = [`**What to do:** ${first.words}`];
    if (first.commands.length)
        out.push(fence(first.commands.join('\n'), 'sh'));
    for (const step of rest) {
        out.push(step.words);
        if (step.commands.length)
            out.push(fence(step.commands.join('\n'), 'sh'));
    }
    return out;
}
/** A checksum or hash in prose is shortened; its full value is in the fix block that needs it. */
function shortHashes(text) {
    return text.replace(/\b([0-9a-f]{12})[0-9a-f]{20,}\b/g, '$1…');
}
function quote(block) {
    return block
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
}
// ── what this run did ──
const RUN_ICON = { applied: '✅ applied', failed: '❌ failed', 'rolled-back': '↩️ rolled back', 'not-run': '⏸️ not run' };
function migrationsSection(report) {
    const runs = report.apply?.runs;
    if (!runs || runs.length === 0)
        return '';
    const notesOf = (r) => [...(r.transactional ? [] : ['runs outside a transaction']), ...r.notes];
    const shared = sharedNote(runs.map(notesOf));
    const long = new CellNotes();
    const row = (r) => [
        code(r.id),
        cell(r.description),
        RUN_ICON[r.status] + (r.attempts > 1 ? ` (${plural(r.attempts, 'attempt')})` : ''),
        r.durationMs === undefined ? '' : formatMs(r.durationMs),
        notesOf(r)
            .filter((n) => n !== shared)
            .map((n) => long.cell(n))
            .join('<br>')
    ];
    const header = ['Revision', 'Description', 'Result', 'Time', 'Notes'];
    const elsewhere = report.apply?.appliedElsewhere?.length
        ? `Applied by another run while this one re-acquired the lost migration lock: ${report.apply.appliedElsewhere.map(code).join(', ')}.\n\n`
        : '';
    // On a red run the callout says where the database is; on a green one this line does.
    const state = report.apply?.failure ? '' : `${databaseState(report)}\n\n`;
    const intro = state + elsewhere + (shared ? `${prose(shared)} (every migration)\n\n` : '');
    const out = [`### Migrations\n\n${intro}`];
    const shown = rowsAround(runs);
    out.push(compactTable(header, shown.map(row)));
    if (shown.length < runs.length) {
        const folded = runs.length - shown.length;
        out.push(`\n${details(`All ${runs.length} migrations (${folded} more)`, compactTable(header, runs.map(row)))}`);
    }
    out.push(long.list());
    return out.join('');
}
/** The note every row carries, said once above the table instead. */
function sharedNote(notes) {
    if (notes.length < 2)
        return undefined;
    return notes[0].find((n) => notes.every((row) => row.includes(n)));
}
/** All rows of a short table; of a long one the rows around the failure (or the last applied), in order. */
function rowsAround(runs) {
    if (runs.length <= MIGRATION_ROWS_SHOWN)
        return runs;
    const failed = runs.findIndex((r) => r.status === 'failed');
    const lastApplied = runs.map((r) => r.status).lastIndexOf('applied');
    const focus = failed >= 0 ? failed : Math.max(lastApplied, 0);
    return runs.slice(Math.max(0, focus - MIGRATION_ROWS_AROUND), focus + MIGRATION_ROWS_AROUND + 1);
}
function planSection(report) {
    // In migrate mode the Migrations table already lists every pending revision with its outcome.
    if (report.mode !== 'plan' && report.mode !== 'validate')
        return '';
    const header = report.mode === 'plan' ? '### Plan' : '### Pending migrations';
    const pending = report.plan;
    // Whether a revision runs in a transaction is only known once it was planned.
    if (!pending) {
        if (!report.pending?.length)
            return '';
        return `${header}\n\n${table(['Revision', 'Description', 'File'], report.pending.map((r) => [code(r.id), cell(r.description), code(external_node_path_default().basename(r.file))]))}`;
    }
    if (pending.length === 0)
        return '';
    const stop = offlineStop(report);
    const out = [`${header}\n\n`];
    if (stop) {
        // The note reads "offline SQL generation stopped here (file:line): why".
        const [, where = stop.revision.file, why = stop.note] = /^offline SQL generation stopped here(?: \(([^)]*)\))?: (.*)$/s.exec(stop.note) ?? [];
        out.push(`> [!WARNING]\n${quote(`**Offline SQL stopped at ${code(stop.revision.id)}**, in ${code(where)}: ${prose(why)}`)}\n>\n` +
            `> The SQL of the revisions before it is complete and shown below; ${code(stop.revision.id)} and the ones after it were neither planned nor linted.\n\n`);
    }
    const stoppedNote = (n) => n.startsWith('offline SQL generation stopped here') || n.startsWith('no SQL: offline generation stopped earlier');
    const notesOf = (p) => [...(p.transactional ? [] : ['runs outside a transaction']), ...p.notes.filter((n) => !stoppedNote(n))];
    const shared = sharedNote(pending.map(notesOf));
    if (shared)
        out.push(`${prose(shared)} (every migration)\n\n`);
    const long = new CellNotes();
    out.push(compactTable(['Revision', 'Description', 'File', 'SQL', 'Notes'], pending.map((p) => [
        code(p.revision.id),
        cell(p.revision.description),
        code(external_node_path_default().basename(p.revision.file)),
        p.sql === undefined ? (stop && stoppedNote(p.notes.join(' ')) ? '⚠️ none' : 'none') : plural(p.sql.trimEnd().split('\n').length, 'line'),
        notesOf(p)
            .filter((n) => n !== shared)
            .map((n) => long.cell(n))
            .join('<br>')
    ])), long.list());
    for (const p of pending) {
        if (p.sql === undefined)
            continue;
        const sql = fence(truncate(p.sql, SQL_BLOCK_LIMIT), 'sql');
        const inline = p.sql.trimEnd().split('\n').length <= INLINE_SQL_LINES;
        out.push('\n' + (inline ? `**${code(p.revision.id)} ${prose(p.revision.description)}**\n\n${sql}` : details(`${htmlCode(p.revision.id)} ${escapeHtml(p.revision.description)}`, sql)));
    }
    return out.join('');
}
/** The chain's problems the callout does not already tell (warnings, and all of them after another failure). */
function problemsSection(report) {
    const inCallout = report.error?.stage === 'validate' && !report.apply?.failure;
    const problems = report.problems.filter((p) => !(inCallout && p.severity === 'error'));
    if (problems.length === 0)
        return '';
    const out = [`### Chain problems\n\n`];
    out.push(compactTable(['', 'Problem', 'Where'], problems.map((p) => [
        p.severity === 'error' ? '❌' : '⚠️',
        `${cell(shortHashes(p.message))} <sub>${codeLink(p.code)}</sub>`,
        p.file ? code(external_node_path_default().basename(p.file) + (p.line ? `:${p.line}` : '')) : ''
    ])));
    for (const p of problems)
        out.push('\n' +
            nextStep([p.hint])
                .join('\n\n')
                .replace(/^\*\*What to do:\*\*/, `**${escapeHtml(p.code)}:**`) +
            '\n');
    return out.join('');
}
function warningsSection(report) {
    // A chain problem's warning is already a row of the Chain problems table.
    const warnings = report.warnings.filter((w) => !report.problems.some((p) => p.message === w));
    if (warnings.length === 0)
        return '';
    return `### Warnings\n\n` + warnings.map((w) => `- ⚠️ ${prose(w)}`).join('\n') + '\n';
}
// ── details, folded ──
function chainSection(report) {
    const { chain, graph } = report;
    if (!chain)
        return '';
    const current = report.apply?.current ?? report.state?.current ?? [];
    const pending = report.apply ? report.apply.runs.filter((r) => r.status !== 'applied').map((r) => r.id) : (report.pending ?? []).map((r) => r.id);
    // The graph is known once validation analysed it; a run stopped before that (lock timeout) still lists the chain's facts.
    const facts = [
        plural(chain.revisions.length, 'revision'),
        graph && `${graph.roots.length === 1 ? 'root' : 'roots'} ${graph.roots.map(htmlCode).join(', ') || '—'}`,
        graph && `${graph.heads.length === 1 ? 'head' : 'heads'} ${graph.heads.map(htmlCode).join(', ') || '—'}`,
        graph?.merges.length ? `${graph.merges.length === 1 ? 'merge' : 'merges'} ${graph.merges.map(htmlCode).join(', ')}` : ''
    ].filter(Boolean);
    const body = chain.notes.map((note) => `- ${prose(note)}\n`);
    const drawn = graph && renderRevisionGraph(chain, graph, { current, pending, failed: report.apply?.failure?.revision, problems: report.problems });
    if (drawn)
        body.push('\n' + fence(drawn, 'mermaid'));
    // The graph is the explanation when the chain itself is what is wrong.
    const open = report.problems.some((p) => p.severity === 'error' && p.revisions.length > 1);
    return `<details${open ? ' open' : ''}><summary><b>Chain</b>: ${facts.join(' · ')}</summary>\n\n${body.join('')}\n</details>\n`;
}
function detailsSection(report) {
    const facts = [];
    if (report.database)
        facts.push(`- Database: ${code(report.database)}${report.serverVersion ? `, PostgreSQL ${escapeHtml(report.serverVersion)}` : ''}`);
    if (report.engine)
        facts.push(`- Engine: ${escapeHtml(report.engine)}${report.migrationsPath ? `, ${code(report.migrationsPath)}` : ''}`);
    if (report.state)
        facts.push(`- Database was at: ${revisions(report.state.current)}`);
    if (report.apply && !report.apply.failure)
        facts.push(`- Database is now at: ${revisions(report.apply.current)}`);
    if (report.lock)
        facts.push(`- Migration lock: ${report.lock.waitedMs > 0 ? `waited ${formatMs(report.lock.waitedMs)} for ${prose(report.lock.heldBy ?? 'another run')}` : 'acquired at once'}`);
    const wait = waitLine(report);
    if (wait)
        facts.push(`- ${wait}`);
    facts.push(`- Duration: ${formatMs(report.durationMs)}`);
    const parts = [facts.join('\n') + '\n', extensionsSection(report), stagesTable(report)].filter(Boolean);
    return details('<b>Run details</b>: server, extensions, readiness, stages', parts.join('\n'));
}
function waitLine(report) {
    const wait = report.wait;
    if (!wait)
        return '';
    const seen = Object.entries(wait.reasons)
        .map(([reason, n]) => `${escapeHtml(reason)} ×${n}`)
        .join(', ');
    return `Readiness: ready after ${plural(wait.attempts, 'attempt')} in ${formatMs(wait.waitedMs)}${seen ? ` (before that: ${seen})` : ''}`;
}
function extensionsSection(report) {
    const result = report.extensions;
    if (!result || result.extensions.length === 0)
        return '';
    const rows = result.extensions.map((e) => [code(e.name), cell(e.status), cell(e.version), cell(e.schema), cell(e.message ?? '')]);
    let out = `**Extensions**\n\n` + table(['Extension', 'Status', 'Version', 'Schema', 'Notes'], rows);
    const smoke = [
        ...result.smoke.map((c) => `- ${c.ok ? '✅' : '❌'} ${escapeHtml(c.name)}: ${escapeHtml(c.detail)}`),
        ...result.smokeSkipped.map((c) => `- ⏭️ ${escapeHtml(c.name)}: skipped, ${escapeHtml(c.reason)}`)
    ];
    if (smoke.length > 0)
        out += `\n**pgvector smoke test** (in a rolled-back transaction):\n\n` + smoke.join('\n') + '\n';
    return out;
}
const STATUS_ICON = { ok: '✅', warning: '⚠️', failed: '❌', skipped: '⏭️' };
/** The stages with their summaries; the failed stage's summary is the callout's error, said there. */
function stagesTable(report) {
    if (report.stages.length === 0)
        return '';
    const rows = report.stages.map((s) => [
        s.name,
        `${STATUS_ICON[s.status]} ${s.status}`,
        formatMs(s.durationMs),
        s.status === 'failed' && report.error ? 'see above' : cell(truncate(s.summary, 120))
    ]);
    return `**Stages**\n\n` + table(['Stage', 'Result', 'Time', 'Summary'], rows);
}
function logSection(failure) {
    if (!failure?.log)
        return '';
    return details('Full log', fence(truncate(failure.log, 60_000)));
}
function bugSection(report) {
    const error = report.error;
    if (!error?.bug)
        return '';
    return details('This is a bug in pg-migrate-action: the stack trace', fence(error.stack ?? error.message)) + '\nPlease report it with this trace.\n';
}
const LINT_ROWS_LIMIT = 200;
const RISK_ICON = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵' };
/**
 * Low-risk findings (a new table, an index on it) are worth a look, not a review: past this many
 * they are folded, grouped by rule in the fold's title, so a first deploy of 200 tables does not
 * bury the findings that matter under 400 rows.
 */
const LOW_RISK_INLINE = 5;
/** The risk lint's findings: what, where, how risky, how big the table is, and the safer way. */
function renderLintSection(result, gate, options = {}) {
    const base = options.docsBase ?? ruleDocsBase();
    const head = `### Risk lint\n\n`;
    if (result.findings.length === 0) {
        return `${head}No findings in ${plural(result.revisions, 'pending revision')} (${plural(result.statements, 'statement')}).\n`;
    }
    const out = [head];
    if (gate.blocked.length > 0) {
        out.push(
        // Plain text, not a second alert: the run's callout above already names the first blocked finding.
        `**Blocked:** ${plural(gate.blocked.length, 'unacknowledged finding')} at or above ${code('fail-on-risk: ' + gate.failOnRisk)}; nothing of the pending set was applied.\n` +
            `To let a change through once it is reviewed, put ${code('-- pg-migrate:allow <rule-id> reason: <why>')} (${code('# pg-migrate:allow …')} in an Alembic revision) above the statement, or at the top of the file for the whole file; or raise ${code('fail-on-risk')}.\n\n`);
    }
    // Blocked findings first, so a long list never hides what stopped the run.
    const ordered = [...gate.blocked, ...result.findings.filter((f) => !gate.blocked.includes(f))];
    const isQuietLow = (f) => f.risk === 'low' && !gate.blocked.includes(f) && !f.acknowledged;
    const low = ordered.filter(isQuietLow);
    const fold = low.length > LOW_RISK_INLINE;
    const notLow = fold ? ordered.filter((f) => !isQuietLow(f)) : ordered;
    const prominent = notLow.slice(0, LINT_ROWS_LIMIT);
    const folded = fold ? low.slice(0, LINT_ROWS_LIMIT - prominent.length) : [];
    const more = (n) => `\n… and ${n} more ${n === 1 ? 'finding' : 'findings'}: the \`findings\` output lists them all.\n`;
    if (prominent.length > 0)
        out.push(findingsTable(prominent, gate, base));
    if (fold) {
        const counts = new Map();
        for (const f of low)
            counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
        const byRule = [...counts].map(([rule, n]) => `${htmlCode(rule)} ×${n}`).join(', ');
        const body = folded.length > 0 ? findingsTable(folded, gate, base) : 'Not listed here: the table above holds as many rows as the summary shows.\n';
        const hiddenLow = notLow.length > prominent.length ? 0 : low.length - folded.length;
        out.push((prominent.length > 0 ? '\n' : '') + details(`${plural(low.length, 'low-risk finding')}: ${byRule}`, body + (hiddenLow > 0 ? more(hiddenLow) : '')));
        if (notLow.length > prominent.length)
            out.push(more(ordered.length - prominent.length - folded.length));
    }
    else if (ordered.length > prominent.length)
        out.push(more(ordered.length - prominent.length));
    return out.join('');
}
/** A table of findings, its long cell texts below it, then the safer way, each piece of advice said once. */
function findingsTable(findings, gate, base) {
    const status = (f) => f.acknowledged ? `✔️ acknowledged (line ${f.acknowledged.line}): ${cell(f.acknowledged.reason)}` : isBlocking(f, gate.failOnRisk) ? '❌ **blocked**' : '';
    // The same advice on several rows (every new table) is said once, under the table.
    const advice = [...new Set(findings.map((f) => f.saferWay))];
    const hasStatus = findings.some((f) => status(f) !== '');
    // A message every finding shares (nothing could be linted, and why) is said once, above the table.
    const shared = findings.length > 1 && findings.every((f) => f.message === findings[0].message) ? findings[0].message : undefined;
    const footnote = (f) => (advice.length > 1 ? ` <sup>${advice.indexOf(f.saferWay) + 1}</sup>` : '');
    const long = new CellNotes();
    const rows = compactTable(['Risk', 'Rule', 'Where', 'Finding', ...(hasStatus ? ['Status'] : [])], findings.map((f) => [
        `${RISK_ICON[f.risk]} ${f.risk}`,
        `[${code(f.rule)}](${base}${f.rule}.md)`,
        code(`${external_node_path_default().basename(f.file)}:${f.line}`) + (f.lineNote ? `<br><sub>${cell(f.lineNote)}</sub>` : ''),
        (shared ? '' : long.cell(f.message)) + (f.table ? `<br><sub>${cell(f.table)}</sub>` : '') + footnote(f),
        ...(hasStatus ? [status(f)] : [])
    ]));
    return ((shared ? `Every finding: ${prose(shared)}\n\n` : '') +
        rows +
        long.list() +
        (advice.length > 1 ? '\n**Safer way:**\n\n' + advice.map((a, i) => `${i + 1}. ${prose(a)}`).join('\n') + '\n' : `\n**Safer way:** ${prose(advice[0])}\n`));
}
/** The action's own repository when it runs as an action (the rule pages ship with it), else relative. */
function ruleDocsBase() {
    const repo = process.env.GITHUB_ACTION_REPOSITORY;
    if (!repo)
        return 'docs/rules/';
    return `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/blob/${process.env.GITHUB_ACTION_REF || 'main'}/docs/rules/`;
}

;// CONCATENATED MODULE: ./src/runner/annotations.ts



/** GitHub shows at most 10 annotations of a kind per step; a few stay free for the runner's own. */
const MAX_ANNOTATIONS = 8;
/** Pins the failed migration and the chain problems to their files and lines in the pull request. */
function annotate(report) {
    let budget = MAX_ANNOTATIONS;
    const failure = report.apply?.failure;
    if (failure) {
        commands.error((0,redact/* redact */.E$)([failure.message, failure.detail, failure.serverHint && `Hint: ${failure.serverHint}`].filter(Boolean).join('\n')), {
            title: (0,redact/* redact */.E$)(`Migration ${failure.revision} failed${failure.sqlState ? ` (${failure.sqlState})` : ''}`),
            file: failure.file,
            startLine: failure.line,
            startColumn: failure.column
        });
        budget--;
    }
    // Blocking lint findings first.
    for (const a of report.lint ? lintAnnotations(report.lint) : []) {
        if (budget-- <= 0)
            break;
        commands[a.level]((0,redact/* redact */.E$)(a.message), { title: (0,redact/* redact */.E$)(a.title), file: a.file, startLine: a.line });
    }
    for (const problem of report.problems.filter((p) => p.file)) {
        if (budget-- <= 0)
            break;
        const annotation = { title: `Migration chain: ${problem.code}`, file: problem.file, startLine: problem.line };
        const text = (0,redact/* redact */.E$)(`${problem.message}\n${problem.hint}`);
        if (problem.severity === 'error')
            commands.error(text, annotation);
        else
            commands.warning(text, annotation);
    }
}

;// CONCATENATED MODULE: ./src/runner/outputs.ts



/** The action's outputs, as action.yml declares them (a test holds the two together). */
const Outputs = {
    ServerVersion: 'server-version',
    ExtensionVersions: 'extension-versions',
    AppliedCount: 'applied-count',
    Applied: 'applied',
    PendingCount: 'pending-count',
    CurrentVersion: 'current-version',
    MaxRisk: 'max-risk',
    Findings: 'findings',
    BackupPath: 'backup-path',
    ReportPath: 'report-path',
    DurationMs: 'duration-ms'
};
/** Sets every output the run knows a value for; also after a failure, so later steps can react. */
function setOutputs(report, reportPath) {
    const set = (name, value) => {
        if (value !== undefined)
            commands.setOutput(name, (0,redact/* redact */.E$)(String(value)));
    };
    set(Outputs.ServerVersion, report.serverVersion);
    if (report.extensions) {
        set(Outputs.ExtensionVersions, JSON.stringify(Object.fromEntries(report.extensions.extensions.filter((e) => e.version).map((e) => [e.name, e.version]))));
    }
    const applied = report.apply?.runs.filter((r) => r.status === 'applied') ?? [];
    if (report.state || report.apply) {
        set(Outputs.AppliedCount, applied.length);
        set(Outputs.Applied, JSON.stringify(applied.map((r) => ({ revision: r.id, description: r.description, durationMs: r.durationMs ?? null }))));
        const notApplied = report.apply ? report.apply.runs.filter((r) => r.status !== 'applied').length : (report.pending?.length ?? 0);
        set(Outputs.PendingCount, notApplied);
        set(Outputs.CurrentVersion, (report.apply?.current ?? report.state?.current ?? []).join(','));
    }
    if (report.lint) {
        set(Outputs.MaxRisk, report.lint.result.maxRisk);
        set(Outputs.Findings, findingsJson(report.lint));
    }
    set(Outputs.BackupPath, report.backup?.path);
    set(Outputs.ReportPath, reportPath);
    set(Outputs.DurationMs, report.durationMs);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./src/runner/report-file.ts






/** The report as a file (the report-path output), for artifacts and PR comments; undefined when it cannot be written. */
function writeReportFile(markdown, env = process.env) {
    try {
        const dir = (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'pg-migrate-action');
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        const path = (0,external_node_path_.join)(dir, `report-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_ACTION ?? process.pid}.md`);
        (0,external_node_fs_.writeFileSync)(path, markdown);
        return path;
    }
    catch (error) {
        commands.warning((0,redact/* redact */.E$)(`Could not write the report file: ${(0,src_errors/* errorMessage */.gJ)(error)}`));
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/runner/summary.ts



/** Writes the report to the job summary; a summary that cannot be written is a warning, not a failed run. */
async function writeSummary(markdown, env = process.env) {
    if (!env.GITHUB_STEP_SUMMARY)
        return;
    try {
        await commands.appendSummary(markdown);
    }
    catch (error) {
        commands.warning((0,redact/* redact */.E$)(`Could not write the job summary: ${(0,src_errors/* errorMessage */.gJ)(error)}`));
    }
}

;// CONCATENATED MODULE: ./src/main.ts









/** The entry point the runner calls: read the inputs, run the pipeline, hand the report to the runner. */
async function run() {
    // The environment fallback for database-url; masked before anything can print it.
    (0,redact/* registerUrlSecrets */.AI)(process.env.DATABASE_URL ?? '');
    const { report, settings } = await runPipeline(readInput, { log: runnerLogger });
    const markdown = renderReportSafely(report);
    setOutputs(report, writeReportFile(markdown));
    annotate(report);
    // Invalid inputs still get a summary: that is where the user looks for what went wrong.
    if (settings?.summary ?? true)
        await writeSummary(markdown);
    if (report.status === 'failure')
        commands.setFailed((0,redact/* redact */.E$)(failureMessage(report)));
}
/**
 * The runner gives every input action.yml declares, with its default when the workflow omits it,
 * so an empty value is one the workflow chose (e.g. `extensions: ''`).
 */
function readInput(name) {
    const value = commands.getInput(name);
    if (name === 'database-url')
        (0,redact/* registerUrlSecrets */.AI)(value);
    return value;
}
function failureMessage(report) {
    const e = report.error;
    return e ? `${e.message}${e.hint ? `\nWhat to do: ${e.hint}` : ''}` : 'pg-migrate-action failed';
}


/***/ }),

/***/ 6670:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AI: () => (/* binding */ registerUrlSecrets),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   cl: () => (/* binding */ registerSecret)
/* harmony export */ });
/* unused harmony exports REDACTED, clearSecretsForTests */
/* harmony import */ var _runner_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6342);
/* harmony import */ var _database_url_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7358);


/**
 * Every text that leaves the action (log line, annotation, output, summary) passes through
 * `redact`. Secrets are registered once, as early as possible, and also masked by the runner.
 */
const secrets = new Set();
/**
 * A password inside any URL with credentials, e.g. `postgres://user:pw@host`: up to the LAST `@`
 * before a space, the same longest interpretation as `splitUrl`, so a raw `@` in a password never
 * leaves its tail visible. Every repetition is bounded: an unbounded scheme or user part backtracks
 * quadratically over a long run of letters (a base64 blob in a log line), which would hang the action.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^:/?#\s]{0,256}:)(\S{0,1024})@/gi;
/** libpq keyword form: `password=secret`. */
const KEYWORD_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)/gi;
const REDACTED = '***';
/**
 * Shorter candidates are not masked: the runner would turn every `p` of the log into `***` for a
 * one-letter "password" (the head of a password cut at a raw `@`), hiding nothing worth hiding.
 */
const MIN_SECRET_LENGTH = 3;
/** Registers a secret as written, percent-decoded and percent-encoded: a log may show any of them. */
function registerSecret(value) {
    if (!value)
        return;
    const decoded = safeDecode(value);
    for (const form of new Set([value, decoded, encodeURIComponent(value), encodeURIComponent(decoded)])) {
        if (form.length < MIN_SECRET_LENGTH || secrets.has(form))
            continue;
        secrets.add(form);
        _runner_commands_js__WEBPACK_IMPORTED_MODULE_0__.setSecret(form);
    }
}
/**
 * Masks every password-like part of the database-url input before anything can print it — also
 * when the URL is invalid and the input check will refuse it. Where the URL is ambiguous, the
 * longest reading is masked: the credentials up to the last `@`, a `password=` value up to the
 * next space, and the value up to the next `&` as the query parser reads it.
 */
function registerUrlSecrets(rawUrl) {
    const value = rawUrl.trim();
    const userinfo = (0,_database_url_js__WEBPACK_IMPORTED_MODULE_1__/* .splitUrl */ .iM)(value)?.userinfo;
    if (userinfo !== undefined)
        registerSecret((0,_database_url_js__WEBPACK_IMPORTED_MODULE_1__/* .rawPassword */ .iY)(userinfo));
    for (const match of value.matchAll(KEYWORD_PASSWORD)) {
        const longest = match[2];
        registerSecret(longest);
        registerSecret(longest.replace(/^'(.*)'$/s, '$1'));
        registerSecret(longest.split('&')[0]);
    }
}
function redact(text) {
    let out = text.replace(URL_PASSWORD, `$1${REDACTED}@`).replace(KEYWORD_PASSWORD, `$1${REDACTED}`);
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join(REDACTED);
    }
    return out;
}
/** Only for tests: forget registered secrets. */
function clearSecretsForTests() {
    secrets.clear();
}
function safeDecode(value) {
    try {
        return decodeURIComponent(value);
    }
    catch {
        return value;
    }
}


/***/ }),

/***/ 6342:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.r(__webpack_exports__);
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   appendSummary: () => (/* binding */ appendSummary),
/* harmony export */   debug: () => (/* binding */ debug),
/* harmony export */   error: () => (/* binding */ error),
/* harmony export */   getInput: () => (/* binding */ getInput),
/* harmony export */   group: () => (/* binding */ group),
/* harmony export */   info: () => (/* binding */ info),
/* harmony export */   notice: () => (/* binding */ notice),
/* harmony export */   setFailed: () => (/* binding */ setFailed),
/* harmony export */   setOutput: () => (/* binding */ setOutput),
/* harmony export */   setSecret: () => (/* binding */ setSecret),
/* harmony export */   warning: () => (/* binding */ warning)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);




/** An input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when not given. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}
/** The runner replaces the value with *** in every later log line. */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_3__.EOL);
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function notice(message, properties = {}) {
    issueCommand('notice', annotation(properties), message);
}
function warning(message, properties = {}) {
    issueCommand('warning', annotation(properties), message);
}
function error(message, properties = {}) {
    issueCommand('error', annotation(properties), message);
}
/** Fails the step (exit code 1) with an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Folds everything `fn` logs into one collapsible group. */
async function group(name, fn) {
    issueCommand('group', {}, name);
    try {
        return await fn();
    }
    finally {
        issueCommand('endgroup', {}, '');
    }
}
/** A step output, as a `name<<delimiter` block in the GITHUB_OUTPUT file (a workflow command on a runner without one). */
function setOutput(name, value) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) {
        process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_3__.EOL);
        issueCommand('set-output', { name }, value);
        return;
    }
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    // A random delimiter, so a value cannot end its own block and set another output.
    const delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`Unexpected input: the output ${name} contains the delimiter "${delimiter}"`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(file, `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`, { encoding: 'utf8' });
}
/** Appends markdown (and a line break) to the job summary file, GITHUB_STEP_SUMMARY. */
async function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.access)(file, node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.R_OK | node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.appendFile)(file, markdown + node_os__WEBPACK_IMPORTED_MODULE_3__.EOL, { encoding: 'utf8' });
}
function annotation(p) {
    return Object.keys(p).length === 0 ? {} : { title: p.title, file: p.file, line: p.startLine, col: p.startColumn };
}
/**
 * `::command key=value,key=value::message`. Properties without a value are left out, but, as in
 * `@actions/core`, the space after the command stays when any were given.
 */
function issueCommand(command, properties, message) {
    const given = Object.entries(properties).filter(([, value]) => value);
    const props = Object.keys(properties).length > 0 ? ' ' + given.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',') : '';
    process.stdout.write(`::${command}${props}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`);
}
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}


/***/ }),

/***/ 7332:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Xm: () => (/* binding */ serverPositionIndex),
/* harmony export */   nk: () => (/* binding */ excerptAround),
/* harmony export */   uo: () => (/* binding */ codePointOffsetToIndex)
/* harmony export */ });
/**
 * Maps a server error back to the migration file. Postgres reports `position` as a 1-based count of
 * characters (code points) into the query text it received; JavaScript strings index UTF-16 units,
 * so the two differ as soon as the text holds characters outside the Basic Multilingual Plane.
 */
/** UTF-16 index into `text` of the 0-based code point offset `codePoints` (clamped to the text). */
function codePointOffsetToIndex(text, codePoints) {
    let index = 0;
    for (let seen = 0; seen < codePoints && index < text.length; seen++) {
        index += (text.codePointAt(index) ?? 0) >= 0x10000 ? 2 : 1;
    }
    return index;
}
/**
 * Where in the sent statement a server error points, as a UTF-16 index into `statementText`:
 * `position` is the server's 1-based `position` field (a string in node-postgres). Undefined when
 * the error carries no position.
 */
function serverPositionIndex(statementText, position) {
    const n = Number(position);
    if (position === undefined || !Number.isInteger(n) || n < 1)
        return undefined;
    return codePointOffsetToIndex(statementText, n - 1);
}
/**
 * A few numbered lines around `line`, the line itself marked with `>` and, when `column` is known,
 * a caret under the character.
 */
function excerptAround(fileText, line, column, context = 2) {
    const lines = fileText.split(/\r?\n/);
    const first = Math.max(1, line - context);
    const last = Math.min(lines.length, line + context);
    const width = String(last).length;
    const out = [];
    for (let n = first; n <= last; n++) {
        const marker = n === line ? '>' : ' ';
        const prefix = `${marker} ${String(n).padStart(width)} | `;
        out.push(`${prefix}${lines[n - 1]}`.trimEnd());
        if (n === line && column !== undefined && column >= 1) {
            const lead = [...lines[n - 1]]
                .slice(0, column - 1)
                .map((c) => (c === '\t' ? '\t' : ' '))
                .join('');
            out.push(`${' '.repeat(prefix.length)}${lead}^`);
        }
    }
    return out.join('\n');
}


/***/ }),

/***/ 5862:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  cF: () => (/* binding */ OffsetMap),
  MO: () => (/* binding */ SqlSyntaxError),
  Ok: () => (/* binding */ loadSqlParser)
});

// UNUSED EXPORTS: noTransactionReason, parserRequested

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
// EXTERNAL MODULE: ./src/sql/error-position.ts
var error_position = __nccwpck_require__(7332);
;// CONCATENATED MODULE: ./src/sql/parse.ts


class SqlSyntaxError extends Error {
    /** UTF-16 offset into the parsed text. */
    offset;
    /** 1-based. */
    line;
    column;
    constructor(message, offset, line, column) {
        super(message);
        this.name = 'SqlSyntaxError';
        this.offset = offset;
        this.line = line;
        this.column = column;
    }
}
let parserPromise;
/** Loads the WASM parser once per process. */
function loadSqlParser() {
    parserPromise ??= (async () => {
        // V8's baseline WebAssembly compiler only. Optimizing libpg-query's code costs more than the parsing
        // itself: under Node 20 ~50 MB and half the CPU of planning 200 migrations; under Node 24 a peak of
        // ~640 MB and 0.4 s (bench/README.md). Node 24 ignores `--liftoff-only` set at run time but honours
        // these two, which the runner gives no other way to pass.
        (0,external_node_v8_namespaceObject.setFlagsFromString)('--no-wasm-tier-up');
        (0,external_node_v8_namespaceObject.setFlagsFromString)('--no-wasm-dynamic-tiering');
        // A dynamic import keeps the module (and its WASM) out of runs that never parse.
        const lib = (await __nccwpck_require__.e(/* import() */ 627).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2627, 23)));
        await lib.loadModule();
        return { parse: (source, options) => parseWith(lib, source, options ?? {}), scan: (source) => scanWith(lib, source) };
    })();
    parserPromise.catch(() => {
        parserPromise = undefined;
    });
    return parserPromise;
}
/** True once the parser was requested in this process (for tests of the lazy load). */
function parserRequested() {
    return parserPromise !== undefined;
}
function parseWith(lib, source, options) {
    const offsets = new OffsetMap(source);
    // The parser rejects an empty string; a text of only whitespace has no statements either way.
    if (source.trim() === '')
        return [];
    const result = parseTree(lib, source, offsets);
    const raw = result.stmts ?? [];
    const statements = [];
    for (const [index, stmt] of raw.entries()) {
        // stmt_location is omitted (proto3 default) for a statement at byte 0, and stmt_len for the last
        // statement, which then runs to the end of the text.
        const startByte = stmt.stmt_location ?? 0;
        const endByte = stmt.stmt_len ? startByte + stmt.stmt_len : offsets.byteLength;
        const start = offsets.charIndex(startByte);
        const end = trimEndIndex(source, start, offsets.charIndex(endByte));
        const node = stmt.stmt;
        const kind = Object.keys(node)[0] ?? 'Unknown';
        const body = node[kind];
        const { line, column } = offsets.lineColumn(start);
        statements.push({
            index,
            text: source.slice(start, end),
            start,
            end,
            startByte,
            endByte: endByte - Buffer.byteLength(source.slice(end, offsets.charIndex(endByte)), 'utf8'),
            line,
            column,
            kind,
            node,
            noTransaction: noTransactionReason(kind, body ?? {}, options.serverVersionNum ?? Number.MAX_SAFE_INTEGER),
            transactionControl: transactionControl(kind, body ?? {})
        });
    }
    return statements;
}
/**
 * A pending migration is parsed by the plan and again by the lint; the tree depends only on the text,
 * so the last trees are kept (by text) and each caller builds its own statements from them.
 */
const trees = new Map();
const TREES_KEPT = 2000;
function parseTree(lib, source, offsets) {
    const known = trees.get(source);
    if (known)
        return known;
    let result;
    try {
        result = lib.parseSync(source);
    }
    catch (error) {
        throw toSyntaxError(error, offsets);
    }
    if (trees.size >= TREES_KEPT)
        trees.delete(trees.keys().next().value);
    trees.set(source, result);
    return result;
}
function scanWith(lib, source) {
    let raw;
    try {
        // The scanner's JSON does not escape control characters, so a tab inside a literal would break
        // it. A space has the same length in bytes and lexes the same outside literals.
        // eslint-disable-next-line no-control-regex -- control characters are exactly what must be replaced
        raw = lib.scanSync(source.replace(/[\u0000-\u0009\u000b-\u001f]/g, ' ')).tokens;
    }
    catch {
        return scanUnterminated(lib, source);
    }
    const offsets = new OffsetMap(source);
    return raw.map((t) => ({
        start: offsets.charIndex(t.start),
        end: offsets.charIndex(t.end),
        kind: t.tokenName,
        keyword: t.keywordName === 'NO_KEYWORD' ? undefined : t.text.toUpperCase()
    }));
}
/**
 * The scanner only says that it failed; the parser says where: at a literal or comment that is never
 * closed, which, as the lexer reads it, runs to the end of the text.
 */
function scanUnterminated(lib, source) {
    let start;
    try {
        lib.parseSync(source);
    }
    catch (error) {
        const syntaxError = toSyntaxError(error, new OffsetMap(source));
        if (/^unterminated/.test(syntaxError.message))
            start = syntaxError.offset;
    }
    if (start === undefined || start >= source.length)
        return undefined;
    const before = start > 0 ? scanWith(lib, source.slice(0, start)) : [];
    return before && [...before, { start, end: source.length, kind: 'UNTERMINATED' }];
}
function toSyntaxError(error, offsets) {
    const details = error.sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    // cursorPosition is a 0-based count of characters (code points), unlike the statement locations.
    const offset = (0,error_position/* codePointOffsetToIndex */.uo)(offsets.source, Math.max(0, details?.cursorPosition ?? 0));
    const { line, column } = offsets.lineColumn(offset);
    return new SqlSyntaxError(message, offset, line, column);
}
/** Drops trailing whitespace so a last statement without a semicolon does not carry the file's newline. */
function trimEndIndex(source, start, end) {
    let i = end;
    while (i > start && /\s/.test(source[i - 1]))
        i--;
    return i;
}
/**
 * Statements Postgres refuses inside a transaction block ("… cannot run inside a transaction block").
 * From the server's PreventInTransactionBlock callers.
 */
function noTransactionReason(kind, body, serverVersionNum) {
    const because = (what) => ({ what, reason: `${what} cannot run inside a transaction block` });
    switch (kind) {
        case 'IndexStmt':
            return body.concurrent ? because('CREATE INDEX CONCURRENTLY') : undefined;
        case 'DropStmt':
            return body.concurrent ? because('DROP INDEX CONCURRENTLY') : undefined;
        case 'ReindexStmt': {
            if (defElemTrue(body.params, 'concurrently'))
                return because('REINDEX … CONCURRENTLY');
            if (body.kind === 'REINDEX_OBJECT_SYSTEM')
                return because('REINDEX SYSTEM');
            if (body.kind === 'REINDEX_OBJECT_DATABASE')
                return because('REINDEX DATABASE');
            return undefined;
        }
        case 'VacuumStmt':
            // ANALYZE shares the node and may run in a transaction; VACUUM may not.
            return body.is_vacuumcmd ? because('VACUUM') : undefined;
        case 'ClusterStmt':
            return body.relation ? undefined : because('CLUSTER without a table name');
        case 'AlterSystemStmt':
            return because('ALTER SYSTEM');
        case 'CreatedbStmt':
            return because('CREATE DATABASE');
        case 'DropdbStmt':
            return because('DROP DATABASE');
        case 'AlterDatabaseStmt':
            return hasDefElem(body.options, 'tablespace') ? because('ALTER DATABASE … SET TABLESPACE') : undefined;
        case 'CreateTableSpaceStmt':
            return because('CREATE TABLESPACE');
        case 'DropTableSpaceStmt':
            return because('DROP TABLESPACE');
        case 'CreateSubscriptionStmt':
            return defElemFalse(body.options, 'connect') || defElemFalse(body.options, 'create_slot') ? undefined : because('CREATE SUBSCRIPTION (creating a replication slot)');
        case 'DropSubscriptionStmt':
            return because('DROP SUBSCRIPTION');
        case 'AlterSubscriptionStmt': {
            const refreshing = ['ALTER_SUBSCRIPTION_SET_PUBLICATION', 'ALTER_SUBSCRIPTION_ADD_PUBLICATION', 'ALTER_SUBSCRIPTION_DROP_PUBLICATION'];
            if (body.kind === 'ALTER_SUBSCRIPTION_REFRESH')
                return because('ALTER SUBSCRIPTION … REFRESH PUBLICATION');
            if (refreshing.includes(String(body.kind)) && !defElemFalse(body.options, 'refresh')) {
                return because('ALTER SUBSCRIPTION … PUBLICATION (with refresh)');
            }
            return undefined;
        }
        case 'AlterTableStmt':
            return detachesConcurrently(body) ? because('ALTER TABLE … DETACH PARTITION … CONCURRENTLY') : undefined;
        case 'AlterEnumStmt':
            // PostgreSQL 12 lifted the restriction; the new value still cannot be used in the same transaction.
            return body.newVal !== undefined && body.oldVal === undefined && serverVersionNum < 120000
                ? {
                    what: 'ALTER TYPE … ADD VALUE',
                    reason: 'ALTER TYPE … ADD VALUE cannot run inside a transaction block on PostgreSQL 11 and older'
                }
                : undefined;
        case 'TransactionStmt':
            return body.kind === 'TRANS_STMT_COMMIT_PREPARED' || body.kind === 'TRANS_STMT_ROLLBACK_PREPARED'
                ? because(body.kind === 'TRANS_STMT_COMMIT_PREPARED' ? 'COMMIT PREPARED' : 'ROLLBACK PREPARED')
                : undefined;
        default:
            return undefined;
    }
}
function transactionControl(kind, body) {
    if (kind !== 'TransactionStmt')
        return undefined;
    switch (body.kind) {
        case 'TRANS_STMT_BEGIN':
        case 'TRANS_STMT_START':
            return 'begin';
        case 'TRANS_STMT_COMMIT':
            return 'commit';
        case 'TRANS_STMT_ROLLBACK':
            return 'rollback';
        case 'TRANS_STMT_SAVEPOINT':
        case 'TRANS_STMT_RELEASE':
        case 'TRANS_STMT_ROLLBACK_TO':
            return 'savepoint';
        default:
            return 'prepared';
    }
}
function defElems(list) {
    if (!Array.isArray(list))
        return [];
    return list.map((item) => item.DefElem).filter((d) => d !== undefined);
}
function hasDefElem(list, name) {
    return defElems(list).some((d) => String(d.defname).toLowerCase() === name);
}
/** `(CONCURRENTLY)` or `(CONCURRENTLY true)`; a DefElem without an argument means true. */
function defElemTrue(list, name) {
    const elem = defElems(list).find((d) => String(d.defname).toLowerCase() === name);
    if (!elem)
        return false;
    return elem.arg === undefined || booleanArg(elem.arg) !== false;
}
function defElemFalse(list, name) {
    const elem = defElems(list).find((d) => String(d.defname).toLowerCase() === name);
    return elem !== undefined && elem.arg !== undefined && booleanArg(elem.arg) === false;
}
function booleanArg(arg) {
    const a = arg;
    if (a.Boolean)
        return a.Boolean.boolval === true;
    if (a.Integer)
        return (a.Integer.ival ?? 0) !== 0;
    const text = a.String?.sval ?? a.A_Const?.sval?.sval;
    if (text !== undefined)
        return !['false', 'off', 'no', '0'].includes(text.toLowerCase());
    if (a.A_Const?.boolval)
        return a.A_Const.boolval.boolval === true;
    return undefined;
}
function detachesConcurrently(body) {
    const cmds = Array.isArray(body.cmds) ? body.cmds : [];
    return cmds.some((c) => {
        const cmd = c.AlterTableCmd;
        if (cmd?.subtype !== 'AT_DetachPartition')
            return false;
        const def = cmd.def;
        return def?.PartitionCmd?.concurrent === true;
    });
}
/**
 * Converts between the parser's UTF-8 byte offsets, JavaScript's UTF-16 indexes and 1-based
 * line/column. Offsets arrive in increasing order, so conversion walks forward from the last one.
 */
class OffsetMap {
    source;
    byteLength;
    lineStarts;
    cursorChar = 0;
    cursorByte = 0;
    constructor(source) {
        this.source = source;
        this.byteLength = Buffer.byteLength(source, 'utf8');
        this.lineStarts = [0];
        for (let i = 0; i < source.length; i++)
            if (source.charCodeAt(i) === 10)
                this.lineStarts.push(i + 1);
    }
    /** UTF-16 index of a UTF-8 byte offset. */
    charIndex(byteOffset) {
        if (byteOffset < this.cursorByte) {
            this.cursorByte = 0;
            this.cursorChar = 0;
        }
        while (this.cursorByte < byteOffset && this.cursorChar < this.source.length) {
            const code = this.source.codePointAt(this.cursorChar);
            this.cursorByte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
            this.cursorChar += code >= 0x10000 ? 2 : 1;
        }
        return this.cursorChar;
    }
    /** 1-based line and column; the column counts characters (code points), as Postgres does. */
    lineColumn(charIndex) {
        let low = 0;
        let high = this.lineStarts.length - 1;
        while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (this.lineStarts[mid] <= charIndex)
                low = mid;
            else
                high = mid - 1;
        }
        const column = [...this.source.slice(this.lineStarts[low], charIndex)].length + 1;
        return { line: low + 1, column };
    }
}


/***/ }),

/***/ 7985:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ registerSqlSecrets)
/* harmony export */ });
/* unused harmony export findSqlSecrets */
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6670);

function findSqlSecrets(parser, source) {
    // Both forms spell the word as written, so a text without it needs no lexer (which was the costliest
    // part of planning a long chain).
    if (!/password/i.test(source))
        return [];
    const tokens = parser.scan(source);
    if (tokens === undefined)
        return [];
    const secrets = [];
    tokens.forEach((token, i) => {
        const next = tokens[i + 1];
        if (next?.kind !== 'SCONST' || !namesPassword(token, source))
            return;
        const literal = source.slice(next.start, next.end);
        const { value, written } = literalValue(literal);
        secrets.push({ start: next.start, end: next.end, value, written });
    });
    return secrets;
}
/** Registers every password literal of `source` with the redaction (and the runner's log mask). */
function registerSqlSecrets(parser, source) {
    for (const secret of findSqlSecrets(parser, source)) {
        (0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(secret.value);
        (0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(secret.written);
    }
}
/** The keyword `PASSWORD`, or an option name spelled `"password"` (generic options take identifiers). */
function namesPassword(token, source) {
    if (token.keyword === 'PASSWORD')
        return true;
    return token.kind === 'IDENT' && source.slice(token.start, token.end).toLowerCase() === '"password"';
}
function literalValue(literal) {
    const dollar = /^(\$[^$]*\$)([\s\S]*)\1$/.exec(literal);
    if (dollar)
        return { value: dollar[2], written: dollar[2] };
    const escaped = /^[eE]'/.test(literal);
    const written = literal.slice(escaped ? 2 : literal.indexOf("'") + 1, -1);
    let value = written.replace(/''/g, "'");
    if (escaped)
        value = value.replace(/\\(.)/g, '$1');
    return { value, written };
}


/***/ }),

/***/ 4390:
/***/ ((module) => {

module.exports = eval("require")("pg-native");


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 2250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 1376:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 481:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 2018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 8253:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util/types");

/***/ }),

/***/ 3849:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ay: () => (__WEBPACK_DEFAULT_EXPORT__)
/* harmony export */ });
/* unused harmony exports Client, Pool, Connection, types, Query, DatabaseError, escapeIdentifier, escapeLiteral, Result, TypeOverrides, defaults */
/* harmony import */ var _lib_index_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3273);
// ESM wrapper for pg


// Re-export all the properties
const Client = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.Client
const Pool = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.Pool
const Connection = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.Connection
const types = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.types
const Query = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.Query
const DatabaseError = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.DatabaseError
const escapeIdentifier = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.escapeIdentifier
const escapeLiteral = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.escapeLiteral
const Result = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.Result
const TypeOverrides = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.TypeOverrides

// Also export the defaults
const defaults = _lib_index_js__WEBPACK_IMPORTED_MODULE_0__.defaults

// Re-export the default
/* harmony default export */ const __WEBPACK_DEFAULT_EXPORT__ = (_lib_index_js__WEBPACK_IMPORTED_MODULE_0__);


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
