# SPDX-License-Identifier: AGPL-3.0-or-later
"""Record IntelMQ's harmonization behaviour as test data for the Go port.

Usage (Python 3.11, python-dateutil installed):

    INTELMQ_SRC=/path/to/intelmq/checkout python3 gen.py > cases.jsonl

For every (type, input value) case below, the output line holds what
IntelMQ's type class returns: is_valid(value) without sanitizing, sanitize(value),
and is_valid of the sanitized value. "raise" marks an uncaught exception.
Values are tagged with their Python type: {"k": "str"|"int"|"float"|"bool"|
"none"|"json", "v": ...}; "json" holds the JSON text of a dict or list.

The random cases use a fixed seed, so the output is reproducible. The
intelmq package is imported without its optional dependencies (dns, redis,
ruamel, requests), which the harmonization module does not need for these
functions.
"""
import datetime
import importlib.abc
import importlib.machinery
import json
import math
import os
import random
import sys
import types


class _Stub(types.ModuleType):
    __path__ = []

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        if name[0].islower():
            return _Stub(self.__name__ + '.' + name)
        return type(name, (Exception,), {})


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    STUBBED = ('dns', 'ruamel', 'requests', 'redis', 'psutil', 'termstyle', 'pkg_resources', 'urllib3')

    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in self.STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _StubFinder())
sys.path.insert(0, os.environ['INTELMQ_SRC'])
import intelmq.lib.harmonization as harm  # noqa: E402
import dateutil.parser._parser as dateutil_parser  # noqa: E402


class _FrozenDatetime(datetime.datetime):
    """dateutil fills missing date parts from now(); freeze it for reproducible output."""

    @classmethod
    def now(cls, tz=None):
        return cls(2024, 9, 16, 12, 0, 0, tzinfo=tz)


_frozen_module = types.ModuleType('datetime')
_frozen_module.__dict__.update(datetime.__dict__)
_frozen_module.datetime = _FrozenDatetime
dateutil_parser.datetime = _frozen_module


def tag(v):
    if v is None:
        return {'k': 'none'}
    if isinstance(v, bool):
        return {'k': 'bool', 'v': v}
    if isinstance(v, int):
        return {'k': 'int', 'v': v}
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return {'k': 'float', 'v': repr(v)}
        return {'k': 'float', 'v': v}
    if isinstance(v, str):
        return {'k': 'str', 'v': v}
    if isinstance(v, (dict, list)):
        return {'k': 'json', 'v': json.dumps(v)}
    raise TypeError(type(v))


def J(text):
    """A dict or list input, given as JSON text."""
    return json.loads(text)


def call(fn, *args):
    try:
        return fn(*args)
    except Exception:
        return 'raise'


GENERIC = [
    '', ' ', 'a', ' a ', 'A', 'abc', '0', '1', '-1', '5', '12', '12.5', '12.7', '1e3',
    'true', 'false', 'True', ' TRUE ', 'yes', 'None', 'null', '{}', '[]', '{"a": 1}', '[1]', '"x"',
    'ß', 'İ', 'ΑΣ', 'abcΣ', '\u00a0x\u00a0', '\x1cx\x1c', '\u2028', 'x\n', '\tx', 'x\u3000',
    0, 1, 2, -1, 12, 4294967295, 4294967296, 16909060, 1.0, 12.7, -12.7, -0.0, 0.0, 1e16,
    1.5e-05, 100.0, 0.5, True, False, None,
    J('{}'), J('[]'), J('{"b": 1, "a": [1, 2.5, "x\'\\"", null, true]}'), J('[1, "a"]'),
    J('{"a": {}}'), J('{"é": "\\u00e9\\ud83d\\ude00\\n"}'), J('{"k": 1e400, "z": -0}'),
]

