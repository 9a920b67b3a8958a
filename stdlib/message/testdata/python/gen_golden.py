# SPDX-License-Identifier: AGPL-3.0-or-later
"""Record Python IntelMQ's behaviour on wire messages as golden data.

Run from this directory with an IntelMQ source checkout on the path:

    PYTHONPATH=/path/to/intelmq python3 gen_golden.py > golden.json

Modules IntelMQ imports but never uses for messages (dnspython, ruamel.yaml,
termstyle) are replaced by empty stand-ins when missing. For every input the
file records what intelmq.lib.message does: the exception class, or the
serialized wire bytes, the keys in order, hash() with and without filters,
to_json() in every variant, msg['extra'] and the result of reading the
wire bytes again.
"""
import base64
import json
import os
import sys
import types


def stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


try:
    import dns.resolver  # noqa: F401
except ImportError:
    stub('dns', version=stub('dns.version', version='0'),
         resolver=stub('dns.resolver', Answer=object))
try:
    import ruamel.yaml  # noqa: F401
except ImportError:
    stub('ruamel', yaml=stub('ruamel.yaml', YAML=object,
                             scanner=stub('ruamel.yaml.scanner', ScannerError=Exception)))
try:
    import termstyle  # noqa: F401
except ImportError:
    stub('termstyle', red=str)

import intelmq.lib.message as message  # noqa: E402
import intelmq.lib.exceptions as exceptions  # noqa: E402

HARM = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   '../../../harmonization/harmonization.conf')))

T = '"time.observation": "2020-01-01T00:00:00+00:00"'
CASES = [
    # name, wire input (str or bytes)
    ('simple', '{"feed.name": "Test Feed", ' + T + ', "source.ip": "192.0.2.1", "__type": "Event"}'),
    ('type-first-no-spaces', '{"__type":"Event","comment":"x","feed.name":"y"}'),
    ('report', '{"__type": "Report", "raw": "Cg==", "feed.name": "Test Feed", ' + T + '}'),
    ('whitespace', ' \n{ "feed.name" :\t"a" ,\r\n "__type" : "Event" }\n '),
    ('unicode-raw', '{"comment": "ünïcödé – 😀 \u2028 \x7f end", "__type": "Event"}'),
    ('unicode-escaped', r'{"comment": "\u00fcn\u00efc\u00f6d\u00e9 \u2013 \ud83d\ude00 \u2028 \u007f end", "__type": "Event"}'),
    ('escapes', r'{"comment": "q\"b\\s\/n\nr\rt\tb\bf\fc\u0001\u001f", "__type": "Event"}'),
    ('lone-surrogates', r'{"comment": "a\ud800b\udc00c\ud800", "__type": "Event"}'),
    ('repr-quotes-double', '{"comment": "it\'s", "__type": "Event"}'),
    ('repr-quotes-both', '{"comment": "it\'s \\"x\\"", "__type": "Event"}'),
    ('repr-nonprintable', r'{"comment": "a\u00a0b\u00adc\u200bd\ue000e\udb40\udc01f\u0085g\u0378h\u3000", "__type": "Event"}'),
    ('extra-scalars', '{"extra.i": 5, "extra.neg": -3, "extra.zero": -0, "extra.big": 123456789012345678901234567890, '
     '"extra.t": true, "extra.f": false, "extra.s": "x", "__type": "Event"}'),
    ('extra-floats', '{"extra.a": 100.0, "extra.b": 1e5, "extra.c": 1E-7, "extra.d": 0.1, "extra.e": 1e16, '
     '"extra.f": 9999999999999998.0, "extra.g": 123456789.125, "extra.h": -0.0, "extra.i": 5e-324, '
     '"extra.j": 0.0001, "extra.k": 1.5e300, "extra.l": 1e400, "__type": "Event"}'),
    ('extra-nonfinite', '{"extra.nan": NaN, "extra.inf": Infinity, "extra.ninf": -Infinity, "__type": "Event"}'),
    ('extra-nested', '{"extra.o": {"b": 1, "a": {"\u00fc": [1, 2.50, true, null, "x"]}, "b": 2}, '
     '"extra.l": [ ], "extra.e": {}, "extra.w": [1,{"z":"\\u00e9","y":[]}], "__type": "Event"}'),
    ('extra-as-string', '{"feed.name": "n", "extra": "{\\"b\\": 1, \\"a\\": null, \\"c\\": \\"\\", \\"d\\": \\"-\\", '
     '\\"n\\": {\\"y\\": 1, \\"x\\": [1, {}]}, \\"dot.ted\\": 2}", "__type": "Event"}'),
    ('extra-as-string-bad-member', '{"extra": "{\\"Foo\\": 1}", "__type": "Event"}'),
    ('duplicate-keys', '{"feed.name": "a", "comment": "c", "feed.name": "b", "__type": "Report", "__type": "Event"}'),
    ('ignored-values', '{"feed.name": "", "comment": "-", "source.account": "N/A", "status": null, '
     '"no.such.key": "", "extra.x": "", "feed.code": "ok", "__type": "Event"}'),
    ('hierarchical-quirk', '{"extra.a.a": 1, "extra.b.c": 2, "extra.b.d": 3, "__type": "Event"}'),
    ('hash-order', '{"source.account": "z", "comment": "y", "extra.b": 1, "extra.a": 2, ' + T + ', "__type": "Event"}'),
    ('typed-valid', '{"source.port": 443, "feed.accuracy": 100.0, "source.tor_node": false, "source.asn": 64496, '
     '"source.geolocation.latitude": 48, "destination.geolocation.longitude": -16.5, "rtir_id": 7, '
     '"classification.type": "c2-server", "output": "{\\"a\\": 1}", "__type": "Event"}'),
    ('typed-sanitized-on-read', '{"source.port": "443", "classification.type": "C&C", "time.source": "2020-01-01 10:00", '
     '"extra": {"b": 1, "a": 2}, "feed.accuracy": 100, "source.tor_node": "true", "source.ip": "192.0.2.1/32", '
     '"output": {"z": 1, "a": [1]}, "__type": "Event"}'),
    # errors
    ('err-typed', '{"source.port": "http", "__type": "Event"}'),
    ('err-asn-range', '{"source.asn": 4294967296, "__type": "Event"}'),
    ('err-unknown-key', '{"source.foo": "x", "__type": "Event"}'),
    ('err-uppercase-extra', '{"extra.Foo": 1, "__type": "Event"}'),
    ('err-too-long', '{"feed.code": "' + 'x' * 101 + '", "__type": "Event"}'),
    ('err-regex', '{"malware.hash.md5": "\u00e9", "__type": "Event"}'),
    ('err-no-type', '{"feed.name": "x"}'),
    ('err-bad-type', '{"feed.name": "x", "__type": "Message"}'),
    ('err-bad-json', '{"feed.name": "x", "__type": "Event"'),
    ('err-trailing-comma', '{"feed.name": "x", "__type": "Event",}'),
    ('err-extra-data', '{"__type": "Event"} {}'),
    ('err-control-char', '{"comment": "a\tb", "__type": "Event"}'),
    ('err-bad-escape', r'{"comment": "a\xb", "__type": "Event"}'),
    ('err-array', '["__type"]'),
    ('err-invalid-utf8', b'{"comment": "\xff", "__type": "Event"}'),
    ('err-extra-exists', '{"extra.a": 1, "extra": "{\\"a\\": 2}", "__type": "Event"}'),
    ('err-report-key', '{"source.ip": "192.0.2.1", "__type": "Report"}'),
]


