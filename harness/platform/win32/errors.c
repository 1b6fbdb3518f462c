/* Win32 error codes as text for mb_fail() messages. */
#include <stdio.h>
#include <string.h>

#include "win32.h"

const char *mb_w32_strerror(DWORD err)
{
    static char buf[320];
    char msg[256];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), msg, sizeof msg, NULL);
    /* System messages end in ".\r\n"; the message goes inside a longer line. */
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == '.' ||
                     msg[n - 1] == ' '))
        n--;
    msg[n] = '\0';
    if (n)
        snprintf(buf, sizeof buf, "%s (error %lu)", msg, (unsigned long)err);
    else
        snprintf(buf, sizeof buf, "error %lu", (unsigned long)err);
    return buf;
}