SPECIFIC = {
    'String': ['straße', 'İstanbul', ' two words ', '\x85x', 'x\x1f'],
    'LowercaseString': ['ABC', 'Straße', 'İstanbul', 'ΑΣ ΒΣ', 'ΣΑ', 'Σ', 'ΑΣ.', "ΑΣ'Α", 'ǅ', ' MiXeD ',
                        'Kelvin \u212a', 'abc\u0130', 'x\u03a3\u0301'],
    'UppercaseString': ['abc', 'straße', 'ﬁx', 'ŉ', 'ǅ', 'ᾳ', ' mixed ', 'i\u0307', 'ı', 'ſ', 'ǰ', 'µ'],
    'Base64': ['aGVsbG8=', 'aGVsbG8', 'abc', 'abcd', '!!!!', 'a b c d', 'ab=c', 'ab==cd', 'a===', '=abc',
               'ab=', 'YQ', 'YQ=', 'YQ==', 'YQ===', 'Y', 'YQ==YQ==', 'YWI=Yw', 'Y=Q==', '====', 'a=b=c=d',
               'aGVs\nbG8=', 'ß', '\xff', 'Zm9v\u00e9YmFy'],
    'Boolean': ['TRUE', ' False ', 'tRuE\u00a0', '1', '0', 'yes', 'no', 't', 'falſe', '\x1ctrue'],
    'Integer': ['12', ' 12 ', '+12', '-12', '1_000', '1__0', '_1', '1_', '007', '١٢', '１２', '0x10', '12.0',
                '1e3', '9223372036854775807', '\x1c5', '5\u00a0', '- 5', 'inf', 'nan', 12.9999, -0.5, 1e18],
    'ASN': ['AS1', 'as 64496', 'As-5', 'aS0', 'AS4294967295', 'AS4294967296', 'ASx', 'AS', 'as1_000', '١٢',
            'AS 12.5', 'AS12', 'as', ' AS12', 'ASAS12', 4294967295, 4294967296, 0, -5, 1.9, 0.5],
    'Float': ['1e3', ' 1_000.5 ', '1._5', '.5', '5.', '.', '1e', '-inf', 'Infinity', '0x1p3', '1e400', '1e-400',
              '١.٥', 'in f', '1,5', '+1.5E+2', 'nan', ' -NaN ', 1, 3, -2.5, float('nan'), float('-inf')],
    'Accuracy': ['50', '100', '100.5', '-1', '-0', 'nan', 'inf', '75.5', 100, 101, -1, 50.5, 0.0],
    'ClassificationTaxonomy': ['abusive-content', 'Abusive Content', 'information gathering', 'Intrusion Attempts',
                               'malicious code', ' MALICIOUS CODE ', 'vulnerable', 'Other', 'foo',
                               'abusive  content', 'test'],
    'ClassificationType': list(harm.ClassificationType.allowed_values) + [
        'botnet drone', 'Botnet Drone', 'ids alert', 'C&C', 'c2server', 'infected system', 'malware configuration',
        'Unauthorised-information-access', 'vulnerable client', 'vulnerable service', 'leak', 'ransomware',
        'unknown', 'dga domain', 'unauthorized-login', 'unauthorized-command', 'compromised', 'defacement',
        'backdoor', 'dropzone', ' SPAM ', 'foo', 'Malware'],
    'DateTime': ['2020-03-04T05:06:07+00:00', '2020-03-04T05:06:07.5+00:00', '2020-03-04T05:06:07.123456+00:00',
                 '2020-03-04T05:06:07.1234567+00:00', '2020-03-04T05:06:07Z', '2020-03-04 05:06:07',
                 '2020-03-04T05:06:07+01:00', '2020-03-04T05:06:07-05:30', '2020-03-04', '2020-03-04T05:06',
                 'Wed, 04 Mar 2020 05:06:07 GMT', 'Wed, 04 Mar 2020 05:06:07 +0100', '2020-02-30T00:00:00+00:00',
                 '2020-03-04T24:00:00+00:00', '2020-03-04T05:06:60+00:00', ' 2020-03-04T05:06:07+00:00',
                 '2020-03-04t05:06:07+00:00', '0999-01-01T00:00:00+00:00', '2020-03-04T05:06:07.000000+00:00',
                 '2020-03-04T05:06:07.000001Z', '2020-03-04T05:06:07,5Z', '20200304T050607Z',
                 '1580000000', 1580000000, 1580000000.5, 'garbage', 'Mar 4 2020', '04 Mar 2020 05:06:07'],
    'FQDN': ['example.com', 'Example.COM.', 'bücher.de', 'BÜCHER.de', '..a..', 'a..b', 'a\u3002b', 'a\u3002',
             'a\uff0eb', '1.2.3.4', '0.0.0.0', '01.2.3.4', '1.2.3.4.5', 'a:b', 'a/b', 'a?', 'a?b', 'a#', 'a#b',
             'a?#b', 'a#?b', 'a b', '_a', '-a', 'x' * 63 + '.com', 'x' * 64 + '.com', 'a.' + 'x' * 64,
             'a.' + 'x' * 63, 'xn--bcher-kva.de', 'xn--bcher-kva.DE', 'ＡＢＣ.de', 'a\u00adb.de', 'ß.de',
             '٣.de', 'http://x', 'example.com\t', 'a\tb', 'a\nb?x', 'a?\n', '-bücher.de', 'bücher..de',
             'bücher.de.', 'ä' * 60 + '.de', '\u200d.de', 'x\u0301.de', 'א.de', 'אa.de', '1.2.3.04', '.',
             '...', 'a' * 64, 'EXAMPLE', 'éx.com', 'xn--ü.de', 'a\x00b', '//', '///', ' //', '\t/\n/', '//?',
             '//#x', '//a', '/'],
    'IPAddress': ['1.2.3.4', ' 1.2.3.4 ', '01.2.3.4', '1.2.3.4/32', '1.2.3.4/24', '1.2.3.0/31', '1.2.3.4/255.255.255.255',
                  '1.2.3.4/0.0.0.0', '::1', '::ffff:1.2.3.4', 'FE80::1', 'fe80::1%eth0', 'fe80::1%', '1.2.3.4%x',
                  '0.0.0.0', '::', '16909060', '0', '00', '-0', '-1', '340282366920938463463374607431768211455',
                  '340282366920938463463374607431768211456', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1:2:3:4:5:6:7:8',
                  '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7::', '1:2:3:4::5:6:7:8',
                  '::1.2.3.4', '1::1.2.3.04', '12345::', '0:0:0:0:0:0:0:1', '1:0:0:2:0:0:0:3', '1:0:0:2:0:0:3:4',
                  '1:0:2:0:3:0:4:0', '::ffff:0:0', '64:ff9b::1.2.3.4', '1.2.3.4 ', '1.2.3.4/32/32', '١.2.3.4',
                  '1.2.3.4/+32', '::1/128', '::1/127', 'fe80::1%eth0/128', '%eth0', '1.2.3.4%', '１.2.3.4',
                  2 ** 32, 2 ** 63 - 1, -1, 0],
    'IPNetwork': ['10.0.0.0/8', '10.0.0.1/8', '10.0.0.1', '10.0.0.0/255.0.0.0', '10.0.0.0/0.255.255.255',
                  '10.0.0.0/255.0.255.0', '1.2.3.4/032', '1.2.3.4/33', '1.2.3.4/+8', '1.2.3.4/', '1.2.3.4//8',
                  '::/0', 'fe80::1%eth0/64', 'fe80::%eth0/64', 'fe80::1%eth0', 'fe80::%a b/64', '2001:db8::/32',
                  '2001:DB8::1/32', '0.0.0.0/0', '1.2.3.4/0.0.0.0', '1.2.3.4/255.255.255.255', '::1/129',
                  '::1/ 64', '1.2.3.4 /8', '::ffff:1.2.3.4/96', '1.2.3.4/8 ', '10/8', '::1/0x10'],
    'JSON': ['5', ' 5 ', '{"b":1,"a":2}', 'not json', ' not json ', 'NaN', '[1,', '{"a":NaN}', '"x"', 'tru',
             '1.', '01', '-', '{"a":1}{', '\u00e9', '{"é": "\\ud83d\\ude00"}', '{"a":1,"a":2}', '-Infinity',
             '1e5', '"\\ud800"', '"\x01"', '{"a":"\u2028"}', '  ', '[]', '{}', '\t{}\n'],
    'JSONDict': ['{}', '{"a":1}', ' {"a":1} ', '[1]', 'abc', '{ }', '{"a":{}}', '{"a":1}x', 'null',
                 '{"é": 1}', '{"a": NaN}', '{"a":1,"a":2}'],
    'URL': ['http://example.com', 'hxxp://example.com', 'hxxps://x/y', 'example.com/x', '//x', 'mailto:a@b',
            '1.2.3.4:80', '1.2.3.4:80/x', 'localhost:80', 'file:///etc/passwd', 'FILE:/x', 'file:x', 'file:',
            'file:///a?', 'file:///a#f', 'file:/a?q#f', 'file://host/x', 'http://[::1]/', 'http://[::1/',
            'http://]/', 'http://[1.2.3.4]/', 'http://[v1.x]/', 'http://[vz.x]/', 'http://[fe80::1%eth0]/',
            'http://\u2100/', 'http://a\u2100b/', 'http://\u00e9/', ' http://x', '\x01http://x', 'http://x\n',
            'ht\ttp://x', 'h\nxxp://x', 'HTTP://X', 'http:/x', 'http:x', 'hxxp://hxxp://x', 'hXXp://x',
            '1http://x', 'a+b-c.d://x', 'a_b://x', '://x', 'http://', 'http:///x', 'http://x?y#z',
            'http://a@b:c/', 'http://x/\u00e9', 'file:\t///x', '\x01file:x', 'http://[::1]x/',
            'http://x[::1]/'],
    'Registry': ['ripe', 'RIPE NCC', 'RIPENCC', 'ripe-ncc', 'arin ', 'foo', 'Lacnic', 'afrinic\u00a0'],
    'TLP': ['amber', 'tlp:amber', 'TLP: Red', 'TLPWHITE', 'yellow', 'TLP:YELLOW', 'clear', 'TLP:CLEAR', 'TLP:',
            'tlp', 'tlp:\u00a0green', 'TLP:TLP:RED', 'TLP::RED', 'green ', 'tlp red', 'TLP\tAMBER'],
}

