# SPDX-License-Identifier: AGPL-3.0-or-later
"""Record Python's re.search results for the regex translation tests.

Usage (Python 3.11): python3 gen_regex.py ../../harmonization.conf > regex.jsonl

The first line holds the list of subjects. Each further line holds a
pattern, whether it was searched with re.IGNORECASE, and a string with one
character per subject: "1" where re.search finds a match, "0" where not. The patterns are every regex and iregex of
harmonization.conf plus patterns that exercise the dialect differences the
Go translation handles.
"""
import json
import re
import sys

conf = json.load(open(sys.argv[1]))
patterns = set()
for section in conf.values():
    for field in section.values():
        if 'regex' in field:
            patterns.add((field['regex'], False))
        if 'iregex' in field:
            patterns.add((field['iregex'], True))
patterns.add((r'^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$', False))

EDGE = [
    r'^a$', r'a$', r'^$', r'$', r'a|b$', r'[$]', r'\$', r'\d+', r'^\d+$', r'^\w+$', r'\W', r'\s', r'^[\s]+$', r'\S',
    r'^x{,2}y', r'^x{2,}$', r'^x{,}$', r'a{', r'a{x}', r'a{1,x}', r'[[:alpha:]]', r'[]a]', r'[^]a]', r'\Z', r'a\Z',
    r'\x41', r'\u00e9', r'\U0001F600', r'\101', r'\0', r'[\d.]+$', r'^[\w-]+$', r'[\s]', r'\bfoo\b', r'\Bo',
    r'(?i)abc', r'(?s)a.b', r'(?m)^b$', r'(?a)^\d+$', r'(?a)^\w+$', r'(?i:a)b', r'(?#comment)x', r'(?P<n>a)',
    r'[a\-z]', r'\-', r'\ ', r'^\D+$', r'[\D]', r'^a.b$', r'\A[a-c]+\Z', r'[\b]', r'[^\d]', r'\.', r'a\.\Z',
    r'^[ -~]+$', r'^.*[^\.]$', r'\d\s\w', r'x*', r'^(ab|cd)+$', r'\t', r'[\x41-\x43]+$', r'\}', r'a{2}', r'a{,1}$',
]
for p in EDGE:
    patterns.add((p, False))
for p in [r'^abc$', r'\w', r'[a-c]', r'k', r's', r'straße', r'^[A-F0-9./]+$']:
    patterns.add((p, True))

SUBJECTS = [
    '', 'a', 'a\n', 'a\n\n', '\n', 'A', 'abc', 'ABC', 'aBc\n', 'é', '\u00e9', '١٢', '12', '12\n', 'foo bar',
    'foobar', 'o', '\u00a0', '\x1c', '\x85', 'b\nb', 'a\nb', 'b', ':', '[', ']', '-', 'x', 'xx', 'xxx', 'xxy', 'y',
    'a{', 'a{x}', 'a{1,x}', '{1}', '$', 'a b', 'a\tb', '\U0001F600', 'A\x00', '\x00', 'a.', 'a.\n', 'a. ',
    '\x08', 'aa', 'abcd', 'cdab', 'ab\n', 'z', '}', '\u212a', 'K', '\u017f', 'S', 'STRASSE', 'strasse', 'tcp',
    'TCP', 'udp\n', 'ipv6-icmp', 'tp++', 'ax.25', 'ax-25', 'a/n', 'foo', 'nvp-ii', 'DE', 'de', 'D', 'DEU', 'D\u00e9',
    '0123abcdef', '01234567-89ab-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdeF', 'ABC./0',
    'example.com', 'example.com.', 'extra.foo', 'extra.Foo', 'extra.foo\n', 'e', '_a', 'a_1.b2', '1a',
    '\x7f', '~', ' ', 'caf\u00e9',
]

print(json.dumps({'subjects': SUBJECTS}, ensure_ascii=True))
for pattern, icase in sorted(patterns):
    compiled = re.compile(pattern, re.IGNORECASE if icase else 0)
    matches = ''.join('1' if compiled.search(s) else '0' for s in SUBJECTS)
    print(json.dumps({'pattern': pattern, 'icase': icase, 'matches': matches}, ensure_ascii=True, sort_keys=True))
