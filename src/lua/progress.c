/* cvkit engine progress: the line on a terminal that the core's long steps draw
   (include/cvkit/progress.h) while the engine runs Lua. One line on stderr, redrawn at most
   10 times a second and only once a step has run PROGRESS_AFTER seconds, erased when the
   step ends, before an error is printed and before the watchdog's message. Its texts come
   from the catalogue (lua/cv/i18n.lua, "progress.*"), copied when the engine starts: what a
   script does later cannot change them, and no text of a script's ever reaches the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cvkit/progress.h"
#include "engine_int.h"

#define PROGRESS_AFTER 1.0 /* seconds a step runs before its line shows */
#define PROGRESS_EVERY 0.1 /* seconds between two redraws */

static const char erase_seq[] = "\r\033[K";

/* The engine whose progress line listens (engine_progress_start), for a signal handler
   (cv_engine_progress_interrupted); NULL when none. */
static _Atomic(cv_engine *) listening;

/* The catalogue keys of the texts, in the order of engine_progress.text. */
static const char *const text_keys[PROGRESS_NTEXT] = {
    "progress.read", "progress.summary", "progress.fit",   "progress.predict", "progress.write",
    "progress.rows", "progress.bytes",   "progress.evals", "progress.seconds"};
enum { T_ROWS = 5, T_BYTES, T_EVALS, T_SECONDS };

/* Copies the catalogue's texts (protected; the engine's L with cv loaded): drops control
   characters, so that the line is only the catalogue's words and numbers. */
static int load_texts(lua_State *L)
{
    cv_engine *e = lua_touserdata(L, 1);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "cv.i18n");
    lua_call(L, 1, 1);
    for (int k = 0; k < PROGRESS_NTEXT; k++) {
        char *dst = e->prog.text[k];
        size_t n = 0;
        lua_getfield(L, -1, "t");
        lua_pushstring(L, text_keys[k]);
        lua_call(L, 1, 1);
        const char *s = lua_tostring(L, -1);
        for (; s && *s && n + 1 < sizeof e->prog.text[k]; s++)
            if ((unsigned char)*s >= 0x20 && *s != 0x7f)
                dst[n++] = *s;
        dst[n] = '\0';
        lua_pop(L, 1); /* pop text */
    }
    lua_pop(L, 1); /* pop i18n */
    return 0;
}

void engine_progress_init(cv_engine *e)
{
    struct winsize ws;
    const char *after = getenv("CVKIT_PROGRESS_AFTER");
    e->prog.after = PROGRESS_AFTER;
    if (after && *after) { /* for tests: show the line sooner (0: at the first update) */
        char *end;
        double v = strtod(after, &end);
        if (*end == '\0' && v >= 0 && v <= 60)
            e->prog.after = v;
    }
    e->prog.width = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    lua_pushcfunction(e->L, load_texts);
    lua_pushlightuserdata(e->L, e);
    if (lua_pcall(e->L, 1, 0, 0) != LUA_OK) {
        lua_pop(e->L, 1); /* pop message: no catalogue, no line */
        return;
    }
    e->prog.on = 1;
}

/* Writes all of s (len bytes) to stderr, as one write when it can. */
static void put(const char *s, size_t len)
{
    while (len > 0) {
        ssize_t w = write(2, s, len);
        if (w <= 0)
            return; /* a terminal gone: nothing to show it on */
        s += w, len -= (size_t)w;
    }
}

static void erase(cv_engine *e)
{
    if (atomic_exchange(&e->prog.shown, 0))
        put(erase_seq, sizeof erase_seq - 1);
}

/* "1.23M", "456k", "78.9": n with 3 significant digits. */
static void human(char *buf, size_t size, double n)
{
    const char *suffix = "";
    if (n >= 1e9)
        n /= 1e9, suffix = "G";
    else if (n >= 1e6)
        n /= 1e6, suffix = "M";
    else if (n >= 1e3)
        n /= 1e3, suffix = "k";
    snprintf(buf, size, n >= 100 ? "%.0f%s" : n >= 10 ? "%.1f%s" : "%.2f%s", n, suffix);
}

