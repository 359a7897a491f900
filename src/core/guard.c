/* cvkit file safety: a fixed table of temporary output files that a signal handler can
   unlink (no locks, no allocation: C11 atomics on the slots' states), and the list of the
   files read in this run, by device and inode. */
#include "cvkit/guard.h"
#include "cvkit/mem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Temporary files ------------------------------------------------------------------- */

enum { SLOT_FREE, SLOT_BUSY, SLOT_LIVE };

static char temp_path[CV_GUARD_SLOTS][4096];
static atomic_int temp_state[CV_GUARD_SLOTS];

int cv_guard_temp_add(const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof temp_path[0])
        return -1;
    for (int k = 0; k < CV_GUARD_SLOTS; k++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&temp_state[k], &expect, SLOT_BUSY)) {
            memcpy(temp_path[k], path, n + 1);
            atomic_store(&temp_state[k], SLOT_LIVE);
            return k;
        }
    }
    return -1;
}

void cv_guard_temp_remove(int slot)
{
    if (slot >= 0 && slot < CV_GUARD_SLOTS)
        atomic_store(&temp_state[slot], SLOT_FREE);
}

int cv_guard_temp_count(void)
{
    int n = 0;
    for (int k = 0; k < CV_GUARD_SLOTS; k++)
        n += atomic_load(&temp_state[k]) != SLOT_FREE;
    return n;
}

void cv_guard_cleanup(void)
{
    for (int k = 0; k < CV_GUARD_SLOTS; k++)
        if (atomic_load(&temp_state[k]) == SLOT_LIVE)
            unlink(temp_path[k]); /* async-signal-safe */
}

/* ---- Files read ------------------------------------------------------------------------ */

typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

typedef struct file_set {
    file_id *v;
    size_t n, cap;
} file_set;

static pthread_mutex_t inputs_lock = PTHREAD_MUTEX_INITIALIZER;
static file_set inputs, outputs; /* files read; files this run wrote */

static int set_has(const file_set *s, dev_t dev, ino_t ino)
{
    for (size_t k = 0; k < s->n; k++)
        if (s->v[k].dev == dev && s->v[k].ino == ino)
            return 1;
    return 0;
}

/* Adds (dev, ino) to s under the lock; out of memory only makes the check less complete. */
static void set_add(file_set *s, dev_t dev, ino_t ino)
{
    pthread_mutex_lock(&inputs_lock);
    if (!set_has(s, dev, ino)) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 16;
            file_id *v = cv_realloc(s->v, cap * sizeof *v);
            if (v) {
                s->v = v;
                s->cap = cap;
            }
        }
        if (s->n < s->cap) {
            s->v[s->n].dev = dev;
            s->v[s->n].ino = ino;
            s->n++;
        }
    }
    pthread_mutex_unlock(&inputs_lock);
}

void cv_guard_note_input(dev_t dev, ino_t ino)
{
    set_add(&inputs, dev, ino);
}

void cv_guard_note_output(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        set_add(&outputs, st.st_dev, st.st_ino);
}

int cv_guard_check_output(const char *path, cv_error *err)
{
    struct stat st;
    int found = 0;
    if (stat(path, &st) != 0)
        return 0;
    pthread_mutex_lock(&inputs_lock);
    found = set_has(&inputs, st.st_dev, st.st_ino) && !set_has(&outputs, st.st_dev, st.st_ino);
    pthread_mutex_unlock(&inputs_lock);
    if (!found)
        return 0;
    return cv_error_at(err, CV_ERR_USAGE, path, 0, 0,
                       "refusing to replace a file this run read (write the output elsewhere)");
}

void cv_guard_reset_inputs(void)
{
    pthread_mutex_lock(&inputs_lock);
    cv_free(inputs.v);
    cv_free(outputs.v);
    memset(&inputs, 0, sizeof inputs);
    memset(&outputs, 0, sizeof outputs);
    pthread_mutex_unlock(&inputs_lock);
}
