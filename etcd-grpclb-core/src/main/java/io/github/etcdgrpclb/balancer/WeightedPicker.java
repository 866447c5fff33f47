package io.github.etcdgrpclb.balancer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;

/**
 * Picks a subchannel at random in proportion to its weight, in O(1) and without a lock: an immutable
 * snapshot holding Vose's alias table, sampled with one {@link ThreadLocalRandom} draw per pick. The
 * Go tutorial's balancer expands every address weight times into a slice behind a mutex; this
 * picker keeps no shared mutable state but striped pick counters, so concurrent picks do not contend.
 */
public final class WeightedPicker extends SubchannelPicker {

	private final Subchannel[] subchannels;

	/** One result per subchannel: PickResult is immutable, so picks need not allocate. */
	private final PickResult[] results;

	private final int[] weights;

	/** threshold[i] / 2^32: chance to keep column i rather than take alias[i]. */
	private final long[] threshold;

	private final int[] alias;

	/** Counted per pick for the metrics; a LongAdder, so that concurrent picks do not contend. */
	private final LongAdder[] picks;

	/**
	 * @param subchannels the READY subchannels
	 * @param weights their weights (1 or more), same order
	 */
	public WeightedPicker(List<Subchannel> subchannels, int[] weights) {
		this(subchannels, weights, newAdders(weights.length));
	}

	/**
	 * @param subchannels the READY subchannels
	 * @param weights their weights (1 or more), same order
	 * @param picks the pick counters, same order
	 */
	WeightedPicker(List<Subchannel> subchannels, int[] weights, LongAdder[] picks) {
		if (subchannels.isEmpty() || subchannels.size() != weights.length) {
			throw new IllegalArgumentException("Need one weight per subchannel and at least one subchannel");
		}
		this.subchannels = subchannels.toArray(Subchannel[]::new);
		this.results = new PickResult[this.subchannels.length];
		for (int i = 0; i < this.results.length; i++) {
			this.results[i] = PickResult.withSubchannel(this.subchannels[i]);
		}
		this.weights = weights.clone();
		this.picks = picks.clone();
		int n = weights.length;
		double[] probability = new double[n];
		this.alias = new int[n];
		buildAliasTable(this.weights, probability, this.alias);
		this.threshold = new long[n];
		for (int i = 0; i < n; i++) {
			this.threshold[i] = Math.min(1L << 32, Math.round(probability[i] * (1L << 32)));
		}
	}

	@Override
	public PickResult pickSubchannel(PickSubchannelArgs args) {
		int index = pickIndex();
		this.picks[index].increment();
		return this.results[index];
	}

	private static LongAdder[] newAdders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	/** @return the index of the picked subchannel */
	int pickIndex() {
		return pickIndex(ThreadLocalRandom.current().nextLong());
	}

	/**
	 * The pick for one 64-bit draw, a pure function of it (tests feed it seeded draws): the high half
	 * picks the column (multiply-shift, no division), the low half decides between the column and
	 * its alias.
	 */
	int pickIndex(long random) {
		int column = (int) (((random >>> 32) * this.results.length) >>> 32);
		// Branch-free select: keep is -1 (all ones) when the low half is below the threshold, else 0.
		// A data-dependent branch here mispredicts on a large share of picks.
		int keep = (int) (((random & 0xFFFFFFFFL) - this.threshold[column]) >> 63);
		int alias = this.alias[column];
		return alias ^ ((column ^ alias) & keep);
	}

	/**
	 * @return each subchannel's exact chance over all 2^64 draws, as {@link #pickIndex(long)} maps them:
	 * what the weights ask for, up to the table's 2^-32 resolution (for the tests)
	 */
	double[] exactShares() {
		int n = this.results.length;
		double[] shares = new double[n];
		double draws = 0x1p32;
		for (int column = 0; column < n; column++) {
			// High halves h with floor(h * n / 2^32) == column.
			double columnDraws = Math.ceil((column + 1) * draws / n) - Math.ceil(column * draws / n);
			double keep = Math.min(this.threshold[column], 1L << 32) / draws;
			shares[column] += columnDraws / draws * keep;
			shares[this.alias[column]] += columnDraws / draws * (1 - keep);
		}
		return shares;
	}

	private static void buildAliasTable(int[] weights, double[] probability, int[] alias) {
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

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WeightedPicker picker)) {
			return false;
		}
		return Arrays.equals(this.subchannels, picker.subchannels) && Arrays.equals(this.weights, picker.weights);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.subchannels) + Arrays.hashCode(this.weights);
	}

	@Override
	public String toString() {
		return "WeightedPicker" + Arrays.toString(this.weights);
	}

}