RANDOM_ALPHABETS = {
    'IPAddress': '0123456789abcdefABCDEF:./% ',
    'IPNetwork': '0123456789abcdef:./%',
    'FQDN': 'abcXYZ09.-_:/?# \u00fc\u3002\u00df',
    'URL': 'hxtpsfile:/[]@?#.\u00e9 1',
    'Base64': 'ABab09+/= !',
    'Integer': '0123456789_+- .e\u0663',
    'Float': '0123456789_+- .eEinfa',
    'ASN': 'aAsS0129 -_',
    'JSON': '{}[]":,1 anulNI-.e',
    'JSONDict': '{}[]":,1 a',
    'TLP': 'tlpTLP: amberAMBER',
    'Boolean': 'trueFALS \u00a0',
    'LowercaseString': 'aAß\u0130\u03a3\u03c3\u0301\u02b0 .\u00a0\x1c',
    'UppercaseString': 'aAß\ufb01\u0149\u1fb3\u0131\u017f \u00a0',
    'String': 'a \u00a0\x1c\x85\u2028\t',
    'TLP': 'tlpTLP: amberAMBERyellowclear\u00a0',
    'Registry': 'ripeRIPE-NC arin',
    'ClassificationType': 'c&2servrCS -',
}


def random_cases(rng):
    count = int(os.environ.get('RANDOM_COUNT', '120'))
    for typ, alphabet in RANDOM_ALPHABETS.items():
        for _ in range(count):
            n = rng.randint(1, 24)
            yield typ, ''.join(rng.choice(alphabet) for _ in range(n))


