package io.github.etcdgrpclb.support;

/** Pearson's chi-square goodness of fit of observed counts against weights. */
public final class ChiSquare {

	/** Critical values for p = 0.001, by degrees of freedom 1..11. */
	private static final double[] CRITICAL_P001 = { 10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124,
			27.877, 29.588, 31.264 };

	private ChiSquare() {
	}

	/** @return the statistic of the counts against shares proportional to the weights */
	public static double statistic(long[] observed, int[] weights) {
		long total = 0;
		long weightSum = 0;
		for (int i = 0; i < observed.length; i++) {
			total += observed[i];
			weightSum += weights[i];
		}
		double chi = 0;
		for (int i = 0; i < observed.length; i++) {
			double expected = (double) total * weights[i] / weightSum;
			chi += (observed[i] - expected) * (observed[i] - expected) / expected;
		}
		return chi;
	}

	/** @return whether the counts fit the weights with p > 0.001 */
	public static boolean fits(long[] observed, int[] weights) {
		return statistic(observed, weights) < CRITICAL_P001[observed.length - 2];
	}

}
