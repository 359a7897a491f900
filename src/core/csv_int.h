/* Private to the CSV reader, whose jobs are split over these files:
     csv_read.c     the entry points: options, the input's kind and encoding, the retries
     csv_source.c   the bytes of a range as checked UTF-8 (or GB18030 converted)
     csv_tokenize.c fields and rows out of text (libcsv, its quote-free fast path, blanks)
     csv_infer.c    what a value looks like (its class) and the type lattice of a column
     csv_sample.c   the sample pass: delimiter, header, names, starting types
     csv_columns.c  values stored into a chunk's columns, widened when a value asks
     csv_typed.c    the typed fast path: rows of plain values parsed straight in
     csv_chunks.c   the main pass: chunks on threads, their columns planned and merged
     csv_report.c   problems located (file:line:column) and worded
   Not a public header. */
#ifndef CVKIT_CSV_INT_H
#define CVKIT_CSV_INT_H

#include <csv.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/progress.h"
#include "cvkit/table.h"

/* ---- The decoded-text source (csv_source.c) ------------------------------------------ */

#define CV_CSV_BLOCK (1u << 20) /* bytes read per block */

typedef struct cv_src {
    int fd;            /* file descriptor, or -1 when reading mem */
    const char *mem;   /* the whole input when reading from memory */
    uint64_t pos, end; /* next raw offset to read, end of the range */
    cv_encoding enc;   /* CV_ENC_UTF8 (checked) or CV_ENC_GB18030 (converted) */
    iconv_t cd;        /* GB18030 -> UTF-8 converter, (iconv_t)-1 when unused */
    char *raw, *out;   /* block buffers (raw input, converted output) */
    uint64_t bad;      /* raw offset of the first invalid byte, when status is 1 */
    int status;        /* 0 ok, 1 invalid text at bad, -1 read error (errno_ in err_no) */
    int err_no;
} cv_src;

/* Opens a source over raw bytes [begin, end) of fd (or mem when fd < 0) in encoding enc
   (CV_ENC_UTF8 or CV_ENC_GB18030). 0 or -1 (out of memory, iconv unavailable). */
int cv_src_open(cv_src *s, int fd, const char *mem, uint64_t begin, uint64_t end, cv_encoding enc);
/* The next block of UTF-8 text: sets *p and *n and returns 1; 0 at the end of the range;
   -1 on a read error or invalid text (s->status says which, s->bad where). Blocks end on
   character boundaries. *raw_done is set to the raw offset reached. */
int cv_src_next(cv_src *s, const char **p, size_t *n, uint64_t *raw_done);
void cv_src_close(cv_src *s);

/* The length of the longest prefix of p[0..n) made of whole valid UTF-8 characters when
   the input may continue after n (at_end 0), or of valid characters (at_end 1). Sets
   *bad to the offset of the first invalid byte and returns -1 if there is one before. */
long cv_utf8_valid_prefix(const unsigned char *p, size_t n, int at_end, size_t *bad);

/* ---- Value classes (csv_infer.c) ----------------------------------------------------- */

/* What a text value looks like. A column's type is a function of the set of classes
   seen in it (cv_rd_mask_type), so it does not depend on the order the values came in:
   that is what makes chunked, threaded reading give exactly the one-thread result. */
enum {
    K_D8 = 1,        /* 8 digits that are also a date YYYYMMDD (years 1700..2299): a date
                        only in a column whose name says date (name_says_date) */
    K_INT = 2,       /* other integers */
    K_FLOAT = 4,     /* other decimal numbers */
    K_DATE = 8,      /* a date with separators */
    K_DATETIME = 16, /* a date with a time of day */
    K_BOOL = 32,     /* true/false, yes/no */
    K_STR = 64       /* anything else */
};

typedef struct val {
    int64_t i;    /* K_INT, K_D8 (the number), K_DATETIME (seconds) */
    double f;     /* K_FLOAT */
    int32_t days; /* K_D8, K_DATE */
    int b;        /* K_BOOL */
} val;

static inline int all_digits8(const char *s, size_t len)
{
    if (len != 8)
        return 0;
    for (int k = 0; k < 8; k++)
        if (s[k] < '0' || s[k] > '9')
            return 0;
    return 1;
}

/* 1 when a number is written with a leading zero before another digit ("007", "-01",
   "00.5"; not "0", "0.5"): such a value is an identifier or a code, read as text so
   that "007" and "7" stay two values. */
