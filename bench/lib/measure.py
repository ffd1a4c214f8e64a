#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Small helpers of bench/run:

  measure.py machine TOP OUT.json          the machine, the date, the commit, versions
  measure.py mock-reset URL                POST /__mock/reset on the mock
  measure.py callgrind OUT.json N:CALLGRIND.OUT:COUNTS.json 2N:CALLGRIND.OUT:COUNTS.json
                                           instructions per event of the mapping steps
  measure.py memcheck LOG MODULE OUT.json  "definitely lost" records, and those of our code
"""
import json
import os
import platform
import re
import subprocess
import sys
import urllib.request
from datetime import datetime, timezone


def run(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine(top, out):
    cpu = None
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    mem_kib = None
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemTotal:'):
                mem_kib = int(line.split()[1])
    commit = run(['git', 'rev-parse', '--short', 'HEAD'], cwd=top) or 'unknown'
    # Changes to tracked files make the tree dirty (git describe --dirty's rule).
    if run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=top):
        commit += '+dirty'
    load = os.getloadavg()
    info = {
        'nproc': len(os.sched_getaffinity(0)),
        'cpu': cpu,
        'memory_gib': round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
        'kernel': platform.release(),
        'date': datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'commit': commit,
        'load_before': [round(x, 2) for x in load],
        'eds': run(['pkg-config', '--modversion', 'libedata-cal-2.0']),
        'libsoup': run(['pkg-config', '--modversion', 'libsoup-3.0']),
        'glib': run(['pkg-config', '--modversion', 'glib-2.0']),
        'node': run(['node', '--version']),
        'valgrind': run(['valgrind', '--version']),
        'compiler': (run(['cc', '--version']) or '').splitlines()[0] if run(['cc', '--version']) else None,
    }
    with open(out, 'w') as f:
        json.dump(info, f, indent=2)


def mock_reset(url):
    request = urllib.request.Request(url + '/__mock/reset', data=b'', method='POST')
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


FUNCTIONS = {
    'build': 'e_hubspot_mapping_build_meeting',
    'parse': 'e_hubspot_mapping_parse_meeting_response',
    'apply': 'e_hubspot_mapping_apply_result',
    'to_text': 'cost_request_to_text',
    'from_text': 'cost_response_from_text',
}


def inclusive_counts(callgrind_out):
    """Inclusive Ir of each function of FUNCTIONS, from callgrind_annotate."""
    text = run(['callgrind_annotate', '--inclusive=yes', '--threshold=100', callgrind_out])
    if text is None:
        raise SystemExit('measure.py: callgrind_annotate failed on ' + callgrind_out)
    counts = {}
    line_re = re.compile(r'^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$')
    for line in text.splitlines():
        match = line_re.match(line)
        if not match:
            continue
        where = match.group(2)
        # "file:function [object]": the entry with the object is the function's own.
        if not where.endswith(']'):
            continue
        function = where.rsplit(' [', 1)[0].rsplit(':', 1)[-1]
        for key, name in FUNCTIONS.items():
            if function == name:
                counts[key] = max(counts.get(key, 0), int(match.group(1).replace(',', '')))
    return counts


def callgrind(out, runs):
    """runs: "N:callgrind.out:bench-cost.json" for N and 2N passes; the
    difference leaves out one-time work (zone loading, first allocations)."""
    measured = []
    for spec in runs:
        passes, cg_file, counts_file = spec.split(':', 2)
        with open(counts_file) as f:
            meta = json.load(f)
        measured.append((int(passes), inclusive_counts(cg_file), meta))
    measured.sort(key=lambda item: item[0])
    (n1, c1, m1), (n2, c2, m2) = measured[0], measured[-1]
    per_event = {}
    for key in FUNCTIONS:
        if key not in c1 or key not in c2:
            per_event[key] = None
            continue
        calls = (m2['build_calls'] - m1['build_calls']) if key == 'build' else (m2['built'] - m1['built'])
        per_event[key] = (c2[key] - c1[key]) / calls if calls > 0 else None
    result = {
        'benchmark': 'cost',
        'events': m1['events'],
        'mapped': m1['built'] // max(m1['iterations'], 1),
        'passes': [n1, n2],
        'per_event': per_event,
        'single_run_per_event_build': c2.get('build', 0) / max(m2['build_calls'] + m2['events'], 1),
    }
    with open(out, 'w') as f:
        json.dump(result, f, indent=2)


OUR_PREFIXES = ('ecb_hubspot_', 'e_hubspot_', 'outbox_', 'hubspot_', 'e_cal_backend_hubspot', 'e_source_hubspot')
# With debug information valgrind names the source file, not the object.
OUR_FILES = re.compile(r'^(e-cal-backend-hubspot|e-hubspot-|e-source-hubspot)[\w.-]*\.c:\d+$')


def memcheck(log, module, out):
    record_re = re.compile(r'==\d+== ([\d,]+)(?: \(([\d,]+) direct, ([\d,]+) indirect\))? bytes in ([\d,]+) blocks '
                           r'are definitely lost in loss record')
    frame_re = re.compile(r'==\d+==\s+(?:at|by) 0x[0-9A-Fa-f]+: (.*?) \((.*)\)$')
    records = []
    current = None
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            match = record_re.match(line)
            if match:
                current = {'bytes': int(match.group(1).replace(',', '')),
                           'blocks': int(match.group(4).replace(',', '')), 'frames': []}
                records.append(current)
                continue
            if current is None:
                continue
            frame = frame_re.match(line)
            if frame:
                current['frames'].append({'function': frame.group(1), 'where': frame.group(2)})
            else:
                current = None

    def ours(record):
        for frame in record['frames']:
            if (frame['function'].startswith(OUR_PREFIXES) or module in frame['where'] or
                    OUR_FILES.match(frame['where'])):
                return frame
        return None

    our_records = []
    for record in records:
        frame = ours(record)
        if frame:
            our_records.append({'bytes': record['bytes'], 'blocks': record['blocks'],
                                'first_frame': '%s (%s)' % (frame['function'], frame['where']),
                                'allocated_by': [fr['function'] for fr in record['frames'][:6]]})
    summary = {}
    with open(log, errors='replace') as f:
        text = f.read()
    for match in re.finditer(r'(definitely lost|indirectly lost|possibly lost|still reachable): ([\d,]+) bytes', text):
        summary[match.group(1).replace(' ', '_')] = int(match.group(2).replace(',', ''))
    result = {
        'benchmark': 'memcheck',
        # valgrind writes the leak report only when the process has ended.
        'complete': 'LEAK SUMMARY' in text or 'All heap blocks were freed' in text,
        'summary': summary,
        'definitely_lost_records': len(records),
        'definitely_lost_bytes': sum(r['bytes'] for r in records),
        'ours_records': len(our_records),
        'ours_bytes': sum(r['bytes'] for r in our_records),
        'ours': sorted(our_records, key=lambda r: -r['bytes'])[:5],
    }
    with open(out, 'w') as f:
        json.dump(result, f, indent=2)


def main(argv):
    if len(argv) >= 3 and argv[1] == 'machine':
        machine(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == 'mock-reset':
        mock_reset(argv[2])
    elif len(argv) >= 5 and argv[1] == 'callgrind':
        callgrind(argv[2], argv[3:])
    elif len(argv) == 5 and argv[1] == 'memcheck':
        memcheck(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
