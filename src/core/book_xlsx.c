/* .xlsx workbooks into CSV text for the reader: the zip container through libzip, its XML parts
   (workbook, relationships, shared strings, styles, the sheet) through expat. Cells keep their
   kind; dates come from the cell's number format: built-in 14-22 and the CJK date formats,
   custom formats with d, m or y, in the 1900 system with its leap-year bug or the 1904 system. */
#include "book_int.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "cvkit/mem.h"

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
    int k = cv_book_pick_sheet(&wb, opt ? opt->sheet : NULL);
    if (k < 0) {
        char list[300];
        cv_book_sheet_list(wb.names.p ? wb.names.p : "", wb.nsheets, list, sizeof list);
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
        cv_book_cell_ref(sp.bad_col, sp.bad_row, ref, sizeof ref);
        rc = cv_error_set(err, CV_ERR_PARSE, "%s:%s!%s: expected a value, found %s", path, sheet,
                          ref, sp.bad);
        goto done;
    }
    rc = cv_book_write_csv(&sc, path, sheet, wb.date1904, opt, dec, bt, err);
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
