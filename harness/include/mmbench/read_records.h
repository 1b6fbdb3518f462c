/* The timed work of reading a workload's records through an access method,
 * as a case: one pass opens the file (maps it), copies every record in the
 * workload's order into a slot of its delivery buffer, and closes it
 * (unmaps it); after the batch, every slot must hold exactly the expected
 * bytes. The records suite is made of these cases; others may use them. */
#ifndef MMBENCH_READ_RECORDS_H
#define MMBENCH_READ_RECORDS_H

#include <stdbool.h>

#include "case.h"
#include "method.h"
#include "workload.h"

/* The data of one such case. It must live as long as the case. */
struct mb_read_records {
    const struct mb_method *m;
    struct mb_workload *w;
    struct mb_target t;
};

/* Makes `c` a case of `suite` that reads w through m in cache state `cache`
 * (readahead off through FADV/MADV_RANDOM when `readahead_off`), with `rr`
 * as its data; adds the method, cache, readahead and access parameters and
 * the work of a pass (its bytes, its records). Returns 0 or MB_EUSAGE. */
int mb_read_records_case(struct mb_case *c, const char *suite, struct mb_read_records *rr,
                         const struct mb_method *m, struct mb_workload *w, enum mb_cache cache,
                         bool readahead_off);

#endif
