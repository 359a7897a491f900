/* cvkit "did you mean": the one measure of how close a misspelt name is to the names that
   exist (an option, a model, a column, a unit), used by the core's own messages (no column
   'amout' (did you mean 'amount'?)) and, through the bindings, by lua/cv/opts.lua. */
#ifndef CVKIT_SUGGEST_H
#define CVKIT_SUGGEST_H

#include <stddef.h>

/* How far word is from candidate, case ignored: the optimal string alignment distance
   (Damerau-Levenshtein with adjacent transpositions), when it is at most a third of word's
   letters (at least 1); a candidate that starts with word, or that word starts with, counts
   as that limit when it is further (word of 3 letters or more). -1 when not close. */
int cv_suggest_score(const char *word, const char *candidate);

/* The index of the candidate among cands[0..n) closest to word (the first of equally
   close ones), or -1 when none is close (cv_suggest_score). */
int cv_suggest(const char *word, const char *const *cands, int n);

/* Writes into buf (NUL-terminated, truncated to size) the names among cands[0..n) closest
   to word, at most max of them, all at the smallest distance, quoted and joined with " or ":
   "'amount'" or "'expected_new' or 'conditional'"; returns how many (0: none close, buf
   empty). */
int cv_suggest_names(const char *word, const char *const *cands, int n, int max, char *buf,
                     size_t size);

#endif
