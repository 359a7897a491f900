/* cvkit tables, part 1: interned-string dictionaries, columns and the table container.
   The operations on tables are in table_cast.c, table_select.c, table_sort.c,
   table_hash.c, table_group.c (+ table_group_fast.c), table_join.c and table_describe.c
   (private header table_int.h); text formatting is in table_format.c. */
#include "cvkit/mem.h"
#include "cvkit/suggest.h"
#include "cvkit/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Types --------------------------------------------------------------------------- */

static const char *const type_names[] = {"int", "float", "string", "date", "datetime", "bool"};

const char *cv_type_name(cv_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?";
}

int cv_type_parse(const char *name, cv_type *out)
{
    static const struct {
        const char *name;
        cv_type type;
    } names[] = {
        {"int", CV_INT64},      {"int64", CV_INT64},       {"integer", CV_INT64},
        {"float", CV_FLOAT64},  {"float64", CV_FLOAT64},   {"number", CV_FLOAT64},
        {"double", CV_FLOAT64}, {"string", CV_STRING},     {"str", CV_STRING},
        {"date", CV_DATE},      {"datetime", CV_DATETIME}, {"bool", CV_BOOL},
        {"boolean", CV_BOOL},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].type;
            return 0;
        }
    return -1;
}

size_t cv_type_size(cv_type t)
{
    switch (t) {
    case CV_INT64:
    case CV_FLOAT64:
    case CV_DATETIME:
        return 8;
    case CV_STRING:
    case CV_DATE:
        return 4;
    case CV_BOOL:
        return 1;
    }
    return 8;
}

/* ---- Interned strings --------------------------------------------------------------- */

struct cv_strdict {
    int refs;
    int32_t n, cap;   /* strings held, room in offs/lens/hashes */
    size_t *offs;     /* start of string k in arena */
    uint32_t *lens;   /* length of string k */
    uint32_t *hashes; /* hash of string k */
    int32_t *slots;   /* open-addressing table of codes, -1 empty */
    uint32_t nslots;  /* a power of two, at least 2 * cap */
    char *arena;      /* the strings, each NUL-terminated */
    size_t used, room;
};

/* FNV-1a over 8-byte words, then a final mix: fast on short ids, good enough spread. */
static uint32_t str_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

cv_strdict *cv_strdict_new(void)
{
    cv_strdict *d = cv_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->refs = 1;
    d->nslots = 64;
    d->slots = cv_malloc(d->nslots * sizeof *d->slots);
    if (!d->slots) {
        cv_free(d);
        return NULL;
    }
    memset(d->slots, 0xff, d->nslots * sizeof *d->slots);
    return d;
}

cv_strdict *cv_strdict_ref(cv_strdict *d)
{
    if (d)
        d->refs++;
    return d;
}

void cv_strdict_unref(cv_strdict *d)
{
    if (!d || --d->refs > 0)
        return;
    cv_free(d->offs);
    cv_free(d->lens);
    cv_free(d->hashes);
    cv_free(d->slots);
    cv_free(d->arena);
    cv_free(d);
}

static int32_t dict_lookup(const cv_strdict *d, const char *s, size_t len, uint32_t h,
                           uint32_t *slot)
{
    uint32_t mask = d->nslots - 1, i = h & mask;
    for (;;) {
        int32_t code = d->slots[i];
        if (code < 0) {
            *slot = i;
            return -1;
        }
        if (d->hashes[code] == h && d->lens[code] == len &&
            memcmp(d->arena + d->offs[code], s, len) == 0) {
            *slot = i;
            return code;
        }
        i = (i + 1) & mask;
    }
}

static int dict_grow_slots(cv_strdict *d)
{
    uint32_t n = d->nslots * 2, mask = n - 1;
    int32_t *slots = cv_malloc(n * sizeof *slots);
    if (!slots)
        return -1;
    memset(slots, 0xff, n * sizeof *slots);
    for (int32_t k = 0; k < d->n; k++) {
        uint32_t i = d->hashes[k] & mask;
        while (slots[i] >= 0)
            i = (i + 1) & mask;
        slots[i] = k;
    }
    cv_free(d->slots);
    d->slots = slots;
    d->nslots = n;
    return 0;
}

