/* Exit hooks: run newest first, each once, a hook registered twice runs
 * once, forgotten hooks never run, and a table that is full says so
 * instead of dropping a hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mmbench/error.h"
#include "mmbench/exit_hook.h"

static char order[16];
static int norder;

static void hook_a(void)
{
    order[norder++] = 'a';
}

static void hook_b(void)
{
    order[norder++] = 'b';
}

static void test_newest_first_once(void **state)
{
    (void)state;
    norder = 0;
    assert_int_equal(mb_exit_hook_add(hook_a), 0);
    assert_int_equal(mb_exit_hook_add(hook_b), 0);
    assert_int_equal(mb_exit_hook_add(hook_a), 0); /* already there */
    mb_exit_hooks_run();
    assert_int_equal(norder, 2);
    assert_memory_equal(order, "ba", 2);
    mb_exit_hooks_run(); /* forgotten after running */
    assert_int_equal(norder, 2);
}

static void test_forgotten_never_run(void **state)
{
    (void)state;
    norder = 0;
    assert_int_equal(mb_exit_hook_add(hook_a), 0);
    mb_exit_hooks_forget();
    mb_exit_hooks_run();
    assert_int_equal(norder, 0);
    assert_int_equal(mb_exit_hook_add(hook_b), 0); /* the table is usable again */
    mb_exit_hooks_run();
    assert_int_equal(norder, 1);
    assert_memory_equal(order, "b", 1);
}

#define NFILL 9
static void fill0(void) {}
static void fill1(void) {}
static void fill2(void) {}
static void fill3(void) {}
static void fill4(void) {}
static void fill5(void) {}
static void fill6(void) {}
static void fill7(void) {}
static void fill8(void) {}

static void test_full_table_says_so(void **state)
{
    (void)state;
    void (*const fills[NFILL])(void) = {fill0, fill1, fill2, fill3, fill4,
                                        fill5, fill6, fill7, fill8};
    int rc = 0, added = 0;
    for (int i = 0; i < NFILL && rc == 0; i++)
        if ((rc = mb_exit_hook_add(fills[i])) == 0)
            added++;
    assert_int_equal(rc, MB_ENOMEM);
    assert_true(added >= 1);
    mb_exit_hooks_run();
    assert_int_equal(mb_exit_hook_add(fill0), 0); /* room again */
    mb_exit_hooks_run();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_first_once),
        cmocka_unit_test(test_forgotten_never_run),
        cmocka_unit_test(test_full_table_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
