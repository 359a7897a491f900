/* cvkit: the program's entry point. Dispatches `cvkit COMMAND ...` through the command
   table (commands.c); --version and --help are handled here. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("cvkit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int main(int argc, char **argv)
{
    const cli_command *cmd;
    if (argc < 2) {
        cli_usage(stderr);
        return CV_ERR_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cvkit %s (%s)\n", CVKIT_VERSION, LUA_RELEASE);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cli_cmd_help(argc - 1, argv + 1);
    if ((cmd = cli_find(argv[1])) == NULL)
        return cli_error(CV_ERR_USAGE, "unknown %s '%s' (see 'cvkit help')",
                         argv[1][0] == '-' ? "option" : "command", argv[1]);
    return cmd->run(argc - 1, argv + 1);
}
