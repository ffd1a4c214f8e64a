// SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The push peer: HubSpot's official Node.js client (@hubspot/api-client)
// sending a push's meetings as a careful integration would: the meetings
// that ended through the CRM's batch create, 100 a request, and the
// others one by one through the scheduler's call (it has no batch form),
// paced under the account's rolling limit with a fixed number of
// requests in flight.  Its generic call, apiRequest(), takes the
// date-versioned batch path; the client's generated batch classes still
// call the v3 paths that HubSpot retires in September 2027.
//
//   node bench-node-push.mjs --url URL --bodies FILE --concurrency C
//        --limit N --window-ms W --out FILE
//
// FILE: one {"crm": body} or {"scheduler": body} per line
// (bench-eds bodies --mix).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const hubspot = require('@hubspot/api-client');
const clientVersion = require('@hubspot/api-client/package.json').version;

const BATCH_MAX = 100;

function option(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const url = option('url');
const bodiesPath = option('bodies');
const concurrency = Number(option('concurrency', '8'));
const limit = Number(option('limit', '0'));
const windowMs = Number(option('window-ms', '10000'));
const out = option('out');
if (!url || !bodiesPath || !out || !(concurrency >= 1) || !(limit >= 1)) {
	console.error('usage: bench-node-push.mjs --url URL --bodies FILE --concurrency C --limit N --window-ms W --out FILE');
	process.exit(2);
}

// Parsed and grouped before the clock starts: our calendar gets its
// events ready-made too.
const lines = readFileSync(bodiesPath, 'utf8').split('\n').filter((line) => line).map((line) => JSON.parse(line));
const requests = [];
let batch = [];
for (const line of lines) {
	if (line.crm) {
		batch.push({ ...line.crm, objectWriteTraceId: String(batch.length) });
		if (batch.length === BATCH_MAX) {
			requests.push({ path: '/crm/objects/2026-03/meetings/batch/create', body: { inputs: batch }, meetings: batch.length });
			batch = [];
		}
	} else {
		requests.push({ path: '/scheduler/2026-03/meetings/calendar', qs: { organizerUserId: '9100001' }, body: line.scheduler, meetings: 1 });
	}
}
if (batch.length)
	requests.push({ path: '/crm/objects/2026-03/meetings/batch/create', body: { inputs: batch }, meetings: batch.length });

const client = new hubspot.Client({ accessToken: 'mock-token', basePath: url });

// The rolling window: a request may start when fewer than the limit less
// 5% (the calendar's own margin) started within the last windowMs.
const places = Math.max(1, Math.floor(limit * 0.95));
const starts = [];
async function takePlace() {
	for (;;) {
		const now = performance.now();
		while (starts.length && now - starts[0] >= windowMs)
			starts.shift();
		if (starts.length < places) {
			starts.push(now);
			return;
		}
		await sleep(windowMs - (now - starts[0]) + 1);
	}
}

let next = 0;
let sent = 0;
let meetings = 0;
let errors = 0;
let rateLimited = 0;

async function worker() {
	while (next < requests.length) {
		const request = requests[next++];
		await takePlace();
		sent++;
		try {
			const response = await client.apiRequest({ method: 'POST', path: request.path, qs: request.qs, body: request.body });
			const answer = await response.json();
			if (response.status === 429) {
				rateLimited++;
				requests.push(request);	// not taken: again, later
				continue;
			}
			if (request.meetings > 1 && (response.status === 201 || response.status === 207))
				meetings += (answer.results || []).length;
			else if (response.status === 200 && answer.id)
				meetings++;
			else
				errors++;
		} catch (error) {
			if (errors++ < 3)
				console.error(`bench-node-push: ${error.message}`);
		}
	}
}

const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

console.log(`@hubspot/api-client ${clientVersion} (Node.js ${process.versions.node}), batch create for ended meetings: ` +
	`${meetings} of ${lines.length} meetings in ${sent} requests, ${seconds.toFixed(2)} s, ${rateLimited} × 429, ${errors} errors`);
writeFileSync(out, JSON.stringify({
	benchmark: 'push-node',
	client_version: clientVersion,
	node_version: process.versions.node,
	meetings_wanted: lines.length,
	meetings,
	requests: sent,
	seconds,
	rate_limited: rateLimited,
	errors,
	concurrency,
}, null, 2));
