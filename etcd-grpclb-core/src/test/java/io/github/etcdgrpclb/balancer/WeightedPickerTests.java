package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.etcdgrpclb.support.ChiSquare;
import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.LoadBalancer.Subchannel;
import org.junit.jupiter.api.Test;

class WeightedPickerTests {

	@Test
	void picksShouldFollowTheWeights() {
		assertFits(new int[] { 1, 2, 5 });
		assertFits(new int[] { 1, 1, 1, 1 });
		assertFits(new int[] { 100, 1, 37, 2, 5, 64, 3, 1, 1, 9 });
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

	private static void assertFits(int[] weights) {
		WeightedPicker picker = new WeightedPicker(subchannels(weights.length), weights);
		long[] counts = new long[weights.length];
		for (int i = 0; i < 1_000_000; i++) {
			counts[picker.pickIndex()]++;
		}
		assertThat(ChiSquare.fits(counts, weights)).as("counts %s for weights %s, chi2 %.2f",
				java.util.Arrays.toString(counts), java.util.Arrays.toString(weights), ChiSquare.statistic(counts, weights))
			.isTrue();
	}

	static List<Subchannel> subchannels(int count) {
		List<Subchannel> subchannels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			subchannels.add(new StubSubchannel());
		}
		return subchannels;
	}

}
