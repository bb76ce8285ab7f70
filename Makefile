# phonon~ — a live-coding pattern engine for Pure Data.
#
#   make            the Pd external phonon~.pd_linux and the command line ./phonon
#   make demo       install what is missing, build, render examples/demo.ph to demo.wav
#   make test       every test; the last line is "N passed, N failed"
#   make bench      benchmark tables (docs/PERFORMANCE.md)
#   make sanitize   unit and render tests under ASan+UBSan, the pool under TSan
#   make deps       install missing Debian packages (idempotent; the list is tools/deps.txt)
#   make fuzz       libFuzzer targets tests/fuzz/fuzz_*.c, SECONDS=N each (default 60)
#   make compare-sc phonon's DSP next to SuperCollider 3.13's (scsynth NRT renders; tools/sc/)
#   make arm64      cross-build the engine library for arm64 (a portability check)
#   make install    the external, help, meta, examples and docs into one Pd library folder
#   make deken      a deken package (.dek) of that folder (tools/deken.py)
#
# The engine (engine/) is compiled once into build/libphonon.a, position
# independent, and linked into both the external and the command line.
#
# On a fresh machine nothing here may need a package that is not installed yet: pd-lib-builder is
# included only when it is there, and `demo`, `test`, `all` first install what is missing
# (tools/deps.sh) and then run make again, which then reads pd-lib-builder.

lib.name = phonon~

# Our own flags: pd-lib-builder's defaults add gcc's fast-math option, which turns
# isnan() into 0, and we rely on isnan/isfinite to keep NaN out of the output.
OPT    ?= -O3
CFLAGS ?= $(OPT) -g -Wall -Wextra -Wno-cast-function-type
# -MMD -MP: every object and test binary depends on the headers it includes (build/**/*.d).
DEPFLAGS = -MMD -MP
# -fvisibility=hidden: the external exports only what phonon.h marks PHONON_API (phonon_*) and
# phonon_tilde_setup, so no engine name can clash with another external's in Pd's namespace.
ENGINE_CFLAGS = $(CFLAGS) -std=gnu11 -fPIC -pthread -fvisibility=hidden -iquote engine $(SAN)
LIBS   = -lsndfile -llo -lpthread -lm
# the command line also plays through JACK (phonon dirt, phonon play); the engine does not use it
CLI_LIBS = -ljack

