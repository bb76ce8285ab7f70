clang -g -O1 -fsanitize=fuzzer,address,undefined -Iengine tests/fuzz/fuzz_lang.c \
      engine/lang*.c engine/arena.c -o build/fuzz_lang && build/fuzz_lang -max_total_time=60
