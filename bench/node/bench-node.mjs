// SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The peer: HubSpot's official Node.js client (@hubspot/api-client)
// creating the same meetings through its generic call, apiRequest(), with
// a fixed number of requests in flight.  The client's own limiter and
// retries are left off (its default), so that only its request path is
// measured, at the same concurrency as the calendar's MaxInFlight.
//
//   node bench-node.mjs --url URL --bodies FILE --concurrency C --out FILE

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const hubspot = require('@hubspot/api-client');
const clientVersion = require('@hubspot/api-client/package.json').version;

function option(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const url = option('url');
const bodiesPath = option('bodies');
const concurrency = Number(option('concurrency', '8'));
const out = option('out');
if (!url || !bodiesPath || !out || !(concurrency >= 1)) {
	console.error('usage: bench-node.mjs --url URL --bodies FILE --concurrency C --out FILE');
	process.exit(2);
}

// Parsed before the clock starts: the C peers get ready-made bodies too.
const bodies = readFileSync(bodiesPath, 'utf8').split('\n').filter((line) => line).map((line) => JSON.parse(line));
const client = new hubspot.Client({ accessToken: 'mock-token', basePath: url });

let next = 0;
let errors = 0;

async function worker() {
	while (next < bodies.length) {
		const body = bodies[next++];
		try {
			const response = await client.apiRequest({
				method: 'POST',
				path: '/scheduler/2026-03/meetings/calendar',
				qs: { organizerUserId: '9100001' },
				body,
			});
			const answer = await response.json();
			if (response.status !== 200 || !answer.id)
				errors++;
		} catch (error) {
			if (errors++ < 3)
				console.error(`bench-node: ${error.message}`);
		}
	}
}

const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

console.log(`@hubspot/api-client ${clientVersion} (Node.js ${process.versions.node}), ${concurrency} in flight: ` +
	`${bodies.length} requests in ${seconds.toFixed(3)} s (${Math.round(bodies.length / seconds)}/s), ${errors} errors`);
writeFileSync(out, JSON.stringify({
	benchmark: 'node',
	client_version: clientVersion,
	node_version: process.versions.node,
	count: bodies.length,
	concurrency,
	seconds,
	errors,
}, null, 2));