int32_t cv_strdict_intern(cv_strdict *d, const char *s, size_t len)
{
    uint32_t h = str_hash(s, len), slot;
    int32_t code = dict_lookup(d, s, len, h, &slot);
    if (code >= 0)
        return code;
    if (len > UINT32_MAX || d->n == INT32_MAX)
        return -1;
    if (d->n == d->cap) {
        int32_t cap = d->cap ? (d->cap > INT32_MAX / 2 ? INT32_MAX : d->cap * 2) : 16;
        size_t *offs = cv_realloc(d->offs, (size_t)cap * sizeof *offs);
        if (!offs)
            return -1;
        d->offs = offs;
        uint32_t *lens = cv_realloc(d->lens, (size_t)cap * sizeof *lens);
        if (!lens)
            return -1;
        d->lens = lens;
        uint32_t *hashes = cv_realloc(d->hashes, (size_t)cap * sizeof *hashes);
        if (!hashes)
            return -1;
        d->hashes = hashes;
        d->cap = cap;
    }
    if (d->used + len + 1 > d->room) {
        size_t room = d->room ? d->room * 2 : 256;
        while (room < d->used + len + 1)
            room *= 2;
        char *arena = cv_realloc(d->arena, room);
        if (!arena)
            return -1;
        d->arena = arena;
        d->room = room;
    }
    code = d->n++;
    d->offs[code] = d->used;
    d->lens[code] = (uint32_t)len;
    d->hashes[code] = h;
    memcpy(d->arena + d->used, s, len);
    d->arena[d->used + len] = '\0';
    d->used += len + 1;
    d->slots[slot] = code;
    if ((uint32_t)d->n * 2 > d->nslots && dict_grow_slots(d) != 0) {
        d->n--; /* keep the dictionary consistent: forget the string again */
        d->slots[slot] = -1;
        d->used -= len + 1;
        return -1;
    }
    return code;
}

int32_t cv_strdict_find(const cv_strdict *d, const char *s, size_t len)
{
    uint32_t slot;
    return dict_lookup(d, s, len, str_hash(s, len), &slot);
}

const char *cv_strdict_get(const cv_strdict *d, int32_t code, size_t *len)
{
    if (code < 0 || code >= d->n)
        return NULL;
    if (len)
        *len = d->lens[code];
    return d->arena + d->offs[code];
}

int32_t cv_strdict_size(const cv_strdict *d)
{
    return d->n;
}

/* ---- Columns ------------------------------------------------------------------------- */

static cv_column *column_alloc(const char *name, cv_type type, int64_t cap)
{
    cv_column *c = cv_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->name = cv_strdup(name ? name : "");
    c->type = type;
    c->refs = 1;
    if (!c->name || (cap > 0 && cv_column_reserve(c, cap) != 0)) {
        cv_free(c->name);
        cv_free(c->data);
        cv_free(c);
        return NULL;
    }
    return c;
}

cv_column *cv_column_new(const char *name, cv_type type, int64_t cap)
{
    cv_column *c = column_alloc(name, type, cap);
    if (c && type == CV_STRING && !(c->dict = cv_strdict_new())) {
        cv_column_unref(c);
        return NULL;
    }
    return c;
}

cv_column *cv_column_new_dict(const char *name, int64_t cap, cv_strdict *dict)
{
    if (!dict)
        return cv_column_new(name, CV_STRING, cap);
    cv_column *c = column_alloc(name, CV_STRING, cap);
    if (c)
        c->dict = cv_strdict_ref(dict);
    return c;
}

cv_column *cv_column_ref(cv_column *c)
{
    if (c)
        c->refs++;
    return c;
}

void cv_column_unref(cv_column *c)
{
    if (!c || --c->refs > 0)
        return;
    cv_free(c->name);
    if (c->base) {
        cv_column_unref(c->base);
    } else {
        cv_free(c->data);
        cv_free(c->valid);
    }
    cv_strdict_unref(c->dict);
    cv_free(c);
}

/* Gives a view column (c->base set) its own copy of data and validity, so it can grow or
   change without touching the column it views. 0 or CV_ERR_NOMEM. */
