package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import io.github.etcdgrpclb.support.ChiSquare;
import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.LoadBalancer.Subchannel;
import org.junit.jupiter.api.Test;

class WeightedPickerTests {

	/** Totals up to 1,024 are picked through slots, larger ones through the alias table: both kinds here. */
	private static final int[][] WEIGHT_SETS = { { 1, 2, 5 }, { 1, 1, 1, 1 }, { 100, 1, 37, 2, 5, 64, 3, 1, 1, 9 },
			{ 3 }, { 1, 100 }, { 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 24 },
			{ 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 25 }, { 100, 3, 100, 100, 100, 1, 100, 100, 100, 100, 100, 7 } };

	@Test
	void smallTotalsShouldBePickedThroughSlotsAndLargeOnesThroughTheAliasTable() {
		assertThat(new WeightedPicker(subchannels(11), WEIGHT_SETS[5]).usesSlots()).isTrue(); // total 1,024
		assertThat(new WeightedPicker(subchannels(11), WEIGHT_SETS[6]).usesSlots()).isFalse(); // total 1,025
	}

	@Test
	void everyPickShouldBeCountedOnThePickedSubchannel() {
		for (int[] weights : WEIGHT_SETS) {
			List<Subchannel> subchannels = subchannels(weights.length);
			LongAdder[] counters = IntStream.range(0, weights.length).mapToObj((i) -> new LongAdder()).toArray(LongAdder[]::new);
			WeightedPicker picker = new WeightedPicker(subchannels, weights, counters, null);
			long[] returned = new long[weights.length];
			for (int i = 0; i < 20_000; i++) {
				returned[subchannels.indexOf(picker.pickSubchannel(null).getSubchannel())]++;
			}
			assertThat(Arrays.stream(counters).mapToLong(LongAdder::sum).toArray()).as(Arrays.toString(weights))
				.containsExactly(returned);
		}
	}

	@Test
	void everyDrawShouldMapToTheWeightsExactly() {
		for (int[] weights : WEIGHT_SETS) {
			double total = IntStream.of(weights).sum();
			double[] shares = new WeightedPicker(subchannels(weights.length), weights).exactShares();
			for (int i = 0; i < weights.length; i++) {
				// The table keeps 2^-32 steps per column: a share is off by a few 1e-10 at most.
				assertThat(shares[i]).as("share of weight %d in %s", weights[i], Arrays.toString(weights))
					.isCloseTo(weights[i] / total, within(1e-8));
			}
		}
	}

	@Test
	void seededDrawsShouldFollowTheWeights() {
		// Seeded: the same draws every run, so this cannot fail by chance; it checks pickIndex(long)
		// against exactShares() from the other side.
		SplittableRandom random = new SplittableRandom(20261130);
		for (int[] weights : WEIGHT_SETS) {
			if (weights.length < 2) {
				continue;
			}
			WeightedPicker picker = new WeightedPicker(subchannels(weights.length), weights);
			long[] counts = new long[weights.length];
			for (int i = 0; i < 1_000_000; i++) {
				counts[picker.pickIndex(random.nextLong())]++;
			}
			assertThat(ChiSquare.fits(counts, weights)).as("counts %s for weights %s, chi2 %.2f",
					Arrays.toString(counts), Arrays.toString(weights),
					ChiSquare.statistic(counts, weights))
				.isTrue();
		}
	}

	@Test
	void skewedPicksShouldFailTheFitTest() {
		// Guards the test itself: counts that do not follow 1:2:5 must not pass.
		assertThat(ChiSquare.fits(new long[] { 125_000, 250_000, 600_000 }, new int[] { 1, 2, 5 })).isFalse();
	}

	@Test
	void singleSubchannelShouldAlwaysBePicked() {
		List<Subchannel> only = subchannels(1);
		WeightedPicker picker = new WeightedPicker(only, new int[] { 7 });
		assertThat(IntStream.range(0, 1000).mapToObj((i) -> picker.pickSubchannel(null).getSubchannel()).distinct())
			.containsExactly(only.get(0));
	}

	@Test
	void pickersOfTheSameSubchannelsAndWeightsShouldBeEqual() {
		List<Subchannel> subchannels = subchannels(2);
		assertThat(new WeightedPicker(subchannels, new int[] { 1, 2 }))
			.isEqualTo(new WeightedPicker(subchannels, new int[] { 1, 2 }))
			.isNotEqualTo(new WeightedPicker(subchannels, new int[] { 2, 1 }));
	}

	@Test
	void mismatchedInputShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WeightedPicker(List.of(), new int[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeightedPicker(subchannels(2), new int[] { 1 }));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeightedPicker(subchannels(2), new int[] { 1, 0 }))
			.withMessageContaining("1 or more");
	}

	static List<Subchannel> subchannels(int count) {
		List<Subchannel> subchannels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			subchannels.add(new StubSubchannel());
		}
		return subchannels;
	}

}
