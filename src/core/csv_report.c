/* cvkit CSV reader: problems reported where they are. A problem found by a pass (a ragged
   row, a value of the wrong type, a quote, invalid text, ...) is located exactly by reading
   the text again from its start (line and column, as libcsv or the blank tokenizer saw the
   records) and worded as "file:line:column: expected ..., found ..." with the option
   that would read it. */
#include "cvkit/csv.h"
#include "cvkit/error.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csv_int.h"

static const char *type_phrase(cv_type t)
{
    switch (t) {
    case CV_INT64:
        return "an integer";
    case CV_FLOAT64:
        return "a number";
    case CV_DATE:
        return "a date";
    case CV_DATETIME:
        return "a date and time";
    case CV_BOOL:
        return "a boolean";
    case CV_STRING:
        break;
    }
    return "text";
}

/* Mirrors libcsv's (or the blank tokenizer's) record structure byte by byte, counting
   physical lines (LF, CR, CRLF) and columns (UTF-8 characters), to find where record
   `rec` field `field` starts (want 0), where record `rec` ends (want 1), or where the
   quoted field open at the end of the text began (want 2). */
typedef struct locate {
    int ws;
    unsigned char delim;
    int st, quoted;
    size_t spaces;
    int64_t rec;
    int field;
    long line, col, nextcol;
    int prev_cr;
    long fline, fcol; /* start of the current field */
    /* target */
    int want;
    int64_t trec;
    int tfield;
    long oline, ocol;
    int found;
} locate;

static void loc_hit_field(locate *L)
{
    L->fline = L->line;
    L->fcol = L->col;
    if (L->want == 0 && L->rec == L->trec && L->field == L->tfield) {
        L->oline = L->line;
        L->ocol = L->col;
        L->found = 1;
    }
}

static void loc_row_end(locate *L)
{
    if (L->want == 1 && L->rec == L->trec) {
        L->oline = L->line;
        L->ocol = L->col;
        L->found = 1;
    }
    L->rec++;
    L->field = 0;
}

static void loc_byte(locate *L, unsigned char c)
{
    if (c == '\n' && L->prev_cr) { /* the LF of a CRLF: no column, no structure */
        L->prev_cr = 0;
        return;
    }
    int term = c == '\n' || c == '\r';
    int space = c == ' ' || c == '\t';
    if ((c & 0xC0) != 0x80)
        L->col = L->nextcol++;
    if (L->ws) {
        if (space || term) {
            if (L->st == 2) {
                L->st = 1;
                L->field++;
            }
            if (term && L->field > 0) {
                loc_row_end(L);
                L->st = 0;
            }
        } else if (L->st != 2) {
            loc_hit_field(L);
            L->st = 2;
        }
    } else {
        switch (L->st) {
        case 0:
        case 1:
            if (space && c != L->delim)
                break;
            if (term) {
                if (L->st == 1) {
                    loc_hit_field(L);
                    L->field++;
                    loc_row_end(L);
                }
                L->st = 0;
            } else if (c == L->delim) {
                loc_hit_field(L);
                L->field++;
                L->st = 1;
            } else {
                loc_hit_field(L);
                L->st = 2;
                L->quoted = c == '"';
                L->spaces = 0;
            }
            break;
        case 2:
            if (c == '"' && L->quoted) {
                L->st = 3;
            } else if (!L->quoted && (c == L->delim || term)) {
                L->field++;
                L->st = 1;
                if (term) {
                    loc_row_end(L);
                    L->st = 0;
                }
            }
            break;
        default: /* 3: a quote seen in a quoted field */
            if (c == L->delim || term) {
                L->field++;
                L->st = 1;
                L->quoted = 0;
                if (term) {
                    loc_row_end(L);
                    L->st = 0;
                }
            } else if (space) {
                L->spaces++;
            } else if (c == '"' && L->spaces) {
                L->spaces = 0;
            } else {
                L->st = 2;
                L->spaces = 0;
            }
            break;
        }
    }
    if (c == '\r' || (c == '\n' && !L->prev_cr)) {
        L->line++;
        L->nextcol = 1;
    }
    L->prev_cr = c == '\r';
}

