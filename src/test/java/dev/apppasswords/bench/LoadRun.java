package dev.apppasswords.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Closed-loop load: a fixed number of client threads, each sending the next request as soon as the
 * previous answer arrived, for a fixed time. Reports throughput and latency percentiles. Each thread
 * builds its own requests (its own user): Keycloak's brute-force protector refuses overlapping logins
 * of one user, so one user per thread is what a server with many users sees.
 */
final class LoadRun {

    /** {@code fromMillis}/{@code toMillis}: the measured window (epoch milliseconds), to match it with a profile. */
    record Result(String name, double perSecond, double p50Millis, double p99Millis, long requests, long failures,
                  long fromMillis, long toMillis) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Result run(String name, IntFunction<HttpRequest> request, int expectedStatus, int threads, Duration warmUp, Duration measure) throws Exception {
        drive(request, expectedStatus, threads, warmUp);
        long start = System.nanoTime();
        long fromMillis = System.currentTimeMillis();
        List<long[]> perThread = drive(request, expectedStatus, threads, measure);
        double seconds = (System.nanoTime() - start) / 1e9;
        long failures = perThread.stream().mapToLong(t -> t[0]).sum();
        long[] latencies = perThread.stream().flatMapToLong(t -> Arrays.stream(t, 1, t.length)).sorted().toArray();
        return new Result(name, latencies.length / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.length, failures, fromMillis, System.currentTimeMillis());
    }

    /** Per thread: element 0 is the failure count, the rest are latencies in nanoseconds. */
    private List<long[]> drive(IntFunction<HttpRequest> request, int expectedStatus, int threads, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            futures.add(pool.submit(() -> {
                long[] samples = new long[1 << 16];
                int n = 1;
                long failures = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    HttpResponse<Void> response = client.send(request.apply(thread), HttpResponse.BodyHandlers.discarding());
                    long elapsed = System.nanoTime() - t0;
                    if (response.statusCode() != expectedStatus) {
                        failures++;
                        continue;
                    }
                    if (n == samples.length) {
                        samples = Arrays.copyOf(samples, n * 2);
                    }
                    samples[n++] = elapsed;
                }
                samples[0] = failures;
                return Arrays.copyOf(samples, n);
            }));
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        return results;
    }

    static HttpRequest get(String url, String authorization) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).GET().build();
    }

    static HttpRequest form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }
}