static inline int lead_zero(const char *s, size_t len)
{
    size_t k = len > 0 && (s[0] == '-' || s[0] == '+');
    return len > k + 1 && s[k] == '0' && s[k + 1] >= '0' && s[k + 1] <= '9';
}

/* What a value says about its column's way of writing numbers (cv_rd_num_evidence). */
enum { E_A = 1, E_B = 2, E_AMB = 4, E_S = 8, E_TEXT = 16, E_DOT3 = 32 };

/* The type of a column whose values showed the classes m; d8date: the column's name
   says date, so 8-digit YYYYMMDD values are dates (else they are integers). */
cv_type cv_rd_mask_type(unsigned m, int d8date);
/* The class of a non-missing text value, with its parsed value; numbers in style dec
   (cv_rd_styled_number). */
unsigned cv_rd_classify(const char *s, size_t len, cv_date_order order, char dec, const char *thou,
                        val *v);
/* A number written in style dec ('.' or ',' with thousands separators from thou; 0:
   plain, '.' and no separators), as an integer (K_INT) or a float (K_FLOAT); 0 if not. */
unsigned cv_rd_styled_number(const char *s, size_t len, char dec, const char *thou, val *v);
/* E_A, E_B, E_AMB, E_S, E_TEXT, E_DOT3 or 0 (see csv_infer.c). */
unsigned cv_rd_num_evidence(const char *s, size_t len, const char *thouA, const char *thouB);
/* 1 when a column name says it holds dates (order_date, OrderDate, 日期; not update). */
int cv_rd_name_says_date(const char *name);

/* ---- The read's settings -------------------------------------------------------------- */

typedef struct rcfg {
    const char *name; /* for messages */
    int fd;           /* or -1: mem */
    const char *mem;
    uint64_t begin, end; /* raw text range (after a BOM) */
    cv_encoding enc;     /* CV_ENC_UTF8 or CV_ENC_GB18030 */
    char delim;          /* CV_DELIM_WHITESPACE for blanks */
    int header;
    int ncols;
    char **names;
    cv_type *types;        /* starting storage types */
    unsigned *mask0;       /* starting class masks (from the sample) */
    unsigned char *fixed;  /* type given, pinned, or streaming: no inference */
    unsigned char *d8date; /* the column's name says date (name_says_date) */
    cv_date_order order;
    char fdec;               /* the decimal mark given ('.' or ','), 0: detect */
    char *ndec;              /* per column: 0 plain, '.' or ',' (with separators) */
    char thouA[8], thouB[8]; /* thousands separators with a decimal point, comma */
    const char *const *na;
    size_t *nalen;
    int nna;
    unsigned char na_first[256]; /* first bytes of the missing-value texts */
    int skip_bad, bad_missing;
    int lenient; /* lenient_quotes */
    double bytes_per_rec;
    int64_t batch_rows; /* streaming: rows per batch (0: not streaming) */
    cv_csv_batch_fn fn;
    void *ud;
    cv_progress prog;      /* the "read" step (include/cvkit/progress.h) */
    _Atomic uint64_t done; /* raw bytes done over all chunks */
} rcfg;

static inline int is_na(const rcfg *r, const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (!r->na_first[(unsigned char)s[0]])
        return 0;
    for (int k = 0; k < r->nna; k++)
        if (r->nalen[k] == len && memcmp(r->na[k], s, len) == 0)
            return 1;
    return 0;
}

/* The thousands separators of column j's style. */
#define THOU(r, j) ((r)->ndec[j] == ',' ? (r)->thouB : (r)->thouA)

/* ---- The tokenizer (csv_tokenize.c) --------------------------------------------------- */

typedef void (*field_cb)(void *, size_t, void *);
typedef void (*row_cb)(int, void *);

typedef struct tok {
    int ws;
    struct csv_parser p;
    field_cb cb1;
    row_cb cb2;
    void *ud;
    /* the main pass's typed fast path (csv_typed.c), tried at each run of whole lines
       without quotes; NULL: none */
    const char *(*rows)(void *ud, const unsigned char *cls, char d, const char *p, const char *end);
    unsigned char cls[256]; /* fast path: 1 ends a field (delimiter, CR, LF), 2 blank */
    int infield, nf;        /* whitespace: inside a field, fields in this row */
    char *carry;            /* whitespace: a field cut by a block end */
    size_t clen, ccap;
    /* quotes (delimited text): libcsv runs in strict mode, so a quote inside an unquoted
       field or text after a closing quote stops it; lenient reads the field as written */
    int lenient;
    int lax;          /* lenient: the rest of the current field goes on in the next block */
    int64_t nlenient; /* fields read as written */
    int qerr;         /* strict: Q_INSIDE or Q_AFTER */
    char qtext[40];   /* strict: the field's text, for the message */
} tok;

