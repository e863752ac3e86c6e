#ifndef GUD_MALLOC_COUNTER_H
#define GUD_MALLOC_COUNTER_H

#include <stdint.h>

/// The number of heap allocations (malloc, calloc, realloc, memalign, posix_memalign,
/// aligned_alloc, valloc) made by every thread of this process since it started.
///
/// Linking this target into an executable replaces glibc's allocation entry points with thin
/// counting wrappers around glibc's own allocator (`__libc_malloc` and friends), as glibc allows
/// (a program may define malloc, calloc, realloc and the aligned variants). Freeing is not wrapped.
uint64_t gud_malloc_count(void);

/// The part of ``gud_malloc_count`` made through the aligned entry points (memalign,
/// posix_memalign, aligned_alloc, valloc): FFTW's buffers (fftw_malloc), and Swift allocations
/// aligned beyond 16 bytes.
uint64_t gud_aligned_allocation_count(void);

/// Whether the counting wrappers are the allocator this process actually calls
/// (false when the linker kept glibc's definitions).
int gud_malloc_counter_active(void);

#endif