/* Finds a target location by reading the text again from its start. 0 or -1. */
static int locate_run(const rcfg *r, int want, int64_t rec, int field, long *line, long *col)
{
    locate L;
    memset(&L, 0, sizeof L);
    L.ws = r->delim == CV_DELIM_WHITESPACE;
    L.delim = (unsigned char)r->delim;
    L.line = 1;
    L.nextcol = 1;
    L.want = want;
    L.trec = rec;
    L.tfield = field;
    cv_src s;
    if (cv_src_open(&s, r->fd, r->mem, r->begin, r->end, r->enc) != 0)
        return -1;
    const char *p;
    size_t n;
    while (!L.found && cv_src_next(&s, &p, &n, NULL) == 1)
        for (size_t i = 0; i < n && !L.found; i++)
            loc_byte(&L, (unsigned char)p[i]);
    cv_src_close(&s);
    if (!L.found) {
        /* the end of the text: a last row without a line end, or an open quote */
        L.col = L.nextcol;
        if (want == 2 && L.st == 2 && L.quoted) {
            L.oline = L.fline;
            L.ocol = L.fcol;
            L.found = 1;
        } else if (want == 1 && L.rec == rec) {
            L.oline = L.line;
            L.ocol = L.col;
            L.found = 1;
        } else if (want == 0 && L.rec == rec && L.field == field) {
            L.oline = L.line;
            L.ocol = L.col;
            L.found = 1;
        }
    }
    *line = L.found ? L.oline : 0;
    *col = L.found ? L.ocol : 0;
    return 0;
}

/* Line and column of raw offset `bad` (the first invalid byte): lines by LF/CR, columns
   by characters (UTF-8 lead bytes, or GB18030 characters). */
static void locate_raw(const rcfg *r, cv_encoding enc, uint64_t bad, long *line, long *col)
{
    long ln = 1, cl = 1;
    int prev_cr = 0;
    char *buf = r->fd >= 0 ? cv_malloc(CV_CSV_BLOCK) : NULL;
    uint64_t pos = r->begin;
    int gb_skip = 0;
    while (pos < bad) {
        size_t want = bad - pos > CV_CSV_BLOCK ? CV_CSV_BLOCK : (size_t)(bad - pos);
        const unsigned char *p;
        if (r->fd >= 0) {
            if (!buf)
                break;
            ssize_t got = pread(r->fd, buf, want, (off_t)pos);
            if (got <= 0)
                break;
            want = (size_t)got;
            p = (const unsigned char *)buf;
        } else {
            p = (const unsigned char *)r->mem + pos;
        }
        for (size_t i = 0; i < want; i++) {
            unsigned c = p[i];
            if (gb_skip) {
                gb_skip--;
                continue;
            }
            if (c == '\r' || (c == '\n' && !prev_cr)) {
                ln++;
                cl = 1;
            } else if (c != '\n') {
                if (enc == CV_ENC_UTF8) {
                    if ((c & 0xC0) != 0x80)
                        cl++;
                } else {
                    cl++;
                    if (c >= 0x81)
                        gb_skip = (i + 1 < want && p[i + 1] >= 0x30 && p[i + 1] <= 0x39) ? 3 : 1;
                }
            }
            prev_cr = c == '\r';
        }
        pos += want;
    }
    cv_free(buf);
    *line = ln;
    *col = cl;
}

/* The option that would read text s in column j, as words for a message. */
static void value_hint(const rcfg *r, int j, const char *s, char *out, size_t size)
{
    size_t len = strlen(s);
    int32_t days;
    double d;
    cv_type t = r->types[j];
    snprintf(out, size, "bad_as_missing = true reads it as missing");
    if (t == CV_DATE || t == CV_DATETIME) {
        int dmy =
            r->order != CV_DATE_DMY && cv_parse_date(s, len, CV_DATE_DMY, &days, NULL, NULL) == 0;
        int mdy =
            r->order != CV_DATE_MDY && cv_parse_date(s, len, CV_DATE_MDY, &days, NULL, NULL) == 0;
        if (dmy && mdy)
            snprintf(out, size, "date_order = \"dmy\" or \"mdy\" reads it");
        else if (dmy || mdy)
            snprintf(out, size, "date_order = \"%s\" reads it", dmy ? "dmy" : "mdy");
    } else if (t == CV_INT64 || t == CV_FLOAT64) {
        if (r->ndec[j] != ',' && cv_parse_number(s, len, ',', ". '", &d, NULL, NULL) == 0)
            snprintf(out, size, "decimal_comma = true reads it");
        else if (r->ndec[j] != '.' && cv_parse_number(s, len, '.', ", '", &d, NULL, NULL) == 0)
            snprintf(out, size, "decimal_comma = false reads it");
        else if (cv_parse_number(s, len, r->ndec[j] ? r->ndec[j] : '.', " ,.'", &d, NULL, NULL) ==
                 0)
            snprintf(out, size, "the thousands option reads it");
    }
}