def error_name(exc):
    if isinstance(exc, exceptions.InvalidKey):
        return 'InvalidKey'
    if isinstance(exc, exceptions.InvalidValue):
        return 'InvalidValue'
    if isinstance(exc, exceptions.KeyExists):
        return 'KeyExists'
    if isinstance(exc, exceptions.KeyNotExists):
        return 'KeyNotExists'
    return 'Decode'


def escape_surrogates(text):
    # A lone surrogate cannot be written as UTF-8 (Python itself fails to write
    # such to_json output to a file); the Go port writes it as a \\uXXXX escape.
    return ''.join('\\u%04x' % ord(c) if 0xD800 <= ord(c) < 0xE000 else c for c in text)


def record(name, wire):
    data = wire if isinstance(wire, bytes) else wire.encode('utf-8')
    out = {'name': name, 'input_b64': base64.b64encode(data).decode()}
    try:
        msg = message.MessageFactory.unserialize(data, harmonization=HARM)
    except Exception as exc:  # noqa: BLE001 - the class is what we record
        out['error'] = error_name(exc)
        out['python_exception'] = type(exc).__name__
        return out
    out['type'] = type(msg).__name__
    out['keys'] = list(msg.keys())
    out['wire'] = msg.serialize()
    out['hash'] = msg.hash()
    out['hash_blacklist'] = msg.hash(filter_keys={'comment', 'extra.b'})
    out['hash_whitelist'] = msg.hash(filter_keys={'comment', 'extra.b', 'time.observation'},
                                     filter_type='whitelist')
    out['json'] = msg.to_json()
    out['json_hierarchical'] = msg.to_json(hierarchical=True)
    out['json_with_type'] = msg.to_json(with_type=True)
    out['json_hierarchical_with_type'] = msg.to_json(hierarchical=True, with_type=True)
    out['json_dict_as_string'] = json.dumps(msg.to_dict(jsondict_as_string=True),
                                            ensure_ascii=False, sort_keys=True)
    for key in ('json', 'json_hierarchical', 'json_with_type', 'json_hierarchical_with_type',
                'json_dict_as_string'):
        out[key] = escape_surrogates(out[key])
    if 'extra' in msg:
        out['extra'] = msg['extra']
    # What the next bot reads from these wire bytes.
    try:
        out['rewire'] = message.MessageFactory.unserialize(out['wire'], harmonization=HARM).serialize()
    except Exception as exc:  # noqa: BLE001
        out['rewire_error'] = error_name(exc)
    return out


if __name__ == '__main__':
    json.dump([record(n, w) for n, w in CASES], sys.stdout, indent=1, ensure_ascii=True)
    print()