def main():
    rng = random.Random(20240916)
    cases = []
    for typ in sorted(SPECIFIC):
        for v in GENERIC + SPECIFIC[typ]:
            cases.append((typ, v))
    for name in ['Accuracy', 'ASN', 'Base64', 'Boolean', 'ClassificationTaxonomy', 'ClassificationType', 'DateTime',
                 'FQDN', 'Float', 'Integer', 'IPAddress', 'IPNetwork', 'JSON', 'JSONDict', 'LowercaseString',
                 'Registry', 'String', 'TLP', 'URL', 'UppercaseString']:
        assert name in SPECIFIC, name
    cases.extend(random_cases(rng))
    seen = set()
    for typ, v in cases:
        key = (typ, json.dumps(tag(v), sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        cls = getattr(harm, typ)
        out = {'type': typ, 'in': tag(v)}
        valid = call(cls.is_valid, v)
        out['valid'] = valid if valid == 'raise' else bool(valid)
        sanitized = call(cls.sanitize, v)
        if sanitized == 'raise':
            out['sanitized'] = 'raise'
        else:
            out['sanitized'] = tag(sanitized)
            if sanitized is not None:
                after = call(cls.is_valid, sanitized)
                out['valid_after'] = after if after == 'raise' else bool(after)
        print(json.dumps(out, ensure_ascii=True, sort_keys=True))


main()
