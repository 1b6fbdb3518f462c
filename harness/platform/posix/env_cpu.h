/* Internal to the POSIX environment probe. */
#ifndef MMBENCH_POSIX_ENV_CPU_H
#define MMBENCH_POSIX_ENV_CPU_H

#include "mmbench/platform.h"

/* Fills env's caches, mhz_per_cpu and cpu_scaling (unknown ones stay 0 / -1). */
void mb_env_probe_cpu(struct mb_env *env);

#endif
