/* Workbooks into CSV text for the reader: .xlsx through libzip (the container) and expat
   (its XML parts: workbook, relationships, shared strings, styles, the sheet), .xls
   through FreeXL. Cells keep their kind: numbers, text, booleans, dates (from the cell's
   number format: built-in 14-22 and the CJK date formats, custom formats with d, m or y;
   the 1900 system with its leap-year bug, or the 1904 system), error cells. */
#include "book_int.h"

#include <expat.h>
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"

/* ---- Growing buffers ------------------------------------------------------------------ */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int nomem;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->nomem)
        return -1;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = cv_realloc(b->p, cap);
        if (!p) {
            b->nomem = 1;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int sb_str(sbuf *b, const char *s)
{
    return sb_add(b, s, strlen(s));
}

/* ---- Cells ---------------------------------------------------------------------------- */

enum { C_NUM, C_STR, C_BOOL, C_DATE, C_ERR, C_TEXTDATE };

typedef struct cell {
    long row; /* 1-based */
    int col;  /* 0-based */
    int kind;
    double num; /* C_NUM, C_DATE (a serial), C_BOOL */
    size_t off; /* C_STR, C_ERR, C_TEXTDATE: text in the pool */
} cell;

typedef struct sheetcells {
    cell *c;
    size_t n, cap;
    sbuf pool;
    int nomem;
} sheetcells;

static cell *cells_add(sheetcells *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        cell *c = cv_realloc(s->c, cap * sizeof *c);
        if (!c) {
            s->nomem = 1;
            return NULL;
        }
        s->c = c;
        s->cap = cap;
    }
    memset(&s->c[s->n], 0, sizeof *s->c);
    return &s->c[s->n++];
}

static void cells_free(sheetcells *s)
{
    cv_free(s->c);
    cv_free(s->pool.p);
}

