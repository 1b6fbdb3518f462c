/* Child processes (the chart drivers in scripts/). */
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

extern char **environ;

int mb_run_program(char *const argv[])
{
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (e)
        return mb_fail(MB_EENV, "cannot start %s: %s", argv[0], strerror(e));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return mb_fail(MB_EENV, "waitpid: %s", strerror(errno));
    if (!WIFEXITED(status))
        return mb_fail(MB_EENV, "%s died of signal %d", argv[0], WTERMSIG(status));
    return WEXITSTATUS(status);
}