# Each compiler builds into its own folder (make CC=clang test: build-clang), so objects never mix.
B ?= build$(if $(findstring clang,$(notdir $(CC))),-clang)
ENGINE_SRC := $(sort $(wildcard engine/*.c engine/dsp/*.c))
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/obj/%.o)
ENGINE_HDR := $(wildcard engine/*.h engine/dsp/*.h)
LIBPHONON  := $(B)/libphonon.a
# libphonon.a is the library a host links: one object in which only phonon.h's PHONON_API names stay
# global. The command line, the tests and the fuzz targets use engine internals too: they link
# libphonon-internal.a, the same objects as they are.
LIBINTERNAL := $(B)/libphonon-internal.a
CROSS   := $(patsubst %-gcc,%-,$(filter %-gcc,$(notdir $(CC))))
OBJCOPY ?= $(CROSS)objcopy

CLI_SRC   := $(sort $(wildcard cli/*.c))
# the command line's parts that tests use too (the events runner): every cli object but main's
CLI_PARTS := $(filter-out $(B)/obj/cli/phonon.o,$(CLI_SRC:%.c=$(B)/obj/%.o))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)

# --- the Pd external, through pd-lib-builder ---------------------------------
class.sources = phonon~.c
cflags = -iquote engine -pthread -std=gnu11 -fvisibility=hidden
phonon~.class.ldlibs = $(LIBPHONON) $(LIBS)
datafiles = help/phonon~-help.pd help/phonon~-meta.pd README.md LICENSE
datadirs = examples

PDLIBBUILDER_DIR ?= /usr/share/pd-lib-builder
ifneq ($(wildcard $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder),)
  include $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder
# pd-lib-builder's 'all' builds the external; 'post' runs after it. The help and meta patches are
# copied next to the external, where Pd looks for an object's help (pd -path <checkout> finds it).
post: phonon phonon~-help.pd phonon~-meta.pd
phonon~-help.pd phonon~-meta.pd: %.pd: help/%.pd
	cp $< $@
# make install also puts the user docs (docs/*.md) into the library folder's docs/.
install: install-docs
install-docs: all
	$(INSTALL_DIR) "$(installpath)/docs"
	$(INSTALL_DATA) $(wildcard docs/*.md) "$(installpath)/docs"
# make deken: the library folder as make install makes it, in a staging folder, packed as deken packs
# it: phonon~[v<version>](<os>-<cpu>-32).dek with its .dek.txt (objects) and .dek.sha256 beside it.
PHONON_VERSION := $(shell sed -n 's/^\#define PHONON_VERSION "\(.*\)"/\1/p' engine/phonon.h)
deken: all
	rm -rf $(B)/deken
	$(MAKE) --no-print-directory install PDLIBDIR=$(abspath $(B)/deken) DESTDIR=
	python3 tools/deken.py $(B)/deken/$(lib.name) $(PHONON_VERSION) .
.PHONY: install-docs deken
phonon~.$(extension): $(LIBPHONON)
# (recompiled with the library, so that the external is always built by the library's compiler)
phonon~.o: $(ENGINE_HDR) $(LIBPHONON)
else
# Not installed yet: install the packages, then build with a fresh read of this file.
.DEFAULT_GOAL := all
all install: deps-quiet
	@test -f $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder || \
	  { echo "make: pd-lib-builder is still missing at $(PDLIBBUILDER_DIR) (see tools/deps.txt)"; exit 1; }
	@$(MAKE) --no-print-directory $@
endif

# --- the engine library --------------------------------------------------------
# (a missing .d file, from a build before dependency files, makes its target rebuild once)
$(B)/obj/%.o: %.c $(B)/obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIBINTERNAL): $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
$(LIBPHONON): $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(CC) -r -nostdlib $^ -o $(B)/phonon-all.o
	$(OBJCOPY) --localize-hidden $(B)/phonon-all.o
	ar rcs $@ $(B)/phonon-all.o

# --- the command line ----------------------------------------------------------
phonon: $(B)/phonon
	@[ "$(B)" = build ] && ln -sf build/phonon phonon || true
$(B)/phonon: $(CLI_SRC:%.c=$(B)/obj/%.o) $(LIBINTERNAL)
	$(CC) $(ENGINE_CFLAGS) $^ $(LIBS) $(CLI_LIBS) -o $@

# --- tests ---------------------------------------------------------------------
# (the dependency files of test binaries sit in $(B)/dep, so that $(B)/tests holds only programs)
$(B)/tests/%: tests/unit/%.c $(B)/dep/test-%.d $(LIBINTERNAL) $(CLI_PARTS)
	@mkdir -p $(dir $@) $(B)/dep
	$(CC) $(ENGINE_CFLAGS) -iquote cli -MMD -MP -MF $(B)/dep/test-$*.d -Itests $< $(CLI_PARTS) $(LIBINTERNAL) $(LIBS) $(CLI_LIBS) -o $@
$(B)/tools/%: tests/tools/%.c $(B)/dep/tool-%.d $(LIBINTERNAL)
	@mkdir -p $(dir $@) $(B)/dep
	$(CC) $(ENGINE_CFLAGS) -MMD -MP -MF $(B)/dep/tool-$*.d -Itests $< $(LIBINTERNAL) $(LIBS) -o $@

DEP_FILES := $(ENGINE_OBJ:.o=.d) $(CLI_SRC:%.c=$(B)/obj/%.d) \
  $(UNIT_SRC:tests/unit/%.c=$(B)/dep/test-%.d) $(TOOL_SRC:tests/tools/%.c=$(B)/dep/tool-%.d)
$(DEP_FILES): ;
-include $(wildcard $(DEP_FILES))

tests-build: $(UNIT_BIN) $(TOOL_BIN) $(B)/phonon $(LIBPHONON)

.PHONY: test test-run test-unit demo demo-run deps deps-quiet bench sanitize tests-build cli arm64 fuzz compare-sc
# test and demo install what is missing first, then run make again: on a fresh machine this file
# was read before pd-lib-builder existed.
test: deps-quiet
	@$(MAKE) --no-print-directory test-run
test-run: all tests-build
	@B=$(B) sh tests/run.sh

test-unit: tests-build
	@B=$(B) sh tests/run.sh unit conformance render

demo: deps-quiet
	@$(MAKE) --no-print-directory demo-run
demo-run: all
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
	@sh tools/deps.sh --quiet cross
	$(MAKE) --no-print-directory B=build-arm64 CC=aarch64-linux-gnu-gcc build-arm64/libphonon.a

clean-all: clean
	rm -rf build build-* phonon demo.wav

# --- fuzzing -------------------------------------------------------------------
# Every tests/fuzz/fuzz_NAME.c is a libFuzzer target, linked against the engine built with clang,
# ASan and UBSan; it runs SECONDS seconds from the seeds in tests/fuzz/corpus/NAME (FUZZ=NAME picks one).
SECONDS ?= 60
FUZZ ?=
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	@sh tools/deps.sh --quiet fuzz
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang OPT="-O1" \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" build/fuzz/libphonon-internal.a
	@SECONDS=$(SECONDS) FUZZ_SAN="$(FUZZ_SAN)" LIBS="$(LIBS)" sh tools/fuzz.sh $(FUZZ)

# --- SuperCollider side by side ---------------------------------------------------
# The same test signals rendered by phonon and by scsynth (non-real-time), measured by the same analysis
# (tools/sc/compare.py); prints a table. Installs the sc group of tools/deps.txt. Not part of `make test`.
$(B)/sc/phonon_dump: tools/sc/phonon_dump.c $(LIBINTERNAL)
	@mkdir -p $(dir $@)
	$(CC) $(ENGINE_CFLAGS) -Wno-unused-function -Itests -Itests/unit $< $(LIBINTERNAL) $(LIBS) -o $@
compare-sc: deps-quiet
	@sh tools/deps.sh --quiet sc
	@$(MAKE) --no-print-directory $(B)/phonon $(B)/sc/phonon_dump
	@B=$(B) sh tools/sc/compare.sh