enum { Q_INSIDE = 1, Q_AFTER = 2 }; /* a quote in an unquoted field, text after a closing one */

/* A tokenizer for delimiter delim (CV_DELIM_WHITESPACE: blanks) calling cb1 for each field
   and cb2 at each row's end with ud. 0 or -1 (memory). */
int cv_rd_tok_init(tok *t, char delim, int lenient, field_cb cb1, row_cb cb2, void *ud);
/* Feeds text: 0, -1 (memory) or -2 (a stray quote, strict: t->qerr and t->qtext say). */
int cv_rd_tok_feed(tok *t, const char *p, size_t n);
/* Ends the text: *open_quote when it ends inside a quoted field (nothing submitted). */
int cv_rd_tok_fini(tok *t, int *open_quote);
/* 1 when the text so far ended on a row boundary (a chunk may start after it). */
int cv_rd_tok_clean(const tok *t);
void cv_rd_tok_free(tok *t);

/* ---- Problems (found by the passes, worded by csv_report.c) --------------------------- */

enum {
    P_NONE = 0,
    P_RAGGED, /* a row with the wrong number of fields */
    P_VALUE,  /* a value that is not of its column's type */
    P_QUOTE,  /* the text ends inside a quoted field */
    P_STRAY,  /* a quote inside an unquoted field, or text after a closing quote */
    P_TEXT,   /* invalid UTF-8 / GB18030 at raw offset */
    P_IO,
    P_NOMEM,
    P_RESTART, /* a column must be read again as text */
    P_USER,    /* the streaming callback stopped */
    P_CANCEL,  /* cancellation was asked (include/cvkit/cancel.h) */
    P_ABORT,   /* an earlier chunk stopped: this one's result does not matter */
    P_AMBIG    /* a number that reads two ways (1,234), in a column that does not say */
};

typedef struct problem {
    int kind;
    int64_t rec; /* record index in the whole text (header included) */
    int field;   /* field index, for P_VALUE */
    int expected, found;
    int col;       /* column, for P_VALUE */
    uint64_t raw;  /* P_TEXT: raw offset; P_IO: errno */
    char text[48]; /* the value found, cut */
} problem;

/* Formats a problem found in the text as "name:line:col: message" into err; returns its
   error code. */
int cv_rd_report_problem(const rcfg *r, const problem *p, cv_error *err);
/* The message of problem p (an example in the read's report), cut to size. */
void cv_rd_example_text(const rcfg *r, const problem *p, char *out, size_t size);

/* ---- Chunks and their columns (csv_columns.c, csv_typed.c, csv_chunks.c) --------------- */

typedef struct colbuf {
    cv_column *col;
    unsigned mask; /* classes seen (inferred columns) */
    int empty;     /* no value stored yet: the storage type may still change freely */
} colbuf;

/* Chunks parsed by a few threads (see pool_work). */
typedef struct pool {
    struct chunk *ck;
    int nc;
    int count; /* 1: count each chunk's line ends (count_lines) instead of parsing it */
    atomic_int next;
    atomic_int first_stop; /* lowest index of a chunk that stopped, or nc */
} pool;

typedef struct chunk {
    rcfg *r;
    uint64_t begin, end; /* raw range */
    int first, last, main_thread;
    int index;         /* position among the chunks */
    struct pool *pool; /* the chunks being parsed together, or NULL */
    colbuf *cols;
    int ncols;
    int64_t rec;     /* records seen, the header included */
    int64_t rec0;    /* index of this chunk's first record in the whole text */
    int64_t rows;    /* data rows kept */
    int64_t lines;   /* line ends in the raw range (pool count mode), -1 on a read error */
    int64_t pf_rows; /* rows of the planned views made present so far (prefault_views) */
    int field;       /* fields seen in the current record */
    int in_header;
    int stop; /* a problem kind: parsing stops */
    problem err;
    unsigned char *restart;
    int clean_end; /* the chunk ended on a row boundary */
    /* forgiving modes */
    int64_t skipped, badvals, nlenient;
    problem ex[3];
    int nex;
    /* buffered rows (skip_bad_rows): field texts until the row is known good */
    char *rb;
    size_t rblen, rbcap;
    size_t *roff;
    int rbn, rbfcap;
    /* streaming */
    int64_t batch_n;
    int user_rc;
    cv_error *uerr;
} chunk;
enum { TYPED_MAX = 64 }; /* the most columns the typed fast path takes (csv_typed.c) */