static int column_unshare(cv_column *c)
{
    size_t w = cv_type_size(c->type), nb = (size_t)(c->cap + 7) / 8;
    void *data = cv_malloc(c->cap > 0 ? (size_t)c->cap * w : 1);
    uint8_t *valid = c->valid ? cv_malloc(nb ? nb : 1) : NULL;
    if (!data || (c->valid && !valid)) {
        cv_free(data);
        cv_free(valid);
        return CV_ERR_NOMEM;
    }
    if (c->cap > 0)
        memcpy(data, c->data, (size_t)c->cap * w);
    if (valid)
        memcpy(valid, c->valid, nb ? nb : 1);
    cv_column_unref(c->base);
    c->base = NULL;
    c->data = data;
    c->valid = valid;
    return 0;
}

int cv_column_reserve(cv_column *c, int64_t cap)
{
    if (cap <= c->cap)
        return 0;
    if (c->base && column_unshare(c) != 0)
        return CV_ERR_NOMEM;
    size_t w = cv_type_size(c->type);
    if ((uint64_t)cap > SIZE_MAX / w)
        return CV_ERR_NOMEM;
    void *data = cv_realloc(c->data, (size_t)cap * w);
    if (!data)
        return CV_ERR_NOMEM;
    c->data = data;
    if (c->valid) {
        size_t oldb = (size_t)(c->cap + 7) / 8, newb = (size_t)(cap + 7) / 8;
        uint8_t *valid = cv_realloc(c->valid, newb);
        if (!valid)
            return CV_ERR_NOMEM;
        memset(valid + oldb, 0xff, newb - oldb);
        c->valid = valid;
    }
    c->cap = cap;
    return 0;
}

static int column_room(cv_column *c)
{
    if (c->n < c->cap)
        return 0;
    return cv_column_reserve(c, c->cap < 16 ? 16 : c->cap + c->cap / 2);
}

int cv_column_push_int(cv_column *c, int64_t v)
{
    if (column_room(c))
        return CV_ERR_NOMEM;
    ((int64_t *)c->data)[c->n++] = v;
    return 0;
}

int cv_column_push_float(cv_column *c, double v)
{
    if (column_room(c))
        return CV_ERR_NOMEM;
    ((double *)c->data)[c->n++] = v;
    return 0;
}

int cv_column_push_i32(cv_column *c, int32_t v)
{
    if (column_room(c))
        return CV_ERR_NOMEM;
    ((int32_t *)c->data)[c->n++] = v;
    return 0;
}

int cv_column_push_bool(cv_column *c, int v)
{
    if (column_room(c))
        return CV_ERR_NOMEM;
    ((uint8_t *)c->data)[c->n++] = v != 0;
    return 0;
}

int cv_column_push_string(cv_column *c, const char *s, size_t len)
{
    int32_t code = cv_strdict_intern(c->dict, s, len);
    if (code < 0)
        return CV_ERR_NOMEM;
    return cv_column_push_i32(c, code);
}

int cv_column_push_missing(cv_column *c)
{
    if (column_room(c))
        return CV_ERR_NOMEM;
    memset((char *)c->data + (size_t)c->n * cv_type_size(c->type), 0, cv_type_size(c->type));
    c->n++;
    return cv_column_set_missing(c, c->n - 1);
}

int cv_column_set_missing(cv_column *c, int64_t i)
{
    if (c->base && column_unshare(c) != 0)
        return CV_ERR_NOMEM;
    if (!c->valid) {
        size_t nb = (size_t)(c->cap + 7) / 8;
        c->valid = cv_malloc(nb ? nb : 1);
        if (!c->valid)
            return CV_ERR_NOMEM;
        memset(c->valid, 0xff, nb ? nb : 1);
    }
    c->valid[i >> 3] &= (uint8_t) ~(1u << (i & 7));
    return 0;
}

int64_t cv_column_count_missing(const cv_column *c)
{
    if (!c->valid)
        return 0;
    int64_t present = 0, full = c->n / 8;
    for (int64_t b = 0; b < full; b++)
        present += __builtin_popcount(c->valid[b]);
    for (int64_t i = full * 8; i < c->n; i++)
        present += cv_column_is_valid(c, i);
    return c->n - present;
}

