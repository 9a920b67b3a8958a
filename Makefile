# SPDX-License-Identifier: AGPL-3.0-or-later

GO      ?= go
BIN     := bin/intelmq
PKGS    := ./...
FUZZTIME ?= 60s

.PHONY: all build test run bench bench-all rss pgo fmt vet fuzz clean check-redis

all: build

build:
	$(GO) build -o $(BIN) ./cmd/intelmq

# The test command of the README: formatting, vet, and every test.
# Tests that need Redis start their own redis-server (the binary must be
# installed: apt-get install redis-server).
test: check-redis
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

check-redis:
	@command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing: install it (apt-get install -y redis-server); tests start their own instance"; exit 1; }

# The main job: the quickstart pipeline on the embedded queue.
run: build
	./$(BIN) run --once examples/quickstart

# The figures the issues ask for: message decode/validate/encode, the
# Feodo-style CSV parse against encoding/csv, compile time for 100 feeds,
# the queues, and the 4-bot pipeline on memory, embedded and Redis with
# redis-benchmark's LPUSH rate as the ceiling. BENCHCOUNT=1 for a quick look.
BENCHCOUNT ?= 5
bench: check-redis
	$(GO) test -run '^$$' -bench 'DecodeValidateEncode|BuildEvent' -benchmem -count $(BENCHCOUNT) ./stdlib/message/
	$(GO) test -run '^$$' -bench 'Feodo' -benchmem -benchtime 3x -count $(BENCHCOUNT) ./runtime/parse/
	$(GO) test -run '^$$' -bench 'Validate100Feeds' -benchmem -count $(BENCHCOUNT) ./compiler/
	$(GO) test -pgo=cmd/intelmq/default.pgo -run '^$$' -bench 'Pipeline|RedisLPUSHCeiling' -benchmem -benchtime 100000x -count $(BENCHCOUNT) ./internal/pipelinebench/

# The peak memory (max RSS) of "intelmq run --once" on a generated Feodo-style
# CSV of RSSMB megabytes (file collector, CSV parser, file output, embedded
# queue), with its ratio to the report's size; see docs/operations.md.
RSSMB ?= 100
rss: build
	$(GO) run ./internal/rssbench -bin $(BIN) -mb $(RSSMB)

# The profile that guides the compiler's optimisation of intelmq (Go's
# profile-guided optimisation reads cmd/intelmq/default.pgo, and make bench
# builds the pipeline benchmark with it): the processor profile of the four-bot
# pipeline on the memory, embedded and Redis queues. Made again after large
# changes to the hot paths; see docs/operations.md.
pgo: check-redis
	@dir=$$(mktemp -d) && \
	$(GO) test -c -pgo=off -o $$dir/pipelinebench.test ./internal/pipelinebench && \
	(cd $$dir && ./pipelinebench.test -test.run '^$$' -test.bench 'Pipeline$$/(memory|embedded|redis)$$' \
		-test.benchtime 400000x -test.cpuprofile cpu.prof) && \
	$(GO) tool pprof -proto $$dir/cpu.prof > cmd/intelmq/default.pgo && \
	rm -rf $$dir

# Every benchmark of every package.
bench-all:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet $(PKGS)

# Run every fuzz target for FUZZTIME each, one at a time.
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin
