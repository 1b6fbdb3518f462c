/* The portable half of a thread (thread_run.h). The last error message is
 * per thread, so a thread's failure would be lost at the join without the
 * copy made here. */
#include <stdio.h>

#include "mmbench/error.h"
#include "thread_run.h"

void mb_thread_run(struct mb_thread_run *r)
{
    r->rc = r->fn(r->arg);
    if (r->rc)
        snprintf(r->msg, sizeof r->msg, "%s", mb_last_error());
}

int mb_thread_result(const struct mb_thread_run *r)
{
    return r->rc ? mb_fail(r->rc, "%s", r->msg) : 0;
}
