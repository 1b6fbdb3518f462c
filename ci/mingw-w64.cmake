# CMake toolchain file for the Win32 cross build with Debian's mingw-w64
# (x86_64, the "win32" thread model: no winpthread DLL to ship).
#
#   cmake -S . -B build-win32 -DCMAKE_TOOLCHAIN_FILE=ci/mingw-w64.cmake \
#         -DMB_WIN32_DEPS=/abs/path/to/deps
#
# MB_WIN32_DEPS is the prefix where ci/build-win32 installed jansson and
# libcsv built for Windows; pkg-config and find_* look there and in the
# mingw-w64 sysroot only, never in the host's /usr (a Linux libjansson.so
# would link nothing but errors).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(MB_MINGW_TRIPLET x86_64-w64-mingw32 CACHE STRING "mingw-w64 target triplet")
set(CMAKE_C_COMPILER ${MB_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${MB_MINGW_TRIPLET}-windres)

# try_compile projects re-read this file without the cache; pass the
# variable on so they see the same search roots.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MB_WIN32_DEPS MB_MINGW_TRIPLET)

set(CMAKE_FIND_ROOT_PATH /usr/${MB_MINGW_TRIPLET})
if(MB_WIN32_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${MB_WIN32_DEPS})
  # Only the dependencies' .pc files; the host's would point at Linux libraries.
  set(ENV{PKG_CONFIG_LIBDIR} "${MB_WIN32_DEPS}/lib/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Programs built here run under Wine when CMake or ctest must run them.
find_program(MB_WINE_PROGRAM NAMES wine64 wine)
if(MB_WINE_PROGRAM)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${MB_WINE_PROGRAM})
endif()
