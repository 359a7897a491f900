/* cvkit secrets in messages: passwords in database URLs and connection strings, well-formed
   or not, replaced by "***" in anything cvkit shows (error messages, descriptions). The one
   place that decides what a password looks like; see docs/databases.md ("Passwords"). */
#ifndef CVKIT_REDACT_H
#define CVKIT_REDACT_H

#include <stddef.h>

/* What counts as a password in a connection string conn (a URL, a libpq key=value string, a
   typo of either):
     - user information: the text between the first ':' and the last '@' of what follows
       "scheme://" (any scheme, misspelt too), "sqlite:", "postgresql:" or "postgres:", or of
       the whole string when it has none of these ("u:pw@host/db" with the scheme forgotten);
       the last '@' of the whole string, so a raw '@', '/', '?' or ':' in a password is
       covered (a '@' in a query may hide more than the password: never less);
     - the value of a parameter whose name contains "pass", "pwd", "secret", "token" or "key"
       (password=, sslpassword=, key=, ...), after '?', '&', ';', a blank or at the start:
       in a query up to the next "&name=" or '#', else up to the next " name=" or ";name="
       (so a raw '&' or blank inside it is covered), a quoted conninfo value up to its
       closing quote.
   Writes conn into buf (size bytes; NUL-terminated when size > 0, cut when too small) with
   each password replaced by "***"; returns the length of the whole result (as snprintf). */
size_t cv_redact_conn(const char *conn, char *buf, size_t size);

/* Writes text (a message that may echo parts of conn: libpq's and SQLite's errors, a host
   name, a file path) into buf with every character that may come from a password of conn
   replaced, each run of them by one "***": a character that lies in a stretch of at least 3
   characters equal to a stretch of conn over a password character; a quoted part of text
   ("..." or '...', or from a quote to the end), or the whole text (a host name), that
   equals a part of conn touching a password, however short; an occurrence of a password as
   percent-decoded (3 characters or more). conn NULL: text is copied. Returns the length of the
   whole result (as snprintf). */
size_t cv_redact_text(const char *text, const char *conn, char *buf, size_t size);

/* Writes text, a message that may show connection strings anywhere in it (a URL given
   where an option, a file or a column was expected; a script's own error), into buf with
   their passwords replaced by "***": in "scheme://..." (any scheme) what lies between the
   first ':' after "//" and the last '@' before the line ends or the next "scheme://"; in a
   word (between blanks or quotes) with a '@', what lies between its first ':' (after
   "scheme://" when it has one) and its last '@' ("u:pw@host", a scheme misspelt with one
   '/'); the value of a parameter "name=value" whose name contains "pass", "pwd", "secret",
   "token" or "key" (not "key" alone: a usage text's "key=value"), after a blank, a quote,
   '?', '&', ';' or at the start, up to a blank, a quote, '&' or ';' (a quoted value up to
   its closing quote). It may hide more than a password (a '@' later in the URL's stretch),
   never less of those forms. Text with no '@' and no '=' is copied as it is; the mask of a
   message under 4096 bytes is on the stack (no allocation: a memory limit's message is
   shown). Returns the length of the whole result (as snprintf). */
size_t cv_redact_message(const char *text, char *buf, size_t size);

/* The password of a database URL "scheme://user:PASSWORD@host..." as libpq reads it (the
   user information ends at the last '@' before the first '/' after "//"; the password
   starts after its first ':'): 1 with *off and *len (possibly 0) set, else 0. */
int cv_url_password(const char *url, size_t *off, size_t *len);

#endif
