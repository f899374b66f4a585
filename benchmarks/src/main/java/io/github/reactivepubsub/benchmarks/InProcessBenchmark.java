package io.github.reactivepubsub.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings shared by the in-process publish benchmarks (fan-out, contention, routing): publishes per µs, one
 * fork with a fixed 1 GiB heap, 3 warm-up and 5 measured iterations of 1 s each, one state per benchmark. JMH's
 * class-level annotations are inherited: a subclass that declares one of them (a larger heap's {@code @Fork})
 * overrides only that one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class InProcessBenchmark {
}
