/* cvkit CSV reader: the sample pass. Reads the first megabyte (or the rows asked for) to
   pick the delimiter, whether the first row is a header, the column names (unique), each
   column's way of writing numbers and its starting type; applies the given names and
   types. */
#include "cvkit/csv.h"
#include "cvkit/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"

typedef struct sample {
    const rcfg *r;
    int64_t rec, limit;
    int field;
    int stop;
    /* row 0 */
    char **row0;
    size_t *row0len;
    unsigned *k0;
    int n0, cap0;
    /* later rows: classes per column read plain (or in the given style) [0, ncols), with
       a decimal point [ncols, 2 ncols) and with a decimal comma [2 ncols, 3 ncols) */
    int ncols;
    unsigned *mask, *cur;
    unsigned char *repeat;
    unsigned *ev;     /* cv_rd_num_evidence per column */
    int64_t *amb_rec; /* the first value that reads two ways: its record */
    char (*amb_text)[48];
    int nomem;
} sample;

static void s_field(void *sv, size_t len, void *data)
{
    sample *S = data;
    const char *s = sv;
    if (S->stop)
        return;
    int j = S->field++;
    val v;
    if (S->rec == 0) {
        if (S->n0 == S->cap0) {
            int cap = S->cap0 ? S->cap0 * 2 : 16;
            char **r0 = cv_realloc(S->row0, (size_t)cap * sizeof *r0);
            if (r0)
                S->row0 = r0;
            size_t *l0 = cv_realloc(S->row0len, (size_t)cap * sizeof *l0);
            if (l0)
                S->row0len = l0;
            unsigned *k0 = cv_realloc(S->k0, (size_t)cap * sizeof *k0);
            if (k0)
                S->k0 = k0;
            if (!r0 || !l0 || !k0) {
                S->nomem = S->stop = 1;
                return;
            }
            S->cap0 = cap;
        }
        char *copy = cv_malloc(len + 1);
        if (!copy) {
            S->nomem = S->stop = 1;
            return;
        }
        memcpy(copy, s, len);
        copy[len] = '\0';
        S->row0[S->n0] = copy;
        S->row0len[S->n0] = len;
        S->k0[S->n0++] = is_na(S->r, s, len)
                             ? 0
                             : cv_rd_classify(s, len, S->r->order, S->r->fdec,
                                              S->r->fdec == ',' ? S->r->thouB : S->r->thouA, &v);
        return;
    }
    if (j >= S->ncols || is_na(S->r, s, len))
        return;
    const rcfg *r = S->r;
    S->cur[j] |=
        cv_rd_classify(s, len, r->order, r->fdec, r->fdec == ',' ? r->thouB : r->thouA, &v);
    if (!r->fdec) {
        unsigned e = cv_rd_num_evidence(s, len, r->thouA, r->thouB);
        S->cur[S->ncols + j] |= cv_rd_classify(s, len, r->order, '.', r->thouA, &v);
        S->cur[2 * S->ncols + j] |= cv_rd_classify(s, len, r->order, ',', r->thouB, &v);
        if ((e & (E_AMB | E_DOT3)) && !(S->ev[j] & (E_AMB | E_DOT3))) {
            S->amb_rec[j] = S->rec;
            size_t n = len < 44 ? len : 44;
            memcpy(S->amb_text[j], s, n);
            S->amb_text[j][n] = '\0';
        }
        S->ev[j] |= e;
    }
    if (len == S->row0len[j] && memcmp(s, S->row0[j], len) == 0)
        S->repeat[j] = 1;
}