/* The main pass's field and row callbacks (ud: the chunk). */
void cv_rd_on_field(void *s, size_t len, void *ck);
void cv_rd_on_row(int c, void *ck);
/* Out of memory: the chunk stops (unless it already has). */
void cv_rd_fail_nomem(chunk *ck);
/* Converts a column holding values of mask cb->mask to type t: exact conversions only.
   0 done, 1 impossible (the text must be read again as strings), -1 out of memory. */
int cv_rd_col_convert(colbuf *cb, cv_type t);
/* Appends chunk b's column to a's (same type), remapping string codes. 0 or -1. */
int cv_rd_col_append(cv_column *a, cv_column *b);
/* The typed fast path (tok.rows; ck: the chunk): rows parsed straight into the columns
   from p, a row start; returns where it stopped (a row start, or end). */
const char *cv_rd_typed_rows(void *ck, const unsigned char *cls, char d, const char *p,
                             const char *end);
/* Streaming: hands the rows so far to the callback, and fresh columns to the chunk. */
int cv_rd_emit_batch(chunk *ck);

/* ---- The passes (csv_sample.c, csv_chunks.c), driven by csv_read.c -------------------- */

enum { CHUNKS_MAX = 16 }; /* the most chunks of a main pass */

/* The line ends of the main pass's chunks (the plan of its columns: csv_chunks.c), counted
   on a thread of their own while the sample pass runs: they depend on the bytes only. */
typedef struct precount {
    pthread_t th;
    int running;          /* th started, not yet joined */
    int done;             /* lines[] hold the counts of the nc chunks cut[] */
    int fd;               /* the input, as in rcfg */
    const char *mem;
    int nc;
    uint64_t cut[CHUNKS_MAX + 1];
    int64_t lines[CHUNKS_MAX]; /* -1: a read error (no plan) */
    atomic_int next;           /* the next chunk to count */
    atomic_int stop;           /* 1: stop counting (the counts are not wanted) */
} precount;

typedef struct reader {
    rcfg r;
    const cv_csv_options *opt;
    cv_csv_report *rep;
    int nthreads;
    char *nabuf;
    precount pre;
} reader;

/* Starts counting the line ends of the chunks a main pass of R->nthreads threads will cut
   the text into (r's fd or mem, begin and end set), on another thread; nothing when the read
   takes one thread, streams or skips bad rows (no plan), or when started already. The sample
   pass starts it once its first block has come whole (text, without a NUL or an invalid
   byte), so that a file that is not text is not read further than before. cv_rd_precount_end joins the thread
   (on every way out of the read): with need, after helping it count what is left (the counts
   are then in R->pre); without, after telling it to stop (a read that ends before its plan). */
void cv_rd_precount_start(reader *R);
void cv_rd_precount_end(reader *R, int need);

/* What the reader does after a pass, apart from the pass's error code. */
typedef enum read_retry {
    RETRY_NONE,    /* the pass is over: its error code says how (0: it did its job) */
    RETRY_GB18030, /* invalid UTF-8 under encoding auto: read again as GB18030 (either pass) */
    RETRY_PINNED,  /* a column pinned to text, or threads off: the main pass again */
} read_retry;

/* The sample pass: delimiter, header, names, starting types. Returns 0 or an error code
   (err set); *retry is RETRY_GB18030 (with 0) when the text is not UTF-8 under encoding
   auto, else RETRY_NONE. */
int cv_rd_sample_pass(reader *R, int64_t limit_rows, read_retry *retry, cv_error *err);
/* The main pass with up to nth threads. Returns 0 with *out set (or the batches handed
   over) and *retry RETRY_NONE, an error code (err set), or 0 with *retry RETRY_PINNED
   (a column pinned to text, or threads off: go again) or RETRY_GB18030. */
int cv_rd_main_pass(reader *R, int nth, cv_table **out, read_retry *retry, cv_error *err);

#endif
