# cvkit: plain GNU make. `make` builds build/cvkit and build/libcvcore.a;
# `make demo` runs the main job on bundled data; `make test` runs every test.
# `make install` (PREFIX, default /usr/local; DESTDIR for a staging tree), `make uninstall`,
# `make dist` (cvkit-VERSION.tar.gz: git archive of HEAD).
# SAN=1 builds everything under AddressSanitizer + UBSan (into build/san/);
# BUILDROOT=dir builds somewhere else than build/.
# Builds use every core (a -jN given on the command line wins): CI's builds are most of its time.

MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)

CC      ?= cc
PKG     ?= pkg-config
LUA_PC  ?= lua5.4

WARN    := -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wvla
OPT     ?= -O2 -g
CFLAGS  ?=
BASEFLAGS := -std=c11 $(WARN) $(OPT) -D_GNU_SOURCE -Iinclude -pthread -MMD -MP
LDLIBS_CORE := -lcsv -lxlsxwriter -lzip -lexpat -lfreexl -lz -lm -pthread

BUILDROOT ?= build
ifeq ($(SAN),1)
BUILD   := $(BUILDROOT)/san
BASEFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
else
BUILD   := $(BUILDROOT)
LDSAN   :=
endif

LUA_CFLAGS := $(shell $(PKG) --cflags $(LUA_PC) 2>/dev/null)
LUA_LIBS   := $(shell $(PKG) --libs $(LUA_PC) 2>/dev/null || echo -llua5.4)
CMOCKA_LIBS := $(shell $(PKG) --libs cmocka 2>/dev/null || echo -lcmocka)
# databases (src/core/sql_*.c): SQLite, PostgreSQL's libpq and libcurl (ClickHouse's HTTP)
SQL_CFLAGS := $(shell $(PKG) --cflags sqlite3 libpq libcurl 2>/dev/null || echo -I/usr/include/postgresql)
SQL_LIBS   := $(shell $(PKG) --libs sqlite3 libpq libcurl 2>/dev/null || echo -lsqlite3 -lpq -lcurl)
LDLIBS_CORE += $(SQL_LIBS)
READLINE_LIBS ?= -lreadline

ifneq ($(V),1)
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2);
else
Q :=
msg =
endif