static void s_row(int c, void *data)
{
    sample *S = data;
    (void)c;
    if (S->stop)
        return;
    if (S->rec == 0) {
        S->ncols = S->n0;
        S->mask = cv_calloc(3 * (size_t)S->ncols + 1, sizeof *S->mask);
        S->cur = cv_calloc(3 * (size_t)S->ncols + 1, sizeof *S->cur);
        S->repeat = cv_calloc((size_t)S->ncols + 1, 1);
        S->ev = cv_calloc((size_t)S->ncols + 1, sizeof *S->ev);
        S->amb_rec = cv_calloc((size_t)S->ncols + 1, sizeof *S->amb_rec);
        S->amb_text = cv_calloc((size_t)S->ncols + 1, sizeof *S->amb_text);
        if (!S->mask || !S->cur || !S->repeat || !S->ev || !S->amb_rec || !S->amb_text)
            S->nomem = S->stop = 1;
    } else {
        for (int j = 0; j < 3 * S->ncols; j++) {
            S->mask[j] |= S->cur[j];
            S->cur[j] = 0;
        }
    }
    S->field = 0;
    S->rec++;
    if (S->limit > 0 && S->rec >= S->limit)
        S->stop = 1;
}

static void sample_free(sample *S)
{
    for (int j = 0; j < S->n0; j++)
        cv_free(S->row0[j]);
    cv_free(S->row0);
    cv_free(S->row0len);
    cv_free(S->k0);
    cv_free(S->mask);
    cv_free(S->cur);
    cv_free(S->repeat);
    cv_free(S->ev);
    cv_free(S->amb_rec);
    cv_free(S->amb_text);
}

/* Picks the delimiter from the first lines of text: each of , ; tab | counted per line
   outside quotes; the one with the same non-zero count on every line wins (the largest
   count, then the first in that order); else the one on most lines; else runs of blanks
   when the first line has blank-separated words; else ','. */
static char detect_delim(const char *p, size_t n, int more)
{
    static const char cands[4] = {',', ';', '\t', '|'};
    enum { MAXL = 30 };
    int cnt[MAXL][4];
    int words0 = 0;
    int nl = 0, inq = 0, cur[4] = {0, 0, 0, 0}, any = 0, inword = 0;
    size_t i = 0;
    for (; i < n && nl < MAXL; i++) {
        char c = p[i];
        if (c == '"') {
            inq = !inq;
            any = 1;
        } else if (!inq && (c == '\n' || c == '\r')) {
            if (any) {
                memcpy(cnt[nl], cur, sizeof cur);
                nl++;
            }
            memset(cur, 0, sizeof cur);
            any = 0;
            inword = 0;
        } else {
            if (!inq)
                for (int k = 0; k < 4; k++)
                    cur[k] += c == cands[k];
            if (c != ' ' && c != '\t') {
                any = 1;
                if (!inword && nl == 0)
                    words0++;
                inword = 1;
            } else {
                inword = 0;
            }
        }
    }
    if (any && nl < MAXL && !more && !inq) { /* the last line, complete */
        memcpy(cnt[nl], cur, sizeof cur);
        nl++;
    }
    if (nl == 0)
        return ',';
    int best = -1;
    for (int k = 0; k < 4; k++) {
        int ok = cnt[0][k] > 0;
        for (int l = 1; l < nl && ok; l++)
            ok = cnt[l][k] == cnt[0][k];
        if (ok && (best < 0 || cnt[0][k] > cnt[0][best]))
            best = k;
    }
    if (best >= 0)
        return cands[best];
    int lines[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++)
        for (int l = 0; l < nl; l++)
            lines[k] += cnt[l][k] > 0;
    for (int k = 0; k < 4; k++)
        if (lines[k] * 2 >= nl && lines[k] > 0 && (best < 0 || lines[k] > lines[best]))
            best = k;
    if (best >= 0)
        return cands[best];
    return words0 > 1 ? CV_DELIM_WHITESPACE : ',';
}

/* The column names given so far, hashed (open addressing over indexes into names), so
   that making a million names unique takes linear time; next[k] is the next suffix to
   try for a repeat of names[k]. */
typedef struct name_set {
    int *slot; /* -1: empty */
    int *next;
    size_t mask;
} name_set;