/* "C14" for column col (0-based), row. */
static void cell_ref(int col, long row, char *buf, size_t size)
{
    char letters[8];
    int k = 0;
    unsigned c = (unsigned)col + 1;
    while (c > 0 && k < 7) {
        letters[k++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    size_t n = 0;
    while (k > 0 && n + 1 < size)
        buf[n++] = letters[--k];
    snprintf(buf + n, size - n, "%ld", row);
}

/* The shortest text that reads back to v, with decimal mark dec. */
static void fmt_number(double v, char dec, char *buf, size_t size)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (dec != '.') {
        char *d = strchr(buf, '.');
        if (d)
            *d = dec;
    }
}

/* A date serial as YYYY-MM-DD, with " HH:MM:SS" when it has a time of day; 0 or -1. */
static int fmt_serial(double v, int date1904, char *buf, size_t size)
{
    int32_t days, secs;
    int y, m, d;
    if (cv_excel_serial(v, date1904, &days, &secs) != 0)
        return -1;
    cv_civil_from_days(days, &y, &m, &d);
    if (secs)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, secs / 3600, secs / 60 % 60,
                 secs % 60);
    else
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static int is_na_text(const cv_csv_options *opt, const char *s)
{
    static const char *const def[] = {"NA", "NULL"};
    const char *const *na = opt && opt->na ? opt->na : def;
    int nna = opt && opt->na ? opt->nna : 2;
    for (int k = 0; k < nna; k++)
        if (strcmp(na[k], s) == 0)
            return 1;
    return 0;
}

static int line_add(cv_booktext *bt, long *cap, long row, int field)
{
    if (bt->nlines == *cap) {
        long c = *cap ? *cap * 2 : 256;
        long *lr = cv_realloc(bt->line_row, (size_t)c * sizeof *lr);
        if (lr)
            bt->line_row = lr;
        int *lf = cv_realloc(bt->line_field, (size_t)c * sizeof *lf);
        if (lf)
            bt->line_field = lf;
        if (!lr || !lf)
            return -1;
        *cap = c;
    }
    bt->line_row[bt->nlines] = row;
    bt->line_field[bt->nlines++] = field;
    return 0;
}

static int cmp_cell(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* Writes the cells of sheet (named book:sheet) as CSV into bt. */
static int write_csv(sheetcells *sc, const char *book, const char *sheet, int date1904,
                     const cv_csv_options *opt, char dec, cv_booktext *bt, cv_error *err)
{
    sbuf out = {0};
    long lcap = 0;
    char num[64];
    size_t nl = strlen(book) + strlen(sheet) + 2;
    memset(bt, 0, sizeof *bt);
    if (!(bt->name = cv_malloc(nl)))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", book);
    snprintf(bt->name, nl, "%s:%s", book, sheet);
    if (sc->n > 0)
        qsort(sc->c, sc->n, sizeof *sc->c, cmp_cell);
    int c0 = -1, c1 = -1;
    for (size_t i = 0; i < sc->n; i++) {
        if (c0 < 0 || sc->c[i].col < c0)
            c0 = sc->c[i].col;
        if (sc->c[i].col > c1)
            c1 = sc->c[i].col;
    }
    bt->first_col = c0 < 0 ? 0 : c0;
    size_t i = 0;
    while (i < sc->n) {
        long row = sc->c[i].row;
        int col = c0;
        if (line_add(bt, &lcap, row, 0) != 0)
            goto nomem;
        for (; i < sc->n && sc->c[i].row == row; i++) {
            const cell *c = &sc->c[i];
            if (c->col < col) /* a repeated cell reference: the later one wins */
                continue;
            for (; col < c->col; col++)
                sb_add(&out, ",", 1);
            const char *txt = sc->pool.p ? sc->pool.p + c->off : "";
            switch (c->kind) {
            case C_NUM:
                fmt_number(c->num, dec, num, sizeof num);
                sb_str(&out, num);
                break;
            case C_DATE:
                if (fmt_serial(c->num, date1904, num, sizeof num) != 0) {
                    char ref[24];
                    cell_ref(c->col, row, ref, sizeof ref);
                    fmt_number(c->num, '.', num, sizeof num);
                    cv_free(out.p);
                    cv_booktext_free(bt);
                    return cv_error_set(err, CV_ERR_PARSE,
                                        "%s:%s!%s: expected a date, found the serial number "
                                        "%s, which is no calendar date (1900-02-29 or 0)",
                                        book, sheet, ref, num);
                }
                sb_str(&out, num);
                break;
            case C_BOOL:
                sb_str(&out, c->num != 0 ? "true" : "false");
                break;
            case C_TEXTDATE:
                sb_str(&out, txt);
                break;
            case C_ERR:
                if (!is_na_text(opt, txt)) {
                    char ref[24];
                    cell_ref(c->col, row, ref, sizeof ref);
                    cv_error_set(err, CV_ERR_PARSE,
                                 "%s:%s!%s: expected a value, found the error %.40s "
                                 "(na = {\"%.40s\"} reads it as missing)",
                                 book, sheet, ref, txt, txt);
                    cv_free(out.p);
                    cv_booktext_free(bt);
                    return CV_ERR_PARSE;
                }
                break;
            case C_STR:
                sb_add(&out, "\"", 1);
                for (const char *p = txt; *p; p++) {
                    if (*p == '"')
                        sb_add(&out, "\"", 1);
                    if (*p == '\n' && line_add(bt, &lcap, row, col - c0 + 1) != 0)
                        goto nomem;
                    sb_add(&out, p, 1);
                }
                sb_add(&out, "\"", 1);
                break;
            }
            if (c->col < c1)
                sb_add(&out, ",", 1);
            col = c->col + 1;
        }
        for (; col < c1; col++)
            sb_add(&out, ",", 1);
        sb_add(&out, "\n", 1);
    }
    if (out.nomem)
        goto nomem;
    if (!out.p && sb_add(&out, "", 0) != 0)
        goto nomem;
    bt->text = out.p;
    bt->len = out.n;
    return 0;
nomem:
    cv_free(out.p);
    cv_booktext_free(bt);
    return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", book);
}

void cv_booktext_free(cv_booktext *bt)
{
    cv_free(bt->text);
    cv_free(bt->name);
    cv_free(bt->line_row);
    cv_free(bt->line_field);
    memset(bt, 0, sizeof *bt);
}

void cv_booktext_place(const cv_booktext *bt, cv_error *err)
{
    if (!err || err->line <= 0 || err->line > bt->nlines || !bt->text)
        return;
    char head[600];
    snprintf(head, sizeof head, "%s:%ld:%ld: ", bt->name, err->line, err->col);
    size_t hl = strlen(head);
    if (strncmp(err->msg, head, hl) != 0)
        return;
    /* the field at character column col of the line */
    const char *p = bt->text;
    for (long l = 1; l < err->line; p++)
        if (*p == '\n')
            l++;
    int cont = bt->line_field[err->line - 1] > 0; /* the line goes on inside a cell */
    int field = cont ? bt->line_field[err->line - 1] - 1 : 0, inq = cont;
    for (long c = 1; c < err->col && *p && *p != '\n'; p++) {
        if (*p == '"')
            inq = !inq;
        else if (*p == ',' && !inq)
            field++;
        if (((unsigned char)*p & 0xC0) != 0x80)
            c++;
    }
    char ref[24], rest[256];
    cell_ref(bt->first_col + field, bt->line_row[err->line - 1], ref, sizeof ref);
    snprintf(rest, sizeof rest, "%s", err->msg + hl);
    cv_error_set(err, err->code, "%s!%s: %s", bt->name, ref, rest);
}

/* ---- .xlsx: the XML parts --------------------------------------------------------------- */

/* The local name of an element or attribute ("x:row" -> "row"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int k = 0; atts[k]; k += 2)
        if (strcmp(local(atts[k]), name) == 0)
            return atts[k + 1];
    return NULL;
}

typedef struct part {
    zip_t *za;
    const char *book;
    cv_error *err;
} part;

/* Parses member name of the zip with the handlers; 0, 1 when the member is absent
   (and optional), or an error code with err set. */
static int parse_part(part *pt, const char *name, int optional, XML_StartElementHandler st,
                      XML_EndElementHandler en, XML_CharacterDataHandler ch, void *ud, int *nomem)
{
    zip_file_t *zf = zip_fopen(pt->za, name, ZIP_FL_NOCASE);
    if (!zf) {
        if (optional)
            return 1;
        return cv_error_set(pt->err, CV_ERR_PARSE,
                            "%s: expected an .xlsx workbook, found no part '%s'", pt->book, name);
    }
    XML_Parser xp = XML_ParserCreate(NULL);
    if (!xp) {
        zip_fclose(zf);
        return cv_error_set(pt->err, CV_ERR_NOMEM, "out of memory reading %s", pt->book);
    }
    XML_SetUserData(xp, ud);
    XML_SetElementHandler(xp, st, en);
    if (ch)
        XML_SetCharacterDataHandler(xp, ch);
    char buf[65536];
    int rc = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf, sizeof buf);
        if (got < 0) {
            rc = cv_error_set(pt->err, CV_ERR_PARSE, "%s: cannot read part '%s': %s", pt->book,
                              name, zip_file_strerror(zf));
            break;
        }
        if (XML_Parse(xp, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
            rc = cv_error_set(pt->err, CV_ERR_PARSE, "%s: part '%s' line %lu: %s", pt->book, name,
                              (unsigned long)XML_GetCurrentLineNumber(xp),
                              XML_ErrorString(XML_GetErrorCode(xp)));
            break;
        }
        if (*nomem) {
            rc = cv_error_set(pt->err, CV_ERR_NOMEM, "out of memory reading %s", pt->book);
            break;
        }
        if (got == 0)
            break;
    }
    XML_ParserFree(xp);
    zip_fclose(zf);
    return rc;
}

/* workbook.xml: the sheets (name, relationship id) and the date system. */
typedef struct wbook {
    sbuf names, rids; /* NUL-separated */
    int nsheets;
    int date1904;
    int nomem;
} wbook;

static void wb_start(void *ud, const char *el, const char **atts)
{
    wbook *w = ud;
    const char *n = local(el);
    if (strcmp(n, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        w->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *nm = attr(atts, "name"), *id = attr(atts, "id");
        if (sb_add(&w->names, nm ? nm : "", strlen(nm ? nm : "") + 1) ||
            sb_add(&w->rids, id ? id : "", strlen(id ? id : "") + 1))
            w->nomem = 1;
        w->nsheets++;
    }
}

static void no_end(void *ud, const char *el)
{
    (void)ud;
    (void)el;
}

/* workbook.xml.rels: the target of one relationship id. */
typedef struct rels {
    const char *want;
    char target[512];
} rels;

static void rel_start(void *ud, const char *el, const char **atts)
{
    rels *r = ud;
    if (strcmp(local(el), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (id && t && strcmp(id, r->want) == 0)
        snprintf(r->target, sizeof r->target, "%s", t);
}

/* sharedStrings.xml: the strings (text of <t> in <si>, runs joined, phonetic runs left
   out) as offsets into one pool. */
typedef struct sst {
    sbuf pool;
    size_t *off;
    size_t n, cap;
    int in_t, in_rph;
    int nomem;
} sst;

static void sst_start(void *ud, const char *el, const char **atts)
{
    sst *s = ud;
    const char *n = local(el);
    (void)atts;
    if (strcmp(n, "si") == 0) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 256;
            size_t *o = cv_realloc(s->off, cap * sizeof *o);
            if (!o) {
                s->nomem = 1;
                return;
            }
            s->off = o;
            s->cap = cap;
        }
        s->off[s->n++] = s->pool.n;
    } else if (strcmp(n, "t") == 0) {
        s->in_t = 1;
    } else if (strcmp(n, "rPh") == 0) {
        s->in_rph = 1;
    }
}

static void sst_end(void *ud, const char *el)
{
    sst *s = ud;
    const char *n = local(el);
    if (strcmp(n, "si") == 0) {
        if (sb_add(&s->pool, "", 1))
            s->nomem = 1;
    } else if (strcmp(n, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        s->in_rph = 0;
    }
}

static void sst_text(void *ud, const char *t, int len)
{
    sst *s = ud;
    if (s->in_t && !s->in_rph && s->n > 0 && sb_add(&s->pool, t, (size_t)len))
        s->nomem = 1;
}

/* styles.xml: per cell format (xf in cellXfs), whether it shows a date. */
typedef struct styles {
    int *fmt_of_xf; /* number format id per xf */
    int nxf, capxf;
    int *date_fmt; /* custom format ids that show dates */
    int ndate, capdate;
    int in_xfs;
    int nomem;
} styles;

/* 1 when a custom number format code shows a date: d, m or y outside quotes, brackets
   and escapes (m alone is minutes after h or before s: "h:mm" is a time). */
static int code_is_date(const char *code)
{
    int d = 0, y = 0, m = 0, h = 0, s = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1])
                p++;
        } else {
            char c = (char)(*p | 32);
            d |= c == 'd';
            y |= c == 'y' || c == 'e';
            m |= c == 'm';
            h |= c == 'h';
            s |= c == 's';
        }
    }
    return d || y || (m && !h && !s);
}

