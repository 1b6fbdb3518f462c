/* Progress lines on stderr. The ETA assumes the repetitions still to run
 * cost what the finished ones did on average: the schedule interleaves
 * cases, so the average is representative early on. */
#include <string.h>

#include "mmbench/progress.h"

static void clock_text(char *buf, size_t len, double s)
{
    if (s < 60)
        snprintf(buf, len, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, len, "%ldm%02lds", (long)s / 60, (long)s % 60);
    else
        snprintf(buf, len, "%ldh%02ldm", (long)s / 3600, ((long)s % 3600) / 60);
}

void mb_progress_clear(struct mb_progress_out *po)
{
    if (po->tty && po->drawn) {
        fputs("\r\033[K", po->out);
        fflush(po->out);
        po->drawn = false;
    }
}

void mb_progress_print(void *arg, const struct mb_progress *p)
{
    struct mb_progress_out *po = arg;
    double elapsed = (double)p->elapsed_ns / 1e9;
    char el[32], eta[32];
    clock_text(el, sizeof el, elapsed);
    clock_text(eta, sizeof eta, p->done ? elapsed * (double)(p->total - p->done) / (double)p->done : 0);
    if (po->tty) {
        fprintf(po->out, "\r\033[K[%zu/%zu reps] case %zu of %zu, rep %u of %u: %.60s | %s elapsed, ETA %s",
                p->done, p->total, p->case_index + 1, p->ncases, p->rep, p->reps, p->c->name, el, eta);
        po->drawn = true;
        if (p->done == p->total)
            mb_progress_clear(po);
    } else if (p->case_finished) {
        fprintf(po->out, "[%zu/%zu reps, %s elapsed, ETA %s] %s %s\n", p->done, p->total, el, eta,
                p->c->name, p->c->status ? "failed" : "done");
    }
    fflush(po->out);
}
