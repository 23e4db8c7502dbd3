/*
 * memcpy bandwidth probe for the "memcpy" workload of Workload Automation.
 *
 * usage: memcpy [-i ITERATIONS] SIZE [SIZE...]
 *
 * For every SIZE (bytes; a k/K, m/M or g/G suffix multiplies by 1024, 1024^2, 1024^3) it
 * copies a SIZE-byte buffer into another ITERATIONS times with memcpy(), after one untimed
 * warm-up copy, and prints one line:
 *
 *   size_bytes=<SIZE> iterations=<N> seconds=<elapsed> bandwidth_MBps=<MB copied per second>
 *
 * MB are 10^6 bytes; each copy reads SIZE bytes and writes SIZE bytes, and the bandwidth counts
 * SIZE bytes per copy. Times come from CLOCK_MONOTONIC. Exit status: 0 on success, 1 on bad
 * arguments, 2 when memory cannot be allocated, 3 when a copy is found corrupted.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Called through a volatile pointer so the compiler can neither inline nor drop the copies. */
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;
static volatile unsigned char sink;

static int parse_size(const char *text, size_t *out)
{
    char *end = NULL;
    unsigned long long value;

    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || end == text)
        return -1;
    switch (*end) {
    case '\0':
        break;
    case 'k': case 'K':
        value *= 1024ULL; end++;
        break;
    case 'm': case 'M':
        value *= 1024ULL * 1024ULL; end++;
        break;
    case 'g': case 'G':
        value *= 1024ULL * 1024ULL * 1024ULL; end++;
        break;
    default:
        return -1;
    }
    if (*end != '\0' || value == 0 || value > (unsigned long long)SIZE_MAX)
        return -1;
    *out = (size_t)value;
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int measure(size_t size, long iterations)
{
    unsigned char *src = NULL, *dst = NULL;
    double start, elapsed;
    size_t i;
    long n;

    if (posix_memalign((void **)&src, 64, size) != 0 ||
        posix_memalign((void **)&dst, 64, size) != 0) {
        fprintf(stderr, "memcpy: cannot allocate two buffers of %zu bytes\n", size);
        free(src);
        return 2;
    }
    for (i = 0; i < size; i++)
        src[i] = (unsigned char)(i * 31u + 7u);
    memset(dst, 0, size);

    copy_fn(dst, src, size);  /* warm-up: fault the pages in, fill the caches */
    start = now_seconds();
    for (n = 0; n < iterations; n++) {
        copy_fn(dst, src, size);
        sink = dst[(size_t)n % size];
    }
    elapsed = now_seconds() - start;

    if (memcmp(dst, src, size) != 0) {
        fprintf(stderr, "memcpy: the copy of %zu bytes does not match its source\n", size);
        free(src);
        free(dst);
        return 3;
    }
    if (elapsed <= 0.0)
        elapsed = 1e-9;
    printf("size_bytes=%zu iterations=%ld seconds=%.9f bandwidth_MBps=%.3f\n", size, iterations,
           elapsed, (double)size * (double)iterations / elapsed / 1e6);
    fflush(stdout);
    free(src);
    free(dst);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: memcpy [-i ITERATIONS] SIZE [SIZE...]\n");
}

int main(int argc, char **argv)
{
    long iterations = 1000;
    int first = 1, status, i;

    if (argc > 2 && strcmp(argv[1], "-i") == 0) {
        char *end = NULL;

        iterations = strtol(argv[2], &end, 10);
        if (end == argv[2] || *end != '\0' || iterations <= 0) {
            fprintf(stderr, "memcpy: bad iteration count \"%s\"\n", argv[2]);
            return 1;
        }
        first = 3;
    }
    if (first >= argc) {
        usage();
        return 1;
    }
    for (i = first; i < argc; i++) {
        size_t size;

        if (parse_size(argv[i], &size) != 0) {
            fprintf(stderr, "memcpy: bad buffer size \"%s\"\n", argv[i]);
            return 1;
        }
        status = measure(size, iterations);
        if (status != 0)
            return status;
    }
    return 0;
}
