/* glibc allocator controls (mallopt, malloc_trim). */
#include <malloc.h>
