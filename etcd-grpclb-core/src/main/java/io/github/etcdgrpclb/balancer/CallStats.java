package io.github.etcdgrpclb.balancer;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ClientStreamTracer;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * What one server's calls did, recorded by a stream tracer on each call its picks send it: from any
 * thread, without a lock (striped adders), and drained by the balancer once per interval. The pick
 * itself stays allocation-free: the tracer is made when grpc opens the stream.
 * <p>
 * Latency is the time to the server's first answer (its response headers, or the end of a call
 * that had none), so a long-lived stream measures how fast the server began to answer, not how
 * long the client kept it open. An interval's latency is the median of its answers (from a
 * histogram of half-octave buckets), so that a few slow calls (a new server's first ones, a pause)
 * do not make a server look slow; calls still waiting for an answer are counted with their mean
 * age, which shows a server that stopped answering before any call times out. A call whose status
 * is a failure status counts as the server's failure and its time, unless it ran out of its
 * deadline, not as latency (a server that fails fast must not look fast); a call the client
 * cancelled counts as neither.
 */
final class CallStats extends ClientStreamTracer.Factory {

	/** 2^14 ns = 16 us: answers faster than that count as that fast. */
	private static final int MIN_OCTAVE = 14;

	/** 2^37 ns = 137 s: answers slower than that count as that slow. */
	private static final int MAX_OCTAVE = 37;

	private final Set<Status.Code> failureStatuses;

	private final Deadline.Ticker ticker;

	/** Times are kept from here, so that sums of them cannot overflow. */
	private final long origin;

	private final LongAdder finished = new LongAdder();

	private final LongAdder failed = new LongAdder();

	/** Answers by time: bucket 2k + h holds [2^k, 1.5 x 2^k) when h is 0, [1.5 x 2^k, 2^(k+1)) when 1. */
	private final AtomicLongArray answers = new AtomicLongArray(2 * (MAX_OCTAVE - MIN_OCTAVE + 1));

	private final LongAdder waiting = new LongAdder();

	/** The sum of the start times of the calls waiting: their mean age without a per-call list. */
	private final LongAdder waitingStarts = new LongAdder();

	CallStats(Set<Status.Code> failureStatuses, Deadline.Ticker ticker) {
		this.failureStatuses = failureStatuses;
		this.ticker = ticker;
		this.origin = ticker.nanoTime();
	}

	@Override
	public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
		long start = now();
		this.waiting.increment();
		this.waitingStarts.add(start);
		return new ClientStreamTracer() {

			// grpc calls one stream's tracer one callback at a time.
			private boolean firstAnswer = true;

			@Override
			public void inboundHeaders() {
				if (this.firstAnswer) {
					this.firstAnswer = false;
					answered(start, true);
				}
			}

			@Override
			public void streamClosed(Status status) {
				Status.Code code = status.getCode();
				boolean failure = CallStats.this.failureStatuses.contains(code);
				if (this.firstAnswer) {
					this.firstAnswer = false;
					answered(start, code != Status.Code.CANCELLED
							&& (!failure || code == Status.Code.DEADLINE_EXCEEDED));
				}
				if (code != Status.Code.CANCELLED) {
					CallStats.this.finished.increment();
					if (failure) {
						CallStats.this.failed.increment();
					}
				}
			}

		};
	}

	private void answered(long start, boolean timed) {
		this.waiting.decrement();
		this.waitingStarts.add(-start);
		if (timed) {
			this.answers.incrementAndGet(bucket(now() - start));
		}
	}

	static int bucket(long nanos) {
		int octave = Math.min(MAX_OCTAVE, Math.max(MIN_OCTAVE, 63 - Long.numberOfLeadingZeros(Math.max(1, nanos))));
		int upperHalf = (nanos >= (3L << (octave - 1)) && nanos < (1L << (octave + 1))) ? 1 : 0;
		return 2 * (octave - MIN_OCTAVE) + ((nanos >= (1L << (MAX_OCTAVE + 1))) ? 1 : upperHalf);
	}

	/** @return the middle of a bucket's range */
	static long bucketMiddle(int bucket) {
		long octave = 1L << (MIN_OCTAVE + bucket / 2);
		return (bucket % 2 == 0) ? octave * 5 / 4 : octave * 7 / 4;
	}

	private long now() {
		return this.ticker.nanoTime() - this.origin;
	}

	/**
	 * @param minAnswers the fewest answers an interval's latency may stand on: fewer are left in for the
	 * next drain (reported as no answer), so that one slow first call is not a server's latency
	 * @return what happened since the last drain, and the calls waiting for an answer now
	 */
	Interval drain(int minAnswers) {
		long waitingNow = this.waiting.sum();
		long starts = this.waitingStarts.sum();
		long meanAge = (waitingNow > 0) ? Math.max(0, now() - starts / waitingNow) : 0;
		long[] counts = new long[this.answers.length()];
		long answered = 0;
		for (int i = 0; i < counts.length; i++) {
			counts[i] = this.answers.get(i);
			answered += counts[i];
		}
		if (answered < Math.max(1, minAnswers)) {
			answered = 0;
		}
		else {
			for (int i = 0; i < counts.length; i++) {
				this.answers.addAndGet(i, -counts[i]); // answers recorded meanwhile stay for the next drain
			}
		}
		return new Interval(this.finished.sumThenReset(), this.failed.sumThenReset(), answered,
				median(counts, answered), waitingNow, meanAge);
	}

	private static long median(long[] counts, long total) {
		long seen = 0;
		for (int i = 0; i < counts.length; i++) {
			seen += counts[i];
			if (2 * seen >= total && total > 0) {
				return bucketMiddle(i);
			}
		}
		return 0;
	}

	/**
	 * One interval of a server's calls.
	 * @param calls calls that finished (cancelled ones left out)
	 * @param failures of them, those with a failure status
	 * @param answered calls whose time to the first answer counts as latency
	 * @param medianAnswerNanos the median of those times (the middle of its histogram bucket), 0 without any
	 * @param waiting calls waiting for their first answer now
	 * @param waitingMeanAgeNanos how long those have waited, on average
	 */
	record Interval(long calls, long failures, long answered, long medianAnswerNanos, long waiting,
			long waitingMeanAgeNanos) {
	}

}