static int int_add(int **a, int *n, int *cap, int v)
{
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 64;
        int *p = cv_realloc(*a, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        *a = p;
        *cap = c;
    }
    (*a)[(*n)++] = v;
    return 0;
}

static void st_start(void *ud, const char *el, const char **atts)
{
    styles *s = ud;
    const char *n = local(el);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && code_is_date(code) &&
            int_add(&s->date_fmt, &s->ndate, &s->capdate, atoi(id)))
            s->nomem = 1;
    } else if (strcmp(n, "cellXfs") == 0) {
        s->in_xfs = 1;
    } else if (strcmp(n, "xf") == 0 && s->in_xfs) {
        const char *id = attr(atts, "numFmtId");
        if (int_add(&s->fmt_of_xf, &s->nxf, &s->capxf, id ? atoi(id) : 0))
            s->nomem = 1;
    }
}

static void st_end(void *ud, const char *el)
{
    styles *s = ud;
    if (strcmp(local(el), "cellXfs") == 0)
        s->in_xfs = 0;
}

/* The kind of date a number format id shows: 0 none, 1 a date (or date and time), 2 a
   time of day only. Built-in 14-17, 22 dates, 18-21, 45-47 times; 27-36, 50-58 the
   locale's (CJK) date formats. */
static int fmt_kind(const styles *s, int id)
{
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
        (id >= 50 && id <= 58))
        return 1;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
        return 2;
    for (int k = 0; k < s->ndate; k++)
        if (s->date_fmt[k] == id)
            return 1;
    return 0;
}

