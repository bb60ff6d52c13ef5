// libFuzzer's entry for programs that keep their own main (scripts/fuzz.sh links libFuzzer).
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
