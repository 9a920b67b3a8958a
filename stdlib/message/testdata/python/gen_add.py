# SPDX-License-Identifier: AGPL-3.0-or-later
"""Record Python IntelMQ's add/change/update/delete on typed fields.

Run from this directory with an IntelMQ source checkout on the path:

    PYTHONPATH=/path/to/intelmq python3 gen_add.py > golden_add.json

Each sequence starts from an empty Event (or Report) and applies its
operations with intelmq.lib.message; for every operation the file records
the return value (true, false, null) or the exception class, and at the end
the wire bytes, the hash and to_json(). Values are JSON, so dicts and lists
are passed to add as Python dicts and lists.
"""
import json
import sys

import gen_golden  # installs the module stand-ins  # isort: skip
import intelmq.lib.message as message  # noqa: E402

HARM = gen_golden.HARM

SEQUENCES = [
    ('sanitize typed values', 'Event', [
        ['add', 'source.ip', ' 192.0.2.1 '],
        ['add', 'destination.ip', '2001:DB8::0001'],
        ['add', 'source.network', '10.0.0.1/8'],
        ['add', 'source.port', '443'],
        ['add', 'destination.port', 80.9],
        ['add', 'source.asn', 'AS64496'],
        ['add', 'feed.accuracy', 50],
        ['add', 'classification.type', 'C&C'],
        ['add', 'classification.taxonomy', 'Malicious Code'],
        ['add', 'time.source', '2020-01-01 10:00:00'],
        ['add', 'time.observation', '2020-01-01T12:00:00+02:00'],
        ['add', 'source.fqdn', 'Example.COM.'],
        ['add', 'source.url', 'hxxp://example.com/x'],
        ['add', 'source.tor_node', 'true'],
        ['add', 'destination.tor_node', 0],
        ['add', 'tlp', 'tlp:amber'],
        ['add', 'raw', 'hello'],
        ['add', 'protocol.transport', 'TCP'],
        ['add', 'source.geolocation.cc', 'de'],
        ['add', 'source.geolocation.latitude', '48.2'],
        ['add', 'source.registry', 'ripencc'],
        ['add', 'malware.name', 'Zeus'],
        ['add', 'event_hash', 'abc123'],
        ['add', 'rtir_id', True],
        ['add', 'extra', {'b': 1, 'a': 'x', 'n': {'z': 1, 'y': [True, None]}}],
        ['add', 'output', {'b': [1, 2.5], 'a': 'é'}],
    ]),
    ('no sanitize, valid as is', 'Event', [
        ['add', 'source.port', 443, {'sanitize': False}],
        ['add', 'feed.accuracy', 100.0, {'sanitize': False}],
        ['add', 'source.tor_node', False, {'sanitize': False}],
        ['add', 'source.geolocation.longitude', 16, {'sanitize': False}],
        ['add', 'time.source', '2020-01-01T10:00:00.5+00:00', {'sanitize': False}],
        ['add', 'destination.asn', 4294967295, {'sanitize': False}],
        ['add', 'extra', '{"x": 1, "Y": 2}', {'sanitize': False}],
    ]),
    ('invalid values', 'Event', [
        ['add', 'source.ip', '0.0.0.0'],
        ['add', 'source.ip', 'not an ip'],
        ['add', 'source.port', '12.5'],
        ['add', 'source.port', 123456],
        ['add', 'source.asn', 0],
        ['add', 'source.tor_node', 'yes'],
        ['add', 'source.port', '443', {'sanitize': False}],
        ['add', 'source.tor_node', 'true', {'sanitize': False}],
        ['add', 'classification.type', 'no-such-type'],
        ['add', 'tlp', 'CLEAR'],
        ['add', 'time.source', '1580000000'],
        ['add', 'source.url', 'example.com/x'],
        ['add', 'source.ip', 'not an ip', {'raise_failure': False}],
        ['add', 'extra', '[1, 2]'],
        ['add', 'extra', '{}'],
        ['add', 'feed.name', '  '],
    ]),
    ('overwrite and ignore', 'Event', [
        ['add', 'source.port', 80],
        ['add', 'source.port', 443],
        ['add', 'source.port', 443, {'overwrite': False}],
        ['add', 'source.port', '8080', {'overwrite': True}],
        ['add', 'source.port', 'N/A', {'overwrite': True}],
        ['add', 'source.port', 0, {'ignore': [0]}],
        ['add', 'source.port', 1, {'ignore': [True]}],
        ['add', 'source.port', 0],
        ['add', 'source.ip', '-', {'overwrite': False}],
        ['add', 'extra.a', 1],
        ['add', 'extra', {'b': 2}],
        ['add', 'extra', {'b': 2}, {'overwrite': True}],
        ['change', 'source.ip', '192.0.2.1'],
        ['change', 'source.port', '22'],
        ['delete', 'extra'],
        ['add', 'comment', 5],
    ]),
    ('update', 'Event', [
        ['add', 'source.port', 80],
        ['add', 'comment', 'c'],
        ['update', {'source.port': '443', 'source.ip': '192.0.2.1', 'extra.x': '', 'comment': '-'}],
        ['update', {'classification.type': 'C&C', 'source.asn': 'AS1'}],
        ['update', {'source.port': 'bad'}],
    ]),
    ('report fields', 'Report', [
        ['add', 'feed.accuracy', '90'],
        ['add', 'raw', 'a,b\n'],
        ['add', 'source.ip', '192.0.2.1'],
        ['add', 'rtir_id', '7'],
        ['add', 'feed.url', ' https://example.com/ '],
    ]),
]


def apply(msg, op):
    if op[0] == 'add':
        return msg.add(op[1], op[2], **(op[3] if len(op) > 3 else {}))
    if op[0] == 'change':
        return msg.change(op[1], op[2])
    if op[0] == 'delete':
        del msg[op[1]]
        return None
    if op[0] == 'update':
        return msg.update(op[1])
    raise ValueError(op[0])


def main():
    out = []
    for name, typ, ops in SEQUENCES:
        msg = getattr(message, typ)(harmonization=HARM, auto=True)
        results = []
        for op in ops:
            try:
                results.append({'result': apply(msg, op)})
            except Exception as exc:  # noqa: BLE001
                results.append({'error': gen_golden.error_name(exc), 'python_exception': type(exc).__name__})
        out.append({'name': name, 'type': typ, 'ops': ops, 'results': results,
                    'wire': msg.serialize(), 'hash': msg.hash(), 'json': msg.to_json()})
    json.dump(out, sys.stdout, indent=1)
    print()


main()
