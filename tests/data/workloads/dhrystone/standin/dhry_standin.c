/*
 * A stand-in for Dhrystone, written for WA's tests: the project does not ship Dhrystone.
 *
 * It behaves like Dhrystone 2.1 as far as the dhrystone workload can see: it asks for the
 * number of runs on standard input, loops that many times over a little integer and string
 * work, and reports in Dhrystone's format ("Microseconds for one run through Dhrystone:" and
 * "Dhrystones per Second:"). Its numbers are not Dhrystone scores.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile int sink;

int main(void)
{
    long runs = 0, i;
    struct timespec start, end;
    double seconds;
    char a[31] = "DHRYSTONE PROGRAM, SOME STRING", b[31];
    int x = 1, y = 2;

    printf("\nDhrystone Benchmark, Version 2.1 (Language: C)\n\n");
    printf("Please give the number of runs through the benchmark: ");
    if (scanf("%ld", &runs) != 1 || runs <= 0)
        runs = 1000000;
    printf("\n\nExecution starts, %ld runs through Dhrystone\n", runs);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < runs; i++) {
        x = (x * 3 + y) % 10007;
        y = (y + x) & 0xffff;
        memcpy(b, a, sizeof(a));
        b[i % 30] = (char)('A' + x % 26);
        sink = b[(i + 1) % 30] + x;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("Execution ends\n\n");
    seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    if (seconds <= 0.0)
        seconds = 1e-9;
    printf("Microseconds for one run through Dhrystone: %6.3f \n", seconds * 1e6 / (double)runs);
    printf("Dhrystones per Second:                      %6.1f \n", (double)runs / seconds);
    printf("\n");
    return 0;
}
