package io.github.etcdgrpclb.balancer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ClientStreamTracer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;

/**
 * Picks a subchannel at random in proportion to its weight, in O(1) and without a lock, from an
 * immutable snapshot and one {@link ThreadLocalRandom} draw per pick. While the weights add up to
 * at most {@value #MAX_SLOTS}, each subchannel fills as many slots as its weight (the Go tutorial's
 * expanded list, as arrays and without its mutex): a pick is one multiply-shift and two loads.
 * Above that, Vose's alias table keeps memory at O(subchannels). Pick counters are striped
 * ({@link LongAdder}), so concurrent picks do not contend.
 */
public final class WeightedPicker extends SubchannelPicker {

	/**
	 * Largest total weight picked through slots (8 KB of references at most): e.g. 100 servers of
	 * weight 10. A slot pick measured 5.4 ns where the alias table took 8.3 (PickerBenchmark, one run).
	 */
	static final int MAX_SLOTS = 1024;

	private final Subchannel[] subchannels;

	private final int[] weights;

	/** One result per subchannel: PickResult is immutable, so picks need not allocate. */
	private final PickResult[] results;

	/** Counted per pick for the metrics. */
	private final LongAdder[] picks;

	/** Slot k's subchannel index, its result and its counter (null when the alias table is used). */
	private final int[] slotOwners;

	private final PickResult[] slotResults;

	private final LongAdder[] slotPicks;

	private final AliasTable aliasTable;

	/** Whether calls are measured (a picker that starts measuring is a new picker). */
	private final boolean measured;

	/**
	 * @param subchannels the READY subchannels
	 * @param weights their weights (1 or more), same order
	 */
	public WeightedPicker(List<Subchannel> subchannels, int[] weights) {
		this(subchannels, weights, newAdders(weights.length), null);
	}

	/**
	 * @param subchannels the READY subchannels
	 * @param weights their weights (1 or more), same order
	 * @param picks the pick counters, same order
	 * @param tracers what measures each subchannel's calls, same order; null when nothing does
	 */
	WeightedPicker(List<Subchannel> subchannels, int[] weights, LongAdder[] picks,
			ClientStreamTracer.Factory[] tracers) {
		if (subchannels.isEmpty() || subchannels.size() != weights.length) {
			throw new IllegalArgumentException("Need one weight per subchannel and at least one subchannel");
		}
		if (Arrays.stream(weights).anyMatch((weight) -> weight < 1)) {
			throw new IllegalArgumentException("Weights must be 1 or more: " + Arrays.toString(weights));
		}
		this.subchannels = subchannels.toArray(Subchannel[]::new);
		this.weights = weights.clone();
		this.picks = picks.clone();
		this.measured = tracers != null;
		this.results = new PickResult[this.subchannels.length];
		for (int i = 0; i < this.results.length; i++) {
			this.results[i] = (tracers == null) ? PickResult.withSubchannel(this.subchannels[i])
					: PickResult.withSubchannel(this.subchannels[i], tracers[i]);
		}
		long total = Arrays.stream(this.weights).asLongStream().sum();
		if (total <= MAX_SLOTS) {
			this.slotOwners = slotOwners(this.weights, (int) total);
			this.slotResults = new PickResult[this.slotOwners.length];
			this.slotPicks = new LongAdder[this.slotOwners.length];
			for (int slot = 0; slot < this.slotOwners.length; slot++) {
				this.slotResults[slot] = this.results[this.slotOwners[slot]];
				this.slotPicks[slot] = this.picks[this.slotOwners[slot]];
			}
			this.aliasTable = null;
		}
		else {
			this.slotOwners = null;
			this.slotResults = null;
			this.slotPicks = null;
			this.aliasTable = new AliasTable(this.weights);
		}
	}

	@Override
	public PickResult pickSubchannel(PickSubchannelArgs args) {
		return pick(ThreadLocalRandom.current().nextLong());
	}

	/**
	 * Picks with a draw made before: a routing picker draws first and finds its sub-picker meanwhile.
	 * @param draw a uniform 64-bit draw (slots use its low 32 bits)
	 * @return the picked subchannel's result, its pick counted
	 */
	PickResult pick(long draw) {
		if (this.slotResults != null) {
			return pickSlot(this.slotResults, this.slotPicks, draw);
		}
		int index = this.aliasTable.pick(draw);
		this.picks[index].increment();
		return this.results[index];
	}

	/**
	 * The slot pick, on a picker's slots held elsewhere too (a routing picker keeps its routes' slots
	 * as its own fields): the slot's result and counter directly, no subchannel index in between.
	 */
	static PickResult pickSlot(PickResult[] slots, LongAdder[] slotPicks, long draw) {
		int slot = DrawBuckets.bucket(draw & 0xFFFFFFFFL, slots.length);
		slotPicks[slot].increment();
		return slots[slot];
	}

	/** @return the result of each slot, or null when picks go through the alias table */
	PickResult[] slotResults() {
		return this.slotResults;
	}

	/** @return the pick counter of each slot, or null when picks go through the alias table */
	LongAdder[] slotPicks() {
		return this.slotPicks;
	}

	/** @return the index of the picked subchannel, as a pick maps the 64-bit draw (for the tests) */
	int pickIndex(long random) {
		return (this.slotOwners != null)
				? this.slotOwners[DrawBuckets.bucket(random & 0xFFFFFFFFL, this.slotOwners.length)]
				: this.aliasTable.pick(random);
	}

	/** @return the subchannels, in the order of {@link #weights()} (for the tests) */
	List<Subchannel> subchannels() {
		return List.of(this.subchannels);
	}

	/** @return what a pick of that subchannel returns, or null when it is not in the picker (for the tests) */
	PickResult resultOf(Subchannel subchannel) {
		for (int i = 0; i < this.subchannels.length; i++) {
			if (this.subchannels[i] == subchannel) {
				return this.results[i];
			}
		}
		return null;
	}

	/** @return the weights the picker spreads by (for the tests) */
	int[] weights() {
		return this.weights.clone();
	}

	/** @return whether picks go through slots rather than the alias table (for the tests) */
	boolean usesSlots() {
		return this.slotOwners != null;
	}

	/**
	 * @return each subchannel's exact chance over all draws, as a pick maps them: what the weights ask
	 * for, up to the 2^-32 resolution of the mapping (for the tests)
	 */
	double[] exactShares() {
		if (this.slotOwners == null) {
			return this.aliasTable.exactShares();
		}
		double[] shares = new double[this.results.length];
		for (int slot = 0; slot < this.slotOwners.length; slot++) {
			shares[this.slotOwners[slot]] += DrawBuckets.share(slot, this.slotOwners.length);
		}
		return shares;
	}

	private static int[] slotOwners(int[] weights, int total) {
		int[] owners = new int[total];
		int slot = 0;
		for (int i = 0; i < weights.length; i++) {
			Arrays.fill(owners, slot, slot + weights[i], i);
			slot += weights[i];
		}
		return owners;
	}

	private static LongAdder[] newAdders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WeightedPicker picker)) {
			return false;
		}
		return Arrays.equals(this.subchannels, picker.subchannels) && Arrays.equals(this.weights, picker.weights)
				&& this.measured == picker.measured;
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