/* The sheet. */
typedef struct sheetp {
    sheetcells *sc;
    const sst *strings;
    const styles *st;
    long row; /* the current row (1-based) */
    int col;  /* the next column (0-based) */
    int type; /* the current cell's t: 'n' 's' 'b' 'e' 'i' (inlineStr) 'r' (str) 'd' */
    int style;
    int in_c, in_v, in_is, in_t, in_rph;
    sbuf val;     /* <v> or inline text */
    long bad_row; /* a cell that does not read: its place and what */
    int bad_col;
    char bad[80];
    int nomem;
} sheetp;

/* Parses "C14" into a 0-based column and a row; 0 or -1. */
static int parse_ref(const char *r, int *col, long *row)
{
    int c = 0, k = 0;
    while (r[k] >= 'A' && r[k] <= 'Z' && k < 4)
        c = c * 26 + (r[k++] - 'A' + 1);
    if (k == 0 || c > 16384)
        return -1;
    char *end;
    long rw = strtol(r + k, &end, 10);
    if (*end || rw < 1 || rw > 1048576)
        return -1;
    *col = c - 1;
    *row = rw;
    return 0;
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    sheetp *s = ud;
    const char *n = local(el);
    if (strcmp(n, "row") == 0) {
        const char *r = attr(atts, "r");
        long rw = r ? strtol(r, NULL, 10) : s->row + 1;
        s->row = rw >= 1 && rw <= 1048576 ? rw : s->row + 1;
        s->col = 0;
    } else if (strcmp(n, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        int col;
        long row;
        if (r && parse_ref(r, &col, &row) == 0) {
            s->col = col;
            if (row != s->row)
                s->row = row;
        }
        s->type = !t ? 'n' : strcmp(t, "inlineStr") == 0 ? 'i' : strcmp(t, "str") == 0 ? 'r' : t[0];
        s->style = st ? atoi(st) : 0;
        s->in_c = 1;
        s->val.n = 0;
        if (s->val.p)
            s->val.p[0] = '\0';
    } else if (s->in_c && strcmp(n, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_c && strcmp(n, "is") == 0) {
        s->in_is = 1;
    } else if (s->in_is && strcmp(n, "t") == 0) {
        s->in_t = 1;
    } else if (s->in_is && strcmp(n, "rPh") == 0) {
        s->in_rph = 1;
    }
}

static void sh_text(void *ud, const char *t, int len)
{
    sheetp *s = ud;
    if ((s->in_v || (s->in_t && !s->in_rph)) && sb_add(&s->val, t, (size_t)len))
        s->nomem = 1;
}

static void sh_bad(sheetp *s, const char *what)
{
    if (s->bad_row)
        return;
    s->bad_row = s->row;
    s->bad_col = s->col;
    snprintf(s->bad, sizeof s->bad, "%s", what);
}

/* The cell just closed. */
static void sh_cell(sheetp *s)
{
    const char *v = s->val.p ? s->val.p : "";
    size_t vn = s->val.n;
    if (vn == 0 && s->type != 'i' && s->type != 'r' && s->type != 's')
        return; /* no value: an empty (styled) cell */
    cell *c = cells_add(s->sc);
    if (!c) {
        s->nomem = 1;
        return;
    }
    c->row = s->row;
    c->col = s->col;
    char *end;
    switch (s->type) {
    case 's': {
        long k = strtol(v, &end, 10);
        if (end == v || *end || k < 0 || (size_t)k >= s->strings->n) {
            sh_bad(s, "a shared string that the workbook does not have");
            s->sc->n--;
            return;
        }
        const char *txt = s->strings->pool.p + s->strings->off[k];
        c->kind = C_STR;
        c->off = s->sc->pool.n;
        if (sb_add(&s->sc->pool, txt, strlen(txt) + 1))
            s->nomem = 1;
        return;
    }
    case 'i':
    case 'r':
    case 'd':
        c->kind = s->type == 'd' ? C_TEXTDATE : C_STR;
        c->off = s->sc->pool.n;
        if (sb_add(&s->sc->pool, v, vn + 1))
            s->nomem = 1;
        return;
    case 'e':
        c->kind = C_ERR;
        c->off = s->sc->pool.n;
        if (sb_add(&s->sc->pool, v, vn + 1))
            s->nomem = 1;
        return;
    case 'b':
        c->kind = C_BOOL;
        c->num = v[0] == '1' || v[0] == 't';
        return;
    default: {
        double d = strtod(v, &end);
        if (end == v || *end || !isfinite(d)) {
            sh_bad(s, "a number cell that holds no number");
            s->sc->n--;
            return;
        }
        c->num = d;
        int xf = s->style;
        int kind = xf >= 0 && xf < s->st->nxf ? fmt_kind(s->st, s->st->fmt_of_xf[xf]) : 0;
        c->kind = kind == 1 ? C_DATE : C_NUM;
        if (kind == 2 && d >= 0 && d < 1) { /* a time of day: HH:MM:SS as text */
            char buf[16];
            int secs = (int)floor(d * 86400.0 + 0.5) % 86400;
            snprintf(buf, sizeof buf, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
            c->kind = C_TEXTDATE;
            c->off = s->sc->pool.n;
            if (sb_add(&s->sc->pool, buf, strlen(buf) + 1))
                s->nomem = 1;
        }
        return;
    }
    }
}

static void sh_end(void *ud, const char *el)
{
    sheetp *s = ud;
    const char *n = local(el);
    if (strcmp(n, "c") == 0) {
        if (s->in_c)
            sh_cell(s);
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        s->col++;
    } else if (strcmp(n, "v") == 0) {
        s->in_v = 0;
    } else if (strcmp(n, "is") == 0) {
        s->in_is = 0;
    } else if (strcmp(n, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        s->in_rph = 0;
    }
}

/* Which sheet: by name, else a number from 1, else the first; -1 when there is none. */
static int pick_sheet(const wbook *w, const char *want)
{
    if (!want || !*want)
        return w->nsheets > 0 ? 0 : -1;
    const char *p = w->names.p;
    for (int k = 0; k < w->nsheets; k++, p += strlen(p) + 1)
        if (strcmp(p, want) == 0)
            return k;
    char *end;
    long k = strtol(want, &end, 10);
    if (*end == '\0' && k >= 1 && k <= w->nsheets)
        return (int)k - 1;
    return -1;
}

/* "Sheet1, Data" into buf: the sheet names for a message. */
static void sheet_list(const char *names, int n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && used + 4 < size; k++, names += strlen(names) + 1)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? ", " : "", names);
}

int cv_xlsx_to_csv(const char *path, const char *mem, size_t len, const cv_csv_options *opt,
                   char dec, cv_booktext *bt, cv_error *err)
{
    int zer = 0, rc = 0;
    zip_t *za;
    memset(bt, 0, sizeof *bt);
    if (mem) {
        zip_error_t ze;
        zip_error_init(&ze);
        zip_source_t *src = zip_source_buffer_create(mem, len, 0, &ze);
        za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
        if (src && !za)
            zip_source_free(src);
        zer = zip_error_code_zip(&ze);
        zip_error_fini(&ze);
    } else {
        za = zip_open(path, ZIP_RDONLY, &zer);
    }
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zer);
        char msg[160];
        snprintf(msg, sizeof msg, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        for (char *p = msg; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        return cv_error_set(err, CV_ERR_PARSE,
                            "%s: expected an .xlsx workbook (a zip archive), found %s", path, msg);
    }
    part pt = {za, path, err};
    wbook wb;
    sst strings;
    styles st;
    sheetcells sc;
    sheetp sp;
    memset(&wb, 0, sizeof wb);
    memset(&strings, 0, sizeof strings);
    memset(&st, 0, sizeof st);
    memset(&sc, 0, sizeof sc);
    memset(&sp, 0, sizeof sp);
    rc = parse_part(&pt, "xl/workbook.xml", 0, wb_start, no_end, NULL, &wb, &wb.nomem);
    if (rc)
        goto done;
    int k = pick_sheet(&wb, opt ? opt->sheet : NULL);
    if (k < 0) {
        char list[300];
        sheet_list(wb.names.p ? wb.names.p : "", wb.nsheets, list, sizeof list);
        rc = cv_error_set(err, CV_ERR_USAGE, "%s: no sheet '%s' (the workbook has %s)", path,
                          opt && opt->sheet ? opt->sheet : "", wb.nsheets ? list : "none");
        goto done;
    }
    const char *sheet = wb.names.p, *rid = wb.rids.p;
    for (int q = 0; q < k; q++) {
        sheet += strlen(sheet) + 1;
        rid += strlen(rid) + 1;
    }
    rels rl;
    memset(&rl, 0, sizeof rl);
    rl.want = rid;
    int dummy = 0;
    rc = parse_part(&pt, "xl/_rels/workbook.xml.rels", 0, rel_start, no_end, NULL, &rl, &dummy);
    if (rc)
        goto done;
    char member[600];
    if (rl.target[0] == '/')
        snprintf(member, sizeof member, "%s", rl.target + 1);
    else if (rl.target[0])
        snprintf(member, sizeof member, "xl/%s", rl.target);
    else
        snprintf(member, sizeof member, "xl/worksheets/sheet%d.xml", k + 1);
    rc = parse_part(&pt, "xl/sharedStrings.xml", 1, sst_start, sst_end, sst_text, &strings,
                    &strings.nomem);
    if (rc > 1)
        goto done;
    rc = parse_part(&pt, "xl/styles.xml", 1, st_start, st_end, NULL, &st, &st.nomem);
    if (rc > 1)
        goto done;
    sp.sc = &sc;
    sp.strings = &strings;
    sp.st = &st;
    rc = parse_part(&pt, member, 0, sh_start, sh_end, sh_text, &sp, &sp.nomem);
    if (rc)
        goto done;
    if (sc.nomem) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
        goto done;
    }
    if (sp.bad_row) {
        char ref[24];
        cell_ref(sp.bad_col, sp.bad_row, ref, sizeof ref);
        rc = cv_error_set(err, CV_ERR_PARSE, "%s:%s!%s: expected a value, found %s", path, sheet,
                          ref, sp.bad);
        goto done;
    }
    rc = write_csv(&sc, path, sheet, wb.date1904, opt, dec, bt, err);
done:
    cv_free(wb.names.p);
    cv_free(wb.rids.p);
    cv_free(strings.pool.p);
    cv_free(strings.off);
    cv_free(st.fmt_of_xf);
    cv_free(st.date_fmt);
    cv_free(sp.val.p);
    cells_free(&sc);
    zip_discard(za);
    return rc;
}

/* ---- .xls ------------------------------------------------------------------------------- */

int cv_xls_to_csv(const char *path, const cv_csv_options *opt, char dec, cv_booktext *bt,
                  cv_error *err)
{
    const void *h = NULL;
    unsigned int nsheets = 0;
    int rc = 0;
    sheetcells sc;
    sbuf names = {0};
    memset(&sc, 0, sizeof sc);
    memset(bt, 0, sizeof *bt);
    if (freexl_open(path, &h) != FREEXL_OK) {
        if (h)
            freexl_close(h);
        return cv_error_set(err, CV_ERR_PARSE,
                            "%s: expected an .xls workbook, found a file FreeXL cannot read "
                            "(encrypted, or not BIFF)",
                            path);
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) != FREEXL_OK)
        nsheets = 0;
    wbook wb;
    memset(&wb, 0, sizeof wb);
    for (unsigned short k = 0; k < nsheets; k++) {
        const char *nm = NULL;
        if (freexl_get_worksheet_name(h, k, &nm) != FREEXL_OK || !nm)
            nm = "";
        if (sb_add(&names, nm, strlen(nm) + 1)) {
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
            goto done;
        }
    }
    wb.names = names;
    wb.nsheets = (int)nsheets;
    int k = pick_sheet(&wb, opt ? opt->sheet : NULL);
    if (k < 0) {
        char list[300];
        sheet_list(names.p ? names.p : "", (int)nsheets, list, sizeof list);
        rc = cv_error_set(err, CV_ERR_USAGE, "%s: no sheet '%s' (the workbook has %s)", path,
                          opt && opt->sheet ? opt->sheet : "", nsheets ? list : "none");
        goto done;
    }
    const char *sheet = names.p;
    for (int q = 0; q < k; q++)
        sheet += strlen(sheet) + 1;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, (unsigned short)k) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        rc = cv_error_set(err, CV_ERR_PARSE, "%s:%s: cannot read the sheet", path, sheet);
        goto done;
    }
    for (unsigned int r = 0; r < rows; r++) {
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK || v.type == FREEXL_CELL_NULL)
                continue;
            cell *cl = cells_add(&sc);
            if (!cl) {
                rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
                goto done;
            }
            cl->row = (long)r + 1;
            cl->col = c;
            const char *txt = NULL;
            switch (v.type) {
            case FREEXL_CELL_INT: /* a boolean cell too: FreeXL (1.0.6) has no boolean type
                                     and reports one as 1 or 0 (docs/lua-api.md) */
                cl->kind = C_NUM;
                cl->num = v.value.int_value;
                break;
            case FREEXL_CELL_DOUBLE:
                cl->kind = C_NUM;
                cl->num = v.value.double_value;
                break;
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                cl->kind = C_TEXTDATE;
                txt = v.value.text_value;
                break;
            default:
                cl->kind = C_STR;
                txt = v.value.text_value;
                break;
            }
            if (txt) {
                cl->off = sc.pool.n;
                if (sb_add(&sc.pool, txt, strlen(txt) + 1)) {
                    rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
                    goto done;
                }
            }
        }
    }
    rc = write_csv(&sc, path, sheet, 0, opt, dec, bt, err);
done:
    cv_free(names.p);
    cells_free(&sc);
    freexl_close(h);
    return rc;
}
