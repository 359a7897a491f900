# cvkit fuzzing (included by the Makefile): libFuzzer targets built with clang under
# AddressSanitizer + UBSan into $(BUILDROOT)/fuzz/. `make fuzz FUZZ_TIME=60` runs each
# target for FUZZ_TIME seconds from its committed seed corpus (tests/fuzz/corpus/<name>/);
# new inputs go to $(BUILDROOT)/fuzz/corpus/<name>/, crashes to $(BUILDROOT)/fuzz/.
# `make fuzz-replay` runs every committed input once (regressions; part of make test's CI).

FUZZ_CC    ?= clang
FUZZ_TIME  ?= 60
FUZZ_DIR   := $(BUILDROOT)/fuzz
FUZZ_CFLAGS := -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude -Isrc/lua -pthread \
              -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer $(SQL_CFLAGS)
FUZZ_TARGETS := fuzz_csv fuzz_parse fuzz_summary fuzz_stream fuzz_lua fuzz_ch
FUZZ_BINS  := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
# the core and the bindings are compiled once (coverage without libFuzzer's main) and
# linked into every target
FUZZ_CORE  := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(sort $(wildcard src/core/*.c)))
FUZZ_LUAB  := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(sort $(wildcard src/lua/*.c))) \
              $(FUZZ_DIR)/obj/embedded_lua.o

.PHONY: fuzz fuzz-build fuzz-replay

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: src/%.c
	$(call msg,FUZZCC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(LUA_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/obj/embedded_lua.o: $(BUILD)/gen/embedded_lua.c
	$(call msg,FUZZCC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(LUA_CFLAGS) -c -o $@ $<

-include $(FUZZ_CORE:.o=.d) $(FUZZ_LUAB:.o=.d)

$(FUZZ_DIR)/fuzz_lua: tests/fuzz/fuzz_lua.c tests/fuzz/fuzz_common.h $(FUZZ_CORE) $(FUZZ_LUAB)
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(LUA_CFLAGS) -o $@ $< $(FUZZ_LUAB) \
	    $(FUZZ_CORE) $(LUA_LIBS) $(LDLIBS_CORE)

$(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(FUZZ_CORE)
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE) $(LDLIBS_CORE)

fuzz: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t; \
	    echo "  FUZZ   $$t for $(FUZZ_TIME) s"; \
	    $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_TIME) -timeout=20 -rss_limit_mb=2048 \
	        -max_len=4096 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/$$t- \
	        $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t 2>$(FUZZ_DIR)/$$t.log || \
	        { tail -n 60 $(FUZZ_DIR)/$$t.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units' $(FUZZ_DIR)/$$t.log | sed "s/^/  $$t: /"; \
	done

fuzz-replay: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_DIR)/$$t -runs=0 tests/fuzz/corpus/$$t >$(FUZZ_DIR)/$$t.replay.log 2>&1 || \
	        { tail -n 40 $(FUZZ_DIR)/$$t.replay.log; exit 1; }; \
	    echo "  REPLAY $$t: $$(ls tests/fuzz/corpus/$$t | wc -l) inputs"; \
	done
