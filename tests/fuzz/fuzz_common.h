/* Shared by cvkit's libFuzzer targets: sanitizer options (a huge allocation returns NULL,
   as it would in production, instead of aborting the run). */
#ifndef CVKIT_FUZZ_COMMON_H
#define CVKIT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:detect_leaks=1";
}

#endif
