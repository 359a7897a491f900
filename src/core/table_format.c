/* cvkit tables, part 3: text: values formatted for people, tables for a terminal, and
   the display width of UTF-8 text. */
#include "cvkit/table.h"

#include <stdlib.h>

size_t cv_value_format(const cv_column *c, int64_t i, int digits, const char *na, char *buf,
                       size_t size)
{
    (void)c, (void)i, (void)digits, (void)na;
    if (size)
        buf[0] = '\0';
    return 0;
}

char *cv_table_format(const cv_table *t, int64_t max_rows, int max_width)
{
    (void)t, (void)max_rows, (void)max_width;
    return NULL;
}

int cv_utf8_width(const char *s, size_t len)
{
    (void)s;
    return (int)len;
}
