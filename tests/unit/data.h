/* The shared datasets of the tests (docs/databases.md, tests/data.sh): the folder
   $CVKIT_DATA, default ../shared/data relative to the repository root, where the tests run.
   data_path("CDNOW_sample.txt") -> "<that folder>/CDNOW_sample.txt", in one of 8 static
   buffers used in turn (a few paths can be alive at once). */
#ifndef CVKIT_TESTS_DATA_H
#define CVKIT_TESTS_DATA_H
#include <stdio.h>
#include <stdlib.h>

static inline const char *data_path(const char *name)
{
    static char buf[8][4096];
    static unsigned next;
    const char *dir = getenv("CVKIT_DATA");
    if (dir == NULL || *dir == '\0')
        dir = "../shared/data";
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}
#endif