/* Formats a problem found in the text as "name:line:col: message" into err. */
int cv_rd_report_problem(const rcfg *r, const problem *p, cv_error *err)
{
    long line = 0, col = 0;
    switch (p->kind) {
    case P_RAGGED:
        if (p->found < p->expected)
            locate_run(r, 1, p->rec, 0, &line, &col);
        else
            locate_run(r, 0, p->rec, p->expected, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col, "expected %d field%s, found %d",
                           p->expected, p->expected == 1 ? "" : "s", p->found);
    case P_VALUE: {
        char hint[96];
        locate_run(r, 0, p->rec, p->field, &line, &col);
        value_hint(r, p->col, p->text, hint, sizeof hint);
        return cv_error_at(err, CV_ERR_TYPE, r->name, line, col,
                           "expected %s in column '%s', found '%s' (%s)",
                           type_phrase(r->types[p->col]), r->names[p->col], p->text, hint);
    }
    case P_AMBIG: {
        double a = 0, b = 0;
        size_t n = strlen(p->text);
        if (cv_parse_number(p->text, n, '.', r->thouA, &a, NULL, NULL) != 0)
            cv_parse_float(p->text, n, 0, &a);
        cv_parse_number(p->text, n, ',', r->thouB, &b, NULL, NULL);
        locate_run(r, 0, p->rec, p->field, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "'%s' in column '%s' reads as %.15g or as %.15g: decimal_comma = "
                           "false reads %.15g, decimal_comma = true reads %.15g",
                           p->text, r->names[p->col], a, b, a, b);
    }
    case P_QUOTE:
        locate_run(r, 2, p->rec, 0, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "unterminated quote: expected a closing '\"' for the field "
                           "opened here, found the end of the file");
    case P_STRAY:
        locate_run(r, 0, p->rec, p->field, &line, &col);
        if (p->found == Q_AFTER)
            return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                               "expected a delimiter after the closing quote, found '%s' "
                               "(lenient_quotes = true reads it as written)",
                               p->text);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "expected no quote in an unquoted field, found '%s' (quote the "
                           "field and double its quotes, or lenient_quotes = true)",
                           p->text);
    case P_TEXT: {
        unsigned char b = 0;
        if (r->fd >= 0) {
            if (pread(r->fd, &b, 1, (off_t)p->raw) != 1)
                b = 0;
        } else {
            b = (unsigned char)r->mem[p->raw];
        }
        locate_raw(r, r->enc, p->raw, &line, &col);
        if (b == 0)
            return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                               "expected text, found a NUL byte (a binary or UTF-16 file?)");
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "expected %s text, found the invalid byte 0x%02x",
                           r->enc == CV_ENC_GB18030 ? "GB18030" : "UTF-8", b);
    }
    case P_IO: {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror((int)p->raw));
        if (msg[0] >= 'A' && msg[0] <= 'Z')
            msg[0] = (char)(msg[0] - 'A' + 'a');
        return cv_error_at(err, CV_ERR_IO, r->name, 0, 0, "read failed: %s", msg);
    }
    case P_CANCEL:
        return cv_error_set(err, CV_ERR_LIMIT, "cancelled");
    default:
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", r->name);
    }
}

void cv_rd_example_text(const rcfg *r, const problem *p, char *out, size_t size)
{
    cv_error e;
    cv_rd_report_problem(r, p, &e);
    size_t n = strlen(e.msg) < size - 1 ? strlen(e.msg) : size - 1;
    memcpy(out, e.msg, n);
    out[n] = '\0';
}
