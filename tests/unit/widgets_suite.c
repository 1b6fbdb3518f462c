/* The test-only "widgets" suite (see widgets_suite.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "widgets_suite.h"

static int widgets_setup(struct mb_case *c)
{
    struct widgets_data *d = c->data;
    d->setups++;
    d->buf = calloc(1, d->len);
    return d->buf ? 0 : mb_fail(MB_ENOMEM, "out of memory");
}

/* fill: write every byte; drop: check them and clear the buffer. */
static int widgets_pass(struct mb_case *c, struct mb_pass *p)
{
    struct widgets_data *d = c->data;
    d->passes++;
    memset(d->buf, d->fill, d->len);
    mb_phase_next(p);
    size_t wrong = 0;
    for (size_t i = 0; i < d->len; i++)
        wrong += d->buf[i] != d->fill;
    memset(d->buf, 0, d->len);
    d->bad = wrong != 0;
    p->metric[0] += WIDGETS_PER_PASS;
    return 0;
}

static int widgets_verify(struct mb_case *c, struct mb_pass *p)
{
    struct widgets_data *d = c->data;
    (void)p;
    d->verifies++;
    return d->bad ? mb_fail(MB_EVERIFY, "%s: the buffer lost what fill wrote", c->name) : 0;
}

static void widgets_teardown(struct mb_case *c)
{
    struct widgets_data *d = c->data;
    d->teardowns++;
    free(d->buf);
    d->buf = NULL;
}

static const struct mb_case_ops widgets_ops = {
    .setup = widgets_setup,
    .pass = widgets_pass,
    .verify = widgets_verify,
    .teardown = widgets_teardown,
};

static int add_case(struct mb_plan *plan, const char *key, const char *value, unsigned char fill)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct widgets_data *d = mb_plan_alloc(plan, sizeof *d);
    if (!c || !d)
        return mb_fail(MB_ENOMEM, "out of memory");
    d->len = WIDGETS_BYTES;
    d->fill = fill;
    mb_case_init(c, "widgets", &widgets_ops, d);
    int rc = mb_case_param(c, key, value, true);
    rc = rc ? rc : mb_case_phase(c, "fill");
    rc = rc ? rc : mb_case_phase(c, "drop");
    rc = rc ? rc : mb_case_metric(c, "widgets");
    return rc ? rc : mb_case_work(c, WIDGETS_BYTES, WIDGETS_BYTES / 4096, "page");
}

static int widgets_build(const struct mb_options *o, struct mb_plan *plan)
{
    (void)o;
    int rc = add_case(plan, "size_bytes", "65536", 0xA5);
    return rc ? rc : add_case(plan, "shape", "square", 0x5A);
}

static const struct mb_opt widgets_opts[] = {
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

const struct mb_suite tu_suite_widgets = {
    .name = "widgets",
    .help = "test only: two phases and a custom counter",
    .claims = "",
    .opts = widgets_opts,
    .supported = NULL,
    .build = widgets_build,
    .plot = NULL,
};
