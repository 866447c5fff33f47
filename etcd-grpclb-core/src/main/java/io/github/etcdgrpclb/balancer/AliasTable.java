package io.github.etcdgrpclb.balancer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Vose's alias table: picks an index in proportion to its weight in O(1) from one 64-bit draw, in
 * O(n) memory whatever the weights add up to. Immutable.
 */
final class AliasTable {

	/** threshold[i] / 2^32: chance to keep column i rather than take alias[i]. */
	private final long[] threshold;

	private final int[] alias;

	/** @param weights the weights, 1 or more each */
	AliasTable(int[] weights) {
		int n = weights.length;
		double[] probability = new double[n];
		this.alias = new int[n];
		build(weights, probability, this.alias);
		this.threshold = new long[n];
		for (int i = 0; i < n; i++) {
			this.threshold[i] = Math.min(1L << 32, Math.round(probability[i] * (1L << 32)));
		}
	}

	/**
	 * The pick for one 64-bit draw, a pure function of it: the high half picks the column
	 * (multiply-shift, no division), the low half decides between the column and its alias.
	 */
	int pick(long random) {
		int column = DrawBuckets.bucket(random >>> 32, this.alias.length);
		// Branch-free select: keep is -1 (all ones) when the low half is below the threshold, else 0.
		// A data-dependent branch here mispredicts on a large share of picks.
		int keep = (int) (((random & 0xFFFFFFFFL) - this.threshold[column]) >> 63);
		int alias = this.alias[column];
		return alias ^ ((column ^ alias) & keep);
	}

	/** @return each index's exact chance over all 2^64 draws, as {@link #pick(long)} maps them */
	double[] exactShares() {
		int n = this.alias.length;
		double[] shares = new double[n];
		for (int column = 0; column < n; column++) {
			double columnShare = DrawBuckets.share(column, n);
			double keep = this.threshold[column] / 0x1p32;
			shares[column] += columnShare * keep;
			shares[this.alias[column]] += columnShare * (1 - keep);
		}
		return shares;
	}

	private static void build(int[] weights, double[] probability, int[] alias) {
		int n = weights.length;
		long total = 0;
		for (int weight : weights) {
			total += weight;
		}
		double[] scaled = new double[n];
		Deque<Integer> small = new ArrayDeque<>();
		Deque<Integer> large = new ArrayDeque<>();
		for (int i = 0; i < n; i++) {
			scaled[i] = (double) weights[i] * n / total;
			(scaled[i] < 1.0 ? small : large).add(i);
		}
		while (!small.isEmpty() && !large.isEmpty()) {
			int less = small.pop();
			int more = large.pop();
			probability[less] = scaled[less];
			alias[less] = more;
			scaled[more] = scaled[more] + scaled[less] - 1.0;
			(scaled[more] < 1.0 ? small : large).add(more);
		}
		// Whatever is left is 1.0 up to rounding error.
		while (!large.isEmpty()) {
			int i = large.pop();
			probability[i] = 1.0;
			alias[i] = i;
		}
		while (!small.isEmpty()) {
			int i = small.pop();
			probability[i] = 1.0;
			alias[i] = i;
		}
	}

}
