# phonon~ — a live-coding pattern engine for Pure Data.
#
#   make            the Pd external phonon~.pd_linux and the command line ./phonon
#   make demo       install what is missing, build, render examples/demo.ph to demo.wav
#   make test       every test; the last line is "N passed, N failed"
#   make bench      benchmark tables (docs/PERFORMANCE.md)
#   make sanitize   unit and render tests under ASan+UBSan, the pool under TSan
#   make deps       install missing Debian packages (idempotent, quiet)
#   make arm64      cross-build the engine library for arm64 (a portability check)
#   make install    the external, help and examples into one Pd library folder
#
# The engine (engine/) is compiled once into build/libphonon.a, position
# independent, and linked into both the external and the command line.

lib.name = phonon~

# Our own flags: pd-lib-builder's defaults add gcc's fast-math option, which turns
# isnan() into 0, and we rely on isnan/isfinite to keep NaN out of the output.
OPT    ?= -O3
CFLAGS ?= $(OPT) -g -Wall -Wextra -Wno-cast-function-type
ENGINE_CFLAGS = $(CFLAGS) -std=gnu11 -fPIC -pthread -iquote engine $(SAN)
LIBS   = -lsndfile -lpthread -lm

B ?= build
ENGINE_SRC := $(sort $(wildcard engine/*.c engine/dsp/*.c))
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/obj/%.o)
ENGINE_HDR := $(wildcard engine/*.h engine/dsp/*.h)
LIBPHONON  := $(B)/libphonon.a

CLI_SRC   := $(sort $(wildcard cli/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)

# --- the Pd external, through pd-lib-builder ---------------------------------
class.sources = phonon~.c
cflags = -iquote engine -pthread -std=gnu11
phonon~.class.ldlibs = $(LIBPHONON) $(LIBS)
datafiles = help/phonon~-help.pd help/phonon~-meta.pd README.md LICENSE
datadirs = examples

PDLIBBUILDER_DIR ?= /usr/share/pd-lib-builder
include $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder

# pd-lib-builder's 'all' builds the external; 'post' runs after it.
post: phonon
phonon~.$(extension): $(LIBPHONON)
phonon~.o: $(ENGINE_HDR)

# --- the engine library --------------------------------------------------------
$(B)/obj/%.o: %.c $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) -c $< -o $@

$(LIBPHONON): $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# --- the command line ----------------------------------------------------------
phonon: $(B)/phonon
	@[ "$(B)" = build ] && ln -sf build/phonon phonon || true
$(B)/phonon: $(CLI_SRC) $(LIBPHONON) $(ENGINE_HDR)
	$(CC) $(ENGINE_CFLAGS) $(CLI_SRC) $(LIBPHONON) $(LIBS) -o $@

# --- tests ---------------------------------------------------------------------
$(B)/tests/%: tests/unit/%.c tests/test.h $(LIBPHONON) $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) -Itests $< $(LIBPHONON) $(LIBS) -o $@
$(B)/tools/%: tests/tools/%.c tests/test.h $(LIBPHONON) $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) -Itests $< $(LIBPHONON) $(LIBS) -o $@

tests-build: $(UNIT_BIN) $(TOOL_BIN) $(B)/phonon

.PHONY: test test-unit demo deps bench sanitize tests-build cli arm64
test: deps-quiet all tests-build
	@sh tests/run.sh

test-unit: tests-build
	@B=$(B) sh tests/run.sh unit conformance render

demo: deps-quiet all
	./phonon render examples/demo.ph demo.wav --cycles 8 --no-system-samples

deps:
	@sh tools/deps.sh
deps-quiet:
	@sh tools/deps.sh --quiet

bench: deps-quiet all
	@sh tools/bench.sh

sanitize: deps-quiet
	$(MAKE) --no-print-directory B=build/asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" test-unit
	@TSAN_OPTIONS=halt_on_error=1 sh tests/tsan.sh build/tsan

# The engine for arm64 (a cross-build check: gcc-aarch64-linux-gnu; Pd and libsndfile are not needed).
arm64:
	@command -v aarch64-linux-gnu-gcc >/dev/null || { echo "make arm64 needs gcc-aarch64-linux-gnu"; exit 1; }
	$(MAKE) --no-print-directory B=build-arm64 CC=aarch64-linux-gnu-gcc build-arm64/libphonon.a

clean-all: clean
	rm -rf build build-arm64 phonon demo.wav
