// Counting wrappers around glibc's allocator; see include/MallocCounter.h.
#include "MallocCounter.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);

static uint64_t allocation_count = 0;
static uint64_t aligned_count = 0;

static inline void count_one(void) { __atomic_fetch_add(&allocation_count, 1, __ATOMIC_RELAXED); }

static inline void count_aligned(void) {
    count_one();
    __atomic_fetch_add(&aligned_count, 1, __ATOMIC_RELAXED);
}

uint64_t gud_malloc_count(void) { return __atomic_load_n(&allocation_count, __ATOMIC_RELAXED); }

uint64_t gud_aligned_allocation_count(void) { return __atomic_load_n(&aligned_count, __ATOMIC_RELAXED); }

int gud_malloc_counter_active(void) {
    uint64_t before = gud_malloc_count();
    void *volatile probe = malloc(16);
    free(probe);
    return gud_malloc_count() != before;
}

void *malloc(size_t size) {
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_one();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count_aligned();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_aligned();
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    count_aligned();
    return __libc_valloc(size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_aligned();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}
