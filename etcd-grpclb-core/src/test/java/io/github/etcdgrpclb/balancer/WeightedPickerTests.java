package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import io.github.etcdgrpclb.support.ChiSquare;
import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.LoadBalancer.Subchannel;
import org.junit.jupiter.api.Test;

class WeightedPickerTests {

	private static final int[][] WEIGHT_SETS = { { 1, 2, 5 }, { 1, 1, 1, 1 }, { 100, 1, 37, 2, 5, 64, 3, 1, 1, 9 },
			{ 3 }, { 1, 100 } };

	@Test
	void everyDrawShouldMapToTheWeightsExactly() {
		for (int[] weights : WEIGHT_SETS) {
			double total = IntStream.of(weights).sum();
			double[] shares = new WeightedPicker(subchannels(weights.length), weights).exactShares();
			for (int i = 0; i < weights.length; i++) {
				// The table keeps 2^-32 steps per column: a share is off by a few 1e-10 at most.
				assertThat(shares[i]).as("share of weight %d in %s", weights[i], java.util.Arrays.toString(weights))
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
					java.util.Arrays.toString(counts), java.util.Arrays.toString(weights),
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
		WeightedPicker picker = new WeightedPicker(subchannels(1), new int[] { 7 });
		assertThat(IntStream.range(0, 1000).map((i) -> picker.pickIndex()).distinct()).containsExactly(0);
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
	}

	static List<Subchannel> subchannels(int count) {
		List<Subchannel> subchannels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			subchannels.add(new StubSubchannel());
		}
		return subchannels;
	}

}
