/**
 * Preload (`node --import ./no-network.mjs …`): every way a Node program can reach the network throws, and
 * the attempt is written to stderr (fd 2, from any thread) as `NETWORK-ATTEMPT <api> <detail>` so that a
 * test can fail on it even when the tool catches the error. Covers net/tls sockets (connect, createConnection, Socket#connect),
 * dgram, dns (callback and promise APIs, lookup and every resolve*), http/https/http2 requests, and
 * fetch / WebSocket / EventSource (undici). ESM named imports of the built-ins are updated too
 * (module.syncBuiltinESMExports), and worker threads load this file as well (they inherit execArgv).
 * Local IPC (pipes, stdio, worker MessagePorts) is not network and is left alone.
 */
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { resolve } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';

/**
 * Straight to file descriptor 2: a worker's process.stderr is a pipe to its parent thread, which may
 * discard it (the review pool does).
 */
function report(line) {
  fs.writeSync(2, `${line}\n`);
}

function blocked(api, detail = '') {
  const where = isMainThread ? 'main' : `worker ${threadId}`;
  report(`NETWORK-ATTEMPT ${api} ${detail} (${where})`);
  const error = new Error(`network access is blocked in this test: ${api} ${detail}`.trim());
  error.code = 'ENETBLOCKED';
  return error;
}

function describe(args) {
  const first = args[0];
  if (first && typeof first === 'object') {
    return String(first.href ?? first.host ?? first.hostname ?? first.path ?? JSON.stringify(first));
  }
  return args
    .filter((a) => typeof a !== 'function')
    .map(String)
    .join(' ');
}

function block(target, name, api = name) {
  target[name] = function blockedNetworkCall(...args) {
    throw blocked(api, describe(args));
  };
}

// Sockets. Local IPC (a path, not a port) stays allowed: pipes are how stdio and the test runner talk.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const options = args[0];
  const isPipe =
    (typeof options === 'string' && Number.isNaN(Number(options))) ||
    (options && typeof options === 'object' && !Array.isArray(options) && typeof options.path === 'string');
  if (!isPipe) throw blocked('net.Socket#connect', describe(args));
  return connect.apply(this, args);
};
block(net, 'connect', 'net.connect');
block(net, 'createConnection', 'net.createConnection');
block(tls, 'connect', 'tls.connect');
block(dgram, 'createSocket', 'dgram.createSocket');
for (const name of ['bind', 'connect', 'send']) block(dgram.Socket.prototype, name, `dgram.Socket#${name}`);

// DNS, callback and promise forms.
for (const name of Object.keys(dns)) {
  if (name === 'lookup' || name === 'lookupService' || name.startsWith('resolve') || name === 'reverse') {
    block(dns, name, `dns.${name}`);
  }
}
for (const name of Object.keys(dns.promises)) {
  if (name === 'lookup' || name === 'lookupService' || name.startsWith('resolve') || name === 'reverse') {
    block(dns.promises, name, `dns.promises.${name}`);
  }
}
const Resolver = dns.Resolver;
for (const name of Object.getOwnPropertyNames(Resolver.prototype)) {
  if (name.startsWith('resolve') || name === 'reverse')
    block(Resolver.prototype, name, `dns.Resolver#${name}`);
}

// HTTP clients.
for (const [module, label] of [
  [http, 'http'],
  [https, 'https'],
]) {
  block(module, 'request', `${label}.request`);
  block(module, 'get', `${label}.get`);
}
block(http2, 'connect', 'http2.connect');

// fetch and friends (undici, built in).
for (const name of ['fetch', 'WebSocket', 'EventSource']) {
  if (name in globalThis) {
    globalThis[name] = function blockedGlobal(...args) {
      throw blocked(name, describe(args));
    };
  }
}

// A child process could reach the network on the tool's behalf: record any, and refuse — except Node
// itself started with this very guard preloaded (bin/contract-lint.js runs a scan in such a child, passing
// its own execArgv on), which is as offline as this process.
const GUARD = fileURLToPath(import.meta.url);
const guardedNode = (command, args) =>
  command === process.execPath &&
  Array.isArray(args) &&
  args.some((a, i) => a === '--import' && typeof args[i + 1] === 'string' && resolve(args[i + 1]) === GUARD);
const spawnNode = childProcess.spawn;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  block(childProcess, name, `child_process.${name}`);
}
childProcess.spawn = function guardedSpawn(command, args, ...rest) {
  if (guardedNode(command, args)) return spawnNode.call(this, command, args, ...rest);
  throw blocked('child_process.spawn', describe([command, ...(Array.isArray(args) ? args : [])]));
};

syncBuiltinESMExports();

if (process.env.CONTRACT_LINT_NO_NETWORK_VERBOSE) {
  report(`NO-NETWORK guard active (${isMainThread ? 'main' : `worker ${threadId}`})`);
}
