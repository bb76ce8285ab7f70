build-clang/tools/wavinfo: tests/tools/wavinfo.c
