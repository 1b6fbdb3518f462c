# Writes OUT, a header defining MB_GIT_COMMIT as the source tree's commit
# (empty outside a git checkout), and rewrites it only when the commit
# changed, so that every build stamps the commit it was built from without
# recompiling anything when it did not change.
#   cmake -DSRC=<source dir> -DOUT=<header> -P scripts/git-commit.cmake
set(commit "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
endif()
set(text "/* Generated at build time by scripts/git-commit.cmake. */\n#define MB_GIT_COMMIT \"${commit}\"\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