const char *cv_column_string(const cv_column *c, int64_t i, size_t *len)
{
    if (c->type != CV_STRING || !cv_column_is_valid(c, i))
        return NULL;
    return cv_strdict_get(c->dict, cv_column_i32(c, i), len);
}

double cv_column_number(const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return NAN;
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
        return (double)cv_column_int(c, i);
    case CV_FLOAT64:
        return cv_column_float(c, i);
    case CV_DATE:
        return (double)cv_column_i32(c, i);
    case CV_BOOL:
        return (double)cv_column_bool(c, i);
    case CV_STRING:
        break;
    }
    return NAN;
}

/* ---- Tables -------------------------------------------------------------------------- */

cv_table *cv_table_new(void)
{
    cv_table *t = cv_calloc(1, sizeof *t);
    if (t) {
        t->refs = 1;
        t->meta.unit = -1;
    }
    return t;
}

cv_table *cv_table_ref(cv_table *t)
{
    if (t)
        t->refs++;
    return t;
}

void cv_table_free(cv_table *t)
{
    if (!t || --t->refs > 0)
        return;
    for (int i = 0; i < t->ncols; i++)
        cv_column_unref(t->cols[i]);
    cv_free(t->cols);
    cv_free(t);
}

int cv_table_find(const cv_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i]->name, name) == 0)
            return i;
    return -1;
}

int cv_table_add(cv_table *t, cv_column *c, cv_error *err)
{
    if (cv_table_find(t, c->name) >= 0)
        return cv_error_set(err, CV_ERR_USAGE, "duplicate column name '%s'", c->name);
    return cv_table_add_unique(t, c, err);
}

int cv_table_add_unique(cv_table *t, cv_column *c, cv_error *err)
{
    if (t->ncols > 0 && c->n != t->nrows)
        return cv_error_set(err, CV_ERR_USAGE,
                            "column '%s' has %lld values, the table has %lld rows", c->name,
                            (long long)c->n, (long long)t->nrows);
    if (t->ncols == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        cv_column **cols = cv_realloc(t->cols, (size_t)cap * sizeof *cols);
        if (!cols)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        t->cols = cols;
        t->cap = cap;
    }
    t->cols[t->ncols++] = cv_column_ref(c);
    t->nrows = c->n;
    return 0;
}

int cv_table_set(cv_table *t, cv_column *c, cv_error *err)
{
    int i = cv_table_find(t, c->name);
    if (i < 0)
        return cv_table_add(t, c, err);
    if (c->n != t->nrows)
        return cv_error_set(err, CV_ERR_USAGE,
                            "column '%s' has %lld values, the table has %lld rows", c->name,
                            (long long)c->n, (long long)t->nrows);
    cv_column_ref(c);
    cv_column_unref(t->cols[i]);
    t->cols[i] = c;
    return 0;
}

int cv_table_suggest(const cv_table *t, const char *name, char *buf, size_t size)
{
    const char *stack[16] = {0};
    const char **names = t->ncols <= 16 ? stack : cv_malloc((size_t)t->ncols * sizeof *names);
    int n;
    if (size > 0)
        buf[0] = '\0';
    if (!names)
        return 0;
    for (int k = 0; k < t->ncols; k++)
        names[k] = t->cols[k]->name;
    n = cv_suggest_names(name, names, t->ncols, 3, buf, size);
    if (names != stack)
        cv_free(names);
    return n;
}

cv_column *cv_table_col(const cv_table *t, const char *name, cv_error *err)
{
    int i = cv_table_find(t, name);
    if (i >= 0)
        return t->cols[i];
    char list[160];
    size_t n = 0;
    list[0] = '\0';
    cv_table_suggest(t, name, list, sizeof list);
    if (list[0]) {
        cv_error_set(err, CV_ERR_USAGE, "no column '%s' (did you mean %s?)", name, list);
        return NULL;
    }
    for (int k = 0; k < t->ncols && n < sizeof list; k++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", t->cols[k]->name);
    if (n >= sizeof list)
        strcpy(list + sizeof list - 4, "...");
    cv_error_set(err, CV_ERR_USAGE, "no column '%s' (columns: %s)", name, list);
    return NULL;
}