/* Draws the line of step p at time now. */
static void draw(cv_engine *e, const cv_progress *p, double now)
{
    static const char *const steps[] = {"read", "summary", "fit", "predict", "write"};
    engine_progress *g = &e->prog;
    const char *label = "";
    char line[320], rate[96], pct[16] = "";
    uint64_t done = atomic_load_explicit(&p->done, memory_order_relaxed);
    double secs = now - g->rate_since;
    size_t n;
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++)
        if (strcmp(p->step, steps[k]) == 0)
            label = g->text[k];
    if (p->total > 0 && p->unit != CV_PROGRESS_EVALS)
        snprintf(pct, sizeof pct, "%3d%%  ", (int)(100.0 * (double)done / (double)p->total));
    if (p->unit == CV_PROGRESS_EVALS) {
        snprintf(rate, sizeof rate, "%llu %s", (unsigned long long)done, g->text[T_EVALS]);
    } else if (done == 0 || secs < 1e-3) { /* too soon for a rate */
        rate[0] = '\0';
    } else {
        double per_s = (double)done / secs;
        if (p->unit == CV_PROGRESS_BYTES)
            per_s /= 1e6;
        human(rate, 32, per_s);
        n = strlen(rate);
        snprintf(rate + n, sizeof rate - n, " %s",
                 g->text[p->unit == CV_PROGRESS_BYTES ? T_BYTES : T_ROWS]);
    }
    n = (size_t)snprintf(line, sizeof line, "%s%s  %s%s  %.0f %s", erase_seq, label, pct, rate,
                         now - g->since, g->text[T_SECONDS]);
    if (n >= sizeof line)
        n = sizeof line - 1;
    if (g->width > 8 && n > sizeof erase_seq - 1 + (size_t)g->width - 1) { /* no wrapping */
        n = sizeof erase_seq - 1 + (size_t)g->width - 1;
        while (n > sizeof erase_seq - 1 && ((unsigned char)line[n] & 0xC0) == 0x80)
            n--; /* not inside a UTF-8 character */
    }
    atomic_store(&g->shown, 1);
    put(line, n);
    g->drawn = now;
}

/* The core's callback (cv_progress_set): called on the engine's thread inside core loops;
   no allocation, no Lua, one write. */
static void on_progress(void *ud, cv_progress_event ev, const cv_progress *p)
{
    cv_engine *e = ud;
    engine_progress *g = &e->prog;
    double now = engine_now();
    switch (ev) {
    case CV_PROGRESS_BEGIN:
        if (p->depth == 0)
            g->since = now;
        g->rate_since = now;
        break;
    case CV_PROGRESS_UPDATE:
        if (now - g->since >= g->after &&
            (!atomic_load(&g->shown) || now - g->drawn >= PROGRESS_EVERY))
            draw(e, p, now);
        break;
    case CV_PROGRESS_END:
        if (p->depth == 0)
            erase(e);
        break;
    }
}

void engine_progress_start(cv_engine *e)
{
    if (e->prog.on) {
        cv_progress_set(on_progress, e);
        atomic_store(&listening, e);
    }
}

void engine_progress_stop(cv_engine *e)
{
    if (!e->prog.on)
        return;
    cv_progress_set(NULL, NULL);
    cv_engine *self = e;
    atomic_compare_exchange_strong(&listening, &self, NULL);
    erase(e);
}

void cv_engine_progress_interrupted(void)
{
    cv_engine *e = atomic_load(&listening);
    if (e && atomic_exchange(&e->prog.shown, 0)) {
        ssize_t w = write(2, "\n", 1);
        (void)w;
    }
}

void engine_progress_erase_async(cv_engine *e)
{
    if (atomic_exchange(&e->prog.shown, 0)) {
        ssize_t w = write(2, erase_seq, sizeof erase_seq - 1);
        (void)w;
    }
}

void cv_engine_progress(lua_State *L, int on)
{
    cv_engine *e = engine_of(L);
    if (!e)
        return;
    if (on)
        engine_progress_start(e);
    else
        engine_progress_stop(e);
}
