package io.github.etcdgrpclb.benchmarks;

import java.util.Arrays;

/** Percentiles of a set of measured durations, in milliseconds. */
final class Percentiles {

	private final double[] sorted;

	Percentiles(double[] values) {
		this.sorted = values.clone();
		Arrays.sort(this.sorted);
	}

	double at(double percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * this.sorted.length) - 1;
		return this.sorted[Math.max(0, Math.min(index, this.sorted.length - 1))];
	}

	String summary() {
		return String.format("n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms", this.sorted.length, at(50), at(90),
				at(99), this.sorted[this.sorted.length - 1]);
	}

}
