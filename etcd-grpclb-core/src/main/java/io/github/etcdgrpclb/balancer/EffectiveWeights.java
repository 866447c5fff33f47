package io.github.etcdgrpclb.balancer;

/**
 * Turns etcd's weights and the health factors into the whole numbers a {@link WeightedPicker} takes.
 * While every factor is 1 the weights are etcd's, scaled by a whole number: the split is exactly
 * etcd's. Otherwise they are scaled so that the total stays within the picker's slots where it can
 * (its fastest pick) yet a factor still shows to a few percent; a server in the picker keeps at least 1.
 */
final class EffectiveWeights {

	/** Below this scale a factor would round away: the picker's alias table takes larger totals. */
	private static final int MIN_SCALE_FOR_FACTORS = 16;

	private EffectiveWeights() {
	}

	/**
	 * @param weights etcd's weights (1 or more)
	 * @param factors the health factors, same order ((0, 1])
	 * @return the picker's weights
	 */
	static int[] of(int[] weights, double[] factors) {
		long total = 0;
		boolean adjusted = false;
		for (int i = 0; i < weights.length; i++) {
			total += weights[i];
			adjusted |= factors[i] != 1;
		}
		if (!adjusted) {
			return weights.clone();
		}
		long scale = Math.max(MIN_SCALE_FOR_FACTORS, WeightedPicker.MAX_SLOTS / Math.max(1, total));
		int[] effective = new int[weights.length];
		for (int i = 0; i < weights.length; i++) {
			effective[i] = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(weights[i] * factors[i] * scale)));
		}
		return effective;
	}

}
