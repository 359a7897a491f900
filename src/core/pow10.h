/* Private to the core's number readers and writers (decimal_div.h, dtoa.c): the powers of
   ten that fit in 64 bits, 10^0 .. 10^19, one table. Not a public header. */
#ifndef CVKIT_POW10_H
#define CVKIT_POW10_H

#include <stdint.h>

static const uint64_t cv_pow10_u64[20] = {1u,
                                          10u,
                                          100u,
                                          1000u,
                                          10000u,
                                          100000u,
                                          1000000u,
                                          10000000u,
                                          100000000u,
                                          1000000000u,
                                          10000000000u,
                                          100000000000u,
                                          1000000000000u,
                                          10000000000000u,
                                          100000000000000u,
                                          1000000000000000u,
                                          10000000000000000u,
                                          100000000000000000u,
                                          1000000000000000000u,
                                          10000000000000000000u};

#endif
