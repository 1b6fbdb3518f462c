/* Suites: each bench/<suite>.c defines one `const struct mb_suite
 * mb_suite_<name>` and bench/suites.def lists them (an X-macro), the way
 * stress-ng registers stressors. */
#ifndef MMBENCH_SUITE_H
#define MMBENCH_SUITE_H

#include <stddef.h>

#include "case.h"
#include "options.h"
#include "workload.h"

/* The cases a suite asks the runner to execute, the workloads they read and
 * the memory their data lives in; all of it owned by the plan. */
struct mb_plan {
    struct mb_case *cases;
    size_t ncases, cap;
    struct mb_workload *workloads;
    size_t nworkloads, wcap;
    void **blocks;              /* mb_plan_alloc's */
    size_t nblocks, bcap;
    /* Where a suite may write files of its own (a time series) into the
     * run's result set, which commits them with the rest in one step; NULL
     * when the run writes no files. Set by the caller before the cases run,
     * so a suite reads it from a hook, not in build(). */
    const char *out_dir;
};

/* A common run option whose default a suite sets otherwise (a long case
 * asks for fewer repetitions): used where the option is not given. */
struct mb_run_default {
    const char *name;           /* a common option: "reps" */
    const char *value;          /* its default for this suite */
    const char *quick;          /* under --quick, or NULL: --quick's own value */
};

struct mb_suite {
    const char *name;
    const char *help;           /* one line */
    const char *claims;         /* "C5": the CLAIMS.md IDs it tests */
    const struct mb_opt *opts;  /* suite options, ended by {NULL} */
    /* NULL when the platform can run the suite, else the reason it cannot. */
    const char *(*supported)(void);
    /* Builds cases from validated options. Returns 0, MB_EUSAGE (with a
     * message) or MB_EENV / MB_ENOMEM. */
    int (*build)(const struct mb_options *o, struct mb_plan *plan);
    const char *plot;           /* script in scripts/ that draws its chart, or NULL */
    /* The files `plot` writes into the results directory (NULL-terminated),
     * so that generic code can check and name them without knowing the
     * suite. */
    const char *const *plot_outputs;
    /* The worker processes it starts (mb_workers_start), or NULL: how a
     * worker re-launched from the executable (Windows) finds its hooks. */
    const struct mb_worker_kind *worker;
    /* Common options this suite defaults otherwise, ended by {NULL}; NULL
     * for none. */
    const struct mb_run_default *run_defaults;
};

/* Adds a case and returns it (to be filled with mb_case_init), or NULL when
 * out of memory. Pointers to earlier cases may move. */
struct mb_case *mb_plan_add_case(struct mb_plan *p);

/* Adds a zeroed workload slot and returns it, or NULL. Pointers to earlier
 * workloads stay valid (storage grows in fixed chunks). */
struct mb_workload *mb_plan_add_workload(struct mb_plan *p);

/* Returns `size` zeroed bytes that live until mb_plan_free (a case's data),
 * or NULL when out of memory. */
void *mb_plan_alloc(struct mb_plan *p, size_t size);

/* Frees cases, workloads (removing their scratch files) and blocks. */
void mb_plan_free(struct mb_plan *p);

/* Every suite of this build, in suites.def order; *n receives the count. */
const struct mb_suite *const *mb_suites(size_t *n);
const struct mb_suite *mb_suite_find(const char *name);

#endif
