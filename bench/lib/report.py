#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the Markdown table of a bench/run from its results directory.

  report.py RESULTS-DIR OUTPUT.md
"""
import glob
import json
import os
import statistics
import sys


def load(results, name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def load_all(results, pattern):
    found = []
    for path in sorted(glob.glob(os.path.join(results, pattern))):
        with open(path) as f:
            found.append(json.load(f))
    return found


def ms(value):
    if value is None or value < 0:
        return 'n/a'
    return '%.3f ms' % value if value < 1 else '%.2f ms' % value


def sec(value):
    return 'n/a' if value is None or value < 0 else '%.2f s' % value


def times(value):
    return 'n/a' if value is None else '%.2f×' % value


def kinstr(value):
    return 'n/a' if value is None else '{:,.0f}'.format(value)


def mib(kib):
    return 'n/a' if kib is None or kib < 0 else '%.1f MiB' % (kib / 1024)


def verdict(ok):
    return 'n/a' if ok is None else ('**yes**' if ok else '**no**')


def median(values):
    values = [v for v in values if v is not None and v >= 0]
    return statistics.median(values) if values else None


class Report:
    def __init__(self, results):
        self.results = results
        self.machine = load(results, 'machine.json') or {}
        self.settings = load(results, 'settings.json') or {}
        self.duration = (load(results, 'duration.json') or {}).get('seconds')
        self.rows = []        # the summary table
        self.sections = []    # the details, in Markdown
        self.notes = []

    def failed(self, name):
        return os.path.exists(os.path.join(self.results, name + '-failed.json'))

    def wanted(self, name):
        return name in self.settings.get('only', '').split(',')

    def not_run(self, number, name, what):
        self.rows.append((number, what, 'could not run (see `_build-bench/results/%s.log`)' % name,
                          '', '', '', 'n/a'))

    # 1. ------------------------------------------------------------------
    def respond(self):
        if not self.wanted('respond'):
            return
        data = load(self.results, 'respond.json')
        if not data:
            self.not_run('1', 'respond', 'Calendar responsiveness')
            return
        ours, local = data['hubspot'], data['local']
        count = data['count']
        for key, label in (('one_median_ms', 'create %d events one by one: median per event' % count),
                           ('batch_median_ms', 'create %d events in one call: per event' % count)):
            ratio = ours[key] / local[key] if local[key] > 0 else None
            self.rows.append(('1', label, 'HubSpot calendar: ' + ms(ours[key]),
                              'local calendar: ' + ms(local[key]), times(ratio), '≤ 1.5×',
                              verdict(ratio is not None and ratio <= 1.5)))
        self.sections.append('\n'.join([
            '### 1. Calendar responsiveness',
            '',
            'A client (`ECalClient`, as Evolution) creates %d events with `e_cal_client_create_object_sync` one at a '
            'time, then %d more with one `e_cal_client_create_objects_sync`, in a HubSpot calendar (token given, '
            'sending to the fast mock meanwhile) and in EDS\'s own local calendar ("On This Computer", '
            '`BackendName=local`), both loaded by the same `evolution-calendar-factory`. Fresh calendars each '
            'round, %d round(s), the calendar that goes first alternating. Four kinds of events in turn '
            '(timed in Europe/Paris with an alarm, all-day, UTC with an e-mail alarm and an attendee, timed in '
            'America/New_York).' % (count, count, data['rounds']),
            '',
            '| | HubSpot calendar | local calendar | ratio |',
            '|---|---|---|---|',
            '| one by one: median | %s | %s | %s |' % (ms(ours['one_median_ms']), ms(local['one_median_ms']),
                                                     times(ours['one_median_ms'] / local['one_median_ms'])),
            '| one by one: 90th percentile | %s | %s | %s |' % (ms(ours['one_p90_ms']), ms(local['one_p90_ms']),
                                                              times(ours['one_p90_ms'] / local['one_p90_ms'])),
            '| one by one: median of the first %d creates of each round (small calendar) | %s | %s | %s |' % (
                max(count // 10, 1), ms(ours['one_first_median_ms']), ms(local['one_first_median_ms']),
                times(ours['one_first_median_ms'] / local['one_first_median_ms'])),
            '| one by one: median of the last %d creates of each round (%d events in it) | %s | %s | %s |' % (
                max(count // 10, 1), count, ms(ours['one_last_median_ms']), ms(local['one_last_median_ms']),
                times(ours['one_last_median_ms'] / local['one_last_median_ms'])),
            '| one call: per event (median of rounds) | %s | %s | %s |' % (
                ms(ours['batch_median_ms']), ms(local['batch_median_ms']),
                times(ours['batch_median_ms'] / local['batch_median_ms'])),
            '| factory CPU per event, one by one (incl. background sync) | %s | %s | %s |' % (
                ms(ours['one_factory_cpu_ms']), ms(local['one_factory_cpu_ms']),
                times(ours['one_factory_cpu_ms'] / local['one_factory_cpu_ms'])
                if local['one_factory_cpu_ms'] > 0 else 'n/a'),
            '| factory CPU per event, one call (incl. background sync) | %s | %s | %s |' % (
                ms(ours['batch_factory_cpu_ms']), ms(local['batch_factory_cpu_ms']),
                times(ours['batch_factory_cpu_ms'] / local['batch_factory_cpu_ms'])
                if local['batch_factory_cpu_ms'] > 0 else 'n/a'),
        ]))

    # 2. ------------------------------------------------------------------
    def sync(self):
        if not self.wanted('sync'):
            return
        ours_runs = load_all(self.results, 'sync-ours-*.json')
        node_runs = load_all(self.results, 'sync-node-*.json')
        bare_runs = load_all(self.results, 'sync-bare-*.json')
        ceilings = load_all(self.results, 'sync-ceiling-*.json')
        if not ours_runs or self.failed('sync'):
            self.not_run('2', 'sync', 'Sync throughput')
            return
        count = ours_runs[0]['count']
        conc = ours_runs[0]['max_in_flight']
        ours = median([r['ids_s'] for r in ours_runs])
        node = median([r['seconds'] for r in node_runs])
        bare = median([r['seconds'] for r in bare_runs])
        incomplete = [r for r in ours_runs if not r.get('complete')]

        def rate(seconds):
            return '%.0f/s' % (count / seconds) if seconds else 'n/a'

        ours_text = '%s (%s)' % (sec(ours), rate(ours))
        if node:
            ratio = node / ours if ours else None
            self.rows.append(('2', 'sync %d meetings, %d in flight: throughput vs the official Node.js client'
                              % (count, conc), 'ours: ' + ours_text,
                              '@hubspot/api-client: %s (%s)' % (sec(node), rate(node)),
                              times(ratio) + ' throughput', '≥ 2×', verdict(ratio is not None and ratio >= 2)))
        else:
            self.rows.append(('2', 'sync: vs the official Node.js client', 'ours: ' + ours_text,
                              'not run (node/npm unavailable)', '', '≥ 2×', 'n/a'))
        ratio = ours / bare if ours and bare else None
        self.rows.append(('2', 'sync %d meetings, %d in flight: time vs a bare libsoup loop' % (count, conc),
                          'ours: ' + ours_text, 'bare loop: %s (%s)' % (sec(bare), rate(bare)),
                          times(ratio) + ' time', '≤ 1.3×', verdict(ratio is not None and ratio <= 1.3)))

        limited = sum(r.get('mock_rate_limited', 0) for r in ours_runs)
        lines = [
            '### 2. Sync throughput',
            '',
            'The same fast mock for everyone: no delay, and rate-limit headers that advertise 100,000 requests '
            'per second, so that our outbox\'s pacing (which follows HubSpot\'s headers) does not bind: the '
            'machinery is measured here, HubSpot\'s limit in benchmark 3 (%d × 429 in our runs). %d '
            'interleaved round(s) (ours, Node.js, bare), the mock reset before each. **Ours**: one '
            '`e_cal_client_create_objects_sync` with %d events into a fresh HubSpot calendar (`MaxInFlight` %d, '
            'its default), timed from the call until an `ECalClientView` has seen every event carry '
            '`X-HUBSPOT-MEETING-ID`; the factory was warmed up by 100 events first. **Node.js**: '
            '`@hubspot/api-client` %s, `apiRequest({method, path, body})` with `basePath` at the mock, %d '
            'requests in flight (its limiter and retries off, their default), each answer read as JSON; clock '
            'from the first request to the last answer, so its start-up is left out. **Bare loop**: libsoup 3 '
            'POSTing the same ready-made bodies, %d in flight, nothing else. All three send the bodies our '
            'mapping makes of the same events.' % (
                limited, len(ours_runs), count, conc,
                (node_runs[0].get('client_version') if node_runs else '?'), conc, conc),
            '',
            '| round | ours: creates returned | ours: mock had all | ours: all carry their id | Node.js | bare loop |',
            '|---|---|---|---|---|---|',
        ]
        for ii, run in enumerate(ours_runs):
            node_s = node_runs[ii]['seconds'] if ii < len(node_runs) else None
            bare_s = bare_runs[ii]['seconds'] if ii < len(bare_runs) else None
            lines.append('| %d | %s | %s | %s | %s | %s |' % (
                ii + 1, sec(run['created_s']), sec(run['mock_s']), sec(run['ids_s']), sec(node_s), sec(bare_s)))
        lines.append('| median | %s | %s | **%s** | **%s** | **%s** |' % (
            sec(median([r['created_s'] for r in ours_runs])), sec(median([r['mock_s'] for r in ours_runs])),
            sec(ours), sec(node), sec(bare)))
        cpu = median([r['factory_cpu_s'] * 1000 / count for r in ours_runs])
        lines += ['', 'Factory CPU per event during our runs (creates, mapping, sending, write-back): %s.' % ms(cpu)]
        if ceilings:
            rates = [c['count'] / c['seconds'] for c in ceilings] + ([count / bare] if bare else [])
            ceiling = max(rates)
            parts = ['%d in flight: %.0f requests/s (%d requests)' % (
                c['concurrency'], c['count'] / c['seconds'], c['count']) for c in ceilings]
            lines += ['', 'The mock\'s ceiling on this machine, measured with the bare loop at higher concurrency '
                      '(`wrk` and `ab` are not installed): %s; %d in flight: %s. So about %.0f requests/s; the bare '
                      'loop at %d in flight reaches %.0f%% of it (the mock has one thread and shares the two cores '
                      'with its client: the bare loop is this machine\'s floor). Our calendar runs at %.0f%% of '
                      'that ceiling and the Node.js client at %s: the mock does not limit either.' % (
                          '; '.join(parts), conc, rate(bare), ceiling, conc,
                          100 * count / bare / ceiling if bare else 0,
                          100 * count / ours / ceiling if ours else 0,
                          '%.0f%%' % (100 * count / node / ceiling) if node else 'n/a')]
        if incomplete:
            lines += ['', '**%d of our runs did not finish** within their time limit.' % len(incomplete)]
        self.sections.append('\n'.join(lines))

    # 3. ------------------------------------------------------------------
    def limit(self):
        if not self.wanted('limit'):
            return
        data = load(self.results, 'limit.json')
        if not data:
            self.not_run('3', 'limit', 'Under HubSpot\'s limit')
            return
        settings = self.settings
        count = data['count']
        floor = count / settings['rate_limit'] * settings['rate_window_ms'] / 1000
        limited = data['mock_rate_limited']
        synced = data.get('ids_seen', 0)
        if data['complete']:
            wall = data['ids_s']
            ratio = wall / floor
            ours = 'wall %s, %d × 429' % (sec(wall), limited)
            ok = ratio <= 1.1 and limited == 0
            ratio_text = times(ratio)
        else:
            waited = data['waited_s']
            ours = 'gave up after %s: %d of %d synced, %d × 429' % (sec(waited), synced, count, limited)
            ok = False
            ratio_text = '> %s' % times(waited / floor)
        self.rows.append(('3', '%d events, mock limited to %d requests / %d ms' % (
            count, settings['rate_limit'], settings['rate_window_ms']), ours,
            'floor: %s (%d / %d per %g s)' % (sec(floor), count, settings['rate_limit'],
                                              settings['rate_window_ms'] / 1000),
            ratio_text, '≤ 1.1× and 0 × 429', verdict(ok)))
        lines = [
            '### 3. Under HubSpot\'s limit',
            '',
            'The Professional limit (190 / 10 s) scaled down to %d requests per %d ms rolling window in the '
            'mock (`--rate-limit %d --rate-window-ms %d`); %d events created in one call in a fresh HubSpot '
            'calendar; time until all carry their meeting id. 429s counted by the mock (`/__mock/stats` '
            '`rate_limited`).' % (settings['rate_limit'], settings['rate_window_ms'], settings['rate_limit'],
                                  settings['rate_window_ms'], count),
            '',
            '| | |',
            '|---|---|',
            '| floor set by the limit | %s |' % sec(floor),
            '| events carrying their meeting id | %d of %d%s |' % (
                synced, count, '' if data['complete'] else ' (gave up at %s)' % sec(data['waited_s'])),
            '| creates the mock accepted | %d |' % data['mock_creates'],
            '| API requests answered 429 | %d |' % limited,
            '| API requests in all | %d |' % data['mock_requests'],
        ]
        if data['complete']:
            lines.append('| wall time, until all carry their id | %s (%s the floor) |' % (
                sec(data['ids_s']), times(data['ids_s'] / floor)))
        elif data['mock_creates'] > 0:
            rate = data['mock_creates'] / data['waited_s']
            lines.append('| achieved rate | %.1f creates/s of the %.0f/s allowed; at that rate %d events '
                         'take about %s (%s the floor) |' % (
                             rate, settings['rate_limit'] * 1000 / settings['rate_window_ms'], count,
                             sec(count / rate), times(count / rate / floor)))
        self.sections.append('\n'.join(lines))

    # 6. ------------------------------------------------------------------
    def push(self):
        if not self.wanted('push'):
            return
        ours = load(self.results, 'push-ours.json')
        if not ours:
            self.not_run('6', 'push', 'A push of a calendar')
            return
        node = load(self.results, 'push-node.json')
        settings = self.settings
        count = ours['count']
        per_s = settings['push_limit'] * 1000 / settings['push_window_ms']
        floor = count / per_s                       # one request per event
        requests = ours['mock_requests']
        per_event = requests / count
        bound = requests / per_s                    # what the limit allows for those requests
        # What the pacer (src/common/e-hubspot-pacer.c) allows itself: the
        # limit less 5% (at least one) at once, then each place again a
        # window and 30 ms after its answer (answers taken as instant).
        pacer_budget = settings['push_limit'] - max(1, settings['push_limit'] // 20)
        pacer_floor = max(0, requests - pacer_budget) / pacer_budget * (settings['push_window_ms'] + 30) / 1000
        if ours['complete']:
            wall = ours['ids_s']
            ours_text = '%.2f requests/event, wall %s (%s its requests\' bound), %d × 429' % (
                per_event, sec(wall), times(wall / bound), ours['mock_rate_limited'])
            ok = per_event <= 0.4 and wall / bound <= 1.1
        else:
            wall = ours['waited_s']
            ours_text = 'gave up after %s: %d of %d synced' % (sec(wall), ours.get('ids_seen', 0), count)
            ok = False
        if node and node.get('meetings') == node.get('meetings_wanted') and not node.get('errors'):
            peer = '@hubspot/api-client, batch create for ended meetings: %.2f requests/event, wall %s' % (
                node['requests'] / count, sec(node['seconds']))
            ratio = times(wall / node['seconds'])
        elif node:
            peer = '@hubspot/api-client: %d of %d meetings, %d errors (see push-node.log)' % (
                node.get('meetings', 0), node.get('meetings_wanted', 0), node.get('errors', 0))
            ratio = 'n/a'
        else:
            peer = 'Node.js peer not run'
            ratio = 'n/a'
        self.rows.append(('6', 'a push of %d events (%d meetings), mock limited to %d requests / %d ms' % (
            count, ours['meetings'], settings['push_limit'], settings['push_window_ms']), ours_text, peer, ratio,
            '≤ 0.4 requests/event, ≤ 1.1× the bound', verdict(ok)))
        lines = [
            '### 6. A push of a calendar',
            '',
            '%d events created in a fresh HubSpot calendar, 1,000 a call: seven in ten ended within the last '
            'month (HubSpot logs them: CRM create), two in ten single events next week, one in ten a daily '
            'series of three that began yesterday (its two occurrences that have not ended are sent); %d '
            'meetings in all. The mock enforces HubSpot\'s Professional limit, %d requests, over a window of '
            '%d ms%s. Time until every event carries its meeting id (a series: both occurrence '
            'marks). The peer sends the same meetings (`bench-eds bodies --mix`): the ended ones through the '
            'CRM\'s batch create, 100 a request, the others one by one through the scheduler\'s call, paced '
            'under the same limit, %d in flight. The events are made before the clock starts.' % (
                count, ours['meetings'], settings['push_limit'], settings['push_window_ms'],
                ' (HubSpot\'s own)' if settings['push_window_ms'] == 10000 else ' instead of 10 s',
                ours.get('max_in_flight', 0)),
            '',
            '| | ours | peer |',
            '|---|---|---|',
            '| API requests | %d | %s |' % (requests, node['requests'] if node else 'n/a'),
            '| requests per event | %.3f | %s |' % (per_event, '%.3f' % (node['requests'] / count) if node else 'n/a'),
            '| wall time | %s | %s |' % (sec(wall) + ('' if ours['complete'] else ' (gave up)'),
                                        sec(node['seconds']) if node else 'n/a'),
            '| the limit\'s bound for those requests | %s | %s |' % (
                sec(bound), sec(node['requests'] / per_s) if node else 'n/a'),
            '| our pacer\'s own floor for those requests (5%% of the limit left to other users of the account; '
            'a place held from sending until one window and 30 ms after its answer, answers taken as instant) '
            '| %s | |' % sec(pacer_floor),
            '| the client\'s calls returned after | %s | |' % sec(ours['created_s']),
            '| the mock had every meeting after | %s | |' % (sec(ours['mock_s']) if ours.get('mock_s', -1) >= 0 else 'n/a'),
            '| one request per event would take at least | %s | |' % sec(floor),
            '| answered 429 | %d | %s |' % (ours['mock_rate_limited'], node['rate_limited'] if node else 'n/a'),
            '| factory CPU | %s | |' % sec(ours['factory_cpu_s']),
        ]
        self.sections.append('\n'.join(lines))

    # 4. ------------------------------------------------------------------
    def cost(self):
        if not self.wanted('cost'):
            return
        files = load(self.results, 'cost-files.json')
        generated = load(self.results, 'cost-generated.json')
        if not files:
            self.not_run('4', 'cost', 'Cost per event')
            return
        pe = files['per_event']
        steps = [pe['build'], pe['parse'], pe['apply']]
        total = sum(steps) if None not in steps else None
        self.rows.append(('4', 'CPU instructions per event: map + parse answer + apply answer (callgrind)',
                          '%s (%s + %s + %s)' % (kinstr(total), kinstr(pe['build']), kinstr(pe['parse']),
                                                kinstr(pe['apply'])),
                          '', '', '< 150,000', verdict(total is not None and total < 150000)))
        lines = [
            '### 4. Cost per event',
            '',
            'Instructions counted by valgrind\'s callgrind (stable on a busy machine), inclusive of everything '
            'each function calls, in `bench-cost`, which maps every VEVENT of `tests/data/ics/` (%d VEVENTs, '
            '%d of which map; the others are refused) and applies a mock-like answer to each. The harness is '
            'left out: counts are the functions\' own inclusive counts, and the run with %d passes is '
            'subtracted from the run with %d, so that one-time work (loading zones, first allocations) is out '
            'too: steady state, as in a running factory.' % (
                files['events'], files['mapped'], files['passes'][0], files['passes'][1]),
            '',
            '| step | `tests/data/ics/` events | typical events (as the other benchmarks create) |',
            '|---|---|---|',
        ]
        gpe = generated['per_event'] if generated else {}
        names = [('build', '`e_hubspot_mapping_build_meeting` (event → request)'),
                 ('parse', '`e_hubspot_mapping_parse_meeting_response`'),
                 ('apply', '`e_hubspot_mapping_apply_result` (answer → event)')]
        for key, label in names:
            lines.append('| %s | %s | %s |' % (label, kinstr(pe[key]), kinstr(gpe.get(key))))
        gsteps = [gpe.get(k) for k in ('build', 'parse', 'apply')]
        lines.append('| **all three** | **%s** | **%s** |' % (
            kinstr(total), kinstr(sum(gsteps)) if None not in gsteps and gsteps else 'n/a'))
        lines.append('| for information: request to JSON text (`json_to_string`) | %s | %s |' % (
            kinstr(pe['to_text']), kinstr(gpe.get('to_text'))))
        lines.append('| for information: answer from JSON text (`json_from_string`) | %s | %s |' % (
            kinstr(pe['from_text']), kinstr(gpe.get('from_text'))))
        lines += ['', 'With one-time work included (one run, averaged over its calls), the mapping step costs '
                  '%s instructions per event on `tests/data/ics/`.' % kinstr(files['single_run_per_event_build'])]
        self.sections.append('\n'.join(lines))

    # 5. ------------------------------------------------------------------
    def memory(self):
        if self.wanted('memory'):
            ours = load(self.results, 'memory-hubspot.json')
            local = load(self.results, 'memory-local.json')
            if not ours:
                self.not_run('5', 'memory-hubspot', 'Memory')
            else:
                count = ours['count']
                growth = ours['factory_rss_after_kib'] - ours['factory_rss_before_kib']
                local_growth = (local['factory_rss_after_kib'] - local['factory_rss_before_kib']) if local else None
                self.rows.append((
                    '5', 'factory resident memory around %d events (synced)' % count,
                    'HubSpot: %s → %s (+%s, %.1f KiB/event)' % (
                        mib(ours['factory_rss_before_kib']), mib(ours['factory_rss_after_kib']), mib(growth),
                        growth / count),
                    ('local: %s → %s (+%s)' % (mib(local['factory_rss_before_kib']),
                                               mib(local['factory_rss_after_kib']), mib(local_growth)))
                    if local else 'n/a',
                    times(growth / local_growth) + ' growth' if local_growth and local_growth > 0 else 'n/a',
                    'none set', 'n/a'))
                lines = [
                    '### 5. Memory',
                    '',
                    'A fresh session each: `evolution-calendar-factory` VmRSS (from `/proc`) once the calendar is '
                    'open, then after %d events created (1,000 per call) and, for HubSpot, synced to the fast '
                    'mock (all carry their id), an `ECalClientView` open throughout.' % count,
                    '',
                    '| | HubSpot calendar | local calendar |',
                    '|---|---|---|',
                    '| RSS before | %s | %s |' % (mib(ours['factory_rss_before_kib']),
                                                 mib(local['factory_rss_before_kib']) if local else 'n/a'),
                    '| RSS after | %s | %s |' % (mib(ours['factory_rss_after_kib']),
                                                mib(local['factory_rss_after_kib']) if local else 'n/a'),
                    '| peak (VmHWM) | %s | %s |' % (mib(ours['factory_hwm_kib']),
                                                   mib(local['factory_hwm_kib']) if local else 'n/a'),
                    '| creates took | %s | %s |' % (sec(ours['created_s']), sec(local['created_s']) if local else 'n/a'),
                    '| all carry their meeting id at | %s | |' % sec(ours['ids_s']),
                    '| factory CPU | %s | %s |' % (sec(ours['factory_cpu_s']),
                                                  sec(local['factory_cpu_s']) if local else 'n/a'),
                ]
                self.sections.append('\n'.join(lines))
        if self.wanted('memcheck'):
            data = load(self.results, 'memcheck.json')
            if not data:
                self.not_run('5', 'memcheck-session', 'memcheck of the factory')
                return
            settings = self.settings
            self.rows.append((
                '5', 'memcheck of the factory, %d events: "definitely lost" from our code'
                % settings['memcheck_count'],
                '%d bytes in %d record(s)' % (data['ours_bytes'], data['ours_records']),
                'all code: %d bytes in %d record(s)' % (data['definitely_lost_bytes'],
                                                       data['definitely_lost_records']),
                '', '0 bytes', verdict(data['complete'] and data['ours_bytes'] == 0)))
            lines = [
                '### 5b. memcheck',
                '',
                '`valgrind --leak-check=full` on `evolution-calendar-factory -r`, started in the sandbox before '
                'any client (`G_SLICE=always-malloc`), %d events created in a HubSpot calendar and synced, then '
                'SIGTERM. A record is ours when a frame of its stack is in our module or one of our functions '
                '(`ecb_hubspot_`, `e_hubspot_`, `outbox_`, `hubspot_`...). Leak summary: %s.' % (
                    settings['memcheck_count'],
                    ', '.join('%s %s bytes' % (k.replace('_', ' '), '{:,}'.format(v))
                              for k, v in data['summary'].items()) or 'not written (the factory did not end)'),
            ]
            if data['ours']:
                lines += ['', '| bytes | blocks | first frame of ours | allocated by |', '|---|---|---|---|']
                for record in data['ours']:
                    lines.append('| %d | %d | `%s` | %s |' % (record['bytes'], record['blocks'], record['first_frame'],
                                                          ' ← '.join('`%s`' % f for f in record['allocated_by'])))
            self.sections.append('\n'.join(lines))

    def write(self, output):
        m = self.machine
        s = self.settings
        head = [
            '# Benchmarks',
            '',
            'Written by `bench/run`%s (see `bench/README.md`); do not edit by hand. Every figure below comes '
            'from that one run, ours and the peers\' side by side on the same machine: compare ratios, not '
            'absolute times, which drift on a shared machine.' % (' --quick' if s.get('quick') else ''),
            '',
            '| | |',
            '|---|---|',
            '| date | %s |' % m.get('date'),
            '| commit | `%s` |' % m.get('commit'),
            '| machine | %s CPU(s), %s, %s GiB memory, Linux %s; load before the run %s |' % (
                m.get('nproc'), m.get('cpu'), m.get('memory_gib'), m.get('kernel'),
                ' / '.join(str(x) for x in m.get('load_before', []))),
            '| software | EDS %s, libsoup %s, GLib %s, Node.js %s, %s, %s |' % (
                m.get('eds'), m.get('libsoup'), m.get('glib'), m.get('node'), m.get('valgrind'), m.get('compiler')),
            '| build | `_build-bench/`, meson `-Dbuildtype=release` (-O3, with -g for valgrind\'s stacks) |',
            '| the run took | %s |' % ('%d min %02d s, build included' % divmod(self.duration, 60)
                                      if self.duration is not None else 'n/a'),
            '',
            '## Results',
            '',
            '| # | what | ours | peer | ratio | target | met |',
            '|---|---|---|---|---|---|---|',
        ]
        for row in self.rows:
            head.append('| ' + ' | '.join(row) + ' |')
        body = ['', '## Details', '']
        for section in self.sections:
            body += [section, '']
        body += [
            '## Reproducing',
            '',
            '`bench/run` (under ten minutes; `bench/run --quick` for a smoke run). It builds in `_build-bench/`, '
            'keeps every raw figure, log, callgrind profile and the memcheck log in `_build-bench/results/`, and '
            'rewrites this file.',
            '',
        ]
        with open(output, 'w') as f:
            f.write('\n'.join(head + body))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    report = Report(argv[1])
    report.respond()
    report.sync()
    report.limit()
    report.cost()
    report.memory()
    report.push()
    report.write(argv[2])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
