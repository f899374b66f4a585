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
 * The JMH settings shared by the benchmarks that move messages through a session, a socket or a server (sessions,
 * SoupBinTCP, the remote hub, Redis): throughput in operations per second, one fork, 2 warm-up and 3 measured
 * iterations of 5 s each, one state per benchmark. JMH's class-level annotations are inherited: a subclass that
 * declares one of them (a latency benchmark's {@code @BenchmarkMode}) overrides only that one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public abstract class TransportBenchmark {
}
