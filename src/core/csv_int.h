/* Private to the CSV reader (csv_read.c, csv_source.c): the decoded-text source that
   reads a byte range of a file or buffer in blocks, checks UTF-8 or converts GB18030,
   and reports where a bad byte is. Not a public header. */
#ifndef CVKIT_CSV_INT_H
#define CVKIT_CSV_INT_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "cvkit/csv.h"

#define CV_CSV_BLOCK (1u << 20) /* bytes read per block */

typedef struct cv_src {
    int fd;              /* file descriptor, or -1 when reading mem */
    const char *mem;     /* the whole input when reading from memory */
    uint64_t pos, end;   /* next raw offset to read, end of the range */
    cv_encoding enc;     /* CV_ENC_UTF8 (checked) or CV_ENC_GB18030 (converted) */
    iconv_t cd;          /* GB18030 -> UTF-8 converter, (iconv_t)-1 when unused */
    char *raw, *out;     /* block buffers (raw input, converted output) */
    uint64_t bad;        /* raw offset of the first invalid byte, when status is 1 */
    int status;          /* 0 ok, 1 invalid text at bad, -1 read error (errno_ in err_no) */
    int err_no;
} cv_src;

/* Opens a source over raw bytes [begin, end) of fd (or mem when fd < 0) in encoding enc
   (CV_ENC_UTF8 or CV_ENC_GB18030). 0 or -1 (out of memory, iconv unavailable). */
int cv_src_open(cv_src *s, int fd, const char *mem, uint64_t begin, uint64_t end,
                cv_encoding enc);
/* The next block of UTF-8 text: sets *p and *n and returns 1; 0 at the end of the range;
   -1 on a read error or invalid text (s->status says which, s->bad where). Blocks end on
   character boundaries. *raw_done is set to the raw offset reached. */
int cv_src_next(cv_src *s, const char **p, size_t *n, uint64_t *raw_done);
void cv_src_close(cv_src *s);

/* The length of the longest prefix of p[0..n) made of whole valid UTF-8 characters when
   the input may continue after n (at_end 0), or of valid characters (at_end 1). Sets
   *bad to the offset of the first invalid byte and returns -1 if there is one before. */
long cv_utf8_valid_prefix(const unsigned char *p, size_t n, int at_end, size_t *bad);

#endif
