# SPDX-License-Identifier: AGPL-3.0-or-later
"""Record how Python IntelMQ reads every message of the conformance corpus.

Run from this directory with an IntelMQ source checkout on the path:

    PYTHONPATH=/path/to/intelmq python3 gen_corpus.py > corpus_reads.json

For every message of every case file under testdata/conformance/intelmq
(inputs, expected messages, observed outputs by sorted path, then additional
runs, in that order) it deserializes the message with
intelmq.lib.message.MessageFactory and serializes it again, as the next bot
would. Only differences are written: per file and message index, the keys
whose value Python changed (new value, JSON-typed) and the keys it dropped.
"""
import glob
import json
import os
import sys

import gen_golden  # noqa: F401 - installs the module stand-ins  # isort: skip
import intelmq.lib.message as message  # noqa: E402

CORPUS = '../../../../testdata/conformance/intelmq'
HARM = gen_golden.HARM


def messages(run):
    out = list(run.get('input', []))
    out += [e['message'] for e in run.get('expected', [])]
    for path in sorted(run.get('observed_output') or {}):
        out += run['observed_output'][path]
    for extra_run in run.get('additional_runs') or []:
        out += messages(extra_run)
    return out


def typed(v):
    return json.dumps(v, sort_keys=True)


def main():
    result = {}
    for sub in ('parsers', 'experts'):
        for path in sorted(glob.glob(os.path.join(CORPUS, sub, '**', '*.json'), recursive=True)):
            rel = os.path.relpath(path, CORPUS)
            with open(path) as f:
                case = json.load(f)
            for i, msg in enumerate(messages(case)):
                wire = json.dumps(msg)
                try:
                    back = json.loads(message.MessageFactory.unserialize(wire, harmonization=HARM).serialize())
                except Exception as exc:  # noqa: BLE001
                    result.setdefault(rel, {})[str(i)] = {'error': type(exc).__name__}
                    continue
                changed = {k: v for k, v in back.items() if k not in msg or typed(v) != typed(msg[k])}
                dropped = sorted(k for k in msg if k not in back)
                if changed or dropped:
                    entry = result.setdefault(rel, {})[str(i)] = {}
                    if changed:
                        entry['changed'] = changed
                    if dropped:
                        entry['dropped'] = dropped
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    print()


main()