CORE_SRC := $(sort $(wildcard src/core/*.c))
LUAB_SRC := $(sort $(wildcard src/lua/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
EMBED_LUA := $(sort $(wildcard lua/*.lua lua/cv/*.lua models/*.lua))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
LUAB_OBJ := $(LUAB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ  := $(BUILD)/gen/embedded_lua.o

LIBCORE  := $(BUILD)/libcvcore.a
LIBBIND  := $(BUILD)/libcvlua.a
CVKIT    := $(BUILD)/cvkit

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
BIND_SRC := $(sort $(wildcard tests/bind/test_*.c))
BIND_BIN := $(BIND_SRC:tests/bind/%.c=$(BUILD)/tests/bind/%)
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all test demo bench deps asan valgrind format lint clean tests-build test-unit test-lua \
        test-cli install uninstall dist format-check

all: $(CVKIT) $(LIBCORE)

# The core is compiled without Lua's include path: an #include <lua.h> there fails.
$(BUILD)/src/core/%.o: src/core/%.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(SQL_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/lua/%.o: src/lua/%.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(LUA_CFLAGS) -Isrc/lua $(CFLAGS) -c -o $@ $<

# The program embeds VERSION (cvkit --version, the REPL's banner): a prerequisite, so that
# changing it rebuilds what shows it.
$(BUILD)/src/cli/%.o: src/cli/%.c $(wildcard VERSION)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(LUA_CFLAGS) -Isrc/lua -Isrc/cli $(CFLAGS) \
	    -DCVKIT_VERSION='"$(shell cat VERSION 2>/dev/null || echo 0.0.0)"' -c -o $@ $<

# Lists of the files a target is made of, as prerequisites: $(BUILD)/lists/NAME holds the
# list and is rewritten only when it changes, so that a file deleted (or added) remakes
# the target even when every file left is older (a deleted .lua module does not stay
# embedded, a deleted .c file does not stay in the library).
.PHONY: FORCE
$(BUILD)/lists/%: FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(LIST_$*) | cmp -s - $@ || printf '%s\n' $(LIST_$*) >$@
LIST_embed := $(EMBED_LUA)
LIST_core := $(CORE_OBJ)
LIST_bind := $(LUAB_OBJ)

$(LIBCORE): $(CORE_OBJ) $(BUILD)/lists/core
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(CORE_OBJ)

$(LIBBIND): $(LUAB_OBJ) $(GEN_OBJ) $(BUILD)/lists/bind
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(LUAB_OBJ) $(GEN_OBJ)

# Lua modules and models are compiled into the binary (no xxd: a tiny C generator).
$(BUILD)/tools/embed: tools/embed.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 $(WARN) -O2 -o $@ $<

$(BUILD)/gen/embedded_lua.c: $(BUILD)/tools/embed $(EMBED_LUA) $(BUILD)/lists/embed
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BUILD)/tools/embed $@ $(EMBED_LUA)

$(BUILD)/gen/embedded_lua.o: $(BUILD)/gen/embedded_lua.c
	$(call msg,CC,$<)
	$(Q)$(CC) $(BASEFLAGS) -Isrc/lua $(CFLAGS) -c -o $@ $<

$(CVKIT): $(CLI_OBJ) $(LIBBIND) $(LIBCORE)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDSAN) -o $@ $(CLI_OBJ) $(LIBBIND) $(LIBCORE) $(LUA_LIBS) $(READLINE_LIBS) \
	    $(LDLIBS_CORE)

# the unit and binding tests' assert_float_equal in double precision (tests/unit/cmocka_double.h)
TEST_DOUBLE := tests/unit/cmocka_double.h

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBCORE) $(TEST_DOUBLE)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -include $(TEST_DOUBLE) -Itests/unit -Isrc/core -o $@ $< \
	    $(LIBCORE) $(CMOCKA_LIBS) $(LDLIBS_CORE) $(LDSAN)

# the precision test alone checks the models against a 256-bit MPFR reference
$(BUILD)/tests/unit/test_precision: tests/unit/test_precision.c $(LIBCORE) $(TEST_DOUBLE)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -include $(TEST_DOUBLE) -Itests/unit -Isrc/core -o $@ $< \
	    $(LIBCORE) $(CMOCKA_LIBS) -lmpfr -lgmp $(LDLIBS_CORE) $(LDSAN)

# likewise the precision tests of other models (tests/unit/test_precision_<models>.c)
$(BUILD)/tests/unit/test_precision_%: tests/unit/test_precision_%.c $(LIBCORE) $(TEST_DOUBLE)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -include $(TEST_DOUBLE) -Itests/unit -Isrc/core -o $@ $< \
	    $(LIBCORE) $(CMOCKA_LIBS) -lmpfr -lgmp $(LDLIBS_CORE) $(LDSAN)

$(BUILD)/tests/bind/%: tests/bind/%.c $(LIBBIND) $(LIBCORE) $(TEST_DOUBLE)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(LUA_CFLAGS) -Isrc/lua $(CFLAGS) -include $(TEST_DOUBLE) -o $@ $< \
	    $(LIBBIND) $(LIBCORE) $(CMOCKA_LIBS) $(LUA_LIBS) $(LDLIBS_CORE) $(LDSAN)

$(BUILD)/bench/%: tests/bench/%.c $(LIBCORE)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS_CORE) $(LDSAN)

tests-build: all $(UNIT_BIN) $(BIND_BIN)

# demo and test first install what they need (tools/deps.sh: a quick no-op when all is
# there), then build in a sub-make, so that pkg-config's flags are read after the install.
# The tests run inside tests/with_pg.sh: it starts the PostgreSQL server of the database
# tests and stops it at the end (CVKIT_PG=skip skips them); CVKIT_DATA is the folder of the
# shared datasets (default ../shared/data).
test:
	$(Q)sh tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)BUILD=$(BUILD) sh tests/with_pg.sh sh tests/with_ch.sh sh tests/run.sh

# Quick loops over one group of tests/run.sh (no package check; the Lua and CLI groups
# with the PostgreSQL server of their database tests, as make test)
test-unit: tests-build
	$(Q)BUILD=$(BUILD) sh tests/run.sh unit

test-lua test-cli: tests-build
	$(Q)BUILD=$(BUILD) sh tests/with_pg.sh sh tests/with_ch.sh sh tests/run.sh $(@:test-%=%)

demo:
	$(Q)sh tools/deps.sh build
	$(Q)$(MAKE) --no-print-directory all
	$(Q)mkdir -p out
	$(Q)$(CVKIT) run examples/demo.lua

bench: all $(BENCH_BIN)
	$(Q)BUILD=$(BUILD) SCALE=$(SCALE) BASE=$(BASE) PEERS=$(PEERS) sh tests/bench/run.sh

deps:
	$(Q)sh tools/deps.sh test

asan:
	$(Q)$(MAKE) test SAN=1

valgrind: tests-build
	$(Q)BUILD=$(BUILD) VALGRIND=1 sh tests/with_pg.sh sh tests/with_ch.sh sh tests/run.sh

# The C sources as .clang-format writes them: `make format` rewrites them, `make format-check`
# (run by .ci/run) fails naming each file that differs.
FORMAT_SRC = $(CORE_SRC) $(LUAB_SRC) $(CLI_SRC) include/cvkit/*.h tests/unit/*.c

format:
	$(Q)clang-format -i $(FORMAT_SRC)

format-check:
	$(Q)clang-format --dry-run -Werror $(FORMAT_SRC)

lint:
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --std=c11 -Iinclude --suppress=missingIncludeSystem src/core src/lua src/cli

# ---- install, uninstall, dist ------------------------------------------------------------
# The program, the bundled models and the example data they and the class exercises read
# (PREFIX/share/cvkit: `cvkit run NAME` finds the models there, from the executable's place,
# src/cli/script_path.c), the man page and the docs. Only these files are removed again.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/cvkit
MANDIR  ?= $(PREFIX)/share/man/man1
DOCDIR  ?= $(PREFIX)/share/doc/cvkit
INSTALL ?= install
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

INST_DATA := $(sort $(wildcard models/*.lua examples/*.lua examples/data/*.csv \
               examples/b2b/*.lua examples/b2b/*.csv examples/scenarios/*.lua \
               examples/class/*.lua examples/class/data/*.csv \
               examples/crm/*.csv))
INST_DOCS := README.md LICENSE $(sort $(wildcard docs/*.md docs/img/*.png))

install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)"
	$(Q)$(INSTALL) -m 755 $(CVKIT) "$(DESTDIR)$(BINDIR)/cvkit"
	$(Q)$(INSTALL) -m 644 docs/cvkit.1 "$(DESTDIR)$(MANDIR)/cvkit.1"
	$(Q)for f in $(INST_DATA); do \
	    $(INSTALL) -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	$(Q)for f in $(INST_DOCS); do \
	    $(INSTALL) -D -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/$$f" || exit 1; done

uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f "$(DESTDIR)$(BINDIR)/cvkit" "$(DESTDIR)$(MANDIR)/cvkit.1"
	$(Q)for f in $(INST_DATA); do rm -f "$(DESTDIR)$(DATADIR)/$$f"; done
	$(Q)for f in $(INST_DOCS); do rm -f "$(DESTDIR)$(DOCDIR)/$$f"; done
	$(Q)for d in "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(DOCDIR)"; do \
	    [ ! -d "$$d" ] || find "$$d" -depth -type d -empty -delete; done

# A release tarball of the committed tree (uncommitted changes are not in it: said so);
# DIST=path writes it elsewhere.
DIST ?= cvkit-$(VERSION).tar.gz
dist:
	$(Q)git rev-parse --verify -q HEAD >/dev/null || \
	    { echo "dist: needs a git checkout with a commit (git archive of HEAD)" >&2; exit 2; }
	$(Q)[ -z "$$(git status --porcelain --untracked-files=no)" ] || \
	    echo "dist: uncommitted changes are not in the tarball (it is HEAD)" >&2
	$(Q)git archive --format=tar.gz --prefix=cvkit-$(VERSION)/ -o "$(DIST)" HEAD
	@echo "wrote $(DIST)"

clean:
	rm -rf build out cvkit-*.tar.gz

include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
