// Declarations only; the definition comes from libFuzzer when built with -sanitize=fuzzer.
#include "CLibFuzzer.h"