static size_t name_hash(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int name_set_init(name_set *h, int n)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n + 2)
        cap <<= 1;
    h->slot = cv_malloc(cap * sizeof *h->slot);
    h->next = cv_calloc((size_t)n + 1, sizeof *h->next);
    h->mask = cap - 1;
    if (!h->slot || !h->next)
        return -1;
    memset(h->slot, 0xff, cap * sizeof *h->slot);
    return 0;
}

/* The index of name among names (as added), or -1. */
static int name_set_find(const name_set *h, char *const *names, const char *name)
{
    for (size_t i = name_hash(name) & h->mask; h->slot[i] >= 0; i = (i + 1) & h->mask)
        if (strcmp(names[h->slot[i]], name) == 0)
            return h->slot[i];
    return -1;
}

static void name_set_add(name_set *h, char *const *names, int j)
{
    size_t i = name_hash(names[j]) & h->mask;
    while (h->slot[i] >= 0)
        i = (i + 1) & h->mask;
    h->slot[i] = j;
    h->next[j] = 2;
}

/* The sample pass: delimiter, header, names, starting types (csv_int.h). */
int cv_rd_sample_pass(reader *R, int64_t limit_rows, read_retry *retry, cv_error *err)
{
    *retry = RETRY_NONE;
    rcfg *r = &R->r;
    const cv_csv_options *opt = R->opt;
    sample S;
    memset(&S, 0, sizeof S);
    S.r = r;
    S.limit = limit_rows > 0 ? limit_rows + 1 : 0;
    cv_src src;
    if (cv_src_open(&src, r->fd, r->mem, r->begin, r->end, r->enc) != 0)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    tok t;
    int have_tok = 0, rc = 0;
    const char *p;
    size_t n;
    uint64_t reached = r->begin, budget = 1u << 20;
    int nr;
    while ((nr = cv_src_next(&src, &p, &n, &reached)) == 1) {
        uint64_t whole = r->end - r->begin < CV_CSV_BLOCK ? r->end - r->begin : CV_CSV_BLOCK;
        if (!have_tok && reached - r->begin + 4 >= whole) /* (+4: a character cut at its end) */
            cv_rd_precount_start(R); /* the main pass's count of line ends, meanwhile */
        if (!have_tok) {
            if (!r->delim)
                r->delim = detect_delim(p, n < 65536 ? n : 65536, reached < r->end);
            if (cv_rd_tok_init(&t, r->delim, r->lenient, s_field, s_row, &S) != 0) {
                rc = -1;
                break;
            }
            have_tok = 1;
        }
        int fr = cv_rd_tok_feed(&t, p, n);
        if (fr == -2) { /* a stray quote in the sample: reported here, where it is */
            problem pr;
            memset(&pr, 0, sizeof pr);
            pr.kind = P_STRAY;
            pr.rec = S.rec;
            pr.field = S.field;
            pr.found = t.qerr;
            memcpy(pr.text, t.qtext, sizeof t.qtext);
            cv_src_close(&src);
            cv_rd_tok_free(&t);
            sample_free(&S);
            return cv_rd_report_problem(r, &pr, err);
        }
        if (fr != 0) {
            rc = -1;
            break;
        }
        if (S.stop || (S.limit == 0 && reached - r->begin >= budget && S.rec > 1))
            break;
    }
    if (rc == 0 && nr < 0) {
        problem pr;
        memset(&pr, 0, sizeof pr);
        pr.kind = src.status > 0 ? P_TEXT : P_IO;
        pr.raw = src.status > 0 ? src.bad : (uint64_t)src.err_no;
        cv_src_close(&src);
        if (have_tok)
            cv_rd_tok_free(&t);
        sample_free(&S);
        if (pr.kind == P_TEXT && opt->encoding == CV_ENC_AUTO && r->enc == CV_ENC_UTF8) {
            *retry = RETRY_GB18030;
            return 0;
        }
        return cv_rd_report_problem(r, &pr, err);
    }
    if (rc == 0 && have_tok && nr == 0 && !S.stop) {
        int oq;
        if (cv_rd_tok_fini(&t, &oq) != 0)
            rc = -1;
    }
    cv_src_close(&src);
    if (have_tok)
        cv_rd_tok_free(&t);
    if (rc || S.nomem) {
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (S.rec == 0 && S.n0 == 0) {
        sample_free(&S);
        return cv_error_at(err, CV_ERR_PARSE, r->name, 0, 0,
                           "expected a header or data rows, found an empty file");
    }
    if (S.rec == 0) { /* one row and an open quote: let the main pass report it */
        s_row(-1, &S);
        if (S.nomem) {
            sample_free(&S);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
    }
    r->ncols = S.ncols;
    if (S.ncols > CV_CSV_MAX_COLUMNS) { /* before a table of them is built */
        sample_free(&S);
        return cv_error_at(err, CV_ERR_PARSE, r->name, 0, 0,
                           "expected at most %d columns, found %d", CV_CSV_MAX_COLUMNS, S.ncols);
    }
    int64_t data_recs = S.rec;
    /* header */
    int header = opt->header;
    if (header < 0) {
        int all_text = 1, typed = 0, repeats = 0;
        for (int j = 0; j < S.ncols; j++) {
            all_text &= S.k0[j] == K_STR;
            typed |= cv_rd_mask_type(S.mask[j], 1) != CV_STRING;
            repeats |= S.repeat[j];
        }
        header = all_text && (S.rec <= 1 || typed || !repeats);
    }
    r->header = header != 0;
    if (r->header)
        data_recs--;
    r->bytes_per_rec = data_recs > 0 ? (double)(reached - r->begin) / (double)S.rec : 64.0;
    if (r->bytes_per_rec < 2)
        r->bytes_per_rec = 2;
    r->names = cv_calloc((size_t)r->ncols + 1, sizeof *r->names);
    r->types = cv_calloc((size_t)r->ncols + 1, sizeof *r->types);
    r->mask0 = cv_calloc((size_t)r->ncols + 1, sizeof *r->mask0);
    r->fixed = cv_calloc((size_t)r->ncols + 1, 1);
    r->d8date = cv_calloc((size_t)r->ncols + 1, 1);
    r->ndec = cv_calloc((size_t)r->ncols + 1, 1);
    problem amb;
    memset(&amb, 0, sizeof amb);
    if (!r->names || !r->types || !r->mask0 || !r->fixed || !r->d8date || !r->ndec) {
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    name_set taken;
    if (name_set_init(&taken, r->ncols) != 0) {
        cv_free(taken.slot);
        cv_free(taken.next);
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    for (int j = 0; j < r->ncols; j++) {
        char buf[32];
        const char *nm = NULL;
        if (opt->names && j < opt->nnames)
            nm = opt->names[j];
        else if (r->header && S.row0len[j] > 0)
            nm = S.row0[j];
        if (!nm) {
            snprintf(buf, sizeof buf, "V%d", j + 1);
            nm = buf;
        }
        /* unique names: a repeated one gets _2, _3, ... */
        char *name = cv_strdup(nm);
        int first = name ? name_set_find(&taken, r->names, name) : -1;
        for (int k = first >= 0 ? taken.next[first] : 2;
             name && name_set_find(&taken, r->names, name) >= 0; k++) {
            size_t len = strlen(nm) + 16;
            cv_free(name);
            name = cv_malloc(len);
            if (name)
                snprintf(name, len, "%s_%d", nm, k);
            if (first >= 0)
                taken.next[first] = k + 1;
        }
        if (!name) {
            cv_free(taken.slot);
            cv_free(taken.next);
            sample_free(&S);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
        r->names[j] = name;
        name_set_add(&taken, r->names, j);
        r->d8date[j] = (unsigned char)cv_rd_name_says_date(name);
        r->types[j] = CV_STRING; /* set below */
    }
    /* each column's way of writing numbers: given, or what its values say; where a column
       reads with a decimal comma, "1.000" in another column is no longer 1 for sure */
    int file_b = r->fdec == ',';
    for (int j = 0; j < r->ncols && !r->fdec; j++) {
        unsigned ev = S.ev[j];
        if (!r->header && S.row0len[j] > 0 && !is_na(r, S.row0[j], S.row0len[j])) {
            unsigned e0 = cv_rd_num_evidence(S.row0[j], S.row0len[j], r->thouA, r->thouB);
            if ((e0 & (E_AMB | E_DOT3)) && !(ev & (E_AMB | E_DOT3))) {
                S.amb_rec[j] = 0;
                snprintf(S.amb_text[j], sizeof S.amb_text[j], "%.44s", S.row0[j]);
            }
            ev |= e0;
        }
        S.ev[j] = ev;
        int slot = 0;
        if (ev & E_TEXT || ((ev & E_A) && (ev & E_B)))
            slot = 0;
        else if (ev & E_B)
            slot = 2;
        else if (ev & (E_A | E_S))
            slot = 1;
        r->ndec[j] = slot == 2 ? ',' : slot == 1 ? '.' : 0;
        file_b |= slot == 2;
    }
    for (int j = 0; j < r->ncols && !r->fdec; j++) {
        unsigned ev = S.ev[j];
        int undecided = !r->ndec[j] && !(ev & E_TEXT) && !((ev & E_A) && (ev & E_B));
        if (undecided && ((ev & E_AMB) || (file_b && (ev & E_DOT3))) && !amb.kind) {
            amb.kind = P_AMBIG;
            amb.rec = S.amb_rec[j];
            amb.field = amb.col = j;
            memcpy(amb.text, S.amb_text[j], sizeof S.amb_text[j]);
        }
    }
    for (int j = 0; j < r->ncols; j++) {
        if (r->fdec)
            r->ndec[j] = r->fdec;
        int slot = r->fdec ? 0 : r->ndec[j] == ',' ? 2 : r->ndec[j] == '.' ? 1 : 0;
        unsigned k0 = S.k0[j];
        if (!r->header && slot) {
            val v;
            k0 =
                is_na(r, S.row0[j], S.row0len[j])
                    ? 0
                    : cv_rd_classify(S.row0[j], S.row0len[j], r->order, r->ndec[j], THOU(r, j), &v);
        }
        r->mask0[j] = S.mask[slot * S.ncols + j] | (r->header ? 0 : k0);
        r->types[j] = cv_rd_mask_type(r->mask0[j], r->d8date[j]);
    }
    cv_free(taken.slot);
    cv_free(taken.next);
    sample_free(&S);
    if (amb.kind)
        return cv_rd_report_problem(r, &amb, err);
    if (opt->names && opt->nnames != r->ncols)
        return cv_error_at(err, CV_ERR_USAGE, r->name, 0, 0, "expected %d column names, found %d",
                           r->ncols, opt->nnames);
    for (int k = 0; k < opt->ntypes; k++) {
        const char *nm = opt->types[k].name;
        int j = -1;
        for (int q = 0; q < r->ncols && nm; q++)
            if (strcmp(r->names[q], nm) == 0)
                j = q;
        if (j < 0 && nm) {
            char *end;
            long pos = strtol(nm, &end, 10);
            if (*nm && *end == '\0' && pos >= 1 && pos <= r->ncols)
                j = (int)pos - 1;
        }
        if (j < 0)
            return cv_error_at(err, CV_ERR_USAGE, r->name, 0, 0,
                               "no column '%s' to give a type to (the file has %d column%s)",
                               nm ? nm : "(null)", r->ncols, r->ncols == 1 ? "" : "s");
        r->types[j] = opt->types[k].type;
        r->fixed[j] = 1;
    }
    if (r->batch_rows > 0)
        memset(r->fixed, 1, (size_t)r->ncols);
    return 0;
}
